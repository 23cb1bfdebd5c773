"""One slow feed never starves the others (issue 16, class 6)."""

from __future__ import annotations

import json
import time

import feedparser
import pytest
from werkzeug import Response

import kring.feeds.parse as parse_module
from feeds_helpers import atom, site_conf, source
from kring.feeds import update
from kring.feeds.models import Response as Fetched

HEAVY_SUMMARY = "".join(f'<p>Alinea <a href="/x{n}">link</a> <b>vet</b> <i>schuin</i> &amp; tekst</p>' for n in range(150))


def heavy_feed(entries: int) -> bytes:
    return atom([{"id": f"i{n}", "link": f"https://b.example.nl/{n}", "title": f"Post {n}", "summary": HEAVY_SUMMARY}
                 for n in range(entries)])  # fmt: skip


def test_feeds_slow_to_parse_do_not_make_a_healthy_feed_on_the_same_host_fail(httpserver, tmp_path):
    heavy = heavy_feed(400)  # megabytes of markup: seconds of parsing each

    def healthy(_request):
        time.sleep(0.5)  # still in flight while the heavy feeds are parsed
        return Response(atom([{"id": "ok", "title": "Gezond"}]))

    httpserver.expect_request("/heavy-1").respond_with_data(heavy)
    httpserver.expect_request("/heavy-2").respond_with_data(heavy)
    httpserver.expect_request("/healthy").respond_with_handler(healthy)
    conf = site_conf(tmp_path, KRING_FEED_TOTAL_TIMEOUT=3.0, KRING_FEED_READ_TIMEOUT=3.0, KRING_FEED_PARSE_TIMEOUT=2.0,
                     KRING_FEED_PER_HOST=2, KRING_FEED_MAX_BYTES=20_000_000)  # fmt: skip
    urls = [httpserver.url_for(p) for p in ("/heavy-1", "/heavy-2", "/healthy")]
    started = time.monotonic()
    first, second, ok = update.run([source(u, f"m{n}") for n, u in enumerate(urls)], conf)
    elapsed = time.monotonic() - started
    assert (ok.status, ok.new) == ("fetched", 1), ok.reason
    for slow in (first, second):  # each either made it in time or stopped at its own bound
        assert slow.status == "fetched" or slow.public_reason == "parsing took too long", slow.reason
    assert elapsed < 15


@pytest.mark.parametrize("kind", ["atom", "rss", "rdf", "json"])
def test_a_100000_entry_feed_costs_what_the_kept_entries_cost(kind, monkeypatch):
    def document(count: int) -> bytes:
        if kind == "atom":
            return atom([{"id": f"i{n}", "title": f"T{n}"} for n in range(count)])
        if kind == "json":
            items = [{"id": str(n), "title": f"T{n}", "content_text": "x"} for n in range(count)]
            return json.dumps({"version": "https://jsonfeed.org/version/1.1", "items": items}).encode()
        item = "<item{about}><title>T{n}</title><link>https://b.example.nl/{n}</link></item>"
        if kind == "rss":
            items = "".join(item.format(n=n, about="") for n in range(count))
            return f'<rss version="2.0"><channel><title>B</title>{items}</channel></rss>'.encode()
        items = "".join(item.format(n=n, about=f' rdf:about="https://b.example.nl/{n}"') for n in range(count))
        return ('<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/">'
                f'<channel rdf:about="https://b.example.nl/"><title>B</title></channel>{items}</rdf:RDF>').encode()

    seen = []
    real = feedparser.parse

    def counting(body, **kwargs):
        result = real(body, **kwargs)
        seen.append(len(result.entries))
        return result

    monkeypatch.setattr(parse_module.feedparser, "parse", counting)

    def timed(count: int):
        body = document(count)
        started = time.perf_counter()
        parsed = parse_module.parse(Fetched("fetched", body=body, url="https://b.example.nl/feed"), 400)
        return parsed, time.perf_counter() - started

    kept, kept_time = timed(parse_module.MAX_ENTRIES)
    huge, huge_time = timed(100_000)
    assert len(huge.entries) == parse_module.MAX_ENTRIES == len(kept.entries)
    assert [e.title for e in huge.entries] == [e.title for e in kept.entries]
    if kind != "json":
        assert seen == [parse_module.MAX_ENTRIES, parse_module.MAX_ENTRIES]  # feedparser never saw the rest
    assert huge_time < 10 * kept_time + 1.0  # cutting the document is linear and cheap


def test_a_100000_entry_feed_over_http_keeps_the_first_entries(httpserver, tmp_path):
    body = atom([{"id": f"i{n}", "title": f"T{n}"} for n in range(100_000)])
    httpserver.expect_request("/huge").respond_with_data(body)
    conf = site_conf(tmp_path, KRING_FEED_MAX_BYTES=len(body) + 1)
    (report,) = update.run([source(httpserver.url_for("/huge"))], conf)
    assert (report.status, report.new) == ("fetched", parse_module.MAX_ENTRIES)
