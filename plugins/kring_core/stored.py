"""A dict kept between runs as a pickle: read leniently, replaced atomically.

For caches only: a missing, old or damaged file reads as empty (the run
computes everything again), and a build running at the same time reads the
old file or the new one, never half of one.
"""

from __future__ import annotations

import logging
import os
import pickle
import tempfile

logger = logging.getLogger(__name__)


def shared_cache(settings) -> str | None:
    """The cache folder shared by every set of settings (KRING_SHARED_CACHE, set with the speed layer's
    per-settings folders), for caches that depend on a file's content only; else CACHE_PATH."""
    return settings.get("KRING_SHARED_CACHE") or settings.get("CACHE_PATH")


def load_dict(path: str | None) -> dict:
    if path is None:
        return {}
    try:
        with open(path, "rb") as f:
            stored = pickle.load(f)
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, ValueError):
        return {}
    return stored if isinstance(stored, dict) else {}


def save_dict(path: str, data: dict) -> None:
    tmp = None
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path), prefix=".stored-")
        with os.fdopen(fd, "wb") as f:
            pickle.dump(data, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except OSError as err:
        logger.debug("%s not saved: %s", path, err)
        if tmp:
            try:
                os.remove(tmp)
            except OSError:
                pass
