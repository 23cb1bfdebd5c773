"""The gate between reading and writing.

``stop_if_problems`` runs when Pelican asks for its writer, i.e. after every
generator has read its content and before the first file is written. The
writer it returns refuses to write one output file twice and names both
sources instead of overwriting (Pelican itself would crash with a traceback);
its feeds credit every public author, where Pelican names only the first.
"""

from __future__ import annotations

import os

from pelican.utils import sanitised_join

from . import collector, pelican_compat, run
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


def written_sources() -> dict[str, str]:
    """Files this run's writer wrote, relative to the output folder -> their source."""
    writer = run.current().writer
    if writer is None:
        return {}
    return {
        os.path.relpath(path, writer.output_path).replace(os.sep, "/"): show(source)
        for path, source in writer._owners.items()
    }


class GuardedWriter(pelican_compat.WriterHooks):
    def __init__(self, output_path, settings=None):
        super().__init__(output_path, settings=settings)
        self._owners: dict[str, str] = {}
        self._current_source = ""
        run.current().writer = self

    def write_file(self, name, template, context, *args, **kwargs):
        self._current_source = describe_source(kwargs, name)
        return super().write_file(name, template, context, *args, **kwargs)

    def write_feed(self, elements, context, path=None, *args, **kwargs):
        self.describe_feed(path)
        return super().write_feed(elements, context, path, *args, **kwargs)

    def describe_feed(self, path) -> None:
        self._current_source = f"the feed '{path}'"

    def claim_file(self, path, source):
        """For a file a plugin writes itself (a generated image): claim its name, or stop on a clash."""
        self._current_source = source
        self.check_owner(sanitised_join(self.output_path, path), False)

    def add_feed_item(self, feed, item):
        """Credit every author who may be named publicly, not just the first."""
        super().add_feed_item(feed, item)
        feed.items[-1]["author_name"] = ", ".join(public_author_names(item)) or None

    def open_file(self, filename, encoding, override):
        self.check_owner(filename, override)
        return self.open_output(filename, encoding, override)

    def check_owner(self, filename, override) -> str:
        """Refuse a second source for one output file; returns the file's normalised path."""
        key = os.path.normpath(filename)
        owner = self._owners.get(key)
        if owner is not None and not override:
            rel = os.path.relpath(key, self.output_path)
            raise BuildStopped([clash_message(self._current_source, owner, rel)])
        self._owners[key] = self._current_source
        return key

    def open_output(self, filename, encoding, override):
        """Pelican's own opening of an output file (a subclass may write differently)."""
        return super().open_file(filename, encoding, override)


def same_bytes(path, data: bytes) -> bool:
    """Whether the file at ``path`` holds exactly ``data`` (then it need not be written again)."""
    try:
        if os.path.getsize(path) != len(data):
            return False
        with open(path, "rb") as f:
            return f.read() == data
    except OSError:
        return False


def use_writer(cls: type) -> None:
    """For a plugin, at the start of a run: write with ``cls`` (a GuardedWriter) instead."""
    if not issubclass(cls, GuardedWriter):
        raise TypeError(f"{cls.__name__} must be a GuardedWriter")
    run.current().writer_class = cls


def stop_if_problems(_pelican):
    """``get_writer`` receiver: stop the build if reading found problems."""
    found = collector.problems()
    if found:
        raise BuildStopped(found)
    return run.current().writer_class or GuardedWriter


# Lists of content objects that Pelican's own generators will write.
_CONTENT_LISTS = pelican_compat.CONTENT_LISTS + ("staticfiles",)


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
    owners = run.current().planned_outputs
    for generator in generators:
        for save_as, source in _planned_outputs(generator):
            key = os.path.normpath(save_as)
            if key in owners and owners[key] != source:
                collector.report(clash_message(source, owners[key], save_as))
            owners.setdefault(key, source)
