"""The demo's events, presentations and every calendar it publishes (issue 13)."""

from __future__ import annotations

import datetime as dt

import pypdfium2
import recurring_ical_events
from icalendar import Calendar

from sitekit import ROOT

from events_helpers import check_rfc5545, make_pdf

CONTENT = ROOT / "content"


def metadata(path) -> dict:
    fields = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            break
        key, _, value = line.partition(":")
        fields[key.strip().lower()] = value.strip()
    return fields


def test_demo_has_the_events_the_issue_asks_for():
    events = {p.stem: metadata(p) for p in (CONTENT / "events").glob("*.md")}
    published = {k: v for k, v in events.items() if v.get("status") != "draft"}
    assert len(published) >= 8
    assert any(v.get("status") == "cancelled" for v in published.values())
    assert any(v.get("repeat") for v in published.values())
    assert any(len(v["start"]) == 10 for v in published.values())  # all-day
    assert any(v.get("online") and not v.get("location") for v in published.values())


def test_demo_presentations_have_real_pdfs_with_text():
    talks = {p.stem: metadata(p) for p in (CONTENT / "presentations").glob("*.md")}
    assert len(talks) >= 6
    for slug, fields in talks.items():
        pdf = pypdfium2.PdfDocument(str(CONTENT / fields["slides"]))
        try:
            assert len(pdf) >= 4, slug
            text = pdf[len(pdf) - 1].get_textpage().get_text_range()
            assert text.strip(), f"{slug}: the last slide has no extractable text"
        finally:
            pdf.close()


def test_demo_pdfs_are_what_the_committed_tool_writes():
    import make_demo_slides

    for name, (title, slides) in make_demo_slides.DECKS.items():
        assert (CONTENT / "presentations" / name).read_bytes() == make_pdf(title, slides), name


def test_every_demo_calendar_parses_and_expands(demo_site):
    files = sorted(demo_site.output.rglob("*.ics"))
    assert len(files) >= 10
    uids = set()
    for path in files:
        raw = path.read_bytes()
        cal = check_rfc5545(raw, str(path))
        assert isinstance(cal, Calendar)
        for occurrence in recurring_ical_events.of(cal).between(dt.date(2020, 1, 1), dt.date(2030, 1, 1)):
            uids.add(str(occurrence["UID"]))
    site_calendar = Calendar.from_ical(demo_site.path("/events/calendar.ics").read_bytes())
    cafe = [o for o in recurring_ical_events.of(site_calendar).between(dt.date(2026, 1, 1), dt.date(2028, 1, 1))
            if str(o["UID"]).startswith("risicocafe@")]
    assert len(cafe) == 6
    assert any(str(e["STATUS"]) == "CANCELLED" for e in site_calendar.walk("VEVENT"))
    assert not any("nieuwjaarsborrel" in uid for uid in uids)  # the demo's draft


def test_demo_pages_exist(demo_site):
    for url in ("/events/", "/presentations/", "/events/meeluistersessie-maart/",
                "/presentations/klantreis-als-gespreksstof/"):
        assert demo_site.exists(url), url
    assert not demo_site.exists("/events/nieuwjaarsborrel-klantcontact/")
