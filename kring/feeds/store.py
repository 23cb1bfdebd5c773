"""Store: the SQLite archive of every post ever fetched.

One transaction per feed, so killing fetch at any moment leaves the archive as
it was after the last finished feed. Entries are matched per feed by id, else
link, else a hash of their content; a match is updated in place; entries that
drop out of a feed are never deleted.

A feed keeps its identity when it moves: the address a permanent redirect led
to is recorded as an alias of the feed's row, so a Feeds line updated to the
new address (or from http to https) finds the same feed and its history.

Everything read back is bounded again (``bounds``): the build never trusts the
archive's values. A file that is not a readable SQLite archive is moved aside
(``<name>.corrupt-<time>``) and a new archive started; the caller says so.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import sqlite3
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone

from . import bounds
from .models import Entry, FeedState, ParsedFeed, Response
from .sanitize import clean_html

logger = logging.getLogger(__name__)

# Version 3 joins two lines of development that each called their archive "version 2": one added
# the aliases table, the other entries.links. Older archives are therefore upgraded by what they
# hold (see _upgrade), not by their number alone.
SCHEMA_VERSION = 3
ALIASES = """
CREATE TABLE aliases (
    alias TEXT PRIMARY KEY,         -- an address the feed moved to (permanent redirect)
    feed_key TEXT NOT NULL REFERENCES feeds(key)
)
"""
LINKS = "links TEXT NOT NULL DEFAULT '[]'"  # web links of the whole content (responses to articles)
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
    """ + LINKS + """
);
CREATE INDEX entries_by_id ON entries(feed_key, entry_id);
CREATE INDEX entries_by_link ON entries(feed_key, link);
CREATE INDEX entries_by_hash ON entries(feed_key, content_hash);
CREATE TABLE hosts (host TEXT PRIMARY KEY, retry_after REAL NOT NULL);
""" + ALIASES


class ArchiveError(Exception):
    pass


class ArchiveCorrupt(ArchiveError):
    """The file is not a readable SQLite archive (garbage, truncated, damaged)."""

    def __init__(self, path: str, detail: str):
        super().__init__(f"{path} is not a readable feed archive ({detail})")
        self.path, self.detail = path, detail


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
    """Open (or create) the archive and check its schema version; ArchiveCorrupt if it is no archive."""
    folder = os.path.dirname(os.path.abspath(path))
    os.makedirs(folder, exist_ok=True)
    conn = sqlite3.connect(path, timeout=30, isolation_level=None)  # we open transactions ourselves
    try:
        return _prepare(conn, path)
    except sqlite3.DatabaseError as exc:  # garbage, a truncated copy, a damaged page
        conn.close()
        if isinstance(exc, sqlite3.OperationalError) and "locked" in str(exc):
            raise ArchiveError(f"{path} is locked by another process ({exc}); try again when it has finished.") from exc
        raise ArchiveCorrupt(path, str(exc)) from exc
    except ArchiveError:
        conn.close()
        raise


def _prepare(conn: sqlite3.Connection, path: str) -> sqlite3.Connection:
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        raise ArchiveError(
            f"{path} has schema version {version}; this Kring knows up to {SCHEMA_VERSION}. Update Kring."
        )
    if version:
        problem = conn.execute("PRAGMA quick_check(1)").fetchone()[0]
        if problem != "ok":
            raise sqlite3.DatabaseError(problem)
    if version < SCHEMA_VERSION:
        with transaction(conn):
            version = conn.execute("PRAGMA user_version").fetchone()[0]  # another process may have won
            if version == 0:
                for statement in SCHEMA.split(";"):
                    if statement.strip():
                        conn.execute(statement)
            elif version < SCHEMA_VERSION:
                _upgrade(conn)
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    return conn


def _upgrade(conn: sqlite3.Connection) -> None:
    """Add what an older archive lacks (version 1, or either kind of version 2), judged by what it holds."""
    tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    columns = {row[1] for row in conn.execute("PRAGMA table_info(entries)")}
    if "aliases" not in tables:
        conn.execute(ALIASES)
        # Only a permanent redirect ever changed a web feed's url: where it led is an alias of the feed.
        conn.execute(
            "INSERT OR IGNORE INTO aliases (alias, feed_key) SELECT url, key FROM feeds WHERE url != key"
            " AND url LIKE 'http%://%' AND key LIKE 'http%://%' AND url NOT IN (SELECT key FROM feeds)"
        )
        # An archive without aliases kept raw errors (addresses, ports) that the public status page showed.
        conn.execute("UPDATE feeds SET last_error = ''")
    if "links" not in columns:
        conn.execute(f"ALTER TABLE entries ADD COLUMN {LINKS}")
        # Links are learnt from a feed's full content: forget the validators, so the next fetch reads every feed.
        conn.execute("UPDATE feeds SET etag = NULL, last_modified = NULL, next_fetch = 0")


def set_aside(path: str) -> str:
    """Move a corrupt archive (and its WAL files) out of the way; returns where it went."""
    stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
    target = f"{path}.corrupt-{stamp}"
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(path + suffix):
            os.replace(path + suffix, target + suffix)
    return target


def corrupt_message(exc: ArchiveCorrupt, moved_to: str) -> str:
    return (
        f"{exc}. Moved it to {moved_to} and started a new archive: the next `make fetch` fills it from the feeds. "
        "Lost: the posts that are no longer in their feeds, and first-seen dates; "
        f"the old file is kept in case it can be repaired (sqlite3 {os.path.basename(moved_to)} .recover)."
    )


def connect_or_replace(path: str) -> tuple[sqlite3.Connection, str]:
    """connect(); a corrupt archive is set aside and a new one started. Returns (conn, what happened or '')."""
    try:
        return connect(path), ""
    except ArchiveCorrupt as exc:
        message = corrupt_message(exc, set_aside(path))
        logger.warning(message)
        return connect(path), message


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


def archive_key(key: str, keys, aliases: dict[str, str]) -> str:
    """The archive row of a Feeds value: itself, an address the feed moved to, or its http/https twin."""
    for candidate in (key, scheme_twin(key)):
        if candidate in keys:
            return candidate
        if candidate in aliases:
            return aliases[candidate]
    return key


def scheme_twin(url: str) -> str:
    if url.startswith("http://"):
        return "https://" + url[len("http://") :]
    if url.startswith("https://"):
        return "http://" + url[len("https://") :]
    return url


def identities(conn: sqlite3.Connection) -> tuple[set[str], dict[str, str]]:
    keys = {row[0] for row in conn.execute("SELECT key FROM feeds")}
    return keys, dict(conn.execute("SELECT alias, feed_key FROM aliases").fetchall())


def feed_state(conn: sqlite3.Connection, key: str, location: str, local: bool, max_wait: float = 30 * 86400) -> FeedState:
    """What the archive remembers of the feed `key` (already resolved by archive_key), bounded."""
    row = conn.execute(
        "SELECT url, etag, last_modified, next_fetch, gone, title, site_url FROM feeds WHERE key = ?", (key,)
    ).fetchone()
    if row is None:
        return FeedState(key=key, url=location)
    stored = bounds.url(row[0])
    # Local files follow the content folder; an editor's switch to the https twin is taken as given.
    url = location if local or not stored or scheme_twin(stored) == location else stored
    next_fetch = min(bounds.epoch(row[3]), time.time() + max_wait)
    title, site = bounds.line(row[5]), bounds.url(row[6])
    return FeedState(key, url, bounds.validator(row[1]), bounds.validator(row[2]), next_fetch, bool(row[4]), title, site)


def host_backoff(conn: sqlite3.Connection, now: float, max_wait: float = 30 * 86400) -> dict[str, float]:
    found = {}
    for host, until in conn.execute("SELECT host, retry_after FROM hosts").fetchall():
        until = min(bounds.epoch(until), now + max_wait)
        if until > now and isinstance(host, str):
            found[host] = until
    return found


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
            "last_error": response.public_reason,  # shown on the public status page: a class, never an address
            "last_checked": now,
            "next_fetch": next_fetch,
        }
        if response.moved_to:
            fields["url"] = response.moved_to
            # The new address names this same feed from now on (see archive_key).
            conn.execute(
                "INSERT OR REPLACE INTO aliases (alias, feed_key) SELECT ?, ? WHERE ? NOT IN (SELECT key FROM feeds)",
                (response.moved_to, state.key, response.moved_to),
            )
        if response.status == "gone":
            fields["gone"] = 1
        if response.status in ("fetched", "not_modified"):
            fields["last_success"] = now
            # A 304 may carry fresh validators; keep the old ones if it does not.
            fields["etag"] = bounds.validator(response.etag or state.etag)
            fields["last_modified"] = bounds.validator(response.last_modified or state.last_modified)
        if parsed is not None:
            fields["title"], fields["site_url"] = parsed.title or state.title, parsed.site_url or state.site_url
            if parsed.self_url:
                fields["self_url"] = parsed.self_url
            # To the microsecond: "first fetch" means first_seen equal to the feed's earliest one, and two
            # fetches within one second (a `make fetch` and a build's local refresh) are still two fetches.
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
    found = conn.execute(
        f"SELECT id, content_hash FROM entries WHERE feed_key = ? AND {column} = ? LIMIT 1", (key, value)
    ).fetchone()
    if found is None and entry.entry_id and entry.link and "://" not in entry.entry_id:
        # Kring before 2 stored a plain id ("42") resolved against the feed's URL ("https://blog/42").
        found = conn.execute(
            "SELECT id, content_hash FROM entries WHERE feed_key = ? AND link = ? AND entry_id LIKE '%://%'"
            " AND substr(entry_id, -length(?)) = ? LIMIT 1",
            (key, entry.link, entry.entry_id, entry.entry_id),
        ).fetchone()
    return found


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
        published = _dt(bounds.date(entry.published)) or seen  # a post from the future is shown when first seen
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
        (*values, seen, _dt(bounds.date(entry.published)), row_id),
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


@dataclass
class Archive:
    """What the build reads: feeds by key, their aliases, every post newest first. All bounded."""

    feeds: dict[str, StoredFeed] = field(default_factory=dict)
    aliases: dict[str, str] = field(default_factory=dict)
    posts: list[StoredPost] = field(default_factory=list)
    problem: str = ""  # set when the file was corrupt and has been set aside

    def key_of(self, feeds_value: str) -> str:
        return archive_key(feeds_value, self.feeds, self.aliases)

    def feed(self, feeds_value: str) -> StoredFeed | None:
        return self.feeds.get(self.key_of(feeds_value))


def read_archive(path: str) -> Archive:
    """The archive for the build; a corrupt file is set aside (Archive.problem says so)."""
    if not os.path.exists(path):
        return Archive()
    conn, problem = connect_or_replace(path)
    try:
        feed_rows = conn.execute(
            "SELECT key, url, title, site_url, self_url, last_status, last_error, last_success FROM feeds"
        ).fetchall()
        aliases = conn.execute("SELECT alias, feed_key FROM aliases").fetchall()
        post_rows = conn.execute(
            "SELECT e.feed_key, f.title, f.site_url, e.title, e.link, e.summary_html, e.published, e.first_seen,"
            " e.categories, e.author, e.entry_id, e.links FROM entries e JOIN feeds f ON f.key = e.feed_key"
            " ORDER BY e.id DESC"
        ).fetchall()
    except sqlite3.DatabaseError as exc:  # damage quick_check did not see
        conn.close()
        message = corrupt_message(ArchiveCorrupt(path, str(exc)), set_aside(path))
        logger.warning(message)
        return Archive(problem=message)
    finally:
        conn.close()
    feeds = {}
    for r in feed_rows:
        if isinstance(r[0], str):
            feeds[r[0]] = StoredFeed(
                r[0], bounds.url(r[1]), bounds.line(r[2]), bounds.url(r[3]), bounds.url(r[4]),
                bounds.line(r[5], 40), bounds.line(r[6]), bounds.epoch(r[7], None),
            )  # fmt: skip
    now = datetime.now(timezone.utc)
    posts = [post for post in (_stored_post(r, now) for r in post_rows) if post is not None]
    posts.sort(key=lambda p: p.published, reverse=True)  # stable: equal dates keep newest-row-first
    alias_map = {a: k for a, k in aliases if isinstance(a, str) and isinstance(k, str)}
    return Archive(feeds, alias_map, posts, problem)


def _stored_post(r, now: datetime) -> StoredPost | None:
    """One entries row, every field bounded; None (and a log line) if it has no usable date."""
    first_seen = bounds.date(r[7], now=now)
    published = bounds.date(r[6], now=now) or first_seen
    if published is None:
        logger.warning("feed archive: a post of %r has no usable date; left out", r[0])
        return None
    return StoredPost(
        feed_key=r[0] if isinstance(r[0], str) else "",
        feed_title=bounds.line(r[1]),
        site_url=bounds.url(r[2]),
        title=bounds.line(r[3]),
        link=bounds.url(r[4]),
        summary_html=clean_html(bounds.xml_text(r[5])[: SUMMARY_LIMIT]),  # sanitised again: hand edits, old versions
        published=published,
        categories=_json_list(r[8], lambda v: bounds.line(v, 100), bounds.MAX_CATEGORIES),
        author=bounds.line(r[9], bounds.NAME_LENGTH),
        entry_id=bounds.xml_text(r[10])[: bounds.URL_LENGTH],
        first_seen=first_seen,
        links=_json_list(r[11], bounds.url, bounds.MAX_LINKS),
    )


SUMMARY_LIMIT = 20_000  # characters of stored summary HTML used (summaries are cut at fetch to far less)


def _json_list(value, bound, limit: int) -> list[str]:
    """A stored JSON list of texts (categories, links), each bounded, without repeats, at most `limit`."""
    try:
        found = json.loads(value) if isinstance(value, (str, bytes)) else []
    except (ValueError, RecursionError):
        return []
    if not isinstance(found, list):
        return []
    return list(dict.fromkeys(c for c in (bound(v) for v in found[:limit] if isinstance(v, str)) if c))


def _iso(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, tz=timezone.utc).isoformat(timespec="microseconds")


def _dt(value: datetime | None) -> str | None:
    return value.astimezone(timezone.utc).isoformat(timespec="seconds") if value else None
