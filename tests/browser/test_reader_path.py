"""A reader's path through the demo magazine in a real chromium, phone and desktop.

home → issue → article → author profile → group → community stream → search.
The issue and community steps follow the links a reader clicks; a step is
skipped only when the build has no page of that type at all.
"""

from __future__ import annotations

import re

import pytest

from browser_support import ARTIFACTS

ISSUE = re.compile(r"(^|/)issues/\d+/$")
ARTICLE = re.compile(r"(^|/)articles/[^/]+/$")
MEMBER = re.compile(r"(^|/)members/[^/]+/$")
GROUP = re.compile(r"(^|/)groups/[^/]+/$")
COMMUNITY = re.compile(r"(^|/)community/$")


def hrefs(page, scope: str) -> list[str]:
    return page.eval_on_selector_all(f"{scope} a[href]", "els => els.map(e => e.getAttribute('href'))")


def click_first(page, scope: str, pattern: re.Pattern) -> str:
    """Click the first link in `scope` whose href matches, as a reader would."""
    matching = [h for h in hrefs(page, scope) if pattern.search(h)]
    assert matching, f"no link matching {pattern.pattern} in {scope} of {page.url}"
    link = page.locator(f'{scope} a[href="{matching[0]}"]').first
    menu = page.locator("header details.site-menu > summary")
    if not link.is_visible() and menu.is_visible():
        menu.click()  # on a phone the menu is folded: the reader opens it first
    link.click()
    page.wait_for_load_state("load")
    return page.url


def arrive(page, watch, name: str, visited: list) -> None:
    page.wait_for_load_state("load")
    assert not watch.problems(), f"{name} ({page.url}): {watch.problems()}"
    visited.append((name, page.url))
    watch.reset()


def test_a_reader_walks_from_home_to_search(reader, demo_site, viewport):
    page, watch = reader
    visited: list = []
    page.goto("/")
    arrive(page, watch, "home", visited)

    if demo_site.exists("/issues/"):
        if not any(ISSUE.search(h) for h in hrefs(page, "main")):
            click_first(page, "header", re.compile(r"(^|/)issues/$"))
        click_first(page, "main", ISSUE)
        arrive(page, watch, "issue", visited)
        assert page.locator("main h1").count() == 1

    click_first(page, "main", ARTICLE)
    arrive(page, watch, "article", visited)
    author = page.locator(".byline a.person").first
    author_name = author.inner_text().strip()

    author.click()
    arrive(page, watch, "author profile", visited)
    assert page.locator("main h1").inner_text().strip() == author_name

    click_first(page, "main", GROUP)
    arrive(page, watch, "group", visited)

    if demo_site.exists("/community/"):
        click_first(page, "header", COMMUNITY)
        arrive(page, watch, "community stream", visited)

    box = page.locator("#search-box-q")
    box.fill("samenwerking")
    box.press("Enter")
    page.wait_for_selector(".search-result")
    arrive(page, watch, "search", visited)
    results = page.locator(".search-result__title")
    assert results.count() >= 3
    assert "samenwerking" in page.locator("#search-status").inner_text()
    first_title = results.first.inner_text().strip()
    results.first.click()
    arrive(page, watch, "search result", visited)
    assert first_title in page.locator("main h1").inner_text()

    names = [name for name, _ in visited]
    assert names[:1] == ["home"] and names[-2:] == ["search", "search result"]
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS.parent / f"reader-path-{viewport}.txt").write_text(
        "\n".join(f"{name}: {url}" for name, url in visited) + "\n", encoding="utf-8")


@pytest.mark.parametrize("query, expected", [
    ("risico's", "risico"),          # Dutch stemming: risico's finds risico
    ("colleagues", "colleagues"),    # the English translation of an article
])
def test_search_finds_dutch_and_english_content(reader, query, expected, viewport):
    if viewport != "desktop":
        pytest.skip("one viewport is enough for the search engine itself")
    page, watch = reader
    page.goto(f"/search/?q={query}")
    page.wait_for_selector(".search-result")
    text = page.locator("#search-results").inner_text().lower()
    assert expected in text
    assert not watch.problems()


def test_search_page_without_javascript_explains_itself(browser, site_url):
    context = browser.new_context(java_script_enabled=False, base_url=site_url)
    page = context.new_page()
    page.goto("/search/?q=itil")
    links = page.locator("main a[href]")
    assert links.count() >= 3  # topics, members, groups, archive
    assert page.locator(".search-nojs").is_visible()  # the <noscript> note is shown
    context.close()


def test_hostile_text_in_an_article_is_shown_not_run_in_search_results(make_site, small_site, browser):
    """Search excerpts are built as text: markup quoted in an article never runs."""
    from browser_support import serve

    from sitekit import article

    hostile = '<img src=x onerror="window.pwned=1"> onerrorprobe'
    files = dict(small_site, **dict([article("boos", "Over onerrorprobe", Authors="anna", body=f"`{hostile}`")]))
    site = make_site(files)
    with serve(site.output) as url:
        page = browser.new_page()
        page.goto(f"{url}/search/?q=onerrorprobe")
        page.wait_for_selector(".search-result")
        assert page.evaluate("window.pwned") is None
        assert page.locator(".search-result img").count() == 0
        assert '<img src=x onerror="window.pwned=1">' in page.locator("#search-results").inner_text()
        page.close()
