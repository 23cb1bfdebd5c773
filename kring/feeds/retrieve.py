"""Retrieve: one polite, bounded HTTP GET (or local file read) per feed.

Politeness: conditional GET with the validators exactly as received, a bound
per host, Retry-After honoured per host, an identifying User-Agent. Bounds:
connect/read timeouts from httpx, a total deadline per feed, a cap on the
*decompressed* body (we inflate gzip ourselves, chunk by chunk, so a gzip bomb
stops at the cap instead of filling memory).
"""

from __future__ import annotations

import asyncio
import email.utils
import logging
import os
import time
import zlib
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import httpx

from .models import FeedState, Response

logger = logging.getLogger(__name__)

ACCEPT = (
    "application/atom+xml, application/rss+xml, application/feed+json, application/json;q=0.9, "
    "application/rdf+xml;q=0.8, application/xml;q=0.7, text/xml;q=0.7, */*;q=0.1"
)
MAX_REDIRECTS = 5
REDIRECTS = (301, 302, 303, 307, 308)
PERMANENT = (301, 308)


class TooLarge(Exception):
    pass


@dataclass
class Politeness:
    """Shared by every request of one run: concurrency bounds and host back-off."""

    per_host: int
    total: int
    backoff: dict[str, float] = field(default_factory=dict)  # host -> epoch seconds
    _hosts: dict[str, asyncio.Semaphore] = field(default_factory=dict)
    _all: asyncio.Semaphore | None = None

    def host_slot(self, host: str) -> asyncio.Semaphore:
        if host not in self._hosts:
            self._hosts[host] = asyncio.Semaphore(self.per_host)
        return self._hosts[host]

    def any_slot(self) -> asyncio.Semaphore:
        if self._all is None:
            self._all = asyncio.Semaphore(self.total)
        return self._all


def make_client(conf: dict) -> httpx.AsyncClient:
    timeout = httpx.Timeout(
        connect=conf["KRING_FEED_CONNECT_TIMEOUT"],
        read=conf["KRING_FEED_READ_TIMEOUT"],
        write=conf["KRING_FEED_READ_TIMEOUT"],
        pool=conf["KRING_FEED_TOTAL_TIMEOUT"],
    )
    limits = httpx.Limits(max_connections=conf["KRING_FEED_CONCURRENCY"], max_keepalive_connections=20)
    return httpx.AsyncClient(
        timeout=timeout,
        limits=limits,
        headers={"User-Agent": conf["KRING_FEED_USER_AGENT"], "Accept": ACCEPT, "Accept-Encoding": "gzip, deflate"},
        follow_redirects=False,  # we follow them ourselves to tell permanent from temporary
    )


async def retrieve_url(client: httpx.AsyncClient, state: FeedState, conf: dict, polite: Politeness) -> Response:
    host = urlsplit(state.url).netloc.lower()  # host:port, one origin
    if polite.backoff.get(host, 0) > time.time():
        return Response("backoff", url=state.url, reason=f"{host} asked us to wait (Retry-After)")
    # Host first: a feed waiting for its host must not hold one of the global slots.
    async with polite.host_slot(host), polite.any_slot():
        if polite.backoff.get(host, 0) > time.time():  # set while we queued
            return Response("backoff", url=state.url, reason=f"{host} asked us to wait (Retry-After)")
        deadline = conf["KRING_FEED_TOTAL_TIMEOUT"]
        try:
            async with asyncio.timeout(deadline):
                response = await _get(client, state, conf)
        except TimeoutError:
            return Response("failed", url=state.url, reason=f"no complete answer within {deadline:g} s")
        except httpx.TimeoutException as exc:
            return Response("failed", url=state.url, reason=f"timed out ({type(exc).__name__})")
        except TooLarge:
            cap = conf["KRING_FEED_MAX_BYTES"]
            return Response("failed", url=state.url, reason=f"larger than the cap of {cap} bytes")
        except (httpx.HTTPError, zlib.error, ValueError) as exc:
            return Response("failed", url=state.url, reason=f"{type(exc).__name__}: {exc}")
    if response.status == "backoff":
        polite.backoff[host] = response.retry_after or 0
    return response


async def _get(client: httpx.AsyncClient, state: FeedState, conf: dict) -> Response:
    headers = {}
    if state.etag:
        headers["If-None-Match"] = state.etag
    if state.last_modified:
        headers["If-Modified-Since"] = state.last_modified
    url, permanent = state.url, True
    for _hop in range(MAX_REDIRECTS + 1):
        async with client.stream("GET", url, headers=headers) as r:
            code = r.status_code
            if code in REDIRECTS and r.headers.get("location"):
                permanent = permanent and code in PERMANENT
                url = urljoin(url, r.headers["location"])
                if urlsplit(url).scheme not in ("http", "https"):
                    raise ValueError(f"redirect to a non-web address {url!r}")
                continue
            moved = url if url != state.url and permanent else None
            common = dict(url=url, moved_to=moved, http_status=code, headers=dict(r.headers))
            if code == 304:
                return Response("not_modified", fresh_for=freshness(r.headers), **common)
            if code == 410:
                return Response("gone", reason="HTTP 410 Gone: the feed was removed", **common)
            if code in (429, 503):
                until = retry_after(r.headers.get("retry-after"), conf["KRING_FEED_MIN_INTERVAL"])
                return Response("backoff", retry_after=until, reason=f"HTTP {code}, retry after {_when(until)}", **common)
            if code >= 400 or code < 200:
                return Response("failed", reason=f"HTTP {code} {r.reason_phrase}", **common)
            body = await _read_capped(r, conf["KRING_FEED_MAX_BYTES"])
            return Response(
                "fetched",
                body=body,
                etag=r.headers.get("etag"),
                last_modified=r.headers.get("last-modified"),
                fresh_for=freshness(r.headers),
                **common,
            )
    return Response("failed", url=url, reason=f"more than {MAX_REDIRECTS} redirects")


async def _read_capped(r: httpx.Response, cap: int) -> bytes:
    if int(r.headers.get("content-length") or 0) > cap and not r.headers.get("content-encoding"):
        raise TooLarge()
    encoding = r.headers.get("content-encoding", "").strip().lower()
    inflater = None
    if encoding in ("gzip", "x-gzip"):
        inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    elif encoding == "deflate":
        inflater = zlib.decompressobj()
    parts, total = [], 0
    async for chunk in r.aiter_raw():
        pending = chunk
        while pending:
            if inflater is None:
                data, pending = pending, b""
            else:
                data = inflater.decompress(pending, cap + 1 - total)
                pending = inflater.unconsumed_tail
            total += len(data)
            if total > cap:
                raise TooLarge()
            parts.append(data)
    return b"".join(parts)


def freshness(headers) -> float | None:
    """Seconds the server says the feed stays fresh (Cache-Control, else Expires)."""
    for part in headers.get("cache-control", "").split(","):
        name, _, value = part.strip().partition("=")
        if name.lower() in ("max-age", "s-maxage") and value.strip().isdigit():
            return float(value.strip())
    expires = _http_date(headers.get("expires"))
    if expires is not None:
        now = _http_date(headers.get("date")) or time.time()
        return max(0.0, expires - now)
    return None


def retry_after(value: str | None, default: float) -> float:
    """Retry-After as epoch seconds: delta-seconds or an HTTP date."""
    value = (value or "").strip()
    if value.isdigit():
        return time.time() + int(value)
    when = _http_date(value)
    return when if when is not None else time.time() + default


def _http_date(value: str | None) -> float | None:
    if not value:
        return None
    try:
        return email.utils.parsedate_to_datetime(value).timestamp()
    except (TypeError, ValueError, IndexError, OverflowError):
        return None


def _when(epoch: float) -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime(epoch))


def retrieve_file(state: FeedState, cap: int) -> Response:
    """A local feed file: its size and mtime stand in for an ETag."""
    path = state.url
    try:
        info = os.stat(path)
    except OSError:
        return Response("failed", url=path, reason=f"no such file: {path}")
    tag = f"{info.st_mtime_ns}-{info.st_size}"
    if state.etag == tag:
        return Response("not_modified", url=path, etag=tag)
    if info.st_size > cap:
        return Response("failed", url=path, reason=f"larger than the cap of {cap} bytes")
    with open(path, "rb") as f:
        body = f.read(cap + 1)
    content_type = "application/feed+json" if path.endswith(".json") else "application/xml"
    return Response("fetched", url=path, body=body, etag=tag, headers={"content-type": content_type})
