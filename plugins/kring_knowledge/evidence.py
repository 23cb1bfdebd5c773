"""Who knows what: every topic with its members, ranked by evidence.

Evidence for a member and a topic is what a reader could check: the member
declared it under ``Expertise``; they wrote published articles tagged with it
or filed in a group about it; they wrote community posts in that category or
group; they gave presentations tagged with it or filed in such a group. Topics come from declared expertise and article tags; groups and posts
only add evidence to those (a blog's "Uncategorized" never becomes a topic).
The cost is one pass over members, articles and posts (an inverted index per
topic), never a comparison of every member with every other.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from kring_core import split_list

from .topics import Topic, Topics

_PARENTHESES = re.compile(r"\(([^)]*)\)")


@dataclass(eq=False)
class Evidence:
    """Why a member is listed under a topic."""

    member: Any
    topic: Topic
    declared: bool = False
    articles: list[Any] = field(default_factory=list)
    posts: int = 0
    presentations: list[Any] = field(default_factory=list)
    score: float = 0


def group_topic_names(group) -> list[str]:
    """What a group is about: an optional ``Topics`` field, else its slug and name.

    "Risicomanagement (M_o_R)" is about "Risicomanagement" and "M_o_R".
    """
    declared = group.source.metadata.get("topics") if getattr(group, "source", None) else None
    if declared:
        return split_list(declared)
    outside = _PARENTHESES.sub(" ", group.name)
    return [group.slug, group.name, outside, *_PARENTHESES.findall(group.name)]


def member_presentations(member) -> list[Any]:
    # The events plugin gives members the (published) presentations they gave; each has tags and groups.
    return list(getattr(member, "presentations", None) or [])


def member_posts(member) -> list[Any]:
    # The community plugin gives members their posts; without it there are none.
    return list(getattr(member, "posts", None) or [])


def collect(directory, topics: Topics, weights: dict) -> dict:
    """Fill ``topics`` and return {member slug: [Evidence, best first]}."""
    members = [m for m in directory.members.values() if m.public]
    articles = _published_articles(members)
    for member in members:
        for name in member.expertise:
            topics.add(name)
    for article in articles:
        for tag in getattr(article, "tags", None) or []:
            topics.add(tag.name)
    for member in members:
        for talk in member_presentations(member):
            for tag in talk.tags:
                topics.add(str(tag))
    group_topics = {g.slug: _existing(topics, group_topic_names(g)) for g in directory.groups.values() if g.public}

    evidence: dict[tuple[str, str], Evidence] = {}

    def find(member, topic) -> Evidence:
        key = (member.slug, topic.slug)
        if key not in evidence:
            evidence[key] = Evidence(member, topic)
        return evidence[key]

    for member in members:
        for topic in _existing(topics, member.expertise):
            find(member, topic).declared = True
    for article in articles:
        about = _existing(topics, [t.name for t in getattr(article, "tags", None) or []])
        for group in getattr(article, "groups", []):
            about |= group_topics.get(group.slug, set())
        for topic in sorted(about, key=lambda t: t.slug):
            topic.articles.append(article)
            for author in article.authors:
                if author.member.public:
                    find(author.member, topic).articles.append(article)
    for member in members:
        for post in member_posts(member):
            about = _existing(topics, getattr(post, "categories", None) or [])
            group = getattr(post, "group", None)
            if group is not None:
                about |= group_topics.get(group.slug, set())
            for topic in about:
                find(member, topic).posts += 1
        for talk in member_presentations(member):
            about = _existing(topics, [str(t) for t in talk.tags])
            for group in getattr(talk, "groups", []):
                about |= group_topics.get(group.slug, set())
            for topic in about:
                find(member, topic).presentations.append(talk)
    return _rank(evidence.values(), topics, weights)


def _published_articles(members) -> list[Any]:
    """Every published article with a public author, newest first, once."""
    seen = {}
    for member in members:
        for article in member.articles:
            seen.setdefault(id(article), article)
    return sorted(seen.values(), key=lambda a: (a.date, a.slug), reverse=True)


def _existing(topics: Topics, names) -> set[Topic]:
    found = (topics.find(name) for name in names)
    return {t for t in found if t is not None}


def _rank(items, topics: Topics, weights: dict) -> dict:
    by_member: dict[str, list[Evidence]] = {}
    for ev in items:
        ev.score = (
            weights.get("declared", 0) * ev.declared
            + weights.get("article", 0) * len(ev.articles)
            + weights.get("post", 0) * ev.posts
            + weights.get("presentation", 0) * len(ev.presentations)
        )
        if ev.score > 0:
            ev.topic.experts.append(ev)
            by_member.setdefault(ev.member.slug, []).append(ev)
    order = lambda ev: (-ev.score, ev.member.name.casefold(), ev.topic.name.casefold())  # noqa: E731
    for topic in topics.by_slug.values():
        topic.experts.sort(key=order)
        topic.articles.sort(key=lambda a: (a.date, a.slug), reverse=True)
    for found in by_member.values():
        found.sort(key=lambda ev: (-ev.score, ev.topic.name.casefold()))
    return by_member


def group_expertise(group, by_member: dict, limit: int = 5) -> tuple[list, list]:
    """A group's top topics and its most knowledgeable members, with scores.

    A topic counts for a group as much as its public members' evidence for it.
    """
    topic_score: Counter = Counter()
    topic_by_slug = {}
    for member in group.public_members:
        for ev in by_member.get(member.slug, []):
            topic_score[ev.topic.slug] += ev.score
            topic_by_slug[ev.topic.slug] = ev.topic
    top = sorted(topic_score, key=lambda s: (-topic_score[s], topic_by_slug[s].name.casefold()))[:limit]
    top_topics = [(topic_by_slug[s], topic_score[s]) for s in top]
    people = []
    for member in group.public_members:
        mine = [ev for ev in by_member.get(member.slug, []) if ev.topic.slug in top]
        if mine:
            people.append((member, sum(ev.score for ev in mine), [ev.topic for ev in mine]))
    people.sort(key=lambda p: (-p[1], p[0].name.casefold()))
    return top_topics, people[:limit]
