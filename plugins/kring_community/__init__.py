"""The community stream: aggregated member and group feeds in the site.

Reads the feed archive (written by `make fetch`, see kring/feeds/) and writes
/community/ (paginated), its Atom feed, an OPML list of the sources and a
status page for maintainers. Attaches ``member.posts`` and ``group.posts`` and
puts the whole stream in ``context["community_posts"]``.
"""

from __future__ import annotations

import dataclasses
import logging
from datetime import datetime, timezone

from pelican import signals
from pelican.generators import Generator

# The fetch pipeline lives in the project's kring/ package; pelicanconf.py puts it on sys.path.
from kring.feeds import bounds
from kring.feeds import settings as feed_settings
from kring.feeds.sources import is_url, sources_from_directory
from kring.feeds.store import Archive, ArchiveError, read_archive
from kring.feeds.update import read_report
from kring_core import defaults, report
from kring_directory import get_directory

from . import moderation
from .local import check_feed_fields, refresh_local_feeds  # noqa: E402
from .posts import Post, attach, build_posts  # noqa: E402

__all__ = ["Post", "register"]
logger = logging.getLogger(__name__)


def _archive_key(archive: Archive, feeds_value: str) -> str:
    return archive.key_of(feeds_value) if is_url(feeds_value) else feeds_value


class CommunityGenerator(Generator):
    def generate_context(self):
        conf = self.conf = feed_settings.read(self.settings)
        directory = get_directory(self.context)
        archive = conf["KRING_FEED_ARCHIVE"]
        self.posts, self.archive, self.moderation, self.suspended = [], Archive(), [], set()
        rules_conf = moderation.settings(self.settings)
        try:
            if check_feed_fields(directory, self.settings) and conf["KRING_FEED_LOCAL_AT_BUILD"]:
                suspended = moderation.suspended_feeds(self.path, self.settings)
                refresh_local_feeds(directory, self.path, conf, skip=suspended)
            self.archive = read_archive(archive)
            rules = moderation.read_rules(self.path, rules_conf, self._known_feeds(directory, self.archive))
            self.suspended = set(rules.suspend)
            stored, self.moderation = moderation.moderate(
                self.archive.posts, rules, rules_conf["KRING_FEED_FIRST_POSTS"]
            )
            shown = dataclasses.replace(self.archive, posts=stored)
            posts = build_posts(shown, directory, self.path, self.settings["TIMEZONE"])
            self.posts, duplicates = moderation.merge_duplicates(posts)
            self.moderation.append(duplicates)
        except ArchiveError as exc:
            report(f"{archive}: {exc}")
        attach(self.posts, directory)
        self.sources = self._sources(directory)
        self.context["community_posts"] = self.posts
        self.context["community_home_posts"] = self.posts[: conf["KRING_COMMUNITY_HOME_POSTS"]]
        self.context["COMMUNITY_URL"] = conf["COMMUNITY_URL"]
        self.context["COMMUNITY_FEED_ATOM"] = conf["COMMUNITY_FEED_ATOM"]
        self.context["COMMUNITY_OPML"] = conf["COMMUNITY_OPML"]
        self.context["KRING_COMMUNITY_PROFILE_POSTS"] = conf["KRING_COMMUNITY_PROFILE_POSTS"]

    @staticmethod
    def _known_feeds(directory, archive: Archive) -> dict[str, str]:
        """Every Feeds value of any member or group, as written -> the archive key its posts are stored under.

        A feed that moved keeps its first key (store.archive_key), so a rule naming the new address
        still finds the old posts; local files are keyed as written.
        """
        owners = list(directory.members.values()) + list(directory.groups.values())
        return {value: _archive_key(archive, value) for owner in owners for value in owner.feeds}

    def _sources(self, directory) -> list[dict]:
        """Every public source for the OPML file, with what the archive knows of it."""
        rows = []
        for source in sources_from_directory(directory, self.path):
            if _archive_key(self.archive, source.key) in self.suspended:
                continue  # a suspended feed (an expired domain full of spam) is not recommended to subscribers
            stored = self.archive.feed(source.key)
            owner = (directory.members if source.owner_kind == "member" else directory.groups)[source.owner_slug]
            xml_url = (stored.url if stored else "") if not source.is_local else (stored.self_url if stored else "")
            xml_url = xml_url or (bounds.url(source.key) if not source.is_local else "")
            if not xml_url:
                continue  # a local file that does not say where it is published
            rows.append({
                "title": (stored.title if stored and stored.title else owner.name),
                "xml_url": xml_url,
                "html_url": stored.site_url if stored else "",
                "owner": owner,
            })  # fmt: skip
        return rows

    def pages(self) -> list[tuple[int, str, str]]:
        """(number, url, save_as) of every page of the stream."""
        per_page = max(1, int(self.conf["KRING_COMMUNITY_PER_PAGE"]))
        count = max(1, -(-len(self.posts) // per_page))
        base = self.conf["COMMUNITY_URL"]
        first = (1, base, self.conf["COMMUNITY_SAVE_AS"])
        return [first] + [(n, f"{base}page/{n}/", f"{base}page/{n}/index.html") for n in range(2, count + 1)]

    def planned_outputs(self):
        for _n, _url, save_as in self.pages():
            yield save_as, "the community stream"
        for key in ("COMMUNITY_FEED_ATOM", "COMMUNITY_OPML", "COMMUNITY_STATUS_SAVE_AS"):
            if self.conf[key]:
                yield self.conf[key], "the community stream"

    def generate_output(self, writer):
        per_page = max(1, int(self.conf["KRING_COMMUNITY_PER_PAGE"]))
        pages = self.pages()
        relative = self.settings["RELATIVE_URLS"]
        template = self.get_template("community")
        for i, (number, url, save_as) in enumerate(pages):
            writer.write_file(
                save_as, template, self.context, relative_urls=relative, url=url,
                posts=self.posts[(number - 1) * per_page : number * per_page],
                page_number=number, page_count=len(pages),
                previous_url=pages[i - 1][1] if i > 0 else None,
                next_url=pages[i + 1][1] if i + 1 < len(pages) else None,
            )  # fmt: skip
        site = (self.settings.get("SITEURL") or self.settings.get("FEED_DOMAIN") or "").rstrip("/")
        absolute = dict(relative_urls=False, site_url=site)
        if self.conf["COMMUNITY_FEED_ATOM"]:
            items = self.posts[: self.conf["KRING_COMMUNITY_FEED_ITEMS"]]
            feed = self.conf["COMMUNITY_FEED_ATOM"]
            updated = items[0].published if items else datetime.now(timezone.utc)
            atom = self.env.get_template("community.atom.xml")
            writer.write_file(feed, atom, self.context, posts=items, feed_path=feed, updated=updated, **absolute)
        if self.conf["COMMUNITY_OPML"]:
            opml = self.env.get_template("community.opml")
            writer.write_file(self.conf["COMMUNITY_OPML"], opml, self.context, sources=self.sources, **absolute)
        if self.conf["COMMUNITY_STATUS_SAVE_AS"]:
            writer.write_file(
                self.conf["COMMUNITY_STATUS_SAVE_AS"], self.get_template("community_status"), self.context,
                relative_urls=relative, fetch_report=read_report(self.conf["KRING_FEED_REPORT"]),
                moderation=self.moderation,
                feeds=sorted(self.archive.feeds.values(), key=lambda f: (f.last_status == "fetched", f.key)),
            )  # fmt: skip


def get_generators(_pelican):
    return CommunityGenerator


def register():
    defaults.declare(__name__, feed_settings.DEFAULTS)
    signals.get_generators.connect(get_generators)
