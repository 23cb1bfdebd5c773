"""iCalendar files (RFC 5545) of events: one event, a group's, a member's, everything.

icalendar writes the syntax (CRLF, folding at 75 octets without splitting a
UTF-8 character, TEXT escaping); this module decides the content:
- times carry their TZID and the calendar its VTIMEZONE; all-day events are
  VALUE=DATE with an exclusive DTEND;
- UID is the slug at the site's host, so it survives edits of title, time and text;
- SEQUENCE is the event file's ``Sequence:`` (the editor raises it when the
  time changes; a build on a fresh clone gives the same number);
- DTSTAMP is derived from the source (``Modified:``, else the first start),
  never from the clock, so two builds of one source give the same bytes;
- ORGANIZER is the member's profile URL: no e-mail address ever appears.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

import icalendar

PRODID = "-//Kring//Kring events//NL"


def uid(event, base: str) -> str:
    host = urlsplit(base).hostname or "kring"
    return f"{event.slug}@{host}"


def dtstamp(event) -> dt.datetime:
    moment = event.modified or event.date
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.timezone.utc)
    return moment.astimezone(dt.timezone.utc)


def description(event, base: str) -> str:
    parts = [event.summary] if event.summary else []
    body = _text(event.description)
    if body:
        parts.append(body)
    if event.online:
        parts.append(f"Online: {event.online}")
    if event.registration:
        parts.append(f"Aanmelden: {event.registration}")
    parts.append(f"{base}/{event.url}")
    return "\n\n".join(parts)


def _text(html: str) -> str:
    from bs4 import BeautifulSoup

    return BeautifulSoup(html or "", "lxml").get_text("\n").strip()


def vevent(event, base: str) -> icalendar.Event:
    item = icalendar.Event()
    item.add("uid", uid(event, base))
    item.add("dtstamp", dtstamp(event))
    if event.modified:
        item.add("last-modified", dtstamp(event))
    item.add("sequence", event.sequence)
    item.add("summary", event.title)
    item.add("dtstart", event.start)
    item.add("dtend", event.end)
    if event.repeat:
        item.add("rrule", icalendar.vRecur.from_ical(event.repeat))
    item.add("status", event.status.upper())
    item.add("url", f"{base}/{event.url}")
    item.add("description", description(event, base))
    if event.location or event.online:
        item.add("location", event.location or event.online)
    if event.online:
        item.add("conference", event.online, parameters={"VALUE": "URI", "FEATURE": "VIDEO"})
    organisers = event.public_organisers
    if organisers:
        lead = organisers[0]
        item.add("organizer", icalendar.vCalAddress(f"{base}/{lead.url}"), parameters={"CN": lead.name})
    categories = [g.name for g in event.public_groups]
    if categories:
        item.add("categories", categories)
    return item


def calendar(events: list, name: str, base: str) -> bytes:
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("name", name)
    cal.add("x-wr-calname", name)
    # Subscribers' apps fetch again this often (the site is published hourly).
    cal.add("refresh-interval", dt.timedelta(hours=1), parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", "PT1H")
    for event in events:
        cal.add_component(vevent(event, base))
    # Zone rules from the year before the first event on: enough, and a tenth of the default's size.
    starts = [e.start if not isinstance(e.start, dt.datetime) else e.start.date() for e in events]
    if starts:
        cal.add_missing_timezones(first_date=dt.date(min(starts).year - 1, 1, 1))
    # icalendar puts the zones first in the order of a set of names (PYTHONHASHSEED): sorted, the
    # same events give the same bytes in every process.
    zones = sorted((c for c in cal.subcomponents if c.name == "VTIMEZONE"), key=lambda c: str(c.get("TZID")))
    cal.subcomponents[:] = zones + [c for c in cal.subcomponents if c.name != "VTIMEZONE"]
    return cal.to_ical()


def kept(events: list, today: dt.date, past_days: int) -> list:
    """Events in a calendar: not ended more than ``past_days`` before the build's day."""
    limit = today - dt.timedelta(days=past_days)
    found = []
    for event in events:
        last = event.occurrences[-1] if event.occurrences else None
        endless = event.repeat and "COUNT=" not in event.repeat and "UNTIL=" not in event.repeat
        if endless or last is None:
            found.append(event)
            continue
        end = last.end if event.all_day else last.end.date()
        if end >= limit:
            found.append(event)
    return found
