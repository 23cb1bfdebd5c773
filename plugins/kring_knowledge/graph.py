"""Who works with whom, drawn as static SVG with a repeatable layout.

Two graphs: the group map (groups linked by shared public members) and a
member's neighbourhood (the member in the middle, linked to co-authors and to
members of the same groups; neighbours who wrote together are linked too).
Member graphs sit on a circle; the group map is an arc diagram — one group
per row with its full name beside it and arcs for shared members — so it
reads at its own size on a phone as on a desktop. Nodes are ordered greedily
so that strong ties sit side by side; every choice breaks ties by name, so the same content always
gives the same bytes. Each graph carries its links as data for the text
equivalent under the drawing.
"""

from __future__ import annotations

import heapq
import math
import textwrap
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from . import svg


@dataclass
class Link:
    a: Any
    b: Any
    weight: int
    coauthored: int = 0  # articles written together (members)
    groups: list[Any] = field(default_factory=list)  # shared groups (members)
    responses: int = 0  # responses of one to the other's articles (members)


@dataclass
class Graph:
    centre: Any
    nodes: list[Any]
    links: list[Link]
    svg: str = ""
    svg_narrow: str = ""  # the same graph drawn for a phone, where ``svg`` would be scaled down too far


def _name(obj) -> str:
    return obj.name.casefold()


def _circle_order(nodes: list, ties: dict) -> list:
    """Start at the best-connected node, then always take the strongest tie to the last one."""
    strength = Counter()
    for (a, b), w in ties.items():
        strength[a] += w
        strength[b] += w
    left = sorted(nodes, key=lambda n: (-strength[n.slug], _name(n)))
    order = [left.pop(0)] if left else []
    while left:
        last = order[-1].slug
        best = min(left, key=lambda n: (-ties.get(tuple(sorted((last, n.slug))), 0), -strength[n.slug], _name(n)))
        left.remove(best)
        order.append(best)
    return order


def _link_class(link: Link) -> str:
    return "kg-link kg-link--coauthors" if link.coauthored else "kg-link"


def _node_class(graph: Graph, node) -> str:
    return "kg-node-self" if node is graph.centre else "kg-node"


def _draw(graph: Graph, labelledby: str, width: int, height: int, radius: float, size) -> str:
    root = svg.canvas(width, height, "kg-graph", labelledby)
    cx, cy = width / 2, height / 2
    ring = [n for n in graph.nodes if n is not graph.centre]
    where = {}
    if graph.centre is not None:
        where[graph.centre.slug] = (cx, cy, 0.0)
    for i, node in enumerate(ring):
        angle = -math.pi / 2 + 2 * math.pi * i / max(len(ring), 1)
        where[node.slug] = (cx + radius * math.cos(angle), cy + radius * math.sin(angle), angle)
    links = svg.sub(root, "g", cls="kg-links")
    for link in graph.links:
        (x1, y1, _), (x2, y2, _) = where[link.a.slug], where[link.b.slug]
        svg.sub(links, "line", x1=x1, y1=y1, x2=x2, y2=y2, cls=_link_class(link), stroke_width=1.0 + 1.5 * min(link.weight, 5))
    for node in graph.nodes:
        x, y, angle = where[node.slug]
        group = svg.sub(root, "g", cls=_node_class(graph, node))
        svg.sub(group, "title", node.name)
        r = size(node)
        svg.sub(group, "circle", cx=x, cy=y, r=float(r))
        if node is graph.centre:
            svg.sub(group, "text", svg.short(node.name), x=x, y=y + r + 16.0, text_anchor="middle")
            continue
        dx, dy = math.cos(angle), math.sin(angle)
        anchor = "start" if dx > 0.3 else "end" if dx < -0.3 else "middle"
        svg.sub(group, "text", svg.short(node.name, 28), x=x + dx * (r + 6), y=y + dy * (r + 6) + 4 + 8 * dy,
                text_anchor=anchor)
    return svg.serialise(root)


ROW = 56  # px between rows of the arc diagram: room for a two-line name
LABEL_CHARS = 22  # a line of a name at 14 px in the label column (about 190 px)


def _arc_width(rows_apart: int) -> float:
    return min(120.0, 10.0 + 17 * rows_apart)


def _arc_diagram(graph: Graph, labelledby: str, size) -> str:
    """Nodes down a column, each with its full (wrapped) name to its right; a link is an
    arc on the left, wider the further apart its ends are. Drawn at 1:1 on a phone."""
    row = {node.slug: i for i, node in enumerate(graph.nodes)}
    spans = [abs(row[link.a.slug] - row[link.b.slug]) for link in graph.links]
    x, top = 24.0 + max((_arc_width(d) for d in spans), default=0.0), 32.0
    width = int(x + 26 + 8 * LABEL_CHARS + 20)
    height = int(2 * top + ROW * max(len(graph.nodes) - 1, 0))
    root = svg.canvas(width, height, "kg-graph kg-graph--arcs", labelledby)
    links = svg.sub(root, "g", cls="kg-links")
    for link in graph.links:
        i, j = sorted((row[link.a.slug], row[link.b.slug]))
        y1, y2 = top + i * ROW, top + j * ROW
        rx, ry = _arc_width(j - i), (y2 - y1) / 2
        svg.sub(links, "path", d=f"M{svg.num(x)} {svg.num(y1)}A{svg.num(rx)} {svg.num(ry)} 0 0 0 {svg.num(x)} {svg.num(y2)}",
                cls=_link_class(link), fill="none", stroke_width=1.0 + 1.5 * min(link.weight, 5))
    for i, node in enumerate(graph.nodes):
        y = top + i * ROW
        group = svg.sub(root, "g", cls=_node_class(graph, node))
        svg.sub(group, "title", node.name)
        r = size(node)
        svg.sub(group, "circle", cx=x, cy=y, r=float(r))
        lines = textwrap.wrap(node.name, LABEL_CHARS) or [node.name]
        first = y + 5 - 8.5 * (len(lines) - 1)
        for k, line in enumerate(lines):
            svg.sub(group, "text", line, x=x + 26, y=first + 17.0 * k, cls="kg-label")
    return svg.serialise(root)


def group_map(groups: list, members: list) -> Graph:
    """Public groups, linked by how many public members they share."""
    slugs = {g.slug for g in groups}
    shared: Counter = Counter()
    for member in members:
        mine = sorted(g.slug for g in member.groups if g.slug in slugs)
        for i, a in enumerate(mine):
            for b in mine[i + 1:]:
                shared[(a, b)] += 1
    by_slug = {g.slug: g for g in groups}
    links = [Link(by_slug[a], by_slug[b], n) for (a, b), n in shared.items()]
    links.sort(key=lambda link: (-link.weight, _name(link.a), _name(link.b)))
    graph = Graph(None, _circle_order(groups, dict(shared)), links)
    size = lambda g: 6 + min(12, 2 * math.sqrt(len(g.public_members)))  # noqa: E731
    graph.svg = _arc_diagram(graph, "group-map", size)
    return graph


class Neighbours:
    """What every member's neighbourhood needs, computed once per build."""

    def __init__(self, members: list):
        self.members = {m.slug: m for m in members}
        # Position in name order: ties are broken by name without comparing strings.
        self.rank = {m.slug: i for i, m in enumerate(sorted(members, key=lambda m: (_name(m), m.slug)))}
        self.in_group: dict[str, set[str]] = {}
        for member in members:
            for group in member.public_groups:
                self.in_group.setdefault(group.slug, set()).add(member.slug)
        self.group_slugs = {slug: sorted(found) for slug, found in self.in_group.items()}

    def ties(self, member, limit: int) -> list[Link]:
        """The ``limit`` strongest ties: an article together counts 2, each shared group and each response 1."""
        weight: Counter = Counter()
        for group in member.public_groups:
            weight.update(self.group_slugs[group.slug])
        for other, n in member.coauthors:  # already public only, from kring_directory
            weight[other.slug] += 2 * n
        responses = {other.slug: n for other, n in getattr(member, "response_ties", None) or []}  # kring_responses
        for slug, n in responses.items():
            if slug in self.members:
                weight[slug] += n
        weight.pop(member.slug, None)
        rank, size = self.rank, len(self.rank)
        best = heapq.nsmallest(limit, weight, key=lambda slug: rank[slug] - weight[slug] * size)
        coauthored = {other.slug: n for other, n in member.coauthors}
        links = []
        for slug in best:
            shared = [g for g in member.public_groups if slug in self.in_group[g.slug]]
            links.append(Link(member, self.members[slug], weight[slug], coauthored.get(slug, 0), shared,
                              responses.get(slug, 0)))
        return links


def member_graph(member, neighbours: Neighbours, limit: int) -> Graph:
    """The member, their ``limit`` strongest ties, and co-authorship among those."""
    ties = neighbours.ties(member, limit)
    shown = {link.b.slug for link in ties}
    among = []
    for link in ties:
        for other, n in link.b.coauthors:
            if other.slug in shown and _name(link.b) < _name(other):
                among.append(Link(link.b, other, 2 * n, coauthored=n))
    among.sort(key=lambda link: (_name(link.a), _name(link.b)))
    pairs = {tuple(sorted((link.a.slug, link.b.slug))): link.weight for link in among}
    ring = _circle_order([link.b for link in ties], pairs)
    graph = Graph(member, [member, *ring], ties + among)
    def size(node) -> int:
        return 16 if node is member else 10

    graph.svg = _draw(graph, "member-network", 640, 400, 130, size)
    # 640 px scaled to a 390 px phone makes its 12 px names 7 px: there, a column of full names.
    graph.svg_narrow = _arc_diagram(graph, "member-network", size)
    return graph
