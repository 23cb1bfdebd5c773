"""Issue 6 without a browser: page metadata, sitemap, robots.txt, search index, languages."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from sitekit import ROOT, article

HOSTILE = 'Samen </script><script>alert(1)</script> sterk'


def jsonld(page) -> dict:
    scripts = page.select('script[type="application/ld+json"]')
    assert len(scripts) == 1
    return json.loads(scripts[0].string)


def meta(page, prop: str) -> str:
    tag = page.select_one(f'meta[property="{prop}"]') or page.select_one(f'meta[name="{prop}"]')
    assert tag is not None, f"no {prop}"
    return tag["content"]


def test_article_page_metadata(shared_site, small_site):
    site = shared_site(small_site)
    page = site.soup("/articles/samen/")
    assert page.select_one('link[rel="canonical"]')["href"] == "http://localhost:8000/articles/samen/"
    assert meta(page, "og:title") == "Samen sterk"
    assert meta(page, "og:type") == "article"
    assert meta(page, "og:url") == "http://localhost:8000/articles/samen/"
    assert meta(page, "twitter:card") == "summary_large_image"  # with its share image (kring_share)
    assert meta(page, "og:image") == "http://localhost:8000/share/articles/samen.png"
    data = jsonld(page)
    assert data["@type"] == "Article" and data["headline"] == "Samen sterk"
    assert [a["name"] for a in data["author"]] == ["Anna de Vries", "Bram Mulder"]
    assert data["author"][0]["url"] == "http://localhost:8000/members/anna/"
    assert data["publisher"]["@type"] == "Organization"
    feeds = [link["href"] for link in page.select('link[rel="alternate"][type="application/atom+xml"]')]
    assert any(href.endswith("feeds/all.atom.xml") for href in feeds)


def test_person_and_group_structured_data(shared_site, small_site):
    site = shared_site(small_site)
    person = jsonld(site.soup("/members/anna/"))
    assert person["@type"] == "Person" and person["name"] == "Anna de Vries"
    assert person["jobTitle"] == "Servicemanager" and person["knowsAbout"] == ["ITIL", "SLA's"]
    assert {g["name"] for g in person["memberOf"]} == {"Servicemanagement", "Projectmanagement"}
    group = jsonld(site.soup("/groups/itil/"))
    assert group["@type"] == "Organization" and group["name"] == "Servicemanagement"
    assert "Gerrit Geheim" not in json.dumps(group)  # hidden members stay hidden
    home = jsonld(site.soup("/"))
    assert home == {"@context": "https://schema.org", "@type": "Organization", "name": "Kring",
                    "url": "http://localhost:8000/"}


def test_a_hostile_title_cannot_break_out_of_the_json_ld_script(make_site, small_site):
    site = make_site(dict(small_site, **dict([article("boos", HOSTILE, Authors="anna")])))
    html = site.text("/articles/boos/")
    assert "<script>alert(1)</script>" not in html
    page = site.soup("/articles/boos/")
    assert "alert(1)" in jsonld(page)["headline"]  # still one valid JSON object
    assert page.h1.get_text() == HOSTILE  # shown as text, never run


def test_published_build_has_sitemap_and_robots_without_hidden_or_draft_pages(make_site, small_site):
    files = dict(small_site, **dict([article("later", "Nog niet af", Authors="anna", Status="draft")]))
    site = make_site(files, str(ROOT / "publishconf.py"), SITEURL="https://kring.example.nl")
    sitemap = site.text("/sitemap.xml")
    locs = re.findall(r"<loc>(.*?)</loc>", sitemap)
    for url in ["/", "/articles/samen/", "/members/anna/", "/groups/itil/", "/members/", "/groups/"]:
        assert "https://kring.example.nl" + url in locs
    assert not [loc for loc in locs if "/members/geheim/" in loc or "/later/" in loc or "/search/" in loc]
    robots = site.text("/robots.txt")
    assert "Sitemap: https://kring.example.nl/sitemap.xml" in robots
    assert "Disallow" not in robots  # the published build writes no drafts at all
    canonical = site.soup("/articles/samen/").select_one('link[rel="canonical"]')["href"]
    assert canonical == "https://kring.example.nl/articles/samen/"


def test_search_index_covers_content_pages_and_every_page_has_the_box(shared_site, small_site):
    site = shared_site(small_site)
    assert site.exists("/pagefind/pagefind.js")
    entry = json.loads(site.text("/pagefind/pagefind-entry.json"))
    assert list(entry["languages"]) == ["nl"]
    assert entry["languages"]["nl"]["page_count"] >= 5  # 3 articles, 2 members, 2 groups; no listings
    for url in ["/", "/articles/samen/", "/members/anna/", "/groups/itil/", "/tags/", "/search/"]:
        form = site.soup(url).select_one('form[role="search"]')
        assert form is not None and form.select_one('input[name="q"]') is not None, url
    assert site.soup("/articles/samen/").select_one("main[data-pagefind-body]") is not None
    assert site.soup("/members/anna/").select_one("main[data-pagefind-body]") is not None
    assert site.soup("/").select_one("main[data-pagefind-body]") is None
    search = site.soup("/search/")
    assert search.select_one("noscript a[href]") is not None  # a way on without JavaScript


def test_a_draft_preview_is_neither_indexed_nor_searchable(make_site, small_site):
    site = make_site(dict(small_site, **dict([article("later", "Nog niet af", Authors="anna", Status="draft")])))
    draft = site.soup("/drafts/articles/later/")
    assert draft.select_one('meta[name="robots"][content="noindex"]') is not None
    assert draft.select_one("main[data-pagefind-body]") is None
    assert "drafts" not in site.text("/sitemap.xml")
    assert "Disallow: /drafts/" in site.text("/robots.txt")


def test_search_index_can_be_switched_off(shared_site, small_site):
    site = shared_site(small_site, KRING_SEARCH_INDEX=False)
    assert not site.exists("/pagefind/pagefind.js")


def test_translations_link_to_each_other_with_hreflang(make_site, small_site):
    files = dict(small_site)
    files["articles/samen-en.md"] = "Title: Stronger together\nSlug: samen\nLang: en\nDate: 2026-05-01 10:00\nAuthors: anna\n\nText.\n"
    site = make_site(files)
    dutch = site.soup("/articles/samen/")
    link = dutch.select_one('.translations a[hreflang="en"]')
    assert link is not None and link.get_text() == "English"
    english = site.soup("/articles/samen/en/")
    # The interface follows the page's language: an English article is framed in English.
    assert english.html["lang"] == "en" and dutch.html["lang"] == "nl"
    assert english.select_one(".byline").get_text(" ", strip=True).startswith("By ")
    assert english.select_one(".translations").get_text(strip=True).startswith("Also available in")
    assert english.select_one("#about-authors").get_text() == "About the author"
    assert english.select_one("article time").get_text() == "1 May 2026"
    assert dutch.select_one(".byline").get_text(" ", strip=True).startswith("Door ")
    assert dutch.select_one("article time").get_text() == "1 mei 2026"
    back = english.select_one('.translations a[hreflang="nl"]')
    assert back is not None and back.get_text() == "Nederlands"
    alternates = {a["hreflang"] for a in english.select('link[rel="alternate"][hreflang]')}
    assert alternates == {"en", "nl"}


def test_interface_language_follows_default_lang(shared_site, small_site):
    dutch = shared_site(small_site).soup("/")
    assert dutch.html["lang"] == "nl"
    assert dutch.select_one(".skip-link").get_text() == "Naar de inhoud"


def test_english_interface(shared_site, small_site):
    english = shared_site(small_site, DEFAULT_LANG="en").soup("/")
    assert english.html["lang"] == "en"
    assert english.select_one(".skip-link").get_text() == "Skip to content"


def template_msgids() -> set:
    found = extract_from_dir(
        str(ROOT / "theme" / "templates"),
        method_map=[("**.html", "jinja2")],
        options_map={"**.html": {"extensions": "jinja2.ext.i18n", "trim_blocks": "True", "lstrip_blocks": "True"}},
    )
    return {msg[2] if isinstance(msg[2], str) else msg[2][0] for msg in found}


def test_every_interface_string_has_a_dutch_translation():
    with open(ROOT / "theme/translations/nl/LC_MESSAGES/messages.po", "rb") as f:
        catalog = read_po(f)
    missing = []
    for msgid in sorted(template_msgids()):
        message = catalog.get(msgid)
        strings = message.string if message else ""
        strings = strings if isinstance(strings, tuple) else (strings,)
        if message is None or message.fuzzy or not all(strings):
            missing.append(msgid)
    assert not missing, (
        "Not translated into Dutch (run `invoke translations`, then fill in "
        f"theme/translations/nl/LC_MESSAGES/messages.po): {missing}"
    )
    assert Path(ROOT / "theme/translations/en/LC_MESSAGES/messages.po").is_file()


def test_live_reload_rebuild_lists_only_what_this_run_wrote(tmp_path, small_site):
    """The same Pelican instance (as `make serve` keeps it) builds twice; a deleted
    article's stale page stays in output/ but leaves the sitemap."""
    from pelican import Pelican

    from kring.build import load_settings
    from sitekit import DEV_SETTINGS, write_files

    content, output = tmp_path / "content", tmp_path / "output"
    write_files(content, small_site)
    pelican = Pelican(load_settings(DEV_SETTINGS, {"PATH": str(content), "OUTPUT_PATH": str(output)}))
    pelican.run()
    assert "/articles/solo/" in (output / "sitemap.xml").read_text()
    (content / "articles" / "solo.md").unlink()
    pelican.run()
    assert (output / "articles" / "solo" / "index.html").exists()  # stale, not deleted in development
    sitemap = (output / "sitemap.xml").read_text()
    assert "/articles/solo/" not in sitemap and "/articles/samen/" in sitemap


def test_search_index_is_rebuilt_only_when_html_changed(make_site, small_site, tmp_path):
    fast = dict(CACHE_PATH=str(tmp_path / "cache"), KRING_SPEED=True)
    site = make_site(small_site, **fast)
    entry = site.path("/pagefind/pagefind-entry.json")
    first = entry.stat().st_mtime_ns
    site = make_site({}, **fast)
    assert entry.stat().st_mtime_ns == first, "Pagefind ran although no HTML changed"
    edited = tmp_path / "content" / "articles" / "samen.md"
    edited.write_text(edited.read_text(encoding="utf-8") + "\nEen nieuwe alinea.\n", encoding="utf-8")
    site = make_site({}, **fast)
    assert entry.stat().st_mtime_ns != first, "an edited article must be indexed again"
    second = entry.stat().st_mtime_ns
    shutil.rmtree(site.path("/pagefind"))
    site = make_site({}, **fast)
    assert site.exists("/pagefind/pagefind-entry.json") and entry.stat().st_mtime_ns != second
