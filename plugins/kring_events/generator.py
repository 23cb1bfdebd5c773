"""Writes the event and presentation pages, the calendars, the slides and their first image."""

from __future__ import annotations

import datetime as dt
import functools
import os

from pelican.generators import Generator

from kring_core.stored import shared_cache
from kring_directory import get_directory
from kring_search.settings import public_url
from kring_theme import MONTHS

from . import calendar, display, jsonld
from . import settings as plugin_settings

KEY = "agenda"


class Text:
    """A template stand-in whose page is text made in Python (a calendar)."""

    def __init__(self, make, *args):
        self._make, self._args = make, args
        self.name = getattr(make, "__name__", "text")

    def render(self, *_args, **_kwargs) -> str:
        data = self._make(*self._args)
        return data.decode("utf-8") if isinstance(data, bytes) else data


def install_filters(generator) -> None:
    """``generator_init``: the time and size filters of the event templates."""
    lang = generator.settings.get("DEFAULT_LANG", "en")
    zone = generator.settings.get("TIMEZONE") or "UTC"
    env = generator.env
    env.filters["event_when"] = functools.partial(display.when_text, site_zone=zone, lang=lang, months=MONTHS)
    env.filters["event_zone"] = functools.partial(display.zone_text, site_zone=zone)
    env.filters["file_size"] = functools.partial(display.file_size, lang=lang)


class EventsGenerator(Generator):
    """Pages and calendars: everything goes through the writer (so it may be skipped and split)."""

    def generate_context(self):
        self.conf = plugin_settings.read(self.settings)
        self.base = public_url(self.settings)
        agenda = self.context.get(KEY)
        if agenda is None:
            return
        weeks = int(self.conf["KRING_NEWSLETTER_EVENT_WEEKS"])
        for issue in self.context.get("issues") or []:
            start = issue.date.date() if hasattr(issue.date, "date") else issue.date
            issue.coming_events = occurrences_between(agenda.events, start, start + dt.timedelta(weeks=weeks))
            for occurrence in issue.coming_events:  # the plain-text newsletter shows it as it is
                occurrence.label = self.when_label(occurrence)
        self.context["EVENTS_URL"] = self.conf["EVENTS_URL"]
        self.context["PRESENTATIONS_URL"] = self.conf["PRESENTATIONS_URL"]
        self.context["EVENTS_ICS_URL"] = self.conf["EVENTS_ICS_SAVE_AS"]
        self.context["home_events"] = agenda.upcoming[: int(self.conf["KRING_EVENTS_ON_HOME"])]
        directory = get_directory(self.context)
        for kind, objects in (("GROUP", directory.groups.values()), ("MEMBER", directory.members.values())):
            for obj in objects:
                obj.calendar = self.conf[f"{kind}_ICS_SAVE_AS"].format(slug=obj.slug) if obj.public and obj.events else ""

    def agenda(self):
        return self.context.get(KEY)

    def when_label(self, occurrence) -> str:
        lang = self.settings.get("DEFAULT_LANG", "en")
        zone = self.settings.get("TIMEZONE") or "UTC"
        text = display.when_text(occurrence, zone, lang, MONTHS)
        named = display.zone_text(occurrence, zone)
        return f"{text}, {named}" if named else text

    def calendars(self):
        """(save_as, name, events, source) of every calendar file."""
        agenda = self.agenda()
        today, past = agenda.today, int(self.conf["KRING_CALENDAR_PAST_DAYS"])
        site = self.settings.get("SITENAME", "Kring")
        yield self.conf["EVENTS_ICS_SAVE_AS"], site, calendar.kept(agenda.events, today, past), "the calendar of all events"
        for event in agenda.events:
            yield event.ics_save_as, event.title, [event], event.source_path
        directory = get_directory(self.context)
        for obj in directory.public_groups + directory.public_members:
            if obj.calendar:
                yield obj.calendar, f"{site}: {obj.name}", calendar.kept(obj.events, today, past), obj.source_path

    def planned_outputs(self):
        agenda = self.agenda()
        if agenda is None:
            return
        for event in agenda.events:
            yield event.save_as, event.source_path
        for talk in agenda.presentations:
            yield talk.save_as, talk.source_path
        for save_as, _name, _events, source in self.calendars():
            yield save_as, source
        yield self.conf["EVENTS_SAVE_AS"], "the event listing"
        yield self.conf["PRESENTATIONS_SAVE_AS"], "the presentation library"

    def generate_output(self, writer):
        agenda = self.agenda()
        if agenda is None:
            return
        relative = self.settings["RELATIVE_URLS"]
        write = functools.partial(writer.write_file, context=self.context, relative_urls=relative)
        for event in agenda.events:
            write(event.save_as, self.get_template("event"), template_name="event", url=event.url,
                  event=event, page_jsonld=jsonld.event_data(event, self.base))
        write(self.conf["EVENTS_SAVE_AS"], self.get_template("events"), template_name="events", url=self.conf["EVENTS_URL"])
        for talk in agenda.presentations:
            write(talk.save_as, self.get_template("presentation"), template_name="presentation", url=talk.url,
                  presentation=talk, page_jsonld=jsonld.presentation_data(talk, self.base))
        write(self.conf["PRESENTATIONS_SAVE_AS"], self.get_template("presentations"), template_name="presentations",
              url=self.conf["PRESENTATIONS_URL"])
        for save_as, name, events, _source in self.calendars():
            # Handed the events, so a rebuild renders the file again exactly when they changed.
            writer.write_file(save_as, Text(calendar.calendar, events, name, self.base), self.context,
                              events=events, calendar_name=name, calendar_base=self.base)


class SlidesGenerator(Generator):
    """The PDFs and their first slides: binary files, written beside the writer (in the main process)."""

    def generate_context(self):
        self.conf = plugin_settings.read(self.settings)

    def talks(self) -> list:
        agenda = self.context.get(KEY)
        return [t for t in (agenda.presentations if agenda else []) if t.slides is not None and t.slides.save_as]

    def planned_outputs(self):
        for talk in self.talks():
            yield talk.slides.save_as, talk.source_path
            yield talk.slides.image, talk.source_path

    def generate_output(self, writer):
        from .slides import inspect, write_if_changed

        width = int(self.conf["KRING_SLIDE_PREVIEW_WIDTH"])
        for talk in self.talks():
            slides = talk.slides
            with open(slides.source, "rb") as f:
                write_if_changed(os.path.join(self.output_path, slides.save_as), f.read())
            found, _digest = inspect(slides.source, shared_cache(self.settings), width)
            write_if_changed(os.path.join(self.output_path, slides.image), found["png"])


def occurrences_between(events, first: dt.date, stop: dt.date) -> list:
    """Occurrences whose (first) day falls in [first, stop), soonest first."""
    found = []
    for event in events:
        for occ in event.occurrences:
            day = occ.start if event.all_day else occ.start.date()
            if first <= day < stop:
                found.append(occ)
    return sorted(found, key=lambda o: (_sort_key(o), o.event.slug))


def _sort_key(occurrence):
    start = occurrence.start
    if not isinstance(start, dt.datetime):
        return dt.datetime.combine(start, dt.time(), tzinfo=dt.timezone.utc)
    return start
