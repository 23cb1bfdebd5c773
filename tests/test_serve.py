"""Live reload: an edit shows up without a restart; a mistake keeps the last good site."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time

import httpx
import pytest

from sitekit import DEV_SETTINGS, ROOT, article, write_files
from kring.serve import Rebuilder


def test_rebuilder_reuses_pelican_and_resets_state_between_runs(tmp_path, small_site):
    write_files(tmp_path / "content", small_site)
    output = tmp_path / "output"
    rebuild = Rebuilder(DEV_SETTINGS, {"PATH": str(tmp_path / "content"), "OUTPUT_PATH": str(output)})
    assert rebuild() is True
    first = rebuild.pelican
    page = output / "articles" / "solo" / "index.html"
    assert "Alleen Anna" in page.read_text()

    # A mistake: the build stops, the last good page stays.
    write_files(tmp_path / "content", dict([article("solo", "Alleen Anna", Authors="onbekend")]))
    assert rebuild() is False
    assert "Alleen Anna" in page.read_text()

    # Fixed: the same Pelican instance builds again, the old problem is forgotten.
    write_files(tmp_path / "content", dict([article("solo", "Anna alleen", Authors="anna")]))
    assert rebuild() is True
    assert rebuild.pelican is first
    assert "Anna alleen" in page.read_text()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# One client for every poll: each new client loads the CA bundle again (tens of ms).
LOCAL = httpx.Client(timeout=10)


def _wait_for(predicate, timeout=30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if predicate():
                return True
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    return False


@pytest.mark.slow
def test_serve_shows_an_edit_without_restart(tmp_path, small_site):
    write_files(tmp_path / "content", small_site)
    port = _free_port()
    overrides = {"PATH": str(tmp_path / "content"), "OUTPUT_PATH": str(tmp_path / "output"),
                 "CACHE_PATH": str(tmp_path / "cache")}
    code = f"import kring; from kring.serve import serve; serve({DEV_SETTINGS!r}, host='127.0.0.1', port={port}, overrides={overrides!r})"
    server = subprocess.Popen(
        [sys.executable, "-c", code], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    url = f"http://127.0.0.1:{port}/articles/solo/"
    try:
        assert _wait_for(lambda: "Alleen Anna" in LOCAL.get(url).text), "the site was never served"
        html = LOCAL.get(url).text
        assert "livereload.js" in html  # the browser is told to reload
        # ... by an inline script that the preview's Content-Security-Policy allows by its hash
        import base64
        import hashlib

        from bs4 import BeautifulSoup

        soup = BeautifulSoup(html, "lxml")
        live = next(s.string for s in soup.find_all("script") if s.string and "livereload.js" in s.string)
        digest = base64.b64encode(hashlib.sha256(live.encode()).digest()).decode()
        policy = soup.select_one('meta[http-equiv="Content-Security-Policy"]')["content"]
        assert f"'sha256-{digest}'" in policy
        write_files(tmp_path / "content", dict([article("solo", "Bewerkt door de redactie", Authors="anna")]))
        assert _wait_for(lambda: "Bewerkt door de redactie" in LOCAL.get(url).text), "the edit never showed up"
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_the_live_server_serves_the_pages_while_the_search_index_follows(tmp_path, small_site):
    import gzip

    import kring_search

    output = tmp_path / "output"
    rebuild = Rebuilder(DEV_SETTINGS, {"PATH": str(tmp_path / "content"), "OUTPUT_PATH": str(output),
                                       "CACHE_PATH": str(tmp_path / "cache")})

    def indexed_text() -> str:
        fragments = (output / "pagefind" / "fragment").glob("*.pf_fragment")
        return " ".join(gzip.decompress(f.read_bytes()).decode("utf-8", "replace") for f in fragments)

    write_files(tmp_path / "content", small_site)
    assert rebuild() is True
    kring_search.wait_for_search_index()
    assert "Alleen Anna" in indexed_text()

    write_files(tmp_path / "content", dict([article("solo", "Alleen Anna", Authors="anna", body="Een zeldzaamwoord.")]))
    assert rebuild() is True
    assert "zeldzaamwoord" in (output / "articles" / "solo" / "index.html").read_text()
    assert kring_search.search_job()  # the run returned without waiting for Pagefind
    kring_search.wait_for_search_index()
    assert "zeldzaamwoord" in indexed_text()
    assert not (output / "pagefind.new").exists() and not (output / "pagefind.old").exists()

    # A save while Pagefind still runs: that index is abandoned and the new run indexes again.
    write_files(tmp_path / "content", dict([article("solo", "Alleen Anna", Authors="anna", body="Een ander woord.")]))
    assert rebuild() is True
    running = kring_search.search_job()
    write_files(tmp_path / "content", dict([article("solo", "Alleen Anna", Authors="anna", body="Een laatstewoord.")]))
    assert rebuild() is True
    assert not running.thread.is_alive()  # stopped or finished, never left behind
    assert running.process is None or running.process.poll() is not None
    kring_search.wait_for_search_index()
    assert "laatstewoord" in indexed_text() and "ander woord" not in indexed_text()
    # Pagefind reads the searchable pages from a folder of links beside the output; none is left behind.
    assert [p.name for p in tmp_path.iterdir() if "search" in p.name] == []
