"""Events, calendars and presentations: the community's agenda and its talks.

Events come from content/events/<slug>.md, presentations from
content/presentations/<slug>.md. They are read right after the members and
groups (``article_generator_pretaxonomy``), so every other plugin and template
sees ``member.events``, ``member.presentations``, ``group.events``,
``group.presentations`` and ``agenda`` in the context. ``EventsGenerator``
writes /events/, /presentations/, their pages, the slides and the calendars.
"""

from __future__ import annotations

import datetime as dt
import logging

from pelican import signals

from kring_core import defaults

from kring_core import ContentError, report, run
from kring_core.stored import shared_cache
from kring_knowledge.topics import topic_key

from .settings import DEFAULTS as SETTING_DEFAULTS
from . import settings as plugin_settings
from . import sequence, when
from .generator import KEY, EventsGenerator, SlidesGenerator, install_filters
from .loader import Loader
from .model import Agenda

__all__ = ["EventsGenerator", "register"]

logger = logging.getLogger(__name__)

def load(generator) -> None:
    """``article_generator_pretaxonomy`` (after kring_directory): read, check and link everything."""
    directory = generator.context.get("directory")
    if directory is None:
        return
    conf = plugin_settings.read(generator.settings)
    loader = Loader(generator, directory, conf)
    try:
        today = when.build_day(conf, loader.site_zone)
    except when.TimeProblem as problem:
        report(ContentError("", problem.field, problem.problem, problem.hint))
        return
    events, by_slug = loader.events()
    loader.schedule(events, today)
    sequence.check(events, shared_cache(generator.settings), generator.path)
    talks = loader.presentations(by_slug)
    agenda = Agenda(today=today, zone=loader.site_zone_name, draft_urls=loader.drafts)
    agenda.events = sorted(events, key=lambda e: (_moment(e.start), e.slug))
    agenda.presentations = sorted(talks, key=lambda t: (t.date, t.slug), reverse=True)
    _link(agenda, directory)
    _arrange(agenda)
    generator.context[KEY] = agenda
    run.current().drafts.extend(loader.drafts)  # make publish checks that none reaches the release


def _moment(value) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.timezone.utc)
    return dt.datetime.combine(value, dt.time(), tzinfo=dt.timezone.utc)


def _link(agenda: Agenda, directory) -> None:
    for obj in list(directory.members.values()) + list(directory.groups.values()):
        obj.events, obj.presentations = [], []
    for talk in reversed(agenda.presentations):  # oldest first on an event page
        if talk.event is not None:
            talk.event.presentations.append(talk)
    for talk in agenda.presentations:
        for member in talk.speakers:
            member.presentations.append(talk)
        for group in talk.groups:
            group.presentations.append(talk)
    for event in agenda.events:
        people = event.organisers + [m for m in event.speakers if m not in event.organisers]
        for member in people:
            member.events.append(event)
        for group in event.groups:
            group.events.append(event)


def _arrange(agenda: Agenda) -> None:
    """The listings: upcoming soonest first; past events by year, newest first; talks by topic."""
    upcoming = [e for e in agenda.events if e.next is not None]
    agenda.upcoming = sorted(upcoming, key=lambda e: (_moment(e.next.start), e.slug))
    past = sorted((e for e in agenda.events if e.next is None and e.occurrences),
                  key=lambda e: (_moment(e.occurrences[-1].start), e.slug), reverse=True)
    years: dict[int, list] = {}
    for event in past:
        start = event.occurrences[-1].start
        years.setdefault(start.year, []).append(event)
    agenda.past_by_year = sorted(years.items(), reverse=True)
    topics: dict[str, tuple[str, list]] = {}
    for talk in agenda.presentations:
        for tag in talk.tags:
            key = topic_key(tag)
            if key:
                topics.setdefault(key, (tag, []))[1].append(talk)
    agenda.topics = sorted(((name, key, talks) for key, (name, talks) in topics.items()), key=lambda t: t[0].casefold())


def get_generators(_pelican):
    return [EventsGenerator, SlidesGenerator]


def register():
    defaults.declare(__name__, SETTING_DEFAULTS)
    signals.article_generator_pretaxonomy.connect(load)
    signals.generator_init.connect(install_filters)
    signals.get_generators.connect(get_generators)
