"""Results of a pure function of an article's HTML, kept between runs.

Linking mentions scans every tag of every article on every run (seconds on a
large site) although most articles did not change. The results are stored
in the run's cache folder (kring_speed names it after the settings and the
plugin sources, so a code or settings change starts afresh); entries not
used in a run are dropped when it is saved.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import tempfile

logger = logging.getLogger(__name__)


def digest(*parts: str) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(part.encode("utf-8", "surrogatepass") + b"\0")
    return h.hexdigest()


class Memo:
    """``memo.get(key, compute)``; ``save()`` writes what this run used. No folder: nothing is kept."""

    def __init__(self, folder: str | None, name: str):
        self.path = os.path.join(folder, name) if folder and os.path.isdir(folder) else None
        self.old: dict = self._load()
        self.used: dict = {}

    def _load(self) -> dict:
        if self.path is None:
            return {}
        try:
            with open(self.path, "rb") as f:
                stored = pickle.load(f)
            return stored if isinstance(stored, dict) else {}
        except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, ValueError):
            return {}

    def get(self, key: str, compute):
        if key not in self.used:
            self.used[key] = self.old[key] if key in self.old else compute()
        return self.used[key]

    def save(self) -> None:
        if self.path is None or self.used == self.old:
            return
        fd, tmp = tempfile.mkstemp(dir=os.path.dirname(self.path), prefix=".memo-")
        try:
            with os.fdopen(fd, "wb") as f:
                pickle.dump(self.used, f, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, self.path)  # atomic: a build running at the same time reads old or new
        except OSError as err:
            logger.debug("mention cache not saved: %s", err)
            try:
                os.remove(tmp)
            except OSError:
                pass
