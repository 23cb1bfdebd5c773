"""How long the knowledge map's own work takes on a large community.

    .venv/bin/python benchmarks/knowledge_bench.py [--members 2000] [--posts 20000] [--articles 5000] [--runs 3]

A deterministic synthetic community (seeded: the same numbers give the same
community) is built in memory from the real directory classes, with the
community plugin's Post class, and linked the way kring_directory links a
real build (member articles, co-authors, group articles). Then the whole of
kring_knowledge's per-build work runs: topics and evidence for /experts/,
every member's neighbourhood graph, the group map and every group's activity
chart. Each run starts from a fresh community; the medians of the runs
(wall-clock and this process's CPU time) are printed. Writing the pages is the template layer and is measured by the
site benchmark (`make bench`), not here.
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
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "plugins"))

from kring_community.posts import Post  # noqa: E402
from kring_directory.model import Directory, Group, Member  # noqa: E402
from kring_directory.resolve import _aggregate  # noqa: E402
from kring_knowledge import build, settings  # noqa: E402

ZONE = ZoneInfo("Europe/Amsterdam")
TOPICS = ["ITIL", "itil", "ITIL 4", "PRINCE2", "MSP", "P3O", "M_o_R", "Lean", "BPMN", "Scrum", "Agile",
          "Kanban", "klantcontact", "klantreis", "communities", "sociale media", "kennismanagement",
          "changemanagement", "risicoanalyse", "governance"] + [f"onderwerp {i}" for i in range(180)]


def community(members: int, posts: int, articles: int, seed: int = 7):
    rnd = random.Random(seed)
    page = SimpleNamespace(metadata={}, content="")
    d = Directory()
    for i in range(max(6, members // 50)):
        d.groups[f"groep-{i}"] = Group(f"groep-{i}", f"Groep {i} ({rnd.choice(TOPICS)})", f"g{i}.md", page)
    groups = list(d.groups.values())
    for i in range(members):
        m = Member(f"lid-{i}", f"Lid {i:04d}", f"m{i}.md", page, expertise=rnd.sample(TOPICS, 4))
        for g in rnd.sample(groups, 3):
            m.groups.append(g)
            g.members.append(m)
        d.members[m.slug] = m
    people = list(d.members.values())
    start = datetime(2025, 1, 1, tzinfo=ZONE)
    items = []
    for i in range(articles):
        authors = rnd.sample(people, rnd.choice([1, 1, 2, 3]))
        items.append(SimpleNamespace(
            slug=f"artikel-{i}", date=start + timedelta(hours=rnd.randrange(24 * 700)),
            tags=[SimpleNamespace(name=t) for t in rnd.sample(TOPICS, 3)],
            authors=[SimpleNamespace(member=m) for m in authors], groups=rnd.sample(groups, 1)))
    _aggregate(d, items)
    for m in people:
        m.posts = []
    for g in groups:
        g.posts = []
    for i in range(posts):
        m = rnd.choice(people)
        post = Post(f"Bericht {i}", f"https://blog.example/{i}", start + timedelta(hours=rnd.randrange(24 * 700)),
                    "", categories=rnd.sample(TOPICS, 2), member=m)
        m.posts.append(post)
        for g in m.groups:
            g.posts.append(post)
    return d, items


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=2000)
    parser.add_argument("--posts", type=int, default=20000)
    parser.add_argument("--articles", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    conf = settings.read({"KRING_TOPIC_ALIASES": {"ITIL 4": "ITIL"}})
    site = {"TIMEZONE": "Europe/Amsterdam", "DEFAULT_LANG": "nl"}
    times, cpu = [], []
    for _ in range(args.runs):
        directory, articles = community(args.members, args.posts, args.articles)
        began, began_cpu = time.perf_counter(), time.process_time()
        found = build(directory, articles, conf, site)
        times.append(time.perf_counter() - began)
        cpu.append(time.process_time() - began_cpu)
    print(f"{args.members} members, {args.posts} posts, {args.articles} articles, {len(directory.groups)} groups: "
          f"{len(found.topics)} topics, {len(found.member_graphs)} member graphs, {len(found.activity)} charts")
    print(f"knowledge map: median {statistics.median(times):.2f} s over {args.runs} runs "
          f"({', '.join(f'{t:.2f}' for t in times)}); CPU time median {statistics.median(cpu):.2f} s "
          "(wall time grows when other processes share the cores)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
