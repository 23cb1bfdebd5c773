"""The demo magazine builds, and each page type is at its URL with real content."""

from __future__ import annotations

from lxml import etree


def test_demo_has_the_promised_size(demo_site):
    members = [p for p in (demo_site.output / "members").iterdir() if (p / "index.html").exists()]
    groups = [p for p in (demo_site.output / "groups").iterdir() if (p / "index.html").exists()]
    articles = [p for p in (demo_site.output / "articles").iterdir() if (p / "index.html").exists()]
    assert len(members) >= 16 and len(groups) == 8 and len(articles) >= 24


def test_demo_article_page(demo_site):
    page = demo_site.soup("/articles/samenwerking-is-de-echte-kracht/")
    assert page.h1.get_text(strip=True)
    assert len(page.select(".byline a.person")) >= 1
    assert page.select(".article__header .chip")
    assert page.select(".author-card")


def test_demo_multi_author_article_names_all_authors(demo_site):
    multi = []
    for path in (demo_site.output / "articles").glob("*/index.html"):
        soup = demo_site.soup("/" + str(path.relative_to(demo_site.output)))
        people = soup.select(".byline .person")
        if len(people) >= 2:
            multi.append(path)
            assert len(soup.select(".author-card")) == len(soup.select(".byline a.person"))
    assert len(multi) >= 3


def test_demo_member_profile_and_directory(demo_site):
    page = demo_site.soup("/members/anna-de-vries/")
    assert page.h1.get_text() == "Anna de Vries"
    assert page.select_one(".profile__role").get_text(strip=True)
    assert page.select("#member-articles ~ .cards .card")
    names = [a.get_text() for a in demo_site.soup("/members/").select(".member-row__name")]
    assert "Anna de Vries" in names and "Kees van der Meer" not in names
    assert not demo_site.exists("/members/kees-van-der-meer/")


def test_demo_public_profiles_never_show_the_hidden_group(demo_site):
    assert not demo_site.exists("/groups/bestuur/")
    for url in ("/members/femke-van-der-linden/", "/members/", "/groups/"):
        assert "/groups/bestuur/" not in demo_site.text(url)
        assert ">Bestuur<" not in demo_site.text(url)


def test_demo_group_page_and_directory(demo_site):
    page = demo_site.soup("/groups/risicomanagement/")
    assert page.h1.get_text().startswith("Risicomanagement")
    assert page.select("#group-members ~ .member-grid .member-row")
    assert page.select("#group-articles ~ .cards .card")
    titles = [a.get_text() for a in demo_site.soup("/groups/").select(".card__title a")]
    assert len(titles) == 8


def test_demo_feeds_are_valid_atom(demo_site):
    for url in ("/feeds/all.atom.xml", "/members/anna-de-vries/feed.atom.xml", "/groups/klantcontact/feed.atom.xml"):
        root = etree.fromstring(demo_site.path(url).read_bytes())
        assert root.tag == "{http://www.w3.org/2005/Atom}feed"
        assert root.findall("{http://www.w3.org/2005/Atom}entry"), url


def test_demo_never_publishes_email_addresses(demo_site):
    emails = []
    from pathlib import Path

    for member_file in (Path(__file__).parent.parent / "content" / "members").glob("*.md"):
        for line in member_file.read_text().splitlines():
            if line.lower().startswith("email:"):
                emails.append(line.split(":", 1)[1].strip().encode())
    assert emails
    for path in demo_site.all_files():
        data = path.read_bytes()
        for email in emails:
            assert email not in data, (path, email)
