"""Building blocks for the events and presentations tests: content files, calendar checks."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import icalendar

from sitekit import ROOT

sys.path.insert(0, str(ROOT / "tools"))
from make_demo_slides import make_pdf  # noqa: E402  (the demo's own PDF writer)

TODAY = "2027-03-01"  # KRING_TODAY of these tests


def event(slug: str, title: str, body: str = "Wat er gebeurt.", **fields) -> tuple[str, str]:
    lines = [f"Title: {title}"] + [f"{k}: {v}" for k, v in fields.items()]
    return f"events/{slug}.md", "\n".join(lines) + "\n\n" + body + "\n"


def talk(slug: str, title: str, body: str = "Samenvatting.", **fields) -> tuple[str, str]:
    lines = [f"Title: {title}"] + [f"{k}: {v}" for k, v in fields.items()]
    return f"presentations/{slug}.md", "\n".join(lines) + "\n\n" + body + "\n"


def deck(title: str, slides: list[tuple[str, list[str]]]) -> bytes:
    return make_pdf(title, slides)


def write_binary(content: Path, rel: str, data: bytes) -> None:
    target = content / rel
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)


def check_rfc5545(raw: bytes, where: str = "") -> icalendar.Calendar:
    """What RFC 5545 asks of the bytes themselves; returns the parsed calendar."""
    assert raw.endswith(b"\r\n"), where
    lines = raw.split(b"\r\n")[:-1]
    assert b"\n" not in raw.replace(b"\r\n", b""), f"{where}: a bare LF"
    for line in lines:
        assert len(line) <= 75, f"{where}: a line of {len(line)} octets: {line!r}"
        line.decode("utf-8")  # folding never splits a UTF-8 character
    cal = icalendar.Calendar.from_ical(raw)
    assert cal["VERSION"] == "2.0" and cal.get("PRODID")
    tzids = {str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")}
    for ev in cal.walk("VEVENT"):
        for prop in ("UID", "DTSTAMP", "DTSTART", "SUMMARY", "URL", "SEQUENCE", "STATUS"):
            assert prop in ev, f"{where}: {ev.get('UID')} has no {prop}"
        stamp = ev["DTSTAMP"].dt
        assert stamp.utcoffset() == dt.timedelta(0), f"{where}: DTSTAMP is not UTC"
        for prop in ("SUMMARY", "DESCRIPTION"):
            assert "<" not in str(ev.get(prop, "")), f"{where}: HTML in {prop}"
        start = ev["DTSTART"]
        if isinstance(start.dt, dt.datetime):
            tzid = start.params.get("TZID")
            assert tzid in tzids or start.dt.utcoffset() == dt.timedelta(0), f"{where}: floating or unknown TZID"
        else:
            assert start.params.get("VALUE") == "DATE" and ev["DTEND"].params.get("VALUE") == "DATE"
            assert ev["DTEND"].dt > start.dt, f"{where}: DTEND of an all-day event is exclusive"
        organizer = ev.get("ORGANIZER")
        if organizer is not None:
            assert not str(organizer).lower().startswith("mailto:") and "@" not in str(organizer)
    return cal
