"""Update: fetch every source concurrently, store each outcome, report.

A feed's failure never stops the others. Each feed is written to the archive in
its own transaction as soon as it is done.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict

from . import store
from .models import FeedReport, FeedState, Response, Source
from .parse import parse
from .retrieve import Politeness, make_client, retrieve_file, retrieve_url

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


def _fetch(sources, conf, force, progress) -> list[FeedReport]:
    # The archive connection is opened and closed in the thread that uses it.
    conn = store.connect(conf["KRING_FEED_ARCHIVE"])
    try:
        return asyncio.run(_run_all(conn, sources, conf, force, progress))
    finally:
        conn.close()


async def _run_all(conn, sources, conf, force, progress) -> list[FeedReport]:
    polite = Politeness(per_host=conf["KRING_FEED_PER_HOST"], total=conf["KRING_FEED_CONCURRENCY"])
    polite.backoff.update(store.host_backoff(conn, time.time()))
    bar = _progress_bar(len(sources)) if progress else None
    async with make_client(conf) as client:

        async def one(source: Source) -> FeedReport:
            try:
                return await _update_feed(conn, client, source, conf, polite, force)
            finally:
                if bar is not None:
                    bar[0].advance(bar[1])

        if bar is not None:
            bar[0].start()
        try:
            reports = await asyncio.gather(*(one(s) for s in sources))
        finally:
            if bar is not None:
                bar[0].stop()
    store.save_host_backoff(conn, {h: t for h, t in polite.backoff.items() if t > time.time()})
    return list(reports)


async def _update_feed(conn, client, source: Source, conf, polite, force) -> FeedReport:
    state = store.feed_state(conn, source.key, source.location, source.is_local)
    owner = f"{source.owner_kind} {source.owner_slug}"
    now = time.time()
    if state.gone and not source.is_local:
        return FeedReport(source.key, owner, "gone", "answered 410 Gone earlier; no longer polled", state.url)
    if not force and not source.is_local and state.next_fetch > now:
        until = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(state.next_fetch))
        return FeedReport(source.key, owner, "skipped", f"fresh until {until}", state.url)
    if source.is_local:
        response = retrieve_file(state, conf["KRING_FEED_MAX_BYTES"])
    else:
        response = await retrieve_url(client, state, conf, polite)
    if response.status == "backoff" and response.http_status is None:
        return FeedReport(source.key, owner, "backoff", response.reason, state.url)
    parsed = None
    if response.status == "fetched":
        parsed = parse(response, conf["KRING_COMMUNITY_SUMMARY_LENGTH"])
        if parsed.problem:
            # Keep no validators: the next run must fetch and parse it again.
            response = Response("failed", url=response.url, reason=parsed.problem, moved_to=response.moved_to)
            parsed = None
    new, updated = store.record(conn, state, response, parsed, now, _next_fetch(response, conf, now))
    reason = response.reason
    if response.moved_to:
        reason = f"moved permanently to {response.moved_to}; now fetched there (update the Feeds line). {reason}"
    return FeedReport(source.key, owner, response.status, reason.strip(), response.moved_to or state.url, new, updated)


def _next_fetch(response: Response, conf: dict, now: float) -> float:
    if response.status in ("fetched", "not_modified"):
        return now + max(conf["KRING_FEED_MIN_INTERVAL"], response.fresh_for or 0)
    if response.status == "backoff":
        return max(response.retry_after or 0, now)
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
        if r.status in ("failed", "gone", "backoff") or "moved permanently" in r.reason:
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
