"""Fetch benchmark: `invoke bench-fetch`.

500 feeds (20 entries each) served by a local asyncio server in its own
process, on 100 ports (100 hosts, 5 feeds each, at most 2 requests in flight
per host). 5% of the feeds never answer (the connection stays open, silent),
each on a different host; 5% answer 500. One sample, in a fresh
child process with a fresh archive:

1. first run: every feed fetched (target: per-feed timeout + at most 10 s);
2. an immediate second run with --force: the server answers 304 to every
   request (the good feeds because their ETag matches) (target: < 3 s);

plus the child's peak memory (ru_maxrss). Medians over --runs samples are
printed and written to benchmarks/results/fetch.json.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RESULTS = HERE / "results"
PORTS = 100  # feed n is served on port base + n // 5


def feed_xml(n: int) -> bytes:
    entries = "".join(
        f"""<entry><title>Post {i} of feed {n}</title><id>tag:bench,2026:{n}/{i}</id>
<link href="https://blog{n}.example.nl/{i}"/><updated>2026-11-{1 + i % 28:02d}T10:00:00Z</updated>
<summary type="html">&lt;p&gt;Summary {i} with &lt;a href="/x"&gt;a link&lt;/a&gt; and some text about ITIL and PRINCE2.&lt;/p&gt;</summary></entry>"""
        for i in range(20)
    )
    return (
        f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        f"<title>Feed {n}</title><id>tag:bench,2026:{n}</id><updated>2026-11-28T10:00:00Z</updated>{entries}</feed>"
    ).encode()


def kind(n: int, total: int) -> str:
    """Every 20th feed hangs, the one after it fails: 5% each, one of each per 4th host."""
    return {0: "hang", 1: "fail"}.get(n % 20, "ok")


def serve(base_port: int, total: int, ready, phase) -> None:
    bodies = {n: feed_xml(n) for n in range(total)}

    async def handle(reader, writer):
        try:
            head = await reader.readuntil(b"\r\n\r\n")
        except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError):
            writer.close()
            return
        lines = head.decode("latin-1").split("\r\n")
        n = int(lines[0].split()[1].rsplit("/", 1)[1].split(".")[0])
        etag = f'"feed-{n}"'
        sent_etag = next((v.split(":", 1)[1].strip() for v in lines if v.lower().startswith("if-none-match:")), None)
        if phase.value == 2 or sent_etag == etag:
            response = f"HTTP/1.1 304 Not Modified\r\nETag: {etag}\r\nContent-Length: 0\r\n\r\n".encode()
        elif kind(n, total) == "hang":
            await asyncio.sleep(3600)
            return
        elif kind(n, total) == "fail":
            response = b"HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\n\r\n"
        else:
            body = bodies[n]
            response = (
                f"HTTP/1.1 200 OK\r\nContent-Type: application/atom+xml\r\nETag: {etag}\r\n"
                f"Content-Length: {len(body)}\r\n\r\n"
            ).encode() + body
        writer.write(response)
        await writer.drain()
        writer.close()

    async def main():
        servers = [await asyncio.start_server(handle, "127.0.0.1", base_port + i) for i in range(PORTS)]
        ready.set()
        await asyncio.gather(*(s.serve_forever() for s in servers))

    asyncio.run(main())


def one_sample(base_port: int, total: int, phase, out) -> None:
    sys.path.insert(0, str(ROOT))
    import kring  # noqa: F401
    from kring.feeds import settings as feed_settings
    from kring.feeds.models import Source
    from kring.feeds.update import counts, run

    with tempfile.TemporaryDirectory() as tmp:
        conf = feed_settings.read({"KRING_FEED_ARCHIVE": os.path.join(tmp, "bench.sqlite"), "SITENAME": "Bench",
                                  "KRING_FEED_ALLOW_HOSTS": ["127.0.0.1"]})  # the local bench servers
        sources = [
            Source(f"http://127.0.0.1:{base_port + n // 5}/feed/{n}.xml",
                   f"http://127.0.0.1:{base_port + n // 5}/feed/{n}.xml", "member", f"m{n}")
            for n in range(total)
        ]  # fmt: skip
        started = time.perf_counter()
        first = run(sources, conf)
        first_s = time.perf_counter() - started
        phase.value = 2
        started = time.perf_counter()
        second = run(sources, conf, force=True)
        second_s = time.perf_counter() - started
    out.put({
        "first_run_s": first_s,
        "second_run_s": second_s,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "first_counts": dict(counts(first)),
        "second_counts": dict(counts(second)),
        "timeout_s": conf["KRING_FEED_READ_TIMEOUT"],
    })  # fmt: skip


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, default=500)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--port", type=int, default=18500)
    args = parser.parse_args(argv)
    ctx = multiprocessing.get_context("spawn")
    samples = []
    for _ in range(args.runs):
        ready, phase, out = ctx.Event(), ctx.Value("i", 1), ctx.Queue()
        server = ctx.Process(target=serve, args=(args.port, args.feeds, ready, phase), daemon=True)
        server.start()
        try:
            ready.wait(30)
            child = ctx.Process(target=one_sample, args=(args.port, args.feeds, phase, out))
            child.start()
            samples.append(out.get(timeout=600))
            child.join()
        finally:
            server.kill()
            server.join()
        print(json.dumps(samples[-1]))
    result = {
        key: round(statistics.median(s[key] for s in samples), 2)
        for key in ("first_run_s", "second_run_s", "peak_rss_mb")
    }
    result.update(feeds=args.feeds, runs=args.runs, timeout_s=samples[0]["timeout_s"])
    result["samples"] = samples
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "fetch.json").write_text(json.dumps(result, indent=1))
    print(
        f"fetch, {args.feeds} feeds, median of {args.runs}: first run {result['first_run_s']} s "
        f"(per-feed read timeout {result['timeout_s']:g} s), second run --force (all 304) "
        f"{result['second_run_s']} s, peak memory {result['peak_rss_mb']} MB"
    )
    return result


if __name__ == "__main__":
    main()
