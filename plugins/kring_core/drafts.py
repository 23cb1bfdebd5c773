"""A draft is a draft in every language.

Pelican decides each file's status on its own, so the English translation
(`Lang: en`, same `Slug`) of a draft article, of an article in a draft or
future issue, or of a draft page is published. Here every translation takes
the status of its original when that is less public (draft over hidden over
published), and Pelican's lists are sorted again by the statuses that result.
Events and presentations, whose slug is their file name, pass their files
through ``share_status_by_file``.
"""

from __future__ import annotations

from itertools import groupby
from operator import attrgetter

from pelican.utils import order_content, process_translations

RANK = {"published": 0, "hidden": 1, "draft": 2}

# Pelican's lists per status: (originals, translations), for articles and for pages.
ARTICLE_LISTS = {"published": ("articles", "translations"), "hidden": ("hidden_articles", "hidden_translations"),
                 "draft": ("drafts", "drafts_translations")}
PAGE_LISTS = {"published": ("pages", "translations"), "hidden": ("hidden_pages", "hidden_translations"),
              "draft": ("draft_pages", "draft_translations")}


def _is_original(item) -> bool:
    return item.in_default_lang and str(item.metadata.get("translation", "false")).lower() == "false"


def share_status(items: list, translation_id) -> bool:
    """Give every translation its original's status when that is less public; True if one changed."""
    if not translation_id:
        return False
    keys = (translation_id,) if isinstance(translation_id, str) else tuple(translation_id)
    usable = [i for i in items if all(hasattr(i, k) for k in keys)]
    changed = False
    for _key, group in groupby(sorted(usable, key=attrgetter(*keys)), attrgetter(*keys)):
        group = list(group)
        originals = [i for i in group if _is_original(i)]
        if not originals:
            continue
        strictest = max((o.status for o in originals), key=lambda s: RANK.get(s, 0))
        for item in group:
            if RANK.get(item.status, 0) < RANK.get(strictest, 0):
                item.status = item.metadata["status"] = strictest
                changed = True
    return changed


def share_status_by_file(sources, file_slug) -> list:
    """For content whose slug is its file name (events, presentations): a file with a `Lang` of its
    own and `Slug: <another file's slug>` is that file's translation, and takes its status when less public.

    ``sources`` are (path, Pelican Page) pairs; returns them as a list.
    """
    sources = list(sources)
    by_slug = {file_slug(path): source for path, source in sources}
    for _path, source in sources:
        original = by_slug.get(str(source.metadata.get("slug", "")).strip())
        if original is None or original is source or _is_original(source):
            continue
        strictest = str(original.metadata.get("status", "")).strip().lower()
        if RANK.get(strictest, 0) > RANK.get(str(source.metadata.get("status", "")).strip().lower(), 0):
            source.status = source.metadata["status"] = strictest
    return sources


def _regroup(generator, lists: dict, translation_id, order_by) -> bool:
    items = [item for names in lists.values() for name in names for item in getattr(generator, name, [])]
    if not share_status(items, translation_id):
        return False
    for status, (originals_name, translations_name) in lists.items():
        originals, translations = process_translations([i for i in items if i.status == status], translation_id)
        setattr(generator, originals_name, order_content(originals, order_by))
        setattr(generator, translations_name, translations)
    return True


def share_article_status(generator) -> None:
    """``article_generator_pretaxonomy``: before tags, feeds and archives are made of the lists."""
    _regroup(generator, ARTICLE_LISTS, generator.settings["ARTICLE_TRANSLATION_ID"],
             generator.settings["ARTICLE_ORDER_BY"])


def share_page_status(generator) -> None:
    """``page_generator_finalized``: the lists were already put in the context; put them again."""
    if _regroup(generator, PAGE_LISTS, generator.settings["PAGE_TRANSLATION_ID"], generator.settings["PAGE_ORDER_BY"]):
        for name in ("pages", "hidden_pages", "draft_pages"):
            generator.context[name] = getattr(generator, name)
