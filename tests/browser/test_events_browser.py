"""Event and presentation pages and their listings in chromium, at 390 and 1280 px (issue 13).

The Nu HTML Checker reads these pages in test_page_quality.py's single run of it.
"""

from __future__ import annotations

import pytest
from browser_support import ARTIFACTS, blank, check_at_each_width, problems_at_each_width, watched_tab

WIDTHS = (390, 1280)
PAGES = {
    "event": "/events/meeluistersessie-maart/",
    "event-recurring": "/events/risicocafe/",
    "events": "/events/",
    "presentation": "/presentations/klantreis-als-gespreksstof/",
    "presentations": "/presentations/",
}


@pytest.fixture(params=WIDTHS, scope="module")
def width(request):
    return request.param


@pytest.fixture(scope="module")
def width_tab(browser, site_url, width):
    """One tab per width for the module."""
    with watched_tab(browser, site_url, {"width": width, "height": 900}) as tab:
        yield tab


@pytest.fixture
def tab(width_tab):
    return blank(width_tab)


@pytest.mark.parametrize("kind", list(PAGES))
def test_page_is_accessible_and_fits(widening_tab, kind):
    page, watch = widening_tab
    widths = {str(w): {"width": w, "height": 900} for w in WIDTHS}
    found = check_at_each_width(page, PAGES[kind], widths, f"{kind}-{{width}}.png")
    assert not problems_at_each_width(found, PAGES[kind]), problems_at_each_width(found, PAGES[kind])
    assert not watch.problems()


def test_first_slide_is_shown_at_its_size(tab, width):
    page, watch = tab
    page.goto(PAGES["presentation"])
    image = page.locator(".talk__slide img")
    image.wait_for()
    loaded = page.evaluate("(img) => img.complete && img.naturalWidth", image.element_handle())
    assert loaded == 640
    box = image.bounding_box()
    assert 0 < box["width"] <= width and abs(box["height"] / box["width"] - 360 / 640) < 0.02
    assert not watch.problems()


def test_a_word_on_one_slide_finds_the_presentation_and_names_the_slide(tab, width):
    if width != 1280:
        pytest.skip("the search does not depend on the screen")
    page, watch = tab
    page.goto("/search/?q=terugbelbelofte")  # only on slide 4 of the klantreis deck
    page.wait_for_selector(".search-result")
    result = page.locator(".search-result").first
    assert "De klantreis als gespreksstof" in result.inner_text()
    section = result.locator(".search-result__section")
    assert section.inner_text() == "Dia 4"
    section.click()
    page.wait_for_load_state("load")
    assert page.url.endswith("#slide-4")
    assert page.locator("#slide-4").is_visible()  # the closed <details> opens for the slide
    page.screenshot(path=str(ARTIFACTS / "search-slide-1280.png"))
    assert not watch.problems()
