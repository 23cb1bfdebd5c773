"""Retrieve: one polite, bounded HTTP GET (or local file read) per feed.

Politeness: conditional GET with the validators exactly as received, a bound
per host, Retry-After honoured per host, an identifying User-Agent. Bounds:
connect/read timeouts from httpx, a total deadline per feed, a cap on the
*decompressed* body (we inflate gzip ourselves, chunk by chunk, so a gzip bomb
stops at the cap instead of filling memory). Safety: every connection goes
through ``guard`` (no internal addresses). Every number and validator a server
sends is bounded (``bounds``): waits at most KRING_FEED_MAX_WAIT seconds.
"""

from __future__ import annotations

import asyncio
import email.utils
import functools
import logging
import os
import ssl
import time
import zlib
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import httpx

from . import bounds
from .guard import GuardedBackend, InternalAddress, allow_list
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


@functools.cache
def tls_context() -> ssl.SSLContext:
    """httpx's default TLS settings, made once a process: loading the CA bundle
    costs tens of milliseconds, paid by every fetch run (the live server's too)."""
    return httpx.create_ssl_context()


def make_client(conf: dict) -> httpx.AsyncClient:
    timeout = httpx.Timeout(
        connect=conf["KRING_FEED_CONNECT_TIMEOUT"],
        read=conf["KRING_FEED_READ_TIMEOUT"],
        write=conf["KRING_FEED_READ_TIMEOUT"],
        pool=conf["KRING_FEED_TOTAL_TIMEOUT"],
    )
    limits = httpx.Limits(max_connections=conf["KRING_FEED_CONCURRENCY"], max_keepalive_connections=20)
    transport = httpx.AsyncHTTPTransport(limits=limits, verify=tls_context())
    # Every TCP connection, redirects included, is resolved and checked by the guard.
    transport._pool._network_backend = GuardedBackend(allow_list(conf["KRING_FEED_ALLOW_HOSTS"]))
    return httpx.AsyncClient(
        timeout=timeout,
        transport=transport,
        trust_env=False,  # a proxy from the environment would bypass the guard's address check
        headers={"User-Agent": conf["KRING_FEED_USER_AGENT"], "Accept": ACCEPT, "Accept-Encoding": "gzip, deflate"},
        follow_redirects=False,  # we follow them ourselves to tell permanent from temporary
    )


async def retrieve_url(client: httpx.AsyncClient, state: FeedState, conf: dict, polite: Politeness) -> Response:
    host = urlsplit(state.url).netloc.lower()  # host:port, one origin
    waiting = Response("backoff", url=state.url, reason=f"{host} asked us to wait (Retry-After)",
                       public_reason="backing off: the server asked us to wait")  # fmt: skip
    if polite.backoff.get(host, 0) > time.time():
        return waiting
    # Host first: a feed waiting for its host must not hold one of the global slots.
    async with polite.host_slot(host), polite.any_slot():
        if polite.backoff.get(host, 0) > time.time():  # set while we queued
            return waiting
        deadline = conf["KRING_FEED_TOTAL_TIMEOUT"]
        try:
            async with asyncio.timeout(deadline):
                response = await _get(client, state, conf)
        except TimeoutError:
            return failed(state.url, f"no complete answer within {deadline:g} s", "timeout")
        except httpx.TimeoutException as exc:
            return failed(state.url, f"timed out ({type(exc).__name__})", "timeout")
        except TooLarge:
            return failed(state.url, f"larger than the cap of {conf['KRING_FEED_MAX_BYTES']} bytes", "too large")
        except InternalAddress as exc:
            return failed(state.url, f"refused: {exc} (allow it in KRING_FEED_ALLOW_HOSTS if intended)",
                          "refused: internal address")  # fmt: skip
        except NotWeb as exc:
            return failed(state.url, str(exc), "redirect to a non-web address")
        except httpx.ConnectError as exc:
            return failed(state.url, f"cannot connect: {exc}", "connection failed")
        except (httpx.HTTPError, zlib.error, ValueError, UnicodeError) as exc:
            return failed(state.url, f"{type(exc).__name__}: {exc}", "bad answer")
    if response.status == "backoff":
        polite.backoff[host] = response.retry_after or 0
    return response


class NotWeb(ValueError):
    pass


def failed(url: str, reason: str, public_reason: str, **extra) -> Response:
    return Response("failed", url=url, reason=reason, public_reason=public_reason, **extra)


async def _get(client: httpx.AsyncClient, state: FeedState, conf: dict) -> Response:
    headers = {}
    if bounds.validator(state.etag):  # bounded again: the archive may hold anything
        headers["If-None-Match"] = state.etag
    if bounds.validator(state.last_modified):
        headers["If-Modified-Since"] = state.last_modified
    max_wait = conf["KRING_FEED_MAX_WAIT"]
    url, permanent = state.url, True
    for _hop in range(MAX_REDIRECTS + 1):
        async with client.stream("GET", url, headers=headers) as r:
            code = r.status_code
            if code in REDIRECTS and r.headers.get("location"):
                permanent = permanent and code in PERMANENT
                url = urljoin(url, r.headers["location"])
                if urlsplit(url).scheme not in ("http", "https"):
                    raise NotWeb(f"redirect to a non-web address {url!r}")
                continue
            moved = url if url != state.url and permanent else None
            notes: list[str] = []
            common = dict(url=url, moved_to=moved, http_status=code, headers=_headers(r), notes=notes)
            if code == 304:
                return Response("not_modified", fresh_for=freshness(r.headers, max_wait, notes), **common)
            if code == 410:
                return Response("gone", reason="HTTP 410 Gone: the feed was removed", public_reason="HTTP 410", **common)
            if code in (429, 503):
                until = retry_after(r.headers.get("retry-after"), conf["KRING_FEED_MIN_INTERVAL"], max_wait, notes)
                return Response("backoff", retry_after=until, reason=f"HTTP {code}, retry after {_when(until)}",
                                public_reason=f"HTTP {code}: asked to wait", **common)  # fmt: skip
            if code >= 400 or code < 200:
                return Response("failed", reason=f"HTTP {code} {r.reason_phrase}", public_reason=f"HTTP {code}", **common)
            body = await _read_capped(r, conf["KRING_FEED_MAX_BYTES"])
            return Response(
                "fetched",
                body=body,
                etag=_validator(r.headers, "etag", notes),
                last_modified=_validator(r.headers, "last-modified", notes),
                fresh_for=freshness(r.headers, max_wait, notes),
                **common,
            )
    return failed(url, f"more than {MAX_REDIRECTS} redirects", "too many redirects")


def _headers(r: httpx.Response) -> dict[str, str]:
    """The headers as text; a byte no codec knows becomes U+FFFD instead of an exception later."""
    return {k.decode("latin-1").lower(): v.decode("utf-8", "replace") for k, v in r.headers.raw}


def _validator(headers, name: str, notes: list[str]) -> str | None:
    raw = headers.get_list(name)  # decoded as latin-1 by httpx: never raises
    value = bounds.validator(raw[0]) if raw else None
    if raw and value is None:
        notes.append(f"{name} header not printable ASCII: ignored (the feed is fetched in full each time)")
    return value


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


def freshness(headers, cap: float, notes: list[str] | None = None) -> float | None:
    """Seconds the server says the feed stays fresh (Cache-Control, else Expires), at most `cap`."""
    found = None
    for part in headers.get("cache-control", "").split(","):
        name, _, value = part.strip().partition("=")
        if name.lower() in ("max-age", "s-maxage"):
            found = bounds.seconds(value.strip().strip('"'), float("inf"))
            if found is not None:
                break
    if found is None:
        expires = _http_date(headers.get("expires"))
        if expires is not None:
            found = max(0.0, expires - (_http_date(headers.get("date")) or time.time()))
    return _capped(found, cap, "Cache-Control/Expires", notes)


def retry_after(value: str | None, default: float, cap: float, notes: list[str] | None = None) -> float:
    """Retry-After as epoch seconds (delta-seconds or an HTTP date), between now and now + `cap`."""
    now = time.time()
    wait = bounds.seconds(value, float("inf"))
    if wait is None:
        when = _http_date((value or "").strip())
        wait = max(0.0, when - now) if when is not None else default
    return now + _capped(wait, cap, "Retry-After", notes)


def _capped(wait: float | None, cap: float, header: str, notes: list[str] | None) -> float | None:
    if wait is not None and wait > cap:
        if notes is not None:
            notes.append(f"{header} asked for {_duration(wait)}; capped at {_duration(cap)}")
        return float(cap)
    return wait


def _duration(seconds: float) -> str:
    return f"{seconds / 86400:.0f} days" if seconds < 1e9 else "more than 30 years"


def _http_date(value: str | None) -> float | None:
    if not value:
        return None
    try:
        return email.utils.parsedate_to_datetime(value).timestamp()  # any year 1-9999: callers cap the wait
    except (TypeError, ValueError, IndexError, OverflowError, OSError):
        return None


def _when(epoch: float) -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime(bounds.epoch(epoch)))


def retrieve_file(state: FeedState, cap: int) -> Response:
    """A local feed file: its size and mtime stand in for an ETag."""
    path = state.url
    try:
        info = os.stat(path)
    except OSError:
        return failed(path, f"no such file: {path}", "no such file")
    tag = f"{info.st_mtime_ns}-{info.st_size}"
    if state.etag == tag:
        return Response("not_modified", url=path, etag=tag)
    if info.st_size > cap:
        return failed(path, f"larger than the cap of {cap} bytes", "too large")
    with open(path, "rb") as f:
        body = f.read(cap + 1)
    content_type = "application/feed+json" if path.endswith(".json") else "application/xml"
    return Response("fetched", url=path, body=body, etag=tag, headers={"content-type": content_type})
