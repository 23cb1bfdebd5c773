"""What a reader notices on the built pages: menu, images, quotes, excerpts, tables,
avatars, the group directory and search labels. The browser suite measures the
layout (tests/browser/test_reader_layout.py)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from kring_core.errors import BuildStopped
from kring_members import avatar_colour, contrast_with_white
from kring_theme import excerpt, scroll_boxes
from lxml import etree
from markupsafe import Markup

from sitekit import ROOT, article

PIXEL_PNG = bytes.fromhex(  # a 1×1 PNG
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360f8ffff3f0005fe02fea7d6a4c80000000049454e44ae426082")
SVG_IMAGE = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1200 675"><rect width="1200" height="675"/></svg>'


# --- The menu: current section, pages in the footer ---------------------------------

@pytest.mark.parametrize("url, current, value", [
    ("/", "Magazine", "page"),
    ("/members/", "Leden", "page"),
    ("/members/anna-de-vries/", "Leden", "true"),
    ("/groups/servicemanagement/", "Groepen", "true"),
    ("/articles/hoe-schrijf-je-voor-kring/", "Magazine", "true"),
    ("/issues/3/", "Nummers", "true"),
    ("/experts/", "Experts", "page"),
    ("/tags/", "Onderwerpen", "page"),
])
def test_the_menu_marks_the_current_section(demo_site, url, current, value):
    marked = demo_site.soup(url).select("header nav [aria-current]")
    assert [(a.get_text(strip=True), a["aria-current"]) for a in marked] == [(current, value)]


def test_the_search_page_and_footer_pages_mark_no_section(demo_site):
    assert not demo_site.soup("/search/").select("header nav [aria-current]")
    home = demo_site.soup("/")
    footer = [a.get_text(strip=True) for a in home.select("footer a")]
    assert "Over Kring" in footer and "Colofon" in footer
    assert "Over Kring" not in [a.get_text(strip=True) for a in home.select("header nav a")]
    # The menu folds into a <details> on narrow screens: no JavaScript needed.
    assert home.select_one("header details.site-menu > summary") is not None
    assert home.select_one("header details.site-menu nav ul.nav") is not None


def test_the_search_page_has_one_search_box(demo_site):
    search = demo_site.soup("/search/")
    assert len(search.select('form[role="search"]')) == 1 and search.select_one("#search-page-q")
    assert search.select_one("#search-more[hidden]") is not None  # the way to the rest of the results


def test_every_indexed_page_names_its_kind_for_search_results(demo_site):
    unnamed = []
    for path in demo_site.output.rglob("*.html"):
        html = path.read_text(encoding="utf-8")
        if "data-pagefind-body" in html and not re.search(r'data-pagefind-meta="kind:[^"]+"', html):
            unnamed.append(str(path.relative_to(demo_site.output)))
    assert not unnamed, unnamed


# --- Home: one headline leads ---------------------------------------------------------

def test_the_home_page_has_one_h1(demo_site, make_site, small_site):
    home = demo_site.soup("/")
    assert [h.get_text(strip=True) for h in home.select("main h1")] == ["Van vraag naar antwoord"]
    assert home.select_one("#latest-articles").name == "h2"
    without_issues = make_site(small_site).soup("/")
    assert [h.get_text(strip=True) for h in without_issues.select("main h1")] == ["Nieuwste artikelen"]


# --- Group directory ------------------------------------------------------------------

def test_group_directory_lists_the_groups_before_the_map_and_names_them_in_full(demo_site):
    html = demo_site.text("/groups/")
    assert html.index('class="group-grid"') < html.index('aria-labelledby="group-map"')
    svg = etree.fromstring(re.search(r'<svg\b[^>]*group-map.*?</svg>', html, re.S).group(0))
    ns = "{http://www.w3.org/2000/svg}"
    labels = {" ".join(t.text for t in g.iter(f"{ns}text")) for g in svg.iter(f"{ns}g") if g.get("class") == "kg-node"}
    names = {a.get_text(strip=True) for a in demo_site.soup("/groups/").select(".group-grid .card__title a")}
    assert labels == names
    assert not any("…" in label for label in labels)
    # Drawn at its own size on a phone: no wider than a 390 px screen minus the margins.
    assert int(svg.get("width")) <= 358


def test_declared_expertise_does_not_read_as_given_up(demo_site):
    text = demo_site.soup("/experts/itil/").get_text(" ")
    assert "eigen opgave" in text and "opgegeven" not in text


# --- Tables and code scroll in their own box ------------------------------------------

def test_tables_and_code_blocks_sit_in_named_focusable_scroll_boxes(demo_site):
    tables = pres = 0
    for path in (demo_site.output / "articles").rglob("index.html"):
        soup = demo_site.soup("/" + str(path.relative_to(demo_site.output)))
        for table in soup.select(".prose table"):
            box = table.parent
            assert "scroll-box" in box.get("class", []) and box["tabindex"] == "0", path
            assert box["role"] == "region" and box["aria-label"], path
            tables += 1
        for pre in soup.select(".prose pre"):
            assert pre["tabindex"] == "0" and pre["aria-label"], path
            pres += 1
    assert tables and pres, "the demo has tables and code to check"
    network = demo_site.soup("/members/anna-de-vries/").select_one(".kg-table").parent
    assert network["tabindex"] == "0" and network["aria-label"]


def test_scroll_boxes_use_the_caption_and_escape_what_is_not_markup():
    html = Markup("<table><caption>Trend <em>per</em> maand</caption><tr><td>1</td></tr></table><pre><code>x</code></pre>")
    out = scroll_boxes(html, "Tabel", "Code")
    assert 'aria-label="Trend per maand"' in out and '<pre tabindex="0" role="region" aria-label="Code">' in out
    assert str(scroll_boxes("<table>", "T", "C")) == "&lt;table&gt;"  # plain text is never trusted as HTML


# --- Card excerpts: a few lines of clean text -----------------------------------------

@pytest.mark.parametrize("html, expected", [
    ("<p>Een.</p><ul><li>twee</li><li>drie</li></ul><blockquote><p>vier</p></blockquote>", "Een. twee drie vier"),
    ("<p>Tekst met een einde.</p><p>…</p>", "Tekst met een einde.…"),
    ("<p>…</p>", ""),
    ("<p>R&amp;D &lt;b&gt; <a href='x'>link</a></p>", "R&D <b> link"),
])
def test_excerpt_is_clean_text(html, expected):
    assert excerpt(html) == expected


def test_excerpt_cuts_at_a_word_with_one_ellipsis():
    text = excerpt("<p>" + "woord " * 100 + "</p>", 50)
    assert len(text) <= 51 and text.endswith("woord…") and "..." not in text


def test_community_cards_show_plain_text_and_read_more(demo_site):
    cards = demo_site.soup("/community/").select(".post")
    assert cards
    for card in cards:
        summary = card.select_one(".post__summary")
        assert summary.name == "p" and not summary.find(["ul", "ol", "blockquote", "p"])
        assert summary.get_text(strip=True) not in ("", "…")
        more = card.select(".post__more a")
        assert not more or more[0].get_text(" ", strip=True).startswith("Lees verder")


# --- Avatars ---------------------------------------------------------------------------

def _rgb(hex_colour: str) -> tuple[float, ...]:
    return tuple(int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5))


def test_generated_avatar_colours_carry_white_initials_for_every_name():
    names = [f"lid-{i}" for i in range(3000)] + ["noor-van-den-berg", "anna-de-vries", "zoë-ünal"]
    worst = min(contrast_with_white(_rgb(avatar_colour(slug))) for slug in names)
    assert worst >= 4.5
    assert len({avatar_colour(slug) for slug in names}) > 100  # still a colour per person, not one grey


def test_demo_avatars_and_covers_fit_their_canvas():
    """Every circle of the demo's drawn images lies inside the drawing (issue 3's was cut off)."""
    ns = "{http://www.w3.org/2000/svg}"
    for path in sorted((ROOT / "content" / "images").rglob("*.svg")):
        root = etree.parse(str(path)).getroot()
        _, _, width, height = (float(v) for v in root.get("viewBox").split())
        for c in root.iter(f"{ns}circle"):
            cx, cy, r = (float(c.get(k)) for k in ("cx", "cy", "r"))
            assert r <= cx <= width - r and r <= cy <= height - r, f"{path.name}: circle at {cx},{cy} r={r}"


# --- Lead images and quotes --------------------------------------------------------------

def magazine(small_site, **extra) -> dict:
    files = dict(small_site)
    files.update(extra)
    return files


def test_lead_image_on_the_article_its_card_and_with_its_size(make_site, small_site, tmp_path):
    files = magazine(small_site, **dict([
        article("beeld", "Met beeld", date="2026-07-01 10:00", Authors="anna", Groups="itil",
                Image="images/articles/bord.svg", **{"Image-Alt": "Een bord vol briefjes"},
                body='Ze zei: "samen" en \'alleen\'. Zie `"code"`.'),
        article("beeld-en", "With a picture", date="2026-07-01 10:00", Authors="anna", Slug="beeld", Lang="en",
                Image="articles/bord.svg", **{"Image-Alt": "A board full of notes"},
                body='She said: "together" and \'alone\'.'),
    ]))
    files["images/articles/bord.svg"] = SVG_IMAGE
    site = make_site(files)
    page = site.soup("/articles/beeld/")
    img = page.select_one("figure.lead-image img")
    assert img["alt"] == "Een bord vol briefjes" and img["src"].endswith("images/articles/bord.svg")
    assert (img["width"], img["height"]) == ("1200", "675")
    assert site.exists("/images/articles/bord.svg")
    card = site.soup("/groups/itil/").select_one(".card__image img")
    assert card["alt"] == "Een bord vol briefjes"
    # Dutch quotes in Dutch text, English in English, straight ones in code.
    prose = page.select_one(".prose")
    assert "„samen”" in prose.get_text() and "‘alleen’" in prose.get_text()
    assert prose.select_one("code").get_text() == '"code"'
    english = site.soup("/articles/beeld/en/").select_one(".prose").get_text()
    assert "“together”" in english and "‘alone’" in english
    assert site.soup("/articles/beeld/en/").select_one("figure.lead-image img")["alt"] == "A board full of notes"


def test_lead_image_mistakes_name_file_field_and_fix(make_site, small_site):
    files = magazine(small_site, **dict([
        article("typo", "Typo", Authors="anna", Image="images/articles/bordd.svg", **{"Image-Alt": "Bord"}),
        article("geen-alt", "Geen alt", Authors="anna", Image="images/articles/bord.svg"),
        article("los-alt", "Losse alt", Authors="anna", **{"Image-Alt": "Een bord"}),
    ]))
    files["images/articles/bord.svg"] = SVG_IMAGE
    with pytest.raises(BuildStopped) as info:
        make_site(files)
    message = str(info.value)
    assert "articles/typo.md: Image: 'images/articles/bordd.svg' is not an image" in message
    assert "Did you mean 'images/articles/bord.svg'?" in message
    assert "articles/geen-alt.md: Image-Alt: is missing for the image 'images/articles/bord.svg'." in message
    assert "articles/los-alt.md: Image-Alt: describes an image, but there is no 'Image:' line." in message
    assert "Traceback" not in message


def test_demo_articles_carry_lead_images_whose_files_exist(demo_site):
    shown = demo_site.soup("/articles/hoe-schrijf-je-voor-kring/").select_one("figure.lead-image img")
    assert shown is not None and shown["alt"]
    src = Path(demo_site.path("/articles/hoe-schrijf-je-voor-kring/")).parent / shown["src"]
    assert src.resolve().is_file()
    assert demo_site.soup("/").select_one(".lead-story__image img") is not None
