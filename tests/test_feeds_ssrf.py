"""Fetching never reaches inside the network (issue 16, class 7), against a real local server.

The server listens on localhost, so every test says what it allows; the guard
checks the resolved address of the feed's own URL and of every redirect.
"""

from __future__ import annotations

import socket

import pytest
from werkzeug import Response

from feeds_helpers import atom, build_with_feeds, site_conf, source
from kring.feeds import update

FEED = atom([{"id": "x", "link": "https://blog.example.nl/x", "title": "Geheime beheerpagina"}])


def redirect(httpserver, target: str) -> str:
    httpserver.expect_request("/feed").respond_with_response(Response(status=302, headers={"Location": target}))
    httpserver.expect_request("/admin").respond_with_data(FEED)
    return httpserver.url_for("/feed")


def admin_was_asked(httpserver) -> bool:
    return any(request.path == "/admin" for request, _ in httpserver.log)


INTERNAL_TARGETS = [
    "http://127.0.0.1:{port}/admin",
    "http://127.0.0.2:{port}/admin",
    "http://[::1]:{port}/admin",
    "http://[::ffff:127.0.0.1]:{port}/admin",
    "http://2130706433:{port}/admin",  # 127.0.0.1 written as one number
    "http://0.0.0.0:{port}/admin",
    "http://10.0.0.1/admin",
    "http://172.16.5.4/admin",
    "http://192.168.1.1/admin",
    "http://100.64.0.1/admin",  # CGNAT
    "http://169.254.169.254/latest/meta-data/",
    "http://[fd00:ec2::254]/latest/meta-data/",
    "http://[fe80::1]/admin",
    "http://224.0.0.1/admin",
]


@pytest.mark.parametrize("target", INTERNAL_TARGETS)
def test_a_redirect_inside_the_network_is_refused(httpserver, tmp_path, target):
    conf = site_conf(tmp_path, KRING_FEED_ALLOW_HOSTS=["localhost"])  # the feed's own host only, by name
    url = redirect(httpserver, target.format(port=httpserver.port))
    (report,) = update.run([source(url)], conf)
    assert report.status == "failed"
    assert report.public_reason == "refused: internal address"
    assert "refused" in report.reason and "KRING_FEED_ALLOW_HOSTS" in report.reason  # detail in the terminal
    assert not admin_was_asked(httpserver)


@pytest.mark.parametrize("allowed", [["localhost", "169.254.0.0/16", "fd00::/8"], ["localhost", "0.0.0.0/0", "::/0"]])
@pytest.mark.parametrize("target", ["http://169.254.169.254/latest/meta-data/", "http://[fd00:ec2::254]/"])
def test_metadata_addresses_need_to_be_listed_one_by_one(httpserver, tmp_path, allowed, target):
    conf = site_conf(tmp_path, KRING_FEED_ALLOW_HOSTS=allowed)
    (report,) = update.run([source(redirect(httpserver, target))], conf)
    assert report.public_reason == "refused: internal address" and "metadata" in report.reason


def test_a_metadata_address_listed_explicitly_is_tried(httpserver, tmp_path):
    conf = site_conf(tmp_path, KRING_FEED_ALLOW_HOSTS=["localhost", "169.254.169.254"], KRING_FEED_CONNECT_TIMEOUT=0.3,
                     KRING_FEED_TOTAL_TIMEOUT=1.0)  # fmt: skip
    (report,) = update.run([source(redirect(httpserver, "http://169.254.169.254/latest/"))], conf)
    assert report.status == "failed" and not report.public_reason.startswith("refused")  # tried (nobody there)


@pytest.mark.parametrize("allowed", [None, [], ["intranet.example.nl"], ["10.0.0.0/8"], "127.0.0.2, example.nl"])
@pytest.mark.parametrize("host", ["localhost", "127.0.0.1"])
def test_the_feeds_own_internal_address_is_refused_unless_allowed(httpserver, tmp_path, allowed, host):
    httpserver.expect_request("/feed").respond_with_data(FEED)
    conf = site_conf(tmp_path, KRING_FEED_ALLOW_HOSTS=allowed)
    url = httpserver.url_for("/feed").replace("localhost", host)
    (report,) = update.run([source(url)], conf)
    assert (report.status, report.public_reason) == ("failed", "refused: internal address")
    assert len(httpserver.log) == 0


@pytest.mark.parametrize("allowed, host", [
    (["127.0.0.1"], "127.0.0.1"), (["127.0.0.0/8"], "127.0.0.1"), (["LOCALHOST."], "localhost"),
    (["127.0.0.1"], "localhost"), ("localhost, 10.1.0.0/16", "localhost"),
])  # fmt: skip
def test_an_allowed_host_address_or_network_works(httpserver, tmp_path, allowed, host):
    httpserver.expect_request("/feed").respond_with_data(FEED)
    conf = site_conf(tmp_path, KRING_FEED_ALLOW_HOSTS=allowed)
    (report,) = update.run([source(httpserver.url_for("/feed").replace("localhost", host))], conf)
    assert (report.status, report.new) == ("fetched", 1)


def test_a_name_that_resolves_inside_is_refused_and_never_resolved_twice(httpserver, tmp_path, monkeypatch):
    """DNS rebinding: the guard connects to the address it checked, it never asks DNS again."""
    real = socket.getaddrinfo
    answers = {"rebind.example.nl": ["93.184.215.14", "127.0.0.1"], "inside.example.nl": ["127.0.0.1"]}

    def fake(host, port, *args, **kwargs):
        if host in answers:
            address = answers[host].pop(0) if len(answers[host]) > 1 else answers[host][0]
            return real(address, port, *args, **kwargs)
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", fake)
    httpserver.expect_request("/feed").respond_with_data(FEED)
    conf = site_conf(tmp_path, KRING_FEED_ALLOW_HOSTS=["localhost"], KRING_FEED_CONNECT_TIMEOUT=0.5,
                     KRING_FEED_TOTAL_TIMEOUT=1.5)  # fmt: skip
    inside, rebind = update.run([
        source(f"http://inside.example.nl:{httpserver.port}/feed", "anna"),
        source(f"http://rebind.example.nl:{httpserver.port}/feed", "bram"),
    ], conf)  # fmt: skip
    assert inside.public_reason == "refused: internal address"
    assert rebind.status == "failed" and rebind.public_reason in ("timeout", "connection failed")
    assert len(httpserver.log) == 0  # the second answer (127.0.0.1) was never used


def test_the_status_page_shows_a_reason_class_never_an_address_or_port(httpserver, tmp_path, make_site):
    conf = site_conf(tmp_path, KRING_FEED_ALLOW_HOSTS=["localhost"], KRING_FEED_CONNECT_TIMEOUT=0.5)
    refused = redirect(httpserver, f"http://127.0.0.1:{httpserver.port}/admin")
    httpserver.expect_request("/missing").respond_with_data(b"nee", status=404)
    missing = httpserver.url_for("/missing")
    closed = "http://localhost:9/feed"  # discard port: nobody listens
    update.run([source(refused, "anna"), source(missing, "anna"), source(closed, "anna")], conf)
    site = build_with_feeds(make_site, [refused, missing, closed])
    status = site.soup("/community/status/").select_one("table").get_text(" ")
    assert "refused: internal address" in status and "HTTP 404" in status and "connection failed" in status
    for detail in ("127.0.0.1", "[Errno", "Connect", "localhost:9 ", "KRING_FEED_ALLOW_HOSTS"):
        assert detail not in status, detail
    assert "127.0.0.1" not in site.text("/community/status/")
