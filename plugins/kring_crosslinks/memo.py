"""Results of a pure function of an article's HTML, kept between runs.

Linking mentions scans every tag of every article on every run (seconds on a
large site) although most articles did not change. The results are stored
in the run's cache folder (``KRING_RUN_CACHE``, named after the settings and the
plugin sources, so a code or settings change starts afresh); entries not
used in a run are dropped when it is saved.
"""

from __future__ import annotations

import hashlib
import os

from kring_core.stored import load_dict, save_dict


def digest(*parts: str) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(part.encode("utf-8", "surrogatepass") + b"\0")
    return h.hexdigest()


class Memo:
    """``memo.get(key, compute)``; ``save()`` writes what this run used. No folder: nothing is kept."""

    def __init__(self, folder: str | None, name: str):
        self.path = os.path.join(folder, name) if folder and os.path.isdir(folder) else None
        self.old: dict = load_dict(self.path)
        self.used: dict = {}

    def get(self, key: str, compute):
        if key not in self.used:
            self.used[key] = self.old[key] if key in self.old else compute()
        return self.used[key]

    def save(self) -> None:
        if self.path is not None and self.used != self.old:
            save_dict(self.path, self.used)
