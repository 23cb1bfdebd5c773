"""Constants and helpers shared by the browser suite's fixtures and tests."""

import base64
import contextlib
import functools
import os
import sys
import threading
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

CHROMIUM = os.environ.get("KRING_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
VIEWPORTS = {"phone": {"width": 375, "height": 812}, "desktop": {"width": 1280, "height": 900}}
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"


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


@contextlib.contextmanager
def watched_tab(browser, site_url, size: dict):
    """A tab of its own browser context at that size, its requests and errors watched."""
    context = browser.new_context(viewport=size, base_url=site_url)
    page = context.new_page()
    watch = Watch(site_url)
    watch.attach(page)
    try:
        yield page, watch
    finally:
        context.close()


def blank(tab):
    """(page, watch) with nothing loaded and nothing recorded: what each test starts from.

    The test server forbids caching (see browser_support.serve), so each page a
    test opens loads whole, and its bytes count, as on a reader's first visit.
    """
    page, watch = tab
    page.goto("about:blank")  # ends what the last test left loading, before the record is cleared
    watch.reset()
    return page, watch


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep pytest output readable
        pass

    def end_headers(self):
        # Nothing is cached: a tab that tests reuse loads every page whole, as on a first visit.
        self.send_header("Cache-Control", "no-store")
        super().end_headers()


class QuietServer(ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        # A reader's browser that moves on before a lazy image arrives closes the connection:
        # not a server error worth a traceback in the test output.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


@contextlib.contextmanager
def serve(directory):
    """Serve a built site on a real local HTTP server, uncached; yields its base URL."""
    handler = functools.partial(QuietHandler, directory=str(directory))
    server = QuietServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


# Every image of the page loaded and drawn, lazy ones too (a full-page screenshot shows the whole page).
ALL_IMAGES_LOADED = """() => Promise.all([...document.images].map(img => {
  img.loading = "eager";
  return img.complete ? null : new Promise(done => { img.addEventListener("load", done); img.addEventListener("error", done); });
}))"""


def shoot_full_page(page, path: Path) -> None:
    """A PNG of the whole page with all its images, for people to look at in test-artifacts/screenshots/.

    Chromium's fast PNG encoder (CDP's optimizeForSpeed) takes a third of the
    time of Playwright's own full-page screenshot on a long page; the file is
    a little larger.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    page.evaluate(ALL_IMAGES_LOADED)
    cdp = page.context.new_cdp_session(page)
    try:
        size = cdp.send("Page.getLayoutMetrics")["cssContentSize"]
        shot = cdp.send("Page.captureScreenshot", {
            "format": "png", "optimizeForSpeed": True, "captureBeyondViewport": True,
            "clip": {"x": 0, "y": 0, "width": size["width"], "height": size["height"], "scale": 1}})
    finally:
        cdp.detach()
    path.write_bytes(base64.b64decode(shot["data"]))


def axe_violations(page, options: dict | None = None) -> list[str]:
    """axe-core's violations on the page as it is drawn now, one line each.

    axe (600 KB of script, a third of a check's time) is put into a page once
    per load, so a page checked again after it was widened reuses it.
    """
    from axe_playwright_python.base import AXE_SCRIPT

    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(AXE_SCRIPT)
    found = page.evaluate("options => axe.run(document, options)", options or {"resultTypes": ["violations"]})
    return [f"{v['id']} ({len(v['nodes'])}x): {v['help']} {[n['target'] for n in v['nodes']][:3]}"
            for v in found["violations"]]


# True when the page is wider than the window: a reader would have to scroll sideways.
SIDEWAYS = "document.documentElement.scrollWidth > window.innerWidth"


def check_at_each_width(page, url: str, widths: dict[str, dict], shot_name: str) -> dict[str, dict]:
    """Load ``url`` once at the first width, then widen the window to each next one; at each,
    a full-page screenshot (``shot_name`` with the width's name), axe, and sideways scrolling.

    Only the stylesheet's media queries depend on the width (no script of the
    theme reads it), so a widened page is laid out as one loaded at that width:
    one load instead of one per width. Returns {width: {"axe": [...], "sideways": bool}}.
    """
    found = {}
    for n, (name, size) in enumerate(widths.items()):
        page.set_viewport_size(size)
        if n == 0:
            page.goto(url)
            page.wait_for_load_state("load")
        shoot_full_page(page, ARTIFACTS / shot_name.format(width=name))
        found[name] = {"axe": axe_violations(page), "sideways": page.evaluate(SIDEWAYS)}
    return found


def problems_at_each_width(found: dict[str, dict], url: str) -> list[str]:
    return [f"{width}: {problem}" for width, seen in found.items()
            for problem in seen["axe"] + ([f"{url} scrolls sideways"] if seen["sideways"] else [])]
