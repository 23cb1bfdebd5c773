"""Building blocks for tests: write content files, build a site, read it back.

Import these with ``from sitekit import ...`` (a module name no other folder's
conftest.py can shadow); the fixtures live in conftest.py.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from pathlib import Path

from bs4 import BeautifulSoup

import kring  # noqa: F401  (puts plugins/ on sys.path)

ROOT = Path(__file__).resolve().parent.parent
DEV_SETTINGS = str(ROOT / "pelicanconf.py")
SHARED = ROOT.parent / "shared"
# The outside corpora CI keeps in ../shared/corpora (a clone has none): where each comes from.
CORPUS_SOURCES = {
    "twir": "the content/ folder of https://github.com/rust-lang/this-week-in-rust (commit d592478f2b2f)",
    "feedparser-tests": "the tests/ folder and LICENSE of https://github.com/kurtmckee/feedparser (commit a22c5521cbb1)",
}


def shared_corpus(name: str, *inner: str) -> Path | None:
    """../shared/corpora/<name>/<inner...> when present, else None (say why with missing_corpus)."""
    path = SHARED.joinpath("corpora", name, *inner)
    return path if path.is_dir() else None


def missing_corpus(name: str, *inner: str) -> str:
    """The skip reason: what is missing, where it goes, where to get it."""
    where = SHARED.joinpath("corpora", name, *inner)
    return (f"needs the {name} corpus at {where}, which a clone does not have: "
            f"put {CORPUS_SOURCES[name]} there to run it (CI has it)")


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

