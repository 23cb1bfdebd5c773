"""Markdown reader that turns metadata mistakes into ``ContentError``s."""

from __future__ import annotations

import copy
import re

from markdown import Markdown
from pelican.readers import MarkdownReader

from . import pelican_compat
from .errors import ContentError
from .pelican_compat import reader_source_path

DATE_FIELDS = {"date": "Date", "modified": "Modified"}
SMARTY = "markdown.extensions.smarty"
# Typographic quotes per language for Markdown's smarty extension (never inside code).
QUOTES = {
    "nl": {"left-double-quote": "&bdquo;", "right-double-quote": "&rdquo;",
           "left-single-quote": "&lsquo;", "right-single-quote": "&rsquo;"},
    "en": {"left-double-quote": "&ldquo;", "right-double-quote": "&rdquo;",
           "left-single-quote": "&lsquo;", "right-single-quote": "&rsquo;"},
}
LANG_LINE = re.compile(r"(?im)^lang:[ \t]*([A-Za-z-]+)[ \t]*$")


def header_lang(text: str) -> str | None:
    """The ``Lang:`` of a Markdown file's metadata header (the lines before the first blank one)."""
    match = LANG_LINE.search(text.split("\n\n", 1)[0])
    return match.group(1).lower() if match else None


def markdown_settings(config: dict, extra_quotes: dict, lang: str) -> dict:
    """A copy of MARKDOWN with smarty's quotes for the file's language (KRING_QUOTES adds
    languages or overrides)."""
    if SMARTY not in config.get("extension_configs", {}):
        return config
    quotes = {**QUOTES, **extra_quotes}
    config = copy.deepcopy(config)
    smarty = config["extension_configs"][SMARTY]
    smarty["substitutions"] = {**quotes.get(lang, quotes["en"]), **smarty.get("substitutions", {})}
    return config


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
        # Dutch text gets „…” and ‘…’, English text “…” and ‘…’: the file's own language decides.
        with open(source_path, encoding="utf-8-sig") as f:
            lang = header_lang(f.read(4096)) or self.settings.get("DEFAULT_LANG", "en")
        if not hasattr(self, "_markdown"):
            self._markdown = self.settings["MARKDOWN"]  # as configured, before any language
        config = markdown_settings(self._markdown, self.settings.get("KRING_QUOTES", {}), lang)
        self.settings = {**self.settings, "MARKDOWN": config}
        content, metadata = self._convert(source_path, lang, config)
        if not str(metadata.get("title", "")).strip():
            raise ContentError(
                source_path, "Title", "is missing.", "Add a line 'Title: ...' as the first line of the file."
            )
        return content, metadata

    def _convert(self, source_path, lang: str, config: dict):
        """Pelican's ``MarkdownReader.read`` with one Markdown per language, reset between files.

        Pelican builds a new Markdown (every extension and its patterns) for
        each file, which cost a sixth of reading a short article; ``reset``
        clears what a document leaves behind (Markdown's stash and references,
        each extension's own state).
        """
        reused = self.__dict__.setdefault("_reused_markdown", {})
        if lang not in reused:
            reused[lang] = pelican_compat.ReusedMarkdown(Markdown(**config))
        return pelican_compat.markdown_read(self, reused[lang].fresh(), source_path)


def use_checked_reader(readers) -> None:
    """``readers_init`` receiver: replace the Markdown reader for every extension.

    Pelican sends the signal before it instantiates the reader classes.
    """
    for ext in CheckedMarkdownReader.file_extensions:
        if readers.reader_classes.get(ext) is MarkdownReader:
            readers.reader_classes[ext] = CheckedMarkdownReader
