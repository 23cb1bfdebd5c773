"""Posts from the archive, tied to the members and groups whose feeds they came from."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from kring.feeds.sources import sources_from_directory
from kring.feeds.store import Archive


@dataclass(eq=False)
class Post:
    """One aggregated post. The knowledge map reads these exact fields."""

    title: str
    link: str
    published: datetime  # timezone-aware, in the site's TIMEZONE
    summary_html: str  # sanitised when fetched
    categories: list[str] = field(default_factory=list)
    member: Any = None  # kring_directory Member, or None
    group: Any = None  # kring_directory Group, or None (a group's own feed)
    source_title: str = ""
    source_url: str = ""
    author: str = ""
    feed_key: str = ""
    links: list[str] = field(default_factory=list)  # every web link of the post's whole content
    also: list[Any] = field(default_factory=list)  # owners of other feeds that carried the same post

    @property
    def owner(self):
        return self.member or self.group

    @property
    def owners(self) -> list:
        return [self.owner, *self.also]


def build_posts(archive: Archive, directory, content_path: str, timezone: str) -> list[Post]:
    """Posts of public members and groups only, newest first."""
    owners = {}
    for source in sources_from_directory(directory, content_path):
        book = directory.members if source.owner_kind == "member" else directory.groups
        # A feed that moved is found under its first Feeds value (see store.archive_key).
        key = source.key if source.is_local else archive.key_of(source.key)
        owners.setdefault(key, (source.owner_kind, book[source.owner_slug]))
    tz = ZoneInfo(timezone)
    posts = []
    for row in archive.posts:
        kind, owner = owners.get(row.feed_key, (None, None))
        if owner is None:
            continue  # a feed no public member or group lists any more
        posts.append(
            Post(
                title=row.title or row.link,
                link=row.link,
                published=row.published.astimezone(tz),
                summary_html=row.summary_html,
                categories=row.categories,
                member=owner if kind == "member" else None,
                group=owner if kind == "group" else None,
                source_title=row.feed_title or owner.name,
                source_url=row.site_url,
                author=row.author,
                feed_key=row.feed_key,
                links=row.links,
            )
        )
    posts.sort(key=lambda p: p.published, reverse=True)
    return posts


def attach(posts: list[Post], directory) -> None:
    """member.posts and group.posts (the group's feeds plus its public members'), newest first."""
    for member in directory.members.values():
        member.posts = []
    for group in directory.groups.values():
        group.posts = []
    for post in posts:  # already newest first
        for owner in post.owners:  # a post two feeds carried is credited to both owners
            owner.posts.append(post)
    for group in directory.groups.values():
        mine = {id(p) for p in group.posts}
        theirs = [p for m in group.public_members for p in m.posts if id(p) not in mine]
        group.posts = sorted(group.posts + theirs, key=lambda p: p.published, reverse=True)
