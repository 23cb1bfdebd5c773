"""kring_speed must never change a byte: the demo with and without every cache.

The demo is built three times: plain (KRING_SPEED = False: no cache, one
process), then twice with the content cache, read-ahead and split writing on
two processes: once filling the cache, once reading from it. Every output
file must be identical. Further tests check that the cache follows edits and
settings, which Pelican's own cache does not.
"""

from __future__ import annotations

import logging
import pickle
from pathlib import Path

import pytest

from sitekit import DEV_SETTINGS, article
from kring.build import build, load_settings
from kring.feeds.cli import fetch

FAST = {"KRING_SPEED": True, "KRING_PROCESSES": 2, "KRING_READ_AHEAD_MIN": 1}


def build_tree(output: Path, **overrides) -> dict[str, bytes]:
    build(DEV_SETTINGS, {"OUTPUT_PATH": str(output), **overrides})
    return {p.relative_to(output).as_posix(): p.read_bytes() for p in sorted(output.rglob("*")) if p.is_file()}


def read_feed_files(**overrides) -> None:
    """Read the demo's feed files into the archive, as a first build does, without building: every
    build after says "not modified" on the maintainers' status page (the first says "fetched")."""
    assert fetch(load_settings(DEV_SETTINGS, overrides), progress=False, local_only=True)


def cached_paths(cache: Path) -> set[str]:
    """Source files whose reader output the Kring cache holds."""
    (readers_cache,) = cache.glob("kring-*/ArticlesGenerator-Readers")
    with open(readers_cache, "rb") as f:
        return {path for path, (_stamp, blob) in pickle.load(f).items() if isinstance(blob, bytes)}


def assert_same_site(expected: dict[str, bytes], actual: dict[str, bytes]) -> None:
    assert sorted(actual) == sorted(expected)
    differing = [name for name in expected if expected[name] != actual[name]]
    assert differing == [], f"{len(differing)} files differ, e.g. {differing[:5]}"


@pytest.mark.slow
def test_demo_is_byte_for_byte_the_same_with_and_without_caches(tmp_path, caplog):
    # One feed archive for all builds, read once beforehand.
    archive = {"KRING_FEED_ARCHIVE": str(tmp_path / "var" / "community.sqlite")}
    read_feed_files(**archive)
    plain = build_tree(tmp_path / "plain", KRING_SPEED=False, **archive)
    # KRING_SPEED = False: no kring_speed cache (the test's CACHE_PATH is tmp_path/cache; the events'
    # and search plugins keep their own small caches there whatever KRING_SPEED says).
    assert not list((tmp_path / "cache").glob("kring-*"))
    fast = dict(FAST, CACHE_PATH=str(tmp_path / "cache"), **archive)
    with caplog.at_level(logging.DEBUG, logger="kring_speed"):
        cold = build_tree(tmp_path / "cold", **fast)
    assert any("rendered by 2 processes" in r.getMessage() for r in caplog.records)
    assert any(r.getMessage().startswith("Read ") and "on 2 cores" in r.getMessage() for r in caplog.records)
    articles = {str(p) for p in (Path(DEV_SETTINGS).parent / "content" / "articles").rglob("*.md")}
    assert articles <= cached_paths(tmp_path / "cache")
    warm = build_tree(tmp_path / "warm", **fast)
    assert len(plain) > 100
    assert_same_site(plain, cold)
    assert_same_site(plain, warm)


@pytest.fixture
def community(small_site):
    files = dict(small_site)
    files.update(dict([
        article(f"stuk-{i}", f"Stuk {i}", date=f"2026-03-{i + 1:02d} 10:00", Authors="anna", Groups="itil",
                body=f"## Kop {i}\n\nTekst over @bram en `code {i}`.")
        for i in range(12)
    ]))
    return files


def test_an_edited_article_is_read_again(make_site, community, tmp_path):
    site = make_site(community, CACHE_PATH=str(tmp_path / "cache"), **FAST)
    assert "Kop 3" in site.text("/articles/stuk-3/")
    untouched = site.path("/articles/stuk-4/").stat()
    edited = tmp_path / "content" / "articles" / "stuk-3.md"
    edited.write_text(edited.read_text(encoding="utf-8").replace("Kop 3", "Nieuwe kop"), encoding="utf-8")
    site = make_site({}, CACHE_PATH=str(tmp_path / "cache"), **FAST)
    assert "Nieuwe kop" in site.text("/articles/stuk-3/")
    assert "Kop 4" in site.text("/articles/stuk-4/")
    # A page whose content did not change is not rewritten (live reload and rsync see no change).
    again = site.path("/articles/stuk-4/").stat()
    assert (again.st_ino, again.st_mtime_ns) == (untouched.st_ino, untouched.st_mtime_ns)


def test_a_changed_markdown_setting_is_not_served_from_the_cache(make_site, community, tmp_path):
    site = make_site(community, CACHE_PATH=str(tmp_path / "cache"), **FAST)
    assert not site.soup("/articles/stuk-5/").select("h2 a.headerlink")
    markdown = {
        "extension_configs": {"markdown.extensions.toc": {"permalink": True}, "markdown.extensions.meta": {}},
        "output_format": "html5",
    }
    site = make_site({}, CACHE_PATH=str(tmp_path / "cache"), MARKDOWN=markdown, **FAST)
    assert site.soup("/articles/stuk-5/").select("h2 a.headerlink")
    assert len(list((tmp_path / "cache").glob("kring-*"))) == 2


def test_a_clash_found_while_writing_on_two_processes_stops_the_build(make_site, community, tmp_path):
    """A page claiming a tag listing's URL is only found while writing, in both processes."""
    from kring_core.errors import BuildStopped

    files = dict(community)
    files["pages/botsing.md"] = "Title: Botsing\nSlug: tags/itil\n\nTekst.\n"
    before = child_processes()
    with pytest.raises(BuildStopped) as stopped:
        make_site(files, CACHE_PATH=str(tmp_path / "cache"), **FAST)
    message = str(stopped.value)
    assert "botsing.md" in message and "tags/itil/index.html" in message
    assert child_processes() <= before  # the helper process was not left behind


def child_processes() -> set[str]:
    """Process ids of this process's children (Linux)."""
    found = set()
    for children in Path("/proc/self/task").glob("*/children"):
        found |= set(children.read_text().split())
    return found


def test_a_mistake_in_a_file_read_ahead_is_reported_once_as_usual(make_site, community, tmp_path):
    from kring_core.errors import BuildStopped

    files = dict(community)
    files.update(dict([article("kapot", "Kapotte datum", date="31-02-gisteren", Authors="anna")]))
    with pytest.raises(BuildStopped) as stopped:
        make_site(files, CACHE_PATH=str(tmp_path / "cache"), **FAST)
    message = str(stopped.value)
    assert message.count("'31-02-gisteren' is not a date") == 1
    assert "kapot.md" in message


def test_the_cache_stays_inside_the_cache_path_whatever_its_name(make_site, small_site, tmp_path):
    """A CACHE_PATH named kring-something is not mistaken for one of Kring's own cache folders.

    It was: the cache then went to its parent folder, out of reach of whoever
    empties CACHE_PATH (the benchmark's cold builds were warm), and old
    kring-* folders beside it were pruned.
    """
    import os

    neighbour = tmp_path / "kring-output-old"
    neighbour.mkdir()
    os.utime(neighbour, (0, 0))  # older than the grace hour
    make_site(small_site, CACHE_PATH=str(tmp_path / "kring-cache"))
    assert [p.name for p in (tmp_path / "kring-cache").iterdir() if p.name.startswith("kring-")]
    assert not [p for p in tmp_path.iterdir() if p.name.startswith("kring-") and len(p.name) == 22]
    assert neighbour.exists()
