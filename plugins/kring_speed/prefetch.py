"""Read the articles (and member, group, issue files) on every core.

Before the articles generator starts reading, the files that are not in the
content cache are split between the processes; each converts its share with
the very reader Pelican would use and stores the result in that cache, so
Pelican's own loop then finds everything there. A file whose reading fails
or logs anything is left out, so Pelican reads it again itself and reports
the problem exactly as without this plugin.
"""

from __future__ import annotations

import logging
import os

from pelican.utils import file_suffix

from kring_core.pelican_compat import filter_discardable_metadata

from . import cache, forks

logger = logging.getLogger(__name__)

def source_folders(settings) -> list[str]:
    """Article folders plus the folders Kring's plugins read with the article readers."""
    folders = list(settings.get("ARTICLE_PATHS") or [""])
    for key, value in settings.items():
        if key.startswith("KRING_") and key.endswith("_PATH") and isinstance(value, str) and value:
            folders.append(value)
    return folders


def missing_files(generator) -> list[str]:
    """Absolute paths of readable files that the cache does not hold as they are now."""
    settings, readers = generator.settings, generator.readers
    folders = [f for f in source_folders(settings) if os.path.isdir(os.path.join(generator.path, f))]
    found = generator.get_files(folders, exclude=settings.get("ARTICLE_EXCLUDES") or [])
    paths = (os.path.abspath(os.path.join(generator.path, rel)) for rel in sorted(found))
    return [p for p in paths if file_suffix(p) in readers.readers and not readers.has_fresh(p)]


class _Flag(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.raised = False

    def emit(self, record):
        self.raised = True


def read_share(readers, paths: list[str]) -> list[tuple[str, bytes]]:
    """(path, snapshot) for every file of this share that reads cleanly."""
    flag = _Flag()
    root = logging.getLogger()
    root.addHandler(flag)
    done = []
    try:
        for path in paths:
            flag.raised = False
            try:
                content, metadata = readers.readers[file_suffix(path)].read(path)
            except Exception:
                continue
            if not flag.raised:
                snapshot = (content, filter_discardable_metadata(metadata))
                done.append((path, cache.dumps(snapshot, readers.settings)))
    finally:
        root.removeHandler(flag)
    return done


def _quiet_read_share(readers, paths):
    """In a child: nothing reaches the terminal; the parent logs what matters."""
    for handler in logging.getLogger().handlers:
        handler.setLevel(logging.CRITICAL + 1)
    return read_share(readers, paths)


def prefetch(generator, processes: int, minimum: int) -> None:
    readers = generator.readers
    if processes < 2 or not hasattr(readers, "has_fresh"):
        return
    paths = missing_files(generator)
    if len(paths) < max(minimum, processes):
        return
    shares = [paths[i::processes] for i in range(processes)]
    children = [forks.start(_quiet_read_share, readers, share) for share in shares[1:]]
    results = read_share(readers, shares[0])
    for child in children:
        try:
            results += child.join()
        except forks.ChildFailed as exc:  # Pelican reads that share itself
            logger.debug("A reading process failed: %s", exc)
    for path, snapshot in results:
        readers.store_snapshot(path, snapshot)
    logger.debug("Read %d of %d files on %d cores", len(results), len(paths), processes)
