"""Which of our articles a link points to: by its published URL, SITEURL/FEED_DOMAIN + path, or a path.

``https://kring.example.nl/articles/x/index.html?utm=1#top``, ``http://localhost:8000/articles/x``
and ``/articles/x/`` all lead to the article whose URL is ``articles/x/``.
"""

from __future__ import annotations

from urllib.parse import urlsplit


def _path(path: str) -> str:
    path = path.strip("/")
    if path.endswith("index.html"):
        path = path[: -len("index.html")].rstrip("/")
    return path


def site_bases(settings, public_url: str, more: list[str]) -> list[tuple[str, str]]:
    """(host, path prefix) of every address the site is known by."""
    bases = []
    for value in (public_url, settings.get("SITEURL") or "", settings.get("FEED_DOMAIN") or "", *more):
        parts = urlsplit(value)
        if parts.scheme in ("http", "https") and parts.netloc:
            bases.append((parts.netloc.lower(), parts.path.strip("/")))
    return list(dict.fromkeys(bases))


class ArticleIndex:
    """Looks up a published article by any link to it."""

    def __init__(self, articles, bases: list[tuple[str, str]]):
        self.by_path = {_path(a.url): a for a in articles}
        self.bases = bases

    def find(self, link: str):
        parts = urlsplit((link or "").strip())
        if parts.scheme in ("http", "https"):
            host = parts.netloc.lower()
            for base_host, prefix in self.bases:
                path = parts.path.strip("/")
                if host == base_host and (not prefix or path == prefix or path.startswith(prefix + "/")):
                    return self.by_path.get(_path(path[len(prefix):]))
            return None
        if parts.scheme or parts.netloc:
            return None  # mailto:, another host without a scheme
        return self.by_path.get(_path(parts.path.lstrip("./")))
