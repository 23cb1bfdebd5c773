"""Pelican's reader cache, made safe to leave on.

Pelican's content cache ignores settings and plugin changes and pickles the
live metadata objects at the end of the run (after plugins may have changed
them). Here every run gets a cache folder named after a fingerprint of the
settings, the plugin sources and the library versions; files are recognised
by their content (MD5), not their mtime; each file's reader output is
pickled at once into an immutable snapshot; the cache file is replaced
atomically, and entries of deleted files are dropped.
"""

from __future__ import annotations

import hashlib
import io
import logging
import os
import pickle
import re
import shutil
import sys
import time
from importlib import metadata as importlib_metadata

from kring_core import pelican_compat

logger = logging.getLogger(__name__)

# Settings that do not change what a reader returns (or that this module sets).
IGNORED_SETTINGS = {
    "OUTPUT_PATH", "CACHE_PATH", "CACHE_CONTENT", "LOAD_CONTENT_CACHE", "CHECK_MODIFIED_METHOD",
    "CONTENT_CACHING_LAYER", "GZIP_CACHE", "DELETE_OUTPUT_DIRECTORY", "KRING_PROCESSES", "KRING_CACHE_KEEP", "KRING_READ_AHEAD_MIN",
    "KRING_INCREMENTAL", "KRING_SEARCH_INDEX_WAIT", "KRING_RUN_CACHE", "KRING_OUTPUT_SEED", "KRING_RENDER_MEMO",
    "KRING_SHARED_CACHE",
}
LIBRARIES = ("pelican", "markdown", "pygments", "jinja2")
GRACE_SECONDS = 3600
_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+")
_FOLDER = re.compile(r"kring-[0-9a-f]{16}")  # a cache folder of this module's, and nothing else (e.g. "kring-cache")


def _stable(value):
    """A repr that is the same in every process (no addresses, sets sorted)."""
    if isinstance(value, dict):
        return sorted((repr(k), _stable(v)) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return [_stable(v) for v in value]
    if isinstance(value, (set, frozenset)):
        return sorted(repr(_stable(v)) for v in value)
    return _ADDRESS.sub("", repr(value))


def _plugin_sources(settings) -> list[str]:
    """Every Python file of every plugin folder, so editing a plugin empties the cache."""
    files = []
    for base in settings.get("PLUGIN_PATHS", []):
        for folder, dirs, names in os.walk(base):
            dirs[:] = sorted(d for d in dirs if d != "__pycache__")
            files += [os.path.join(folder, n) for n in sorted(names) if n.endswith(".py")]
    return files


def fingerprint(settings) -> str:
    digest = hashlib.sha256()
    for key in sorted(settings):
        if key not in IGNORED_SETTINGS:
            digest.update(f"{key}={_stable(settings[key])}\n".encode())
    for path in _plugin_sources(settings):
        digest.update(path.encode())
        with open(path, "rb") as f:
            digest.update(hashlib.sha256(f.read()).digest())
    for name in LIBRARIES:
        try:
            digest.update(f"{name}={importlib_metadata.version(name)}".encode())
        except importlib_metadata.PackageNotFoundError:
            pass
    digest.update(sys.version.encode())
    return digest.hexdigest()[:16]


def configure(settings, keep: int) -> None:
    """Turn Pelican's reader cache on, in this settings' own folder."""
    # Added before the fingerprint: otherwise the live server's first run (before the reader) and its
    # later runs (after) would see different settings and use different folders.
    pelican_compat.markdown_extensions_added(settings)
    base = settings.get("CACHE_PATH") or "cache"
    if _FOLDER.fullmatch(os.path.basename(os.path.normpath(base))):
        base = os.path.dirname(os.path.normpath(base))  # a second run of the same Pelican instance
    folder = os.path.join(base, "kring-" + fingerprint(settings))
    settings.update(
        CACHE_PATH=folder, KRING_RUN_CACHE=folder, KRING_SHARED_CACHE=base, CACHE_CONTENT=True, LOAD_CONTENT_CACHE=True,
        CONTENT_CACHING_LAYER="reader", CHECK_MODIFIED_METHOD="md5", GZIP_CACHE=False,
    )
    _prune_folders(base, keep, folder)


def _prune_folders(base: str, keep: int, current: str) -> None:
    """Keep the newest ``keep`` folders; never touch one used in the last hour (another build may be using it)."""
    ages = []
    for name in _listdir(base):
        path = os.path.join(base, name)
        if _FOLDER.fullmatch(name) and path != current:
            try:
                ages.append((os.path.getmtime(path), path))
            except OSError:  # removed by a build running at the same time
                continue
    ages.sort(reverse=True)
    for mtime, old in ages[max(keep - 1, 0):]:
        if time.time() - mtime > GRACE_SECONDS:
            shutil.rmtree(old, ignore_errors=True)


def _listdir(folder: str) -> list[str]:
    try:
        return os.listdir(folder)
    except OSError:
        return []


# --- snapshots: the settings object is not pickled, the current one is put back ---


class _Pickler(pickle.Pickler):
    def __init__(self, file, settings):
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self._settings = settings

    def persistent_id(self, obj):
        return "settings" if obj is self._settings else None


class _Unpickler(pickle.Unpickler):
    def __init__(self, file, settings):
        super().__init__(file)
        self._settings = settings

    def persistent_load(self, pid):
        return self._settings


def dumps(data, settings) -> bytes:
    buffer = io.BytesIO()
    _Pickler(buffer, settings).dump(data)
    return buffer.getvalue()


def loads(blob: bytes, settings):
    return _Unpickler(io.BytesIO(blob), settings).load()


def install(readers) -> None:
    """Store snapshots in this Readers' cache; save it atomically; drop deleted files."""
    settings = readers.settings
    store, fetch = readers.cache_data, readers.get_cached_data

    def cache_data(filename, data):
        store(filename, dumps(data, settings))

    def get_cached_data(filename, default=None):
        blob = fetch(filename, None)
        if not isinstance(blob, bytes):
            return default
        try:
            return loads(blob, settings)
        except Exception:  # a class that moved or changed: read the file again
            return default

    def save_cache():
        if not pelican_compat.reader_cache_saved(readers):
            return
        entries, path = pelican_compat.reader_cache(readers), pelican_compat.reader_cache_path(readers)
        for source in [p for p in entries if not os.path.exists(p)]:
            del entries[source]
        os.makedirs(settings["CACHE_PATH"], exist_ok=True)
        temporary = f"{path}.{os.getpid()}.tmp"
        try:
            with open(temporary, "wb") as f:
                pickle.dump(entries, f, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temporary, path)
        except OSError as exc:
            logger.warning("Could not save the content cache %s: %s", path, exc)

    readers.cache_data, readers.get_cached_data, readers.save_cache = cache_data, get_cached_data, save_cache
    readers.store_snapshot = lambda filename, blob: store(filename, blob)
    readers.has_fresh = lambda filename: isinstance(fetch(filename, None), bytes)
