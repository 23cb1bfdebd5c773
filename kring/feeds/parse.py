"""Parse: RSS, Atom and RDF with feedparser (from the bytes we fetched), JSON Feed ourselves.

Every text and HTML field leaves this module sanitised (see ``sanitize``);
entry links that are not web addresses are dropped.
"""

from __future__ import annotations

import calendar
import json
import logging
from datetime import datetime, timezone
from urllib.parse import urlsplit

import feedparser
from bs4 import BeautifulSoup

from .models import Entry, ParsedFeed, Response
from .sanitize import clean_html, cut, plain_text, text_to_html

logger = logging.getLogger(__name__)

MAX_ENTRIES = 500  # per fetch; a feed of a million items is not a blog


def parse(response: Response, summary_length: int) -> ParsedFeed:
    body = response.body
    content_type = response.headers.get("content-type", "").lower()
    if "json" in content_type or body.lstrip()[:1] == b"{":
        return parse_json_feed(body, response.url, summary_length)
    headers = {k.lower(): v for k, v in response.headers.items()}
    if response.url.startswith(("http://", "https://")):
        headers["content-location"] = response.url  # base for relative links
    headers.pop("content-encoding", None)  # we already inflated the body
    parsed = feedparser.parse(body, response_headers=headers, resolve_relative_uris=True, sanitize_html=True)
    if parsed.get("bozo") and not parsed.entries and not parsed.feed:
        return ParsedFeed("", "", [], problem=f"not a feed: {parsed.get('bozo_exception')}")
    entries = [_feedparser_entry(e, summary_length) for e in parsed.entries[:MAX_ENTRIES]]
    feed = parsed.feed
    self_url = next((web_url(link.get("href", "")) for link in feed.get("links", []) if link.get("rel") == "self"), "")
    return ParsedFeed(plain_text(feed.get("title", "")), web_url(feed.get("link", "")), entries, self_url=self_url)


def _feedparser_entry(e, summary_length: int) -> Entry:
    link = web_url(e.get("link", ""))
    if e.get("summary"):
        fragment, kind = e.summary, e.get("summary_detail", {}).get("type", "text/html")
    elif e.get("content"):
        fragment, kind = e.content[0].get("value", ""), e.content[0].get("type", "text/html")
    else:
        fragment, kind = "", "text/html"
    return Entry(
        entry_id=str(e.get("id") or ""),
        link=link,
        title=plain_text(e.get("title", "")),
        summary_html=summarise(fragment, kind == "text/plain", link, summary_length),
        published=_struct_time(e.get("published_parsed") or e.get("updated_parsed")),
        updated=_struct_time(e.get("updated_parsed")),
        categories=_unique(plain_text(t.get("term") or t.get("label") or "") for t in e.get("tags", [])),
        author=plain_text(e.get("author", "")),
        links=outbound_links(*(c.get("value", "") for c in e.get("content", [])), e.get("summary", ""), base=link),
    )


def parse_json_feed(body: bytes, url: str, summary_length: int) -> ParsedFeed:
    """JSON Feed 1.0/1.1 (https://jsonfeed.org/version/1.1)."""
    try:
        doc = json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        return ParsedFeed("", "", [], problem=f"not a JSON Feed: {exc}")
    if not isinstance(doc, dict) or not str(doc.get("version", "")).startswith("https://jsonfeed.org/version/"):
        return ParsedFeed("", "", [], problem="not a JSON Feed: no jsonfeed.org version")
    items = doc.get("items") if isinstance(doc.get("items"), list) else []
    entries = [_json_entry(i, summary_length) for i in items[:MAX_ENTRIES] if isinstance(i, dict)]
    title, site_url = plain_text(_str(doc.get("title"))), web_url(_str(doc.get("home_page_url")))
    return ParsedFeed(title, site_url, entries, self_url=web_url(_str(doc.get("feed_url"))))


def _json_entry(item: dict, summary_length: int) -> Entry:
    link = web_url(_str(item.get("url")) or _str(item.get("external_url")))
    if _str(item.get("content_html")):
        fragment, plain = _str(item.get("content_html")), False
    elif _str(item.get("content_text")):
        fragment, plain = _str(item.get("content_text")), True
    else:
        fragment, plain = _str(item.get("summary")), True
    authors = item.get("authors") if isinstance(item.get("authors"), list) else [item.get("author")]
    names = [plain_text(_str(a.get("name"))) for a in authors if isinstance(a, dict)]
    tags = item.get("tags") if isinstance(item.get("tags"), list) else []
    return Entry(
        entry_id=_str(item.get("id")),
        link=link,
        title=plain_text(_str(item.get("title"))),
        summary_html=summarise(fragment, plain, link, summary_length),
        published=_iso(item.get("date_published")) or _iso(item.get("date_modified")),
        updated=_iso(item.get("date_modified")),
        categories=_unique(plain_text(_str(t)) for t in tags),
        author=", ".join(n for n in names if n),
        links=outbound_links(_str(item.get("content_html")), _str(item.get("summary")), base=link),
    )


def summarise(fragment: str, plain: bool, base_url: str, length: int) -> str:
    clean = text_to_html(fragment) if plain else clean_html(fragment, base_url)
    return cut(clean, length)


def outbound_links(*fragments: str, base: str = "") -> list[str]:
    """Every web link in the whole content (the summary is cut): how a post can point at an article."""
    found = []
    for fragment in fragments:
        if fragment and "href" in fragment:
            soup = BeautifulSoup(clean_html(fragment, base), "html.parser")
            found += [web_url(a.get("href", "")) for a in soup.find_all("a")]
    return _unique(found)


def web_url(value: str) -> str:
    value = (value or "").strip()
    return value if urlsplit(value).scheme.lower() in ("http", "https") else ""


def _str(value) -> str:
    return str(value) if isinstance(value, (str, int, float)) else ""


def _unique(values) -> list[str]:
    return list(dict.fromkeys(v for v in values if v))


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
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)
