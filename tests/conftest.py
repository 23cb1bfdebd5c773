"""Shared fixtures: build a whole Kring site into a temporary folder."""

from __future__ import annotations

import os
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

import kring  # noqa: F401  (puts plugins/ on sys.path)
from kring.build import build

ROOT = Path(__file__).resolve().parent.parent
DEV_SETTINGS = str(ROOT / "pelicanconf.py")
SHARED = ROOT.parent / "shared"


@dataclass
class Site:
    """A built site, read the way a reader's browser would get it."""

    output: Path

    def path(self, url: str) -> Path:
        rel = url.lstrip("/")
        target = self.output / rel
        if rel == "" or rel.endswith("/"):
            target = target / "index.html"
        return target

    def exists(self, url: str) -> bool:
        return self.path(url).is_file()

    def text(self, url: str) -> str:
        target = self.path(url)
        assert target.is_file(), f"{url} was not written ({target})"
        return target.read_text(encoding="utf-8")

    def soup(self, url: str) -> BeautifulSoup:
        return BeautifulSoup(self.text(url), "lxml")

    def all_files(self) -> list[Path]:
        return [p for p in self.output.rglob("*") if p.is_file()]


def write_files(base: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        target = base / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")


@pytest.fixture
def make_site(tmp_path):
    """make_site({"articles/a.md": "Title: ...", ...}, SETTING=value) -> Site."""

    def _make(files: dict[str, str], settings_file: str = DEV_SETTINGS, **overrides) -> Site:
        content = tmp_path / "content"
        output = tmp_path / "output"
        write_files(content, files)
        build(settings_file, {"PATH": str(content), "OUTPUT_PATH": str(output), **overrides})
        return Site(output)

    return _make


@pytest.fixture(scope="session")
def demo_site(tmp_path_factory) -> Site:
    """The demo magazine in content/, built once for the whole session."""
    output = tmp_path_factory.mktemp("demo") / "output"
    build(DEV_SETTINGS, {"OUTPUT_PATH": str(output)})
    return Site(output)


def member(slug: str, name: str, **fields) -> tuple[str, str]:
    """A member file: member("anna", "Anna de Vries", Groups="itil")."""
    return f"members/{slug}.md", _doc(name, fields, body=f"{name} schrijft over haar vak.")


def group(slug: str, name: str, **fields) -> tuple[str, str]:
    return f"groups/{slug}.md", _doc(name, fields, body=f"De groep {name}.")


def article(slug: str, title: str, date: str = "2026-05-01 10:00", body: str = "Tekst.", **fields) -> tuple[str, str]:
    fields = {"Slug": slug, "Date": date, **fields}
    return f"articles/{slug}.md", _doc(title, fields, body=body)


def _doc(title: str, fields: dict, body: str) -> str:
    lines = [f"Title: {title}"] + [f"{k}: {v}" for k, v in fields.items()]
    return "\n".join(lines) + "\n\n" + body + "\n"


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
