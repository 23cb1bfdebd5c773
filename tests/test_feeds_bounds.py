"""No value from a feed or a server can crash fetch or build (issue 16, class 4).

Hostile feeds over a real local server, then a real build from the real archive.
"""

from __future__ import annotations

import json
import time
from datetime import datetime, timezone

import feedparser
import pytest
from werkzeug import Response

from feeds_helpers import atom, build_with_feeds, community_titles, rows, site_conf, source, valid_xml
from kring.feeds import update

NOW_YEAR = datetime.now(timezone.utc).year


def rss(items: list[dict], title: str = "RSS blog") -> bytes:
    parts = []
    for i in items:
        date = f"<pubDate>{i['date']}</pubDate>" if "date" in i else ""
        parts.append(f"<item><title>{i['title']}</title><guid>{i['id']}</guid><link>https://rss.example.nl/{i['id']}</link>"
                     f"{date}<description>Tekst.</description></item>")
    return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>{title}</title><link>https://rss.example.nl/</link>'
            + "".join(parts) + "</channel></rss>").encode()


def json_feed(items: list[dict], title="JSON blog") -> bytes:
    return json.dumps({"version": "https://jsonfeed.org/version/1.1", "title": title, "items": items}).encode()


def serve_all(httpserver, documents: dict[str, bytes | Response]) -> list[str]:
    urls = []
    for path, doc in documents.items():
        if isinstance(doc, Response):
            httpserver.expect_request(path).respond_with_response(doc)
        else:
            httpserver.expect_request(path).respond_with_data(doc)
        urls.append(httpserver.url_for(path))
    return urls


def fetch_all(conf, urls, force=False):
    return update.run([source(u) for u in urls], conf, force=force)


def test_dates_outside_every_range_neither_crash_nor_reorder_the_stream(httpserver, tmp_path, make_site):
    documents = {
        "/rss-9999": rss([{"id": "r1", "title": "Jaar negenduizend", "date": "Fri, 31 Dec 9999 23:59:59 GMT"}]),
        "/rss-1800": rss([{"id": "r2", "title": "Achttienhonderd", "date": "Wed, 01 Jan 1800 00:00:00 GMT"}]),
        "/rss-0001": rss([{"id": "r3", "title": "Jaar een", "date": "Mon, 01 Jan 0001 00:00:00 GMT"}]),
        "/json-dates": json_feed([
            {"id": "j1", "title": "JSON negenduizend", "date_published": "9999-12-31T23:59:59-01:00"},
            {"id": "j2", "title": "JSON jaar een", "date_published": "0001-01-01T00:00:00+05:00"},
            {"id": "j3", "title": "JSON onzin", "date_published": "-0044-03-15T12:00:00Z"},
        ]),
        "/atom-future": atom([{"id": "f1", "title": "Uit de toekomst", "updated": "2099-06-01T10:00:00Z"}]),
        "/healthy": atom([{"id": "h1", "title": "Gewone post", "updated": "2026-11-01T10:00:00Z"}]),
    }
    conf = site_conf(tmp_path)
    urls = serve_all(httpserver, documents)
    reports = fetch_all(conf, urls)
    assert [r.status for r in reports] == ["fetched"] * len(urls)
    by_path = {r.key.rsplit("/", 1)[1]: r for r in reports}
    for name in ("rss-9999", "json-dates", "atom-future"):
        assert by_path[name].public_reason, name  # reported, not silent
    assert "dated in the future" in by_path["atom-future"].public_reason
    assert "out of range" in by_path["rss-1800"].reason
    summary = update.summary(reports)
    assert "rss-9999" in summary and "atom-future" in summary

    site = build_with_feeds(make_site, urls)
    feed = valid_xml(site, "/community/feed.atom.xml")
    assert feed is not None
    parsed = feedparser.parse(site.text("/community/feed.atom.xml"))
    years = {e.title: e.published_parsed.tm_year for e in parsed.entries}
    assert years["Gewone post"] == 2026
    for title, year in years.items():
        assert 1900 <= year <= NOW_YEAR, (title, year)  # shown at the time first seen, or its real date
    assert years["Uit de toekomst"] == NOW_YEAR
    status = site.text("/community/status/")
    assert "dated in the future" in status
    for year in ("9999", "2099"):
        assert year not in site.text("/groups/itil/"), year  # the activity chart ends this month

    # Not pinned first for ever: a post published after the future post was first seen comes before it.
    time.sleep(1.01 - time.time() % 1)  # into the next second: feed dates are to the second
    later = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    httpserver.clear()
    documents["/healthy"] = atom([{"id": "h2", "title": "Nieuwere post", "updated": later}])
    serve_all(httpserver, documents)
    fetch_all(conf, urls, force=True)
    site = build_with_feeds(make_site, urls)
    titles = community_titles(site)
    assert titles.index("Nieuwere post") < titles.index("Uit de toekomst")


@pytest.mark.parametrize("header, value", [
    ("Cache-Control", "max-age=100000000000000000000"),
    ("Cache-Control", "public, s-maxage=" + "9" * 400),
    ("Expires", "Fri, 31 Dec 9999 23:59:59 GMT"),
])  # fmt: skip
def test_huge_freshness_is_capped(httpserver, tmp_path, header, value):
    httpserver.expect_request("/feed").respond_with_data(atom([{"id": "a"}]), headers={header: value})
    conf = site_conf(tmp_path, KRING_FEED_MIN_INTERVAL=60)
    (report,) = fetch_all(conf, [httpserver.url_for("/feed")])
    assert report.status == "fetched" and "capped at 30 days" in report.reason
    (next_fetch,) = rows(conf, "SELECT next_fetch FROM feeds")[0]
    assert time.time() + 29 * 86400 < next_fetch <= time.time() + 30 * 86400 + 5
    (again,) = fetch_all(conf, [httpserver.url_for("/feed")])  # the next run reads it back
    assert again.status == "skipped" and str(NOW_YEAR + 1) >= again.reason[-20:-16]


@pytest.mark.parametrize("value", ["1" + "0" * 30, "Fri, 31 Dec 9999 23:59:59 GMT", "9" * 5000])
@pytest.mark.parametrize("max_wait", [None, 3600])
def test_huge_retry_after_is_capped_and_the_next_run_works(httpserver, tmp_path, value, max_wait):
    httpserver.expect_request("/busy").respond_with_data(b"busy", status=429, headers={"Retry-After": value})
    settings = {"KRING_FEED_MAX_WAIT": max_wait} if max_wait else {}
    conf = site_conf(tmp_path, **settings)
    cap = max_wait or 30 * 86400
    (report,) = fetch_all(conf, [httpserver.url_for("/busy")])
    assert report.status == "backoff" and "Retry-After" in report.reason
    (until,) = rows(conf, "SELECT retry_after FROM hosts")[0]
    assert until <= time.time() + cap + 5
    (again,) = fetch_all(conf, [httpserver.url_for("/busy")], force=True)
    assert again.status == "backoff" and len(httpserver.log) == 1


def test_values_already_in_the_archive_are_bounded_before_use(httpserver, tmp_path):
    """An archive written by an older Kring (or by hand) with overflowing numbers and unsendable validators."""
    httpserver.expect_request("/feed").respond_with_data(atom([{"id": "a", "title": "Weer daar"}]))
    conf = site_conf(tmp_path)
    url = httpserver.url_for("/feed")
    fetch_all(conf, [url])
    import sqlite3

    conn = sqlite3.connect(conf["KRING_FEED_ARCHIVE"])
    conn.execute("UPDATE feeds SET next_fetch = 1e300, etag = 'W/\"é日本\"', last_modified = 'Dı, 3 Nov'")
    conn.execute("INSERT INTO hosts VALUES ('elders.example.nl', 1e308)")
    conn.commit()
    conn.close()
    (report,) = fetch_all(conf, [url])
    assert report.status == "skipped" and "fresh until" in report.reason  # capped at 30 days, no OverflowError
    (report,) = fetch_all(conf, [url], force=True)
    assert report.status == "fetched"
    assert "If-None-Match" not in httpserver.log[-1][0].headers  # an ETag that cannot be sent is not sent


@pytest.mark.parametrize("etag, last_modified", [
    ('W/"café"', None),
    ('"größe-1"', "Dí, 03 Nov 2026 10:00:00 GMT"),
    (None, "Tue, 03 Nov 2026 10:00:00 GMT\x7f"),
    ('"\x01tab\x1f"', None),
])  # fmt: skip
def test_a_validator_that_cannot_be_sent_back_never_blocks_the_feed(httpserver, tmp_path, etag, last_modified):
    headers = {k: v for k, v in (("ETag", etag), ("Last-Modified", last_modified)) if v is not None}
    httpserver.expect_request("/feed").respond_with_data(atom([{"id": "a"}]), headers=headers)
    conf = site_conf(tmp_path)
    url = httpserver.url_for("/feed")
    (first,) = fetch_all(conf, [url])
    assert first.status == "fetched" and "not printable ASCII" in first.reason
    for _ in range(2):
        (later,) = fetch_all(conf, [url], force=True)
        assert later.status == "fetched"
    assert len(httpserver.log) == 3


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


@pytest.mark.parametrize("doc", [
    '{"version": "https://jsonfeed.org/version/1.1", "title": "Diep", "items": %s}' % nested(100_000),
    '{"version": "https://jsonfeed.org/version/1.1", "items": [{"id": "1", "_x": %s}]}' % nested(50_000),
    '{"version": "https://jsonfeed.org/version/1.1", "items": [{"id": "1", "title": "t"}], "_x": '
    + '{"a":' * 20_000 + "1" + "}" * 20_000 + "}",
])  # fmt: skip
def test_deeply_nested_json_fails_that_feed_only(httpserver, tmp_path, doc):
    httpserver.expect_request("/deep.json").respond_with_data(doc.encode(), content_type="application/feed+json")
    httpserver.expect_request("/ok").respond_with_data(atom([{"id": "ok", "title": "Gezond"}]))
    conf = site_conf(tmp_path)
    deep, ok = fetch_all(conf, [httpserver.url_for("/deep.json"), httpserver.url_for("/ok")])
    assert (deep.status, deep.public_reason) == ("failed", "not a feed")
    assert "nested too deeply" in deep.reason
    assert ok.status == "fetched" and ok.new == 1


CONTROLS = "\x00\x01\x08\x0b\x0c\x1b\x1f\x7f\x85\ufffe\uffff"


def test_control_characters_never_reach_the_xml_files(httpserver, tmp_path, make_site):
    dirty = f"Kop{CONTROLS}tekst"
    json_doc = json.dumps({
        "version": "https://jsonfeed.org/version/1.1", "title": f"Blog{CONTROLS}", "home_page_url": "https://j.example.nl/",
        "items": [{"id": "c1", "url": "https://j.example.nl/1", "title": dirty, "content_html": f"<p>{dirty}</p>",
                   "tags": [f"tag{CONTROLS}"], "authors": [{"name": f"Anna{CONTROLS}"}],
                   "date_published": "2026-11-01T10:00:00Z"}],
    }).encode()  # fmt: skip
    raw_xml = atom([{"id": "c2", "link": "https://a.example.nl/2", "title": "Ruw\x0bbyte\x1ftitel", "summary": "<p>a\x01b</p>",
                     "updated": "2026-11-02T10:00:00Z"}], title="Atom\x08blog")  # fmt: skip
    entity_rss = (b'<?xml version="1.0"?><rss version="2.0"><channel><title>Entiteit&#1;blog</title>'
                  b"<item><title>Titel met &#27; escape</title><guid>c3</guid><link>https://r.example.nl/3</link>"
                  b"<pubDate>Tue, 03 Nov 2026 10:00:00 GMT</pubDate></item></channel></rss>")  # fmt: skip
    urls = serve_all(httpserver, {"/dirty.json": json_doc, "/raw.xml": raw_xml, "/entity.xml": entity_rss})
    conf = site_conf(tmp_path)
    reports = fetch_all(conf, urls)
    assert [r.status for r in reports] == ["fetched"] * 3
    assert "control characters removed" in reports[0].public_reason
    site = build_with_feeds(make_site, urls)
    atom_feed = valid_xml(site, "/community/feed.atom.xml")
    valid_xml(site, "/community/sources.opml")
    valid_xml(site, "/members/anna/feed.atom.xml") if site.exists("/members/anna/feed.atom.xml") else None
    titles = [t.text for t in atom_feed.iter("{http://www.w3.org/2005/Atom}title")]
    assert "Koptekst" in titles
    for page in ("/community/", "/members/anna/", "/community/status/"):
        text = site.text(page)
        assert not any(c in text for c in CONTROLS.replace("\x85", "")), page


# -- Anything at all in the archive: the build still passes and writes valid XML. --------------------------------

from hypothesis import HealthCheck, given, settings as hyp_settings, strategies as st  # noqa: E402

FEED_URL = "https://blog.example.nl/feed.xml"
ANY = st.one_of(
    st.text(max_size=60), st.text(alphabet=st.characters(max_codepoint=0x9F), max_size=20),
    st.integers(min_value=-(2**63), max_value=2**63 - 1), st.floats(), st.binary(max_size=30),
    st.sampled_from(["9999-12-31T23:59:59+00:00", "0001-01-01T00:00:00-05:00", "2099-01-01T00:00:00+00:00",
                     "2026-11-01T10:00:00+00:00", "nan", "<script>alert(1)</script>", '["a", 1, null, ["x"]]',
                     "javascript:alert(1)", " https://x.example.nl/\x01", "[" * 5000]),
)  # fmt: skip
NULLABLE = st.one_of(st.none(), ANY)
ENTRY = st.fixed_dictionaries({
    "feed_key": st.one_of(st.just(FEED_URL), st.just("http://blog.example.nl/feed.xml"), ANY),
    "entry_id": ANY, "link": ANY, "content_hash": ANY, "title": ANY, "summary_html": ANY, "published": ANY,
    "updated": NULLABLE, "categories": ANY, "author": ANY, "first_seen": ANY, "last_seen": ANY,
})  # fmt: skip
FEED = st.fixed_dictionaries({
    "key": st.one_of(st.just(FEED_URL), ANY), "url": ANY, "title": ANY, "site_url": ANY, "self_url": ANY,
    "etag": NULLABLE, "last_modified": NULLABLE, "next_fetch": ANY, "gone": ANY, "last_status": ANY,
    "last_error": ANY, "last_checked": NULLABLE, "last_success": NULLABLE,
})  # fmt: skip


def write_rows(path: str, feeds: list[dict], entries: list[dict], aliases: list[tuple]) -> None:
    import sqlite3

    from kring.feeds import store

    store.connect(path).close()
    conn = sqlite3.connect(path)
    for table, records in (("feeds", feeds), ("entries", entries)):
        for record in records:
            names = ", ".join(record)
            conn.execute(f"INSERT OR IGNORE INTO {table} ({names}) VALUES ({', '.join('?' * len(record))})",
                         list(record.values()))  # fmt: skip
    conn.executemany("INSERT OR IGNORE INTO aliases VALUES (?, ?)", aliases)
    conn.commit()
    conn.close()


@hyp_settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck))
@given(feeds=st.lists(FEED, min_size=1, max_size=4), entries=st.lists(ENTRY, min_size=1, max_size=8),
       aliases=st.lists(st.tuples(ANY, st.one_of(st.just(FEED_URL), ANY)), max_size=3))  # fmt: skip
def test_any_value_in_any_stored_field_still_builds_valid_pages_and_xml(make_site, tmp_path, feeds, entries, aliases):
    archive = tmp_path / "var" / "community.sqlite"
    for suffix in ("", "-wal", "-shm"):
        archive.with_name(archive.name + suffix).unlink(missing_ok=True)
    archive.parent.mkdir(exist_ok=True)
    feeds = [{**feeds[0], "key": FEED_URL}] + feeds[1:]  # Anna's feed exists, whatever else it holds
    write_rows(str(archive), feeds, entries, aliases)
    site = build_with_feeds(make_site, [FEED_URL, "https://other.example.nl/rss"])
    atom_feed = valid_xml(site, "/community/feed.atom.xml")
    valid_xml(site, "/community/sources.opml")
    assert atom_feed.tag == "{http://www.w3.org/2005/Atom}feed"
    for entry_date in atom_feed.iter("{http://www.w3.org/2005/Atom}published"):
        assert 1900 <= int(entry_date.text[:4]) <= NOW_YEAR
    for page in ("/community/", "/members/anna/", "/groups/itil/", "/community/status/"):
        soup = site.soup(page)
        assert not [s for s in soup.find_all("script") if "alert" in s.get_text()], page
        links = [v for tag in soup.find_all(True) for k, v in tag.attrs.items() if k in ("href", "src")]
        assert not [v for v in links if "".join(str(v).split()).lower().startswith("javascript:")], page
        for when in soup.select("main time[datetime]"):
            assert 1900 <= int(when["datetime"][:4]) <= NOW_YEAR, page
