"""``@slug`` in an article's HTML becomes a link to a member's profile or a group's page.

Only text is touched: never code, preformatted blocks, existing links or
e-mail addresses (``info@example.nl`` has a word character before the ``@``).
The link points at the member's or group's source file with Pelican's
``{filename}`` syntax, so Pelican writes the right relative or absolute URL
for every page the article appears on.
"""

from __future__ import annotations

import html
import logging
import os
import re

from kring_core import did_you_mean
from kring_core.errors import display_path
from kring_core.pelican_compat import raw_body, set_body

from .memo import Memo, digest

logger = logging.getLogger(__name__)

# Elements whose text is never rewritten (their content is code or a link).
SKIP = {"a", "code", "pre", "kbd", "samp", "script", "style", "textarea", "button"}
# Tags, comments and CDATA: everything that is not text.
TOKEN = re.compile(r"<!--.*?-->|<!\[CDATA\[.*?\]\]>|<[^>]*>", re.S)
TAG_NAME = re.compile(r"<\s*(/)?\s*([a-zA-Z][a-zA-Z0-9-]*)[^>]*?(/)?\s*>$", re.S)
# "@" not preceded by a word character, "@", "." or "/" (e-mail addresses, URLs),
# then a slug that ends in a letter or digit: "@anna." mentions "anna".
MENTION = re.compile(r"(?<![\w@./&#])@([A-Za-z0-9](?:[\w-]*[A-Za-z0-9])?)")


class Target:
    """What a known slug points at; ``url`` is None when the page is hidden."""

    def __init__(self, slug: str, name: str, source: str | None, obj):
        self.slug, self.name, self.source, self.obj = slug, name, source, obj


def targets(directory, content_path: str) -> dict[str, Target]:
    found = {}
    for kind in (directory.members, directory.groups):
        for slug, obj in kind.items():
            source = None
            if obj.public:
                rel = os.path.relpath(obj.source_path, content_path).replace(os.sep, "/")
                source = "{filename}/" + rel
            found[slug] = Target(slug, obj.name, source, obj)
    return found


class LinkTarget:
    """Stands in for a member or group page in Pelican's ``{filename}`` lookup."""

    def __init__(self, obj):
        self.url = obj.url
        self.source_path = obj.source_path
        self.title = obj.name


def register_link_targets(context, known: dict[str, Target]) -> None:
    """Let ``{filename}`` links (ours, and editors' own) reach profiles and group pages."""
    for target in known.values():
        if target.source is not None:
            key = target.source[len("{filename}/") :]
            context["generated_content"].setdefault(key, LinkTarget(target.obj))


def link_mentions(content: str, known: dict[str, Target], on_unknown=None, on_found=None) -> str:
    """Rewrite ``@slug`` in the text of ``content``; returns the new HTML.

    ``on_unknown(word)`` is called for an ``@word`` that is no known slug,
    ``on_found(target)`` for every known one (linked or hidden).
    """
    if not content or "@" not in content:
        return content
    out = []
    skipping: list[str] = []
    pos = 0

    def text(segment: str) -> str:
        if skipping or "@" not in segment:
            return segment
        return MENTION.sub(lambda m: _replace(m, known, on_unknown, on_found), segment)

    for match in TOKEN.finditer(content):
        out.append(text(content[pos : match.start()]))
        out.append(match.group(0))
        pos = match.end()
        tag = TAG_NAME.match(match.group(0))
        if tag:
            closing, name, selfclosing = tag.group(1), tag.group(2).lower(), tag.group(3)
            if name in SKIP and not selfclosing:
                if closing:
                    if name in skipping:
                        del skipping[len(skipping) - 1 - skipping[::-1].index(name) :]
                else:
                    skipping.append(name)
    out.append(text(content[pos:]))
    return "".join(out)


def _replace(match, known, on_unknown, on_found) -> str:
    word = match.group(1)
    target = known.get(word)
    if target is None:
        if on_unknown:
            on_unknown(word)
        return match.group(0)
    if on_found:
        on_found(target)
    if target.source is None:  # hidden: leave the text as the editor wrote it
        return match.group(0)
    return (
        f'<a class="mention" href="{html.escape(target.source)}" title="@{word}">'
        f"{html.escape(target.name)}</a>"
    )


def known_key(known: dict[str, Target]) -> str:
    """What linking depends on besides the HTML: every slug, its name and where it points."""
    return digest(*(f"{t.slug}\0{t.name}\0{t.source}" for t in sorted(known.values(), key=lambda t: t.slug)))


def linked(content: str, known: dict[str, Target]) -> tuple[str | None, list[str], list[str]]:
    """(new HTML or None when unchanged, slugs found in order, unknown words in order)."""
    found: list[str] = []
    unknown: list[str] = []
    new = link_mentions(content, known, unknown.append, lambda target: found.append(target.slug))
    return (None if new == content else new), found, unknown


def apply(articles, published_ids: set[int], directory, context, content_path: str, memo_folder=None) -> None:
    """Link the mentions in every article; fill ``mentioned_in`` for members and groups.

    ``memo_folder``: where the results per article are kept between runs (see ``memo``).
    """
    known = targets(directory, content_path)
    register_link_targets(context, known)
    memo = Memo(memo_folder, "mentions.pickle")
    known_digest = known_key(known)
    for obj in list(directory.members.values()) + list(directory.groups.values()):
        obj.mentioned_in = []
    for article in articles:
        content = raw_body(article)
        key = digest(known_digest, content or "")
        new, found, unknown = memo.get(key, lambda content=content: linked(content, known))
        for word in unknown:
            hint = did_you_mean(word, known) or "No member or group has a similar slug."
            logger.warning(
                "%s: '@%s' is not a member or group slug; it stays as written. %s",
                display_path(article.source_path), word, hint,
            )
        if new is not None:
            set_body(article, new)
        if id(article) in published_ids:
            for slug in dict.fromkeys(found):
                if article not in known[slug].obj.mentioned_in:
                    known[slug].obj.mentioned_in.append(article)
    memo.save()
    for obj in list(directory.members.values()) + list(directory.groups.values()):
        obj.mentioned_in.sort(key=lambda a: a.date, reverse=True)
