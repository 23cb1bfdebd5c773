"""The archive is a real SQLite file: dedupe, updates in place, nothing lost, survives SIGKILL."""

from __future__ import annotations

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
from kring.feeds import store

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

    def slow_feed(request):
        time.sleep(0.15)
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
