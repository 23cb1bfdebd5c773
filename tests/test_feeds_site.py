"""The built site's community pages, from an archive filled by the build's local-feed refresh."""

from __future__ import annotations

import feedparser
import pytest
from lxml import etree

from sitekit import group, member
from feeds_helpers import atom, unsafe_parts
from kring_core.errors import BuildStopped

HOSTILE = '<p>Lees <a href="/over">dit</a><script>alert(1)</script><img src="javascript:alert(2)"></p>'


@pytest.fixture
def community(small_site, tmp_path):
    files = dict(small_site)
    files.update(dict([
        member("anna", "Anna de Vries", Groups="itil, prince2", Feeds="feeds/anna.xml"),
        member("geheim", "Gerrit Geheim", Visibility="hidden", Groups="itil", Feeds="feeds/geheim.xml"),
        group("itil", "Servicemanagement", Moderators="anna", Feeds="feeds/itil.xml, https://itil.example.nl/feed.xml"),
    ]))  # fmt: skip
    feeds = {
        "feeds/anna.xml": atom([
            {"id": "a1", "link": "https://anna.example.nl/kanban", "title": "Kanban & zo", "summary": HOSTILE,
             "updated": "2026-11-20T10:00:00Z"},
            {"id": "a2", "link": "https://anna.example.nl/sla", "title": "Over SLA's", "updated": "2026-10-01T10:00:00Z"},
        ], title="Anna's blog"),
        "feeds/geheim.xml": atom([{"id": "g1", "link": "https://geheim.example.nl/x", "title": "Geheime post"}]),
        "feeds/itil.xml": atom([{"id": "i1", "link": "https://itil.example.nl/verslag", "title": "Verslag vragenuur",
                                 "updated": "2026-11-25T10:00:00Z"}], title="Groep ITIL"),
    }  # fmt: skip
    return files, feeds, tmp_path / "var" / "community.sqlite"


def build(make_site, tmp_path, files, feeds, archive, **settings):
    for rel, body in feeds.items():
        (tmp_path / "content" / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "content" / rel).write_bytes(body)
    return make_site(files, KRING_FEED_ARCHIVE=str(archive), **settings)


def titles(soup) -> list[str]:
    return [h.get_text(strip=True) for h in soup.select(".post .card__title")]


def test_the_stream_shows_public_posts_newest_first_with_their_member_or_group(make_site, tmp_path, community):
    site = build(make_site, tmp_path, *community)
    page = site.soup("/community/")
    assert titles(page) == ["Verslag vragenuur", "Kanban & zo", "Over SLA's"]  # no hidden member's post
    first, second = page.select(".post")[:2]
    assert first.select_one(".post__owner a")["href"].endswith("groups/itil/")
    assert second.select_one(".post__owner a")["href"].endswith("members/anna/")
    assert second.select_one(".card__title a")["href"] == "https://anna.example.nl/kanban"
    assert second.select_one(".card__title a")["rel"] == ["nofollow", "noopener", "ugc"]
    assert "Anna's blog" in second.get_text()
    assert unsafe_parts("".join(str(s) for s in page.select(".post__summary"))) == []
    assert "alert" not in str(page.select_one("main"))
    # A card shows the post's summary as a few lines of plain text; the post itself is one click on.
    assert second.select_one(".post__summary").get_text(strip=True) == "Lees dit"
    assert second.select_one(".post__more a")["href"] == "https://anna.example.nl/kanban"
    assert page.select_one("time")["datetime"].startswith("2026-11-25T11:00:00+01:00")  # site time zone


def test_profiles_groups_and_home_show_the_posts(make_site, tmp_path, community):
    site = build(make_site, tmp_path, *community)
    assert titles(site.soup("/members/anna/")) == ["Kanban & zo", "Over SLA's"]
    assert titles(site.soup("/groups/itil/")) == ["Verslag vragenuur", "Kanban & zo", "Over SLA's"]
    assert titles(site.soup("/groups/prince2/")) == ["Kanban & zo", "Over SLA's"]  # Anna is a member
    assert titles(site.soup("/"))[:1] == ["Verslag vragenuur"]
    nav = [a["href"] for a in site.soup("/").select("nav .nav a")]
    assert "./community/" in nav


def test_feed_opml_and_status_page(make_site, tmp_path, community):
    site = build(make_site, tmp_path, *community)
    feed = feedparser.parse(site.text("/community/feed.atom.xml"))
    assert not feed.bozo
    assert [e.title for e in feed.entries] == ["Verslag vragenuur", "Kanban & zo", "Over SLA's"]
    assert "<script" not in site.text("/community/feed.atom.xml").replace("&lt;script", "")
    opml = etree.fromstring(site.path("/community/sources.opml").read_bytes())
    # Remote feeds by their address; local files only when they state where they are published.
    assert [o.get("xmlUrl") for o in opml.iter("outline")] == ["https://itil.example.nl/feed.xml"]
    status = site.soup("/community/status/")
    assert status.select_one('meta[name="robots"]')["content"] == "noindex"
    assert "feeds/anna.xml" in status.get_text()


def test_the_stream_is_paginated_in_folders(make_site, tmp_path, community):
    site = build(make_site, tmp_path, *community, KRING_COMMUNITY_PER_PAGE=2)
    assert titles(site.soup("/community/")) == ["Verslag vragenuur", "Kanban & zo"]
    assert titles(site.soup("/community/page/2/")) == ["Over SLA's"]
    assert site.soup("/community/").select_one('a[rel="next"]')["href"].endswith("community/page/2/")


def test_a_missing_local_feed_file_stops_the_build_with_the_field(make_site, tmp_path, community):
    files, feeds, archive = community
    del feeds["feeds/anna.xml"]
    with pytest.raises(BuildStopped) as stop:
        build(make_site, tmp_path, files, feeds, archive)
    assert "anna.md: Feeds: 'feeds/anna.xml' does not exist" in str(stop.value)


def test_posts_carry_the_fields_other_plugins_read(make_site, tmp_path, community):
    from pelican import signals

    seen = {}

    def grab(generators):
        seen["posts"] = generators[0].context["community_posts"]

    signals.all_generators_finalized.connect(grab)
    try:
        build(make_site, tmp_path, *community)
    finally:
        signals.all_generators_finalized.disconnect(grab)
    post = seen["posts"][1]
    assert (post.title, post.link, post.member.slug, post.group, post.source_title) == (
        "Kanban & zo", "https://anna.example.nl/kanban", "anna", None, "Anna's blog")
    assert post.published.utcoffset() is not None and post.categories == [] and "<p>" in post.summary_html
    assert post.source_url == "" and seen["posts"][0].group.slug == "itil"
