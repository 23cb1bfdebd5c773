"""Content files in the same order on every run.

Pelican lists the files to read as a set, so their order (and with it the
order of static files, drafts, and of articles with the same date) follows
the string hash seed of each process. Iterating the set sorted makes every
run see the same order, which the render digests (``digest``) rely on.
"""

from __future__ import annotations

from pelican import signals

from kring_core import pelican_compat


class SortedFiles(set):
    """A set of paths that iterates in sorted order; set operations work as before."""

    def __iter__(self):
        return iter(sorted(set.__iter__(self)))


def _sorted(original):
    def get_files(self, *args, **kwargs):
        return SortedFiles(original(self, *args, **kwargs))

    return get_files


def sort_static_files(generator) -> None:
    """``static_generator_finalized`` receiver: Pelican lists them from a set union."""
    generator.staticfiles.sort(key=lambda static: static.source_path)


def install() -> None:
    pelican_compat.patch_get_files(_sorted)
    signals.static_generator_finalized.connect(sort_static_files)
