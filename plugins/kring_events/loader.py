"""Reads content/events/*.md and content/presentations/*.md, checks them, links them.

Runs on ``article_generator_pretaxonomy`` right after kring_directory, so the
members and groups are known and every later generator (the knowledge map,
the home page, the newsletters) sees ``member.events``, ``group.presentations``
and the rest. Drafts are read and checked, then left out of everything.
"""

from __future__ import annotations

import datetime as dt
import os
import zoneinfo
from urllib.parse import urlsplit

from markupsafe import Markup
from pelican.contents import Page

from kring_core import ContentError, did_you_mean, report, split_list
from kring_core.stored import shared_cache
from kring_core.drafts import share_status_by_file
from kring_core.numbers import parse_number
from kring_core.paths import reported_outside
from kring_directory.loader import _slug as file_slug
from kring_directory.resolve import AuthorIndex

from . import when
from .model import Event, Occurrence, Presentation, Slides
from .slides import SlidesProblem, inspect

EVENT_STATUSES = ("confirmed", "tentative", "cancelled", "draft")
PRESENTATION_STATUSES = ("published", "draft")
WEB = ("http", "https")
MAX_SEQUENCE = 2**31 - 1  # RFC 5545 INTEGER


def plain(html) -> str:
    """Summary arrives as HTML (Pelican renders it): calendars and JSON-LD need text."""
    return Markup(str(html or "")).striptags()


def read_sources(generator, folder: str):
    """(path, Pelican Page) of every file in ``folder``, read with Kring's checked reader.

    Pelican itself reads a ``Timezone:`` field (to date the page) and raises on
    an unknown zone before Kring sees the file: that becomes the editor's message.
    """
    for rel in sorted(generator.get_files([folder])):
        path = os.path.join(generator.path, rel)
        try:
            source = generator.readers.read_file(base_path=generator.path, path=rel, content_class=Page,
                                                 context=generator.context)
        except ContentError as exc:
            report(exc)
            continue
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):  # ValueError: a key like '../x' or '/etc/x'
            value = _field(path, "timezone")
            if value is None or not _bad_zone(value):
                raise  # not about the time zone
            report(ContentError(path, "Timezone", f"'{value}' is not a time zone.",
                                did_you_mean(value, when.zone_names()) or "Use an IANA name such as Europe/Amsterdam."))
            continue
        yield source.source_path, source


def _bad_zone(value: str) -> bool:
    try:
        when.zone(value)
    except when.TimeProblem:
        return True
    return False


def _field(path: str, name: str) -> str:
    """A metadata line's value, read straight from the file (when Pelican could not read it)."""
    with open(path, encoding="utf-8") as f:
        for line in f:
            key, sep, value = line.partition(":")
            if not line.strip():
                break
            if sep and key.strip().lower() == name:
                return value.strip()
    return ""


def _rel(path: str) -> str:
    return os.path.relpath(path)


def web_address(path: str, field: str, value) -> str:
    text = str(value or "").strip()
    if not text:
        return ""
    parts = urlsplit(text)
    if parts.scheme.lower() in WEB and parts.netloc:
        return text
    report(ContentError(path, field, f"'{text}' is not a web address.", "Write a full address such as https://example.nl/."))
    return ""


def _status(path: str, meta: dict, allowed: tuple, default: str) -> str | None:
    status = str(meta.get("status", default)).strip().lower()
    if status not in allowed:
        report(ContentError(path, "Status", f"'{status}' is not a status here.",
                            did_you_mean(status, allowed) or f"Use one of: {', '.join(allowed)}."))
        return None
    return status


def members_named(path: str, field: str, value, index: AuthorIndex) -> list:
    """Members by display name or slug, like an article's Authors."""
    found = []
    for name in split_list(value):
        matches = index.by_key.get(_key(name), [])
        if len(matches) == 1:
            if matches[0] not in found:
                found.append(matches[0])
        elif matches:
            slugs = " or ".join(f"'{m.slug}'" for m in matches)
            report(ContentError(path, field, f"'{name}' is the name of more than one member.", f"Write the slug instead: {slugs}."))
        else:
            members = index.directory.members
            choices = [m.name for m in members.values()] + list(members)
            report(ContentError(path, field, f"'{name}' is not a member.", did_you_mean(name, choices)))
    return found


def _key(name: str) -> str:
    from kring_directory.resolve import _key as key

    return key(name)


def groups_named(path: str, value, directory) -> list:
    found = []
    for slug in split_list(value):
        group = directory.groups.get(slug)
        if group is None:
            report(ContentError(path, "Groups", f"'{slug}' is not a group.", did_you_mean(slug, directory.groups)))
        elif group not in found:
            found.append(group)
    return found


class Loader:
    """One run's reading of events and presentations."""

    def __init__(self, generator, directory, conf: dict):
        self.generator, self.directory, self.conf = generator, directory, conf
        self.site_zone_name = generator.settings.get("TIMEZONE") or "UTC"
        self.site_zone = when.zone(self.site_zone_name)
        self.index = AuthorIndex(directory)
        self.owners: dict[str, str] = {}  # slug -> the file that has it (members, groups, events, presentations)
        for kind in (directory.members, directory.groups):
            for slug, obj in kind.items():
                self.owners[slug] = obj.source_path
        self.drafts: list[str] = []  # URLs of drafts

    def claim(self, path: str, slug: str) -> bool:
        other = self.owners.get(slug)
        if other is not None:
            report(ContentError(path, "", f"the slug '{slug}' is also used by {_rel(other)}.",
                                "Slugs are unique across members, groups, events and presentations: rename one of the files."))
            return False
        self.owners[slug] = path
        return True

    def urls(self, kind: str, slug: str) -> tuple[str, str]:
        return self.conf[f"{kind}_URL"].format(slug=slug), self.conf[f"{kind}_SAVE_AS"].format(slug=slug)

    # Events

    def events(self) -> tuple[list[Event], dict[str, Event | None]]:
        """(published events, every slug -> its event or None for a draft)."""
        found, slugs = [], {}
        files = read_sources(self.generator, self.conf["KRING_EVENTS_PATH"])
        for path, source in share_status_by_file(files, file_slug):  # a draft's translation is a draft
            slug = file_slug(path)
            if not self.claim(path, slug):
                continue
            event = self.event(path, slug, source)
            if event == "draft":
                slugs[slug] = None
                self.drafts.append(self.urls("EVENT", slug)[0])
            elif event is not None:
                slugs[slug] = event
                found.append(event)
        return found, slugs

    def event(self, path: str, slug: str, source):
        meta = source.metadata
        status = _status(path, meta, EVENT_STATUSES, "confirmed")
        try:
            tz_name = str(meta.get("timezone") or self.site_zone_name).strip()
            tz = when.zone(tz_name)
            start, end, all_day = when.start_and_end(meta, tz)
            repeat = when.normalise_repeat(meta.get("repeat"), all_day, tz, start)
        except when.TimeProblem as problem:
            hint = problem.hint
            if problem.field == "Timezone":
                hint = did_you_mean(str(meta.get("timezone")), when.zone_names()) or hint
            report(ContentError(path, problem.field, problem.problem, hint))
            return None
        sequence = str(meta.get("sequence", "0")).strip()
        if parse_number(sequence) is None or parse_number(sequence) > MAX_SEQUENCE:
            problem = "is not a whole number" if parse_number(sequence) is None else "is larger than calendars accept"
            report(ContentError(path, "Sequence", f"'{sequence}' {problem}.",
                                "Write 0 for a new event and raise it by one each time its time changes."))
            return None
        organisers = members_named(path, "Organisers", meta.get("organisers"), self.index)
        groups = groups_named(path, meta.get("groups"), self.directory)
        online = web_address(path, "Online", meta.get("online"))
        registration = web_address(path, "Registration", meta.get("registration"))
        if status is None:
            return None
        if status == "draft":
            return "draft"
        url, save_as = self.urls("EVENT", slug)
        modified = getattr(source, "modified", None) or None
        return Event(
            slug=slug, title=str(meta["title"]).strip(), source_path=path, source=source,
            start=start, end=end, all_day=all_day, timezone=tz_name, status=status, repeat=repeat,
            sequence=parse_number(sequence), modified=modified, location=str(meta.get("location", "")).strip(),
            online=online, registration=registration, summary=plain(meta.get("summary")),
            organisers=organisers, groups=groups, url=url, save_as=save_as,
            ics_save_as=self.conf["EVENT_ICS_SAVE_AS"].format(slug=slug),
        )

    def schedule(self, events: list[Event], today: dt.date) -> None:
        """Every event's occurrences up to the horizon, and the next one from the build's day."""
        horizon = today + dt.timedelta(days=when.HORIZON_DAYS)
        for event in events:
            tz = when.zone(event.timezone)
            spans = when.expand(event.start, event.end, event.all_day, event.repeat, tz, horizon)
            event.occurrences = [Occurrence(event, start, end) for start, end in spans]
            event.next = next((o for o in event.occurrences
                               if not when.is_over(o.end, event.all_day, today, self.site_zone)), None)

    # Presentations

    def presentations(self, events: dict[str, Event | None]) -> list[Presentation]:
        found = []
        talks = read_sources(self.generator, self.conf["KRING_PRESENTATIONS_PATH"])
        for path, source in share_status_by_file(talks, file_slug):  # a draft's translation is a draft
            slug = file_slug(path)
            if not self.claim(path, slug):
                continue
            talk = self.presentation(path, slug, source, events)
            if talk == "draft":
                self.drafts.append(self.urls("PRESENTATION", slug)[0])
            elif talk is not None:
                found.append(talk)
        return found

    def presentation(self, path: str, slug: str, source, events: dict[str, Event | None]):
        meta = source.metadata
        status = _status(path, meta, PRESENTATION_STATUSES, "published")
        speakers = members_named(path, "Speakers", meta.get("speakers"), self.index)
        if not split_list(meta.get("speakers")):
            report(ContentError(path, "Speakers", "is missing.", "Add a line 'Speakers: <member slug or name>'."))
        groups = groups_named(path, meta.get("groups"), self.directory)
        event = None
        event_slug = str(meta.get("event", "")).strip()
        if event_slug:
            if event_slug not in events:
                report(ContentError(path, "Event", f"'{event_slug}' is not an event.", did_you_mean(event_slug, events)))
            event = events.get(event_slug)
        date = getattr(source, "date", None) if "date" in meta else None
        if date is None and event is not None:
            date = event.date
        if date is None:
            report(ContentError(path, "Date", "is missing.", "Add a line 'Date: YYYY-MM-DD' (the day it was given)."))
        video = web_address(path, "Video", meta.get("video"))
        slides = self.slides(path, slug, meta.get("slides"))
        if status is None or date is None:
            return None
        if status == "draft":
            return "draft"
        url, save_as = self.urls("PRESENTATION", slug)
        tags = [str(t) for t in meta.get("tags") or []] if isinstance(meta.get("tags"), list) else split_list(meta.get("tags"))
        return Presentation(
            slug=slug, title=str(meta["title"]).strip(), source_path=path, source=source, date=date,
            speakers=speakers, event=event, groups=groups, tags=tags, slides=slides, video=video,
            summary=plain(meta.get("summary")), url=url, save_as=save_as,
        )

    def slides(self, path: str, slug: str, value) -> Slides | None:
        text = str(value or "").strip()
        if not text:
            return None
        if urlsplit(text).scheme:
            link = web_address(path, "Slides", text)
            return Slides(link=link) if link else None
        rel = text.replace("{static}", "").replace("{attach}", "").lstrip("/")
        if reported_outside(rel, self.generator.settings, source=path, field="Slides"):
            return None
        content = self.generator.path
        full = os.path.join(content, rel)
        if not os.path.isfile(full):
            folder = os.path.dirname(full)
            nearby = [n for n in os.listdir(folder) if n.lower().endswith(".pdf")] if os.path.isdir(folder) else []
            guess = did_you_mean(os.path.basename(rel), nearby)
            report(ContentError(path, "Slides", f"'{text}' does not exist under {_rel(content)}/.",
                                guess or "Write the path of the PDF under content/, or a web address."))
            return None
        try:
            found, digest = inspect(full, shared_cache(self.generator.settings), int(self.conf["KRING_SLIDE_PREVIEW_WIDTH"]))
        except SlidesProblem as problem:
            report(ContentError(path, "Slides", f"'{text}' {problem}", "Export the slides as PDF again and replace the file."))
            return None
        folder = self.conf["PRESENTATION_SAVE_AS"].format(slug=slug).rsplit("/", 1)[0]
        name = os.path.basename(rel)
        if not name.lower().endswith(".pdf"):
            name += ".pdf"
        width, height = found["size"]
        return Slides(
            save_as=f"{folder}/{name}", pages=found["pages"], size=os.path.getsize(full),
            image=f"{folder}/slide-1.png", image_width=width, image_height=height,
            texts=list(found["texts"]), digest=digest, source=full,
        )
