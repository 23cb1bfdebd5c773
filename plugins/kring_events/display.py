"""How a reader sees an event's time: in the site's zone, with the zone named."""

from __future__ import annotations

import datetime as dt
import zoneinfo

WEEKDAYS = {
    "nl": "maandag dinsdag woensdag donderdag vrijdag zaterdag zondag",
    "en": "Monday Tuesday Wednesday Thursday Friday Saturday Sunday",
}
UNTIL = {"nl": "t/m", "en": "to"}


def _day(value: dt.date, lang: str, months: dict, weekday: bool = True) -> str:
    names = months.get(lang, months["en"]).split()
    text = f"{value.day} {names[value.month - 1]} {value.year}"
    if weekday:
        text = f"{WEEKDAYS.get(lang, WEEKDAYS['en']).split()[value.weekday()]} {text}"
    return text


def when_text(occurrence, site_zone: str, lang: str, months: dict) -> str:
    """'dinsdag 25 maart 2027, 13:30–17:00' in the site's zone; all-day: the days."""
    if occurrence.event.all_day:
        first, last = occurrence.start, occurrence.last_day
        if first == last:
            return _day(first, lang, months)
        return f"{_day(first, lang, months)} {UNTIL.get(lang, 'to')} {_day(last, lang, months)}"
    tz = zoneinfo.ZoneInfo(site_zone)
    start, end = occurrence.start.astimezone(tz), occurrence.end.astimezone(tz)
    if start.date() == (end - dt.timedelta(seconds=1)).date():
        return f"{_day(start.date(), lang, months)}, {start:%H:%M}–{end:%H:%M}"
    return f"{_day(start.date(), lang, months)} {start:%H:%M} – {_day(end.date(), lang, months)} {end:%H:%M}"


def zone_text(occurrence, site_zone: str) -> str:
    """'Europe/Amsterdam, CET' (the abbreviation of that day: CET or CEST)."""
    if occurrence.event.all_day:
        return ""
    local = occurrence.start.astimezone(zoneinfo.ZoneInfo(site_zone))
    return f"{site_zone}, {local.tzname()}"


def iso(moment) -> str:
    return moment.isoformat()


def file_size(size: int, lang: str) -> str:
    """'1,2 MB' / '1.2 MB', '85 kB'."""
    if size >= 1024 * 1024:
        text = f"{size / (1024 * 1024):.1f} MB"
    elif size >= 1024:
        text = f"{round(size / 1024)} kB"
    else:
        text = f"{size} B"
    return text.replace(".", ",") if lang == "nl" else text
