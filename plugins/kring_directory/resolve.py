"""Links articles to members and groups, and derives who works with whom."""

from __future__ import annotations

import itertools
import unicodedata
from collections import Counter

from pelican.urlwrappers import Author

from kring_core import ContentError, did_you_mean, report, split_list
from .model import Directory, Member

from kring_core.pelican_compat import ARTICLE_LISTS  # every list of articles Pelican keeps: all get resolved authors


def _key(name: str) -> str:
    """Case, accents and spacing do not matter when naming an author."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return " ".join(folded.casefold().split())


class AuthorIndex:
    """Finds a member by slug or display name."""

    def __init__(self, directory: Directory):
        self.directory = directory
        self.by_key: dict[str, list[Member]] = {}
        for member in directory.members.values():
            for key in {_key(member.slug), _key(member.name)}:
                self.by_key.setdefault(key, []).append(member)

    def lookup(self, path: str, name: str) -> Member | None:
        found = self.by_key.get(_key(name), [])
        if len(found) == 1:
            return found[0]
        if found:
            slugs = " or ".join(f"'{m.slug}'" for m in found)
            report(ContentError(path, "Authors", f"'{name}' is the name of more than one member.", f"Write the slug instead: {slugs}."))
            return None
        choices = [m.name for m in self.directory.members.values()] + list(self.directory.members)
        report(ContentError(path, "Authors", f"'{name}' is not a member.", did_you_mean(name, choices)))
        return None


def member_author(member: Member, settings) -> Author:
    """A Pelican Author whose URL is the member's profile."""
    author = Author(member.name, settings)
    author.slug = member.slug
    author.member = member
    return author


def resolve_articles(directory: Directory, generator) -> None:
    index = AuthorIndex(directory)
    for article in _all_articles(generator):
        _resolve_authors(article, index, generator.settings)
        _resolve_groups(article, directory)
    _aggregate(directory, generator.articles)


def _all_articles(generator):
    for attr in ARTICLE_LISTS:
        yield from getattr(generator, attr, [])


def _resolve_authors(article, index: AuthorIndex, settings) -> None:
    authors = []
    for author in getattr(article, "authors", []):
        member = index.lookup(article.source_path, author.name)
        if member is not None:
            authors.append(member_author(member, settings))
    article.authors = authors
    if authors:
        article.author = authors[0]
    elif hasattr(article, "author"):
        del article.author


def _resolve_groups(article, directory: Directory) -> None:
    groups = []
    for slug in split_list(article.metadata.get("groups")):
        group = directory.groups.get(slug)
        if group is None:
            report(ContentError(article.source_path, "Groups", f"'{slug}' is not a group.", did_you_mean(slug, directory.groups)))
        elif group not in groups:
            groups.append(group)
    article.groups = groups
    article.public_groups = [g for g in groups if g.public]


def _aggregate(directory: Directory, published) -> None:
    """Member and group article lists, co-authors and related groups."""
    coauthored: dict[str, Counter] = {slug: Counter() for slug in directory.members}
    for article in sorted(published, key=lambda a: a.date, reverse=True):
        members = [a.member for a in article.authors]
        for member in members:
            member.articles.append(article)
        for a, b in itertools.permutations(members, 2):
            coauthored[a.slug][b.slug] += 1
        for group in article.groups:
            group.articles.append(article)
    for member in directory.members.values():
        member.coauthors = _ranked(coauthored[member.slug], directory.members)
    shared: dict[str, Counter] = {slug: Counter() for slug in directory.groups}
    for member in directory.members.values():
        for a, b in itertools.permutations(member.groups, 2):
            shared[a.slug][b.slug] += 1
    for group in directory.groups.values():
        group.related = _ranked(shared[group.slug], directory.groups)


def _ranked(counter: Counter, lookup: dict) -> list:
    """Public neighbours, most shared first, then by name."""
    items = [(lookup[slug], n) for slug, n in counter.items() if lookup[slug].public]
    return sorted(items, key=lambda item: (-item[1], item[0].name.lower()))
