"""The published site's Content-Security-Policy holds, and the site's own pages pass it.

Every page type of the demo is opened in chromium and listens for
``securitypolicyviolation`` events and CSP console errors: there must be none,
also while a search runs (Pagefind's WebAssembly under 'wasm-unsafe-eval').
A site whose article and bio carry raw HTML (an inline script, an event
handler, a third-party iframe and script, a plugin object) shows that the
policy stops each of them.
"""

from __future__ import annotations

import pytest

from browser_support import serve
from kring.build import build
from sitekit import DEV_SETTINGS, Site, article, write_files
from test_page_quality import first_link, page_types

# Collects every violation from the first byte of the page on.
LISTEN = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__csp.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " (" + e.sourceFile + ":" + e.lineNumber + ")");
});
"""


def open_page(browser, url: str | None = None):
    """A page that records policy violations: (context, page, the console's CSP errors)."""
    context = browser.new_context()
    context.add_init_script(LISTEN)
    page = context.new_page()
    console = []
    page.on("console", lambda msg: "Content Security Policy" in msg.text and console.append(msg.text))
    if url:
        page.goto(url, wait_until="load")
    return context, page, console


# Violation events are dispatched as tasks: read the list in a task queued after them.
AFTER_QUEUED_TASKS = "() => new Promise(done => setTimeout(() => done(window.__csp), 0))"


def violations(page, console) -> list[str]:
    return list(page.evaluate(AFTER_QUEUED_TASKS)) + console


def extra_page_types(demo_site) -> dict[str, str]:
    more = {"status": "/community/status/", "events": "/events/", "presentations": "/presentations/",
            "event": first_link(demo_site, "/events/", r"events/[^/]+/$"),
            "presentation": first_link(demo_site, "/presentations/", r"presentations/[^/]+/$")}
    # An article with readers' responses under it, when the demo has one.
    for path in sorted(demo_site.output.glob("articles/*/responses.atom.xml")):
        more["article with responses"] = f"/articles/{path.parent.name}/"
        break
    return {kind: url for kind, url in more.items() if url and demo_site.exists(url)}


def test_every_page_type_carries_the_policy_and_passes_it(demo_site, site_url, browser):
    kinds = {**page_types(demo_site), **extra_page_types(demo_site)}
    assert len(kinds) >= 20 and {"event", "presentation", "article with responses"} <= set(kinds), kinds
    bad = {}
    context, page, console = open_page(browser)  # one tab goes through all pages: the listener is set on each
    for kind, url in kinds.items():
        meta = demo_site.soup(url).select_one('head meta[http-equiv="Content-Security-Policy"]')
        assert meta is not None and "script-src 'self'" in meta["content"], f"{kind}: no policy in {url}"
        assert "unsafe-inline" not in meta["content"] and "'unsafe-eval'" not in meta["content"]
        # WebAssembly only where Pagefind runs
        assert ("wasm-unsafe-eval" in meta["content"]) == (kind == "search"), (kind, meta["content"])
        console.clear()
        page.goto(site_url + url, wait_until="load")
        found = violations(page, console)
        if found:
            bad[kind] = found
    context.close()
    assert not bad, bad


def test_search_works_under_the_policy(demo_site, site_url, browser):
    context, page, console = open_page(browser, f"{site_url}/search/?q=servicemanagement")
    page.wait_for_selector("#search-results li", timeout=20000)
    results = page.locator("#search-results li").count()
    status = page.locator("#search-status").inner_text()
    found = violations(page, console)
    context.close()
    assert results > 0 and "servicemanagement" in status.lower(), status
    assert not found, found


HOSTILE = (
    "Tekst voor de test.\n\n"
    "<script>window.__inline = 1;</script>\n\n"
    "<p><img src=\"x.png\" onerror=\"window.__handler = 1\" alt=\"x\"></p>\n\n"
    "<script src=\"https://evil.example/x.js\"></script>\n\n"
    "<iframe src=\"https://evil.example/frame\"></iframe>\n\n"
    "<object data=\"https://evil.example/x.swf\"></object>\n\n"
    "<p><a href=\"javascript:window.__link=1\" id=\"jslink\">klik</a></p>\n"
)


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    base = tmp_path_factory.mktemp("hostile")
    write_files(base / "content", {"members/anna.md": "Title: Anna de Vries\n\n" + HOSTILE,
                                   **dict([article("rauw", "Rauwe HTML", Authors="anna", body=HOSTILE)])})
    build(DEV_SETTINGS, {"PATH": str(base / "content"), "OUTPUT_PATH": str(base / "output"),
                         "KRING_FEED_ARCHIVE": str(base / "var.sqlite"), "KRING_SEARCH_INDEX": False,
                         "KRING_LINKCHECK": False})
    site = Site(base / "output")
    with serve(site.output) as url:
        yield site, url


def test_raw_html_from_editors_is_published_but_cannot_run(hostile_site, browser):
    site, base = hostile_site
    for url in ("/articles/rauw/", "/members/anna/"):  # one test for both pages: one worker builds their site
        assert "window.__inline" in site.text(url), f"{url}: editors' HTML is published as written (trusted)"
        context, page, console = open_page(browser, base + url)
        requests = []  # (url, why it failed): the third-party host is blocked by the policy, not by the network
        page.on("request", lambda r: "evil.example" in r.url and requests.append(r))
        page.reload(wait_until="load")
        page.click("#jslink")
        ran = page.evaluate("[window.__inline, window.__handler, window.__link]")
        found = " ".join(violations(page, console))
        page.wait_for_timeout(200)
        context.close()
        assert ran == [None, None, None], (url, ran)
        assert all(r.failure in ("csp", "net::ERR_BLOCKED_BY_CSP") for r in requests), \
            (url, [(r.url, r.failure) for r in requests])
        for directive in ("script-src", "frame-src", "object-src"):
            assert directive in found, (url, directive, found)
