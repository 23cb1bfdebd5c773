"""Every shape of Pelican that Kring relies on (kring_core/pelican_compat.py), checked against the installed one.

A Pelican upgrade that changes one of them fails here, by name, instead of
quietly making a cache stale or a message vanish.
"""

from __future__ import annotations

import datetime
import inspect
import logging

import pytest
from pelican import generators, readers, writers
from pelican.contents import Article, Content
from pelican.generators import Generator
from pelican.readers import MarkdownReader, Readers
from pelican.settings import DEFAULT_CONFIG
from pelican.writers import Writer

from kring_core import pelican_compat


def article(**settings) -> Article:
    return Article("<p>Tekst</p>", metadata={"title": "T", "date": datetime.datetime(2026, 1, 1)},
                   settings=dict(DEFAULT_CONFIG, PATH="/site", **settings), source_path="/site/t.md", context={})


def test_the_installed_version_is_checked_with_a_clear_message():
    pelican_compat.check_version(pelican_compat.PELICAN_VERSION)
    for unsupported in ("4.11.0", "5.0.0"):
        with pytest.raises(ImportError, match=f"Pelican {unsupported} is installed"):
            pelican_compat.check_version(unsupported)


def test_a_content_body_lives_in_the_instance_as_content_and_is_read_through_memoized_methods():
    a = article()
    assert vars(a)[pelican_compat.BODY] == "<p>Tekst</p>" == pelican_compat.raw_body(a)
    a.content, a.summary
    for name in pelican_compat.MEMOIZED_BODY_METHODS:
        original = pelican_compat.PATCHED.get((Content, name), Content.__dict__[name])
        assert isinstance(original, __import__("pelican.utils").utils.memoized)
        assert (a, "") in original.cache  # keyed (content, siteurl)
    pelican_compat.forget_memoized_bodies([a])
    assert all((a, "") not in c for c in pelican_compat._memo_caches())


def test_a_class_with_its_own_get_content_is_read_through_it():
    class OwnBody(Article):
        def _get_content(self):
            return "<p>Van elders</p>"

    own = OwnBody("<p>x</p>", metadata={"title": "T", "date": datetime.datetime(2026, 1, 1)},
                  settings=dict(DEFAULT_CONFIG), source_path="/site/o.md", context={})
    assert own.content == "<p>Van elders</p>" and pelican_compat.has_own_body_getter(own)


def test_the_patched_methods_have_the_signatures_kring_wraps():
    expected = {
        (Content, "get_relative_source_path"): ["self", "source_path"],
        (Content, "get_content"): ["self", "siteurl"],
        (Content, "get_summary"): ["self", "_siteurl"],
        (Generator, "get_files"): ["self", "paths", "exclude", "extensions"],
    }
    for (cls, name), parameters in expected.items():
        original = pelican_compat.PATCHED.get((cls, name)) or cls.__dict__[name]
        function = getattr(original, "func", original)  # memoized keeps the function as .func
        assert list(inspect.signature(function).parameters) == parameters, name


def test_the_writer_methods_kring_wraps_and_overrides():
    assert pelican_compat.WRITE_FILE_ARGS == ("relative_urls", "paginated", "template_name", "override_output", "url")
    assert pelican_compat.WRITE_FEED_OPTIONS == {
        "path": None, "url": None, "feed_type": "atom", "override_output": False, "feed_title": None}
    assert list(inspect.signature(Writer._open_w).parameters) == ["self", "filename", "encoding", "override"]
    assert list(inspect.signature(Writer._add_item_to_the_feed).parameters) == ["self", "feed", "item"]
    assert set(pelican_compat.WRITER_HOOKS) <= set(vars(Writer))
    writer = Writer("/tmp/out", settings=dict(DEFAULT_CONFIG))
    assert writer._written_files == set() and writer._overridden_files == set()


def test_pelican_opens_every_file_and_adds_every_feed_entry_through_the_hooks_kring_overrides(tmp_path):
    calls = []

    class Recording(pelican_compat.WriterHooks):
        def open_file(self, filename, encoding, override):
            calls.append(("open_file", filename))
            return super().open_file(filename, encoding, override)

        def add_feed_item(self, feed, item):
            calls.append(("add_feed_item", item.title))
            return super().add_feed_item(feed, item)

    assert set(pelican_compat.WRITER_HOOKS.values()) == {"open_file", "add_feed_item"}
    for pelican_name, kring_name in pelican_compat.WRITER_HOOKS.items():
        assert pelican_name in vars(pelican_compat.WriterHooks) and kring_name in vars(pelican_compat.WriterHooks)

    class Template:
        def render(self, localcontext):
            return "pagina"

    writer = Recording(str(tmp_path), settings=dict(DEFAULT_CONFIG))
    writer.write_file("a/index.html", Template(), {})
    feed = writer.write_feed([article()], {"SITENAME": "S", "SITEURL": "https://example.org",
                                                 "FEED_DOMAIN": "https://example.org"}, "feed.xml")
    assert calls == [("open_file", str(tmp_path / "a" / "index.html")), ("add_feed_item", "T"),
                     ("open_file", str(tmp_path / "feed.xml"))]
    assert feed.items[-1]["title"] == "T"  # the entry add_feed_item added is the feed's last
    assert (tmp_path / "a" / "index.html").read_text() == "pagina" and "<title>T</title>" in (tmp_path / "feed.xml").read_text()


def test_the_writer_gives_a_page_its_file_and_site_url_and_says_writing(tmp_path, caplog):
    seen = {}

    class Template:
        def render(self, localcontext):
            seen.update(localcontext)
            return "pagina"

    writer = Writer(str(tmp_path), settings=dict(DEFAULT_CONFIG))
    with caplog.at_level(logging.INFO, logger=pelican_compat.WRITER_LOGGER):
        writer.write_file("a/index.html", Template(), {}, relative_urls=True)
    assert seen[pelican_compat.OUTPUT_FILE] == "a/index.html" and seen[pelican_compat.LOCAL_SITEURL] == ".."
    assert any(pelican_compat.is_writing_message(r) for r in caplog.records)
    written = str(tmp_path / "a" / "index.html")
    assert written in writer._written_files  # what book_output keeps Pelican's override rules with
    with pytest.raises(writers.FileOverwriteFailedError):
        pelican_compat.book_output(writer, written, False)
    assert pelican_compat.book_output(writer, written, True)
    assert pelican_compat.book_output(writer, written, False) is False  # the overriding file stays


def test_the_reader_cache_and_what_the_markdown_reader_adds_to_its_settings(tmp_path):
    settings = dict(DEFAULT_CONFIG, CACHE_PATH=str(tmp_path), CACHE_CONTENT=True, LOAD_CONTENT_CACHE=False,
                    CONTENT_CACHING_LAYER="reader")
    cached = Readers(settings, cache_name="Test")
    assert isinstance(pelican_compat.reader_cache(cached), dict)
    assert pelican_compat.reader_cache_path(cached).startswith(str(tmp_path))
    assert pelican_compat.reader_cache_saved(cached)
    assert callable(pelican_compat.filter_discardable_metadata)

    markdown = {"extension_configs": {"markdown.extensions.toc": {}}, "output_format": "html5"}
    ours = dict(settings, MARKDOWN={k: dict(v) if isinstance(v, dict) else v for k, v in markdown.items()})
    pelican_compat.markdown_extensions_added(ours)
    theirs = dict(settings, MARKDOWN={k: dict(v) if isinstance(v, dict) else v for k, v in markdown.items()})
    MarkdownReader(theirs)
    assert ours["MARKDOWN"] == theirs["MARKDOWN"]


def test_a_markdown_reader_knows_the_file_it_reads(tmp_path):
    source = tmp_path / "a.md"
    source.write_text("Title: A\n\nTekst\n", encoding="utf-8")
    reader = MarkdownReader(dict(DEFAULT_CONFIG))
    reader.read(str(source))
    assert pelican_compat.reader_source_path(reader) == str(source)



def test_a_reused_markdown_reads_every_file_as_pelicans_own_read_does(tmp_path):
    from markdown import Markdown

    files = {
        "a.md": "Title: A\nSummary: Een *korte* samenvatting\n\n# Kop\n\nTekst[^1] met \"quotes\" en HTML.\n\n"
                "[^1]: Voetnoot\n\n*[HTML]: HyperText\n\n```python\nprint(1)\n```\n",
        "b.md": "Title: B\n\n# Kop\n\nTekst zonder voetnoot; HTML zonder afkorting.\n",
        "c.md": "Title: C\nTags: x, y\n\n# Kop\n\n## Kop\n",
    }
    settings = dict(DEFAULT_CONFIG, MARKDOWN={**DEFAULT_CONFIG["MARKDOWN"], "extension_configs": {
        **DEFAULT_CONFIG["MARKDOWN"]["extension_configs"], "markdown.extensions.toc": {},
        "markdown.extensions.smarty": {}}})
    theirs, ours = MarkdownReader(dict(settings)), MarkdownReader(dict(settings))
    reused = pelican_compat.ReusedMarkdown(Markdown(**ours.settings["MARKDOWN"]))
    for name, text in [*files.items(), *files.items()]:
        (tmp_path / name).write_text(text, encoding="utf-8")
        path = str(tmp_path / name)
        assert pelican_compat.markdown_read(ours, reused.fresh(), path) == theirs.read(path)
        assert pelican_compat.reader_source_path(ours) == path

def test_the_log_messages_kring_turns_into_content_problems_are_still_logged(caplog, monkeypatch):
    from pelican import contents
    from pelican.contents import Page

    assert set(pelican_compat.SKIPPING_LOGGERS) == {generators.logger.name, readers.logger.name, contents.logger.name}
    # Any earlier build in this process left Kring's collector on the logger, which keeps the record from caplog.
    monkeypatch.setattr(contents.logger, "filters", [])
    untitled = Page("<p>x</p>", metadata={}, settings=dict(DEFAULT_CONFIG), source_path="/site/p.md", context={})
    with caplog.at_level(logging.ERROR, logger="pelican.contents"):
        assert not untitled.is_valid()
    (record,) = [r for r in caplog.records if r.msg.startswith(pelican_compat.MISSING_FIELD_MESSAGE)]
    assert record.args[0] is untitled and record.args[1] == "title"  # what the collector names
    assert pelican_compat.WRITING_MESSAGE in inspect.getsource(writers)


def test_pelicans_lists_of_content_are_on_its_generators():
    source = inspect.getsource(generators)
    for name in pelican_compat.CONTENT_LISTS:
        assert f"self.{name} = " in source or f"self.{name}:" in source, name
    assert set(pelican_compat.ARTICLE_ORIGINALS + pelican_compat.ARTICLE_TRANSLATIONS) == set(pelican_compat.ARTICLE_LISTS)
