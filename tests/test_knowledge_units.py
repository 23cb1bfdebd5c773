"""Evidence from community posts, and layouts that do not depend on input order.

Members and groups are the real directory dataclasses; posts have the shape
the community plugin gives them (title, link, published, summary_html,
categories, member, group).
"""

from __future__ import annotations

import random
import re
from datetime import datetime, timezone
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from kring_directory.model import Directory, Group, Member
from kring_knowledge import activity, evidence, graph
from kring_knowledge.topics import Topics, read_aliases

AMS = ZoneInfo("Europe/Amsterdam")


def directory() -> Directory:
    d = Directory()
    page = SimpleNamespace(metadata={})
    for slug, name in [("risico", "Risicomanagement (M_o_R)"), ("proces", "Procesmanagement"), ("kcc", "Klantcontact")]:
        d.groups[slug] = Group(slug, name, f"{slug}.md", page)
    for slug, name, expertise, groups in [
        ("hanneke", "Hanneke Bos", ["M_o_R"], ["risico"]),
        ("sanne", "Sanne Bakker", [], ["risico", "kcc"]),
        ("joost", "Joost van Dijk", ["Lean"], ["proces", "kcc"]),
        ("eva", "Eva Smit", [], ["proces", "risico"]),
    ]:
        m = Member(slug, name, f"{slug}.md", page, expertise=expertise)
        for g in groups:
            m.groups.append(d.groups[g])
            d.groups[g].members.append(m)
        d.members[slug] = m
    return d


def post(member, published, categories=(), group=None):
    return SimpleNamespace(title="t", link="https://blog.example/x", published=published, summary_html="",
                           categories=list(categories), member=member, group=group)


def test_posts_add_evidence_by_category_and_by_group_but_never_make_topics():
    d = directory()
    hanneke, sanne = d.members["hanneke"], d.members["sanne"]
    when = datetime(2026, 5, 1, tzinfo=timezone.utc)
    hanneke.posts = [post(hanneke, when, ["m_o_r"])]
    # Two posts filed in the group about M_o_R, one in a category no one declared.
    sanne.posts = [post(sanne, when, group=d.groups["risico"]) for _ in range(2)] + [post(sanne, when, ["Uncategorized"])]
    topics = Topics(read_aliases({}), "experts/{slug}/", "experts/{slug}/index.html")
    by_member = evidence.collect(d, topics, {"declared": 3, "article": 2, "post": 1})
    mor = topics.by_slug["m-o-r"]
    assert [(ev.member.slug, ev.declared, ev.posts, ev.score) for ev in mor.experts] == [
        ("hanneke", True, 1, 4), ("sanne", False, 2, 2)]
    assert "uncategorized" not in topics.by_slug
    assert [ev.topic.slug for ev in by_member["sanne"]] == ["m-o-r"]


def test_activity_counts_posts_in_the_sites_time_zone():
    d = directory()
    sanne, risico = d.members["sanne"], d.groups["risico"]
    # 23:30 UTC on 31 March is already April in Amsterdam.
    sanne.posts = [post(sanne, datetime(2026, 3, 31, 23, 30, tzinfo=timezone.utc), group=risico),
                   post(sanne, datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc), group=risico)]
    chart = activity.count([], sanne.posts, (2026, 4), 12, AMS)
    assert [(m.month, m.posts) for m in chart.months[-2:]] == [(3, 1), (4, 1)]
    assert activity.end_month(None, [p.published for p in sanne.posts], AMS) == (2026, 4)


@settings(max_examples=25, deadline=None)
@given(st.randoms(use_true_random=False))
def test_layouts_do_not_depend_on_the_order_things_were_read(rnd: random.Random):
    d = directory()
    groups = list(d.groups.values())
    members = list(d.members.values())
    expected = graph.group_map(sorted(groups, key=lambda g: g.slug), members).svg
    rnd.shuffle(groups)
    rnd.shuffle(members)
    for g in groups:
        rnd.shuffle(g.members)
    assert graph.group_map(groups, members).svg == expected
    eva = graph.member_graph(d.members["eva"], graph.Neighbours(members), 12)
    assert eva.nodes[0].slug == "eva" and sorted(n.slug for n in eva.nodes[1:]) == ["hanneke", "joost", "sanne"]
    assert eva.svg == graph.member_graph(d.members["eva"], graph.Neighbours(sorted(members, key=lambda m: m.slug)), 12).svg


def test_long_names_are_wrapped_in_full_in_the_group_map():
    d = directory()
    d.groups["kcc"].name = "Klantcontact en het klantcontactcentrum van de toekomst"
    drawn = graph.group_map(list(d.groups.values()), list(d.members.values())).svg
    assert "<title>Klantcontact en het klantcontactcentrum van de toekomst</title>" in drawn
    lines = re.findall(r'class="kg-label">([^<]*)</text>', drawn)
    assert " ".join(lines).count("Klantcontact en het klantcontactcentrum van de toekomst") == 1
    assert all(len(line) <= graph.LABEL_CHARS for line in lines) and "…" not in drawn
