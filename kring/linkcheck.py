"""Checks that every internal link and image of a built site leads somewhere.

``find_broken_links(output_dir)`` reads every HTML page under ``output_dir``
and checks each ``href``, ``src`` and ``srcset`` that stays on the site: the
file must exist (a directory URL means its ``index.html``) and a ``#fragment``
must be an ``id`` (or ``<a name>``) on the target page. External links are
never fetched.
"""

from __future__ import annotations

import functools
import logging
import os
import posixpath
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
    """What the output folder holds, listed once: checking a link is a set lookup.

    Pages are parsed one at a time and only their ids are kept, so memory
    stays small however large the site is.
    """

    def __init__(self, root: Path):
        self.root = root
        self.files: set[str] = set()
        self.dirs: set[str] = {""}
        for folder, dirnames, filenames in os.walk(root):
            rel = Path(folder).relative_to(root).as_posix()
            rel = "" if rel == "." else rel + "/"
            self.dirs.update(rel + d for d in dirnames)
            self.files.update(rel + f for f in filenames)
        self.ids: dict[str, set[str]] = {}

    def target(self, path: str) -> str:
        """The output file a site path means ('' for the root's index.html)."""
        rel = posixpath.normpath(unquote(path).lstrip("/")) if path.strip("/") else ""
        rel = "" if rel == "." else rel
        if path.endswith("/") or rel in self.dirs:
            rel = f"{rel}/index.html" if rel else "index.html"
        return rel


def _page_tree(path: Path):
    return lxml.html.fromstring(path.read_bytes() or b"<html></html>")


def _ids(tree) -> set[str]:
    found = {el.get("id") for el in tree.iter() if isinstance(el.tag, str) and el.get("id")}
    return found | {el.get("name") for el in tree.iter("a") if el.get("name")}


def _page_links(tree) -> list[str]:
    links = []
    for element in tree.iter():
        if isinstance(element.tag, str):
            links.extend(_urls(element))
    return list(dict.fromkeys(link.strip() for link in links))


@functools.lru_cache(maxsize=65536)
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
    fragments: list[tuple[str, str, str, str]] = []  # checked once every page's ids are known
    for rel in sorted(f for f in site.files if f.endswith(".html")):
        tree = _page_tree(root / rel)
        site.ids[rel] = _ids(tree)
        if rel.startswith(skip):
            continue
        for link in _page_links(tree):
            target, problem = _check(site, link, "/" + rel, site_url, ignore)
            if problem:
                problems.append(BrokenLink(rel, link, problem, sources.get(rel, "")))
            elif target and urlsplit(link).fragment:
                fragments.append((rel, link, target, unquote(urlsplit(link).fragment)))
    for rel, link, target, fragment in fragments:
        if fragment not in site.ids.get(target, set()):
            problems.append(BrokenLink(rel, link, f"'{target}' has no element with id '{fragment}'", sources.get(rel, "")))
    problems.sort(key=lambda p: (p.page, p.link))
    return problems


def _check(site: _Site, link: str, page_url: str, site_url: str, ignore) -> tuple[str, str]:
    """(the target file when its fragment still needs checking, the problem)."""
    if not link or link == "#":
        return "", ""
    path = _internal_path(link, page_url, site_url)
    if path is None or path.lstrip("/").startswith(ignore):
        return "", ""
    target = site.target(path)
    if target == ".." or target.startswith("../"):
        return "", "it points outside the site"
    if target not in site.files:
        return "", f"'{target}' was not written"
    return (target if target.endswith(".html") else ""), ""


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
