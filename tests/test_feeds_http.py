"""Every HTTP behaviour of `fetch`, against a real local server (pytest-httpserver)."""

from __future__ import annotations

import email.utils
import gzip
import time
import tracemalloc

import pytest
from werkzeug import Response

import kring.feeds.update as update
from feeds_helpers import atom, conf_for, fetch_one, rows

FEED = atom([{"id": "tag:a,2026:1", "link": "https://blog.example.nl/1", "title": "Eerste post"}])


def test_first_fetch_stores_validators_exactly_and_names_the_site(httpserver, tmp_path):
    httpserver.expect_request("/feed").respond_with_data(
        FEED, content_type="application/atom+xml",
        headers={"ETag": 'W/"67ab-v1 x"', "Last-Modified": "Tue, 03 Nov 2026 10:00:00 GMT"},
    )
    conf = conf_for(tmp_path)
    report = fetch_one(conf, httpserver.url_for("/feed"))
    assert (report.status, report.new) == ("fetched", 1)
    assert rows(conf, "SELECT etag, last_modified FROM feeds") == [
        ('W/"67ab-v1 x"', "Tue, 03 Nov 2026 10:00:00 GMT")
    ]
    request = httpserver.log[0][0]
    assert "Testkring" in request.headers["User-Agent"] and "kring.example.nl" in request.headers["User-Agent"]
    assert "gzip" in request.headers["Accept-Encoding"]


def test_304_sends_the_validators_back_and_costs_no_parsing(httpserver, tmp_path, monkeypatch):
    validators = {"ETag": '"abc"', "Last-Modified": "Tue, 03 Nov 2026 10:00:00 GMT"}
    httpserver.expect_ordered_request("/feed").respond_with_data(FEED, headers=validators)
    httpserver.expect_ordered_request(
        "/feed", headers={"If-None-Match": '"abc"', "If-Modified-Since": "Tue, 03 Nov 2026 10:00:00 GMT"}
    ).respond_with_data(b"", status=304)
    conf = conf_for(tmp_path)
    fetch_one(conf, httpserver.url_for("/feed"))

    def no_parsing(*_a, **_k):
        raise AssertionError("a 304 must not be parsed")

    monkeypatch.setattr(update, "parse", no_parsing)
    report = fetch_one(conf, httpserver.url_for("/feed"), force=True)
    assert report.status == "not_modified"
    assert len(httpserver.log) == 2
    assert rows(conf, "SELECT etag FROM feeds") == [('"abc"',)]
    assert rows(conf, "SELECT count(*) FROM entries") == [(1,)]


def test_min_interval_means_a_second_run_asks_nobody(httpserver, tmp_path):
    httpserver.expect_request("/feed").respond_with_data(FEED, headers={"ETag": '"x"'})
    conf = conf_for(tmp_path, KRING_FEED_MIN_INTERVAL=3600)
    fetch_one(conf, httpserver.url_for("/feed"))
    report = fetch_one(conf, httpserver.url_for("/feed"))
    assert report.status == "skipped" and "fresh until" in report.reason
    assert len(httpserver.log) == 1


@pytest.mark.parametrize("header", ["cache", "expires"])
def test_cache_control_and_expires_stretch_the_interval(httpserver, tmp_path, header):
    in_two_days = email.utils.formatdate(time.time() + 2 * 86400, usegmt=True)
    headers = {"Cache-Control": "public, max-age=172800"} if header == "cache" else {"Expires": in_two_days}
    httpserver.expect_request("/feed").respond_with_data(FEED, headers=headers)
    conf = conf_for(tmp_path, KRING_FEED_MIN_INTERVAL=60)
    fetch_one(conf, httpserver.url_for("/feed"))
    (next_fetch,) = rows(conf, "SELECT next_fetch FROM feeds")[0]
    assert next_fetch > time.time() + 86400  # the server's two days, not our minute
    assert fetch_one(conf, httpserver.url_for("/feed")).status == "skipped"


def test_force_skips_the_interval_but_stays_conditional(httpserver, tmp_path):
    httpserver.expect_ordered_request("/feed").respond_with_data(FEED, headers={"ETag": '"e1"'})
    httpserver.expect_ordered_request("/feed", headers={"If-None-Match": '"e1"'}).respond_with_data(b"", status=304)
    conf = conf_for(tmp_path, KRING_FEED_MIN_INTERVAL=3600)
    fetch_one(conf, httpserver.url_for("/feed"))
    assert fetch_one(conf, httpserver.url_for("/feed"), force=True).status == "not_modified"
    assert len(httpserver.log) == 2


@pytest.mark.parametrize("code", [429, 503])
@pytest.mark.parametrize("style", ["seconds", "http-date"])
def test_retry_after_backs_off_the_whole_host(httpserver, tmp_path, code, style):
    value = "120" if style == "seconds" else email.utils.formatdate(time.time() + 120, usegmt=True)
    httpserver.expect_request("/a").respond_with_data(b"busy", status=code, headers={"Retry-After": value})
    httpserver.expect_request("/b").respond_with_data(FEED)
    conf = conf_for(tmp_path)
    report = fetch_one(conf, httpserver.url_for("/a"))
    assert report.status == "backoff" and str(code) in report.reason
    # Next run, even forced: neither that feed nor another one on the host is asked.
    later = update.run(
        [fetch_source(httpserver, "/a"), fetch_source(httpserver, "/b")], conf, force=True
    )
    assert [r.status for r in later] == ["backoff", "backoff"]
    assert len(httpserver.log) == 1


def fetch_source(httpserver, path):
    from feeds_helpers import source

    return source(httpserver.url_for(path), slug=path.strip("/"))


@pytest.mark.parametrize("code", [301, 308])
def test_permanent_redirect_updates_the_stored_url_and_says_so(httpserver, tmp_path, code):
    httpserver.expect_request("/old").respond_with_response(
        Response(status=code, headers={"Location": httpserver.url_for("/new")})
    )
    httpserver.expect_request("/new").respond_with_data(FEED)
    conf = conf_for(tmp_path)
    report = fetch_one(conf, httpserver.url_for("/old"))
    assert report.status == "fetched" and "moved permanently" in report.reason
    assert rows(conf, "SELECT url FROM feeds") == [(httpserver.url_for("/new"),)]
    fetch_one(conf, httpserver.url_for("/old"), force=True)
    assert [req.path for req, _ in httpserver.log] == ["/old", "/new", "/new"]


def test_temporary_redirect_keeps_the_url(httpserver, tmp_path):
    httpserver.expect_request("/old").respond_with_response(
        Response(status=302, headers={"Location": httpserver.url_for("/new")})
    )
    httpserver.expect_request("/new").respond_with_data(FEED)
    conf = conf_for(tmp_path)
    assert fetch_one(conf, httpserver.url_for("/old")).status == "fetched"
    assert rows(conf, "SELECT url FROM feeds") == [(httpserver.url_for("/old"),)]


def test_410_stops_polling_and_is_reported(httpserver, tmp_path):
    httpserver.expect_request("/feed").respond_with_data(b"", status=410)
    conf = conf_for(tmp_path)
    assert fetch_one(conf, httpserver.url_for("/feed")).status == "gone"
    report = fetch_one(conf, httpserver.url_for("/feed"), force=True)
    assert report.status == "gone" and "410" in report.reason
    assert len(httpserver.log) == 1
    assert "410" in update.summary([report])


def test_500_is_retried_on_the_next_run(httpserver, tmp_path):
    httpserver.expect_ordered_request("/feed").respond_with_data(b"oops", status=500)
    httpserver.expect_ordered_request("/feed").respond_with_data(FEED)
    conf = conf_for(tmp_path, KRING_FEED_MIN_INTERVAL=3600)
    first = fetch_one(conf, httpserver.url_for("/feed"))
    assert first.status == "failed" and "500" in first.reason
    assert fetch_one(conf, httpserver.url_for("/feed")).status == "fetched"  # no --force needed


def test_a_silent_server_times_out_and_the_others_still_arrive(httpserver, tmp_path):
    def slow(_request):
        time.sleep(1.2)  # longer than every timeout below
        return Response(FEED)

    httpserver.expect_request("/slow").respond_with_handler(slow)
    conf = conf_for(tmp_path, KRING_FEED_READ_TIMEOUT=0.3, KRING_FEED_TOTAL_TIMEOUT=1.0)
    report = fetch_one(conf, httpserver.url_for("/slow"))
    assert report.status == "failed" and "time" in report.reason
    assert rows(conf, "SELECT count(*) FROM entries") == [(0,)]


def test_a_body_over_the_cap_is_refused(httpserver, tmp_path):
    big = atom([{"id": f"i{n}", "summary": "x" * 1000} for n in range(50)])
    httpserver.expect_request("/feed").respond_with_data(big)
    conf = conf_for(tmp_path, KRING_FEED_MAX_BYTES=20_000)
    report = fetch_one(conf, httpserver.url_for("/feed"))
    assert report.status == "failed" and "cap" in report.reason
    assert rows(conf, "SELECT count(*) FROM entries") == [(0,)]


def test_gzip_bodies_are_inflated(httpserver, tmp_path):
    httpserver.expect_request("/feed").respond_with_data(gzip.compress(FEED), headers={"Content-Encoding": "gzip"})
    conf = conf_for(tmp_path)
    assert fetch_one(conf, httpserver.url_for("/feed")).new == 1
    assert rows(conf, "SELECT title FROM entries") == [("Eerste post",)]


def test_a_gzip_bomb_stops_at_the_cap_without_filling_memory(httpserver, tmp_path):
    bomb = gzip.compress(b"<" + b" " * 100_000_000, compresslevel=9)  # 100 MB inflated, ~100 kB sent
    httpserver.expect_request("/feed").respond_with_data(bomb, headers={"Content-Encoding": "gzip"})
    conf = conf_for(tmp_path, KRING_FEED_MAX_BYTES=1_000_000)
    tracemalloc.start()
    try:
        report = fetch_one(conf, httpserver.url_for("/feed"))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert report.status == "failed" and "cap" in report.reason
    assert peak < 30_000_000


def test_json_feed_over_http(httpserver, tmp_path):
    doc = b"""{"version": "https://jsonfeed.org/version/1.1", "title": "JSON blog",
      "items": [{"id": "1", "url": "https://j.example.nl/1", "title": "Hallo",
                 "content_html": "<p>Hi <script>alert(1)</script></p>", "date_published": "2026-11-02T10:00:00+01:00",
                 "tags": ["ITIL"]}]}"""
    httpserver.expect_request("/feed.json").respond_with_data(doc, content_type="application/feed+json")
    conf = conf_for(tmp_path)
    assert fetch_one(conf, httpserver.url_for("/feed.json")).new == 1
    assert rows(conf, "SELECT title, summary_html, categories, published FROM entries") == [
        ("Hallo", "<p>Hi </p>", '["ITIL"]', "2026-11-02T09:00:00+00:00")
    ]
