"""Checks that every internal link and image of a built site leads somewhere.

``find_broken_links(output_dir)`` reads every HTML page under ``output_dir``
and checks each ``href``, ``src`` and ``srcset`` that stays on the site: the
file must exist (a directory URL means its ``index.html``) and a ``#fragment``
must be an ``id`` (or ``<a name>``) on the target page. External links are
never fetched.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import os
import posixpath
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import lxml.html
from lxml import etree

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


def _srcset_urls(srcset: str):
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
        self.ids: dict[str, tuple[str, ...]] = {}

    def target(self, path: str) -> str:
        """The output file a site path means ('' for the root's index.html)."""
        rel = posixpath.normpath(unquote(path).lstrip("/")) if path.strip("/") else ""
        rel = "" if rel == "." else rel
        if path.endswith("/") or rel in self.dirs:
            rel = f"{rel}/index.html" if rel else "index.html"
        return rel


# What a page's facts are computed by: this file and lxml. A change to either makes new keys.
_FACTS_VERSION = hashlib.sha256(Path(__file__).read_bytes() + etree.__version__.encode()).hexdigest()[:16]


def _page_facts(path: Path, memo) -> tuple[str, tuple[str, ...], tuple[str, ...]]:
    """(key, ids, links) of a page; with a memo, a page whose bytes were seen before is not parsed again."""
    data = path.read_bytes()
    if memo is None:
        return ("", *_parse_facts(data))
    key = _FACTS_VERSION + hashlib.blake2b(data, digest_size=16).hexdigest()
    return (key, *memo.get(key, lambda: _parse_facts(data)))


def _parse_facts(data: bytes) -> tuple[tuple[str, ...], tuple[str, ...]]:
    tree = lxml.html.fromstring(data or b"<html></html>")
    # Tuples of interned strings: the same id or link on thousands of pages is one
    # string, and a tuple takes a fraction of a set's memory (ids are searched
    # only for the few links with a fragment).
    return tuple(map(sys.intern, sorted(_ids(tree)))), tuple(map(sys.intern, _page_links(tree)))


# XPath collects attribute values in C; walking the elements in Python took most of the time.
_URL_VALUES = etree.XPath(
    "|".join(f"descendant-or-self::*/@{attr}" for attr in URL_ATTRIBUTES), smart_strings=False
)
_SRCSETS = etree.XPath("descendant-or-self::*/@srcset", smart_strings=False)
_IDS = etree.XPath("descendant-or-self::*/@id | descendant-or-self::a/@name", smart_strings=False)


def _ids(tree) -> set[str]:
    return {value for value in _IDS(tree) if value}


def _page_links(tree) -> list[str]:
    links = list(_URL_VALUES(tree))
    for srcset in _SRCSETS(tree):
        links.extend(_srcset_urls(srcset))
    return list(dict.fromkeys(link.strip() for link in links))


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
    output_dir, sources: dict[str, str] | None = None, site_url: str = "", ignore=(), skip=DEFAULT_SKIP, memo=None
) -> list[BrokenLink]:
    """Every broken internal link or image in the site at ``output_dir``.

    ``sources`` maps an output file (relative to ``output_dir``) to what wrote
    it (the build passes the writer's record); ``site_url`` is the site's own
    absolute address (publishconf's SITEURL), whose links count as internal;
    ``ignore`` lists link targets (path prefixes) that are not checked,
    ``skip`` the pages (path prefixes) whose links are not checked. ``memo``
    (``get(key, compute)``, e.g. kring_crosslinks' ``Memo``) keeps each page's
    ids and links by its bytes, so a rebuild parses only the changed pages;
    every link is still checked against the files there are now.
    """
    root = Path(output_dir).resolve()
    sources = sources or {}
    site = _Site(root)
    ignore = tuple(p.lstrip("/") for p in ignore)
    skip = tuple(p.lstrip("/") for p in skip)
    problems: list[BrokenLink] = []
    fragments: list[tuple[str, str, str, str]] = []  # checked once every page's ids are known
    checked = _memo_check(site, site_url, ignore)
    # What a page's links resolve to depends on the page, its place and the files there are
    # (not counting the search index's chunks, renamed on every indexing and never linked to).
    files = sorted(f for f in site.files if not _UNLINKED.match(f))
    site_key = hashlib.blake2b(repr((files, sorted(site.dirs), site_url, ignore)).encode(), digest_size=16).hexdigest()
    for rel in sorted(f for f in site.files if f.endswith(".html")):
        page_key, site.ids[rel], links = _page_facts(root / rel, memo)
        if rel.startswith(skip):
            continue

        def check_page(rel=rel, links=links):
            found, to_check = [], []
            for link in links:
                target, fragment, problem = checked(link, "/" + rel)
                if problem:
                    found.append((link, problem))
                elif target and fragment:
                    to_check.append((link, target, fragment))
            return tuple(found), tuple(to_check)

        # A rebuild: an unchanged page among the same files has the same outcome.
        found, to_check = memo.get(f"links:{page_key}:{rel}:{site_key}", check_page) if page_key else check_page()
        problems += [BrokenLink(rel, link, problem, sources.get(rel, "")) for link, problem in found]
        fragments += [(rel, link, target, fragment) for link, target, fragment in to_check]
    for rel, link, target, fragment in fragments:
        if fragment not in site.ids.get(target, ()):
            problems.append(BrokenLink(rel, link, f"'{target}' has no element with id '{fragment}'", sources.get(rel, "")))
    problems.sort(key=lambda p: (p.page, p.link))
    return problems


def _check(site: _Site, path: str | None, ignore) -> tuple[str, str]:
    """(the target file when its fragment still needs checking, the problem) for a link's site path."""
    if path is None or path.lstrip("/").startswith(ignore):
        return "", ""
    target = site.target(path)
    if target == ".." or target.startswith("../"):
        return "", "it points outside the site"
    if target not in site.files:
        return "", f"'{target}' was not written"
    return (target if target.endswith(".html") else ""), ""


def _memo_check(site: _Site, site_url: str, ignore):
    """``_check`` plus the link's fragment, remembered per link and the part of the page URL it depends on.

    Most links recur on many pages (navigation, members, tags); resolving each
    occurrence again with ``urljoin`` was most of the check's time.
    """
    memo: dict[tuple[str, str], tuple[str, str, str]] = {}

    def checked(link: str, page_url: str) -> tuple[str, str, str]:
        if not link or link == "#":
            return "", "", ""
        key = _resolution_key(link, page_url)
        if key not in memo:
            target, problem = _check(site, _internal_path(*key, site_url), ignore)
            fragment = unquote(urlsplit(link).fragment) if target else ""
            memo[key] = (target, fragment, problem)
        return memo[key]

    return checked


_LEADING_UPS = re.compile(r"(?:\.\./)*")
# Pagefind's content-named chunks (loaded by its script), and the index it is writing or replacing.
_UNLINKED = re.compile(r"pagefind\.(?:new|old)/|pagefind/(?!.*\.(?:js|css)$)")


def _resolution_key(link: str, page_url: str) -> tuple[str, str]:
    """(link, base) that resolve to where ``link`` on ``page_url`` leads.

    A fragment- or query-only link needs the whole page URL, a root-relative
    one none of it; leading ``../`` are taken off the page's folder instead, so
    ``../../members/x/`` is the same key on every page two folders deep.
    """
    first = link[:1]
    if first == "#" or first == "?":
        return link, page_url
    if first == "/":
        return link, "/"
    ups = _LEADING_UPS.match(link).end()
    bases = _bases(page_url)
    return link[ups:], bases[min(ups // 3, len(bases) - 1)]


@functools.lru_cache(maxsize=8)  # pages are checked one after another
def _bases(page_url: str) -> tuple[str, ...]:
    """The page's folder, its parent, ... up to the root: '/a/b/', '/a/', '/'."""
    folders = page_url.split("/")[:-1]  # ['', 'a', 'b'] for /a/b/index.html
    return tuple("/".join(folders[: len(folders) - up]) + "/" for up in range(len(folders)))


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
