"""A member's network: co-authors and the members they share groups with."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass


@dataclass(frozen=True)
class Tie:
    member: object
    articles: int  # articles written together
    groups: int  # groups both belong to

    @property
    def total(self) -> int:
        return self.articles + self.groups


def attach_network(directory, limit: int) -> None:
    """Set ``member.network``: up to ``limit`` public members, most shared first, then by name."""
    for member in directory.members.values():
        together = Counter({other.slug: n for other, n in member.coauthors})
        shared = Counter()
        for group in member.groups:
            for other in group.members:
                if other is not member:
                    shared[other.slug] += 1
        ties = []
        for slug in together.keys() | shared.keys():
            other = directory.members[slug]
            if other.public:
                ties.append(Tie(other, together[slug], shared[slug]))
        ties.sort(key=lambda t: (-t.total, -t.articles, t.member.name.lower()))
        member.network = ties[: max(limit, 0)]
