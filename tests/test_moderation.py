"""content/moderation.md on real builds: every rule, every output a hidden post must leave, bad rules, the brakes."""

from __future__ import annotations

import gzip
from xml.sax.saxutils import escape
import sqlite3
from datetime import datetime, timezone

import feedparser
import pytest
from werkzeug import Response

from feeds_helpers import LOCAL_SERVER
from sitekit import article, group, member, write_files
from kring.feeds import store
from kring_core.errors import BuildStopped

FAST = {"KRING_SEARCH_INDEX": False, "DEFAULT_LANG": "en"}


def atom(entries: list[dict], title: str = "Blog") -> str:
    """An Atom feed whose entries may carry categories and a full content beside the summary."""
    items = []
    for e in entries:
        cats = "".join(f'<category term="{c}"/>' for c in e.get("categories", []))
        content = f'<content type="html">{escape(e["content"])}</content>' if e.get("content") else ""
        items.append(
            f"<entry><title>{e['title']}</title><id>{e.get('id', e['link'])}</id>"
            f"<link rel=\"alternate\" href=\"{e['link']}\"/><updated>{e.get('updated', '2026-11-01T10:00:00Z')}</updated>"
            f"{cats}<summary type=\"html\">{escape(e.get('summary', 'Tekst.'))}</summary>{content}</entry>"
        )
    return ('<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
            f"<title>{title}</title><id>tag:t,2026:{title}</id><updated>2026-11-01T10:00:00Z</updated>"
            + "".join(items) + "</feed>")


SPAM = {"id": "s1", "link": "https://anna.example.nl/casino-bonus", "title": "Gratis spins",
        "summary": "Het woord xylofoonspam staat alleen hier.", "categories": ["ITIL"], "updated": "2026-11-20T10:00:00Z"}
GOOD = {"id": "g1", "link": "https://anna.example.nl/kanban", "title": "Kanban op de tweede lijn",
        "summary": "Over WIP-limieten.", "updated": "2026-11-10T10:00:00Z"}


@pytest.fixture
def files():
    return dict([
        group("itil", "Servicemanagement", Moderators="anna"),
        member("anna", "Anna de Vries", Groups="itil", Expertise="ITIL", Feeds="feeds/anna.xml"),
        member("bram", "Bram Mulder", Groups="itil", Feeds="feeds/bram.xml"),
        article("samen", "Samen sterk", Authors="bram", Groups="itil", Tags="ITIL"),
    ]) | {
        "feeds/anna.xml": atom([SPAM, GOOD], "Anna's blog"),
        "feeds/bram.xml": atom([{"id": "b1", "link": "https://bram.example.nl/p", "title": "Projecten",
                                 "updated": "2026-11-05T10:00:00Z"}], "Bram's blog"),
    }


def moderation(*lines: str) -> dict:
    return {"moderation.md": "Title: Moderatie\n" + "\n".join(lines) + "\n\nWhy: uitleg voor de redactie.\n"}


def titles(site, url: str) -> list[str]:
    return [h.get_text(strip=True) for h in site.soup(url).select(".post .card__title")]


def outputs_with(site, word: str, *, skip=("community/status/index.html",)) -> list[str]:
    """Every output file whose bytes (or, for Pagefind, whose decompressed index) contain ``word``."""
    found = []
    for path in site.all_files():
        rel = path.relative_to(site.output).as_posix()
        if rel in skip:
            continue
        data = path.read_bytes()
        if path.suffix in (".pf_fragment", ".pf_index", ".pf_meta", ".pf_filter"):
            data = gzip.decompress(data)
        if word.encode() in data.lower():
            found.append(rel)
    return found


def test_a_hidden_post_is_in_no_output_at_all_the_search_index_included(make_site, files):
    shown = make_site(files, DEFAULT_LANG="en")
    # Without the rule the word is everywhere a post goes: the test can fail.
    everywhere = outputs_with(shown, "xylofoonspam")
    assert {"community/index.html", "community/feed.atom.xml", "members/anna/index.html", "groups/itil/index.html",
            "index.html"} <= set(everywhere)
    assert any(p.startswith("pagefind/") for p in everywhere), "the profile with the post is indexed"
    assert "1 post" in shown.soup("/experts/itil/").get_text()

    hidden = make_site(files | moderation("Hide: https://anna.example.nl/casino-bonus"), DEFAULT_LANG="en")
    assert outputs_with(hidden, "xylofoonspam") == []
    assert outputs_with(hidden, "gratis spins") == []
    assert titles(hidden, "/community/") == ["Kanban op de tweede lijn", "Projecten"]
    assert titles(hidden, "/members/anna/") == ["Kanban op de tweede lijn"]
    assert "1 post" not in hidden.soup("/experts/itil/").get_text()  # the experts' evidence
    assert [e.title for e in feedparser.parse(hidden.text("/community/feed.atom.xml")).entries] == [
        "Kanban op de tweede lijn", "Projecten"]
    status = hidden.soup("/community/status/")
    row = next(r for r in status.select(".feed-status__moderation tbody tr") if "Hide" in r.th.get_text())
    assert row.select("td")[0].get_text() == "1" and "casino-bonus" in row.get_text()
    assert hidden.exists("/pagefind/pagefind.js")


def test_hide_by_id_and_the_rule_going_away_brings_the_post_back(make_site, files, tmp_path):
    site = make_site(files | moderation("Hide: s1"), **FAST)
    assert "Gratis spins" not in titles(site, "/community/")
    (tmp_path / "content" / "moderation.md").unlink()
    site = make_site(files, **FAST)  # the same archive: the post was never deleted
    assert "Gratis spins" in titles(site, "/community/")


@pytest.mark.parametrize("rule", ['Block: casino, "GRATIS   SPINS"', "Block: gratís spins", "Block: crypto, Spins"])
def test_block_hides_whole_words_and_phrases_case_and_accent_insensitive(make_site, files, rule):
    site = make_site(files | moderation(rule), **FAST)
    assert titles(site, "/community/") == ["Kanban op de tweede lijn", "Projecten"]


def test_block_matches_whole_words_only_and_reads_text_and_categories(make_site, files):
    site = make_site(files | moderation("Block: spin, kan, limiet"), **FAST)  # parts of words only
    assert len(titles(site, "/community/")) == 3
    site = make_site(files | moderation("Block: wip-limieten"), **FAST)  # in the text
    assert "Kanban op de tweede lijn" not in titles(site, "/community/")
    site = make_site(files | moderation("Block: itil"), **FAST)  # a category
    assert "Gratis spins" not in titles(site, "/community/")


def test_keep_only_keeps_the_posts_of_one_feed_that_match(make_site, files):
    site = make_site(files | moderation("Keep-Only: feeds/anna.xml = kanban|scrum"), **FAST)
    assert titles(site, "/community/") == ["Kanban op de tweede lijn", "Projecten"]  # bram's feed is untouched
    row = next(r for r in site.soup("/community/status/").select(".feed-status__moderation tbody tr")
               if "Keep-Only" in r.th.get_text())
    assert row.select("td")[0].get_text() == "1"


def test_suspend_hides_a_feed_at_build_time(make_site, files):
    site = make_site(files | moderation("Suspend: feeds/anna.xml"), **FAST)
    assert titles(site, "/community/") == ["Projecten"]
    assert titles(site, "/members/anna/") == []


@pytest.mark.parametrize("lines, field, words", [
    (["Keep-Only: feeds/anna.xml = kanban(|scrum"], "Keep-Only", "not a valid regular expression"),
    (["Keep-Only: feeds/anne.xml = kanban"], "Keep-Only", "Did you mean 'feeds/anna.xml'?"),
    (["Keep-Only: feeds/anna.xml = kanban|"], "Keep-Only", "would keep every post"),
    (["Keep-Only: feeds/anna.xml"], "Keep-Only", "is not 'feed = regular expression'"),
    (["Suspend: https://nergens.example/feed.xml"], "Suspend", "is not a feed any member or group lists"),
    (["Blok: casino"], "Blok", "Did you mean 'Block'?"),
    (['Block: "snel rijk'], "Block", "a quote is not closed"),
])
def test_a_bad_rule_stops_the_build_with_file_field_and_fix(make_site, files, lines, field, words):
    with pytest.raises(BuildStopped) as stop:
        make_site(files | moderation(*lines), **FAST)
    message = str(stop.value)
    assert f"moderation.md: {field}:" in message and words in message
    assert "Traceback" not in message


def test_the_same_post_through_two_feeds_is_shown_once_crediting_both(make_site, files):
    copy = dict(GOOD, id="other-id", title="Kanban op de tweede lijn (ook bij de groep)")
    same_day = {"id": "x", "link": "https://itil.example.nl/verslag-kanban", "title": "kanban OP de tweede  lijn",
                "updated": "2026-11-10T18:00:00Z"}
    files = files | dict([group("itil", "Servicemanagement", Moderators="anna", Feeds="feeds/itil.xml")])
    files["feeds/itil.xml"] = atom([copy], "Groep")
    site = make_site(files, **FAST)
    assert titles(site, "/community/").count("Kanban op de tweede lijn") + titles(site, "/community/").count(
        "Kanban op de tweede lijn (ook bij de groep)") == 1
    card = site.soup("/community/").select(".post")[1]
    assert "Anna de Vries" in card.get_text() and "Servicemanagement" in card.get_text()
    files = files | dict([group("itil", "Servicemanagement", Moderators="anna", Feeds="feeds/itil-2.xml")])
    files["feeds/itil-2.xml"] = atom([same_day], "Groep")
    site = make_site(files, **FAST)
    assert len(titles(site, "/community/")) == 3  # same title on the same day, different link: once


def test_a_post_dated_in_the_future_is_shown_when_it_was_first_fetched(make_site, files):
    files["feeds/bram.xml"] = atom([{"id": "f", "link": "https://bram.example.nl/f", "title": "Uit de toekomst",
                                     "updated": "2031-01-01T10:00:00Z"}])
    before = datetime.now(timezone.utc)
    site = make_site(files, **FAST)
    card = next(c for c in site.soup("/community/").select(".post") if "Uit de toekomst" in c.get_text())
    shown = datetime.fromisoformat(card.select_one("time")["datetime"])
    assert before.replace(microsecond=0) <= shown <= datetime.now(timezone.utc)
    assert titles(site, "/community/")[0] == "Uit de toekomst"  # newest, not buried in 2031


def test_a_new_feeds_first_fetch_shows_at_most_the_newest_posts(make_site, files, tmp_path):
    many = [{"id": f"m{i}", "link": f"https://bram.example.nl/{i}", "title": f"Oud bericht {i:02d}",
             "updated": f"2020-01-{i + 1:02d}T10:00:00Z"} for i in range(15)]
    files["feeds/bram.xml"] = atom(many)
    site = make_site(files, **FAST)
    bram = titles(site, "/members/bram/")
    assert len([t for t in site.soup("/community/").select(".post") if "Oud bericht" in t.get_text()]) == 10
    assert bram[0] == "Oud bericht 14"
    site = make_site(files, KRING_FEED_FIRST_POSTS=3, **FAST)
    assert [t for t in titles(site, "/community/") if t.startswith("Oud")] == ["Oud bericht 14", "Oud bericht 13", "Oud bericht 12"]
    # A later fetch of the same feed shows its new post in full, beside the first three.
    write_files(tmp_path / "content", {"feeds/bram.xml": atom([{"id": "new", "link": "https://bram.example.nl/n",
                                                                 "title": "Nieuw", "updated": "2020-02-01T10:00:00Z"}] + many)})
    site = make_site({}, KRING_FEED_FIRST_POSTS=3, **FAST)
    assert [t for t in titles(site, "/community/") if t.startswith(("Oud", "Nieuw"))][:4] == [
        "Nieuw", "Oud bericht 14", "Oud bericht 13", "Oud bericht 12"]
    status = site.soup("/community/status/").get_text()
    assert "First fetch of a new feed" in status and "feeds/bram.xml" in status


def test_fetch_skips_a_suspended_feed_and_keeps_its_posts(httpserver, tmp_path):
    """`make fetch` never requests a suspended feed; resuming fetches it again."""
    from kring.build import load_settings
    from kring.feeds.cli import fetch
    from sitekit import DEV_SETTINGS

    httpserver.expect_request("/a.xml").respond_with_response(Response(atom([GOOD]), content_type="application/atom+xml"))
    httpserver.expect_request("/b.xml").respond_with_response(Response(atom([SPAM]), content_type="application/atom+xml"))
    a, b = httpserver.url_for("/a.xml"), httpserver.url_for("/b.xml")
    content = tmp_path / "content"
    write_files(content, dict([member("anna", "Anna de Vries", Feeds=f"{a}, {b}")]))
    archive = tmp_path / "archive.sqlite"
    settings = load_settings(DEV_SETTINGS, {"PATH": str(content), "KRING_FEED_ARCHIVE": str(archive),
                                            "OUTPUT_PATH": str(tmp_path / "out"), "KRING_FEED_ALLOW_HOSTS": LOCAL_SERVER})
    reports = fetch(settings, progress=False)
    assert sorted((r.key, r.status) for r in reports) == sorted([(a, "fetched"), (b, "fetched")])
    write_files(content, moderation(f"Suspend: {b}"))
    httpserver.clear_log()
    reports = fetch(settings, force=True, progress=False)
    assert [r.key for r in reports] == [a]
    assert [req.path for req, _ in httpserver.log] == ["/a.xml"]
    conn = sqlite3.connect(archive)
    assert conn.execute("SELECT COUNT(*) FROM entries WHERE feed_key = ?", (b,)).fetchone()[0] == 1  # kept
    conn.close()
    (content / "moderation.md").unlink()
    httpserver.clear_log()
    fetch(settings, force=True, progress=False)
    assert sorted(req.path for req, _ in httpserver.log) == ["/a.xml", "/b.xml"]


def test_an_archive_of_schema_1_is_migrated_and_learns_the_links_of_its_posts(make_site, files, tmp_path):
    """An archive from before links were kept: the next build reads the feeds again and finds the responses."""
    files["feeds/anna.xml"] = atom([dict(GOOD, content='<a href="https://kring.example.nl/articles/samen/">x</a>')])
    make_site(files, **FAST)
    archive = tmp_path / "var" / "community.sqlite"
    conn = sqlite3.connect(archive)
    conn.execute("ALTER TABLE entries DROP COLUMN links")
    conn.execute("PRAGMA user_version = 1")
    conn.close()
    site = make_site(files, KRING_SITE_ADDRESSES=["https://kring.example.nl"], **FAST)
    conn = sqlite3.connect(archive)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == store.SCHEMA_VERSION
    conn.close()
    assert [h.get_text() for h in site.soup("/articles/samen/").select(".response__title")] == ["Kanban op de tweede lijn"]
