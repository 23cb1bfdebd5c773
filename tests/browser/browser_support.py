"""Constants and helpers shared by the browser suite's fixtures and tests."""

import base64
import contextlib
import functools
import os
import sys
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

CHROMIUM = os.environ.get("KRING_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
VIEWPORTS = {"phone": {"width": 375, "height": 812}, "desktop": {"width": 1280, "height": 900}}
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"


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
