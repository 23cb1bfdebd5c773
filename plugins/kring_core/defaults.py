"""Each plugin's settings and their defaults, put into Pelican's settings before a run.

As pelican-plugins do: a plugin declares its defaults once at ``register``;
at ``initialized`` every setting the site does not set gets its default (a
copy), so templates and code read ``SETTING`` without repeating the default.
"""

from __future__ import annotations

import copy

_declared: dict[str, dict] = {}  # plugin -> its defaults


def declare(plugin: str, defaults: dict) -> None:
    """At ``register``: these settings get these defaults in every run (declaring again replaces)."""
    _declared[plugin] = defaults


def apply(pelican) -> None:
    """``initialized`` receiver."""
    for defaults in _declared.values():
        for key, value in defaults.items():
            pelican.settings.setdefault(key, copy.deepcopy(value))
