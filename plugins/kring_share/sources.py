"""Which file on disk an image URL of the site stands for.

Share images and newsletter rasters are made from the site's own files
only (never fetched from another host): a static file Pelican copies, or a
file under the content folder at the same path.
"""

from __future__ import annotations

import os
import posixpath
import re
from urllib.parse import unquote, urlsplit

from bs4 import BeautifulSoup

from kring_core import ContentError, inside_content



_PELICAN_LINK = re.compile(r"^(?:\{(?:static|filename|attach)\}|\|(?:static|filename|attach)\|)(?P<path>.*)$")


class LocalFiles:
    """Site paths (``images/x.svg``) -> source files, from this run's static files."""

    def __init__(self, context: dict, settings: dict):
        self.content = settings.get("PATH", "")
        self.siteurl = str(settings.get("SITEURL") or "").rstrip("/")
        self.by_path: dict[str, str] = {}
        for static in context.get("staticfiles", []) or []:
            for path in (static.save_as, static.url):
                if path:
                    self.by_path[path.lstrip("/")] = static.source_path

    def site_path(self, src: str, page_url: str = "") -> str | None:
        """The path under the output folder that ``src`` (on the page at ``page_url``) points at."""
        src = src.strip()
        if self.siteurl and src.startswith(self.siteurl + "/"):
            src = src[len(self.siteurl):]
        parts = urlsplit(src)
        if parts.scheme or parts.netloc or not parts.path:
            return None  # another host, data: URL or a bare fragment
        path = unquote(parts.path)
        if not path.startswith("/"):
            path = posixpath.join(posixpath.dirname(page_url), path)
        path = posixpath.normpath(path).lstrip("/")
        return None if path.startswith("..") else path

    def find(self, src: str, page_url: str = "", source_path: str = "") -> str | None:
        """The file an image URL stands for, or None when it is not one of the site's files.

        ``src`` may still hold Pelican's ``{static}``/``{filename}`` link (relative to the
        source file ``source_path``, or to the content folder when it starts with /).
        """
        link = _PELICAN_LINK.match(src.strip())
        if link:
            target = unquote(urlsplit(link.group("path")).path)
            folder = os.path.dirname(source_path) if source_path and not target.startswith("/") else self.content
            return self._inside_content(os.path.join(folder, target.lstrip("/")))
        path = self.site_path(src, page_url)
        if path is None:
            return None
        found = self.by_path.get(path)
        if found and os.path.isfile(found):
            return found
        return self._inside_content(os.path.join(self.content, *path.split("/")))

    def _inside_content(self, candidate: str) -> str | None:
        """An existing file under the content folder (neither `..` nor a symbolic link leads outside it)."""
        candidate = os.path.normpath(candidate)
        try:
            inside_content(candidate, {"PATH": self.content})
        except ContentError:
            return None
        return candidate if os.path.isfile(candidate) else None


def images_in(html: str) -> list[tuple[str, str]]:
    """(src, alt) of every <img> in rendered HTML, in order."""
    if "<img" not in (html or ""):
        return []  # most articles: no parsing at all
    soup = BeautifulSoup(html, "lxml")
    return [(img["src"], img.get("alt", "")) for img in soup.find_all("img") if img.get("src")]


def read(path: str) -> bytes:
    with open(path, "rb") as f:
        return f.read()
