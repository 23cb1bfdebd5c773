"""Faster builds that stay byte for byte the same: cache, and both cores.

- a content cache keyed by each file's content, the settings, the plugin
  sources and the library versions (``cache``);
- Markdown read on every core before Pelican asks for it (``prefetch``);
- pages rendered and written on every core, and files whose content did
  not change left untouched (``split``, ``kring_core.guard``);
- templates compiled once into a bytecode cache (``templates``);
- pages whose inputs did not change since the last run not rendered again
  (``digest``, ``skip``);
- content files read in the same order on every run (``order``);
- content paths relative to the content folder computed once (``paths``).

``KRING_SPEED = False`` turns all of it off; tests/test_cache_equivalence.py
builds the demo both ways and compares every output file.
"""

from __future__ import annotations

import logging

from pelican import signals

from . import cache, order, paths, prefetch, skip, split, templates
from . import settings as speed_settings

logger = logging.getLogger(__name__)

_run: dict = {}  # this run's settings and writing split; reset by get_generators


def start_run(pelican):
    """``get_generators`` receiver, the first signal of every run."""
    conf = speed_settings.read(pelican.settings)
    _run.clear()
    paths.enable(conf["KRING_SPEED"])
    memo = None
    if conf["KRING_SPEED"]:
        cache.configure(pelican.settings, conf["KRING_CACHE_KEEP"])
        if conf["KRING_INCREMENTAL"]:
            memo = skip.RenderMemo(pelican.settings["CACHE_PATH"], pelican.output_path, pelican.settings)
    _run.update(conf=conf, split=split.Split(conf["KRING_PROCESSES"], memo))
    return None


def use_caches(generator):
    if _run and _run["conf"]["KRING_SPEED"]:
        cache.install(generator.readers)
        templates.install(generator)


def read_ahead(generator):
    if _run and _run["conf"]["KRING_SPEED"]:
        conf = _run["conf"]
        prefetch.prefetch(generator, conf["KRING_PROCESSES"], conf["KRING_READ_AHEAD_MIN"])


def split_writing(generators):
    if _run and _run["conf"]["KRING_SPEED"]:
        _run["split"].install(generators)


def page_written(path, context=None):
    """``content_written`` receiver: the page digest of what was just written (or claimed)."""
    memo = _run.get("split").memo if _run else None
    if memo is not None and context is not None:
        memo.page_written(path, context)


def register():
    paths.install()
    order.install()
    signals.get_generators.connect(start_run)
    signals.generator_init.connect(use_caches)
    signals.article_generator_init.connect(read_ahead)
    signals.all_generators_finalized.connect(split_writing)
    signals.content_written.connect(page_written)
