"""Faster builds that stay byte for byte the same: cache, and both cores.

- a content cache keyed by each file's content, the settings, the plugin
  sources and the library versions (``cache``);
- Markdown read on every core before Pelican asks for it (``prefetch``);
- pages rendered and written on every core, and files whose content did
  not change left untouched (``split``, ``kring_core.guard``);
- templates compiled once into a bytecode cache (``templates``);
- pages whose inputs did not change since the last run not rendered again:
  what each page is rendered from is digested (``digest``), the bodies its
  render actually reads are recorded (``recorder``), and a page is skipped
  only when both are unchanged (``skip``);
- all of it behind Kring's writer, extended (``writer.SpeedWriter``);
- content files read in the same order on every run (``order``);
- content paths relative to the content folder computed once (``paths``).

``KRING_SPEED = False`` turns all of it off; tests/test_cache_equivalence.py
builds the demo both ways and compares every output file.
"""

from __future__ import annotations

import logging

from pelican import signals

from kring_core import defaults, guard, run

from . import cache, order, paths, prefetch, recorder, skip, split, templates
from . import settings as speed_settings
from .writer import SpeedWriter

logger = logging.getLogger(__name__)



def _state() -> dict:
    """This run's settings and writing split (with its render memo), in the run's state."""
    return run.current().plugins.setdefault(__name__, {})


def start_run(pelican):
    """``get_generators`` receiver, the first signal of every run."""
    conf = speed_settings.read(pelican.settings)
    paths.enable(conf["KRING_SPEED"])
    memo = None
    if conf["KRING_SPEED"]:
        guard.use_writer(SpeedWriter)
        cache.configure(pelican.settings, conf["KRING_CACHE_KEEP"])
        if conf["KRING_INCREMENTAL"]:
            memo = skip.RenderMemo(pelican.settings["CACHE_PATH"], pelican.output_path, pelican.settings)
    writer_only = split.writer_only_classes(conf["KRING_SPLIT_GENERATORS"])
    _state().update(conf=conf, split=split.Split(conf["KRING_PROCESSES"], memo, writer_only))
    return None


def use_caches(generator):
    templates.offer_functions(generator)
    state = _state()
    if state and state["conf"]["KRING_SPEED"]:
        cache.install(generator.readers)
        templates.install(generator)


def read_ahead(generator):
    state = _state()
    if state and state["conf"]["KRING_SPEED"]:
        conf = state["conf"]
        prefetch.prefetch(generator, conf["KRING_PROCESSES"], conf["KRING_READ_AHEAD_MIN"])


def split_writing(generators):
    state = _state()
    if state and state["conf"]["KRING_SPEED"]:
        state["split"].install(generators)


def register():
    defaults.declare(__name__, speed_settings.DEFAULTS)
    recorder.install()
    paths.install()
    order.install()
    signals.get_generators.connect(start_run)
    signals.generator_init.connect(use_caches)
    signals.article_generator_init.connect(read_ahead)
    signals.all_generators_finalized.connect(split_writing)
