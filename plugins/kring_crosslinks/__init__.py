"""Cross-links: related articles, @mentions, backlinks, member networks, link checking.

Everything is computed on ``all_generators_finalized`` (every article, member,
group and issue is known, nothing is written yet) and attached to the objects
the templates already get:

- ``article.related``, ``article.linked_from``
- ``member.mentioned_in``, ``group.mentioned_in``, ``member.network``

After the site is written (``finalized``) every internal link and image is
checked; a broken one stops the build (see ``kring.linkcheck``).
"""

from __future__ import annotations

import logging

from pelican import signals

from kring_core import defaults
from pelican.generators import ArticlesGenerator

from kring_core.pelican_compat import ARTICLE_LISTS, forget_memoized_bodies

from .settings import DEFAULTS as SETTING_DEFAULTS
from . import backlinks, mentions, network, related
from . import settings as plugin_settings
from .linkcheck_step import check_written_site

logger = logging.getLogger(__name__)

# ARTICLE_LISTS: Pelican's article lists; drafts get mentions linked but are never related.


def _memo_folder(settings):
    """The run's cache folder (named after the settings and plugin sources); none: compute everything."""
    return settings.get("KRING_RUN_CACHE")


def cross_link(generators) -> None:
    articles_generator = next((g for g in generators if isinstance(g, ArticlesGenerator)), None)
    if articles_generator is None:
        return
    conf = plugin_settings.read(articles_generator.settings)
    published = list(articles_generator.articles)
    everything = list({id(a): a for name in ARTICLE_LISTS for a in getattr(articles_generator, name, [])}.values())
    directory = articles_generator.context.get("directory")
    if directory is not None:
        mentions.apply(everything, {id(a) for a in published}, directory, articles_generator.context,
                       articles_generator.path, memo_folder=_memo_folder(articles_generator.settings))
        network.attach_network(directory, conf["KRING_NETWORK_MAX"])
        forget_memoized_bodies(everything)  # it may predate the mention links
    published_ids = {id(a) for a in published}
    related.attach_related(published, [a for a in everything if id(a) not in published_ids], conf)
    for article in everything:
        article.linked_from = []
    backlinks.attach_linked_from(published, articles_generator.settings.get("SITEURL", ""), articles_generator.path)


def register():
    defaults.declare(__name__, SETTING_DEFAULTS)
    signals.all_generators_finalized.connect(cross_link)
    signals.finalized.connect(check_written_site)
