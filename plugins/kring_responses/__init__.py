"""Responses under articles: community posts that link to them and readers' e-mails kept as files.

Runs after kring_community (it reads the moderated stream) and before
kring_knowledge (responses count as ties in "works with"). Attaches to every
published article ``community_responses`` (CommunityResponse, newest first),
``responses`` (the readers' thread, oldest first, replies nested),
``respond_url`` (the "Respond" mailto: link) and ``responses_feed``; to every
member ``responded_to`` (articles, newest first) and ``response_ties``
((member, count), strongest first). Writes each commented article's
``responses.atom.xml``.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any
from urllib.parse import quote

from markupsafe import Markup
from pelican import signals

from kring_core import defaults
from pelican.generators import Generator

from kring.feeds.sanitize import cut
from kring_core import ContentError, did_you_mean, report
from kring_directory import get_directory
from kring_directory.resolve import _key as name_key
from kring_search.settings import public_url

from .settings import DEFAULTS as SETTING_DEFAULTS
from . import files
from . import settings as plugin_settings
from .links import ArticleIndex, site_bases

__all__ = ["CommunityResponse", "register"]
logger = logging.getLogger(__name__)
ARTICLE_LISTS = ("articles", "translations", "drafts", "drafts_translations", "hidden_articles", "hidden_translations")


@dataclass(eq=False)
class CommunityResponse:
    """A community post that links to an article, with a short excerpt for under the article."""

    post: Any  # kring_community Post
    excerpt_html: str  # sanitised when fetched, cut here


def _every_article(context) -> list:
    return [a for key in ARTICLE_LISTS for a in context.get(key) or []]


def _published(context) -> list:
    return [a for key in ("articles", "translations") for a in context.get(key) or [] if a.status == "published"]


def _member_finder(directory):
    by_key: dict[str, list] = {}
    for member in directory.members.values():
        for key in {name_key(member.slug), name_key(member.name)}:
            by_key.setdefault(key, []).append(member)

    def find(name: str):
        found = by_key.get(name_key(name), [])
        return found[0] if len(found) == 1 else None  # any other name is a reader, shown as written

    return find


class ResponsesGenerator(Generator):
    def generate_context(self):
        conf = self.conf = plugin_settings.read(self.settings)
        directory = get_directory(self.context)
        for article in _every_article(self.context):
            article.community_responses, article.responses, article.responses_feed = [], [], ""
            article.respond_url = ""
        for member in directory.members.values():
            member.responded_to, member.response_ties = [], []
        articles = _published(self.context)
        self.commented = []
        self._attach_community(articles, conf)
        self._attach_files(articles, directory, conf)
        for article in articles:
            article.respond_url = self._respond_url(article)
            if (article.community_responses or article.responses) and conf["RESPONSES_FEED_ATOM"]:
                article.responses_feed = conf["RESPONSES_FEED_ATOM"].format(slug=article.slug, lang=article.lang)
                self.commented.append(article)
        _member_links(articles, directory)
        self.context["KRING_RESPONSE_EMAIL"] = conf["KRING_RESPONSE_EMAIL"]

    def _attach_community(self, articles, conf) -> None:
        index = ArticleIndex(articles, site_bases(self.settings, public_url(self.settings), conf["KRING_SITE_ADDRESSES"]))
        for post in self.context.get("community_posts") or []:  # moderated, newest first
            found = []
            for link in [post.link, *post.links]:
                article = index.find(link)
                if article is not None and article not in found:
                    found.append(article)
            for article in found:
                excerpt = cut(post.summary_html, int(conf["KRING_RESPONSE_EXCERPT_LENGTH"]))
                article.community_responses.append(CommunityResponse(post, excerpt))

    def _attach_files(self, articles, directory, conf) -> None:
        folders = files.read_folder(self.path, conf["KRING_RESPONSES_PATH"], self.settings["TIMEZONE"],
                                    _member_finder(directory))
        published = {}
        for article in articles:
            published.setdefault(article.slug, article)  # the default language's, listed first
        drafts = {a.slug for a in _every_article(self.context)} - set(published)
        for slug, (path, responses) in folders.items():
            top = files.thread(responses, path)
            if slug in published:
                published[slug].responses = top
            elif slug not in drafts:  # a draft's responses wait, unseen, until it is published
                hint = did_you_mean(slug, list(published) + list(drafts))
                report(ContentError(path, "", f"'{slug}' is not the slug of an article.",
                                    hint or "Name the folder after the article's slug (the last part of its URL)."))

    def _respond_url(self, article) -> str:
        address = self.conf["KRING_RESPONSE_EMAIL"]
        if not address:
            return ""
        base = public_url(self.settings)
        title = Markup(article.title).striptags()
        subject = f"{title} — {base}/{article.url}" if base else title
        return f"mailto:{quote(address, safe='@')}?subject={quote(subject, safe='')}"

    def planned_outputs(self):
        for article in self.commented:
            yield article.responses_feed, f"the responses to {article.source_path}"

    def generate_output(self, writer):
        site = public_url(self.settings)
        template = self.env.get_template("responses.atom.xml")
        for article in self.commented:
            entries = _feed_entries(article)
            updated = max((e[0] for e in entries), default=datetime.now(timezone.utc))
            writer.write_file(article.responses_feed, template, self.context, relative_urls=False, site_url=site,
                              article=article, entries=entries, updated=updated, feed_path=article.responses_feed)


def _feed_entries(article) -> list[tuple]:
    """(date, kind, item) of every response, newest first."""
    entries = [(r.post.published, "community", r) for r in article.community_responses]
    entries += [(r.date, "mail", r) for r in files.flatten(article.responses)]
    return sorted(entries, key=lambda e: e[0], reverse=True)


def _member_links(articles, directory) -> None:
    """Who responded to which article, and the ties between responders and authors."""
    ties: dict[str, Counter] = {}
    for article in sorted(articles, key=lambda a: a.date, reverse=True):
        responders = [r.post.member for r in article.community_responses if r.post.member is not None]
        responders += [r.member for r in files.flatten(article.responses) if r.member is not None]
        authors = [a.member for a in getattr(article, "authors", []) if getattr(a, "member", None) is not None]
        for member in responders:
            if article not in member.responded_to:
                member.responded_to.append(article)
            for author in authors:
                if author is not member and author.public and member.public:
                    ties.setdefault(member.slug, Counter())[author.slug] += 1
                    ties.setdefault(author.slug, Counter())[member.slug] += 1
    for slug, counter in ties.items():
        others = sorted(counter.items(), key=lambda kv: (-kv[1], directory.members[kv[0]].name.casefold()))
        directory.members[slug].response_ties = [(directory.members[other], n) for other, n in others]


def exclude_responses_folder(pelican) -> None:
    """``initialized``: content/responses/ is never read as articles or pages, whatever ARTICLE_PATHS says."""
    folder = plugin_settings.read(pelican.settings)["KRING_RESPONSES_PATH"]
    for key in ("ARTICLE_EXCLUDES", "PAGE_EXCLUDES"):
        excludes = list(pelican.settings.get(key) or [])
        if folder not in excludes:
            pelican.settings[key] = excludes + [folder]


def get_generators(_pelican):
    return ResponsesGenerator


def register():
    defaults.declare(__name__, SETTING_DEFAULTS)
    signals.initialized.connect(exclude_responses_folder)
    signals.get_generators.connect(get_generators)
