"""Content-Security-Policy: what a published page may load and run.

Editors' Markdown (articles, pages, bios) is trusted and published as written,
raw HTML included (the commit is the review). The policy limits what such
HTML, or anything that slips through, can do in a reader's browser: scripts
only from the site's own files (no inline script, no event handler
attributes), WebAssembly on the search page only (Pagefind), styles only from the
stylesheet, no plugins, no frames from other hosts, forms only to the site.

Every page that extends base.html carries the policy in a
``<meta http-equiv>`` (``partials/csp_meta.html``), so it holds on any host.
What a meta element cannot say (``frame-ancestors``, and a sandbox for
images opened on their own, e.g. an SVG with a script in it) goes into
``_headers`` for Netlify and Cloudflare Pages; the README has the same lines
for nginx and Apache.
"""

from __future__ import annotations

import logging
import os

from pelican import signals

logger = logging.getLogger(__name__)

DEFAULTS = {
    "KRING_CSP": ("default-src 'self'; script-src 'self'; style-src 'self'; "
                  "img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; "
                  "base-uri 'self'; form-action 'self'"),
    # Only the search page runs Pagefind's WebAssembly: 'wasm-unsafe-eval' allows compiling it, not JavaScript eval.
    "KRING_CSP_SEARCH_SCRIPT": "'wasm-unsafe-eval'",
    # Header-only parts, for every file the site serves (pages, newsletters, images).
    "KRING_CSP_HEADER": "frame-ancestors 'none'; object-src 'none'; base-uri 'self'",
    # Files under these folders are shown as documents without any script (a script in an SVG stays inert).
    "KRING_CSP_INERT_PATHS": ["images/"],
    "KRING_HEADERS_SAVE_AS": "_headers",
}
INERT = "default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; sandbox"


def read(settings) -> dict:
    return {key: settings.get(key, default) for key, default in DEFAULTS.items()}


def headers_file(conf: dict) -> str:
    """The `_headers` file of Netlify and Cloudflare Pages (rules that match a path are all applied)."""
    lines = ["# Written by Kring (plugins/kring_csp): security headers for the whole site.",
             "# Pages carry the full Content-Security-Policy in a <meta> element; these add what a meta cannot.",
             "/*"]
    if conf["KRING_CSP_HEADER"]:
        lines.append(f"  Content-Security-Policy: {conf['KRING_CSP_HEADER']}")
    lines += ["  X-Content-Type-Options: nosniff", "  X-Frame-Options: DENY",
              "  Referrer-Policy: strict-origin-when-cross-origin"]
    for folder in conf["KRING_CSP_INERT_PATHS"]:
        lines += [f"/{folder.strip('/')}/*", f"  Content-Security-Policy: {INERT}"]
    return "\n".join(lines) + "\n"


def add_script_source(policy: str, source: str) -> str:
    """``policy`` with ``source`` added to its script-src (a policy without one is left alone)."""
    directives = [d.strip() for d in policy.split(";") if d.strip()]
    return "; ".join(f"{d} {source}" if d.startswith("script-src ") and source else d for d in directives)


def add_policy(generator) -> None:
    """``generator_init``: both policies reach every template through the shared context."""
    conf = read(generator.settings)
    generator.context["KRING_CSP"] = conf["KRING_CSP"]
    generator.context["KRING_CSP_SEARCH"] = add_script_source(conf["KRING_CSP"], conf["KRING_CSP_SEARCH_SCRIPT"])


def write_headers(pelican) -> None:
    """``finalized``: the `_headers` file beside the pages."""
    conf = read(pelican.settings)
    if conf["KRING_HEADERS_SAVE_AS"]:
        with open(os.path.join(pelican.output_path, conf["KRING_HEADERS_SAVE_AS"]), "w", encoding="utf-8") as f:
            f.write(headers_file(conf))


def register():
    signals.generator_init.connect(add_policy)
    signals.finalized.connect(write_headers)
