"""Update: fetch every source concurrently, store each outcome, report.

A feed's failure never stops the others. Each feed is written to the archive in
its own transaction as soon as it is done. Parsing runs in worker threads with
its own deadline, so a feed that is slow to parse never holds up the event loop
(and with it every other feed's request).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict

from . import store
from .models import FeedReport, FeedState, ParsedFeed, Response, Source
from .parse import ParseTimeout, parse
from .retrieve import Politeness, failed, make_client, retrieve_file, retrieve_url

logger = logging.getLogger(__name__)

LABELS = {
    "fetched": "fetched",
    "not_modified": "not modified",
    "skipped": "not due yet",
    "backoff": "backing off",
    "failed": "failed",
    "gone": "gone",
}


def run(
    sources: list[Source], conf: dict, *, force: bool = False, progress: bool = False, report: bool = True
) -> list[FeedReport]:
    """Fetch `sources` into the archive; returns one FeedReport per source.

    Safe to call from inside a running event loop (the live server's tornado
    loop calls it on every rebuild): the fetch then gets a loop of its own in a
    worker thread instead of assuming it owns the caller's.
    """
    if _loop_is_running():
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="kring-fetch") as pool:
            reports = pool.submit(_fetch, sources, conf, force, progress).result()
    else:
        reports = _fetch(sources, conf, force, progress)
    if report:
        write_report(conf["KRING_FEED_REPORT"], reports)
    return reports


def _loop_is_running() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


class Run:
    """What every feed of one run shares."""

    def __init__(self, conn, client, conf, polite, force, parsers):
        self.conn, self.client, self.conf, self.polite = conn, client, conf, polite
        self.force, self.parsers = force, parsers
        self.keys, self.aliases = store.identities(conn)
        self.claimed: dict[str, str] = {}  # archive key -> the Feeds value fetching it this run


def _fetch(sources, conf, force, progress) -> list[FeedReport]:
    # The archive connection is opened and closed in the thread that uses it.
    conn, corrupt = store.connect_or_replace(conf["KRING_FEED_ARCHIVE"])
    try:
        reports = asyncio.run(_run_all(conn, sources, conf, force, progress))
    finally:
        conn.close()
    if corrupt:  # last, so reports still line up with sources
        reports.append(FeedReport(conf["KRING_FEED_ARCHIVE"], "the archive", "failed", corrupt, "",
                                     public_reason="archive was unreadable: rebuilt from the feeds"))  # fmt: skip
    return reports


async def _run_all(conn, sources, conf, force, progress) -> list[FeedReport]:
    polite = Politeness(per_host=conf["KRING_FEED_PER_HOST"], total=conf["KRING_FEED_CONCURRENCY"])
    polite.backoff.update(store.host_backoff(conn, time.time(), conf["KRING_FEED_MAX_WAIT"]))
    bar = _progress_bar(len(sources)) if progress else None
    parsers = ThreadPoolExecutor(max_workers=max(1, int(conf["KRING_FEED_PARSE_WORKERS"])), thread_name_prefix="kring-parse")
    # Only the local feed files (every build reads those): no HTTP client, whose TLS set-up alone
    # took a tenth of a small site's build.
    network = any(not source.is_local for source in sources)
    async with make_client(conf) if network else contextlib.nullcontext() as client:
        shared = Run(conn, client, conf, polite, force, parsers)

        async def one(source: Source) -> FeedReport:
            try:
                return await _update_feed(shared, source)
            finally:
                if bar is not None:
                    bar[0].advance(bar[1])

        if bar is not None:
            bar[0].start()
        try:
            reports = await asyncio.gather(*(one(s) for s in sources))
        finally:
            parsers.shutdown(wait=False, cancel_futures=True)
            if bar is not None:
                bar[0].stop()
    store.save_host_backoff(conn, {h: t for h, t in polite.backoff.items() if t > time.time()})
    return list(reports)


async def _update_feed(run: Run, source: Source) -> FeedReport:
    conf = run.conf
    key = store.archive_key(source.key, run.keys, run.aliases) if not source.is_local else source.key
    owner = f"{source.owner_kind} {source.owner_slug}"
    if run.claimed.setdefault(key, source.key) != source.key:
        reason = f"the same feed as {run.claimed[key]} (it moved there); fetched once"
        return FeedReport(source.key, owner, "skipped", reason, public_reason="same feed as another Feeds line")
    state = store.feed_state(run.conn, key, source.location, source.is_local, conf["KRING_FEED_MAX_WAIT"])
    now = time.time()
    if state.gone and not source.is_local:
        reason = "answered 410 Gone earlier; no longer polled"
        return FeedReport(source.key, owner, "gone", reason, state.url, public_reason="HTTP 410")
    if not run.force and not source.is_local and state.next_fetch > now:
        until = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(state.next_fetch))
        return FeedReport(source.key, owner, "skipped", f"fresh until {until}", state.url)
    if source.is_local:
        response = retrieve_file(state, conf["KRING_FEED_MAX_BYTES"])
    else:
        response = await retrieve_url(run.client, state, conf, run.polite)
    if response.status == "backoff" and response.http_status is None:
        return FeedReport(source.key, owner, "backoff", response.reason, state.url, public_reason=response.public_reason)
    parsed = None
    if response.status == "fetched":
        parsed = await _parse(run, response, source.is_local)
        if parsed.problem:
            # Keep no validators: the next run must fetch and parse it again.
            public = "parsing took too long" if parsed.problem.startswith("parsing took") else "not a feed"
            response = failed(response.url, parsed.problem, public, moved_to=response.moved_to, notes=response.notes)
            parsed = None
    new, updated = store.record(run.conn, state, response, parsed, now, _next_fetch(response, conf, now))
    return _report(source, owner, state, response, parsed, new, updated)


async def _parse(run: Run, response: Response, local: bool) -> ParsedFeed:
    """Parse in a worker thread, bounded by KRING_FEED_PARSE_TIMEOUT; the event loop stays free.

    The bound runs from the moment a worker starts on the feed, not while it queues.
    """
    limit = float(run.conf["KRING_FEED_PARSE_TIMEOUT"])
    length = run.conf["KRING_COMMUNITY_SUMMARY_LENGTH"]
    try:
        if local:  # the repository's own files: no loop to keep free for others' requests
            return parse(response, length)
        loop = asyncio.get_running_loop()
        started = loop.create_future()

        def work():
            loop.call_soon_threadsafe(lambda: started.done() or started.set_result(None))
            return parse(response, length, limit)  # checks the deadline itself between entries

        job = loop.run_in_executor(run.parsers, work)
        await asyncio.wait({started, job}, return_when=asyncio.FIRST_COMPLETED)
        # feedparser's own pass cannot be interrupted in a thread; this bounds our wait for it.
        return await asyncio.wait_for(job, limit + 1)
    except (ParseTimeout, TimeoutError):
        return ParsedFeed("", "", [], problem=f"parsing took longer than {limit:g} s (KRING_FEED_PARSE_TIMEOUT)")
    except (RecursionError, MemoryError, ValueError, TypeError, AttributeError, LookupError) as exc:
        # A parser bug on hostile input: this feed fails, the others go on.
        logger.warning("parsing %s failed", response.url, exc_info=True)
        return ParsedFeed("", "", [], problem=f"not a feed: the parser gave up ({type(exc).__name__})")


def _report(source, owner, state, response: Response, parsed, new, updated) -> FeedReport:
    notes = response.notes + (parsed.notes if parsed is not None else [])
    reason, public = response.reason, response.public_reason
    if response.moved_to:
        reason = f"moved permanently to {response.moved_to}; now fetched there (update the Feeds line). {reason}"
        public = "; ".join(p for p in ("moved permanently", public) if p)
    if notes:
        reason = "; ".join(p for p in (reason.strip(), *notes) if p)
        public = "; ".join(p for p in (public, *notes) if p)
    url = response.moved_to or state.url
    return FeedReport(source.key, owner, response.status, reason.strip(), url, new, updated, public_reason=public)


def _next_fetch(response: Response, conf: dict, now: float) -> float:
    cap = now + conf["KRING_FEED_MAX_WAIT"]
    if response.status in ("fetched", "not_modified"):
        return min(now + max(conf["KRING_FEED_MIN_INTERVAL"], response.fresh_for or 0), cap)
    if response.status == "backoff":
        return min(max(response.retry_after or 0, now), cap)
    return 0.0  # failed: try again on the next run


def _progress_bar(total: int):
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    bar = Progress(TextColumn("Fetching feeds"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), transient=True)
    return bar, bar.add_task("fetch", total=total)


def counts(reports: list[FeedReport]) -> Counter:
    return Counter(r.status for r in reports)


def summary(reports: list[FeedReport]) -> str:
    tally = counts(reports)
    lines = [", ".join(f"{tally.get(k, 0)} {label}" for k, label in LABELS.items()) + f" ({len(reports)} feeds)"]
    for r in reports:
        if r.status in ("failed", "gone", "backoff") or r.public_reason or "moved permanently" in r.reason:
            lines.append(f"  - {r.key} ({r.owner}): {LABELS[r.status]}: {r.reason}")
    return "\n".join(lines)


def write_report(path: str, reports: list[FeedReport]) -> None:
    """The fetch report as JSON, replaced atomically (the status page reads it)."""
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    doc = {
        "finished": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "counts": dict(counts(reports)),
        "feeds": [asdict(r) for r in reports],
    }
    tmp = f"{path}.tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(doc, f, ensure_ascii=False, indent=1)
    os.replace(tmp, path)


def read_report(path: str) -> dict | None:
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError):
        return None
