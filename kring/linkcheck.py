"""Checks that every internal link and image of a built site leads somewhere.

``find_broken_links(output_dir)`` reads every HTML page under ``output_dir``
and checks each ``href``, ``src`` and ``srcset`` that stays on the site: the
file must exist (a directory URL means its ``index.html``) and a ``#fragment``
must be an ``id`` (or ``<a name>``) on the target page. External links are
never fetched.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import lxml.html

logger = logging.getLogger(__name__)

URL_ATTRIBUTES = ("href", "src", "poster")
SKIPPED_SCHEMES = ("mailto", "tel", "data", "javascript", "sms", "geo")
# Draft previews are not part of the published site: their tags have no pages yet.
DEFAULT_SKIP = ("drafts/",)


@dataclass(frozen=True)
class BrokenLink:
    page: str  # the page's path in the output folder
    link: str  # the link exactly as written in the page
    problem: str
    source: str = ""  # the content file (or listing) that produced the page

    def __str__(self) -> str:
        source = f" (from {self.source})" if self.source else ""
        return f"{self.page}{source}: broken link '{self.link}': {self.problem}"


def _urls(element):
    for attr in URL_ATTRIBUTES:
        value = element.get(attr)
        if value is not None:
            yield value
    srcset = element.get("srcset")
    if srcset:
        for candidate in srcset.split(","):
            url = candidate.strip().split(" ")[0]
            if url:
                yield url


class _Site:
    def __init__(self, root: Path):
        self.root = root
        self._ids: dict[Path, set[str]] = {}
        self._trees: dict[Path, object] = {}

    def tree(self, path: Path):
        if path not in self._trees:
            self._trees[path] = lxml.html.fromstring(path.read_bytes() or b"<html></html>")
        return self._trees[path]

    def ids(self, path: Path) -> set[str]:
        if path not in self._ids:
            tree = self.tree(path)
            found = {el.get("id") for el in tree.iter() if isinstance(el.tag, str) and el.get("id")}
            found |= {el.get("name") for el in tree.iter("a") if el.get("name")}
            self._ids[path] = found
        return self._ids[path]


def _internal_path(link: str, page_url: str, site_url: str) -> str | None:
    """The link's absolute path on the site, or None when it leaves the site."""
    parts = urlsplit(link)
    if parts.scheme in SKIPPED_SCHEMES:
        return None
    if parts.scheme or parts.netloc:
        site = urlsplit(site_url) if site_url else None
        if not site or not site.netloc or (parts.netloc != site.netloc):
            return None  # external: never fetched
        path = parts.path
        prefix = site.path.rstrip("/")
        if prefix:
            if not path.startswith(prefix):
                return None
            path = path[len(prefix) :]
        return path or "/"
    return urljoin(page_url, parts.path) if parts.path else page_url


def _target(root: Path, path: str) -> Path:
    target = root / unquote(path).lstrip("/")
    if path.endswith("/") or target.is_dir():
        target = target / "index.html"
    return target


def find_broken_links(
    output_dir, sources: dict[str, str] | None = None, site_url: str = "", ignore=(), skip=DEFAULT_SKIP
) -> list[BrokenLink]:
    """Every broken internal link or image in the site at ``output_dir``.

    ``sources`` maps an output file (relative to ``output_dir``) to what wrote
    it (the build passes the writer's record); ``site_url`` is the site's own
    absolute address (publishconf's SITEURL), whose links count as internal;
    ``ignore`` lists link targets (path prefixes) that are not checked,
    ``skip`` the pages (path prefixes) whose links are not checked.
    """
    root = Path(output_dir).resolve()
    sources = sources or {}
    site = _Site(root)
    ignore = tuple(p.lstrip("/") for p in ignore)
    skip = tuple(p.lstrip("/") for p in skip)
    problems: list[BrokenLink] = []
    for page in sorted(root.rglob("*.html")):
        rel = page.relative_to(root).as_posix()
        if rel.startswith(skip):
            continue
        page_url = "/" + rel
        seen = set()
        for element in site.tree(page).iter():
            if not isinstance(element.tag, str):
                continue
            for link in _urls(element):
                if link in seen:
                    continue
                seen.add(link)
                problem = _check(site, root, link, page, page_url, site_url, ignore)
                if problem:
                    problems.append(BrokenLink(rel, link, problem, sources.get(rel, "")))
    return problems


def _check(site: _Site, root: Path, link: str, page: Path, page_url: str, site_url: str, ignore) -> str:
    link = link.strip()
    if not link or link == "#":
        return ""
    path = _internal_path(link, page_url, site_url)
    if path is None or path.lstrip("/").startswith(ignore):
        return ""
    target = _target(root, path)
    try:
        target.resolve().relative_to(root)
    except ValueError:
        return "it points outside the site"
    if not target.is_file():
        return f"'{target.relative_to(root).as_posix()}' was not written"
    fragment = unquote(urlsplit(link).fragment)
    if fragment and target.suffix == ".html" and fragment not in site.ids(target):
        return f"'{target.relative_to(root).as_posix()}' has no element with id '{fragment}'"
    return ""


def main(argv: list[str] | None = None) -> int:
    """``invoke check``: check any output folder; exit status 1 on broken links."""
    import argparse
    import sys

    parser = argparse.ArgumentParser(description="Check the internal links of a built Kring site.")
    parser.add_argument("output", nargs="?", default="output")
    parser.add_argument("--site-url", default="", help="the site's own address: its absolute links count as internal")
    parser.add_argument("--ignore", action="append", default=[], help="a link target prefix not to check (repeatable)")
    parser.add_argument("--skip", action="append", default=None,
                        help="a page prefix whose links are not checked (repeatable; default: drafts/)")
    args = parser.parse_args(argv)
    if not os.path.isdir(args.output):
        print(f"{args.output} is not a folder; build the site first (make build).", file=sys.stderr)
        return 2
    skip = DEFAULT_SKIP if args.skip is None else args.skip
    problems = find_broken_links(args.output, site_url=args.site_url, ignore=args.ignore, skip=skip)
    for problem in problems:
        print(f"  - {problem}", file=sys.stderr)
    if problems:
        print(f"{len(problems)} broken link(s) in {args.output}.", file=sys.stderr)
        return 1
    print(f"All internal links in {args.output} resolve.")
    return 0
