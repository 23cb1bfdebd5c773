"""The demo shows responses from both sources and a moderation file at work."""

from __future__ import annotations


def test_three_demo_articles_have_responses_from_both_sources(demo_site):
    both = []
    for page in demo_site.output.glob("articles/*/index.html"):
        url = "/" + page.relative_to(demo_site.output).parent.as_posix() + "/"
        soup = demo_site.soup(url)
        if soup.select(".responses--community .response") and soup.select(".responses--readers .response"):
            both.append(url)
            assert demo_site.exists(url + "responses.atom.xml")
    assert len(both) >= 3, both


def test_the_demo_moderation_file_hides_one_post_everywhere_and_stays_unpublished(demo_site):
    words = ("zeeziektekorting", "maak kans op een cruisereis", "thomas is ingelicht")
    for path in demo_site.all_files():
        if path.suffix in (".html", ".xml", ".json", ".txt", ".opml"):
            text = path.read_text(encoding="utf-8", errors="replace").lower()
            assert not [w for w in words if w in text], path
    status = demo_site.soup("/community/status/")
    row = next(r for r in status.select(".feed-status__moderation tbody tr") if "Hide" in r.th.get_text())
    assert row.select("td")[0].get_text() == "1"
    assert "Procesmining op de polikliniek" in demo_site.text("/members/thomas-de-jong/")  # the rest stays
