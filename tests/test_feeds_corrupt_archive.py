"""A corrupt or truncated archive: a clear message, set aside, rebuilt from the feeds (issue 16, class 8)."""

from __future__ import annotations

import logging
import os
from pathlib import Path

import pytest

from feeds_helpers import atom, build_with_feeds, community_titles, rows, site_conf, source
from kring.feeds import update

POSTS = atom([{"id": f"p{n}", "link": f"https://b.example.nl/{n}", "title": f"Post {n}",
               "summary": "<p>" + "tekst " * 300 + "</p>"} for n in range(40)])  # fmt: skip


def damage(path: Path, how: str) -> None:
    data = path.read_bytes()
    if how == "truncated":
        path.write_bytes(data[: len(data) // 2])
    elif how == "truncated to its header":
        path.write_bytes(data[:100])
    elif how == "garbage":
        path.write_bytes(os.urandom(20_000))
    elif how == "text":
        path.write_text("this is not a database\n" * 100)
    elif how == "damaged pages":
        path.write_bytes(data[:4096] + b"\xff" * 4096 + data[8192:])


HOW = ["truncated", "truncated to its header", "garbage", "text", "damaged pages"]


def filled_archive(httpserver, tmp_path) -> tuple[dict, str]:
    httpserver.expect_request("/feed").respond_with_data(POSTS)
    conf = site_conf(tmp_path)
    url = httpserver.url_for("/feed")
    update.run([source(url)], conf)
    archive = Path(conf["KRING_FEED_ARCHIVE"])
    for suffix in ("-wal", "-shm"):  # as after a clean exit: everything in the main file
        Path(str(archive) + suffix).unlink(missing_ok=True)
    return conf, url


def set_aside(tmp_path) -> list[Path]:
    return sorted((tmp_path / "var").glob("community.sqlite.corrupt-*"))


@pytest.mark.parametrize("how", HOW)
def test_fetch_sets_a_corrupt_archive_aside_and_rebuilds_it_from_the_feeds(httpserver, tmp_path, how):
    conf, url = filled_archive(httpserver, tmp_path)
    damage(Path(conf["KRING_FEED_ARCHIVE"]), how)
    reports = update.run([source(url)], conf)
    assert reports[0].status == "fetched" and reports[0].new == 40  # rebuilt from the feed
    assert rows(conf, "SELECT count(*) FROM entries") == [(40,)]
    moved = set_aside(tmp_path)
    assert len(moved) == 1
    text = update.summary(reports)
    assert conf["KRING_FEED_ARCHIVE"] in text and moved[0].name in text and "Lost:" in text


@pytest.mark.parametrize("how", ["truncated", "garbage"])
def test_the_fetch_command_says_it_in_words_not_a_traceback(httpserver, tmp_path, capsys, how, monkeypatch):
    from kring.feeds import cli

    conf, url = filled_archive(httpserver, tmp_path)
    damage(Path(conf["KRING_FEED_ARCHIVE"]), how)
    monkeypatch.setattr(cli, "fetch", lambda settings, **kw: update.run([source(url)], conf, force=True))
    monkeypatch.setattr("kring.build.load_settings", lambda *_a, **_k: {})
    assert cli.main(["--quiet"]) == 0
    out = capsys.readouterr()
    assert "Traceback" not in out.out + out.err
    assert "is not a readable feed archive" in out.out and "make fetch" in out.out


@pytest.mark.parametrize("how", HOW)
def test_the_build_sets_it_aside_says_so_and_still_builds(httpserver, tmp_path, make_site, caplog, how):
    conf, url = filled_archive(httpserver, tmp_path)
    damage(Path(conf["KRING_FEED_ARCHIVE"]), how)
    feed_file = tmp_path / "content" / "feeds" / "anna.xml"
    feed_file.parent.mkdir(parents=True)
    feed_file.write_bytes(atom([{"id": "lokaal", "title": "Lokale post"}]))
    with caplog.at_level(logging.WARNING):
        site = build_with_feeds(make_site, [url, "feeds/anna.xml"])
    assert community_titles(site) == ["Lokale post"]  # local feeds come back at once, remote ones at the next fetch
    messages = " ".join(r.getMessage() for r in caplog.records)
    assert conf["KRING_FEED_ARCHIVE"] in messages and "make fetch" in messages
    assert len(set_aside(tmp_path)) == 1
    again = build_with_feeds(make_site, [url, "feeds/anna.xml"])  # and the next build is quiet and the same
    assert community_titles(again) == ["Lokale post"] and len(set_aside(tmp_path)) == 1


def test_a_build_without_local_feeds_also_sets_it_aside(httpserver, tmp_path, make_site, caplog):
    conf, url = filled_archive(httpserver, tmp_path)
    damage(Path(conf["KRING_FEED_ARCHIVE"]), "garbage")
    with caplog.at_level(logging.WARNING):
        site = build_with_feeds(make_site, [url])
    assert community_titles(site) == []
    assert len(set_aside(tmp_path)) == 1 and "is not a readable feed archive" in caplog.text
