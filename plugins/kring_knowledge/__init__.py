"""The knowledge map: who knows what (/experts/), who works with whom, group activity.

Runs after the member, group and community plugins: it reads the directory
(and members' community posts when the community plugin provides them) and
shares its results with every template as ``knowledge`` in the context.
Everything is recomputed on every run; nothing outlives it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from pelican import signals

from kring_core import defaults

from kring_core.pages import ObjectPagesGenerator
from kring_directory import get_directory
from kring_theme import MONTHS

from .settings import DEFAULTS as SETTING_DEFAULTS
from . import activity, evidence, graph
from . import settings as plugin_settings
from .topics import Topics, read_aliases, topic_key

__all__ = ["Knowledge", "register", "topic_key"]

logger = logging.getLogger(__name__)


@dataclass
class Knowledge:
    topics: list = field(default_factory=list)  # topics with at least one expert, by name
    by_member: dict = field(default_factory=dict)  # member slug -> [Evidence], best first
    member_graphs: dict = field(default_factory=dict)  # member slug -> Graph
    group_map: graph.Graph | None = None
    group_facts: dict = field(default_factory=dict)  # group slug -> (top topics, people)
    activity: dict = field(default_factory=dict)  # group slug -> Activity
    per_topic: int = 5


def group_posts(group) -> list:
    # The community plugin gives a group its own feeds' posts and its members' posts.
    return list(getattr(group, "posts", None) or [])


def group_meetings(group) -> list:
    # The events plugin gives a group its events and presentations (each with a .date).
    return list(getattr(group, "events", None) or []) + list(getattr(group, "presentations", None) or [])


def build(directory, articles: list, conf: dict, settings: dict) -> Knowledge:
    """Everything the knowledge map shows; ``articles`` are the site's published articles."""
    members = directory.public_members
    groups = directory.public_groups
    topics = Topics(read_aliases(conf["KRING_TOPIC_ALIASES"]), conf["EXPERT_URL"], conf["EXPERT_SAVE_AS"])
    found = Knowledge(per_topic=conf["KRING_EXPERTS_PER_TOPIC"])
    found.by_member = evidence.collect(directory, topics, conf["KRING_EXPERTISE_WEIGHTS"])
    found.topics = [t for t in topics.sorted() if t.experts]

    found.group_map = graph.group_map(groups, members)
    neighbours = graph.Neighbours(members)
    for member in members:
        found.member_graphs[member.slug] = graph.member_graph(member, neighbours, conf["KRING_GRAPH_NEIGHBOURS"])

    zone = ZoneInfo(settings.get("TIMEZONE") or "UTC")
    posts = {g.slug: group_posts(g) for g in groups}
    every_post = [p for m in members for p in evidence.member_posts(m)] + [p for ps in posts.values() for p in ps]
    moments = [a.date for a in articles] + [p.published for p in every_post]
    end = activity.end_month(conf["KRING_ACTIVITY_END"], moments, zone)
    names = MONTHS.get(settings.get("DEFAULT_LANG", "en"), MONTHS["en"]).split()
    for group in groups:
        found.group_facts[group.slug] = evidence.group_expertise(group, found.by_member)
        if end is not None:
            chart = activity.count(group.articles, posts[group.slug], end, conf["KRING_ACTIVITY_MONTHS"], zone,
                                   group_meetings(group))
            for month in chart.months:
                month.label = f"{names[month.month - 1]} {month.year}"
            chart.svg = activity.draw(chart, names)
            found.activity[group.slug] = chart
    return found


class ExpertsGenerator(ObjectPagesGenerator):
    """/experts/ (every topic) and /experts/<topic>/ (its members, ranked, and its articles)."""

    kind = "expert"
    defaults = plugin_settings.DEFAULTS

    def generate_context(self):
        conf = plugin_settings.read(self.settings)
        knowledge = build(get_directory(self.context), self.context.get("articles", []), conf, self.settings)
        self.context["knowledge"] = knowledge
        self.context["EXPERTS_URL"] = conf["EXPERTS_URL"]
        logger.debug("knowledge map: %d topics", len(knowledge.topics))

    def objects(self):
        return self.context["knowledge"].topics

    def directory_outputs(self):
        return [(self.setting("EXPERTS_SAVE_AS"), "the experts directory")]


def get_generators(_pelican):
    return ExpertsGenerator


def register():
    defaults.declare(__name__, SETTING_DEFAULTS)
    signals.get_generators.connect(get_generators)
