"""Reads content/members/*.md and content/groups/*.md into a Directory."""

from __future__ import annotations

import os
import re
from urllib.parse import urlsplit

from pelican.contents import Page
from pelican.settings import DEFAULT_CONFIG
from pelican.utils import slugify

from kring_core import ContentError, did_you_mean, report, split_list
from kring_core.paths import reported_outside

from . import settings as plugin_settings
from .model import Directory, Group, Member

VISIBILITIES = ("public", "hidden")
SLUG = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$")
LINK_SCHEMES = ("http", "https", "mailto")


def load_directory(generator) -> Directory:
    """Read every member and group file with Pelican's readers and check them."""
    conf = plugin_settings.read(generator.settings)
    directory = Directory()
    for path, source in _read_all(generator, conf["KRING_MEMBERS_PATH"]):
        member = _member(path, source, generator, conf)
        directory.members[member.slug] = member
    for path, source in _read_all(generator, conf["KRING_GROUPS_PATH"]):
        group = _group(path, source, conf)
        clash = directory.members.get(group.slug)
        if clash is not None:
            report(
                ContentError(
                    path,
                    "",
                    f"the slug '{group.slug}' is used by a group and by the member file {_rel(clash.source_path)}.",
                    "Slugs are shared by members and groups (for @mentions): rename one of the two files.",
                )
            )
            continue
        directory.groups[group.slug] = group
    _check_references(directory)
    return directory


def _read_all(generator, folder):
    for rel in sorted(generator.get_files([folder])):
        try:
            source = generator.readers.read_file(
                base_path=generator.path, path=rel, content_class=Page, context=generator.context
            )
        except ContentError as exc:
            report(exc)
            continue
        yield source.source_path, source


def _slug(path: str) -> str:
    """The file name is the slug; it must be usable in URLs and @mentions."""
    slug = os.path.splitext(os.path.basename(path))[0]
    if not SLUG.match(slug):
        report(
            ContentError(
                path, "", f"the file name '{slug}' is not a slug (lowercase letters, digits and hyphens).",
                f"Rename the file to '{slugify(slug, regex_subs=DEFAULT_CONFIG['SLUG_REGEX_SUBSTITUTIONS'])}.md'.",
            )
        )
    return slug


def _links(path, value) -> list[str]:
    """Profile links are shown as-is, so only web and mail addresses pass."""
    links = []
    for link in split_list(value):
        parts = urlsplit(link)
        if parts.scheme.lower() in LINK_SCHEMES and (parts.netloc or parts.scheme.lower() == "mailto"):
            links.append(link)
        else:
            report(ContentError(path, "Links", f"'{link}' is not a web address.", "Write a full address such as https://example.nl/."))
    return links


def _rel(path: str) -> str:
    return os.path.relpath(path)


def _visibility(path, meta) -> bool:
    value = str(meta.get("visibility", "public")).strip().lower()
    if value not in VISIBILITIES:
        report(ContentError(path, "Visibility", f"'{value}' is not a visibility.", "Use 'public' or 'hidden'."))
        return False  # hide what we cannot be sure may be shown
    return value == "public"


def _urls(kind, slug, conf):
    """The page's URL and file, and its feed's URL ("" when the feed setting is empty)."""
    feed = conf[f"{kind}_FEED_ATOM"]
    return conf[f"{kind}_URL"].format(slug=slug), conf[f"{kind}_SAVE_AS"].format(slug=slug), feed.format(slug=slug) if feed else ""


def _member(path, source, generator, conf) -> Member:
    meta = source.metadata
    slug = _slug(path)
    url, save_as, feed_url = _urls("MEMBER", slug, conf)
    return Member(
        slug=slug,
        name=str(meta["title"]).strip(),
        source_path=path,
        source=source,
        role=str(meta.get("role", "")).strip(),
        avatar=_avatar(path, meta.get("avatar"), generator),
        expertise=split_list(meta.get("expertise")),
        group_slugs=split_list(meta.get("groups")),
        feeds=split_list(meta.get("feeds")),
        links=_links(path, meta.get("links")),
        public=_visibility(path, meta),
        url=url,
        save_as=save_as,
        feed_url=feed_url,
    )


def _avatar(path, value, generator) -> str:
    """The avatar's path in the output, checked to exist and to be published."""
    if not value:
        return ""
    rel = str(value).strip().replace("{static}", "").lstrip("/")
    static_paths = generator.settings.get("STATIC_PATHS", [])
    if reported_outside(rel, generator.settings, source=path, field="Avatar"):
        return ""
    if not os.path.isfile(os.path.join(generator.path, rel)):
        report(
            ContentError(
                path,
                "Avatar",
                f"'{value}' does not exist under {_rel(generator.path)}/.",
                "Check the spelling, or remove the line to get a generated avatar with initials.",
            )
        )
        return ""
    if not any(rel == p or rel.startswith(p.rstrip("/") + "/") for p in static_paths):
        report(
            ContentError(
                path, "Avatar", f"'{value}' is not in a published folder.", f"Move it under one of {static_paths}."
            )
        )
        return ""
    return rel


def _group(path, source, conf) -> Group:
    meta = source.metadata
    slug = _slug(path)
    url, save_as, feed_url = _urls("GROUP", slug, conf)
    return Group(
        slug=slug,
        name=str(meta["title"]).strip(),
        source_path=path,
        source=source,
        summary=str(meta.get("summary", "")).strip(),
        moderator_slugs=split_list(meta.get("moderators")),
        member_slugs=split_list(meta.get("members")),
        feeds=split_list(meta.get("feeds")),
        public=_visibility(path, meta),
        url=url,
        save_as=save_as,
        feed_url=feed_url,
    )


def _check_references(directory: Directory) -> None:
    """Resolve group membership both ways; report every unknown slug."""
    members, groups = directory.members, directory.groups
    for member in members.values():
        for slug in member.group_slugs:
            group = groups.get(slug)
            if group is None:
                report(ContentError(member.source_path, "Groups", f"'{slug}' is not a group.", did_you_mean(slug, groups)))
            elif member not in group.members:
                member.groups.append(group)
                group.members.append(member)
    for group in groups.values():
        for field, slugs, target in (
            ("Moderators", group.moderator_slugs, group.moderators),
            ("Members", group.member_slugs, group.members),
        ):
            for slug in slugs:
                member = members.get(slug)
                if member is None:
                    report(
                        ContentError(group.source_path, field, f"'{slug}' is not a member.", did_you_mean(slug, members))
                    )
                    continue
                if member not in target:
                    target.append(member)
                if member not in group.members:
                    group.members.append(member)
                if group not in member.groups:
                    member.groups.append(group)
        group.members.sort(key=lambda m: (m not in group.moderators, m.name.lower()))
    for member in members.values():
        member.groups.sort(key=lambda g: g.name.lower())
