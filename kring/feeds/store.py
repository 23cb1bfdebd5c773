"""Store: the SQLite archive of every post ever fetched.

One transaction per feed, so killing fetch at any moment leaves the archive as
it was after the last finished feed. Entries are matched per feed by id, else
link, else a hash of their content; a match is updated in place; entries that
drop out of a feed are never deleted.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import sqlite3
from dataclasses import dataclass, field
from datetime import datetime, timezone

from .models import Entry, FeedState, ParsedFeed, Response

logger = logging.getLogger(__name__)

SCHEMA_VERSION = 2
SCHEMA = """
CREATE TABLE feeds (
    key TEXT PRIMARY KEY,           -- the Feeds value as written in the content
    url TEXT NOT NULL,              -- where it is fetched now (permanent redirects change it)
    title TEXT NOT NULL DEFAULT '',
    site_url TEXT NOT NULL DEFAULT '',
    self_url TEXT NOT NULL DEFAULT '',  -- the feed's own address as it states it (for OPML)
    etag TEXT,                      -- validators exactly as the server sent them
    last_modified TEXT,
    next_fetch REAL NOT NULL DEFAULT 0,
    gone INTEGER NOT NULL DEFAULT 0,
    last_status TEXT NOT NULL DEFAULT '',
    last_error TEXT NOT NULL DEFAULT '',
    last_checked REAL,
    last_success REAL
);
CREATE TABLE entries (
    id INTEGER PRIMARY KEY,
    feed_key TEXT NOT NULL REFERENCES feeds(key),
    entry_id TEXT NOT NULL DEFAULT '',
    link TEXT NOT NULL DEFAULT '',
    content_hash TEXT NOT NULL,
    title TEXT NOT NULL DEFAULT '',
    summary_html TEXT NOT NULL DEFAULT '',
    published TEXT NOT NULL,        -- ISO 8601 in UTC, first sight if the feed gave no date
    updated TEXT,
    categories TEXT NOT NULL DEFAULT '[]',
    author TEXT NOT NULL DEFAULT '',
    first_seen TEXT NOT NULL,
    last_seen TEXT NOT NULL,
    links TEXT NOT NULL DEFAULT '[]'  -- web links of the whole content (responses to articles)
);
CREATE INDEX entries_by_id ON entries(feed_key, entry_id);
CREATE INDEX entries_by_link ON entries(feed_key, link);
CREATE INDEX entries_by_hash ON entries(feed_key, content_hash);
CREATE TABLE hosts (host TEXT PRIMARY KEY, retry_after REAL NOT NULL);
"""
# What takes an archive of an older version to the next one.
MIGRATIONS = {
    # Links are learnt from a feed's full content: forget the validators, so the next fetch reads every feed.
    1: ("ALTER TABLE entries ADD COLUMN links TEXT NOT NULL DEFAULT '[]'",
        "UPDATE feeds SET etag = NULL, last_modified = NULL, next_fetch = 0"),
}


class ArchiveError(Exception):
    pass


@dataclass
class StoredPost:
    feed_key: str
    feed_title: str
    site_url: str
    title: str
    link: str
    summary_html: str
    published: datetime
    categories: list[str]
    author: str
    entry_id: str = ""
    first_seen: datetime | None = None
    links: list[str] = field(default_factory=list)


def connect(path: str) -> sqlite3.Connection:
    """Open (or create) the archive and check its schema version."""
    folder = os.path.dirname(os.path.abspath(path))
    os.makedirs(folder, exist_ok=True)
    conn = sqlite3.connect(path, timeout=30, isolation_level=None)  # we open transactions ourselves
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version == 0:
        with transaction(conn):
            if conn.execute("PRAGMA user_version").fetchone()[0] == 0:  # another process may have won
                for statement in SCHEMA.split(";"):
                    if statement.strip():
                        conn.execute(statement)
                conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    elif version < SCHEMA_VERSION:
        _migrate(conn)
    elif version > SCHEMA_VERSION:
        conn.close()
        raise ArchiveError(
            f"{path} has schema version {version}; this Kring knows up to {SCHEMA_VERSION}. Update Kring."
        )
    return conn


def _migrate(conn: sqlite3.Connection) -> None:
    with transaction(conn):
        version = conn.execute("PRAGMA user_version").fetchone()[0]  # another process may have migrated
        while version < SCHEMA_VERSION:
            for statement in MIGRATIONS[version]:
                conn.execute(statement)
            version += 1
            conn.execute(f"PRAGMA user_version = {version}")


class transaction:
    """BEGIN IMMEDIATE ... COMMIT, or ROLLBACK on any exception."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn

    def __enter__(self):
        self.conn.execute("BEGIN IMMEDIATE")
        return self.conn

    def __exit__(self, exc_type, *_):
        self.conn.execute("ROLLBACK" if exc_type else "COMMIT")
        return False


def feed_state(conn: sqlite3.Connection, key: str, location: str, local: bool) -> FeedState:
    row = conn.execute(
        "SELECT url, etag, last_modified, next_fetch, gone, title, site_url FROM feeds WHERE key = ?", (key,)
    ).fetchone()
    if row is None:
        return FeedState(key=key, url=location)
    url = location if local else row[0]  # local files follow the content folder
    return FeedState(key, url, row[1], row[2], row[3], bool(row[4]), row[5], row[6])


def host_backoff(conn: sqlite3.Connection, now: float) -> dict[str, float]:
    return dict(conn.execute("SELECT host, retry_after FROM hosts WHERE retry_after > ?", (now,)).fetchall())


def save_host_backoff(conn: sqlite3.Connection, backoff: dict[str, float]) -> None:
    with transaction(conn):
        conn.executemany("INSERT OR REPLACE INTO hosts VALUES (?, ?)", list(backoff.items()))


def record(
    conn: sqlite3.Connection,
    state: FeedState,
    response: Response,
    parsed: ParsedFeed | None,
    now: float,
    next_fetch: float,
) -> tuple[int, int]:
    """Store one fetch outcome in one transaction; returns (new, updated) entries."""
    new = updated = 0
    with transaction(conn):
        conn.execute("INSERT OR IGNORE INTO feeds (key, url) VALUES (?, ?)", (state.key, state.url))
        fields = {
            "last_status": response.status,
            "last_error": response.reason,
            "last_checked": now,
            "next_fetch": next_fetch,
        }
        if response.moved_to:
            fields["url"] = response.moved_to
        if response.status == "gone":
            fields["gone"] = 1
        if response.status in ("fetched", "not_modified"):
            fields["last_success"] = now
            # A 304 may carry fresh validators; keep the old ones if it does not.
            fields["etag"] = response.etag or state.etag
            fields["last_modified"] = response.last_modified or state.last_modified
        if parsed is not None:
            fields["title"], fields["site_url"] = parsed.title or state.title, parsed.site_url or state.site_url
            if parsed.self_url:
                fields["self_url"] = parsed.self_url
            seen = _iso(now)
            for entry in parsed.entries:
                outcome = _upsert(conn, state.key, entry, seen)
                new += outcome == "new"
                updated += outcome == "updated"
        assignments = ", ".join(f"{name} = ?" for name in fields)
        conn.execute(f"UPDATE feeds SET {assignments} WHERE key = ?", (*fields.values(), state.key))
    return new, updated


def content_hash(entry: Entry) -> str:
    text = "\x1f".join((entry.title, entry.link, entry.summary_html))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _find(conn: sqlite3.Connection, key: str, entry: Entry, digest: str):
    if entry.entry_id:
        column, value = "entry_id", entry.entry_id
    elif entry.link:
        column, value = "link", entry.link
    else:
        column, value = "content_hash", digest
    return conn.execute(
        f"SELECT id, content_hash FROM entries WHERE feed_key = ? AND {column} = ? LIMIT 1", (key, value)
    ).fetchone()


def _upsert(conn: sqlite3.Connection, key: str, entry: Entry, seen: str) -> str:
    digest = content_hash(entry)
    found = _find(conn, key, entry, digest)
    values = (
        entry.link,
        digest,
        entry.title,
        entry.summary_html,
        json.dumps(entry.categories, ensure_ascii=False),
        entry.author,
        _dt(entry.updated),
        json.dumps(entry.links, ensure_ascii=False),
    )
    if found is None:
        published = _dt(entry.published) or seen
        conn.execute(
            "INSERT INTO entries (link, content_hash, title, summary_html, categories, author, updated, links,"
            " feed_key, entry_id, published, first_seen, last_seen) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (*values, key, entry.entry_id, published, seen, seen),
        )
        return "new"
    row_id, old_digest = found
    if old_digest == digest:  # the links too: an archive from before they were kept learns them
        conn.execute("UPDATE entries SET last_seen = ?, links = ? WHERE id = ?", (seen, values[-1], row_id))
        return "same"
    conn.execute(
        "UPDATE entries SET link = ?, content_hash = ?, title = ?, summary_html = ?, categories = ?, author = ?,"
        " updated = ?, links = ?, last_seen = ?, published = COALESCE(?, published) WHERE id = ?",
        (*values, seen, _dt(entry.published), row_id),
    )
    return "updated"


@dataclass
class StoredFeed:
    key: str
    url: str
    title: str
    site_url: str
    self_url: str
    last_status: str
    last_error: str
    last_success: float | None


def read_feeds(path: str) -> dict[str, StoredFeed]:
    if not os.path.exists(path):
        return {}
    conn = connect(path)
    try:
        rows = conn.execute(
            "SELECT key, url, title, site_url, self_url, last_status, last_error, last_success FROM feeds"
        ).fetchall()
    finally:
        conn.close()
    return {r[0]: StoredFeed(*r) for r in rows}


def read_posts(path: str) -> list[StoredPost]:
    """Every archived post, newest first (for the site build)."""
    if not os.path.exists(path):
        return []
    conn = connect(path)
    try:
        rows = conn.execute(
            "SELECT e.feed_key, f.title, f.site_url, e.title, e.link, e.summary_html, e.published,"
            " e.categories, e.author, e.entry_id, e.first_seen, e.links"
            " FROM entries e JOIN feeds f ON f.key = e.feed_key"
            " ORDER BY e.published DESC, e.id DESC"
        ).fetchall()
    finally:
        conn.close()
    return [
        StoredPost(r[0], r[1], r[2], r[3], r[4], r[5], datetime.fromisoformat(r[6]), json.loads(r[7]), r[8],
                   r[9], datetime.fromisoformat(r[10]), json.loads(r[11]))
        for r in rows
    ]


def _iso(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, tz=timezone.utc).isoformat(timespec="seconds")


def _dt(value: datetime | None) -> str | None:
    return value.astimezone(timezone.utc).isoformat(timespec="seconds") if value else None
