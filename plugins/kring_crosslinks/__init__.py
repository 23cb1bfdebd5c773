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
from pelican.generators import ArticlesGenerator

from . import backlinks, mentions, network, related
from . import settings as plugin_settings
from .linkcheck_step import check_written_site

logger = logging.getLogger(__name__)

# Pelican's article lists; drafts get mentions linked but are never related.
ARTICLE_LISTS = ("articles", "translations", "drafts", "drafts_translations", "hidden_articles", "hidden_translations")


def _forget_rendered(articles) -> None:
    """Drop Pelican's memoized HTML of these articles (it may predate the mention links)."""
    if not articles:
        return
    ids = {id(a) for a in articles}
    # One cache per method, shared by every article: walk it once.
    for cache in (articles[0].get_content.cache, articles[0].get_summary.cache):
        for key in [k for k in cache if k and id(k[0]) in ids]:
            del cache[key]


def _memo_folder(settings):
    """kring_speed's cache folder for this run; none without it (every run computes everything)."""
    if settings.get("KRING_SPEED", True) is False:
        return None
    return settings.get("CACHE_PATH")


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
        _forget_rendered(everything)
    published_ids = {id(a) for a in published}
    related.attach_related(published, [a for a in everything if id(a) not in published_ids], conf)
    for article in everything:
        article.linked_from = []
    backlinks.attach_linked_from(published, articles_generator.settings.get("SITEURL", ""), articles_generator.path)


def register():
    signals.all_generators_finalized.connect(cross_link)
    signals.finalized.connect(check_written_site)
