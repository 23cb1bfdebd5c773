"""A deterministic synthetic magazine for the benchmarks.

``generate(n, dest)`` writes ``dest/content/`` with n articles and, in
proportion, members (n/10), groups (6 per 1,000 articles, at most 60) and
issues (one per 25 articles) in Kring's formats. The same seed always gives
the same files, so two machines benchmark the same corpus. Articles use only
metadata vanilla Pelican understands too (Title, Date, Slug, Authors, Tags,
Summary) plus Kring's Groups and Issue, which Pelican keeps as plain metadata.

Community posts (5 per article) go into a SQLite feed archive written with
the feed engineer's store API (kring/feeds/store.py), ``dest/community.sqlite``;
one member in four lists a blog feed whose posts are in that archive.
"""

from __future__ import annotations

import argparse
import os
import sys
import random
from pathlib import Path

WORDS = (
    "kennis samenwerking project dienst proces klant risico portfolio programma "
    "verandering team leiding planning kwaliteit afspraak overleg rapport budget "
    "doel resultaat meting verbetering analyse ontwerp keten zorg beheer incident "
    "probleem wijziging release capaciteit beschikbaarheid continuiteit beveiliging "
    "leverancier contract waarde batenmanagement governance sponsor stuurgroep "
    "mijlpaal fase product kanaal gesprek ervaring vraag antwoord community netwerk"
).split()
FIRST = "Anna Bram Sanne Thomas Eva Pieter Lotte Daan Fleur Joost Iris Ruben Noor Sem Lisa Milan".split()
LAST = ["de Vries", "Jansen", "Bakker", "Visser", "Smit", "Meijer", "Mulder", "Bos", "Vos", "Peters", "Dekker"]
FIELDS = ["Servicemanagement", "Projectmanagement", "Programmamanagement", "Portfolio", "Risicomanagement",
          "Procesmanagement", "Klantcontact", "Sociale media"]
ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # kring.feeds, for the posts archive

SIZES = {"1k": 1000, "3k": 3000, "10k": 10000}


def counts(n: int) -> dict:
    return {
        "articles": n,
        "members": max(10, n // 10),
        "groups": min(60, max(6, n * 6 // 1000)),
        "issues": max(1, n // 25),
        "tags": max(20, n // 20),
        "posts": 5 * n,
        "feeds": max(1, n // 40),
    }


def _sentence(rng: random.Random, lo: int = 8, hi: int = 18) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(lo, hi))]
    return " ".join(words).capitalize() + "."


def _paragraph(rng: random.Random) -> str:
    return " ".join(_sentence(rng) for _ in range(rng.randint(3, 6)))


def _body(rng: random.Random, i: int, c: dict, mentions: list[str], article_paths: list[str]) -> str:
    parts = [_paragraph(rng), f"Een gesprek met @{rng.choice(mentions)} over {rng.choice(WORDS)}."]
    for section in range(rng.randint(2, 4)):
        parts.append(f"## {_sentence(rng, 2, 5)[:-1]}")
        parts.append(_paragraph(rng))
        kind = rng.randrange(4)
        if kind == 0:
            parts.append("\n".join(f"- {_sentence(rng, 3, 7)}" for _ in range(rng.randint(3, 6))))
        elif kind == 1:
            parts.append("```python\n" + "\n".join(
                f"def stap_{k}(waarde):\n    return waarde * {k} + {rng.randint(1, 99)}" for k in range(3)) + "\n```")
        elif kind == 2 and article_paths:
            target = rng.choice(article_paths)
            parts.append(f"Lees ook [dit eerdere stuk]({{filename}}../{target}) en *{rng.choice(WORDS)}*.")
        else:
            parts.append(f"> {_sentence(rng)}")
        parts.append(_paragraph(rng))
    return "\n\n".join(parts) + "\n"


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _member_name(i: int) -> str:
    return f"{FIRST[i % len(FIRST)]} {LAST[(i // len(FIRST)) % len(LAST)]} {i}"


def generate(n: int, dest: str | os.PathLike, seed: int = 8) -> Path:
    """Write the synthetic content for n articles to dest/content; return that folder."""
    rng = random.Random(seed * 1_000_003 + n)
    c = counts(n)
    content = Path(dest) / "content"
    groups = [f"groep-{g:02d}" for g in range(c["groups"])]
    for g, slug in enumerate(groups):
        _write(content / "groups" / f"{slug}.md",
               f"Title: {FIELDS[g % len(FIELDS)]} {g}\nSummary: {_sentence(rng, 4, 8)}\n\n{_paragraph(rng)}\n")
    members = [f"lid-{m:05d}" for m in range(c["members"])]
    for m, slug in enumerate(members):
        mine = ", ".join(sorted(set(rng.sample(groups, rng.randint(1, 3)))))
        topics = ", ".join(sorted(set(rng.sample(WORDS, rng.randint(2, 4)))))
        feed = f"Feeds: {_feed_url(slug)}\n" if m % 4 == 0 else ""
        _write(content / "members" / f"{slug}.md",
               f"Title: {_member_name(m)}\nRole: {rng.choice(FIELDS)}\nExpertise: {topics}\nGroups: {mine}\n"
               f"{feed}Email: {slug}@example.nl\n\n{_paragraph(rng)}\n")
    tags = [f"{rng.choice(WORDS)}-{t}" for t in range(c["tags"])]
    paths = []
    per_issue = max(1, n // c["issues"])
    for i in range(n):
        year = 2010 + i * 16 // n
        day = i % 28 + 1
        month = (i * 7) % 12 + 1
        slug = f"artikel-{i:05d}"
        rel = f"{year}/{slug}.md"
        authors = rng.sample(range(c["members"]), rng.choice((1, 1, 1, 2, 3)))
        names = ", ".join(members[a] if rng.random() < 0.5 else _member_name(a) for a in authors)
        meta = [
            f"Title: {_sentence(rng, 3, 7)[:-1]} {i}",
            f"Slug: {slug}",
            f"Date: {year}-{month:02d}-{day:02d} {i % 24:02d}:{i % 60:02d}",
            f"Authors: {names}",
            f"Groups: {', '.join(sorted(set(rng.sample(groups, rng.randint(1, 2)))))}",
            f"Tags: {', '.join(sorted(set(rng.sample(tags, rng.randint(1, 4)))))}",
            f"Summary: {_sentence(rng)}",
            f"Issue: {min(c['issues'], i // per_issue + 1)}",
        ]
        body = _body(rng, i, c, members + groups, paths[-50:])
        _write(content / "articles" / rel, "\n".join(meta) + "\n\n" + body)
        paths.append(rel)
    for k in range(1, c["issues"] + 1):
        year = 2010 + (k - 1) * 16 // c["issues"]
        _write(content / "issues" / f"{k}.md",
               f"Number: {k}\nTitle: Nummer {k}\nDate: {year}-{(k % 12) + 1:02d}-01\nStatus: published\n\n"
               f"{_paragraph(rng)}\n")
    write_posts(Path(dest) / "community.sqlite", members[::4][: c["feeds"]], c["posts"], rng)
    return content


def _feed_url(slug: str) -> str:
    return f"https://blogs.example.nl/{slug}/feed.atom"


def write_posts(archive: Path, bloggers: list[str], total: int, rng: random.Random) -> None:
    """``total`` posts spread over the bloggers' feeds, stored as fetch would store them."""
    import datetime as dt

    from kring.feeds.models import Entry, FeedState, ParsedFeed, Response
    from kring.feeds.store import connect, record

    archive.unlink(missing_ok=True)
    conn = connect(str(archive))
    start = dt.datetime(2010, 1, 1, tzinfo=dt.timezone.utc)
    per_feed = max(1, total // len(bloggers))
    for b, slug in enumerate(bloggers):
        url = _feed_url(slug)
        entries = []
        for k in range(per_feed):
            when = start + dt.timedelta(hours=(b * per_feed + k) * 7 % 140_000)
            entries.append(Entry(
                entry_id=f"{url}#{k}", link=f"https://blogs.example.nl/{slug}/{k}/", title=_sentence(rng, 3, 7)[:-1],
                summary_html=f"<p>{_sentence(rng)} {_sentence(rng)}</p>", published=when, updated=None,
                categories=rng.sample(WORDS, 2), author=slug,
            ))
        parsed = ParsedFeed(title=f"Blog van {slug}", site_url=f"https://blogs.example.nl/{slug}/", entries=entries)
        record(conn, FeedState(key=url, url=url), Response(status="fetched", url=url), parsed, 1.8e9, 1.8e9 + 3600)
    conn.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("articles", type=int)
    parser.add_argument("dest")
    args = parser.parse_args()
    print(generate(args.articles, args.dest))


if __name__ == "__main__":
    main()
