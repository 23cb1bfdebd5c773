"""Draft and future issues: visible and marked in preview, absent from every published file."""

from __future__ import annotations

import gzip

import pytest

from issues_helpers import PUBLISH_SETTINGS, article, build_into, issue_file, people

SECRETS = ("geheim-plan", "Geheim plan", "toekomst-stuk", "Toekomststuk", "Nummer in wording", "Verre toekomst")


def magazine() -> dict[str, str]:
    return {**people(), **dict([
        issue_file(1, "Verschenen", "2026-03-01"),
        issue_file(2, "Nummer in wording", "2026-06-01", Status="draft", Articles="geheim-plan"),
        issue_file(3, "Verre toekomst", "2099-01-01"),
        article("openbaar", "Openbaar stuk", Authors="anna", Groups="itil", Tags="samen", Issue=1),
        article("geheim-plan", "Geheim plan", Authors="anna", Groups="itil", Tags="samen"),
        article("toekomst-stuk", "Toekomststuk", Authors="bram", Tags="samen", Issue=3),
    ])}


def readable(path) -> str:
    """A file's text as a reader or a search engine would get it (Pagefind files are gzipped)."""
    data = path.read_bytes()
    try:
        data = gzip.decompress(data)
    except OSError:
        pass
    return data.decode("utf-8", errors="replace")


def test_preview_shows_draft_and_future_issues_marked(tmp_path):
    site = build_into(tmp_path, magazine())
    draft = site.soup("/issues/2/")
    assert "Draft issue" in draft.select_one(".draft-flag").get_text()
    link = draft.select_one(".issue-toc h3 a")
    assert link.get_text(strip=True) == "Geheim plan"
    article_page = site.soup("/" + link["href"].replace("../", "").lstrip("/"))
    assert article_page.select_one(".draft-flag")
    assert "Scheduled" in site.soup("/issues/3/").select_one(".draft-flag").get_text()
    # The home page leads with the newest issue that is really out.
    assert site.soup("/").select_one(".issue-home h1").get_text(strip=True) == "Verschenen"


@pytest.mark.parametrize("search_index", [True])
def test_published_build_leaves_no_trace_of_drafts_or_future_issues(tmp_path, search_index):
    site = build_into(tmp_path, magazine(), PUBLISH_SETTINGS, KRING_SEARCH_INDEX=search_index)
    files = site.all_files()
    assert any("pagefind" in p.parts for p in files), "the search index was not built"
    leaks = {
        (str(p.relative_to(site.output)), s)
        for p in files for s in SECRETS + ("issues/2/", "issues/3/") if s in readable(p)
    }
    assert not leaks
    assert site.exists("/issues/1/") and "Openbaar stuk" in site.text("/issues/1/newsletter.html")
    assert [h.get_text(strip=True) for h in site.soup("/issues/").select(".issue-card h2")] == ["Verschenen"]
    assert not site.soup("/issues/1/").select(".issue-nav a")
