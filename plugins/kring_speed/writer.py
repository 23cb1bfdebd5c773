"""Kring's writer with what the speed layer needs of it.

``SpeedWriter`` is the ``GuardedWriter`` (one source per output file) plus:
claiming a file name without writing it (another process writes it, or it is
left as the last build wrote it), leaving files whose content did not change
untouched (truncating and rewriting costs more than reading, and live reload
and rsync then see only the files that changed), the list of every file
claimed, and the bodies each feed it builds reads (``recorder``).
"""

from __future__ import annotations

import contextlib
import io
import logging
import os

from pelican.utils import sanitised_join

from kring_core import pelican_compat
from kring_core.guard import GuardedWriter, same_bytes

from . import recorder


class SpeedWriter(GuardedWriter):
    def __init__(self, output_path, settings=None):
        super().__init__(output_path, settings=settings)
        self.claimed: list[str] = []  # every output path in the order it was claimed
        self._claim_only = False
        self.keep_unchanged = False
        self.feed_reads: dict | None = None  # file (relative) -> bodies read, when the render memo wants them

    @contextlib.contextmanager
    def claiming_only(self):
        """Another process writes these files (or they stay as they are): claim their names only."""
        self._claim_only = True
        quiet = _NotWriting()
        logging.getLogger(pelican_compat.WRITER_LOGGER).addFilter(quiet)  # Pelican says "Writing" regardless
        try:
            yield
        finally:
            logging.getLogger(pelican_compat.WRITER_LOGGER).removeFilter(quiet)
            self._claim_only = False

    def claim_feed(self, path, override_output=False):
        """A feed left as it is on disk: claim its name as write_feed would."""
        self.describe_feed(path)
        with self.claiming_only(), self.open_file(sanitised_join(self.output_path, path), "utf-8", override_output):
            pass

    def write_feed(self, elements, context, path=None, *args, **kwargs):
        if self.feed_reads is None or not path or self._claim_only:
            return super().write_feed(elements, context, path, *args, **kwargs)
        with recorder.recording() as reads:
            result = super().write_feed(elements, context, path, *args, **kwargs)
        self.feed_reads[os.path.relpath(os.path.normpath(sanitised_join(self.output_path, path)), self.output_path)] = reads.result()
        return result

    def open_output(self, filename, encoding, override):
        self.claimed.append(os.path.normpath(filename))
        if not (self._claim_only or self.keep_unchanged):
            return super().open_output(filename, encoding, override)
        if not pelican_compat.book_output(self, filename, override) or self._claim_only:
            return contextlib.nullcontext(io.StringIO())
        return _WriteIfChanged(filename, encoding)


class _NotWriting(logging.Filter):
    def filter(self, record) -> bool:
        return not pelican_compat.is_writing_message(record)


class _WriteIfChanged(io.StringIO):
    """Collects a file; on close writes it only if it differs from the one on disk."""

    def __init__(self, path, encoding):
        super().__init__()
        self._path, self._encoding = path, encoding

    def close(self):
        if not self.closed:
            data = self.getvalue().encode(self._encoding)
            if not same_bytes(self._path, data):
                with open(self._path, "wb") as f:
                    f.write(data)
        super().close()

