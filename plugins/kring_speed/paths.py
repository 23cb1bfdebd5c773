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

from kring_core import pelican_compat

_known: dict[tuple[str, str], str | None] = {}
_enabled = False


def enable(on: bool) -> None:
    """Called at the start of every run: on with KRING_SPEED (the answers stay valid between runs)."""
    global _enabled
    _enabled = on


def _remembered(original):
    def get_relative_source_path(self, source_path=None):
        path = source_path or self.source_path
        base = self.settings.get("PATH")
        if not (_enabled and path and base and os.path.isabs(path) and os.path.isabs(base)):
            return original(self, source_path)
        key = (path, base)
        if key not in _known:
            _known[key] = original(self, source_path)
        return _known[key]

    return get_relative_source_path


def install() -> None:
    pelican_compat.patch_relative_source_path(_remembered)
