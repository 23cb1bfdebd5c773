"""The editor's loop on the demo itself: `make serve`, save, see.

A copy of the project (what `make serve` needs: tasks.py, pelicanconf.py,
content/, theme/, plugins/, kring/) runs `invoke serve` -- the command `make
serve` hands over to -- in its own process, as an editor starts it. The demo
has local feed files, so every rebuild refreshes them inside the live server's
event loop. The test edits the copy the way an editor does and reads the pages
over HTTP and the terminal as the editor would.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest
from bs4 import BeautifulSoup

from sitekit import ROOT

pytestmark = pytest.mark.slow

WHAT_SERVE_NEEDS = ("tasks.py", "pelicanconf.py", "content", "theme", "plugins", "kring")
ARTICLE = Path("content/articles/2026/samenwerking-is-de-echte-kracht.md")
ARTICLE_URL = "/articles/samenwerking-is-de-echte-kracht/"
ORIGINAL_TITLE = "Title: Niet de marketing, maar de samenwerking"
FEED = Path("content/feeds/anna-de-vries.xml")
START_TIMEOUT = 180.0  # the first build of the whole demo on a busy machine
EDIT_TIMEOUT = 90.0  # one rebuild of the demo


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Terminal:
    """What `make serve` prints, collected line by line while it runs."""

    def __init__(self, process: subprocess.Popen):
        self.lines: list[str] = []
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._read, args=(process.stdout,), daemon=True)
        self._thread.start()

    def _read(self, stream) -> None:
        for line in stream:
            with self._lock:
                self.lines.append(line)

    @property
    def text(self) -> str:
        with self._lock:
            return "".join(self.lines)

    def since(self, mark: int) -> str:
        with self._lock:
            return "".join(self.lines[mark:])

    def mark(self) -> int:
        with self._lock:
            return len(self.lines)


class LiveServer:
    def __init__(self, project: Path):
        self.project = project
        self.port = _free_port()
        env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}  # the copy's own kring/, not ours
        self.process = subprocess.Popen(
            [sys.executable, "-m", "invoke", "serve", "--host", "127.0.0.1", "--port", str(self.port)],
            cwd=project, env={**env, "PYTHONUNBUFFERED": "1"}, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            text=True, start_new_session=True,  # its own process group: Pagefind children are stopped with it
        )
        self.terminal = Terminal(self.process)
        # One client for every poll: each new client loads the CA bundle again (tens of ms).
        self.http = httpx.Client(base_url=f"http://127.0.0.1:{self.port}", timeout=10)

    def get(self, url: str) -> httpx.Response:
        return self.http.get(url)

    def wait_for(self, what: str, predicate, timeout: float = EDIT_TIMEOUT) -> None:
        """Poll until predicate() is true; fail with the terminal's output if not."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.assert_healthy()
            try:
                if predicate():
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.3)
        pytest.fail(f"{what} within {timeout:.0f} s. The terminal said:\n{self.terminal.text[-4000:]}")

    def assert_healthy(self) -> None:
        text = self.terminal.text
        assert "Traceback" not in text, f"the live server printed a traceback:\n{text[-6000:]}"
        assert self.process.poll() is None, f"the live server stopped ({self.process.returncode}):\n{text[-4000:]}"

    def stop(self) -> None:
        self.http.close()
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=15)
        except ProcessLookupError:
            pass
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=15)


@pytest.fixture
def project(tmp_path) -> Path:
    """A copy of the project with the demo, as an editor's clone has it (no output/, cache/, var/)."""
    copy = tmp_path / "kring"
    copy.mkdir()
    junk = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in WHAT_SERVE_NEEDS:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, copy / name, ignore=junk)
        else:
            shutil.copy2(source, copy / name)
    return copy


def _save(path: Path, text: str) -> None:
    """Save as an editor's editor does: the whole file, a new modification time."""
    path.write_text(text, encoding="utf-8")


def _title(page: str) -> str | None:
    heading = BeautifulSoup(page, "lxml").h1
    return heading.get_text(strip=True) if heading else None


def test_make_serve_on_the_demo_follows_every_edit_and_keeps_the_last_good_site(project):
    article = project / ARTICLE
    original = article.read_text(encoding="utf-8")
    assert ORIGINAL_TITLE in original
    server = LiveServer(project)
    try:
        server.wait_for("the demo was never served", lambda: server.get(ARTICLE_URL).status_code == 200,
                        timeout=START_TIMEOUT)
        assert _title(server.get(ARTICLE_URL).text) == "Niet de marketing, maar de samenwerking"
        assert "livereload.js" in server.get(ARTICLE_URL).text  # the editor's browser is told to reload

        # 1. A new title shows up on the article's page.
        _save(article, original.replace(ORIGINAL_TITLE, "Title: Samenwerking verslaat bereik"))
        server.wait_for("the edited title never showed up",
                        lambda: _title(server.get(ARTICLE_URL).text) == "Samenwerking verslaat bereik")

        # 2. Mistakes: the terminal names the file and the field; the last good page stays up.
        for mistake, field, problem in [
            (("Date: 2026-01-12 09:00", "Date: 12 januari"), "Date", "'12 januari' is not a date"),
            (("Authors: femke-van-der-linden", "Authors: femke-van-der-lnden"), "Authors",
             "'femke-van-der-lnden' is not a member. Did you mean"),
        ]:
            mark = server.terminal.mark()
            broken = original.replace(ORIGINAL_TITLE, "Title: Dit mag niet verschijnen").replace(*mistake)
            _save(article, broken)
            expected = f"articles/2026/samenwerking-is-de-echte-kracht.md: {field}: {problem}"
            server.wait_for(f"the terminal never named the file and {field}",
                            lambda: expected in server.terminal.since(mark)
                            and "The last good build is still being served" in server.terminal.since(mark))
            page = server.get(ARTICLE_URL)
            assert page.status_code == 200 and _title(page.text) == "Samenwerking verslaat bereik"
            assert "Dit mag niet verschijnen" not in server.get("/archives/").text

        # 3. Fixed: the page follows again.
        _save(article, original.replace(ORIGINAL_TITLE, "Title: Weer goed: de samenwerking"))
        server.wait_for("the page never followed the fix",
                        lambda: _title(server.get(ARTICLE_URL).text) == "Weer goed: de samenwerking")
        server.wait_for("the archive never followed the fix",
                        lambda: "Weer goed: de samenwerking" in server.get("/archives/").text)

        # 4. A new post in one of the demo's feed files reaches /community/.
        feed = project / FEED
        published = (dt.datetime.now(dt.timezone.utc) - dt.timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M:%SZ")
        entry = f"""
  <entry>
    <title>Live bijgewerkt: de servicedesk op maandag</title>
    <link rel="alternate" type="text/html" href="https://blog.example.nl/anna-de-vries/servicedesk-maandag"/>
    <id>tag:blog.example.nl,2026:anna-de-vries/servicedesk-maandag</id>
    <published>{published}</published>
    <updated>{published}</updated>
    <summary>Waarom de maandagochtend anders verloopt sinds de tweede lijn meekijkt.</summary>
  </entry>
"""
        text = feed.read_text(encoding="utf-8")
        _save(feed, text.replace("\n  <entry>", entry + "\n  <entry>", 1))
        server.wait_for("the new feed post never reached /community/",
                        lambda: "Live bijgewerkt: de servicedesk op maandag" in server.get("/community/").text)
        server.wait_for("the new feed post never reached the member's profile",
                        lambda: "Live bijgewerkt" in server.get("/members/anna-de-vries/").text)
        server.assert_healthy()
    finally:
        server.stop()
    assert "Traceback" not in server.terminal.text, server.terminal.text[-6000:]
