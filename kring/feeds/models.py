"""Typed records passed between the stages of the pipeline."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class Source:
    """One `Feeds` entry of a member or group file."""

    key: str  # as written in the content file: the archive's stable key
    location: str  # a URL, or an absolute path of a local file
    owner_kind: str  # "member" or "group"
    owner_slug: str

    @property
    def is_local(self) -> bool:
        return not self.location.startswith(("http://", "https://"))


@dataclass
class FeedState:
    """What the archive remembers about one feed between runs."""

    key: str
    url: str  # current location (a permanent redirect changes it)
    etag: str | None = None
    last_modified: str | None = None
    next_fetch: float = 0.0  # epoch seconds; earlier runs skip the feed
    gone: bool = False
    title: str = ""
    site_url: str = ""


@dataclass
class Response:
    """The outcome of one retrieval."""

    status: str  # fetched, not_modified, failed, gone, backoff, skipped
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    url: str = ""  # final URL after redirects
    moved_to: str | None = None  # set when every redirect was permanent
    etag: str | None = None
    last_modified: str | None = None
    fresh_for: float | None = None  # seconds, from Cache-Control / Expires
    retry_after: float | None = None  # epoch seconds, from Retry-After
    http_status: int | None = None
    reason: str = ""  # the full detail, for the terminal
    public_reason: str = ""  # a reason class for the public status page: no address, no port
    notes: list[str] = field(default_factory=list)  # values that had to be corrected


@dataclass
class Entry:
    """One post, parsed and sanitised."""

    entry_id: str
    link: str
    title: str
    summary_html: str
    published: datetime | None
    updated: datetime | None
    categories: list[str] = field(default_factory=list)
    author: str = ""
    links: list[str] = field(default_factory=list)  # every web link of the whole content, not just the summary


@dataclass
class ParsedFeed:
    title: str
    site_url: str
    entries: list[Entry]
    problem: str = ""  # set when nothing could be parsed
    self_url: str = ""  # the feed's own address as the feed states it
    notes: list[str] = field(default_factory=list)  # what had to be corrected (reported, not fatal)


@dataclass
class FeedReport:
    """One line of the fetch report."""

    key: str
    owner: str
    status: str
    reason: str = ""
    url: str = ""
    new: int = 0
    updated: int = 0
    public_reason: str = ""  # what the status page shows instead of `reason`
