"""Issue pages, archive, home, article navigation and the newsletter, from real builds."""

from __future__ import annotations

import re

from issues_helpers import article, build_into, issue_file, people


def magazine(**issue1_fields) -> dict[str, str]:
    return {
        **people(),
        **dict([
            issue_file(1, "Samen weten we meer", "2026-03-01", Cover="images/cover1.svg", **issue1_fields),
            issue_file(2, "Werken in het open", "2026-06-01", Articles="tweede-b, tweede-a"),
            article("eerste-a", "Eerste A", "2026-02-20 10:00", Authors="anna", Groups="itil", Issue=1,
                    Summary="Over [samen](https://example.nl)."),
            article("eerste-b", "Eerste B", "2026-02-21 10:00", Authors="bram", Issue=1),
            article("eerste-c", "Eerste C", "2026-02-22 10:00", Authors="anna, bram", Issue=1),
            article("tweede-a", "Tweede A", "2026-05-20 10:00", Authors="anna"),
            article("tweede-b", "Tweede B", "2026-05-21 10:00", Authors="bram"),
            article("los", "Los artikel", "2026-07-01 10:00", Authors="anna"),
        ]),
        "images/cover1.svg": '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>',
    }


def toc(site, number) -> list[str]:
    return [a.get_text(strip=True) for a in site.soup(f"/issues/{number}/").select(".issue-toc h3 a")]


def test_both_ways_of_assembling_an_issue_give_the_same_toc(tmp_path):
    by_articles = build_into(tmp_path / "a", magazine())
    files = magazine(Articles="eerste-a, eerste-b, eerste-c")
    for slug in ("eerste-a", "eerste-b", "eerste-c"):  # the same issue, named only by the issue file
        files[f"articles/{slug}.md"] = files[f"articles/{slug}.md"].replace("Issue: 1\n", "")
    by_issue_file = build_into(tmp_path / "b", files)
    assert toc(by_articles, 1) == toc(by_issue_file, 1) == ["Eerste A", "Eerste B", "Eerste C"]
    # An explicit Articles list sets the order, whatever the dates.
    assert toc(by_articles, 2) == ["Tweede B", "Tweede A"]


def test_issue_page_archive_home_and_article_navigation(tmp_path):
    site = build_into(tmp_path, magazine())
    page = site.soup("/issues/1/")
    assert page.h1.get_text(strip=True) == "Samen weten we meer"
    assert page.select_one("img.issue-cover")["src"].endswith("images/cover1.svg")
    assert "Redactioneel van nummer 1." in page.select_one(".issue__editorial").get_text()
    first = page.select(".issue-toc__item")[0]
    assert "Anna de Vries" in first.select_one(".byline").get_text()
    assert first.select_one(".chip").get_text(strip=True) == "Servicemanagement"
    assert page.select_one('.issue-nav a[rel="next"]')["href"].endswith("issues/2/")
    assert site.soup("/issues/2/").select_one('.issue-nav a[rel="prev"]')["href"].endswith("issues/1/")
    archive = [h.get_text(strip=True) for h in site.soup("/issues/").select(".issue-card h2")]
    assert archive == ["Werken in het open", "Samen weten we meer"]
    home = site.soup("/")
    assert home.select_one(".issue-home h1").get_text(strip=True) == "Werken in het open"
    middle = site.soup("/articles/eerste-b/")
    assert "Samen weten we meer" in middle.select_one(".article__header .issue__label").get_text()
    assert middle.select_one('.issue-nav a[rel="prev"]').get_text(strip=True) == "← Eerste A"
    assert middle.select_one('.issue-nav a[rel="next"]').get_text(strip=True) == "Eerste C →"
    assert not site.soup("/articles/los/").select(".issue-nav, .issue__label")
    assert "Eerste C" in site.text("/issues/1/feed.atom.xml")
    assert "Tweede A" not in site.text("/issues/1/feed.atom.xml")


def test_newsletter_is_one_inlined_html_file_with_absolute_urls_and_a_text_version(tmp_path):
    site = build_into(tmp_path, magazine(), SITEURL="https://kring.example.nl", RELATIVE_URLS=False)
    html = site.text("/issues/1/newsletter.html")
    soup = site.soup("/issues/1/newsletter.html")
    assert not soup.find("style") and not soup.find("link", rel="stylesheet")
    assert "font-size" in soup.h1["style"]
    assert soup.select("table[role=presentation] td")
    urls = [t.get("href") or t.get("src") for t in soup.find_all(["a", "img"])]
    assert urls and all(u.startswith("https://kring.example.nl/") for u in urls), urls
    assert [a.get_text(strip=True) for a in soup.select("h2 a")] == ["Eerste A", "Eerste B", "Eerste C"]
    assert not re.search(r"""(href|src)="(?!https://)""", html)
    text = site.text("/issues/1/newsletter.txt")
    assert "<" not in text and "Redactioneel van nummer 1." in text
    assert "* Eerste B (Bram Mulder)" in text
    assert "https://kring.example.nl/articles/eerste-b/" in text
