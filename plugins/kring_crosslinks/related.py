"""Related articles from a weighted inverted index (Hugo's approach).

Every article is a set of keys such as ("groups", "itil") or ("tags", "sla").
The index maps each key to the articles that have it, so scoring an article
only visits the articles it shares a key with: the cost grows with
articles x shared keys, not with articles squared.
"""

from __future__ import annotations

import heapq
import logging
from collections import Counter, defaultdict
from typing import Hashable, Sequence

from kring_core import split_list

logger = logging.getLogger(__name__)

Key = tuple[str, Hashable]

# A key is only ever "too common" when more than this many articles share it,
# so small magazines keep every key.
COMMON_FLOOR = 100


def issue_number(article) -> str:
    """The article's issue: ``article.issue`` (set by the issues plugin) or its metadata."""
    issue = getattr(article, "issue", None)
    if issue is None:
        issue = article.metadata.get("issue")
    if issue is None or issue == "":
        return ""
    return str(getattr(issue, "number", issue)).strip()


def article_keys(article) -> set[Key]:
    keys: set[Key] = set()
    for author in getattr(article, "authors", None) or []:
        member = getattr(author, "member", None)
        keys.add(("authors", member.slug if member is not None else author.slug))
    groups = getattr(article, "groups", None)
    if groups is None:  # without the directory plugin: the raw metadata
        groups = split_list(article.metadata.get("groups"))
    for group in groups:
        keys.add(("groups", getattr(group, "slug", group)))
    for tag in getattr(article, "tags", None) or []:
        keys.add(("tags", tag.slug))
    issue = issue_number(article)
    if issue:
        keys.add(("issue", issue))
    return keys


def rank_related(
    keysets: Sequence[set[Key]],
    order: Sequence,
    weights: dict[str, float],
    threshold: float,
    limit: int,
    common: float = 1.0,
) -> list[list[int]]:
    """For each item, the indexes of its most related items, best first.

    ``order`` breaks ties in score: a higher value wins (pass the dates, so
    newer articles come first). An item is never related to itself. A key
    held by more than ``common`` (a share) of the items, and by more than
    ``COMMON_FLOOR`` of them, is left out, as Hugo's cardinalityThreshold does.
    """
    index: dict[Key, list[int]] = defaultdict(list)
    for i, keys in enumerate(keysets):
        for key in keys:
            if weights.get(key[0]):
                index[key].append(i)
    too_many = max(COMMON_FLOOR, common * len(keysets))
    index = {key: posting for key, posting in index.items() if len(posting) <= too_many}
    whole = all(float(w).is_integer() for w in weights.values())
    result = []
    for i, keys in enumerate(keysets):
        scores = _scores(i, keys, index, weights, whole)
        result.append(_top(scores, order, threshold, limit))
    return result


def _scores(i, keys, index, weights, whole) -> dict[int, float]:
    scores: Counter = Counter()
    for key in keys:
        posting = index.get(key)
        if not posting:
            continue
        weight = weights[key[0]]
        if whole:  # counting in C: a key of weight 3 counts its articles 3 times
            for _ in range(int(weight)):
                scores.update(posting)
        else:
            for j in posting:
                scores[j] += weight
    scores.pop(i, None)
    return scores


def _top(scores, order, threshold, limit) -> list[int]:
    """The ``limit`` best-scoring items at or above the threshold; ties: higher ``order`` first."""
    if not scores or limit <= 0:
        return []
    values = sorted(scores.values(), reverse=True)
    cutoff = max(values[min(limit, len(values)) - 1], threshold)
    best = [j for j, score in scores.items() if score >= cutoff]
    best.sort(key=lambda j: (scores[j], order[j]), reverse=True)
    return best[:limit]


def attach_related(articles: Sequence, others: Sequence, conf: dict) -> None:
    """Set ``article.related`` on the published articles; [] on the others (drafts)."""
    for article in others:
        article.related = []
    articles = list(articles)
    limit = int(conf["KRING_RELATED_MAX"])
    if limit <= 0:
        for article in articles:
            article.related = []
        return
    ranked = rank_related(
        [article_keys(a) for a in articles],
        [a.date for a in articles],
        conf["KRING_RELATED_WEIGHTS"],
        conf["KRING_RELATED_THRESHOLD"],
        limit,
        conf["KRING_RELATED_COMMON"],
    )
    for article, best in zip(articles, ranked):
        article.related = [articles[j] for j in best]
