"""Bounds: every value from a feed or a server is brought into range before it is
stored, and every value read from the archive is brought into range again before
it is used (the archive may hold anything: an older Kring, a hand edit).

Dates stay between 1900 and now (a post dated later is shown at the moment it
was first seen), waits between 0 and KRING_FEED_MAX_WAIT seconds, text holds no
character XML cannot carry, validators are printable ASCII or nothing.
"""

from __future__ import annotations

import math
import re
from datetime import datetime, timezone

EARLIEST = datetime(1900, 1, 1, tzinfo=timezone.utc)
# Everything XML 1.0 cannot carry (C0 controls but tab/newline/return, surrogates, U+FFFE/F), plus C1 controls.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
VALIDATOR = re.compile(r"[\x20-\x7e]{1,512}")
TITLE_LENGTH = 500
NAME_LENGTH = 200
URL_LENGTH = 2048
MAX_CATEGORIES = 50  # per post
MAX_LINKS = 100  # web links kept per post (to find responses to articles); more is a link farm


def xml_text(value) -> str:
    """Any stored or received value as text XML can carry."""
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    elif value is None or isinstance(value, float) and not math.isfinite(value):
        return ""
    elif not isinstance(value, str):
        value = str(value)
    return NOT_XML.sub("", value)


def line(value, limit: int = TITLE_LENGTH) -> str:
    """One line of plain text (a title, a name), at most `limit` characters."""
    text = " ".join(xml_text(value).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def date(value, *, now: datetime | None = None) -> datetime | None:
    """A timezone-aware UTC datetime between 1900 and now, or None for anything else."""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.strip())
        except ValueError:
            return None
    if not isinstance(value, datetime):
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    try:
        value = value.astimezone(timezone.utc)
    except (OverflowError, ValueError):
        return None
    latest = now or datetime.now(timezone.utc)
    return value if EARLIEST <= value <= latest else None


LATEST_EPOCH = 253402300799.0  # 9999-12-31 23:59:59 UTC: the last second datetime can show


def epoch(value, default: float | None = 0.0) -> float | None:
    """A stored epoch second brought between 1970 and 9999 (the archive may hold text, NaN or 1e300)."""
    try:
        number = float(value)
    except (TypeError, ValueError, OverflowError):
        return default
    return default if math.isnan(number) else min(max(number, 0.0), LATEST_EPOCH)


def seconds(value, cap: float) -> float | None:
    """A duration from a header (any text), between 0 and `cap`; None when it is not a number."""
    text = str(value or "").strip()
    if not text.isascii() or not text.isdigit():
        return None
    digits = text.lstrip("0") or "0"
    if len(digits) > 15:  # far past any cap (and int() of a megabyte of digits is slow)
        return float(cap)
    return float(min(int(digits), cap))


def validator(value) -> str | None:
    """An ETag or Last-Modified kept only if it can be sent back as a header (printable ASCII)."""
    if isinstance(value, str) and VALIDATOR.fullmatch(value):
        return value
    return None


def url(value) -> str:
    """An http(s) address without whitespace or control characters, else ''."""
    text = xml_text(value).strip()
    if len(text) > URL_LENGTH or any(c.isspace() for c in text):
        return ""
    return text if text.lower().startswith(("http://", "https://")) else ""
