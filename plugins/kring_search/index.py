"""The Pagefind search index, built after every Pelican run.

Pagefind reads the written HTML and indexes what sits inside
``data-pagefind-body`` (the theme puts it on articles, profiles, groups and
every other content page, not on listings). One language is forced for the
whole index so a Dutch page also finds English articles and vice versa.

Indexing takes seconds and most rebuilds (live reload, a rebuild with nothing
changed) leave every HTML file as it was, so ``start_index`` keeps a digest
of what Pagefind last read and skips it when nothing it reads changed.
Pagefind is shown only the pages it indexes (hard links in a folder beside
the output): it would read every listing only to find nothing to index,
which cost a third of its time and memory. The index is the same.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import json
import logging
import zlib
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from importlib import metadata

logger = logging.getLogger(__name__)


@functools.cache
def pinned_pagefind() -> list[str]:
    """The pinned PyPI package's Pagefind binary, found as `python -m pagefind` finds it.

    Found once a process and run directly: `python -m pagefind` started an
    interpreter only to find and exec the binary, which was 60 ms of every
    index, most of it on a small site (and on every live rebuild).
    """
    from pagefind.service import get_executable

    binary = get_executable()
    return [str(binary)] if binary else [sys.executable, "-m", "pagefind"]  # (which then says what is missing)


def command(output_path: str, language: str, bundle: str, program: list[str] | None = None) -> list[str]:
    """Pagefind's command line; ``program`` (KRING_SEARCH_COMMAND) replaces the pinned package's binary."""
    return (program or pinned_pagefind()) + [
        "--site", output_path, "--output-path", bundle, "--force-language", language, "--silent"]


def check_index(folder: str) -> list[str]:
    """What is wrong with a Pagefind index folder (empty: a whole index a browser can search).

    Pagefind can exit 0 on a full disk with a truncated pagefind-entry.json;
    every file the browser loads is checked to be there and to unpack.
    """
    entry = os.path.join(folder, "pagefind-entry.json")
    try:
        with open(entry, encoding="utf-8") as f:
            languages = json.load(f)["languages"]
        if not isinstance(languages, dict) or not languages:
            raise ValueError("it lists no language")
    except OSError as err:
        return [f"{INDEX_FOLDER}/pagefind-entry.json is missing ({err.strerror})"]
    except (ValueError, KeyError, TypeError) as err:
        return [f"{INDEX_FOLDER}/pagefind-entry.json is not a Pagefind index entry ({err})"]
    problems = []
    needed = ["pagefind.js"]
    for lang in languages.values():
        needed += [f"pagefind.{lang.get('hash')}.pf_meta", f"wasm.{lang.get('wasm')}.pagefind"]
    for name in needed:
        path = os.path.join(folder, name)
        if not os.path.isfile(path) or os.path.getsize(path) == 0:
            problems.append(f"{INDEX_FOLDER}/{name} is missing or empty")
    for base, _dirs, names in os.walk(folder):
        for name in names:
            if name.endswith((".pf_meta", ".pf_index", ".pf_fragment", ".pagefind")):
                path = os.path.join(base, name)
                try:
                    with open(path, "rb") as f:
                        gzip.decompress(f.read())
                except (OSError, EOFError, zlib.error) as err:
                    problems.append(f"{os.path.relpath(path, os.path.dirname(folder))} is damaged ({err})")
    return problems


INDEX_FOLDER = "pagefind"
INDEX_FOLDERS = {INDEX_FOLDER, f"{INDEX_FOLDER}.new", f"{INDEX_FOLDER}.old"}  # the index, and while it is replaced
INDEX_FILES = ("pagefind.js", "pagefind-entry.json")  # gone: the index must be built again


BODY_MARK = b"data-pagefind-body"  # a page without it has nothing Pagefind indexes


def searchable_pages(output_path: str, language: str) -> tuple[str, list[str]]:
    """(digest, pages): the HTML Pagefind indexes, by path and content, with the language and its version."""
    digest = hashlib.sha256(f"{language}\0{metadata.version('pagefind')}\0".encode())
    pages = []
    for folder, dirs, names in os.walk(output_path):
        dirs[:] = sorted(d for d in dirs if not (folder == output_path and d in INDEX_FOLDERS))
        for name in sorted(names):
            if name.endswith(".html"):
                path = os.path.join(folder, name)
                with open(path, "rb") as f:
                    data = f.read()
                if BODY_MARK in data:
                    rel = os.path.relpath(path, output_path)
                    pages.append(rel)
                    digest.update(rel.encode() + b"\0" + hashlib.sha256(data).digest())
    return digest.hexdigest(), pages


def _link_tree(output_path: str, pages: list[str]) -> str:
    """A folder beside the output with just these pages (hard links, or copies across file systems).

    Beside it, so hard links work; in the system's temporary folder when the
    output's parent is not writable. Left-overs of a killed build are removed
    once they are an hour old (a build running at the same time may own a newer one).
    """
    prefix = f".{os.path.basename(os.path.normpath(output_path))}-search-"
    parent = os.path.dirname(os.path.abspath(output_path))
    for name in _listdir(parent):
        old = os.path.join(parent, name)
        if name.startswith(prefix) and _age(old) > 3600:
            shutil.rmtree(old, ignore_errors=True)
    try:
        tree = tempfile.mkdtemp(prefix=prefix, dir=parent)
    except OSError:
        tree = tempfile.mkdtemp(prefix=prefix.lstrip("."))
    for rel in pages:
        target = os.path.join(tree, rel)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        try:
            os.link(os.path.join(output_path, rel), target)
        except OSError:
            shutil.copyfile(os.path.join(output_path, rel), target)
    return tree


def stamp_path(stamp_folder: str, output_path: str) -> str:
    key = hashlib.sha256(os.path.abspath(output_path).encode()).hexdigest()[:16]
    return os.path.join(stamp_folder, f"search-index-{key}.digest")


def _listdir(folder: str) -> list[str]:
    try:
        return os.listdir(folder)
    except OSError:
        return []


def _age(path: str) -> float:
    try:
        return time.time() - os.path.getmtime(path)
    except OSError:
        return 0.0


def _read(path: str) -> str | None:
    try:
        with open(path, encoding="utf-8") as f:
            return f.read()
    except OSError:
        return None


class IndexJob:
    """Pagefind at work in a thread: links the searchable pages, indexes them into a new folder,
    puts that in place of the old index and stamps its digest. ``finish`` waits for it.

    Pagefind names its files after their content and never removes any, so
    indexing into the old folder would leave the chunks of every earlier
    index behind; the live server serves the old index until the swap. The
    thread lets the build go on meanwhile (the link check, or in the live
    server, serving the rebuilt pages).
    """

    def __init__(self, output_path: str, language: str, stamp: str | None, digest: str, pages: list[str],
                 program: list[str] | None = None, timeout: float = 300):
        self.output_path, self.language, self.pages = output_path, language, pages
        self.program, self.timeout = program, timeout
        self.error = ""  # why the index was not built
        self.final = os.path.join(output_path, INDEX_FOLDER)
        self.fresh, self.old = f"{self.final}.new", f"{self.final}.old"
        self.stamp, self.digest = stamp, digest
        for leftover in (self.fresh, self.old):
            shutil.rmtree(leftover, ignore_errors=True)
        if stamp and os.path.exists(stamp):
            os.remove(stamp)  # a failed or interrupted run must not leave a stale digest behind
        self.process, self.stopped, self.ok = None, False, False
        self.lock = threading.Lock()  # between starting Pagefind and stopping it
        self.thread = threading.Thread(target=self._run, name="pagefind", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        tree = None
        try:
            # No searchable page at all: Pagefind reads the whole output, as it always did.
            tree = _link_tree(self.output_path, self.pages) if self.pages else None
            with self.lock:
                if self.stopped:
                    return
                self.process = subprocess.Popen(
                    command(tree or self.output_path, self.language, os.path.abspath(self.fresh), self.program),
                    stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, errors="replace")
            output, _ = self.process.communicate(timeout=self.timeout)
            if self.stopped:  # a newer build will index again
                return
            if self.process.returncode:
                return self._fail(f"Pagefind stopped with exit status {self.process.returncode}: "
                                  f"{output.strip()[-2000:] or '(no output)'}")
            damage = check_index(self.fresh)
            if damage:
                return self._fail("Pagefind wrote an incomplete index (is the disk full?): " + "; ".join(damage[:5]))
            if os.path.isdir(self.final):
                os.rename(self.final, self.old)
            os.rename(self.fresh, self.final)
            shutil.rmtree(self.old, ignore_errors=True)
            if self.stamp:
                with open(self.stamp, "w", encoding="utf-8") as f:
                    f.write(self.digest)
            self.ok = True
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            self._fail(f"Pagefind took longer than {self.timeout:g} s (KRING_SEARCH_TIMEOUT)")
        except OSError as err:
            self._fail(f"{err.strerror or err}{f' ({err.filename})' if err.filename else ''}")
        finally:
            if tree:
                shutil.rmtree(tree, ignore_errors=True)
            if not self.ok:
                shutil.rmtree(self.fresh, ignore_errors=True)

    def _fail(self, reason: str) -> None:
        self.error = reason
        logger.error("Search index not built: %s", reason)

    def finish(self) -> bool:
        self.thread.join()
        return self.ok

    def stop(self) -> None:
        """A build that stopped (or a newer one) does not wait for this index."""
        with self.lock:
            self.stopped = True
            if self.process is not None and self.process.poll() is None:
                self.process.kill()
        self.thread.join()


def start_index(output_path: str, language: str, stamp_folder: str | None,
                program: list[str] | None = None, timeout: float = 300) -> IndexJob | None:
    """Start Pagefind unless the HTML it reads is what it was last time (the digest is kept in stamp_folder)."""
    digest, pages = searchable_pages(output_path, language)
    if not stamp_folder or not os.path.isdir(stamp_folder):
        return IndexJob(output_path, language, None, digest, pages, program, timeout)
    stamp = stamp_path(stamp_folder, output_path)
    index_there = all(os.path.isfile(os.path.join(output_path, INDEX_FOLDER, n)) for n in INDEX_FILES)
    if index_there and _read(stamp) == digest:
        logger.debug("Search index is up to date; Pagefind not run")
        return None
    return IndexJob(output_path, language, stamp, digest, pages, program, timeout)
