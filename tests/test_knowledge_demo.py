"""The demo magazine shows the knowledge map on real pages."""

from __future__ import annotations

import re


def test_demo_experts_fold_the_itil_spellings_into_one_topic(demo_site):
    page = demo_site.soup("/experts/itil/")
    assert page.h1.get_text() == "ITIL"
    ranked = [li.a.get_text() for li in page.select(".kg-ranked li")]
    # Declared as "ITIL 4", "itil", "Itil" and "ITIL" in the member files.
    for member in ["Anna de Vries", "Eva Smit", "Daan Visser", "Priya Ramdin", "Ruud Verhoeven"]:
        assert member in ranked
    assert not demo_site.exists("/experts/itil-4/")
    topics = [a.get_text() for a in demo_site.soup("/experts/").select(".kg-topic h2 a")]
    assert "ITIL" in topics and "ITIL 4" not in topics and "itil" not in topics


def test_demo_pages_carry_the_graphs_charts_and_their_text(demo_site):
    groups = demo_site.text("/groups/")
    assert re.search(r'<svg\b[^>]*aria-labelledby="group-map"', groups)
    assert len(demo_site.soup("/groups/").select(".kg-links-list li a")) >= 2
    group = demo_site.soup("/groups/servicemanagement/")
    assert group.select("svg.kg-chart") and len(group.select("#group-activity ~ details tbody tr")) == 12
    assert group.select(".kg-facts li a")
    member = demo_site.soup("/members/anna-de-vries/")
    assert member.select("svg.kg-graph") and member.select(".kg-table tbody tr")
    assert member.select(".kg-facts li a[href*='experts/itil/']")
    nav = demo_site.soup("/").select("nav .nav a[href$='experts/']")
    assert len(nav) == 1
