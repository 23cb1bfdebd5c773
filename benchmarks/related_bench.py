"""How long related articles take for a large magazine.

    .venv/bin/python benchmarks/related_bench.py [--articles 10000] [--runs 5]

A deterministic synthetic magazine (seeded) of article objects with the
attributes kring_crosslinks reads: 1-3 authors out of 500 members, 1-2
groups out of 40, 2-5 tags out of 400 (popular tags are much more common,
as in real magazines) and an issue of ~100 articles. Each run computes every
article's related list the way a build does (``attach_related``: keys,
inverted index, scoring, top 4); the median of the runs is printed.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "plugins"))

from kring_crosslinks import settings as crosslinks_settings  # noqa: E402
from kring_crosslinks.related import attach_related  # noqa: E402


def synthetic_articles(count: int, seed: int = 4) -> list:
    rng = random.Random(seed)
    members = [SimpleNamespace(slug=f"lid-{i}") for i in range(500)]
    groups = [SimpleNamespace(slug=f"groep-{i}") for i in range(40)]
    tags = [SimpleNamespace(slug=f"tag-{i}") for i in range(400)]
    tag_weights = [1 / (i + 1) for i in range(len(tags))]  # Zipf-like popularity
    start = datetime(2020, 1, 1)
    articles = []
    for n in range(count):
        authors = [SimpleNamespace(member=m, slug=m.slug) for m in rng.sample(members, rng.randint(1, 3))]
        articles.append(
            SimpleNamespace(
                authors=authors,
                groups=rng.sample(groups, rng.randint(1, 2)),
                tags=list({t.slug: t for t in rng.choices(tags, tag_weights, k=rng.randint(2, 5))}.values()),
                metadata={"issue": str(n // 100 + 1)},
                date=start + timedelta(hours=n * 5),
            )
        )
    return articles


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--common", type=float, help="KRING_RELATED_COMMON (default: the plugin's)")
    args = parser.parse_args(argv)
    conf = crosslinks_settings.read({} if args.common is None else {"KRING_RELATED_COMMON": args.common})
    articles = synthetic_articles(args.articles)
    times, cpu = [], []
    for _ in range(args.runs):
        began, began_cpu = time.perf_counter(), time.process_time()
        attach_related(articles, [], conf)
        times.append(time.perf_counter() - began)
        cpu.append(time.process_time() - began_cpu)
    with_related = sum(1 for a in articles if a.related)
    print(
        f"related articles for {args.articles} synthetic articles: median {statistics.median(times):.2f} s "
        f"over {args.runs} runs (min {min(times):.2f}, max {max(times):.2f}; CPU median {statistics.median(cpu):.2f} s); "
        f"{with_related} articles have related ones, weights {conf['KRING_RELATED_WEIGHTS']}, "
        f"threshold {conf['KRING_RELATED_THRESHOLD']}, max {conf['KRING_RELATED_MAX']}, "
        f"common {conf['KRING_RELATED_COMMON']}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
