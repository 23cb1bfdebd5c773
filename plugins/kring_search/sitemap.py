"""sitemap.xml and robots.txt from the pages this run actually wrote.

Pages are collected through Pelican's ``content_written`` signal, so every
plugin's pages are listed without knowing about them, and a stale file left in
output/ by an earlier build is not. A page is left out when it carries
``<meta name="robots" content="noindex">`` (drafts do); hidden members and
groups have no page at all.
"""

from __future__ import annotations

import logging
import os
from xml.sax.saxutils import escape

from kring_core import run

from .meta import page_url

logger = logging.getLogger(__name__)

NOINDEX = '<meta name="robots" content="noindex">'


def written_pages() -> dict[str, str]:
    """The HTML files this run wrote: output path -> lastmod (ISO date or ""), in the run's state."""
    return run.current().plugins.setdefault(__name__, {})


def _lastmod(context) -> str:
    for key in ("article", "page"):
        obj = context.get(key) if context else None
        date = getattr(obj, "modified", None) or getattr(obj, "date", None)
        if date is not None and hasattr(date, "date"):
            return date.date().isoformat()
    return ""


def remember(path, context=None) -> None:
    """``content_written`` receiver."""
    if str(path).endswith(".html"):
        written_pages()[os.path.abspath(path)] = _lastmod(context)


def indexable_pages(output_path: str) -> list[tuple[str, str]]:
    """(URL relative to the site root, lastmod) of every public page, sorted."""
    pages = []
    root = os.path.abspath(output_path)
    for path, lastmod in written_pages().items():
        if not path.startswith(root + os.sep) or not os.path.isfile(path):
            continue
        with open(path, encoding="utf-8") as f:
            head = f.read(8192)
        if NOINDEX in head:
            continue
        rel = os.path.relpath(path, root).replace(os.sep, "/")
        pages.append((page_url(rel), lastmod))
    return sorted(pages)


def sitemap_xml(pages: list[tuple[str, str]], base: str) -> str:
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    for url, lastmod in pages:
        entry = f"  <url><loc>{escape(base + '/' + url)}</loc>"
        if lastmod:
            entry += f"<lastmod>{lastmod}</lastmod>"
        lines.append(entry + "</url>")
    lines.append("</urlset>")
    return "\n".join(lines) + "\n"


def robots_txt(base: str, sitemap_name: str, draft_prefixes: list[str]) -> str:
    lines = ["User-agent: *"]
    lines += [f"Disallow: /{prefix}" for prefix in draft_prefixes]
    lines.append("Allow: /")
    if sitemap_name:
        lines.append(f"Sitemap: {base}/{sitemap_name}")
    return "\n".join(lines) + "\n"


def draft_prefixes(settings) -> list[str]:
    """'drafts/' from DRAFT_SAVE_AS = 'drafts/articles/{slug}/index.html'."""
    prefixes = set()
    for key in ("DRAFT_SAVE_AS", "DRAFT_PAGE_SAVE_AS"):
        pattern = settings.get(key) or ""
        head = pattern.split("{", 1)[0]
        if "/" in head:
            prefixes.add(head.split("/", 1)[0] + "/")
    return sorted(prefixes)


def write(output_path: str, settings, values: dict) -> None:
    base = values["KRING_PUBLIC_URL"]
    name = values["KRING_SITEMAP_SAVE_AS"]
    if name:
        pages = indexable_pages(output_path)
        with open(os.path.join(output_path, name), "w", encoding="utf-8") as f:
            f.write(sitemap_xml(pages, base))
        logger.info("sitemap: %d pages", len(pages))
    robots = values["KRING_ROBOTS_SAVE_AS"]
    if robots:
        with open(os.path.join(output_path, robots), "w", encoding="utf-8") as f:
            f.write(robots_txt(base, name, draft_prefixes(settings)))
