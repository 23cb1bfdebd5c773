"""Shared fixtures: build a whole Kring site into a temporary folder."""

from __future__ import annotations

import os

import pytest

from kring.build import build
from sitekit import DEV_SETTINGS, Site, article, group, member, write_files


@pytest.fixture
def make_site(tmp_path):
    """make_site({"articles/a.md": "Title: ...", ...}, SETTING=value) -> Site."""

    def _make(files: dict[str, str], settings_file: str = DEV_SETTINGS, **overrides) -> Site:
        content = tmp_path / "content"
        output = tmp_path / "output"
        write_files(content, files)
        archive = str(tmp_path / "var" / "community.sqlite")  # never the developer's own archive
        build(settings_file, {"PATH": str(content), "OUTPUT_PATH": str(output), "KRING_FEED_ARCHIVE": archive, **overrides})
        return Site(output)

    return _make


@pytest.fixture(scope="session")
def demo_site(tmp_path_factory) -> Site:
    """The demo magazine in content/, built once for the whole session."""
    base = tmp_path_factory.mktemp("demo")
    output = base / "output"
    build(DEV_SETTINGS, {"OUTPUT_PATH": str(output), "KRING_FEED_ARCHIVE": str(base / "var" / "community.sqlite")})
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


def pytest_collection_modifyitems(session, config, items):
    """Run the browser suite last: Playwright's sync API leaves an asyncio loop
    running in the main thread, which would break the feed fetcher's tests."""
    items.sort(key=lambda item: "tests/browser/" in item.nodeid)
