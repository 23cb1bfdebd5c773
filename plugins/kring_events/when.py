"""Times of events: Start/End/Duration/Timezone/Repeat read and checked, occurrences expanded.

Local times are wall-clock times in the event's zone (RFC 5545's TZID
semantics): a monthly 13:30 stays 13:30 across the change to summer time.
Every check returns an error message for the editor instead of raising.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import zoneinfo

from dateutil import rrule

DATE_FORMATS = ("%Y-%m-%d",)
DATETIME_FORMATS = ("%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S")
DURATION = re.compile(r"^(?:(?P<d>\d+)\s*d)?\s*(?:(?P<h>\d+)\s*h)?\s*(?:(?P<m>\d+)\s*m(?:in)?)?$", re.IGNORECASE)
RRULE_PARTS = ("FREQ", "UNTIL", "COUNT", "INTERVAL", "BYSECOND", "BYMINUTE", "BYHOUR", "BYDAY", "BYMONTHDAY",
               "BYYEARDAY", "BYWEEKNO", "BYMONTH", "BYSETPOS", "WKST")
FREQS = ("YEARLY", "MONTHLY", "WEEKLY", "DAILY", "HOURLY", "MINUTELY", "SECONDLY")
MAX_OCCURRENCES = 500  # an endless weekly event still lists only what a reader needs
HORIZON_DAYS = 2 * 366  # occurrences are expanded up to this far after the build's day


class TimeProblem(ValueError):
    """(field, problem, hint) for a ContentError."""

    def __init__(self, field: str, problem: str, hint: str = ""):
        super().__init__(field, problem, hint)
        self.field, self.problem, self.hint = field, problem, hint


def zone(name: str, field: str = "Timezone") -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(str(name).strip())
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, TypeError):
        raise TimeProblem(field, f"'{name}' is not a time zone.",
                          "Use an IANA name such as Europe/Amsterdam or Europe/London.") from None


def zone_names() -> list[str]:
    return sorted(zoneinfo.available_timezones())


def parse_moment(value, field: str) -> dt.date | dt.datetime:
    """'2027-03-25' -> date; '2027-03-25 13:30' -> naive datetime (wall clock)."""
    text = str(value).strip()
    for fmt in DATETIME_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt)
        except ValueError:
            pass
    for fmt in DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            pass
    raise TimeProblem(field, f"'{text}' is not a date or time.",
                      "Write YYYY-MM-DD HH:MM (e.g. 2027-03-25 13:30), or YYYY-MM-DD for an all-day event.")


def parse_duration(value) -> dt.timedelta:
    text = str(value).strip()
    match = DURATION.match(text)
    if not text or not match or not any(match.groupdict().values()):
        raise TimeProblem("Duration", f"'{text}' is not a duration.", "Write it like 2h30m, 90m, 1h or 2d.")
    parts = {k: int(v or 0) for k, v in match.groupdict().items()}
    return dt.timedelta(days=parts["d"], hours=parts["h"], minutes=parts["m"])


def start_and_end(meta: dict, tz: zoneinfo.ZoneInfo):
    """(start, exclusive end, all_day) from Start, End or Duration."""
    if not str(meta.get("start", "")).strip():
        raise TimeProblem("Start", "is missing.", "Add a line 'Start: YYYY-MM-DD HH:MM'.")
    start = parse_moment(meta["start"], "Start")
    all_day = not isinstance(start, dt.datetime)
    has_end, has_duration = bool(str(meta.get("end", "")).strip()), bool(str(meta.get("duration", "")).strip())
    if has_end and has_duration:
        raise TimeProblem("Duration", "and End are both given.", "Keep one of the two.")
    if has_duration:
        length = parse_duration(meta["duration"])
        if all_day and (length.seconds or not length.days):
            raise TimeProblem("Duration", f"'{meta['duration']}' is not a whole number of days, but Start has no time.",
                              "Write days (e.g. 2d) for an all-day event, or give Start a time.")
        end = start + length
    elif has_end:
        end = parse_moment(meta["end"], "End")
        if all_day != (not isinstance(end, dt.datetime)):
            raise TimeProblem("End", f"'{meta['end']}' and Start '{meta['start']}' must both have a time or both not.",
                              "For an all-day event write two dates; otherwise two times.")
        if all_day:
            end = end + dt.timedelta(days=1)  # End names the last day; the calendar's end is exclusive
    else:
        end = start + (dt.timedelta(days=1) if all_day else dt.timedelta(hours=1))
    if end <= start:
        raise TimeProblem("End", f"'{meta.get('end') or meta.get('duration')}' is not after Start '{meta['start']}'.",
                          "An event ends after it starts: check the date and the time.")
    if not all_day:
        start, end = start.replace(tzinfo=tz), end.replace(tzinfo=tz)
    return start, end, all_day


def _until(value: str, all_day: bool, tz) -> str:
    """UNTIL in the form RFC 5545 asks for: a date for all-day events, else UTC."""
    text = value.strip().replace("-", "").replace(":", "")
    try:
        if len(text) == 8:
            day = dt.datetime.strptime(text, "%Y%m%d").date()
            if all_day:
                return day.strftime("%Y%m%d")
            moment = dt.datetime.combine(day, dt.time(23, 59, 59), tzinfo=tz)
        else:
            utc = text.endswith("Z")
            naive = dt.datetime.strptime(text.rstrip("Z"), "%Y%m%dT%H%M%S" if len(text.rstrip("Z")) == 15 else "%Y%m%dT%H%M")
            if all_day:
                return naive.strftime("%Y%m%d")
            moment = naive.replace(tzinfo=dt.timezone.utc if utc else tz)
    except ValueError:
        raise TimeProblem("Repeat", f"UNTIL={value} is not a date.", "Write UNTIL=YYYY-MM-DD, e.g. UNTIL=2027-06-30.") from None
    return moment.astimezone(dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ")


def normalise_repeat(value, all_day: bool, tz, start) -> str:
    """The Repeat field as a checked RRULE in RFC 5545 form ('' when there is none)."""
    text = str(value or "").strip()
    if not text:
        return ""
    if text.upper().startswith("RRULE:"):
        text = text[6:]
    parts = []
    seen = {}
    for item in text.split(";"):
        if not item.strip():
            continue
        key, sep, val = item.partition("=")
        key, val = key.strip().upper(), val.strip()
        if not sep or not val:
            raise TimeProblem("Repeat", f"'{item}' is not KEY=VALUE.", "Write it like FREQ=MONTHLY;BYDAY=2TU;COUNT=6.")
        if key not in RRULE_PARTS:
            from kring_core import did_you_mean
            raise TimeProblem("Repeat", f"'{key}' is not part of a recurrence rule.",
                              did_you_mean(key, RRULE_PARTS) or f"Use {', '.join(RRULE_PARTS)}.")
        if key in seen:
            raise TimeProblem("Repeat", f"{key} is given twice.", "Keep one.")
        if key == "UNTIL":
            val = _until(val, all_day, tz)
        else:
            val = val.upper()
        seen[key] = val
        parts.append(f"{key}={val}")
    if "FREQ" not in seen:
        raise TimeProblem("Repeat", "has no FREQ.", "Start it with FREQ=DAILY, WEEKLY, MONTHLY or YEARLY.")
    if seen["FREQ"] not in FREQS:
        from kring_core import did_you_mean
        raise TimeProblem("Repeat", f"FREQ={seen['FREQ']} is not a frequency.",
                          did_you_mean(seen["FREQ"], FREQS) or "Use DAILY, WEEKLY, MONTHLY or YEARLY.")
    if "UNTIL" in seen and "COUNT" in seen:
        raise TimeProblem("Repeat", "has both UNTIL and COUNT.", "Keep one of the two (RFC 5545 allows only one).")
    rule = ";".join(parts)
    try:
        _rule(rule, start, tz)
    except (ValueError, TypeError, KeyError, IndexError) as exc:
        raise TimeProblem("Repeat", f"'{value}' is not a recurrence rule: {exc}.",
                          "Write it in RFC 5545 RRULE syntax, e.g. FREQ=MONTHLY;BYDAY=2TU;COUNT=6.") from None
    return rule


def _rule(rule: str, start, tz):
    """A dateutil rule on the wall clock (naive start, UNTIL made naive local to match)."""
    naive = start if not isinstance(start, dt.datetime) else start.replace(tzinfo=None)
    if not isinstance(naive, dt.datetime):
        naive = dt.datetime.combine(naive, dt.time())
    pieces = []
    for item in rule.split(";"):
        key, _, val = item.partition("=")
        if key == "UNTIL" and val.endswith("Z"):
            moment = dt.datetime.strptime(val, "%Y%m%dT%H%M%SZ").replace(tzinfo=dt.timezone.utc)
            val = moment.astimezone(tz).strftime("%Y%m%dT%H%M%S")
        elif key == "UNTIL" and len(val) == 8:
            val += "T235959"
        pieces.append(f"{key}={val}")
    return rrule.rrulestr("RRULE:" + ";".join(pieces), dtstart=naive)


def expand(start, end, all_day: bool, repeat: str, tz, until: dt.date) -> list[tuple]:
    """[(start, end)] of every occurrence that starts before ``until`` (at most MAX_OCCURRENCES)."""
    if not repeat:
        return [(start, end)]
    length = end - start
    found = []
    for naive in _rule(repeat, start, tz):
        day = naive.date() if all_day else naive
        # The first occurrence always counts: an event further ahead than the horizon still has a date.
        if found and ((day if all_day else day.date()) >= until or len(found) >= MAX_OCCURRENCES):
            break
        moment = day if all_day else naive.replace(tzinfo=tz)
        # A wall-clock length: 13:30-17:00 stays so on the day the clocks change.
        stop = moment + length if all_day else (naive + length).replace(tzinfo=tz)
        found.append((moment, stop))
    return found


def build_day(conf: dict, tz) -> dt.date:
    """The day the build counts as today: KRING_TODAY (setting, then environment), else today."""
    value = str(conf.get("KRING_TODAY") or os.environ.get("KRING_TODAY") or "").strip()
    if value:
        try:
            return dt.datetime.strptime(value, "%Y-%m-%d").date()
        except ValueError:
            raise TimeProblem("KRING_TODAY", f"'{value}' is not a date.", "Write it as YYYY-MM-DD, or leave it out.") from None
    return dt.datetime.now(tz).date()


def is_over(end, all_day: bool, today: dt.date, tz) -> bool:
    """An occurrence is over once the build's day is after its last day."""
    last = (end - dt.timedelta(days=1)) if all_day else (end - dt.timedelta(seconds=1)).astimezone(tz).date()
    return last < today
