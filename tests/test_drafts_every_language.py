"""A draft is a draft in every language: no translation of any kind of draft leaks.

Each kind of draft below has an English translation (`Lang: en`, same `Slug`)
that says nothing about being a draft. The published build must not contain
any of their words in any file: pages, feeds, tags, experts, sitemap,
newsletters, the search index (Pagefind's files are gzipped: read unpacked).
A published article and page with translations are the control: their words
must be found, so the search for leaks cannot pass by finding nothing.

To cover a new kind of content with drafts (events, presentations), add a
function to DRAFT_KINDS that returns its files and the words only its draft
and translation contain.
"""

from __future__ import annotations

import gzip
import zlib

import pytest

from issues_helpers import PUBLISH_SETTINGS, issue_file, people
from kring.build import build
from sitekit import DEV_SETTINGS, article, write_files


def translated(slug: str, words: str, path: str = "articles", **fields) -> dict[str, str]:
    """An original in Dutch and its English translation, each with its own words (title, body; the tag is shared)."""
    nl, en = f"{words}nl", f"{words}en"
    original = "\n".join([f"Title: Titel {nl}title", f"Slug: {slug}", "Date: 2026-05-01 10:00", "Authors: anna",
                          f"Tags: {nl}tag"] + [f"{k}: {v}" for k, v in fields.items()])
    translation = "\n".join([f"Title: Title {en}title", f"Slug: {slug}", "Lang: en", "Date: 2026-05-01 10:00",
                             "Authors: anna", f"Tags: {nl}tag"])  # Pelican writes no tag pages of translations
    if path == "pages":
        original, translation = (t.replace("Authors: anna\n", "") for t in (original, translation))
    return {f"{path}/{slug}.md": f"{original}\n\nDe tekst {nl}body.\n",
            f"{path}/{slug}-en.md": f"{translation}\n\nThe text {en}body.\n"}


def draft_article():
    return translated("geheim-concept", "qqdraftart", Status="draft"), ["qqdraftart", "geheim-concept"]


def article_of_a_draft_issue():
    return translated("geheim-nummer", "qqdraftissue", Issue=2), ["qqdraftissue", "geheim-nummer"]


def article_listed_by_a_draft_issue():
    # Issue 2's Articles lists it; neither the article nor its translation names the issue.
    return translated("geheim-lijst", "qqlisted"), ["qqlisted", "geheim-lijst"]


def article_of_a_future_issue():
    return translated("geheim-later", "qqfuture", Issue=3), ["qqfuture", "geheim-later"]


def draft_page():
    return translated("geheime-pagina", "qqdraftpage", path="pages", Status="draft"), ["qqdraftpage", "geheime-pagina"]


def _event_or_talk(folder: str, slug: str, words: str, fields: str) -> dict[str, str]:
    nl, en = f"{words}nl", f"{words}en"
    return {f"{folder}/{slug}.md": f"Title: Titel {nl}title\n{fields}Status: draft\n\nDe tekst {nl}body.\n",
            f"{folder}/{slug}-en.md": f"Title: Title {en}title\nSlug: {slug}\nLang: en\n{fields}\nThe text {en}body.\n"}


def draft_event():
    fields = "Start: 2026-12-10 16:00\nDuration: 1h\nLocation: Utrecht\nOrganisers: anna\n"
    return _event_or_talk("events", "geheim-event", "qqdraftevent", fields), ["qqdraftevent", "geheim-event"]


def draft_presentation():
    fields = "Date: 2026-10-08\nSpeakers: anna\n"
    return _event_or_talk("presentations", "geheim-talk", "qqdrafttalk", fields), ["qqdrafttalk", "geheim-talk"]


DRAFT_KINDS = [draft_article, article_of_a_draft_issue, article_listed_by_a_draft_issue, article_of_a_future_issue,
               draft_page, draft_event, draft_presentation]


def magazine() -> tuple[dict[str, str], list[str], list[str]]:
    files = {**people(), **dict([
        issue_file(1, "Een", "2026-03-01", Articles="open-artikel"),
        issue_file(2, "In wording", "2026-06-01", Status="draft", Articles="geheim-nummer, geheim-lijst"),
        issue_file(3, "Volgend jaar", "2099-01-01"),
    ])}
    files.update(translated("open-artikel", "qqpublicart"))
    files.update(translated("open-pagina", "qqpublicpage", path="pages"))
    hidden = []
    for kind in DRAFT_KINDS:
        more, words = kind()
        files.update(more)
        hidden += words
    return files, hidden, ["qqpublicartnl", "qqpublicarten", "qqpublicpagenl", "qqpublicpageen"]


def readable(data: bytes) -> str:
    """A file's text; gzipped files (Pagefind's index) unpacked first."""
    if data[:2] == b"\x1f\x8b":
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError, zlib.error):
            pass
    return data.decode("utf-8", errors="replace").lower()


def texts(output) -> dict[str, str]:
    return {p.relative_to(output).as_posix(): readable(p.read_bytes()) for p in output.rglob("*") if p.is_file()}


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    base = tmp_path_factory.mktemp("drafts")
    files, hidden, public = magazine()
    write_files(base / "content", files)
    build(PUBLISH_SETTINGS, {"PATH": str(base / "content"), "OUTPUT_PATH": str(base / "output"),
                             "KRING_FEED_ARCHIVE": str(base / "var.sqlite"), "DEFAULT_LANG": "nl"})
    return texts(base / "output"), hidden, public


def test_the_search_reads_every_file_kind_including_the_search_index(published):
    found, _hidden, public = published
    assert any(name.startswith("pagefind/") for name in found), "the search index was built"
    for word in public:
        where = [name for name, text in found.items() if word in text]
        assert any(n.startswith("pagefind/") for n in where), f"{word} is not in the search index"
        assert any(n.endswith(".html") for n in where) and any(n.endswith(".xml") for n in where) or "page" in word, where


@pytest.mark.parametrize("kind", DRAFT_KINDS, ids=lambda k: k.__name__)
def test_no_word_of_a_draft_or_its_translation_is_published(published, kind):
    found, _hidden, _public = published
    _files, words = kind()
    for word in words:
        for variant in {word, f"{word}nl", f"{word}en"} if not word.startswith("geheim") else {word}:
            leaks = sorted(name for name, text in found.items() if variant in text)
            assert not leaks, f"{variant} ({kind.__name__}) is published in {leaks}"


def test_in_preview_the_translations_of_drafts_are_drafts_too(tmp_path):
    files, hidden, _public = magazine()
    write_files(tmp_path / "content", files)
    build(DEV_SETTINGS, {"PATH": str(tmp_path / "content"), "OUTPUT_PATH": str(tmp_path / "output"),
                         "KRING_FEED_ARCHIVE": str(tmp_path / "var.sqlite"), "KRING_SEARCH_INDEX": False})
    found = texts(tmp_path / "output")
    for slug in ("geheim-concept", "geheim-nummer", "geheim-lijst", "geheim-later"):
        assert f"drafts/articles/{slug}/en/index.html" in found, slug
        assert f"articles/{slug}/en/index.html" not in found, slug
    assert "drafts/pages/geheime-pagina/en/index.html" in found
    assert "articles/open-artikel/en/index.html" in found


def test_the_translation_of_a_hidden_article_is_hidden_too(tmp_path):
    """Hidden (written, never listed) is passed on like draft: the translation is not listed either."""
    # Without tags: a hidden article's tag links lead to tag pages Pelican does not write (a separate matter).
    untagged = {name: "\n".join(l for l in text.splitlines() if not l.startswith("Tags:")) + "\n"
                for name, text in translated("verstopt", "qqhidden", Status="hidden").items()}
    files = {**people(), **untagged}
    write_files(tmp_path / "content", files)
    build(PUBLISH_SETTINGS, {"PATH": str(tmp_path / "content"), "OUTPUT_PATH": str(tmp_path / "output"),
                             "KRING_FEED_ARCHIVE": str(tmp_path / "var.sqlite"), "KRING_SEARCH_INDEX": False})
    found = texts(tmp_path / "output")
    assert "qqhiddenen" in found["articles/verstopt/en/index.html"], "a hidden article's pages are written"
    listed = sorted(name for name, text in found.items() if "qqhiddenen" in text and "articles/verstopt/" not in name)
    assert not listed, f"the translation of a hidden article is listed in {listed}"
