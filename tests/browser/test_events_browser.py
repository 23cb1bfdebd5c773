"""Event and presentation pages and their listings in chromium, at 390 and 1280 px (issue 13).

The Nu HTML Checker reads these pages in test_page_quality.py's single run of it.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe

from browser_support import ARTIFACTS, shoot_full_page

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
    """One tab per width for the module (the test server forbids caching: each page loads whole)."""
    context = browser.new_context(viewport={"width": width, "height": 900}, base_url=site_url)
    page = context.new_page()
    problems: list[str] = []
    origin = site_url

    def request(req):
        url = urlsplit(req.url)
        if url.scheme in ("http", "https") and f"{url.scheme}://{url.netloc}" != origin:
            problems.append(f"third-party request: {req.url}")

    page.on("request", request)
    page.on("pageerror", lambda exc: problems.append(f"script error: {exc}"))
    page.on("response", lambda r: r.status >= 400 and problems.append(f"HTTP {r.status}: {r.url}"))
    yield page, problems
    context.close()


@pytest.fixture
def tab(width_tab):
    page, problems = width_tab
    page.goto("about:blank")  # ends what the last test left loading, before its problems are cleared
    problems.clear()
    return page, problems


@pytest.mark.parametrize("kind", list(PAGES))
def test_page_is_accessible_and_fits(tab, width, kind):
    page, problems = tab
    page.goto(PAGES[kind])
    page.wait_for_load_state("load")
    shoot_full_page(page, ARTIFACTS / f"{kind}-{width}.png")
    violations = [f"{v['id']}: {v['help']} {[n['target'] for n in v['nodes']][:3]}"
                  for v in Axe().run(page).response["violations"]]
    assert not violations, violations
    assert not page.evaluate("document.documentElement.scrollWidth > window.innerWidth"), f"{kind} scrolls sideways"
    assert not problems, problems


def test_first_slide_is_shown_at_its_size(tab, width):
    page, problems = tab
    page.goto(PAGES["presentation"])
    image = page.locator(".talk__slide img")
    image.wait_for()
    loaded = page.evaluate("(img) => img.complete && img.naturalWidth", image.element_handle())
    assert loaded == 640
    box = image.bounding_box()
    assert 0 < box["width"] <= width and abs(box["height"] / box["width"] - 360 / 640) < 0.02
    assert not problems


def test_a_word_on_one_slide_finds_the_presentation_and_names_the_slide(tab, width):
    if width != 1280:
        pytest.skip("the search does not depend on the screen")
    page, problems = tab
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
    assert not problems
