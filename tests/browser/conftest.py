"""Fixtures for the browser suite: the demo site served over HTTP, Debian's chromium.

Every test here skips (with the reason) only when chromium cannot be started;
`make test` installs it through apt when it runs as root.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from browser_support import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, VIEWPORTS, serve  # noqa: F401

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


@dataclass
class Watch:
    """What a reader's browser did on one page: errors, failures, bytes."""

    origin: str
    errors: list[str] = field(default_factory=list)
    responses: list = field(default_factory=list)

    def attach(self, page) -> None:
        page.on("console", lambda msg: msg.type == "error" and self.errors.append(f"console: {msg.text}"))
        page.on("pageerror", lambda exc: self.errors.append(f"script error: {exc}"))
        page.on("requestfailed", self._failed)
        page.on("request", self._check_host)
        page.on("response", lambda response: self.responses.append(response))

    def _failed(self, request) -> None:
        # ERR_ABORTED: the reader clicked on before a lazy image finished; not a broken link.
        if "ERR_ABORTED" not in (request.failure or ""):
            self.errors.append(f"failed: {request.url} {request.failure}")

    def _check_host(self, request) -> None:
        url = urlsplit(request.url)
        if url.scheme in ("http", "https") and f"{url.scheme}://{url.netloc}" != self.origin:
            self.errors.append(f"third-party request: {request.url}")

    def problems(self) -> list[str]:
        bad = [f"HTTP {r.status}: {r.url}" for r in self.responses if r.status >= 400]
        return self.errors + bad

    def bytes_excluding_images(self) -> int:
        return sum(len(r.body()) for r in self.responses
                   if r.request.resource_type != "image" and r.status < 300)

    def reset(self) -> None:
        self.errors.clear()
        self.responses.clear()


@pytest.fixture(params=list(VIEWPORTS), scope="module")
def viewport(request):
    return request.param


@pytest.fixture(scope="module")
def reader_tab(browser, site_url, viewport):
    """One tab per viewport for a module: a new browser context per test cost more than most checks."""
    context = browser.new_context(viewport=VIEWPORTS[viewport], base_url=site_url)
    page = context.new_page()
    watch = Watch(site_url)
    watch.attach(page)
    yield page, watch
    context.close()


@pytest.fixture
def reader(reader_tab):
    """(page, watch): a blank tab at the given viewport, nothing recorded yet.

    The test server forbids caching (see browser_support.serve), so each page a
    test opens loads whole, and its bytes count, as on a reader's first visit.
    """
    page, watch = reader_tab
    page.goto("about:blank")  # ends what the last test left loading, before the record is cleared
    watch.reset()
    return page, watch
