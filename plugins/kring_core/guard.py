"""The gate between reading and writing.

``stop_if_problems`` runs when Pelican asks for its writer, i.e. after every
generator has read its content and before the first file is written. The
writer it returns refuses to write one output file twice and names both
sources instead of overwriting (Pelican itself would crash with a traceback);
its feeds credit every public author, where Pelican names only the first.
"""

from __future__ import annotations

import contextlib
import io
import os

from pelican.utils import sanitised_join
from pelican.writers import FileOverwriteFailedError, Writer

from . import collector
from .errors import BuildStopped, display_path


def show(source: str) -> str:
    return display_path(source) if os.path.isabs(source) else source


def clash_message(source: str, other: str, output: str) -> str:
    return (
        f"{show(source)} and {show(other)} both want to write '{output}'. "
        "Give one of them another Slug (or Title), or rename the file; "
        "Kring never overwrites one page with another."
    )


def describe_source(kwargs: dict, name: str) -> str:
    """Which source file (or which listing) asked to write a file."""
    for key in ("article", "page", "member", "group", "issue"):
        obj = kwargs.get(key)
        if obj is not None and getattr(obj, "source_path", None):
            return obj.source_path
    for key in ("tag", "category", "author"):
        if kwargs.get(key) is not None:
            return f"the {key} listing '{kwargs[key]}'"
    return f"the page '{name}'"


def public_author_names(item) -> list[str]:
    """Authors linked to a hidden member profile are left out of feeds."""
    authors = getattr(item, "authors", None) or []
    return [a.name for a in authors if getattr(getattr(a, "member", None), "public", True)]


_last_writer = None  # this run's writer, for checks that run after writing


def written_sources() -> dict[str, str]:
    """Files this run's writer wrote, relative to the output folder -> their source."""
    writer = _last_writer
    if writer is None:
        return {}
    return {
        os.path.relpath(path, writer.output_path).replace(os.sep, "/"): show(source)
        for path, source in writer._owners.items()
    }


class GuardedWriter(Writer):
    def __init__(self, output_path, settings=None):
        global _last_writer
        super().__init__(output_path, settings=settings)
        self._owners: dict[str, str] = {}
        self.claimed: list[str] = []  # every output path in the order it was claimed (kring_speed)
        self._current_source = ""
        self._claim_only = False
        self.keep_unchanged = False  # kring_speed: leave files whose content is the same untouched
        _last_writer = self

    @contextlib.contextmanager
    def claiming_only(self):
        """For kring_speed: another process writes these files; claim their names only."""
        self._claim_only = True
        try:
            yield
        finally:
            self._claim_only = False

    def write_file(self, name, template, context, *args, **kwargs):
        self._current_source = describe_source(kwargs, name)
        return super().write_file(name, template, context, *args, **kwargs)

    def write_feed(self, elements, context, path=None, *args, **kwargs):
        self._current_source = f"the feed '{path}'"
        return super().write_feed(elements, context, path, *args, **kwargs)

    def claim_feed(self, path, override_output=False):
        """For kring_speed: a feed left as it is on disk; claim its name as write_feed would."""
        self._current_source = f"the feed '{path}'"
        with self.claiming_only(), self._open_w(sanitised_join(self.output_path, path), "utf-8", override_output):
            pass

    def claim_file(self, path, source):
        """For a file a plugin writes itself (a generated image): claim its name, or stop on a clash."""
        self._current_source = source
        with self.claiming_only(), self._open_w(sanitised_join(self.output_path, path), "utf-8"):
            pass

    def _add_item_to_the_feed(self, feed, item):
        """Credit every author who may be named publicly, not just the first."""
        super()._add_item_to_the_feed(feed, item)
        feed.items[-1]["author_name"] = ", ".join(public_author_names(item)) or None

    def _open_w(self, filename, encoding, override=False):
        key = os.path.normpath(filename)
        owner = self._owners.get(key)
        if owner is not None and not override:
            rel = os.path.relpath(key, self.output_path)
            raise BuildStopped([clash_message(self._current_source, owner, rel)])
        self._owners[key] = self._current_source
        self.claimed.append(key)
        if not (self._claim_only or self.keep_unchanged):
            return super()._open_w(filename, encoding, override=override)
        if not self._book(filename, override) or self._claim_only:
            return contextlib.nullcontext(io.StringIO())
        return _WriteIfChanged(filename, encoding)

    def _book(self, filename, override) -> bool:
        """Pelican's rules of ``_open_w`` without opening; False: skip (an overridden file)."""
        if filename in self._overridden_files:
            if override:
                raise FileOverwriteFailedError(f'Failed to overwrite "{filename}" a second time')
            return False
        if filename in self._written_files and not override:
            raise FileOverwriteFailedError(f'Failed to overwrite "{filename}": already written')
        if override:
            self._overridden_files.add(filename)
        self._written_files.add(filename)
        return True


class _WriteIfChanged(io.StringIO):
    """Collects a file; on close writes it only if it differs from the one on disk.

    For kring_speed: truncating and rewriting an unchanged file costs more than
    reading it, and live reload and rsync see only the files that changed.
    """

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


def same_bytes(path, data: bytes) -> bool:
    try:
        if os.path.getsize(path) != len(data):
            return False
        with open(path, "rb") as f:
            return f.read() == data
    except OSError:
        return False


def stop_if_problems(_pelican):
    """``get_writer`` receiver: stop the build if reading found problems."""
    found = collector.problems()
    if found:
        raise BuildStopped(found)
    return GuardedWriter


# Lists of content objects that Pelican's own generators will write.
_CONTENT_LISTS = (
    "articles", "translations", "hidden_articles", "hidden_translations",
    "drafts", "drafts_translations", "pages", "hidden_pages", "draft_pages",
    "draft_translations", "staticfiles",
)


def _planned_outputs(generator):
    if hasattr(generator, "planned_outputs"):
        yield from generator.planned_outputs()
        return
    seen = set()
    for attr in _CONTENT_LISTS:
        for content in getattr(generator, attr, None) or []:
            if id(content) not in seen and content.save_as:
                seen.add(id(content))
                yield content.save_as, content.source_path


def check_planned_outputs(generators):
    """``all_generators_finalized`` receiver: two sources, one URL, is an error.

    Catches clashes between articles, pages, static files and Kring's own
    pages before anything is written; ``GuardedWriter`` still catches the rest
    (listings, pagination) while writing.
    """
    owners: dict[str, str] = {}
    for generator in generators:
        for save_as, source in _planned_outputs(generator):
            key = os.path.normpath(save_as)
            if key in owners and owners[key] != source:
                collector.report(clash_message(source, owners[key], save_as))
            owners.setdefault(key, source)
