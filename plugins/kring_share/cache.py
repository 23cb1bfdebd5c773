"""Generated images kept by a hash of everything they are made from.

An image is made again only when one of its inputs (title, colours, source
bytes, font, generator version) changed; a file in the output folder is
written only when its bytes differ, so its modification time stays put and
live reload and rsync see only what really changed.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile

from kring_core.guard import same_bytes
from kring_core.stored import shared_cache

# Raise when the drawing or encoding changes: every cached image is made again.
GENERATOR_VERSION = 4


def key(*parts) -> str:
    """A hash of the inputs (JSON-serialisable values and bytes digests)."""
    text = json.dumps([GENERATOR_VERSION, *parts], sort_keys=True, ensure_ascii=True, default=str)
    return hashlib.sha256(text.encode("ascii")).hexdigest()


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def folder(settings) -> str:
    """``share-images`` in the cache folder every set of settings shares."""
    return os.path.join(os.path.normpath(shared_cache(settings) or "cache"), "share-images")


class ImageCache:
    def __init__(self, path: str):
        self.path = path
        self.made = 0  # images made this run (the rest came from the cache)

    def file(self, image_key: str) -> str:
        return os.path.join(self.path, image_key[:2], image_key)

    def has(self, image_key: str) -> bool:
        return os.path.isfile(self.file(image_key))

    def get(self, image_key: str, make) -> bytes:
        """The cached bytes for ``image_key``, or ``make()``'s, stored for the next run."""
        path = self.file(image_key)
        try:
            with open(path, "rb") as f:
                return f.read()
        except OSError:
            pass
        data = make()
        self.made += 1
        write_atomically(path, data)
        return data


def write_atomically(path: str, data: bytes) -> None:
    """Another build using the same cache never sees half a file."""
    os.makedirs(os.path.dirname(path), exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=os.path.dirname(path), suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise


def write_if_changed(path: str, data: bytes) -> bool:
    """Write ``data`` unless the file already holds exactly it; True if written."""
    if same_bytes(path, data):
        return False
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)
    return True
