"""Shared fixtures: build a whole Kring site into a temporary folder.

Every build a test makes caches into a temporary folder (Pelican's
default, CACHE_PATH = "cache", would be the developer's <cwd>/cache/, shared by
every test and by two pytest-xdist workers at once).
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
from pathlib import Path

import pelican.settings
import pytest
from jinja2 import FileSystemBytecodeCache
from pelican import signals

from kring.build import build
from sitekit import DEV_SETTINGS, Site, article, group, member, write_files

import kring_share.cache as share_image_cache  # isort: skip (plugins/ is on sys.path once kring is imported)
import kring_speed.templates as speed_templates  # isort: skip


def build_in(base: Path, files: dict[str, str], settings_file: str = DEV_SETTINGS, **overrides) -> Site:
    """Write files into base/content and build them into base/output, with base's own archive and cache."""
    content = base / "content"
    output = base / "output"
    write_files(content, files)
    isolated = {
        "PATH": str(content), "OUTPUT_PATH": str(output),
        "KRING_FEED_ARCHIVE": str(base / "var" / "community.sqlite"),  # never the developer's own archive
        "CACHE_PATH": str(base / "cache"),
    }
    build(settings_file, {**isolated, **overrides})
    return Site(output)


@pytest.fixture(scope="session", autouse=True)
def _no_cache_in_the_working_folder(tmp_path_factory):
    """A module- or session-scoped fixture's own build() call caches in a temporary folder too."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setitem(pelican.settings.DEFAULT_CONFIG, "CACHE_PATH", str(tmp_path_factory.mktemp("cache")))
        yield


def shared_by_the_run(tmp_path_factory) -> Path:
    """The test run's temporary folder, above each pytest-xdist worker's own: what every worker shares."""
    folder = tmp_path_factory.getbasetemp()
    return folder.parent if os.environ.get("PYTEST_XDIST_WORKER") else folder


@pytest.fixture(scope="session", autouse=True)
def _generated_images_shared_by_the_run(tmp_path_factory):
    """Share images and newsletter rasters are kept by a hash of everything they are drawn from,
    so every build of the run (both xdist workers too) may share one folder of them, as CI's
    persisted cache does; drawing them anew in each of ~400 builds was a quarter of each
    demo build. A test of that cache itself asks for ``own_image_cache``."""
    run_folder = shared_by_the_run(tmp_path_factory)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(share_image_cache, "folder", lambda settings: str(run_folder / "share-images"))
        yield


class RunTemplates(FileSystemBytecodeCache):
    """The run's compiled templates, also kept in memory: each build makes new environments, and
    reading and unmarshalling every template again was a twentieth of a small build."""

    def __init__(self, folder: str):
        super().__init__(folder)
        self.codes: dict = {}

    def load_bytecode(self, bucket) -> None:
        code = self.codes.get((bucket.key, bucket.checksum))
        if code is None:
            super().load_bytecode(bucket)
            code = self.codes[(bucket.key, bucket.checksum)] = bucket.code
        bucket.code = code

    def dump_bytecode(self, bucket) -> None:
        super().dump_bytecode(bucket)
        self.codes[(bucket.key, bucket.checksum)] = bucket.code


@pytest.fixture(scope="session", autouse=True)
def _templates_compiled_once_for_the_run(tmp_path_factory):
    """Each build caches its compiled templates in its own folder (and a build without kring_speed,
    the tests' reference, in none), so each of ~400 builds compiled every template again: a quarter
    of the suite's time. Jinja keys its cache by each template's source; what it leaves out (the
    Jinja options, Kring's plugins, the Jinja version) is the same in every build of a run but the
    Jinja options, which name the run's folder here. Compiled code renders what the source would."""
    run_folder = shared_by_the_run(tmp_path_factory)

    caches: dict[str, RunTemplates] = {}

    def run_wide(settings) -> str:
        options = hashlib.sha256(repr(sorted(settings["JINJA_ENVIRONMENT"].items())).encode()).hexdigest()[:16]
        return str(run_folder / "templates" / options)

    def cache_in(folder: str) -> RunTemplates:
        if folder not in caches:
            os.makedirs(folder, exist_ok=True)
            caches[folder] = RunTemplates(folder)
        return caches[folder]

    def compile_once(generator) -> None:
        if generator.env.bytecode_cache is None:
            generator.env.bytecode_cache = cache_in(run_wide(generator.settings))

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(speed_templates, "folder", run_wide)
        patch.setattr(speed_templates, "FileSystemBytecodeCache", cache_in)
        signals.generator_init.connect(compile_once, weak=False)
        try:
            yield
        finally:
            signals.generator_init.disconnect(compile_once)


@pytest.fixture
def own_image_cache(monkeypatch):
    """Images cached in the build's own cache folder, as outside the tests."""
    monkeypatch.setattr(share_image_cache, "folder", IMAGE_FOLDER_OF_THE_BUILD)


IMAGE_FOLDER_OF_THE_BUILD = share_image_cache.folder


@pytest.fixture(scope="session", autouse=True)
def _one_process_per_build():
    """pytest-xdist already keeps every core busy: a build that forks one writer per core only adds
    forks to the queue (a small site took twice as long). The tests of forked reading and
    writing (the cache equivalence, incremental and recorded-reads builds, the warm publish) ask
    for KRING_PROCESSES = 2 themselves."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setitem(pelican.settings.DEFAULT_CONFIG, "KRING_PROCESSES", 1)
        yield


@pytest.fixture(autouse=True)
def _cache_in_the_tests_own_folder(tmp_path, monkeypatch):
    """Any other build in a test (its own build() call) caches under its tmp_path."""
    monkeypatch.setitem(pelican.settings.DEFAULT_CONFIG, "CACHE_PATH", str(tmp_path / "cache"))


@pytest.fixture
def make_site(tmp_path):
    """make_site({"articles/a.md": "Title: ...", ...}, SETTING=value) -> Site.

    Builds into tmp_path (content/, output/, var/, cache/). A second call in the
    same test adds or replaces files and builds again with the same cache.
    """

    def _make(files: dict[str, str], settings_file: str = DEV_SETTINGS, **overrides) -> Site:
        return build_in(tmp_path, files, settings_file, **overrides)

    return _make


@pytest.fixture(scope="session")
def shared_site(tmp_path_factory):
    """shared_site(files, SETTING=value) -> Site, built once per test session for those files and settings.

    For tests that only read the built site: the many tests that check one
    page each of the same small site share a single build. A test that edits
    and rebuilds, reads the build's log or its cache uses make_site.
    """
    built: dict[str, Site] = {}

    def _shared(files: dict[str, str], settings_file: str = DEV_SETTINGS, **overrides) -> Site:
        key = repr((sorted(files.items()), settings_file, sorted(overrides.items())))
        if key not in built:
            built[key] = build_in(tmp_path_factory.mktemp("shared-site"), files, settings_file, **overrides)
        return built[key]

    return _shared


@pytest.fixture(scope="session")
def demo_site(tmp_path_factory) -> Site:
    """The demo magazine in content/, built once for the whole test run.

    The pytest-xdist workers of one run share it: the first to need it builds
    it under a lock in the run's temporary folder, the others read that build.
    """
    run_folder = shared_by_the_run(tmp_path_factory)
    base = run_folder / "demo-site"
    output = base / "output"
    with open(run_folder / "demo-site.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (base / "built").exists():
            shutil.rmtree(base, ignore_errors=True)
            build(DEV_SETTINGS, {"OUTPUT_PATH": str(output), "CACHE_PATH": str(base / "cache"),
                                 "KRING_FEED_ARCHIVE": str(base / "var" / "community.sqlite")})
            (base / "built").touch()
    return Site(output)


@pytest.fixture
def small_site():
    """A minimal valid community: two groups, three members, a few articles."""
    return dict(
        [
            group("itil", "Servicemanagement", Summary="ITIL in de praktijk", Moderators="anna"),
            group("prince2", "Projectmanagement", Members="bram"),
            member("anna", "Anna de Vries", Role="Servicemanager", Groups="itil, prince2",
                   Expertise="ITIL, SLA's", Links="https://example.nl/anna", Email="anna@example.nl"),
            member("bram", "Bram Mulder", Role="Projectleider", Groups="prince2"),
            member("geheim", "Gerrit Geheim", Visibility="hidden", Groups="itil", Email="gerrit@example.nl"),
            article("samen", "Samen sterk", Authors="Anna de Vries, bram", Groups="itil, prince2", Tags="samenwerking"),
            article("solo", "Alleen Anna", date="2026-06-01 10:00", Authors="anna", Groups="itil", Tags="itil"),
            article("met-geheim", "Met een verborgen auteur", date="2026-04-01 10:00", Authors="anna, Gerrit Geheim", Groups="itil"),
        ]
    )


os.environ.setdefault("TZ", "Europe/Amsterdam")

BROWSER = "tests/browser/"


def pytest_collection_modifyitems(session, config, items):
    """Mark the browser and slow tests; run the browser suite last.

    Playwright's sync API leaves an asyncio loop running in the main thread,
    which would break the feed fetcher's tests. A test that needs the whole demo
    built counts as slow: the quick part (-m "not slow and not browser") never builds it.
    """
    for item in items:
        if BROWSER in item.nodeid:
            item.add_marker(pytest.mark.browser)
        if "demo_site" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.slow)
    items.sort(key=lambda item: BROWSER in item.nodeid)
