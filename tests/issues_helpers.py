"""Helpers for the issue tests: a small magazine with issues, built in its own folder."""

from __future__ import annotations

from pathlib import Path

from sitekit import DEV_SETTINGS, ROOT, Site, article, group, member, write_files
from kring.build import build

PUBLISH_SETTINGS = str(ROOT / "publishconf.py")
FAST = {"KRING_SEARCH_INDEX": False, "DEFAULT_LANG": "en"}  # Pagefind is tested elsewhere; English msgids


def issue_file(number, title, date="2026-03-01", **fields) -> tuple[str, str]:
    lines = [f"Number: {number}", f"Title: {title}", f"Date: {date}"] + [f"{k}: {v}" for k, v in fields.items()]
    return f"issues/{number}.md", "\n".join(lines) + f"\n\nRedactioneel van nummer {number}.\n"


def people() -> dict[str, str]:
    return dict([
        group("itil", "Servicemanagement"),
        member("anna", "Anna de Vries", Groups="itil"),
        member("bram", "Bram Mulder"),
    ])


def build_into(folder: Path, files: dict[str, str], settings: str = DEV_SETTINGS, **overrides) -> Site:
    content, output = folder / "content", folder / "output"
    write_files(content, files)
    build(settings, {"PATH": str(content), "OUTPUT_PATH": str(output), **FAST, **overrides})
    return Site(output)


__all__ = ["PUBLISH_SETTINGS", "article", "build_into", "issue_file", "people"]
