"""Editors' tools: a new article or a new issue, written correctly the first time.

``invoke new-article`` checks the authors, groups and issue against the
content before writing, so the file it writes builds; ``invoke new-issue``
writes the next issue number as a draft.
"""

from __future__ import annotations

import datetime
import logging
import re
from pathlib import Path

from pelican.settings import DEFAULT_CONFIG
from pelican.utils import slugify

from kring_core.errors import did_you_mean
from kring_core.numbers import parse_number
from kring_directory.resolve import _key as name_key

logger = logging.getLogger(__name__)

HEADER = re.compile(r"^([A-Za-z_]+):\s*(.*)$")


class ScaffoldError(Exception):
    """Something the editor asked for does not exist; the message says what to do."""


def read_header(path: Path) -> dict[str, str]:
    """The `Key: value` lines at the top of a content file (lowercase keys)."""
    header = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        match = HEADER.match(line)
        if not match:
            break
        header[match.group(1).lower()] = match.group(2).strip()
    return header


def slug_for(title: str) -> str:
    return slugify(title, regex_subs=DEFAULT_CONFIG["SLUG_REGEX_SUBSTITUTIONS"])


def _members(content: Path) -> tuple[dict[str, str], list[str]]:
    """Lookup key (slug or display name) -> member slug, and the names for hints."""
    found, names = {}, []
    for path in sorted((content / "members").glob("*.md")):
        name = read_header(path).get("title", path.stem)
        found[name_key(path.stem)] = found[name_key(name)] = path.stem
        names += [name, path.stem]
    return found, names


def _resolve(kind: str, wanted: list[str], known: dict[str, str], choices: list[str]) -> list[str]:
    slugs = []
    for name in wanted:
        slug = known.get(name_key(name))
        if slug is None:
            hint = did_you_mean(name, choices) or f"Known {kind}s: {', '.join(sorted(choices)) or 'none'}."
            raise ScaffoldError(f"'{name}' is not a {kind}. {hint}")
        slugs.append(slug)
    return slugs


def issue_numbers(content: Path) -> list[int]:
    numbers = (parse_number(p.stem) for p in (content / "issues").glob("*.md"))
    return sorted(n for n in numbers if n is not None)


def new_article(content: Path, title: str, authors: list[str], groups: list[str] = (),
                issue: int | str | None = None, now: datetime.datetime | None = None) -> Path:
    """Write content/articles/<year>/<slug>.md as a draft; return its path."""
    now = now or datetime.datetime.now()
    title = title.strip()
    if not title:
        raise ScaffoldError("The article needs a title: invoke new-article \"Title\" --author <member>.")
    slug = slug_for(title)
    if not any(c.isalnum() for c in slug):
        raise ScaffoldError(f"The title '{title}' has no letters or digits to make a file name and URL from. "
                            "Give the article a title with words in it.")
    if issue is not None and parse_number(issue) is None:
        raise ScaffoldError(f"--issue '{issue}' is not an issue number: write it in digits 0-9, e.g. --issue 5.")
    issue = parse_number(issue) if issue is not None else None
    if not authors:
        raise ScaffoldError("Name at least one author: --author <member slug or name>.")
    members, names = _members(content)
    author_slugs = _resolve("member", authors, members, names)
    group_files = {p.stem: p.stem for p in (content / "groups").glob("*.md")}
    group_slugs = _resolve("group", list(groups), {name_key(s): s for s in group_files}, list(group_files))
    if issue is not None and issue not in issue_numbers(content):
        known = ", ".join(map(str, issue_numbers(content))) or "none yet"
        raise ScaffoldError(f"Issue {issue} does not exist (existing issues: {known}). Create it with: invoke new-issue")
    taken = {read_header(p).get("slug") or slug_for(read_header(p).get("title", "")): p
             for p in (content / "articles").rglob("*.md")}
    if slug in taken:
        raise ScaffoldError(f"The slug '{slug}' is already used by {taken[slug]}. Choose another title.")
    lines = [f"Title: {title}", f"Slug: {slug}", f"Date: {now:%Y-%m-%d %H:%M}", f"Authors: {', '.join(author_slugs)}"]
    if group_slugs:
        lines.append(f"Groups: {', '.join(group_slugs)}")
    if issue is not None:
        lines.append(f"Issue: {issue}")
    lines.append("Status: draft")
    target = content / "articles" / f"{now:%Y}" / f"{slug}.md"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text("\n".join(lines) + "\n\nSchrijf hier het artikel. Verwijder `Status: draft` om het te publiceren.\n",
                      encoding="utf-8")
    logger.info("wrote %s", target)
    return target


def new_issue(content: Path, title: str = "", date: datetime.date | None = None) -> Path:
    """Write content/issues/<next number>.md as a draft; return its path."""
    numbers = issue_numbers(content)
    number = (numbers[-1] + 1) if numbers else 1
    date = date or datetime.date.today()
    target = content / "issues" / f"{number}.md"
    target.parent.mkdir(parents=True, exist_ok=True)
    header = [f"Number: {number}", f"Title: {title.strip() or f'Nummer {number}'}", f"Date: {date:%Y-%m-%d}",
              "Status: draft"]
    target.write_text("\n".join(header) + "\n\nHet redactioneel van dit nummer.\n", encoding="utf-8")
    logger.info("wrote %s", target)
    return target
