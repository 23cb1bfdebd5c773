"""Backlinks ("Linked from") and a member's network."""

from __future__ import annotations

from sitekit import article, member


def test_linked_from_counts_filename_and_url_links(make_site, small_site):
    files = dict(small_site)
    files.update(
        [
            article("doel", "Het doel", date="2026-01-01 10:00", Authors="anna",
                    body="Zie [mezelf](/articles/doel/)."),
            article("via-filename", "Via filename", date="2026-02-01 10:00", Authors="anna",
                    body="Lees [het doel]({filename}doel.md)."),
            article("via-url", "Via URL", date="2026-03-01 10:00", Authors="bram",
                    body="Lees [het doel](../doel/#top) en [nog eens](/articles/doel/)."),
            article("extern", "Extern", date="2026-04-01 10:00", Authors="bram",
                    body="Lees [elders](https://example.com/articles/doel/)."),
        ]
    )
    site = make_site(files, KRING_LINKCHECK=False)
    listed = [a.get_text() for a in site.soup("/articles/doel/").select("#linked-from ~ ul a")]
    assert listed == ["Via URL", "Via filename"]  # newest first; not itself, not the external one
    assert [a["href"] for a in site.soup("/articles/doel/").select("#linked-from ~ ul a")] == [
        "../../articles/via-url/", "../../articles/via-filename/",
    ]
    assert site.soup("/articles/via-url/").select_one("#linked-from") is None


def test_network_lists_coauthors_and_group_mates_most_shared_first(make_site, small_site):
    files = dict(small_site)
    files.update([member("carla", "Carla Claes", Groups="itil"), member("dirk", "Dirk Dekker", Groups="itil, prince2")])
    site = make_site(files)
    rows = site.soup("/members/anna/").select(".crosslinks__network li")
    names = [r.select_one(".person").get_text(strip=True) for r in rows]
    # Bram: 1 article + 1 group; Dirk: 2 groups (same total, fewer articles); Carla: 1 group.
    # The hidden Gerrit (co-author, same group) is never shown.
    assert names == ["Bram Mulder", "Dirk Dekker", "Carla Claes"]
    assert "1 artikel samen, 1 gedeelde groep" in rows[0].get_text()  # the Dutch interface
    assert "2 gedeelde groepen" in rows[1].get_text()


def test_demo_site_shows_cross_links_on_real_pages(demo_site):
    lurkers = demo_site.soup("/articles/lurkers-bestaan-niet/")
    linked_from = [a["href"] for a in lurkers.select("#linked-from ~ ul a")]
    assert "../../articles/hoe-schrijf-je-voor-kring/" in linked_from  # a {filename} link
    assert lurkers.select("#related-articles ~ .cards .card")
    mention = lurkers.select_one('.prose a.mention[href="../../members/femke-van-der-linden/"]')
    assert mention is not None and mention.get_text() == "Femke van der Linden"
    sanne = [a["href"] for a in demo_site.soup("/members/sanne-bakker/").select("#mentioned-in ~ ul a")]
    assert "../../articles/terugblik-kringdag-maart/" in sanne
    assert demo_site.soup("/groups/sociale-media/").select("#mentioned-in ~ ul a")
    assert demo_site.soup("/members/sanne-bakker/").select(".crosslinks__network li")
