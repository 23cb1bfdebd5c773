"""Reads content/issues/<number>.md and links every article to its issue.

Three moments of Pelican's article reading:
- ``article_generator_init``: read and check the issue files;
- ``article_generator_context`` (per article, before the Article exists): an
  article of a draft or future issue gets ``status: draft``, so Pelican itself
  keeps it out of lists, feeds and (with an empty DRAFT_SAVE_AS) the output;
- ``article_generator_pretaxonomy``: check the links both ways and build each
  issue's table of contents.
"""

from __future__ import annotations

import datetime
import logging
import os

from pelican.utils import slugify

from kring_core import ContentError, did_you_mean, report, split_list
from kring_core import run
from kring_core.pelican_compat import ARTICLE_ORIGINALS, ARTICLE_TRANSLATIONS
from kring_core.numbers import parse_number
from kring_core.paths import reported_outside
from kring_directory.loader import _read_all as read_sources  # same checked reading as members

from . import settings as plugin_settings
from .model import Issue

logger = logging.getLogger(__name__)

KEY = "kring_issues"  # the run's IssueIndex in the shared context
STATUSES = ("published", "draft")
ARTICLE_LISTS, TRANSLATION_LISTS = ARTICLE_ORIGINALS, ARTICLE_TRANSLATIONS

class IssueIndex:
    """Every issue of one run, and which issue file claims which article slug."""

    def __init__(self, settings):
        self.conf = plugin_settings.read(settings)
        self.settings = settings
        self.issues: dict[int, Issue] = {}
        self.claims: dict[str, int] = {}  # article slug -> issue number (from Articles)
        self.field = self.conf["KRING_ISSUE_METADATA"].lower()

    def new_issue(self, number, title, date, source_path, **fields) -> Issue:
        url = self.conf["ISSUE_URL"].format(number=number)
        save_as = self.conf["ISSUE_SAVE_AS"].format(number=number)
        files = {field: self.conf[key].format(number=number) if self.conf[key] else "" for field, key in (
            ("feed_url", "ISSUE_FEED_ATOM"), ("newsletter_url", "ISSUE_NEWSLETTER_SAVE_AS"),
            ("newsletter_text_url", "ISSUE_NEWSLETTER_TEXT_SAVE_AS"))}
        issue = Issue(number, title, date, source_path, url=url, save_as=save_as, **files, **fields)
        issue.live = issue.status == "published" and not is_future(date)
        return issue

    def slug_of(self, metadata) -> str:
        if metadata.get("slug"):
            return str(metadata["slug"])
        return slugify(
            str(metadata.get("title", "")),
            regex_subs=self.settings.get("SLUG_REGEX_SUBSTITUTIONS", []),
            preserve_case=self.settings.get("SLUGIFY_PRESERVE_CASE", False),
            use_unicode=self.settings.get("SLUGIFY_USE_UNICODE", False),
        )

    def named_number(self, metadata) -> int | None:
        """The issue number an article names itself, or None (bad values are checked later)."""
        return parse_number(metadata.get(self.field))


def is_future(date) -> bool:
    now = datetime.datetime.now(date.tzinfo) if date.tzinfo else datetime.datetime.now()
    return date > now


def load_issues(generator) -> None:
    """``article_generator_init``: read every issue file into a fresh index."""
    index = IssueIndex(generator.settings)
    generator.context[KEY] = index
    folder = index.conf["KRING_ISSUES_PATH"]
    for _path, source in read_sources(generator, folder):
        issue = _issue(index, source, generator)
        if issue is None:
            continue
        other = index.issues.get(issue.number)
        if other is not None:
            report(ContentError(issue.source_path, "Number", f"issue {issue.number} is also {_rel(other.source_path)}.",
                                "Give each issue its own number."))
            continue
        index.issues[issue.number] = issue
        for slug in issue.slugs:
            if slug in index.claims:
                report(ContentError(issue.source_path, "Articles", f"'{slug}' is already in issue {index.claims[slug]}.",
                                    "An article belongs to one issue: remove it from one of the two."))
                continue
            index.claims[slug] = issue.number


def _rel(path: str) -> str:
    return os.path.relpath(path)


def _issue(index: IssueIndex, source, generator) -> Issue | None:
    path, meta = source.source_path, source.metadata
    stem = os.path.splitext(os.path.basename(path))[0]
    raw = str(meta.get("number", "")).strip()
    number = parse_number(raw)
    if number is None:
        problem = "is missing." if not raw else f"'{raw}' is not a number (digits 0-9 only)."
        hint = f"Write 'Number: {stem}' (the file name is the issue number)." if parse_number(stem) is not None \
            else "Write the issue number in digits 0-9, and name the file after it, e.g. 'Number: 5' in issues/5.md."
        report(ContentError(path, "Number", problem, hint))
        return None
    if stem != raw:
        report(ContentError(path, "Number", f"'{raw}' does not match the file name '{os.path.basename(path)}'.",
                            f"Rename the file to {number}.md or write 'Number: {stem}'."))
        return None
    if "date" not in meta:
        report(ContentError(path, "Date", "is missing.", "Add a line 'Date: YYYY-MM-DD' (the issue's publication date)."))
        return None
    status = str(meta.get("status", "published")).strip().lower()
    if status not in STATUSES:
        report(ContentError(path, "Status", f"'{status}' is not an issue status.",
                            did_you_mean(status, STATUSES) or "Use 'published' or 'draft'."))
        return None
    return index.new_issue(number, str(meta["title"]).strip(), meta["date"], path, source=source,
                           cover=_cover(path, meta.get("cover"), generator), status=status,
                           slugs=split_list(meta.get("articles")))


def _cover(path, value, generator) -> str:
    if not value:
        return ""
    rel = str(value).strip().replace("{static}", "").lstrip("/")
    if reported_outside(rel, generator.settings, source=path, field="Cover"):
        return ""
    if not os.path.isfile(os.path.join(generator.path, rel)):
        report(ContentError(path, "Cover", f"'{value}' does not exist under {_rel(generator.path)}/.",
                            "Check the spelling, or remove the line."))
        return ""
    return rel


def mark_issue_drafts(generator, metadata) -> None:
    """``article_generator_context``: an article of an issue that is not live is a draft."""
    index = generator.context.get(KEY)
    if index is None:
        return
    number = index.named_number(metadata)
    if number is None:
        number = index.claims.get(index.slug_of(metadata))
    issue = index.issues.get(number) if number is not None else None
    if issue is None and number is not None and index.conf["KRING_ISSUE_IMPLICIT"] and "date" in metadata:
        # TWiR style: the article is the issue (its Number names it).
        issue = index.new_issue(number, str(metadata.get("title", number)), metadata["date"], "")
        index.issues[number] = issue
    if issue is not None and not issue.live and metadata.get("status", "published") == "published":
        metadata["status"] = "draft"


def link_articles(generator) -> None:
    """``article_generator_pretaxonomy``: article.issue, each issue's TOC, prev/next."""
    index = generator.context.get(KEY)
    if index is None:
        return
    named: dict[int, list] = {}
    slugs = {}
    for attr in ARTICLE_LISTS:
        for article in getattr(generator, attr, []):
            slugs[article.slug] = article
            article.issue = _issue_of(index, article, report_problems=True)
            if article.issue is not None:
                named.setdefault(article.issue.number, []).append(article)
    tid = generator.settings.get("ARTICLE_TRANSLATION_ID") or "slug"
    tid = (tid,) if isinstance(tid, str) else tuple(tid)
    issue_of_original = {tuple(getattr(a, k, None) for k in tid): a.issue for a in slugs.values()}
    for attr in TRANSLATION_LISTS:
        for article in getattr(generator, attr, []):
            # A translation is in its original's issue unless it names one itself.
            article.issue = (_issue_of(index, article, report_problems=False)
                             or issue_of_original.get(tuple(getattr(article, k, None) for k in tid)))
    for slug, number in index.claims.items():
        if slug not in slugs:
            report(ContentError(index.issues[number].source_path, "Articles", f"'{slug}' is not an article.",
                                did_you_mean(slug, slugs)))
    preview = index.conf["KRING_PREVIEW"]
    for issue in index.issues.values():
        _build_toc(issue, named.get(issue.number, []), slugs, preview)
    visible = sorted((i for i in index.issues.values() if preview or i.live), key=lambda i: i.number)
    for before, after in zip(visible, visible[1:]):
        before.next, after.previous = after, before
    live = [i for i in visible if i.live]
    _remember_drafts(generator, index)
    generator.context["issues"] = list(reversed(visible))
    generator.context["current_issue"] = live[-1] if live else None


def _issue_of(index: IssueIndex, article, report_problems: bool) -> Issue | None:
    path, label = article.source_path, index.field.capitalize()
    raw = article.metadata.get(index.field)
    claimed = index.claims.get(article.slug)
    if raw is None or str(raw).strip() == "":
        return index.issues.get(claimed) if claimed is not None else None
    number = index.named_number(article.metadata)
    problem = ""
    if number is None:
        problem, hint = f"'{raw}' is not an issue number.", f"Write a number, e.g. '{label}: 3'."
    elif number not in index.issues:
        known = ", ".join(str(n) for n in sorted(index.issues)) or "none yet"
        problem, hint = f"issue {number} does not exist.", f"Create it with 'invoke new-issue' (existing issues: {known})."
    elif claimed is not None and claimed != number:
        problem = f"says issue {number}, but {_rel(index.issues[claimed].source_path)} lists it in Articles."
        hint = "An article belongs to one issue: remove one of the two."
    if problem:
        if report_problems:
            report(ContentError(path, label, problem, hint))
        return None
    issue = index.issues[number]
    if not issue.source_path:
        issue.source_path = path  # an implicit issue comes from its first article
    return issue


def _build_toc(issue: Issue, named: list, slugs: dict, preview: bool) -> None:
    if issue.slugs:
        toc = [slugs[s] for s in issue.slugs if s in slugs]
        for article in named:
            if article not in toc:
                report(ContentError(article.source_path, "Issue",
                                    f"names issue {issue.number}, but {_rel(issue.source_path)} does not list it in Articles.",
                                    f"Add '{article.slug}' to Articles there, or remove the Issue line."))
    else:
        toc = sorted(named, key=lambda a: (a.date, a.title))
    issue.toc = [a for a in toc if preview or a.status == "published"]


def _remember_drafts(generator, index: IssueIndex) -> None:
    """Where drafts and issues that are not live would appear if they leaked (make publish checks)."""
    drafts = run.current().drafts
    pattern = generator.settings.get("ARTICLE_URL", "{slug}.html")
    for article in list(generator.drafts) + list(generator.drafts_translations):
        drafts.append(pattern.format(**article.url_format))
    drafts.extend(issue.url for issue in index.issues.values() if not issue.live)
