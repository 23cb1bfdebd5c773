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

from pelican.contents import Content  # noqa: E402  (after the version check, on purpose)

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


_body_read = None  # the one receiver of body reads (kring_speed's recorder), or None


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
    for name in MEMOIZED_BODY_METHODS:
        method = Content.__dict__[name]
        original = getattr(method, "pelican_original", method)

        def watched(self, siteurl, _original=original):
            _notify(self)
            return _original(self, siteurl)

        watched.pelican_original = original
        watched.__name__ = name
        setattr(Content, name, watched)


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

from pelican.writers import FileOverwriteFailedError  # noqa: E402


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
