"""Members and groups: the people side of the magazine."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(eq=False)
class Member:
    slug: str
    name: str
    source_path: str
    source: Any  # the Pelican content object: its .content is the bio as HTML
    role: str = ""
    avatar: str = ""  # path under the output folder, e.g. images/avatars/x.svg
    avatar_generated: bool = False  # True: an initials SVG is written for them
    expertise: list[str] = field(default_factory=list)
    group_slugs: list[str] = field(default_factory=list)
    feeds: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    public: bool = True
    url: str = ""
    save_as: str = ""
    feed_url: str = ""  # the Atom feed of their articles; "" when MEMBER_FEED_ATOM is empty
    # Filled in once all content is read:
    groups: list["Group"] = field(default_factory=list)
    articles: list[Any] = field(default_factory=list)
    coauthors: list[tuple["Member", int]] = field(default_factory=list)
    # Filled in by other plugins in every run (the plugin that sets each, in brackets):
    posts: list[Any] = field(default_factory=list)  # community posts, newest first (kring_community)
    events: list[Any] = field(default_factory=list)  # events they organise or speak at (kring_events)
    presentations: list[Any] = field(default_factory=list)  # talks they give, newest first (kring_events)
    calendar: str = ""  # their calendar file; "" when they have none (kring_events)
    responded_to: list[Any] = field(default_factory=list)  # articles they responded to, newest first (kring_responses)
    response_ties: list[tuple["Member", int]] = field(default_factory=list)  # members responding to the same articles (kring_responses)
    mentioned_in: list[Any] = field(default_factory=list)  # articles that @mention them, newest first (kring_crosslinks)
    network: list[Any] = field(default_factory=list)  # Ties to the public members they work with (kring_crosslinks)
    share_image: Any = None  # the profile's link-preview image; None: the site's card (kring_share)

    @property
    def bio(self) -> str:
        return self.source.content

    @property
    def initials(self) -> str:
        parts = [p for p in self.name.replace("-", " ").split() if p[:1].isupper()]
        if not parts:
            parts = self.name.split() or [self.slug]
        letters = parts[0][0] + (parts[-1][0] if len(parts) > 1 else "")
        return letters.upper()

    @property
    def public_groups(self) -> list["Group"]:
        return [g for g in self.groups if g.public]


@dataclass(eq=False)
class Group:
    slug: str
    name: str
    source_path: str
    source: Any
    summary: str = ""
    moderator_slugs: list[str] = field(default_factory=list)
    member_slugs: list[str] = field(default_factory=list)
    feeds: list[str] = field(default_factory=list)
    public: bool = True
    url: str = ""
    save_as: str = ""
    feed_url: str = ""  # the Atom feed of its articles; "" when GROUP_FEED_ATOM is empty
    # Filled in once all content is read:
    moderators: list[Member] = field(default_factory=list)
    members: list[Member] = field(default_factory=list)
    articles: list[Any] = field(default_factory=list)
    related: list[tuple["Group", int]] = field(default_factory=list)
    # Filled in by other plugins in every run (the plugin that sets each, in brackets):
    posts: list[Any] = field(default_factory=list)  # its feeds' and its public members' posts, newest first (kring_community)
    events: list[Any] = field(default_factory=list)  # its events (kring_events)
    presentations: list[Any] = field(default_factory=list)  # its talks, newest first (kring_events)
    calendar: str = ""  # its calendar file; "" when it has none (kring_events)
    mentioned_in: list[Any] = field(default_factory=list)  # articles that @mention it, newest first (kring_crosslinks)
    share_image: Any = None  # the page's link-preview image; None: the site's card (kring_share)

    @property
    def description(self) -> str:
        return self.source.content

    @property
    def title(self) -> str:
        return self.name

    @property
    def public_members(self) -> list[Member]:
        return [m for m in self.members if m.public]

    @property
    def public_moderators(self) -> list[Member]:
        return [m for m in self.moderators if m.public]


@dataclass
class Directory:
    members: dict[str, Member] = field(default_factory=dict)
    groups: dict[str, Group] = field(default_factory=dict)

    @property
    def public_members(self) -> list[Member]:
        return sorted((m for m in self.members.values() if m.public), key=lambda m: m.name.lower())

    @property
    def public_groups(self) -> list[Group]:
        return sorted((g for g in self.groups.values() if g.public), key=lambda g: g.name.lower())
