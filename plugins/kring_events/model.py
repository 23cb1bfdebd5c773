"""Events and presentations, as the templates and calendars see them.

Plain dataclasses (no sets, no dateutil objects) so every page made from
them can be digested; a recurrence is kept as its RRULE text and expanded when needed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any


@dataclass(eq=False)
class Occurrence:
    """One time an event takes place: start and (exclusive) end, aware datetimes or dates."""

    event: "Event"
    start: Any
    end: Any
    label: str = ""  # the time as text, where Python (not a template) shows it

    @property
    def last_day(self) -> dt.date:
        """For all-day events: the last day, inclusive (the end is exclusive)."""
        return self.end - dt.timedelta(days=1)


@dataclass(eq=False)
class Event:
    slug: str
    title: str
    source_path: str
    source: Any  # the Pelican Page: .content is the description as HTML
    start: Any  # aware datetime in the event's zone, or a date (all-day)
    end: Any  # exclusive: aware datetime, or the day after the last day
    all_day: bool = False
    timezone: str = ""  # the event's IANA zone
    status: str = "confirmed"  # confirmed, tentative, cancelled
    repeat: str = ""  # RRULE, normalised (UNTIL in the value type RFC 5545 asks for)
    sequence: int = 0
    modified: Any = None  # aware datetime from Modified:, or None
    location: str = ""
    online: str = ""
    registration: str = ""
    summary: str = ""  # plain text
    organisers: list[Any] = field(default_factory=list)  # Members
    groups: list[Any] = field(default_factory=list)  # Groups
    url: str = ""
    save_as: str = ""
    ics_save_as: str = ""
    # Filled in once everything is read:
    occurrences: list[Occurrence] = field(default_factory=list)  # within the horizon, in order
    next: Occurrence | None = None  # the first occurrence not over on the build's day
    presentations: list[Any] = field(default_factory=list)

    @property
    def description(self) -> str:
        return self.source.content

    @property
    def date(self):
        """For the activity chart and sorting: the (first) start as a datetime."""
        if self.all_day:
            return dt.datetime.combine(self.start, dt.time(), tzinfo=dt.timezone.utc)
        return self.start

    @property
    def cancelled(self) -> bool:
        return self.status == "cancelled"

    @property
    def public_organisers(self) -> list[Any]:
        return [m for m in self.organisers if m.public]

    @property
    def public_groups(self) -> list[Any]:
        return [g for g in self.groups if g.public]

    @property
    def speakers(self) -> list[Any]:
        found = []
        for talk in self.presentations:
            found += [m for m in talk.public_speakers if m not in found]
        return found

    @property
    def shown(self) -> Occurrence | None:
        """The occurrence a listing shows: the next one, else the last one."""
        if self.next is not None:
            return self.next
        return self.occurrences[-1] if self.occurrences else None

    @property
    def upcoming(self) -> list[Occurrence]:
        if self.next is None:
            return []
        return self.occurrences[self.occurrences.index(self.next):]


@dataclass(eq=False)
class Slides:
    """A presentation's PDF as published: where it went and what it holds."""

    save_as: str = ""  # the PDF's path in the output ("" for a link elsewhere)
    link: str = ""  # an outside address instead of a file
    pages: int = 0
    size: int = 0  # bytes
    image: str = ""  # the first slide as PNG, path in the output
    image_width: int = 0
    image_height: int = 0
    texts: list[str] = field(default_factory=list)  # the text of every slide, in order
    digest: str = ""  # sha256 of the PDF
    source: str = ""  # the PDF under content/


@dataclass(eq=False)
class Presentation:
    slug: str
    title: str
    source_path: str
    source: Any
    date: Any  # aware datetime
    speakers: list[Any] = field(default_factory=list)  # Members
    event: Event | None = None
    groups: list[Any] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    slides: Slides | None = None
    video: str = ""
    summary: str = ""  # plain text
    url: str = ""
    save_as: str = ""

    @property
    def abstract(self) -> str:
        return self.source.content

    @property
    def public_speakers(self) -> list[Any]:
        return [m for m in self.speakers if m.public]

    @property
    def public_groups(self) -> list[Any]:
        return [g for g in self.groups if g.public]


@dataclass
class Agenda:
    """Everything of one run, in the context as ``agenda``."""

    today: dt.date
    zone: str  # the site's IANA zone
    events: list[Event] = field(default_factory=list)  # published (not draft), by first start
    presentations: list[Presentation] = field(default_factory=list)  # published, newest first
    upcoming: list[Event] = field(default_factory=list)  # soonest first
    past_by_year: list[tuple[int, list[Event]]] = field(default_factory=list)  # newest year first
    topics: list[tuple[str, str, list[Presentation]]] = field(default_factory=list)  # (name, anchor, talks)
    draft_urls: list[str] = field(default_factory=list)  # where drafts would appear if they leaked
