"""Markdown reader that turns metadata mistakes into ``ContentError``s."""

from __future__ import annotations

from pelican.readers import MarkdownReader

from .errors import ContentError
from .pelican_compat import reader_source_path

DATE_FIELDS = {"date": "Date", "modified": "Modified"}


class CheckedMarkdownReader(MarkdownReader):
    """Pelican's Markdown reader, with messages an editor can act on."""

    def process_metadata(self, name, value):
        try:
            return super().process_metadata(name, value)
        except Exception as exc:  # Pelican raises bare ValueErrors here
            if name in DATE_FIELDS:
                raise ContentError(
                    reader_source_path(self),
                    DATE_FIELDS[name],
                    f"'{value}' is not a date.",
                    "Write it as YYYY-MM-DD or YYYY-MM-DD HH:MM, e.g. 2026-11-30 09:00.",
                ) from exc
            raise ContentError(reader_source_path(self), name.capitalize(), f"'{value}': {exc}") from exc

    def read(self, source_path):
        content, metadata = super().read(source_path)
        if not str(metadata.get("title", "")).strip():
            raise ContentError(
                source_path, "Title", "is missing.", "Add a line 'Title: ...' as the first line of the file."
            )
        return content, metadata


def use_checked_reader(readers) -> None:
    """``readers_init`` receiver: replace the Markdown reader for every extension.

    Pelican sends the signal before it instantiates the reader classes.
    """
    for ext in CheckedMarkdownReader.file_extensions:
        if readers.reader_classes.get(ext) is MarkdownReader:
            readers.reader_classes[ext] = CheckedMarkdownReader
