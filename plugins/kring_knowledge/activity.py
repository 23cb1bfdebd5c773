"""A group's activity: articles, community posts, events and presentations per month, as a small SVG bar chart.

"The last 12 months" end with KRING_ACTIVITY_END ("YYYY-MM") or, by default,
with the month of the newest published article or post of the whole site, not
with today: the same content always gives the same chart.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from kring_core import ContentError, report

from . import svg


@dataclass
class Month:
    year: int
    month: int
    articles: int = 0
    posts: int = 0
    meetings: int = 0  # events and presentations
    label: str = ""  # 'november 2026', for the text equivalent

    @property
    def total(self) -> int:
        return self.articles + self.posts + self.meetings


@dataclass
class Activity:
    months: list[Month]
    svg: str = ""

    @property
    def articles(self) -> int:
        return sum(m.articles for m in self.months)

    @property
    def posts(self) -> int:
        return sum(m.posts for m in self.months)

    @property
    def meetings(self) -> int:
        return sum(m.meetings for m in self.months)


def local(moment: datetime, zone: ZoneInfo) -> datetime:
    return moment.astimezone(zone) if moment.tzinfo else moment


def end_month(setting, moments, zone: ZoneInfo) -> tuple[int, int] | None:
    """(year, month) the charts end with; None when there is nothing to chart."""
    if setting:
        try:
            when = datetime.strptime(str(setting).strip(), "%Y-%m")
            return when.year, when.month
        except ValueError:
            report(ContentError("", "KRING_ACTIVITY_END", f"'{setting}' is not a month.",
                                "Write it as YYYY-MM, e.g. 2026-11, or leave it out."))
            return None
    newest = max((local(m, zone) for m in moments), default=None)
    return (newest.year, newest.month) if newest else None


def month_range(end: tuple[int, int], count: int) -> list[Month]:
    index = end[0] * 12 + end[1] - 1
    return [Month(i // 12, i % 12 + 1) for i in range(index - count + 1, index + 1)]


def count(articles, posts, end: tuple[int, int], months: int, zone: ZoneInfo, meetings=()) -> Activity:
    """``meetings``: anything else dated (``.date``) the group did, e.g. events and presentations."""
    chart = month_range(end, months)
    slot = {(m.year, m.month): m for m in chart}
    for article in articles:
        when = local(article.date, zone)
        if (when.year, when.month) in slot:
            slot[when.year, when.month].articles += 1
    for post in posts:
        when = local(post.published, zone)
        if (when.year, when.month) in slot:
            slot[when.year, when.month].posts += 1
    for item in meetings:
        when = local(item.date, zone)
        if (when.year, when.month) in slot:
            slot[when.year, when.month].meetings += 1
    return Activity(chart)


def draw(activity: Activity, month_names: list[str]) -> str:
    """Stacked bars, articles below posts, one per month, with a month initial under each."""
    bar, gap, top, bottom, height = 22, 8, 18, 20, 90
    width = len(activity.months) * (bar + gap) + gap
    root = svg.canvas(width, top + height + bottom, "kg-chart", "group-activity")
    peak = max((m.total for m in activity.months), default=0) or 1
    svg.sub(root, "text", str(peak), x=2.0, y=12.0, cls="kg-chart__peak")
    svg.sub(root, "line", x1=0.0, y1=float(top + height), x2=float(width), y2=float(top + height), cls="kg-chart__axis")
    for i, month in enumerate(activity.months):
        x = float(gap + i * (bar + gap))
        base = float(top + height)
        for amount, kind in ((month.articles, "articles"), (month.posts, "posts"), (month.meetings, "meetings")):
            if amount:
                h = height * amount / peak
                base -= h
                svg.sub(root, "rect", x=x, y=base, width=float(bar), height=h, cls=f"kg-chart__{kind}")
        svg.sub(root, "text", month_names[month.month - 1][:1].upper(), x=x + bar / 2,
                y=float(top + height + 14), text_anchor="middle", cls="kg-chart__month")
    return svg.serialise(root)
