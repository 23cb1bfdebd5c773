"""Presentations: pages, library, slides (image, text, search), experts, activity, cache, drafts (issue 13)."""

from __future__ import annotations

import gzip
import json
import time

import pytest
from icalendar import Calendar
from PIL import Image

from kring.build import build
from kring_events import slides as slides_module
from sitekit import DEV_SETTINGS, Site, article, group, member, write_files

from events_helpers import TODAY, deck, event, talk, write_binary

SLIDES = [(f"Dia over onderwerp {n}", [f"Punt {n}a", f"Punt {n}b"]) for n in range(1, 12)]
SLIDES[10] = ("Het geheime woord", ["Alleen hier staat zeepbelmodel"])  # slide 12 (slide 1 is the title page)


def files() -> dict:
    return dict([
        group("klantcontact", "Klantcontact", Moderators="noor"),
        group("itil", "Servicemanagement"),
        member("noor", "Noor van den Berg", Role="Klantreisontwerper", Groups="klantcontact"),
        member("youssef", "Youssef Bouzid", Groups="klantcontact"),
        member("anna", "Anna de Vries", Groups="itil"),
        article("stuk", "Een stuk", date="2027-02-01 10:00", Authors="anna", Groups="itil", Tags="ITIL"),
        event("sessie", "Meeluistersessie", Start="2027-02-10 13:30", Duration="3h", Groups="klantcontact",
              Organisers="youssef"),
        talk("klantreis", "De klantreis als gespreksstof", Date="2027-02-10", Speakers="Noor van den Berg, youssef",
             Event="sessie", Groups="klantcontact", Tags="klantreis, klantcontact",
             Slides="presentations/klantreis.pdf", Video="https://video.example.nl/v/1",
             Summary="Hoe een getekende klantreis teams aan tafel krijgt."),
        talk("tweede", "Tweede praatje", Date="2027-01-05", Speakers="noor", Groups="klantcontact", Tags="klantreis",
             Slides="https://slides.example.nl/tweede"),
        talk("oudje", "Een oud praatje", Date="2026-05-05", Speakers="anna", Tags="ITIL"),
        # Drafts: never in any published file.
        event("concept-borrel", "Conceptborrel Kwispeldag", Start="2027-03-10 17:00", Status="draft",
              Groups="klantcontact", Organisers="noor"),
        talk("concept-praatje", "Conceptpraatje Kwispeldag", Date="2027-02-11", Speakers="noor", Status="draft",
             Event="sessie", Groups="klantcontact", Tags="Kwispelkunde", Slides="presentations/concept.pdf"),
        ("issues/1.md", "Number: 1\nTitle: Februari\nDate: 2027-03-01\n\nRedactioneel.\n"),
    ])


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    base = tmp_path_factory.mktemp("talks")
    content = base / "content"
    write_files(content, files())
    write_binary(content, "presentations/klantreis.pdf", deck("De klantreis als gespreksstof", SLIDES))
    write_binary(content, "presentations/concept.pdf", deck("Kwispeldag", [("Kwispel", ["kwispelwoord"])]))
    build(DEV_SETTINGS, {"PATH": str(content), "OUTPUT_PATH": str(base / "output"),
                         "KRING_FEED_ARCHIVE": str(base / "var.sqlite"), "KRING_TODAY": "2027-03-01",
                         "CACHE_PATH": str(base / "cache")})
    return Site(base / "output"), content


@pytest.fixture(scope="module")
def site(built) -> Site:
    return built[0]


def test_presentation_page(site, built):
    page = site.soup("/presentations/klantreis/")
    speakers = page.select("ul.people--cards li")
    assert [li.select_one("a").get_text() for li in speakers] == ["Noor van den Berg", "Youssef Bouzid"]
    assert all(li.select_one("img.avatar") for li in speakers)
    assert speakers[0].select_one("a")["href"].endswith("members/noor/")
    assert page.select_one(".profile__facts a[href$='events/sessie/']").get_text() == "Meeluistersessie"
    img = page.select_one(".talk__slide img")
    assert img["alt"] == "Eerste dia van De klantreis als gespreksstof"
    png = site.output / "presentations/klantreis/slide-1.png"
    with Image.open(png) as image:
        assert image.format == "PNG" and image.size == (int(img["width"]), int(img["height"])) == (640, 360)
    pdf = site.output / "presentations/klantreis/klantreis.pdf"
    assert pdf.read_bytes() == (built[1] / "presentations/klantreis.pdf").read_bytes()
    download = page.select_one(".talk__links a[type='application/pdf']")
    assert download["href"].endswith("presentations/klantreis/klantreis.pdf")
    size_kb = round(pdf.stat().st_size / 1024)
    assert f"12 pagina's, {size_kb} kB" in download.find_parent("li").get_text()
    video = page.select_one(".talk__links a[href='https://video.example.nl/v/1']")
    assert video is not None and not page.select("iframe, video")  # a link, no embedded player
    data = json.loads(page.select_one('script[type="application/ld+json"]').string)
    assert data["@type"] == "PresentationDigitalDocument"
    assert [a["name"] for a in data["author"]] == ["Noor van den Berg", "Youssef Bouzid"]


def test_slides_given_as_a_link(site):
    page = site.soup("/presentations/tweede/")
    assert page.select_one(".talk__links a[href='https://slides.example.nl/tweede']")
    assert not page.select(".talk__slide img")


def test_slide_text_is_on_the_page_per_slide_and_in_the_search_index(site):
    page = site.soup("/presentations/klantreis/")
    details = page.select_one("details.talk__text")
    assert details is not None and details.select_one("summary").get_text() == "Tekst van de dia's"
    section = details.select_one("#slide-12").find_parent("section")
    assert section.select_one("h3").get_text() == "Dia 12" and "zeepbelmodel" in section.get_text()
    assert page.select_one("main[data-pagefind-body]")
    # Pagefind's own index: the word is in the page's fragment, next to an anchor for slide 12.
    fragments = [json.loads(gzip.decompress(p.read_bytes())[len(b"pagefind_dcd"):])
                 for p in (site.output / "pagefind" / "fragment").iterdir()]
    mine = [f for f in fragments if f["url"].endswith("/presentations/klantreis/")]
    assert len(mine) == 1 and "zeepbelmodel" in mine[0]["content"]
    assert any(a["id"] == "slide-12" and a["text"] == "Dia 12" for a in mine[0]["anchors"])


def test_library_newest_first_and_by_topic(site):
    page = site.soup("/presentations/")
    newest = page.select_one("#talks-newest").find_parent("section")
    assert [a.get_text() for a in newest.select(".card__title a")] == [
        "De klantreis als gespreksstof", "Tweede praatje", "Een oud praatje"]
    topics = page.select_one("#talks-by-topic").find_parent("section")
    klantreis = topics.select_one("#topic-klantreis").find_next("ul")
    assert [a.get_text() for a in klantreis.select("a")] == ["De klantreis als gespreksstof", "Tweede praatje"]


def test_profiles_groups_and_events_list_presentations(site):
    noor = site.soup("/members/noor/").select_one("#member-talks").find_parent("section").get_text()
    assert "De klantreis als gespreksstof" in noor and "Tweede praatje" in noor
    group_talks = site.soup("/groups/klantcontact/").select_one("#group-talks").find_parent("section").get_text()
    assert "Tweede praatje" in group_talks
    assert "De klantreis" in site.soup("/events/sessie/").select_one("#event-talks").find_parent("section").get_text()


def test_presentations_are_evidence_in_the_experts_directory(site):
    topic = site.soup("/experts/klantreis/")
    row = [li for li in topic.select(".kg-ranked li") if "Noor van den Berg" in li.get_text()][0]
    assert "2 presentaties" in row.get_text()
    itil = [li for li in site.soup("/experts/itil/").select(".kg-ranked li") if "Anna" in li.get_text()][0]
    assert "1 artikel" in itil.get_text() and "1 presentatie" in itil.get_text()


def test_events_and_presentations_count_in_the_group_activity_chart(site):
    section = site.soup("/groups/klantcontact/").select_one("#group-activity").find_parent("section")
    assert "3 bijeenkomsten en presentaties" in section.get_text(" ", strip=True)
    rows = {tr.th.get_text(): [td.get_text() for td in tr.select("td")] for tr in section.select("tbody tr")}
    assert rows["februari 2027"][-1] == "2" and rows["januari 2027"][-1] == "1"


def test_drafts_appear_in_no_published_file(site):
    """Pages, calendars, feeds, sitemap, search index, newsletters, profiles, experts: nothing."""
    assert not site.exists("/events/concept-borrel/") and not site.exists("/presentations/concept-praatje/")
    assert not (site.output / "presentations" / "concept-praatje").exists()
    for path in site.all_files():
        data = path.read_bytes()
        if data[:2] == b"\x1f\x8b":  # Pagefind's index is gzipped
            data = gzip.decompress(data)
        for marker in (b"Kwispel", b"kwispel", b"concept-borrel", b"concept-praatje"):
            assert marker not in data, f"{path.relative_to(site.output)} mentions the draft ({marker!r})"
    assert site.exists("/issues/1/newsletter.html") and site.exists("/sitemap.xml")
    noor = Calendar.from_ical(site.path("/members/noor/calendar.ics").read_bytes())
    assert [str(e["UID"]) for e in noor.walk("VEVENT")] == ["sessie@localhost"]  # speaks there; the draft is hers too


def test_slide_rendering_is_cached_by_the_pdf_hash(tmp_path, monkeypatch):
    """A 40-page PDF is read once; the next build takes it from the cache."""
    pdf = tmp_path / "groot.pdf"
    pdf.write_bytes(deck("Groot", [(f"Dia {n}", ["tekst " * 8]) for n in range(39)]))
    calls = []
    real = slides_module._inspect
    monkeypatch.setattr(slides_module, "_inspect", lambda data, width: calls.append(1) or real(data, width))
    started = time.perf_counter()
    first, digest = slides_module.inspect(str(pdf), str(tmp_path / "cache"), 640)
    cold = time.perf_counter() - started
    started = time.perf_counter()
    again, same = slides_module.inspect(str(pdf), str(tmp_path / "cache"), 640)
    warm = time.perf_counter() - started
    assert first["pages"] == again["pages"] == 40 and digest == same and len(calls) == 1
    assert warm < cold and warm < 0.05, (cold, warm)
    pdf.write_bytes(deck("Groot", [("Anders", ["nieuwe tekst"])]))  # a new PDF is read again
    changed, other = slides_module.inspect(str(pdf), str(tmp_path / "cache"), 640)
    assert other != digest and changed["pages"] == 2 and len(calls) == 2


def test_a_rebuild_reads_no_pdf_again(built, monkeypatch, tmp_path):
    site, content = built
    monkeypatch.setattr(slides_module, "_inspect", lambda *a: pytest.fail("the PDF was read again"))
    build(DEV_SETTINGS, {"PATH": str(content), "OUTPUT_PATH": str(site.output),
                         "KRING_FEED_ARCHIVE": str(tmp_path / "var.sqlite"), "KRING_TODAY": TODAY,
                         "CACHE_PATH": str(site.output.parent / "cache"), "KRING_SEARCH_INDEX": False})
    assert (site.output / "presentations/klantreis/slide-1.png").is_file()


def test_publish_check_knows_the_draft_urls(make_site, tmp_path):
    from kring.publish import check_drafts
    from kring_core import run

    write_binary(tmp_path / "content", "presentations/concept.pdf", deck("Kwispeldag", [("Kwispel", ["woord"])]))
    site = make_site({k: v for k, v in files().items() if "concept" in k or k.startswith(("members/", "groups/"))}
                     | dict([event("sessie", "Meeluistersessie", Start="2027-02-10 13:30")]),
                     KRING_TODAY=TODAY, KRING_SEARCH_INDEX=False)
    drafts = run.current().drafts
    assert sorted(drafts) == ["events/concept-borrel/", "presentations/concept-praatje/"]
    assert check_drafts(site.output, drafts) == []
    leaked = site.output / "members" / "noor" / "index.html"
    leaked.write_text(leaked.read_text() + '<a href="../../presentations/concept-praatje/">x</a>')
    assert check_drafts(site.output, drafts) == ["members/noor/index.html: mentions the draft 'presentations/concept-praatje/'"]
