"""This Week in Rust's content builds with Kring as-is (compat/twirconf.py), on a sample."""

from __future__ import annotations

import pytest

from sitekit import ROOT, Site, missing_corpus, shared_corpus
from kring.build import build

CORPUS = shared_corpus("twir", "content")

pytestmark = [pytest.mark.skipif(CORPUS is None, reason=missing_corpus("twir", "content")), pytest.mark.slow]


def sample(n: int = 30) -> list[str]:
    """Every k-th post, old .markdown and new .md, with and without Number."""
    posts = sorted(p.name for p in CORPUS.iterdir() if p.suffix in (".md", ".markdown"))
    step = max(1, len(posts) // n)
    return posts[::step][:n]


def test_a_sample_of_twir_builds_with_its_numbers_as_issues(tmp_path):
    files = sample()
    output = tmp_path / "twir"
    build(str(ROOT / "compat" / "twirconf.py"),
          {"ARTICLE_PATHS": files, "OUTPUT_PATH": str(output), "KRING_SEARCH_INDEX": False})
    site = Site(output)
    numbered = {}
    for name in files:
        for line in (CORPUS / name).read_text(encoding="utf-8").splitlines()[:8]:
            if line.startswith("Number:"):
                numbered[int(line.split(":", 1)[1])] = name
    assert len(numbered) >= 20
    archive = [a.get_text(strip=True) for a in site.soup("/issues/").select(".issue-card h2 a")]
    assert len(archive) == len(numbered)
    newest = max(numbered)
    assert archive[0] == f"This Week in Rust {newest}"
    page = site.soup(f"/issues/{newest}/")
    assert [a.get_text(strip=True) for a in page.select(".issue-toc h3 a")] == [f"This Week in Rust {newest}"]
    article_url = page.select_one(".issue-toc h3 a")["href"].replace("../", "")
    assert f"Issue {newest}" in site.soup("/" + article_url).select_one(".issue__label").get_text()
    assert site.soup("/").select_one(".issue-home h1").get_text(strip=True) == f"This Week in Rust {newest}"
    assert "This Week in Rust" in site.text(f"/issues/{newest}/newsletter.txt")
