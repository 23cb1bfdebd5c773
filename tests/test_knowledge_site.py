"""The knowledge map on built sites: ranking, pages, graphs, activity, errors."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest
from lxml import etree

from sitekit import DEV_SETTINGS, ROOT, Site, article, group, member
from kring_core import BuildStopped

SVG = "{http://www.w3.org/2000/svg}"
ALIASES = {"ITIL 4": "ITIL"}


@pytest.fixture
def build(shared_site):
    """Builds in English, so the assertions read the msgids, not a translation.

    The tests only read the built pages: one build per set of files and settings serves them all."""
    return lambda files, **settings: shared_site(files, DEFAULT_LANG="en", **settings)


@pytest.fixture
def itil_site():
    """Who knows ITIL, with a known answer (default weights: declared 3, article 2, post 1).

    anna: declared + 1 article tagged 'Itil' = 5; carla: 2 articles tagged 'ITIL' = 4;
    bram: declared as 'ITIL 4' = 3; dirk: 1 article in the group 'Servicemanagement (ITIL)' = 2;
    gerrit is hidden and must not appear.
    """
    return dict(
        [
            group("servicemanagement", "Servicemanagement (ITIL)", Moderators="anna"),
            group("projecten", "Projecten"),
            member("anna", "Anna de Vries", Expertise="ITIL, SLA's", Groups="servicemanagement, projecten"),
            member("bram", "Bram Mulder", Expertise="ITIL 4, Scrum", Groups="projecten"),
            member("carla", "Carla Smit", Groups="servicemanagement, projecten"),
            member("dirk", "Dirk Bos", Groups="servicemanagement"),
            member("gerrit", "Gerrit Geheim", Expertise="ITIL", Visibility="hidden", Groups="servicemanagement"),
            article("a1", "Anna over itil", date="2026-06-01 10:00", Authors="anna", Tags="Itil"),
            article("c1", "Carla een", date="2026-05-01 10:00", Authors="carla, gerrit", Tags="ITIL"),
            article("c2", "Carla twee", date="2026-05-02 10:00", Authors="carla", Tags="ITIL, Scrum"),
            article("d1", "Dirk in de groep", date="2025-06-15 10:00", Authors="dirk", Groups="servicemanagement"),
            article("samen", "Samen", date="2026-03-03 10:00", Authors="anna, bram", Groups="projecten", Tags="planning"),
        ]
    )


def ranking(site, url):
    return [
        (li.a.get_text(), li.select_one(".kg-why").get_text())
        for li in site.soup(url).select(".kg-ranked li")
    ]


def test_topic_page_ranks_members_by_evidence_and_says_why(build, itil_site):
    site = build(itil_site, KRING_TOPIC_ALIASES=ALIASES)
    assert ranking(site, "/experts/itil/") == [
        ("Anna de Vries", "1 article, declared"),
        ("Carla Smit", "2 articles"),
        ("Bram Mulder", "declared"),
        ("Dirk Bos", "1 article"),
    ]
    page = site.soup("/experts/itil/")
    assert page.h1.get_text() == "ITIL"
    titles = [a.get_text() for a in page.select("#topic-articles ~ .cards .card__title a")]
    assert titles == ["Anna over itil", "Carla twee", "Carla een", "Dirk in de groep"]
    assert not site.exists("/experts/itil-4/")
    assert "Gerrit" not in site.text("/experts/itil/") and "Gerrit" not in site.text("/experts/")


def test_without_the_alias_itil_4_is_its_own_topic(build, itil_site):
    site = build(itil_site, KRING_TOPIC_ALIASES={})
    assert ranking(site, "/experts/itil-4/") == [("Bram Mulder", "declared")]
    assert "Bram Mulder" not in [name for name, _ in ranking(site, "/experts/itil/")]


def test_weights_are_settings(build, itil_site):
    site = build(itil_site, KRING_TOPIC_ALIASES=ALIASES,
                     KRING_EXPERTISE_WEIGHTS={"declared": 10, "article": 1, "post": 1})
    assert [name for name, _ in ranking(site, "/experts/itil/")] == [
        "Anna de Vries", "Bram Mulder", "Carla Smit", "Dirk Bos"]


def test_experts_directory_lists_every_topic_with_links(build, itil_site):
    site = build(itil_site, KRING_TOPIC_ALIASES=ALIASES)
    page = site.soup("/experts/")
    names = [h.get_text(strip=True) for h in page.select(".kg-topic h2")]
    assert names == ["ITIL", "planning", "Scrum", "SLA's"]
    for link in page.select(".kg-topic h2 a"):
        assert site.exists("/experts/" + link["href"].split("/")[-2] + "/")
    nav = [a.get_text() for a in site.soup("/").select("nav .nav a")]
    assert "Experts" in nav


def test_member_profile_and_group_page_show_the_evidence(build, itil_site):
    site = build(itil_site, KRING_TOPIC_ALIASES=ALIASES)
    facts = [li.get_text(" ", strip=True) for li in site.soup("/members/anna/").select(".kg-facts li")]
    assert facts[0] == "ITIL 1 article, declared"
    assert "SLA's declared" in facts
    group_page = site.soup("/groups/servicemanagement/")
    top, people = group_page.select(".kg-facts")
    assert top.li.get_text() == "ITIL"
    assert [li.a.get_text() for li in people.select("li")][:3] == ["Anna de Vries", "Carla Smit", "Dirk Bos"]


def svgs(html: str) -> list[etree._Element]:
    """Inline SVGs parsed as strict XML (an HTML parser would forgive mistakes)."""
    return [etree.fromstring(raw) for raw in re.findall(r"<svg\b.*?</svg>", html, re.S)]


def assert_safe_svg(root, html: str):
    assert root.tag == f"{SVG}svg"
    assert f'id="{root.get("aria-labelledby")}"' in html  # the heading that names the drawing
    assert re.fullmatch(r"0 0 \d+ \d+", root.get("viewBox"))
    assert root.get("role") == "img" and root.get("aria-labelledby")  # named by the section's heading
    for element in root.iter():
        assert etree.QName(element).localname in {"svg", "title", "g", "line", "path", "circle", "text", "rect"}
        for name, value in element.attrib.items():
            assert not name.lower().startswith("on") and "href" not in name
            assert "url(" not in value and "//" not in value.replace("http://www.w3.org/2000/svg", "")


def test_group_map_is_valid_svg_with_the_same_links_as_text(build, itil_site):
    site = build(itil_site)
    html = site.text("/groups/")
    [root] = [s for s in svgs(html) if "kg-graph" in s.get("class", "")]
    assert_safe_svg(root, html)
    arcs = root.findall(f".//{SVG}path")
    listed = [li.get_text(" ", strip=True) for li in site.soup("/groups/").select(".kg-links-list li")]
    # Anna and Carla are in both groups; hidden Gerrit does not count.
    assert listed == ["Projecten – Servicemanagement (ITIL) : 2 shared members"]
    assert len(arcs) == len(listed)
    # Every name in full, wrapped over lines where it is long; never cut off with "…".
    nodes = [g for g in root.iter(f"{SVG}g") if g.get("class") == "kg-node"]
    labels = sorted(" ".join(t.text for t in g.iter(f"{SVG}text")) for g in nodes)
    assert labels == ["Projecten", "Servicemanagement (ITIL)"]
    assert sorted(t.text for t in root.iter(f"{SVG}title")) == ["Projecten", "Servicemanagement (ITIL)"]


def test_member_neighbourhood_graph_and_its_table(build, itil_site):
    site = build(itil_site)
    html = site.text("/members/anna/")
    # Drawn twice: a ring for wide screens, a column of full names for a phone (one shown at a time).
    [root, column] = [s for s in svgs(html) if "kg-graph" in s.get("class")]
    assert "kg-graph--arcs" in column.get("class") and "kg-graph--arcs" not in root.get("class")
    assert_safe_svg(root, html)
    assert_safe_svg(column, html)
    rows = site.soup("/members/anna/").select(".kg-table tbody tr")
    table = [[" ".join(c.get_text().split()) for c in row.select("th, td")] for row in rows]
    # Closest first: an article together counts twice, each shared group once.
    assert table == [  # the last column: responses to each other's articles (kring_responses)
        ["Bram Mulder", "1", "Projecten", "–"],
        ["Carla Smit", "0", "Projecten, Servicemanagement (ITIL)", "–"],
        ["Dirk Bos", "0", "Servicemanagement (ITIL)", "–"],
    ]
    assert len(root.findall(f".//{SVG}line")) == len(rows)
    assert len(column.findall(f".//{SVG}path")) == len(rows)
    for drawing in (root, column):
        labels = [t.text for t in drawing.iter(f"{SVG}text")]
        assert labels[0] == "Anna de Vries" and sorted(labels[1:]) == ["Bram Mulder", "Carla Smit", "Dirk Bos"]
    assert "Gerrit" not in html


def test_hostile_names_are_escaped_in_the_svg(build, itil_site):
    itil_site["members/eve.md"] = 'Title: Eve <script>alert(1)</script>\nGroups: projecten\n\nHallo.\n'
    site = build(itil_site)
    html = site.text("/members/eve/")
    assert "<script>alert(1)" not in html
    for root in svgs(html) + svgs(site.text("/members/anna/")):
        if "kg-" in root.get("class", ""):  # the drawings, not the search button's icon
            assert_safe_svg(root, html)


@pytest.mark.slow
def test_the_same_content_gives_the_same_bytes(make_site, itil_site, tmp_path):
    first = make_site(itil_site)
    # Build the same content again in a fresh process with other hash seeds.
    again = tmp_path / "again"
    fresh = tmp_path / "fresh"
    fresh.mkdir()
    for seed in ("1",):
        subprocess.run(
            [sys.executable, "-m", "kring.build", "-s", DEV_SETTINGS, "-c", str(tmp_path / "content"), "-o", str(again)],
            cwd=fresh,  # Pelican's default cache folder is ./cache: not the first build's
            env={**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(ROOT)}, check=True, capture_output=True,
        )
        for url in ["/groups/", "/members/anna/", "/groups/servicemanagement/", "/experts/", "/experts/itil/"]:
            assert Site(again).path(url).read_bytes() == first.path(url).read_bytes(), url


def activity_table(site, url):
    rows = site.soup(url).select("#group-activity ~ details tbody tr")
    return [[c.get_text(strip=True) for c in row.select("th, td")] for row in rows]


def test_activity_counts_articles_per_month_over_the_last_12_months(build, itil_site):
    site = build(itil_site)
    table = activity_table(site, "/groups/servicemanagement/")
    # Ends with the newest content (June 2026); Dirk's June 2025 article is 13 months back.
    assert len(table) == 12
    assert table[0] == ["July 2025", "0", "0"] and table[-1] == ["June 2026", "0", "0"]
    assert activity_table(site, "/groups/projecten/")[8] == ["March 2026", "1", "0"]
    [chart] = [s for s in svgs(site.text("/groups/projecten/")) if "kg-chart" in s.get("class")]
    assert_safe_svg(chart, site.text("/groups/projecten/"))
    assert len(chart.findall(f"{SVG}rect")) == 1  # one month with activity, one bar


def test_activity_end_month_is_a_setting(build, itil_site):
    site = build(itil_site, KRING_ACTIVITY_END="2026-02")
    table = activity_table(site, "/groups/servicemanagement/")
    assert table[0][0] == "March 2025" and table[-1][0] == "February 2026"
    assert ["June 2025", "1", "0"] in table


@pytest.mark.parametrize(
    "setting, value, expected",
    [
        ("KRING_ACTIVITY_END", "2026/06", "KRING_ACTIVITY_END: '2026/06' is not a month. Write it as YYYY-MM"),
        ("KRING_TOPIC_ALIASES", ["ITIL"], "KRING_TOPIC_ALIASES: must map spellings to topics."),
    ],
)
def test_bad_settings_stop_the_build_with_a_fix(build, itil_site, setting, value, expected):
    with pytest.raises(BuildStopped) as stop:
        build(itil_site, **{setting: value})
    assert expected in str(stop.value)


def test_topic_articles_continue_on_further_pages(build, itil_site):
    site = build(itil_site, KRING_TOPIC_ALIASES=ALIASES, DEFAULT_PAGINATION=3)
    first = [a.get_text() for a in site.soup("/experts/itil/").select(".card__title a")]
    second = [a.get_text() for a in site.soup("/experts/itil/page/2/").select(".card__title a")]
    assert first == ["Anna over itil", "Carla twee", "Carla een"] and second == ["Dirk in de groep"]
    assert len(site.soup("/experts/itil/page/2/").select(".kg-ranked li")) == 4  # every page names the experts
