"""Related articles: weighted scores, threshold, ties newer first, never self or drafts."""

from __future__ import annotations

from kring_crosslinks.related import rank_related

from sitekit import article

WEIGHTS = {"authors": 3, "groups": 2, "tags": 1, "issue": 1}


def related_titles(site, slug):
    return [a.get_text() for a in site.soup(f"/articles/{slug}/").select("#related-articles ~ .cards .card__title a")]


def test_related_articles_are_ranked_by_weighted_shared_keys(make_site, small_site):
    files = dict(small_site)
    files.update(
        [
            article("basis", "Basis", date="2026-05-10 10:00", Authors="anna", Groups="itil", Tags="sla"),
            article("auteur-en-groep", "Auteur en groep", date="2026-01-01 10:00", Authors="anna", Groups="itil"),
            article("groep-oud", "Groep oud", date="2026-03-01 10:00", Authors="bram", Groups="itil"),
            article("groep-nieuw", "Groep nieuw", date="2026-07-01 10:00", Authors="bram", Groups="itil"),
            article("alleen-tag", "Alleen tag", date="2026-08-01 10:00", Authors="geheim", Groups="prince2", Tags="sla"),
            article("concept", "Concept", date="2026-09-01 10:00", Authors="anna", Groups="itil", Tags="sla", Status="draft"),
        ]
    )
    # small_site's own articles share anna and/or itil too: keep them out of the way.
    for slug in ("samen", "solo", "met-geheim"):
        files.pop(f"articles/{slug}.md")
    site = make_site(files, KRING_RELATED_WEIGHTS=WEIGHTS, KRING_RELATED_THRESHOLD=2, KRING_RELATED_MAX=3)
    # 5 (author + group) beats 2 (group); equal scores: newer first; the tag alone
    # (1) is under the threshold; the draft and the article itself never appear.
    assert related_titles(site, "basis") == ["Auteur en groep", "Groep nieuw", "Groep oud"]
    assert "Concept" not in site.text("/articles/groep-oud/")
    assert related_titles(site, "alleen-tag") == []
    assert site.soup("/articles/alleen-tag/").select_one("#related-articles") is None
    assert related_titles(site, "groep-nieuw")[0] == "Groep oud"  # shares author and group: 5


def test_limit_and_threshold():
    keys = [
        {("tags", "a"), ("groups", "g")},
        {("tags", "a")},
        {("tags", "a"), ("groups", "g")},
        {("groups", "g")},
        {("issue", "3")},
    ]
    order = [1, 2, 3, 4, 5]
    weights = {"tags": 1, "groups": 2, "issue": 1}
    assert rank_related(keys, order, weights, 1, 10)[0] == [2, 3, 1]
    assert rank_related(keys, order, weights, 2, 10)[0] == [2, 3]
    assert rank_related(keys, order, weights, 1, 1)[0] == [2]
    assert rank_related(keys, order, weights, 1, 10)[4] == []
    # A kind with weight 0 does not relate anything.
    assert rank_related(keys, order, {**weights, "groups": 0}, 1, 10)[3] == []


def test_a_key_most_articles_share_is_left_out_on_large_sites():
    # 150 articles all tagged "x"; only 0 and 1 share a group too.
    keys = [{("tags", "x")} for _ in range(150)]
    keys[0] |= {("groups", "g")}
    keys[1] |= {("groups", "g")}
    order = list(range(150))
    weights = {"tags": 2, "groups": 2}
    assert rank_related(keys, order, weights, 2, 3, common=1.0)[0] == [1, 149, 148]
    assert rank_related(keys, order, weights, 2, 3, common=0.5)[0] == [1]
    # Under the floor of 100 articles, a key is never too common.
    assert rank_related(keys[:50], order[:50], weights, 2, 3, common=0.1)[0] == [1, 49, 48]
