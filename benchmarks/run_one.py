"""One build in its own process, started by bench.py: `run_one.py TOOL CONTENT OUTPUT CACHE [--twir]`.

TOOL is ``vanilla`` (Pelican 4.12, no plugins, default theme, its content
cache on) or ``kring`` (pelicanconf.py with every Kring plugin). The parent
measures wall time and peak memory; this prints nothing unless the build fails.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import resource
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

# Kring on TWiR: compat/twirconf.py (Number -> issues, no link check of the
# corpus' placeholder links); without it, the least that makes it build: the
# files sit at the top of the content folder, with pages/ and images/ beside them.
TWIR_SETTINGS = os.path.join(ROOT, "compat", "twirconf.py")
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


def kring(content: str, output: str, cache: str, twir: bool) -> None:
    from kring.build import build

    # The synthetic magazine's posts sit beside its content; other corpora get an empty archive.
    archive = os.path.join(os.path.dirname(content), "community.sqlite")
    if not os.path.isfile(archive):
        archive = os.path.join(cache, "community.sqlite")
    overrides = {"PATH": content, "OUTPUT_PATH": output, "CACHE_PATH": cache, "KRING_FEED_ARCHIVE": archive}
    settings = os.path.join(ROOT, "pelicanconf.py")
    if twir and os.path.isfile(TWIR_SETTINGS):
        settings = TWIR_SETTINGS  # the issues engineer's documented compatibility settings
    elif twir:
        overrides.update(TWIR_OVERRIDES)
    build(settings, overrides)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("tool", choices=("vanilla", "kring"))
    parser.add_argument("content")
    parser.add_argument("output")
    parser.add_argument("cache")
    parser.add_argument("--twir", action="store_true", help="the corpus is only articles (TWiR)")
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)
    if args.tool == "vanilla":
        vanilla(args.content, args.output, args.cache)
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
