"""Templates compiled once, not once per generator and per run.

Pelican gives every generator its own Jinja environment, so each compiles
the same templates again (base.html, the macros and partials: about 200
compilations per build). A bytecode cache in this settings' cache folder
(named after the settings, the plugin sources and the Jinja version, which
Jinja's own cache key leaves out) lets each template be compiled once and
then loaded. Templates are not checked for changes while a run renders: a
run starts with new environments, and the cache key holds each template's
source, so an edited template is compiled afresh on the next run.
"""

from __future__ import annotations

import os

from jinja2 import FileSystemBytecodeCache

from .recorder import cannot_record


def folder(settings) -> str:
    """This settings' own folder: its name holds everything Jinja's cache key leaves out."""
    return os.path.join(settings["CACHE_PATH"], "templates")


def install(generator) -> None:
    """``generator_init`` receiver (with kring_speed on)."""
    path = folder(generator.settings)
    os.makedirs(path, exist_ok=True)
    generator.env.bytecode_cache = FileSystemBytecodeCache(path)
    generator.env.auto_reload = False


def offer_functions(generator) -> None:
    """A template that shows something the recorder cannot see calls ``{{ render_always() }}``."""
    generator.env.globals.setdefault("render_always", cannot_record)
