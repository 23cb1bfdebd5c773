"""Nothing is lost when a feed moves (issue 16, class 5): real server, real archive, real build."""

from __future__ import annotations

import sqlite3
from urllib.parse import urljoin

import pytest
from werkzeug import Response

from feeds_helpers import atom, build_with_feeds, community_titles, rows, site_conf, source
from kring.feeds import store, update


def rss(items: list[tuple[str, str]], permalink: str | None = None) -> bytes:
    flag = f' isPermaLink="{permalink}"' if permalink else ""
    body = "".join(f"<item><title>{title}</title><guid{flag}>{guid}</guid><description>Tekst.</description>"
                   f"<pubDate>Tue, 0{n + 1} Nov 2026 10:00:00 GMT</pubDate></item>" for n, (guid, title) in enumerate(items))
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>Blog</title>{body}</channel></rss>'.encode()


def atom_ids(items: list[tuple[str, str]]) -> bytes:
    return atom([{"id": guid, "title": title, "updated": f"2026-11-0{n + 1}T10:00:00Z"} for n, (guid, title) in enumerate(items)])


FORMATS = {
    "rss plain guid": lambda items: rss(items),
    "rss guid not a permalink": lambda items: rss(items, "false"),
    "atom plain id": atom_ids,
}
OLD = [("post-1", "Eerste"), ("post-2", "Tweede")]
NEW = [("post-2", "Tweede"), ("post-3", "Derde")]  # the first post dropped out of the moved feed


def fetch(conf, url, force=True):
    return update.run([source(url)], conf, force=force)[0]


@pytest.mark.parametrize("code, fmt, new_host", [
    (301, "rss plain guid", "127.0.0.1"),
    (308, "rss guid not a permalink", "localhost"),
    (301, "atom plain id", "localhost"),
    (308, "atom plain id", "127.0.0.1"),
])  # fmt: skip
def test_a_moved_feed_keeps_its_history_once_the_feeds_line_follows(httpserver, tmp_path, make_site, code, fmt, new_host):
    conf = site_conf(tmp_path, KRING_FEED_ALLOW_HOSTS=["localhost", "127.0.0.1"])
    old_url = httpserver.url_for("/old.xml")
    new_url = httpserver.url_for("/blog/new.xml").replace("localhost", new_host)
    httpserver.expect_ordered_request("/old.xml").respond_with_data(FORMATS[fmt](OLD))
    httpserver.expect_ordered_request("/old.xml").respond_with_response(Response(status=code, headers={"Location": new_url}))
    httpserver.expect_ordered_request("/blog/new.xml").respond_with_data(FORMATS[fmt](NEW))
    httpserver.expect_ordered_request("/blog/new.xml").respond_with_data(FORMATS[fmt](NEW))

    assert fetch(conf, old_url).new == 2
    moved = fetch(conf, old_url)
    assert "moved permanently" in moved.reason and new_url in update.summary([moved])
    assert "moved permanently" in moved.public_reason and new_url not in moved.public_reason
    after = fetch(conf, new_url)  # the editor updated the Feeds line as the summary advised
    assert after.status == "fetched" and (after.new, after.updated) == (0, 0)

    site = build_with_feeds(make_site, [new_url])
    assert sorted(community_titles(site)) == ["Derde", "Eerste", "Tweede"]  # all of them, once each
    assert rows(conf, "SELECT count(*) FROM feeds") == [(1,)]
    opml = site.text("/community/sources.opml")
    assert new_url in opml and old_url not in opml


def test_http_to_https_by_hand_keeps_the_history(httpserver, tmp_path, make_site):
    """No redirect at all: the editor just writes https:// in the Feeds line."""
    httpserver.expect_request("/feed").respond_with_data(atom_ids(OLD))
    conf = site_conf(tmp_path)
    http_url = httpserver.url_for("/feed")
    fetch(conf, http_url)
    https_url = http_url.replace("http://", "https://")
    site = build_with_feeds(make_site, [https_url])
    assert sorted(community_titles(site)) == ["Eerste", "Tweede"]
    keys, aliases = store.identities(sqlite3.connect(conf["KRING_FEED_ARCHIVE"]))
    assert store.archive_key(https_url, keys, aliases) == http_url


def test_both_addresses_listed_fetch_the_feed_once(httpserver, tmp_path):
    httpserver.expect_ordered_request("/old").respond_with_data(atom_ids(OLD))
    httpserver.expect_ordered_request("/old").respond_with_response(
        Response(status=301, headers={"Location": httpserver.url_for("/new")})
    )
    httpserver.expect_request("/new").respond_with_data(atom_ids(NEW))
    conf = site_conf(tmp_path)
    old_url, new_url = httpserver.url_for("/old"), httpserver.url_for("/new")
    fetch(conf, old_url)
    fetch(conf, old_url)
    reports = update.run([source(old_url, "anna"), source(new_url, "bram")], conf, force=True)
    assert [r.status for r in reports].count("fetched") == 1
    assert "same feed" in [r for r in reports if r.status != "fetched"][0].reason
    assert rows(conf, "SELECT count(*) FROM entries") == [(3,)]


def test_an_archive_from_before_keeps_its_posts_when_ids_are_no_longer_resolved(httpserver, tmp_path):
    """Kring 1 stored plain ids resolved against the feed URL; the same posts must not come back twice."""
    httpserver.expect_request("/blog/feed.xml").respond_with_data(rss(OLD))
    conf = site_conf(tmp_path)
    url = httpserver.url_for("/blog/feed.xml")
    fetch(conf, url)
    conn = sqlite3.connect(conf["KRING_FEED_ARCHIVE"])
    for row_id, entry_id in conn.execute("SELECT id, entry_id FROM entries").fetchall():
        conn.execute("UPDATE entries SET entry_id = ? WHERE id = ?", (urljoin(url, entry_id), row_id))
    conn.execute("DROP TABLE aliases")
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()
    again = fetch(conf, url)
    assert (again.new, again.status) == (0, "fetched")
    assert rows(conf, "SELECT count(*) FROM entries") == [(2,)]
    assert rows(conf, "PRAGMA user_version") == [(store.SCHEMA_VERSION,)]


@pytest.mark.parametrize("rule, shown", [
    ("Suspend: {feed}", []),
    ("Keep-Only: {feed} = tweede", ["Tweede"]),
    ("Hide: {link}", ["Eerste"]),
])  # fmt: skip
def test_moderation_rules_name_a_moved_feed_by_its_feeds_line(httpserver, tmp_path, make_site, rule, shown):
    """The posts stay under the feed's first address; a rule written with the new one still reaches them."""
    from sitekit import group, member

    httpserver.expect_request("/feed").respond_with_data(
        atom([{"id": guid, "title": title, "link": f"https://blog.example.nl/{guid}", "updated": "2026-11-01T10:00:00Z"}
              for guid, title in OLD]))
    conf = site_conf(tmp_path)
    http_url = httpserver.url_for("/feed")
    fetch(conf, http_url)
    https_url = http_url.replace("http://", "https://")
    text = rule.format(feed=https_url, link="https://blog.example.nl/post-2")
    files = dict([
        group("itil", "Servicemanagement", Moderators="anna"),
        member("anna", "Anna de Vries", Groups="itil", Feeds=https_url),
    ])  # fmt: skip
    files["moderation.md"] = f"Title: Moderatie\n{text}\n\nWaarom: uitleg.\n"
    site = make_site(files)
    assert sorted(community_titles(site)) == shown
    assert rows(conf, "SELECT DISTINCT feed_key FROM entries") == [(http_url,)]  # stored once, under the first key
