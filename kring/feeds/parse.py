"""Parse: RSS, Atom and RDF with feedparser (from the bytes we fetched), JSON Feed ourselves.

Every text and HTML field leaves this module sanitised (see ``sanitize``) and
bounded (see ``bounds``); entry links that are not web addresses are dropped.
Only the first MAX_ENTRIES entries are parsed at all: a document with more is
cut before feedparser sees it, so a 100,000-entry feed costs what 500 cost.
Runs in a worker thread (see ``update``), with a deadline checked per entry.
"""

from __future__ import annotations

import calendar
import json
import logging
import re
import time
from datetime import datetime, timedelta, timezone
from urllib.parse import urljoin

import feedparser

from . import bounds
from .models import Entry, ParsedFeed, Response
from .sanitize import clean_html, cut, plain_text, text_to_html

logger = logging.getLogger(__name__)

MAX_ENTRIES = 500  # per fetch; a feed of a million items is not a blog
RAW_PER_SUMMARY_CHAR = 16  # raw HTML looked at per character of summary: bounds markup-heavy (deep) fragments
ENTRY_START = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(?:item|entry)[\s>/]")
ENTRY_END = re.compile(rb"</(?:[A-Za-z_][\w.-]*:)?(?:item|entry)\s*>")


class ParseTimeout(Exception):
    pass


class _Deadline:
    def __init__(self, seconds: float | None):
        self.at = time.monotonic() + seconds if seconds else None

    def check(self) -> None:
        if self.at is not None and time.monotonic() > self.at:
            raise ParseTimeout()


def parse(response: Response, summary_length: int, timeout: float | None = None) -> ParsedFeed:
    """The feed in `response`, at most MAX_ENTRIES entries; ParseTimeout after `timeout` seconds."""
    deadline = _Deadline(timeout)
    body = response.body
    content_type = response.headers.get("content-type", "").lower()
    if "json" in content_type or body.lstrip()[:1] == b"{":
        return parse_json_feed(body, response.url, summary_length, deadline)
    headers = {k.lower(): v for k, v in response.headers.items()}
    headers.pop("content-encoding", None)  # we already inflated the body
    # No content-location: feedparser would resolve plain ids ("42") against the feed's URL, and
    # a feed that moves would then hand out new ids for old posts. Links are resolved below.
    headers.pop("content-location", None)
    # feedparser's own sanitiser and URI resolver would parse every fragment once more (most of its
    # time on a big feed); nh3 sanitises and resolves against the entry's link in summarise().
    parsed = feedparser.parse(
        first_entries(body, MAX_ENTRIES), response_headers=headers, resolve_relative_uris=False, sanitize_html=False
    )
    if parsed.get("bozo") and not parsed.entries and not parsed.feed:
        return ParsedFeed("", "", [], problem=f"not a feed: {parsed.get('bozo_exception')}")
    if not parsed.get("version") and not parsed.entries:  # e.g. an HTML page where the feed was
        return ParsedFeed("", "", [], problem="not a feed: no RSS, Atom or RDF document found")
    notes = Notes()
    entries = []
    for e in parsed.entries[:MAX_ENTRIES]:
        deadline.check()
        entries.append(_feedparser_entry(e, summary_length, response.url, notes))
    feed = parsed.feed
    self_url = next((web_url(link.get("href", "")) for link in feed.get("links", []) if link.get("rel") == "self"), "")
    title = notes.text(feed.get("title", ""))
    site = _join(response.url, feed.get("link", ""))
    return ParsedFeed(title, site, entries, self_url=self_url, notes=notes.summary())


def first_entries(body: bytes, keep: int) -> bytes:
    """The document without the entries after the first `keep` (the rest is never parsed)."""
    starts = ENTRY_START.finditer(body)
    cut_at = next((m.start() for i, m in enumerate(starts) if i == keep), None)
    if cut_at is None:
        return body
    last_end = None
    for last_end in ENTRY_END.finditer(body, cut_at):
        pass
    tail = body[last_end.end() :] if last_end else b""
    return body[:cut_at] + tail


class Notes:
    """What a feed sent that had to be corrected; reported in the summary and on the status page."""

    def __init__(self):
        self.controls = self.out_of_range = self.future = 0

    def text(self, value) -> str:
        raw = bounds.xml_text(value) if not isinstance(value, str) else value
        if bounds.NOT_XML.search(raw):
            self.controls += 1
        return plain_text(raw)

    def date(self, value: datetime | None, raw=None) -> datetime | None:
        """`value` if it is between 1900 and now; `raw` is the text it came from (counted when unreadable)."""
        if value is None:
            if isinstance(raw, str) and raw.strip():
                self.out_of_range += 1
            return None
        now = datetime.now(timezone.utc)
        kept = bounds.date(value, now=now)
        if kept is None:
            try:
                future = value > now
            except TypeError:
                future = False
            if future and value - now > timedelta(hours=1):  # a clock a little ahead is not news
                self.future += 1
            elif not future:
                self.out_of_range += 1
        return kept

    def summary(self) -> list[str]:
        notes = []
        if self.controls:
            notes.append(f"control characters removed from {self.controls} field(s)")
        if self.out_of_range:
            notes.append(f"{self.out_of_range} date(s) unreadable or out of range ignored")
        if self.future:
            notes.append(f"{self.future} post(s) dated in the future: shown at the time first seen")
        return notes


def _join(feed_url: str, link) -> str:
    """A link relative to the feed's address made absolute; '' if it is no web address."""
    base = feed_url if feed_url.startswith(("http://", "https://")) else ""
    try:
        return web_url(urljoin(base, bounds.xml_text(link).strip()))
    except ValueError:  # urljoin rejects some hostile netlocs ("http://[")
        return ""


def _feedparser_entry(e, summary_length: int, feed_url: str, notes: Notes) -> Entry:
    link = _join(feed_url, e.get("link", ""))
    if e.get("summary"):
        fragment, kind = e.summary, e.get("summary_detail", {}).get("type", "text/html")
    elif e.get("content"):
        fragment, kind = e.content[0].get("value", ""), e.content[0].get("type", "text/html")
    else:
        fragment, kind = "", "text/html"
    return Entry(
        entry_id=bounds.xml_text(e.get("id") or "")[: bounds.URL_LENGTH],
        link=link,
        title=notes.text(e.get("title", "")),
        summary_html=summarise(fragment, kind == "text/plain", link, summary_length),
        published=notes.date(_struct_time(e.get("published_parsed") or e.get("updated_parsed")),
                             e.get("published") or e.get("updated")),
        updated=bounds.date(_struct_time(e.get("updated_parsed"))),  # counted once per post, above
        categories=_unique(notes.text(t.get("term") or t.get("label") or "") for t in e.get("tags", [])),
        author=notes.text(e.get("author", "")),
        links=outbound_links(*(c.get("value", "") for c in e.get("content", [])), e.get("summary", ""), base=link),
    )


def parse_json_feed(body: bytes, url: str, summary_length: int, deadline: _Deadline | None = None) -> ParsedFeed:
    """JSON Feed 1.0/1.1 (https://jsonfeed.org/version/1.1)."""
    deadline = deadline or _Deadline(None)
    try:
        doc = json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        return ParsedFeed("", "", [], problem=f"not a JSON Feed: {exc}")
    except RecursionError:
        return ParsedFeed("", "", [], problem="not a JSON Feed: nested too deeply")
    if not isinstance(doc, dict) or not str(doc.get("version", "")).startswith("https://jsonfeed.org/version/"):
        return ParsedFeed("", "", [], problem="not a JSON Feed: no jsonfeed.org version")
    items = doc.get("items") if isinstance(doc.get("items"), list) else []
    notes = Notes()
    entries = []
    for item in items[:MAX_ENTRIES]:
        deadline.check()
        if isinstance(item, dict):
            entries.append(_json_entry(item, summary_length, notes))
    title, site_url = notes.text(_str(doc.get("title"))), web_url(_str(doc.get("home_page_url")))
    return ParsedFeed(title, site_url, entries, self_url=web_url(_str(doc.get("feed_url"))), notes=notes.summary())


def _json_entry(item: dict, summary_length: int, notes: Notes) -> Entry:
    link = web_url(_str(item.get("url")) or _str(item.get("external_url")))
    if _str(item.get("content_html")):
        fragment, plain = _str(item.get("content_html")), False
    elif _str(item.get("content_text")):
        fragment, plain = _str(item.get("content_text")), True
    else:
        fragment, plain = _str(item.get("summary")), True
    authors = item.get("authors") if isinstance(item.get("authors"), list) else [item.get("author")]
    names = [notes.text(_str(a.get("name"))) for a in authors[:20] if isinstance(a, dict)]
    tags = item.get("tags") if isinstance(item.get("tags"), list) else []
    return Entry(
        entry_id=bounds.xml_text(_str(item.get("id")))[: bounds.URL_LENGTH],
        link=link,
        title=notes.text(_str(item.get("title"))),
        summary_html=summarise(fragment, plain, link, summary_length),
        published=notes.date(_iso(item.get("date_published")) or _iso(item.get("date_modified")),
                             item.get("date_published") or item.get("date_modified")),
        updated=bounds.date(_iso(item.get("date_modified"))),
        categories=_unique(notes.text(_str(t)) for t in tags[: bounds.MAX_CATEGORIES]),
        author=bounds.line(", ".join(n for n in names if n), bounds.NAME_LENGTH),
        links=outbound_links(_str(item.get("content_html")), _str(item.get("summary")), base=link),
    )


def summarise(fragment: str, plain: bool, base_url: str, length: int) -> str:
    fragment = fragment[: max(RAW_PER_SUMMARY_CHAR * length, 4096)]
    clean = text_to_html(fragment) if plain else clean_html(fragment, base_url)
    return cut(clean, length)


def outbound_links(*fragments, base: str = "") -> list[str]:
    """Every web link of the whole content (the summary is cut): how a post can point at an article.

    Only links the sanitiser keeps, resolved against the post's link, each bounded (``bounds.url``),
    at most ``bounds.MAX_LINKS``.
    """
    found: list[str] = []
    for fragment in fragments:
        if isinstance(fragment, str) and "href" in fragment.lower():
            clean_html(fragment, base, links=found)
    return list(dict.fromkeys(u for u in map(web_url, found) if u))[: bounds.MAX_LINKS]


def web_url(value: str) -> str:
    return bounds.url(value)


def _str(value) -> str:
    return str(value) if isinstance(value, (str, int, float)) else ""


def _unique(values) -> list[str]:
    return list(dict.fromkeys(v for v in values if v))[: bounds.MAX_CATEGORIES]


def _struct_time(value) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromtimestamp(calendar.timegm(value), tz=timezone.utc)
    except (OverflowError, ValueError, OSError):
        return None


def _iso(value) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    parsed = parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)
    try:
        return parsed.astimezone(timezone.utc)  # year 1 at +01:00 does not exist in UTC
    except (OverflowError, ValueError):
        return None
