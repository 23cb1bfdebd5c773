"""Pelican's ``Content.get_relative_source_path()``, remembered.

Pelican recomputes every URL from scratch each time a template asks for one
(``article.url`` is a property), and most of that is ``os.path.relpath``
from the content folder: 4.6 s of a profiled 1k build (about 10 % of its CPU).
The answer depends only on the source path and the content folder, so it is
remembered per pair; relative paths (which depend on the working folder)
are left to Pelican.
"""

from __future__ import annotations

import os

from pelican.contents import Content

# Pelican's own, even if this module is imported again (tests, live reload).
_original = getattr(Content.get_relative_source_path, "pelican_original", Content.get_relative_source_path)
_known: dict[tuple[str, str], str | None] = {}
_enabled = False


def enable(on: bool) -> None:
    """Called at the start of every run: on with KRING_SPEED (the answers stay valid between runs)."""
    global _enabled
    _enabled = on


def get_relative_source_path(self, source_path=None):
    path = source_path or self.source_path
    base = self.settings.get("PATH")
    if not (_enabled and path and base and os.path.isabs(path) and os.path.isabs(base)):
        return _original(self, source_path)
    key = (path, base)
    if key not in _known:
        _known[key] = _original(self, source_path)
    return _known[key]


get_relative_source_path.pelican_original = _original


def install() -> None:
    Content.get_relative_source_path = get_relative_source_path
