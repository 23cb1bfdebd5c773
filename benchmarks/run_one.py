"""One build in its own process, started by bench.py: `run_one.py TOOL CONTENT OUTPUT CACHE [--twir]`.

TOOL is ``vanilla`` (Pelican 4.12, no plugins, default theme, its content
cache on), ``kring`` (pelicanconf.py with every Kring plugin) or
``kring-live`` (a build and then a rebuild after one edit, the way `make
serve` does them, timed inside the process). The parent measures wall time
and peak memory; this prints nothing unless the build fails.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import resource
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

# Kring on TWiR: compat/twirconf.py (Number -> issues, no link check of the
# corpus' placeholder links); without it, the least that makes it build: the
# files sit at the top of the content folder, with pages/ and images/ beside them.
TWIR_SETTINGS = os.path.join(ROOT, "compat", "twirconf.py")
EDIT_TEXT = "\n\nEen alinea die de redactie later toevoegde.\n"  # the "one article edited" of bench.py
TWIR_OVERRIDES = {
    "ARTICLE_PATHS": [""],
    "ARTICLE_EXCLUDES": ["pages", "images", "members", "groups", "issues", "feeds"],
    "PAGE_PATHS": ["pages"],
}


def vanilla(content: str, output: str, cache: str) -> None:
    from pelican import Pelican
    from pelican.settings import read_settings

    settings = read_settings(None, override={
        "PATH": content, "OUTPUT_PATH": output, "CACHE_PATH": cache, "TIMEZONE": "Europe/Amsterdam",
        "CACHE_CONTENT": True, "LOAD_CONTENT_CACHE": True,
    })
    Pelican(settings).run()


def kring_settings(content: str, cache: str, twir: bool) -> tuple[str, dict]:
    # The synthetic magazine's posts sit beside its content; other corpora get an empty archive.
    archive = os.path.join(os.path.dirname(content), "community.sqlite")
    if not os.path.isfile(archive):
        archive = os.path.join(cache, "community.sqlite")
    overrides = {"PATH": content, "CACHE_PATH": cache, "KRING_FEED_ARCHIVE": archive}
    settings = os.path.join(ROOT, "pelicanconf.py")
    if twir and os.path.isfile(TWIR_SETTINGS):
        settings = TWIR_SETTINGS  # the issues engineer's documented compatibility settings
    elif twir:
        overrides.update(TWIR_OVERRIDES)
    return settings, overrides


def kring(content: str, output: str, cache: str, twir: bool) -> None:
    from kring.build import build

    settings, overrides = kring_settings(content, cache, twir)
    build(settings, dict(overrides, OUTPUT_PATH=output))


def kring_live(content: str, output: str, cache: str, twir: bool, edit: str, report: str) -> None:
    """The editor's path: `make serve`'s Rebuilder builds, then one article is edited and it rebuilds.

    Reports the seconds until the edited pages are written (the live server
    then reloads the browser) and until the search index has caught up.
    """
    from kring import serve  # puts plugins/ on sys.path

    import kring_search

    settings, overrides = kring_settings(content, cache, twir)
    rebuild = serve.Rebuilder(settings, dict(overrides, OUTPUT_PATH=output))
    if not rebuild():
        raise SystemExit("the live server's first build failed")
    kring_search.wait_for_search_index()
    original = open(edit, encoding="utf-8").read()
    try:
        with open(edit, "w", encoding="utf-8") as f:
            f.write(original + EDIT_TEXT)
        start = time.perf_counter()
        if not rebuild():
            raise SystemExit("the live server's rebuild failed")
        pages = time.perf_counter() - start
        kring_search.wait_for_search_index()
        searchable = time.perf_counter() - start
    finally:
        with open(edit, "w", encoding="utf-8") as f:
            f.write(original)
    with open(report, "w", encoding="utf-8") as f:
        json.dump({"pages_seconds": pages, "search_seconds": searchable}, f)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("tool", choices=("vanilla", "kring", "kring-live"))
    parser.add_argument("content")
    parser.add_argument("output")
    parser.add_argument("cache")
    parser.add_argument("--twir", action="store_true", help="the corpus is only articles (TWiR)")
    parser.add_argument("--edit", help="kring-live: the article to edit")
    parser.add_argument("--report", help="kring-live: where the timings go (JSON)")
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)
    if args.tool == "vanilla":
        vanilla(args.content, args.output, args.cache)
    elif args.tool == "kring-live":
        kring_live(args.content, args.output, args.cache, args.twir, args.edit, args.report)
    else:
        kring(args.content, args.output, args.cache, args.twir)
    report_memory(os.environ.get("KRING_BENCH_MEMORY"))


def report_memory(path: str | None) -> None:
    """Peak memory of this process and of its largest helper (forked writers, Pagefind), for bench.py."""
    if path:
        own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        helpers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        with open(path, "w", encoding="utf-8") as f:
            json.dump({"own_mb": own, "helpers_mb": helpers}, f)


if __name__ == "__main__":
    main()
