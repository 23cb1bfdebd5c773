"""Responses under articles on real builds: from community posts, from readers' files, their mistakes."""

from __future__ import annotations

import gzip
from urllib.parse import parse_qs, unquote, urlsplit

import feedparser
import pytest

from feeds_helpers import unsafe_parts
from sitekit import article, group, member
from kring_core.errors import BuildStopped
from test_moderation import atom, moderation

FAST = {"KRING_SEARCH_INDEX": False, "DEFAULT_LANG": "en"}
PUBLISHED = "https://kring.example.nl"
HOSTILE = ('Goed stuk! <script>alert("xss")</script><img src=x onerror="alert(1)">'
           '<a href="javascript:alert(2)" onclick="alert(3)">klik</a> <svg onload="alert(4)"></svg>'
           '<iframe src="https://evil.example/"></iframe> [lees](javascript:alert(5)) <b style="color:red">vet</b>')


@pytest.fixture
def files():
    return dict([
        group("itil", "Servicemanagement", Moderators="anna"),
        member("anna", "Anna de Vries", Groups="itil", Feeds="feeds/anna.xml"),
        member("bram", "Bram Mulder"),
        member("carla", "Carla Smit"),
        article("samen", "Samen sterk", Authors="bram", Groups="itil", date="2026-05-01 10:00"),
        article("solo", "Alleen Carla", Authors="carla", date="2026-06-01 10:00"),
        article("later", "Nog niet af", Authors="carla", Status="draft"),
    ]) | posts()


def posts(*entries) -> dict:
    return {"feeds/anna.xml": atom(list(entries), "Anna's blog")}  # no entries: an empty blog


def post(n: int, link: str = "", content: str = "", title: str = "", summary: str = "Een reactie.") -> dict:
    return {"id": f"p{n}", "link": link or f"https://anna.example.nl/{n}", "title": title or f"Post {n}",
            "content": content, "summary": summary, "updated": f"2026-11-{n + 1:02d}T10:00:00Z"}


def community_titles(site, url: str) -> list[str]:
    return [h.get_text(strip=True) for h in site.soup(url).select(".responses--community .response__title")]


@pytest.mark.parametrize("href", [
    f"{PUBLISHED}/articles/samen/", f"{PUBLISHED}/articles/samen/index.html", f"{PUBLISHED}/articles/samen",
    f"{PUBLISHED}/articles/samen/?utm_source=x#reacties", "http://localhost:8000/articles/samen/",
    "HTTPS://KRING.EXAMPLE.NL/articles/samen/index.html?x=1",
])
def test_a_post_linking_to_an_article_in_any_form_is_a_response(make_site, files, href):
    site = make_site(files | posts(post(1, content=f'<p>Lees <a href="{href}">dit</a>.</p>')),
                     KRING_SITE_ADDRESSES=[PUBLISHED], **FAST)
    assert community_titles(site, "/articles/samen/") == ["Post 1"]
    assert community_titles(site, "/articles/solo/") == []


def test_the_post_itself_may_be_the_link(make_site, files):
    # A relative link on a member's blog is a page of their blog: no response.
    site = make_site(files | posts(post(1, link=f"{PUBLISHED}/articles/solo/"), post(2, summary='<a href="/articles/samen/">x</a>')),
                     KRING_SITE_ADDRESSES=[PUBLISHED], **FAST)
    assert community_titles(site, "/articles/solo/") == ["Post 1"]
    assert community_titles(site, "/articles/samen/") == []


@pytest.mark.parametrize("link", ["/articles/samen/", "articles/samen/index.html", "../articles/samen/#x",
                                  "/articles/samen?x=1", "http://localhost:8000/articles/samen",
                                  "https://kring.example.nl/sub/articles/samen/"])
def test_article_index_finds_an_article_by_any_form_of_its_address(link):
    from kring_responses.links import ArticleIndex, site_bases

    class A:
        url = "articles/samen/"

    bases = site_bases({"SITEURL": "", "FEED_DOMAIN": "http://localhost:8000"}, "", ["https://kring.example.nl/sub"])
    index = ArticleIndex([A()], bases)
    assert isinstance(index.find(link), A)
    assert index.find(link.replace("samen", "samenwerking")) is None
    assert index.find("https://kring.example.nl/articles/samen/") is None  # outside the site's folder


def test_links_to_other_sites_or_other_paths_are_no_responses(make_site, files):
    others = ['https://kring.example.org/articles/samen/', f'{PUBLISHED}/articles/samenwerking/',
              f'{PUBLISHED}/members/bram/', f'{PUBLISHED}/articles/later/', 'https://evil.example/articles/samen/']
    content = "".join(f'<a href="{h}">x</a>' for h in others)
    site = make_site(files | posts(post(1, content=content)), KRING_SITE_ADDRESSES=[PUBLISHED], **FAST)
    assert community_titles(site, "/articles/samen/") == []
    assert "Post 1" not in site.text("/drafts/articles/later/")


def test_a_community_response_shows_member_title_date_and_a_sanitised_excerpt(make_site, files):
    long_text = "Woord " * 200
    content = (f'<p>{long_text}</p><p>Aan het eind pas de link: <a href="{PUBLISHED}/articles/samen/">Samen sterk</a>.</p>'
               '<script>alert(1)</script>')
    site = make_site(files | posts(post(3, content=content, title="Mijn reactie",
                                        summary='Kort <a href="javascript:alert(1)" onclick="x()">zo</a>')),
                     KRING_SITE_ADDRESSES=[PUBLISHED], **FAST)
    page = site.soup("/articles/samen/")
    section = page.select_one(".responses--community")
    assert section.select_one("h2").get_text() == "Responses from the community"
    who = section.select_one(".response__who a.person")
    assert who["href"].endswith("members/anna/") and who.select_one("img.avatar") is not None
    link = section.select_one(".response__title a")
    assert link["href"] == "https://anna.example.nl/3" and link.get_text() == "Mijn reactie"
    assert section.select_one("time")["datetime"].startswith("2026-11-04")
    excerpt = "".join(str(t) for t in section.select(".response__text"))
    assert excerpt and unsafe_parts(excerpt) == [] and "alert" not in str(section)
    # The profile lists what the member responded to; the knowledge map ties responder and author.
    profile = site.soup("/members/anna/")
    assert [a.get_text() for a in profile.select(".responded a")] == ["Samen sterk"]
    rows = site.soup("/members/bram/").select(".kg-table tbody tr")
    anna = next(r for r in rows if "Anna de Vries" in r.th.get_text())
    assert anna.select("td")[-1].get_text() == "1"


def test_responses_to_one_another_tie_members_in_works_with(make_site, files):
    """carla and anna share no group and wrote nothing together: only the response links them."""
    site = make_site(files | posts(post(1, content=f'<a href="{PUBLISHED}/articles/solo/">x</a>')),
                     KRING_SITE_ADDRESSES=[PUBLISHED], **FAST)
    names = [r.th.get_text(" ", strip=True) for r in site.soup("/members/carla/").select(".kg-table tbody tr")]
    assert names == ["Anna de Vries"]
    plain = make_site(files | posts(post(1, link="https://anna.example.nl/elders")), **FAST)
    assert plain.soup("/members/carla/").select(".kg-table") == []


def test_a_hidden_post_is_no_response(make_site, files):
    files = files | posts(post(1, content=f'<a href="{PUBLISHED}/articles/samen/">x</a>'))
    site = make_site(files | moderation("Hide: https://anna.example.nl/1"), KRING_SITE_ADDRESSES=[PUBLISHED], **FAST)
    assert community_titles(site, "/articles/samen/") == []
    assert site.soup("/members/anna/").select(".responded") == []


def response(article_slug: str, name: str, author: str = "Jan Peeters", date: str = "2026-11-21 10:15",
             text: str = "Mooi stuk.", **fields) -> tuple[str, str]:
    lines = ([f"Author: {author}"] if author else []) + ([f"Date: {date}"] if date else [])
    lines += [f"{k.replace('_', '-')}: {v}" for k, v in fields.items()]
    return f"responses/{article_slug}/{name}.md", "\n".join(lines) + "\n\n" + text + "\n"


def test_readers_responses_are_threaded_sanitised_and_credited(make_site, files):
    files = files | dict([
        response("samen", "jan", text=HOSTILE),
        response("samen", "bram-antwoordt", author="Bram Mulder", date="2026-11-22 09:00", In_Reply_To="jan",
                 text="Dank je, **Jan**."),
        response("samen", "jan-weer", date="2026-11-23 08:00", In_Reply_To="bram-antwoordt.md", text="Graag gedaan."),
        response("samen", "zoe", author="Zoë Özdemir", date="2026-11-21 08:00", text="Eerste!"),
    ])
    site = make_site(files, **FAST)
    page = site.soup("/articles/samen/")
    thread = page.select_one(".responses--readers > ol")
    top = thread.find_all("li", recursive=False)
    assert [li["id"] for li in top] == ["reactie-zoe", "reactie-jan"]  # oldest first
    reply = top[1].select_one("ol > li")
    assert reply["id"] == "reactie-bram-antwoordt"
    assert reply.select_one("a.person")["href"].endswith("members/bram/")  # a member by display name
    assert reply.select_one("ol > li")["id"] == "reactie-jan-weer"
    assert "Jan Peeters" in top[1].select_one(".response__who").get_text()
    assert reply.select_one("strong").get_text() == "Jan"  # Markdown is rendered
    texts = "".join(str(t) for t in page.select(".response__text"))
    main = str(page.select_one("main"))
    assert unsafe_parts(texts) == [] and "alert" not in main and "evil.example" not in main
    assert "Goed stuk!" in thread.get_text() and "vet" in thread.get_text()


def test_the_articles_responses_feed(make_site, files):
    files = files | dict([response("samen", "jan", text=HOSTILE), response("samen", "kees", author="Kees", date="2026-11-25 10:00")])
    files |= posts(post(1, content=f'<a href="{PUBLISHED}/articles/samen/">x</a>'))
    site = make_site(files, KRING_SITE_ADDRESSES=[PUBLISHED], **FAST)
    feed_url = site.soup("/articles/samen/").select_one('link[rel="alternate"][href$="responses.atom.xml"]')["href"]
    assert feed_url.endswith("articles/samen/responses.atom.xml")
    text = site.text("/articles/samen/responses.atom.xml")
    feed = feedparser.parse(text)
    assert not feed.bozo
    assert [e.title for e in feed.entries] == ["Response by Kees", "Response by Jan Peeters", "Post 1"]
    assert feed.entries[1].link.endswith("/articles/samen/#reactie-jan")
    assert unsafe_parts(feed.entries[1].content[0].value) == []
    assert not site.exists("/articles/solo/responses.atom.xml")  # no responses, no feed


def test_respond_is_a_mailto_with_the_title_and_url_encoded(make_site, files):
    files["articles/samen.md"] = files["articles/samen.md"].replace("Samen sterk", "Samen & sterk: 100% #goed?")
    site = make_site(files, KRING_RESPONSE_EMAIL="redactie@kring.example.nl", SITEURL="", FEED_DOMAIN=PUBLISHED, **FAST)
    href = site.soup("/articles/samen/").select_one("a.respond__button")["href"]
    parts = urlsplit(href)
    assert parts.scheme == "mailto" and parts.path == "redactie@kring.example.nl"
    assert " " not in href and "+" not in parts.query
    subject = parse_qs(parts.query)["subject"][0]
    assert subject == f"Samen & sterk: 100% #goed? — {PUBLISHED}/articles/samen/"
    assert unquote(href.split("subject=")[1]) == subject
    without = make_site(files, KRING_RESPONSE_EMAIL="", **FAST)
    assert without.soup("/articles/samen/").select_one("a.respond__button") is None


def test_responses_to_a_draft_never_appear(make_site, files):
    site = make_site(files | dict([response("later", "jan", text="Zichtbaarwoordje")]), **FAST)
    assert "Zichtbaarwoordje" not in "".join(p.read_text("utf-8", "replace") for p in site.all_files()
                                              if p.suffix in (".html", ".xml"))


def test_responses_are_searchable_and_never_read_as_articles(make_site, files):
    site = make_site(files | dict([response("samen", "jan", text="Een zeldzaamreactiewoord.")]), DEFAULT_LANG="en")
    fragments = (site.output / "pagefind" / "fragment").glob("*.pf_fragment")
    assert "zeldzaamreactiewoord" in " ".join(gzip.decompress(f.read_bytes()).decode("utf-8", "replace") for f in fragments)
    assert not [p for p in site.all_files() if "jan" in p.parts or p.parts[-2:-1] == ("jan",)]


@pytest.mark.parametrize("extra, field, words", [
    ([response("samne", "jan")], "", "'samne' is not the slug of an article. Did you mean 'samen'?"),
    ([response("samen", "jan", In_Reply_To="piet")], "In-Reply-To", "'piet' is not a response"),
    ([response("samen", "jan", In_Reply_To="kees"), response("samen", "kees", In_Reply_To="jan")], "In-Reply-To", "a circle"),
    ([response("samen", "jan", In_Reply_To="jan")], "In-Reply-To", "a circle"),
    ([response("samen", "jan", author="")], "Author", "is missing"),
    ([response("samen", "jan", date="")], "Date", "is missing"),
    ([response("samen", "jan", date="gisteren")], "Date", "'gisteren' is not a date"),
    ([response("samen", "jan", Auteur="x")], "Auteur", "is not a field of a response"),
])
def test_editor_mistakes_in_responses_stop_the_build(make_site, files, extra, field, words):
    with pytest.raises(BuildStopped) as stop:
        make_site(files | dict(extra), **FAST)
    message = str(stop.value)
    assert words in message and "responses/" in message
    if field:
        assert f": {field}:" in message


def test_an_excerpt_never_ends_in_half_a_word():
    from kring.feeds.sanitize import cut

    assert cut("<p>Drie dingen.</p><p><b>Bedanken.</b> Een persoonlijk bericht</p>", 26) == \
        "<p>Drie dingen.</p><p><b>Bedanken.</b>…</p>"
    assert cut("<p>Eenheelzeerlangwoord</p>", 5) == "<p>Eenhe…</p>"  # a first word longer than the limit is cut


def test_pelican_never_reads_the_responses_folder_as_articles_or_pages(tmp_path):
    from pelican import Pelican

    from kring.build import load_settings
    from sitekit import DEV_SETTINGS

    settings = load_settings(DEV_SETTINGS, {"PATH": str(tmp_path), "OUTPUT_PATH": str(tmp_path / "out"),
                                            "ARTICLE_PATHS": [""], "PAGE_PATHS": [""]})
    Pelican(settings)  # plugins registered, `initialized` sent
    assert "responses" in settings["ARTICLE_EXCLUDES"] and "responses" in settings["PAGE_EXCLUDES"]
