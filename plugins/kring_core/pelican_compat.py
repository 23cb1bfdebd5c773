"""Every use Kring makes of Pelican's internals, in one place.

Kring relies on a few things Pelican does not promise: private attributes,
the shape of some methods it wraps, the text of log messages it turns into
content problems, the lists of generator attributes that hold content. They
are all here, checked against the installed Pelican at import, and
tests/test_pelican_contract.py asserts each shape, so a Pelican upgrade
fails one test instead of quietly going stale.
"""

from __future__ import annotations

from importlib import metadata as importlib_metadata

SUPPORTED = ((4, 12), (4, 13))  # lowest supported (major, minor), first unsupported


def _version(text: str) -> tuple[int, int]:
    parts = (text.split(".") + ["0"])[:2]
    return tuple(int("".join(c for c in p if c.isdigit()) or 0) for p in parts)


def check_version(installed: str | None = None) -> str:
    installed = installed or importlib_metadata.version("pelican")
    low, high = SUPPORTED
    if not low <= _version(installed) < high:
        raise ImportError(
            f"Kring supports Pelican {low[0]}.{low[1]}.x; Pelican {installed} is installed. "
            f"Install the pinned version: pip install -r requirements.txt"
        )
    return installed


PELICAN_VERSION = check_version()

import inspect  # noqa: E402  (the rest after the version check, on purpose)

from pelican.contents import Content  # noqa: E402
from pelican.generators import Generator  # noqa: E402
from pelican.readers import MarkdownReader, _filter_discardable_metadata  # noqa: E402
from pelican.writers import FileOverwriteFailedError, Writer  # noqa: E402

# --- patched methods ------------------------------------------------------------------------------

PATCHED = {}  # (class, name) -> Pelican's own function, for tests/test_pelican_contract.py


def patch(cls, name: str, make) -> None:
    """Replace ``cls.name`` with ``make(pelican_original)``; patching again starts from Pelican's own."""
    current = cls.__dict__[name]
    original = getattr(current, "pelican_original", current)
    replacement = make(original)
    replacement.pelican_original = original
    PATCHED[(cls, name)] = original
    setattr(cls, name, replacement)


def patch_relative_source_path(make) -> None:
    """``Content.get_relative_source_path(self, source_path=None)``."""
    patch(Content, "get_relative_source_path", make)


def patch_get_files(make) -> None:
    """``Generator.get_files(self, paths, exclude=[], extensions=None)``: returns a set of paths."""
    patch(Generator, "get_files", make)

# --- content objects --------------------------------------------------------------------------

BODY = "_content"  # the attribute holding a content object's body (HTML from its reader)

# Pelican's lists of content objects on its generators (and in the context).
ARTICLE_ORIGINALS = ("articles", "drafts", "hidden_articles")
ARTICLE_TRANSLATIONS = ("translations", "drafts_translations", "hidden_translations")
ARTICLE_LISTS = ("articles", "translations", "drafts", "drafts_translations", "hidden_articles", "hidden_translations")
PAGE_LISTS = ("pages", "hidden_pages", "draft_pages", "draft_translations")
CONTENT_LISTS = ARTICLE_LISTS + PAGE_LISTS


def raw_body(content):
    """A content object's body without going through any accessor."""
    return vars(content).get(BODY)


def has_own_body_getter(content) -> bool:
    """Pelican's get_content uses ``_get_content`` instead of ``_content`` when a class defines it."""
    return hasattr(type(content), "_get_content")


_body_read = None  # the one receiver of body reads (the speed layer's recorder), or None


def _notify(content) -> None:
    if _body_read is not None:
        _body_read(content)


class _WatchedBody:
    """A data descriptor for ``Content._content``: the value stays in the instance dict."""

    def __get__(self, obj, owner=None):
        if obj is None:
            return self
        try:
            value = obj.__dict__[BODY]
        except KeyError:
            raise AttributeError(BODY) from None
        _notify(obj)
        return value

    def __set__(self, obj, value):
        obj.__dict__[BODY] = value

    def __delete__(self, obj):
        obj.__dict__.pop(BODY, None)


# The memoized methods behind ``content`` and ``summary``: their memo answers without reading the body.
MEMOIZED_BODY_METHODS = ("get_content", "get_summary")


def watch_body_reads(on_read) -> None:
    """Call ``on_read(content)`` on every read of any content object's body (idempotent)."""
    global _body_read
    _body_read = on_read
    if not isinstance(Content.__dict__.get(BODY), _WatchedBody):
        setattr(Content, BODY, _WatchedBody())

    def make(original):
        def watched(self, siteurl):
            _notify(self)
            return original(self, siteurl)

        watched.cache = original.cache  # as Pelican's memoized methods offer it
        return watched

    for name in MEMOIZED_BODY_METHODS:
        patch(Content, name, make)


def set_body(content, body: str) -> None:
    setattr(content, BODY, body)


def _memo_caches() -> list[dict]:
    """The caches of Pelican's memoized get_content / get_summary: one per method, keyed (content, siteurl)."""
    methods = (Content.__dict__[name] for name in MEMOIZED_BODY_METHODS)
    return [getattr(method, "pelican_original", method).cache for method in methods]


def forget_memoized_bodies(contents) -> None:
    """Drop Pelican's memoized HTML and summaries of these content objects (their body changed)."""
    ids = {id(c) for c in contents}
    if not ids:
        return
    for cache in _memo_caches():
        for key in [k for k in cache if k and id(k[0]) in ids]:
            del cache[key]


# --- the writer -----------------------------------------------------------------------------------


def _parameters(function, after: str) -> tuple[tuple[str, object], ...]:
    """(name, default) of a function's parameters after ``after``."""
    names = list(inspect.signature(function).parameters.values())
    start = [p.name for p in names].index(after) + 1
    return tuple((p.name, p.default) for p in names[start:])


# write_file(name, template, context, relative_urls=False, paginated=None, template_name=None,
#            override_output=False, url=None, **kwargs): the template's own arguments come last, by name.
WRITE_FILE_ARGS = tuple(name for name, _default in _parameters(Writer.write_file, "context")
                        if name != "kwargs")
# write_feed(elements, context, path=None, url=None, feed_type="atom", override_output=False, feed_title=None)
WRITE_FEED_OPTIONS = dict(_parameters(Writer.write_feed, "context"))


def file_arguments(args: tuple, kwargs: dict) -> dict:
    """write_file's arguments after its context, by name, however they were passed."""
    return dict(zip(WRITE_FILE_ARGS, args), **kwargs)


def feed_options(args: tuple, kwargs: dict) -> dict:
    """write_feed's arguments after its context, by name, with Pelican's defaults."""
    return {**WRITE_FEED_OPTIONS, **dict(zip(WRITE_FEED_OPTIONS, args)), **kwargs}


# Keys Pelican's writer sets in the context of the page it renders.
OUTPUT_FILE = "output_file"  # the page's file, relative to the output folder
LOCAL_SITEURL = "localsiteurl"  # SITEURL as seen from the page (RELATIVE_URLS)
# Private Writer methods Kring overrides (through ``WriterHooks``), by the name Kring gives each:
# ``_open_w(filename, encoding, override=False)`` opens every output file (write_file's and write_feed's);
# ``_add_item_to_the_feed(feed, item)`` adds one entry to a feed.
WRITER_HOOKS = {"_open_w": "open_file", "_add_item_to_the_feed": "add_feed_item"}


class WriterHooks(Writer):
    """Pelican's Writer, its private hooks passed on to methods a subclass overrides by Kring's names."""

    def _open_w(self, filename, encoding, override=False):
        return self.open_file(filename, encoding, override)

    def _add_item_to_the_feed(self, feed, item):
        return self.add_feed_item(feed, item)

    def open_file(self, filename, encoding, override):
        """Open an output file for writing as Pelican does (its override rules: ``book_output``)."""
        return Writer._open_w(self, filename, encoding, override=override)

    def add_feed_item(self, feed, item):
        """Add one content object to a feedgenerator feed as Pelican does (the entry is ``feed.items[-1]``)."""
        return Writer._add_item_to_the_feed(self, feed, item)


def book_output(writer, filename, override) -> bool:
    """Pelican's rules of ``Writer._open_w`` without opening the file; False: leave it (overridden).

    Pelican keeps the files it wrote and overrode in ``_written_files`` and
    ``_overridden_files``; writing through them keeps its override rules.
    """
    if filename in writer._overridden_files:
        if override:
            raise FileOverwriteFailedError(f'Failed to overwrite "{filename}" a second time')
        return False
    if filename in writer._written_files and not override:
        raise FileOverwriteFailedError(f'Failed to overwrite "{filename}": already written')
    if override:
        writer._overridden_files.add(filename)
    writer._written_files.add(filename)
    return True


WRITER_LOGGER = "pelican.writers"
WRITING_MESSAGE = 'Writing "%s"'  # logged by write_file and write_feed after each file, written or not


def is_writing_message(record) -> bool:
    return record.name == WRITER_LOGGER and record.msg == WRITING_MESSAGE


# --- readers and their cache --------------------------------------------------------------------

filter_discardable_metadata = _filter_discardable_metadata  # what Pelican's reader cache stores of metadata


def reader_cache(readers) -> dict:
    """The Readers' cache (path -> (stamp, data)), the file it is saved to, and whether it is saved."""
    return readers._cache


def reader_cache_path(readers) -> str:
    return readers._cache_path


def reader_cache_saved(readers) -> bool:
    return bool(readers._cache_data_policy)


def markdown_extensions_added(settings) -> None:
    """What Pelican's MarkdownReader adds to MARKDOWN when it is first made (its __init__), added now."""
    markdown = settings.get("MARKDOWN")
    if not isinstance(markdown, dict):
        return
    markdown.setdefault("extension_configs", {})
    markdown.setdefault("extensions", [])
    for extension in list(markdown["extension_configs"]) + ["markdown.extensions.meta"]:
        if extension not in markdown["extensions"]:
            markdown["extensions"].append(extension)


def reader_source_path(reader: MarkdownReader) -> str:
    """The file a MarkdownReader is reading (set by its read())."""
    return reader._source_path or ""


class ReusedMarkdown:
    """A Markdown instance kept for many files: Pelican's ``_parse_metadata`` takes its
    meta preprocessor out (so summaries are not read for metadata); ``fresh`` puts it back."""

    def __init__(self, md):
        self.md = md
        self.meta = next(((md.preprocessors["meta"], item.name, item.priority)
                          for item in md.preprocessors._priority if item.name == "meta"), None)

    def fresh(self):
        self.md.reset()
        if self.meta and "meta" not in self.md.preprocessors:
            self.md.preprocessors.register(*self.meta)
        return self.md


def markdown_read(reader: MarkdownReader, md, source_path: str):
    """``MarkdownReader.read`` (pelican/readers.py) with a Markdown instance given instead of a new one."""
    from pelican.utils import pelican_open

    reader._source_path = source_path
    reader._md = md
    with pelican_open(source_path) as text:
        content = md.convert(text)
    metadata = reader._parse_metadata(md.Meta) if hasattr(md, "Meta") else {}
    return content, metadata


# --- log messages Kring turns into content problems ------------------------------------------------

# Loggers whose errors mean a source file was skipped.
SKIPPING_LOGGERS = ("pelican.generators", "pelican.contents", "pelican.readers")
# generators.py: a file without a mandatory field; args: (content, field name).
MISSING_FIELD_MESSAGE = "Skipping %s: could not find information about"
