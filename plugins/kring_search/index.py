"""The Pagefind search index, built after every Pelican run.

Pagefind reads the written HTML and indexes what sits inside
``data-pagefind-body`` (the theme puts it on articles, profiles, groups and
every other content page, not on listings). One language is forced for the
whole index so a Dutch page also finds English articles and vice versa.

Indexing takes seconds and most rebuilds (live reload, a rebuild with nothing
changed) leave every HTML file as it was, so ``update_index`` keeps a digest
of what Pagefind last read and skips it when nothing it reads changed.
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
import subprocess
import sys
from importlib import metadata

logger = logging.getLogger(__name__)


def command(output_path: str, language: str, bundle: str) -> list[str]:
    return [sys.executable, "-m", "pagefind", "--site", output_path, "--output-path", bundle,
            "--force-language", language, "--silent"]


INDEX_FOLDER = "pagefind"
INDEX_FOLDERS = {INDEX_FOLDER, f"{INDEX_FOLDER}.new", f"{INDEX_FOLDER}.old"}  # the index, and while it is replaced
INDEX_FILES = ("pagefind.js", "pagefind-entry.json")  # gone: the index must be built again


def html_digest(output_path: str, language: str) -> str:
    """What Pagefind reads: the content of every HTML file (its default glob), the language, its version."""
    digest = hashlib.sha256(f"{language}\0{metadata.version('pagefind')}\0".encode())
    for folder, dirs, names in os.walk(output_path):
        dirs[:] = sorted(d for d in dirs if not (folder == output_path and d in INDEX_FOLDERS))
        for name in sorted(names):
            if name.endswith(".html"):
                path = os.path.join(folder, name)
                with open(path, "rb") as f:
                    content = hashlib.sha256(f.read()).digest()
                digest.update(os.path.relpath(path, output_path).encode() + b"\0" + content)
    return digest.hexdigest()


def stamp_path(stamp_folder: str, output_path: str) -> str:
    key = hashlib.sha256(os.path.abspath(output_path).encode()).hexdigest()[:16]
    return os.path.join(stamp_folder, f"search-index-{key}.digest")


def _read(path: str) -> str | None:
    try:
        with open(path, encoding="utf-8") as f:
            return f.read()
    except OSError:
        return None


def update_index(output_path: str, language: str, stamp_folder: str | None) -> bool:
    """Build the index unless the HTML is what it was last time (the digest is kept in stamp_folder)."""
    if not stamp_folder or not os.path.isdir(stamp_folder):
        return build_index(output_path, language)
    stamp = stamp_path(stamp_folder, output_path)
    digest = html_digest(output_path, language)
    index_there = all(os.path.isfile(os.path.join(output_path, INDEX_FOLDER, n)) for n in INDEX_FILES)
    if index_there and _read(stamp) == digest:
        logger.debug("Search index is up to date; Pagefind not run")
        return True
    if os.path.exists(stamp):
        os.remove(stamp)  # a failed or interrupted run must not leave a stale digest behind
    if not build_index(output_path, language):
        return False
    with open(stamp, "w", encoding="utf-8") as f:
        f.write(digest)
    return True


def build_index(output_path: str, language: str) -> bool:
    """Run Pagefind into a new folder that then replaces the old one; a failure is logged (the site is still fine).

    Pagefind names its files after their content and never removes any, so
    indexing into the old folder would leave the chunks of every earlier
    index behind.
    """
    final = os.path.join(output_path, INDEX_FOLDER)
    fresh, old = f"{final}.new", f"{final}.old"
    for leftover in (fresh, old):
        shutil.rmtree(leftover, ignore_errors=True)
    try:
        result = subprocess.run(command(output_path, language, os.path.abspath(fresh)),
                                capture_output=True, text=True, timeout=300)
    except (OSError, subprocess.TimeoutExpired) as err:
        logger.error("Search index not built: %s", err)
        return False
    if result.returncode:
        logger.error("Search index not built (pagefind exit %s): %s", result.returncode,
                     (result.stderr or result.stdout).strip()[-2000:])
        shutil.rmtree(fresh, ignore_errors=True)
        return False
    if os.path.isdir(final):
        os.rename(final, old)
    os.rename(fresh, final)  # the live server serves the old index until here
    shutil.rmtree(old, ignore_errors=True)
    return True
