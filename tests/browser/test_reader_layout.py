"""What a reader sees of the layout, measured in chromium at 320, 390 and 1280 px:
the header, the menu, spacing, tables and code, dates, cards, the group map,
search and the home page's headlines. Screenshots go to test-artifacts/screenshots/.
"""

from __future__ import annotations

import pytest

from browser_support import ARTIFACTS, SIDEWAYS, shoot_full_page
from readable import problems

PHONE, SMALL_PHONE, DESKTOP = 390, 320, 1280


@pytest.fixture(scope="module")
def screen(browser, site_url):
    """screen(width, dark=False) -> a blank page in a browser at that width and colour scheme.

    One context per screen for the whole module: a fresh context per test cost
    more than the checks (and re-fetched the stylesheet and fonts every time).
    The theme keeps no state in the browser (no cookies, no storage).
    """
    pages = {}

    def _screen(width: int, dark: bool = False):
        if (width, dark) not in pages:
            context = browser.new_context(viewport={"width": width, "height": 844 if width < 800 else 900},
                                          base_url=site_url, color_scheme="dark" if dark else "light")
            pages[width, dark] = context.new_page()
        page = pages[width, dark]
        page.goto("about:blank")  # the next page loads afresh: no scroll restored, no focus kept
        return page

    yield _screen
    for page in pages.values():
        page.context.close()


def shoot(page, name: str) -> None:
    shoot_full_page(page, ARTIFACTS / f"reader-{name}.png")


def box(page, selector: str) -> dict:
    found = page.locator(selector).first.bounding_box()
    assert found is not None, f"{selector} is not shown on {page.url}"
    return found


def widen(page, width: int) -> None:
    """The loaded page at another width: only the stylesheet's media queries read it (no script does)."""
    page.set_viewport_size({"width": width, "height": 844 if width < 800 else 900})


HEADER_WIDTHS = [SMALL_PHONE, PHONE, 1000, DESKTOP]


def test_the_header_is_one_compact_line(widening_tab):
    page, _watch = widening_tab
    for url in ("/events/", "/articles/hoe-schrijf-je-voor-kring/", "/groups/"):
        widen(page, HEADER_WIDTHS[0])
        page.goto(url)
        for width in HEADER_WIDTHS:
            widen(page, width)
            assert not page.evaluate(SIDEWAYS), f"{url} scrolls sideways at {width} px"
    widen(page, HEADER_WIDTHS[0])
    page.goto("/members/")
    for width in HEADER_WIDTHS:
        widen(page, width)
        header = box(page, ".site-header")
        assert header["height"] <= 80, f"the header takes {header['height']} px at {width} px"
        search, brand = box(page, ".search-box"), box(page, ".brand")
        assert abs((search["y"] + search["height"] / 2) - (brand["y"] + brand["height"] / 2)) < 12, \
            f"the search box wrapped under the rest of the header at {width} px"
        current = page.locator('header nav a[aria-current="page"]')
        assert current.text_content().strip() == "Leden"
        if width == DESKTOP:  # the menu stands inline, the current section visibly marked
            other = page.locator("header nav a:not([aria-current])").first
            style = "e => [getComputedStyle(e).color, getComputedStyle(e).borderBottomColor]"
            assert current.evaluate(style) != other.evaluate(style)
            menu = box(page, "header nav .nav")
            assert abs(menu["y"] - brand["y"]) < 20 and menu["height"] < 50
        shoot(page, f"header-{width}")


def test_the_phone_menu_opens_without_javascript(browser, site_url):
    context = browser.new_context(viewport={"width": PHONE, "height": 844}, base_url=site_url, java_script_enabled=False)
    page = context.new_page()
    page.goto("/groups/")
    links = page.locator("header nav a")
    assert not links.first.is_visible()  # folded away: the header stays one line
    page.keyboard.press("Tab")  # the skip link
    page.keyboard.press("Tab")  # the brand
    page.keyboard.press("Tab")  # the menu
    page.keyboard.press("Enter")
    assert links.first.is_visible() and links.count() >= 6
    assert page.locator('header nav a[aria-current="page"]').inner_text().strip() == "Groepen"
    shoot(page, "menu-open-390")
    context.close()


@pytest.mark.parametrize("url", ["/", "/members/", "/groups/servicemanagement/", "/articles/hoe-schrijf-je-voor-kring/",
                                 "/issues/", "/community/", "/experts/", "/search/"])
def test_content_keeps_its_distance_from_header_and_footer(widening_tab, url):
    page, _watch = widening_tab
    widen(page, PHONE)
    page.goto(url)
    # What is drawn: not the inside of a closed <details>, not the visually hidden.
    shown = """[...document.querySelectorAll('main *')].filter(e => e.checkVisibility({contentVisibilityAuto: true})
        && !e.closest('details:not([open]) > :not(summary)') && e.getBoundingClientRect().height > 1)"""
    for width in (PHONE, DESKTOP):
        widen(page, width)
        header, footer = box(page, ".site-header"), box(page, ".site-footer")
        first = page.evaluate(f"() => Math.min(...{shown}.map(e => e.getBoundingClientRect().top + scrollY))")
        last = page.evaluate(f"() => Math.max(...{shown}.map(e => e.getBoundingClientRect().bottom + scrollY))")
        assert first - (header["y"] + header["height"]) >= 16, f"{url}: content touches the header at {width} px"
        assert footer["y"] - last >= 16, f"{url}: content touches the footer at {width} px"


TABLE_PAGES = ["/articles/chatbot-of-collega/", "/articles/klantreis-samen-tekenen/", "/articles/p3o-als-knooppunt/",
               "/articles/portfoliodag-provincie-gelderland/", "/articles/programma-zorglogistiek-lessen/",
               "/articles/servicedesk-en-klantcontact-een-loket/", "/articles/van-intranet-naar-kennisnetwerk/",
               "/members/anna-de-vries/"]
BROKEN_WORDS = """() => {
  const broken = [];
  for (const cell of document.querySelectorAll('main td, main th')) {
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const re = /\\S+/g; let m;
      while ((m = re.exec(node.data))) {
        const range = document.createRange();
        range.setStart(node, m.index); range.setEnd(node, m.index + m[0].length);
        const tops = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
        if (tops.size > 1) broken.push(m[0]);
      }
    }
  }
  return broken;
}"""


@pytest.mark.parametrize("url", TABLE_PAGES)
def test_table_words_stay_whole_and_wide_tables_scroll_by_keyboard(screen, url):
    page = screen(SMALL_PHONE)
    page.goto(url)
    assert page.locator("main table").count(), f"{url} has no table to check"
    assert page.evaluate(BROKEN_WORDS) == [], f"{url}: words broken over two lines in a table"
    assert not page.evaluate(SIDEWAYS), "the page scrolls sideways"
    # A table wider than the screen scrolls in its box, and the box takes the keyboard.
    wide = page.locator(".scroll-box").evaluate_all("els => els.filter(e => e.scrollWidth > e.clientWidth).length")
    if wide:
        scroller = page.locator(".scroll-box").filter(has=page.locator("table")).first
        scroller.focus()
        page.keyboard.press("ArrowRight")
        page.keyboard.press("ArrowRight")
        assert page.evaluate("document.activeElement.className") == "scroll-box"
    shoot(page, "table-" + url.strip("/").replace("/", "-") + "-320")


def test_code_keeps_its_indentation_on_a_small_phone(screen):
    page = screen(SMALL_PHONE)
    page.goto("/articles/procesmining-zonder-hype/")
    pre = page.locator(".prose pre").first
    assert pre.evaluate("e => getComputedStyle(e).whiteSpace") == "pre"
    assert pre.evaluate("e => e.tabIndex") == 0
    # Each source line is one line on screen: no wrapped line restarts at column 0.
    lines = pre.evaluate("e => e.innerText.replace(/\\n+$/, '').split('\\n').length")
    height = pre.evaluate("e => { const s = getComputedStyle(e); return (e.clientHeight - parseFloat(s.paddingTop)"
                          " - parseFloat(s.paddingBottom)) / parseFloat(s.lineHeight); }")
    assert round(height) == lines


@pytest.mark.parametrize("url", ["/members/anna-de-vries/", "/community/", "/groups/klantcontact/", "/issues/"])
def test_dates_never_wrap(screen, url):
    page = screen(SMALL_PHONE)
    page.goto(url)
    # A date never wraps; an event's from–to range may, but only between its parts.
    wrapped = page.locator("main time").evaluate_all("""els => els.flatMap(e => {
        const parts = e.classList.contains('event-when') ? [...e.querySelectorAll('.nowrap')] : [e];
        return parts.filter(p => new Set([...p.getClientRects()].map(r => Math.round(r.top))).size > 1)
                    .map(p => p.textContent);
    })""")
    assert page.locator("main time").count() and wrapped == []


def rows_of(page, selector: str) -> list[list[dict]]:
    """The boxes of `selector`, grouped by the row of the grid they sit in."""
    boxes = page.locator(selector).evaluate_all("els => els.map(e => { const r = e.getBoundingClientRect();"
                                                " return {top: Math.round(r.top), bottom: Math.round(r.bottom)}; })")
    rows: dict[int, list] = {}
    for b in boxes:
        rows.setdefault(b["top"], []).append(b)
    return [r for r in rows.values() if len(r) > 1]


def test_cards_in_a_row_share_a_height_and_align_to_the_top(screen):
    page = screen(DESKTOP)
    page.goto("/community/")
    rows = rows_of(page, ".posts > .post")
    assert rows, "the community page shows no row of cards"
    for row in rows:
        assert len({b["bottom"] for b in row}) == 1, "cards in one row end at different heights"
    more = rows_of(page, ".post__more")
    for row in more:
        assert len({b["bottom"] for b in row}) == 1, "'Lees verder' sits at different heights in one row"
    shoot(page, "community-1280")
    page.goto("/members/")
    names = page.locator(".member-row").evaluate_all(
        "els => els.map(e => [Math.round(e.getBoundingClientRect().top),"
        " Math.round(e.querySelector('.member-row__name').getBoundingClientRect().top)])")
    by_row: dict[int, set] = {}
    for card_top, name_top in names:
        by_row.setdefault(card_top, set()).add(name_top)
    assert all(len(tops) == 1 for tops in by_row.values()), "names in one row sit at different heights"


@pytest.mark.parametrize("width", [PHONE, DESKTOP])
def test_the_group_directory_shows_groups_first_and_a_legible_map(screen, width):
    page = screen(width)
    page.goto("/groups/")
    first_group = box(page, ".group-grid .card")
    assert first_group["y"] < 400, "the groups are buried under other things"
    page.locator("#group-map").scroll_into_view_if_needed()
    sizes = page.locator("svg.kg-graph text").evaluate_all(
        "els => els.map(e => parseFloat(getComputedStyle(e).fontSize) * e.ownerSVGElement.getBoundingClientRect().width"
        " / e.ownerSVGElement.viewBox.baseVal.width)")
    assert sizes and min(sizes) >= 12, f"map labels are {min(sizes):.1f} px on screen at {width} px"
    svg = box(page, "svg.kg-graph")
    assert svg["x"] >= 0 and svg["x"] + svg["width"] <= width
    shoot(page, f"groups-{width}")


@pytest.mark.parametrize("width", [PHONE, DESKTOP])
def test_the_profiles_network_graph_has_legible_full_names(screen, width):
    page = screen(width)
    page.goto("/members/anna-de-vries/")
    shown = page.locator("#member-network ~ .kg-figure svg.kg-graph:visible")
    assert shown.count() == 1, "one drawing of the network at a time"
    page.locator("#member-network").scroll_into_view_if_needed()
    sizes = shown.locator("text").evaluate_all(
        "els => els.map(e => parseFloat(getComputedStyle(e).fontSize) * e.ownerSVGElement.getBoundingClientRect().width"
        " / e.ownerSVGElement.viewBox.baseVal.width)")
    assert sizes and min(sizes) >= 11, f"names in the graph are {min(sizes):.1f} px on screen at {width} px"
    names = shown.locator("text").evaluate_all("els => els.map(e => e.textContent)")
    assert "Femke van der Linden" in names and not any(n.endswith("…") for n in names)
    figure = box(page, "#member-network ~ .kg-figure")
    assert figure["x"] >= 0 and figure["x"] + figure["width"] <= width
    page.locator("#member-network ~ .kg-figure").screenshot(path=str(ARTIFACTS / f"reader-network-{width}.png"))


def test_search_shows_every_result_labelled_and_the_first_above_the_fold(screen):
    page = screen(SMALL_PHONE)
    page.goto("/search/?q=de")
    page.wait_for_selector(".search-result")
    assert page.locator(".site-header .search-box").count() == 0  # one search box on the search page
    first = box(page, ".search-result")
    assert first["y"] < 568, "the first result is below the fold of a small phone"
    status = page.locator("#search-status").inner_text()
    total = int("".join(ch for ch in status.split()[0] if ch.isdigit()))
    assert total > 10
    shown = page.locator(".search-result").count()
    assert shown == 10
    excerpts = page.locator(".search-result p").all_inner_texts()
    assert len(set(excerpts)) == len(excerpts), "results share one excerpt"
    page.locator("#search-more").click()
    page.locator(".search-result").nth(10).wait_for()  # (no wait_for_function: the CSP forbids eval)
    assert page.evaluate("document.activeElement.closest('.search-result') !== null")  # focus moved on
    while page.locator("#search-more").is_visible():
        shown = page.locator(".search-result").count()
        page.locator("#search-more").click()
        page.locator(".search-result").nth(shown).wait_for()  # the next ten are in
    assert page.locator(".search-result").count() == total
    unlabelled = page.locator(".search-result").evaluate_all(
        "els => els.filter(e => !e.querySelector('.search-result__kind')).map(e => e.querySelector('a').href)")
    assert unlabelled == []
    assert problems(page.content()) == []  # what the script wrote reads clean too
    shoot(page, "search-320")


def test_the_home_page_has_one_leading_headline(screen):
    page = screen(DESKTOP)
    page.goto("/")
    size = "e => parseFloat(getComputedStyle(e).fontSize)"
    h1 = page.locator("main h1").evaluate(size)
    lead = page.locator(".lead-story__title").evaluate(size)
    label = page.locator("#latest-articles").evaluate(size)
    card = page.locator(".card__title").first.evaluate(size)
    assert h1 >= 1.25 * lead and lead >= 1.25 * card and label < card
    cover = box(page, ".issue-home .issue-cover")
    assert cover["width"] >= 500, "the current issue's cover is a thumbnail"
    page = screen(PHONE)
    page.goto("/issues/")
    cover = box(page, ".issue-card .issue-cover")
    assert cover["width"] >= 300 and cover["x"] + cover["width"] <= PHONE


def test_dark_screenshots_of_the_changed_page_types(browser, site_url):
    """For people to look at in dark mode at both widths (test_page_quality shoots every page type
    light, at 375 and 1280 px); what the scripts left on the page must still read clean."""
    context = browser.new_context(viewport={"width": PHONE, "height": 844}, base_url=site_url, color_scheme="dark")
    page = context.new_page()
    try:
        for name, url in [("home", "/"), ("article", "/articles/hoe-schrijf-je-voor-kring/"),
                          ("translation", "/articles/samenwerking-is-de-echte-kracht/en/"), ("groups", "/groups/"),
                          ("group", "/groups/klantcontact/"), ("members", "/members/"), ("issues", "/issues/"),
                          ("community", "/community/")]:
            widen(page, PHONE)
            page.goto(url)
            for width in (PHONE, DESKTOP):
                widen(page, width)
                shoot(page, f"{name}-{width}-dark")
            assert problems(page.content()) == [], url
    finally:
        context.close()
