"""Topics: one name however it is spelt, plus the site's aliases.

"ITIL", "itil" and " Itil " are one topic (case, accents and spacing do not
count); KRING_TOPIC_ALIASES folds other spellings ("ITIL 4") onto one topic.
A topic's key is also its URL slug, so two topics can never share a page.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from kring_core import ContentError, report

_NOT_WORD = re.compile(r"[^0-9a-z]+")


@functools.lru_cache(maxsize=8192)  # the same few hundred names come back thousands of times
def topic_key(name: str) -> str:
    """'  Sociale  Média ' -> 'sociale-media'; 'C++' -> 'c-plus-plus'."""
    text = str(name).replace("+", " plus ").replace("#", " sharp ")
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return _NOT_WORD.sub("-", folded.casefold()).strip("-")


@dataclass(eq=False)
class Topic:
    slug: str
    url: str
    save_as: str
    spellings: Counter = field(default_factory=Counter)
    preferred: str = ""  # the alias target as the settings spell it
    articles: list[Any] = field(default_factory=list)
    experts: list[Any] = field(default_factory=list)  # Evidence, best first
    _name: str = ""  # cached; ``Topics.add`` clears it

    @property
    def name(self) -> str:
        if not self._name:
            # The alias target, else the most used spelling; on a tie the one with more capitals ("ITIL").
            self._name = self.preferred or min(self.spellings, key=lambda s: (-self.spellings[s], s))
        return self._name

    @property
    def source_path(self) -> str:
        return f"the topic '{self.name}'"


def read_aliases(value) -> dict[str, str]:
    """KRING_TOPIC_ALIASES as {alias key: target spelling}, checked."""
    if not isinstance(value, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
        report(ContentError("", "KRING_TOPIC_ALIASES", "must map spellings to topics.",
                            'Write it as {"ITIL 4": "ITIL", "itil": "ITIL"}.'))
        return {}
    aliases = {topic_key(alias): target.strip() for alias, target in value.items()}
    resolved = {}
    for key in aliases:
        target = _follow(key, aliases)
        if target is None:
            report(ContentError("", "KRING_TOPIC_ALIASES", f"the aliases of '{aliases[key]}' go round in a circle.",
                                "Point every alias straight at the topic's own name."))
        else:
            resolved[key] = target
    return resolved


def _follow(key: str, aliases: dict[str, str]) -> str | None:
    """Where a chain of aliases ends; None if it loops."""
    seen, target = {key}, aliases[key]
    while (step := topic_key(target)) in aliases and step not in seen:
        seen.add(step)
        target = aliases[step]
    step = topic_key(target)
    if step in aliases and topic_key(aliases[step]) != step:
        return None
    return target


class Topics:
    """Every topic of the run, found by any spelling."""

    def __init__(self, aliases: dict[str, str], url: str, save_as: str):
        self.aliases = aliases
        self.url, self.save_as = url, save_as
        self.by_slug: dict[str, Topic] = {}
        self.targets = {topic_key(t): t for t in aliases.values()}

    def _canonical(self, name: str) -> tuple[str, str]:
        target = self.aliases.get(topic_key(name))
        return (topic_key(target), target) if target else (topic_key(name), "")

    def add(self, name: str) -> Topic | None:
        """The topic called ``name``, created on first use."""
        slug, preferred = self._canonical(name)
        if not slug:
            return None
        topic = self.by_slug.get(slug)
        if topic is None:
            topic = Topic(slug, self.url.format(slug=slug), self.save_as.format(slug=slug))
            self.by_slug[slug] = topic
        topic.spellings[" ".join(str(name).split())] += 1
        topic.preferred = preferred or self.targets.get(slug, "")
        topic._name = ""
        return topic

    def find(self, name: str) -> Topic | None:
        """An existing topic, or None: looking never creates one."""
        return self.by_slug.get(self._canonical(name)[0])

    def sorted(self) -> list[Topic]:
        return sorted(self.by_slug.values(), key=lambda t: (t.name.casefold(), t.slug))
