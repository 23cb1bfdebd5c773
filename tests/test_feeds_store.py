"""The archive is a real SQLite file: dedupe, updates in place, nothing lost, survives SIGKILL."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from werkzeug import Response

from feeds_helpers import atom, conf_for, fetch_one, rows, source
from kring.feeds import bounds, store

ROOT = Path(__file__).resolve().parent.parent


def serve_versions(httpserver, *versions: bytes) -> None:
    for body in versions:
        httpserver.expect_ordered_request("/feed").respond_with_data(body)


def test_entries_are_matched_by_id_then_link_then_content_and_updated_in_place(httpserver, tmp_path):
    v1 = atom([
        {"id": "tag:a,1", "link": "https://b.example.nl/a", "title": "A"},
        {"link": "https://b.example.nl/b", "title": "B"},
        {"title": "C", "summary": "<p>Alleen tekst</p>"},
    ])  # fmt: skip
    v2 = atom([
        {"id": "tag:a,1", "link": "https://b.example.nl/a-moved", "title": "A, bijgewerkt"},
        {"link": "https://b.example.nl/b", "title": "B, bijgewerkt"},
        {"title": "C", "summary": "<p>Alleen tekst</p>"},
        {"id": "tag:d,1", "link": "https://b.example.nl/a", "title": "D deelt de link van A"},
    ])  # fmt: skip
    serve_versions(httpserver, v1, v2)
    conf = conf_for(tmp_path)
    url = httpserver.url_for("/feed")
    assert fetch_one(conf, url).new == 3
    ids_before = dict(rows(conf, "SELECT title, id FROM entries"))
    second = fetch_one(conf, url, force=True)
    assert (second.new, second.updated) == (1, 2)
    after = dict(rows(conf, "SELECT title, id FROM entries"))
    assert after == {
        "A, bijgewerkt": ids_before["A"],  # same row, by id, although the link changed
        "B, bijgewerkt": ids_before["B"],  # same row, by link
        "C": ids_before["C"],  # same row, by content
        "D deelt de link van A": after["D deelt de link van A"],  # its own id: a new post
    }
    assert rows(conf, "SELECT link FROM entries WHERE id = ?", ids_before["A"]) == [("https://b.example.nl/a-moved",)]


def test_entries_that_drop_out_of_the_feed_stay(httpserver, tmp_path):
    old = [{"id": f"tag:p,{n}", "title": f"Post {n}"} for n in range(5)]
    serve_versions(httpserver, atom(old), atom(old[3:]), b"<html>kapot</html>")
    conf = conf_for(tmp_path)
    url = httpserver.url_for("/feed")
    fetch_one(conf, url)
    fetch_one(conf, url, force=True)
    broken = fetch_one(conf, url, force=True)
    assert broken.status == "failed"
    assert rows(conf, "SELECT count(*) FROM entries") == [(5,)]


def test_a_deleted_archive_is_rebuilt_from_the_feeds(httpserver, tmp_path):
    httpserver.expect_request("/feed").respond_with_data(atom([{"id": "x", "title": "Blijft"}]), headers={"ETag": '"1"'})
    conf = conf_for(tmp_path)
    url = httpserver.url_for("/feed")
    fetch_one(conf, url)
    for suffix in ("", "-wal", "-shm"):
        Path(conf["KRING_FEED_ARCHIVE"] + suffix).unlink(missing_ok=True)
    report = fetch_one(conf, url)
    assert report.status == "fetched"
    assert "If-None-Match" not in httpserver.log[-1][0].headers  # nothing remembered, nothing claimed
    assert rows(conf, "SELECT title FROM entries") == [("Blijft",)]


def test_the_schema_has_a_version_and_a_newer_archive_is_refused(tmp_path):
    path = str(tmp_path / "a.sqlite")
    store.connect(path).close()
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == store.SCHEMA_VERSION
    conn.execute(f"PRAGMA user_version = {store.SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(store.ArchiveError, match="Update Kring"):
        store.connect(path)


KILLED_FETCH = """
import sys
sys.path.insert(0, {root!r})
import kring
from feeds_helpers import conf_for, source
from kring.feeds.update import run
from pathlib import Path
conf = conf_for(Path({tmp!r}), KRING_FEED_PER_HOST=1, KRING_FEED_CONCURRENCY=1)
run([source({base!r} + f"/feed/{{n}}", slug=f"m{{n}}") for n in range({count})], conf)
"""


@pytest.mark.slow
def test_a_fetch_killed_midway_leaves_an_archive_that_opens_and_a_next_run_that_completes(httpserver, tmp_path):
    count = 12
    delay = [0.15]  # slow while the fetch is to be killed midway; the next run needs no wait

    def slow_feed(request):
        time.sleep(delay[0])
        n = request.path.rsplit("/", 1)[1]
        return Response(atom([{"id": f"tag:{n},{i}", "title": f"Feed {n} post {i}"} for i in range(30)]))

    httpserver.expect_request(re_feed()).respond_with_handler(slow_feed)
    script = KILLED_FETCH.format(root=str(ROOT), tmp=str(tmp_path), base=httpserver.url_for("").rstrip("/"), count=count)
    env = {**os.environ, "PYTHONPATH": str(ROOT / "tests")}
    child = subprocess.Popen([sys.executable, "-c", script], env=env)
    conf = conf_for(tmp_path)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and child.poll() is None:
            if Path(conf["KRING_FEED_ARCHIVE"]).exists() and _stored_feeds(conf) >= 2:
                break
            time.sleep(0.05)
        assert child.poll() is None, "the fetch finished before it could be killed"
        child.send_signal(signal.SIGKILL)
        child.wait()
    finally:
        if child.poll() is None:
            child.kill()
    delay[0] = 0
    killed_at = _stored_feeds(conf)
    assert 2 <= killed_at < count
    assert rows(conf, "PRAGMA integrity_check") == [("ok",)]
    # Every feed the killed run finished is complete: all 30 posts or none.
    assert {n for (n,) in rows(conf, "SELECT count(*) FROM entries GROUP BY feed_key")} == {30}
    from kring.feeds.update import run

    reports = run([source(httpserver.url_for(f"/feed/{n}"), slug=f"m{n}") for n in range(count)], conf)
    assert {r.status for r in reports} <= {"fetched", "skipped"}
    assert rows(conf, "SELECT count(*) FROM entries") == [(30 * count,)]


def re_feed():
    import re

    return re.compile(r"^/feed/\d+$")


def _stored_feeds(conf) -> int:
    try:
        return rows(conf, "SELECT count(DISTINCT feed_key) FROM entries")[0][0]
    except sqlite3.OperationalError:
        return 0


# The archive as each earlier Kring wrote it. Two lines of development both called theirs "version 2":
# one added the aliases table (moved feeds), the other entries.links (responses to articles).
OLD_TABLES = """
CREATE TABLE feeds (key TEXT PRIMARY KEY, url TEXT NOT NULL, title TEXT NOT NULL DEFAULT '',
    site_url TEXT NOT NULL DEFAULT '', self_url TEXT NOT NULL DEFAULT '', etag TEXT, last_modified TEXT,
    next_fetch REAL NOT NULL DEFAULT 0, gone INTEGER NOT NULL DEFAULT 0, last_status TEXT NOT NULL DEFAULT '',
    last_error TEXT NOT NULL DEFAULT '', last_checked REAL, last_success REAL);
CREATE TABLE entries (id INTEGER PRIMARY KEY, feed_key TEXT NOT NULL REFERENCES feeds(key),
    entry_id TEXT NOT NULL DEFAULT '', link TEXT NOT NULL DEFAULT '', content_hash TEXT NOT NULL,
    title TEXT NOT NULL DEFAULT '', summary_html TEXT NOT NULL DEFAULT '', published TEXT NOT NULL, updated TEXT,
    categories TEXT NOT NULL DEFAULT '[]', author TEXT NOT NULL DEFAULT '', first_seen TEXT NOT NULL,
    last_seen TEXT NOT NULL);
CREATE INDEX entries_by_id ON entries(feed_key, entry_id);
CREATE INDEX entries_by_link ON entries(feed_key, link);
CREATE INDEX entries_by_hash ON entries(feed_key, content_hash);
CREATE TABLE hosts (host TEXT PRIMARY KEY, retry_after REAL NOT NULL);
"""
WITH_ALIASES = "CREATE TABLE aliases (alias TEXT PRIMARY KEY, feed_key TEXT NOT NULL REFERENCES feeds(key));"
WITH_LINKS = "ALTER TABLE entries ADD COLUMN links TEXT NOT NULL DEFAULT '[]';"
OLD_SHAPES = {
    "v1": (1, OLD_TABLES),
    "v2 with aliases": (2, OLD_TABLES + WITH_ALIASES),
    "v2 with links": (2, OLD_TABLES + WITH_LINKS),
}
ARTICLE = "https://kring.example.nl/articles/samen/"


def old_archive(path: str, shape: str, key: str, moved_to: str) -> None:
    """An archive of `shape`: a feed that moved from `key` to `moved_to`, with two posts."""
    version, tables = OLD_SHAPES[shape]
    conn = sqlite3.connect(path)
    conn.executescript(tables)
    conn.execute(
        "INSERT INTO feeds (key, url, title, etag, last_modified, next_fetch, last_status, last_error)"
        " VALUES (?, ?, 'Blog', '\"v1\"', 'Mon, 02 Nov 2026 10:00:00 GMT', 9e9, 'fetched', ?)",
        (key, moved_to, "connection refused by 10.0.0.7:8080" if "aliases" not in shape else "timeout"),
    )
    for n in (1, 2):
        conn.execute(
            "INSERT INTO entries (feed_key, entry_id, link, content_hash, title, summary_html, published,"
            " first_seen, last_seen) VALUES (?, ?, ?, 'oud', ?, '<p>Tekst.</p>', ?, ?, ?)",
            (key, f"tag:blog,{n}", f"https://blog.example.nl/{n}", f"Post {n}", *[f"2026-11-0{n}T10:00:00+00:00"] * 3),
        )
    if "links" in shape:
        conn.execute("UPDATE entries SET links = ? WHERE entry_id = 'tag:blog,1'", (f'["{ARTICLE}"]',))
    if "aliases" in shape:
        conn.execute("INSERT INTO aliases VALUES (?, ?)", (moved_to, key))
    conn.execute(f"PRAGMA user_version = {version}")
    conn.commit()
    conn.close()


@pytest.mark.parametrize("shape", OLD_SHAPES)
def test_an_archive_of_every_earlier_shape_keeps_its_posts_aliases_and_links(httpserver, tmp_path, shape):
    old_url, new_url = httpserver.url_for("/old.xml"), httpserver.url_for("/new.xml")
    conf = conf_for(tmp_path)
    old_archive(conf["KRING_FEED_ARCHIVE"], shape, old_url, new_url)

    archive = store.read_archive(conf["KRING_FEED_ARCHIVE"])
    assert rows(conf, "PRAGMA user_version") == [(store.SCHEMA_VERSION,)]
    assert [(p.title, p.entry_id, p.feed_key) for p in archive.posts] == [
        ("Post 2", "tag:blog,2", old_url), ("Post 1", "tag:blog,1", old_url)]
    assert [p.links for p in archive.posts] == ([[], [ARTICLE]] if "links" in shape else [[], []])
    assert archive.aliases == {new_url: old_url}  # an archive without aliases learns them from where feeds moved
    assert archive.problem == ""
    # An archive that kept no links forgets its validators, so the next fetch reads every post's links;
    # one that kept no aliases kept raw errors (addresses, ports) for the public status page: forgotten.
    etag, error = rows(conf, "SELECT etag, last_error FROM feeds")[0]
    assert etag == ('"v1"' if "links" in shape else None)
    assert error == ("timeout" if "aliases" in shape else "")

    # The next fetch, from the moved address, finds the same feed and the same posts, and learns their links.
    posts = [{"id": f"tag:blog,{n}", "link": f"https://blog.example.nl/{n}", "title": f"Post {n}",
              "summary": f'<p>Zie <a href="{ARTICLE}">dit artikel</a>.</p>'} for n in (1, 2)]
    httpserver.expect_request("/new.xml").respond_with_data(atom(posts), content_type="application/atom+xml")
    report = fetch_one(conf, new_url, force=True)  # the Feeds line updated as the fetch summary advised
    assert (report.status, report.new) == ("fetched", 0)
    assert [r.path for r, _ in httpserver.log] == ["/new.xml"]
    archive = store.read_archive(conf["KRING_FEED_ARCHIVE"])
    assert [(p.title, p.feed_key, p.links) for p in archive.posts] == [
        ("Post 2", old_url, [ARTICLE]), ("Post 1", old_url, [ARTICLE])]
    assert archive.key_of(new_url) == old_url


def test_links_read_back_are_bounded_whatever_the_archive_holds(tmp_path):
    conf = conf_for(tmp_path)
    old_archive(conf["KRING_FEED_ARCHIVE"], "v2 with links", "https://blog.example.nl/feed", "https://blog.example.nl/feed")
    hostile = ["javascript:alert(1)", "https://ok.example.nl/a", "https://ok.example.nl/a", "https://x/" + "a" * 5000,
               "https://with space/", 42, None] + [f"https://farm.example/{n}" for n in range(500)]
    conn = sqlite3.connect(conf["KRING_FEED_ARCHIVE"])
    conn.execute("UPDATE entries SET links = ? WHERE entry_id = 'tag:blog,1'", (json.dumps(hostile),))
    conn.execute("UPDATE entries SET links = '{\"not\": \"a list\"' WHERE entry_id = 'tag:blog,2'")
    conn.commit()
    conn.close()
    links = {p.title: p.links for p in store.read_archive(conf["KRING_FEED_ARCHIVE"]).posts}
    assert links["Post 2"] == []
    assert links["Post 1"][0] == "https://ok.example.nl/a"
    assert len(links["Post 1"]) <= bounds.MAX_LINKS and len(set(links["Post 1"])) == len(links["Post 1"])
    assert all(u.startswith("https://") and " " not in u and len(u) <= bounds.URL_LENGTH for u in links["Post 1"])
