"""Magazine issues: /issues/<n>/ with cover, editorial and TOC, the archive,
per-issue feeds and newsletters, and draft/future issues kept off the live site.

Issues are read from content/issues/<number>.md; an article joins an issue by
being listed in its ``Articles`` or by its own ``Issue: <n>`` (both give the
same table of contents). Every article gets ``article.issue`` (or None).
"""

from pelican import signals

from kring_core import defaults

from .settings import DEFAULTS as SETTING_DEFAULTS
from .generator import IssuesGenerator
from .loader import link_articles, load_issues, mark_issue_drafts
from .model import Issue

__all__ = ["Issue", "IssuesGenerator", "register"]


def get_generators(_pelican):
    return IssuesGenerator


def register():
    defaults.declare(__name__, SETTING_DEFAULTS)
    signals.article_generator_init.connect(load_issues)
    signals.article_generator_context.connect(mark_issue_drafts)
    signals.article_generator_pretaxonomy.connect(link_articles)
    signals.get_generators.connect(get_generators)
