"""Fixtures for the browser suite: the demo site served over HTTP, Debian's chromium.

Every test here skips (with the reason) only when chromium cannot be started;
`make test` installs it through apt when it runs as root.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from browser_support import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, VIEWPORTS, blank, serve, watched_tab  # noqa: F401

HERE = Path(__file__).parent


@pytest.fixture(scope="session")
def site_url(demo_site):
    """The built demo magazine on a real local HTTP server (not file://)."""
    with serve(demo_site.output) as url:
        yield url


class Chromium:
    """One headless chromium per pytest worker, shared by all the browser tests it runs.

    Starting Playwright's driver and chromium costs a second or two; each test
    still gets its own browser context (or page), so no state leaks between them.
    """

    def __init__(self):
        self._playwright = None
        self._browser = None

    def get(self):
        if self._browser is None:
            if not os.access(CHROMIUM, os.X_OK):
                pytest.skip(f"no chromium at {CHROMIUM}: run `make test` as root (it installs it with apt) "
                            "or `sudo apt-get install chromium`")
            from playwright.sync_api import Error, sync_playwright

            self._playwright = sync_playwright().start()
            try:
                self._browser = self._playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            except Error as err:
                self.close()
                pytest.skip(f"chromium at {CHROMIUM} does not start: {err}")
        return self._browser

    def close(self) -> None:
        if self._browser is not None:
            self._browser.close()
        if self._playwright is not None:
            self._playwright.stop()
        self._browser = self._playwright = None


CHROMIUM_OF_THIS_WORKER = Chromium()


@pytest.fixture(scope="module")
def browser(site_url):  # the site is built first, before Playwright's asyncio loop exists
    return CHROMIUM_OF_THIS_WORKER.get()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """Stop chromium after the last browser test in a row (tests/conftest.py runs them last).

    Playwright's sync API keeps an asyncio loop running in this thread while the
    browser is open, which would break a later test that calls asyncio.run().
    """
    yield
    if nextitem is None or nextitem.path.parent != HERE:
        CHROMIUM_OF_THIS_WORKER.close()


@pytest.fixture(params=list(VIEWPORTS), scope="module")
def viewport(request):
    return request.param


@pytest.fixture(scope="module")
def reader_tab(browser, site_url, viewport):
    """One tab per viewport for a module: a new browser context per test cost more than most checks."""
    with watched_tab(browser, site_url, VIEWPORTS[viewport]) as tab:
        yield tab


@pytest.fixture
def reader(reader_tab):
    """(page, watch): a blank tab at the given viewport."""
    return blank(reader_tab)


@pytest.fixture(scope="module")
def widening_tab_of_the_module(browser, site_url):
    """One tab for a module whose tests resize it (see browser_support.check_at_each_width)."""
    with watched_tab(browser, site_url, VIEWPORTS["phone"]) as tab:
        yield tab


@pytest.fixture
def widening_tab(widening_tab_of_the_module):
    """(page, watch): a blank tab; the test sets its width."""
    return blank(widening_tab_of_the_module)
