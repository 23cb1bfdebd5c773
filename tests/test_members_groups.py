"""Member profiles, group pages, bylines and feeds, on a small built site."""

from __future__ import annotations

from lxml import etree

ATOM = "{http://www.w3.org/2005/Atom}"


def test_byline_names_every_author_with_avatar_and_profile_link(shared_site, small_site):
    site = shared_site(small_site)
    page = site.soup("/articles/samen/")
    byline = page.select_one(".byline")
    links = [a["href"] for a in byline.select("a.person")]
    assert links == ["../../members/anna/", "../../members/bram/"]
    assert [a.get_text(strip=True) for a in byline.select("a.person")] == ["Anna de Vries", "Bram Mulder"]
    assert len(byline.select("img.avatar")) == 2
    groups = [a.get_text() for a in page.select(".article__header .chip")]
    assert groups == ["Servicemanagement", "Projectmanagement"]
    cards = [h.get_text(strip=True) for h in page.select(".author-card h3")]
    assert cards == ["Anna de Vries", "Bram Mulder"]


def test_hidden_author_is_named_without_link_and_has_no_page(shared_site, small_site):
    site = shared_site(small_site)
    byline = site.soup("/articles/met-geheim/").select_one(".byline")
    assert "Gerrit Geheim" in byline.get_text()
    assert [a.get_text(strip=True) for a in byline.select("a")] == ["Anna de Vries"]
    assert not site.exists("/members/geheim/")
    assert "Gerrit Geheim" not in site.text("/members/")
    assert "Gerrit Geheim" not in site.text("/groups/itil/")
    for feed in site.output.rglob("*.xml"):
        assert "Geheim" not in feed.read_text(), feed


def test_email_never_reaches_any_output_file(shared_site, small_site):
    site = shared_site(small_site)
    for path in site.all_files():
        data = path.read_bytes()
        assert b"anna@example.nl" not in data and b"gerrit@example.nl" not in data, path


def test_member_profile(shared_site, small_site):
    site = shared_site(small_site)
    page = site.soup("/members/anna/")
    assert page.h1.get_text() == "Anna de Vries"
    assert "Servicemanager" in page.select_one(".profile__role").get_text()
    assert "Anna de Vries schrijft over haar vak." in page.select_one(".prose").get_text()
    assert [c.get_text() for c in page.select(".profile__facts .chip")] == ["ITIL", "SLA's"]
    assert [a.get_text() for a in page.select(".profile__header .chip")] == ["Projectmanagement", "Servicemanagement"]
    assert page.select_one('a[href="https://example.nl/anna"]') is not None
    titles = [a.get_text() for a in page.select("#member-articles ~ .cards .card__title a")]
    assert titles == ["Alleen Anna", "Samen sterk", "Met een verborgen auteur"]  # newest first
    coauthors = [a.get_text(strip=True) for a in page.select(".profile__facts .people a")]
    assert coauthors == ["Bram Mulder"]  # the hidden co-author is not shown


def test_generated_avatar_has_initials_and_no_external_request(shared_site, small_site):
    site = shared_site(small_site)
    svg = site.text("/members/anna/avatar.svg")
    root = etree.fromstring(svg.encode())
    assert root.tag.endswith("svg")
    assert root.findtext("{http://www.w3.org/2000/svg}text") == "AV"
    img = site.soup("/members/anna/").select_one(".profile__header img.avatar")
    assert img["src"] == "../../members/anna/avatar.svg"
    for path in site.output.rglob("*.html"):
        soup = site.soup("/" + str(path.relative_to(site.output)))
        for tag in soup.select("[src], link[href]"):
            url = tag.get("src") or tag.get("href")
            assert not url.startswith(("http:", "https:", "//")) or "localhost" in url, (path, url)


def test_member_articles_paginate_in_folders(make_site, small_site):
    files = dict(small_site)
    for n in range(12):
        slug = f"extra-{n}"
        files[f"articles/{slug}.md"] = f"Title: Extra {n}\nSlug: {slug}\nDate: 2026-02-{n + 1:02d}\nAuthors: bram\n\nTekst.\n"
    site = make_site(files, DEFAULT_PAGINATION=5)
    assert site.exists("/members/bram/page/2/") and site.exists("/members/bram/page/3/")
    assert not site.exists("/members/bram/page/4/")
    first = site.soup("/members/bram/")
    assert first.select_one('a[rel="next"]')["href"] == "../../members/bram/page/2/"


def test_member_directory_lists_public_members_with_role_and_groups(shared_site, small_site):
    site = shared_site(small_site)
    rows = site.soup("/members/").select(".member-row")
    assert [r.select_one(".member-row__name").get_text() for r in rows] == ["Anna de Vries", "Bram Mulder"]
    assert "Servicemanager" in rows[0].get_text() and "Projectmanagement" in rows[0].get_text()


def test_group_page(shared_site, small_site):
    site = shared_site(small_site)
    page = site.soup("/groups/prince2/")
    assert page.h1.get_text() == "Projectmanagement"
    assert "De groep Projectmanagement." in page.select_one(".prose").get_text()
    # union of the group's own Members list and the members that name the group
    names = [a.get_text() for a in page.select("#group-members ~ .member-grid .member-row__name")]
    assert names == ["Anna de Vries", "Bram Mulder"]
    assert [a.get_text() for a in page.select("#group-articles ~ .cards .card__title a")] == ["Samen sterk"]
    related = page.select(".profile__facts .links a")
    assert [a.get_text() for a in related] == ["Servicemanagement"]
    itil = site.soup("/groups/itil/")
    assert [a.get_text(strip=True) for a in itil.select(".profile__facts .people a")] == ["Anna de Vries"]


def test_group_directory(shared_site, small_site):
    site = shared_site(small_site)
    titles = [a.get_text() for a in site.soup("/groups/").select(".card__title a")]
    assert titles == ["Projectmanagement", "Servicemanagement"]


def _entries(site, url):
    root = etree.fromstring(site.path(url).read_bytes())
    assert root.tag == f"{ATOM}feed"
    return [(e.findtext(f"{ATOM}title"), e.findtext(f"{ATOM}author/{ATOM}name")) for e in root.iter(f"{ATOM}entry")]


def test_site_member_and_group_feeds(shared_site, small_site):
    site = shared_site(small_site)
    assert [t for t, _ in _entries(site, "/feeds/all.atom.xml")] == ["Alleen Anna", "Samen sterk", "Met een verborgen auteur"]
    assert ("Samen sterk", "Anna de Vries, Bram Mulder") in _entries(site, "/members/bram/feed.atom.xml")
    assert [t for t, _ in _entries(site, "/groups/prince2/feed.atom.xml")] == ["Samen sterk"]
    assert ("Met een verborgen auteur", "Anna de Vries") in _entries(site, "/members/anna/feed.atom.xml")


def test_hidden_group_gets_no_page_and_no_link(make_site, small_site):
    files = dict(small_site)
    files["groups/bestuur.md"] = "Title: Bestuur\nVisibility: hidden\n\nGeheim.\n"
    files["articles/samen.md"] = files["articles/samen.md"].replace("Groups: itil, prince2", "Groups: itil, bestuur")
    site = make_site(files)
    assert not site.exists("/groups/bestuur/")
    assert "Bestuur" not in site.text("/groups/")
    assert "Bestuur" not in site.text("/articles/samen/")


def test_author_named_by_slug_or_display_name_is_the_same_member(shared_site, small_site):
    site = shared_site(small_site)
    samen = site.soup("/articles/samen/").select(".byline a.person")
    solo = site.soup("/articles/solo/").select(".byline a.person")
    assert samen[0]["href"] == solo[0]["href"] == "../../members/anna/"
