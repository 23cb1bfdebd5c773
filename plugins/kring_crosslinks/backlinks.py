""""Linked from": which articles link to an article, by ``{filename}`` or by its URL.

Links are read from each article's HTML before Pelican rewrites them, so a
``{filename}../x.md`` link and a ``/articles/x/`` link count the same.
"""

from __future__ import annotations

import logging
import os
import posixpath
import re
from urllib.parse import unquote, urljoin, urlsplit

from kring_core.pelican_compat import raw_body

logger = logging.getLogger(__name__)

HREF = re.compile(r"""<a\b[^>]*?\bhref\s*=\s*(["'])(.*?)\1""", re.I | re.S)
FILENAME = re.compile(r"^[{|]filename[}|](.*)$")


def _url_key(path: str) -> str:
    """'/articles/x/index.html', 'articles/x' and '/articles/x/' are one page."""
    path = unquote(path).lstrip("/")
    if path.endswith("index.html"):
        path = path[: -len("index.html")]
    return path.rstrip("/")


class ArticleFinder:
    """Finds the article a link in another article points at."""

    def __init__(self, articles, site_url: str, content_path: str):
        self.by_url = {}
        self.by_source = {}
        for article in articles:
            self.by_url[_url_key(article.url)] = article
            self.by_url[_url_key(article.save_as)] = article
            rel = os.path.relpath(article.source_path, content_path).replace(os.sep, "/")
            self.by_source[posixpath.normpath(rel)] = article
        site = urlsplit(site_url or "")
        self.site_host = site.netloc
        self.site_path = site.path.rstrip("/")

    def find(self, article, href: str):
        href = href.strip()
        m = FILENAME.match(href)
        if m:
            path = urlsplit(m.group(1)).path
            if path.startswith("/"):
                rel = path.lstrip("/")
            else:
                base = os.path.relpath(os.path.dirname(article.source_path), article.settings["PATH"])
                rel = posixpath.join(base.replace(os.sep, "/"), unquote(path))
            return self.by_source.get(posixpath.normpath(rel))
        parts = urlsplit(href)
        if parts.scheme or parts.netloc:
            if parts.scheme not in ("http", "https", "") or parts.netloc != self.site_host or not self.site_host:
                return None
            path = parts.path
            if self.site_path and path.startswith(self.site_path):
                path = path[len(self.site_path) :]
        elif href.startswith("{"):  # other Pelican placeholders: {static}, {tag}, ...
            return None
        else:
            path = urljoin("/" + article.url, parts.path) if parts.path else ""
        return self.by_url.get(_url_key(path)) if path else None


def attach_linked_from(articles, site_url: str, content_path: str) -> None:
    """Set ``article.linked_from``: the other published articles linking to it, newest first."""
    articles = list(articles)
    finder = ArticleFinder(articles, site_url, content_path)
    for article in articles:
        article.linked_from = []
    for article in sorted(articles, key=lambda a: a.date, reverse=True):
        for _quote, href in HREF.findall(raw_body(article) or ""):
            target = finder.find(article, href)
            if target is not None and target is not article and article not in target.linked_from:
                target.linked_from.append(article)
