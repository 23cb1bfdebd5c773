"""A release goes live only when it is whole.

The search index failing in every way it can (exit status, a truncated entry
file, a damaged chunk, a timeout, a missing program), a release file that
does not parse, a read-only or full target, two publishes at once and
publishes killed half-way: the build or the publish fails with a message,
the live site stays as it was, and no staging folder is left for good.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest
from pelican import signals

from issues_helpers import PUBLISH_SETTINGS, article, issue_file, people
from kring.build import build
from kring.publish import PublishFailed, check_well_formed, publish
from kring_core import BuildFailed
from sitekit import ROOT, write_files
from test_publish import snapshot

FAKE_PAGEFIND = textwrap.dedent("""
    import glob, os, subprocess, sys, time
    mode, args = sys.argv[1], sys.argv[2:]
    out = args[args.index("--output-path") + 1]
    if mode == "fail":
        print("Error: could not write to disk", file=sys.stderr)
        sys.exit(1)
    if mode == "slow":  # until the test opens the gate, or the time is up
        gate, end = os.environ.get("FAKE_PAGEFIND_GATE"), time.time() + float(os.environ.get("FAKE_PAGEFIND_SLEEP", "60"))
        while time.time() < end and not (gate and os.path.exists(gate)):
            time.sleep(0.05)
    code = subprocess.call([sys.executable, "-m", "pagefind", *args])
    if mode == "empty-entry":
        open(os.path.join(out, "pagefind-entry.json"), "w").close()
    if mode == "cut-chunk":
        chunk = sorted(glob.glob(os.path.join(out, "fragment", "*")))[0]
        data = open(chunk, "rb").read()
        open(chunk, "wb").write(data[: len(data) // 2])
    if mode == "no-meta":
        for meta in glob.glob(os.path.join(out, "*.pf_meta")):
            os.remove(meta)
    sys.exit(code)
""")


@pytest.fixture
def fake_pagefind(tmp_path):
    script = tmp_path / "fake_pagefind.py"
    script.write_text(FAKE_PAGEFIND)
    return lambda mode: f"{sys.executable} {script} {mode}"


def magazine_files(body: str = "Tekst.") -> dict[str, str]:
    return {**people(), **dict([issue_file(1, "Een", "2026-03-01"),
                                article("nieuws", "Nieuws", Authors="anna", Issue=1, body=body)])}


def publish_into(tmp_path, target, body="Tekst.", **overrides):
    write_files(tmp_path / "content", magazine_files(body))
    settings = {"PATH": str(tmp_path / "content"), "KRING_PUBLISH_TARGET": str(target),
                "KRING_FEED_ARCHIVE": str(tmp_path / "var.sqlite"), **overrides}
    return publish(PUBLISH_SETTINGS, str(ROOT), settings)


def leftovers(target) -> list[str]:
    releases = target / "releases"
    return sorted(p.name for p in releases.iterdir() if "staging" in p.name) if releases.is_dir() else []


SEARCH_FAILURES = {
    "pagefind exits with an error": ("fail", {}, "exit status 1"),
    "pagefind-entry.json truncated to 0 bytes": ("empty-entry", {}, "pagefind-entry.json is not a Pagefind index entry"),
    "an index chunk cut in half": ("cut-chunk", {}, "is damaged"),
    "the language's meta file missing": ("no-meta", {}, ".pf_meta is missing"),
    "pagefind takes too long": ("slow", {"KRING_SEARCH_TIMEOUT": 0.5}, "took longer than 0.5 s"),
}


@pytest.mark.parametrize("name", list(SEARCH_FAILURES))
def test_a_failed_search_index_fails_the_build_and_the_publish(tmp_path, fake_pagefind, name):
    mode, extra, message = SEARCH_FAILURES[name]
    settings = {"KRING_SEARCH_COMMAND": fake_pagefind(mode), **extra}
    target = tmp_path / "live"
    first = publish_into(tmp_path, target, "Eerste versie.")
    before = snapshot(target)
    with pytest.raises(PublishFailed) as failed:
        publish_into(tmp_path, target, "Tweede versie.", **settings)
    assert "The search index was not built" in str(failed.value) and message in str(failed.value)
    assert snapshot(target) == before, "the live site changed"
    assert (target / "current").resolve() == first
    assert leftovers(target) == []
    with pytest.raises(BuildFailed, match="The search index was not built"):
        build(PUBLISH_SETTINGS, {"PATH": str(tmp_path / "content"), "OUTPUT_PATH": str(tmp_path / "out"),
                                 "KRING_FEED_ARCHIVE": str(tmp_path / "var.sqlite"), **settings})


def test_a_missing_search_program_fails_the_build_with_one_line(tmp_path):
    write_files(tmp_path / "content", magazine_files())
    conf = tmp_path / "conf.py"
    conf.write_text(f"import sys\nsys.path.insert(0, {str(ROOT)!r})\nfrom publishconf import *\n"
                    f"KRING_SEARCH_COMMAND = '/nonexistent/pagefind'\n"
                    f"KRING_FEED_ARCHIVE = {str(tmp_path / 'var.sqlite')!r}\n"
                    f"CACHE_PATH = {str(tmp_path / 'cache')!r}\n")
    run = subprocess.run([sys.executable, "-m", "kring.build", "-s", str(conf), "-c", str(tmp_path / "content"),
                          "-o", str(tmp_path / "out")], cwd=ROOT, capture_output=True, text=True)
    assert run.returncode == 1
    assert "The search index was not built" in run.stderr and "/nonexistent/pagefind" in run.stderr
    assert "Traceback" not in run.stderr


def corrupt_after_writing(relpath: str, data: bytes):
    """A finalized receiver that damages one written file, as a full disk or a bug would."""
    def damage(pelican):
        path = os.path.join(pelican.output_path, relpath)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(data)
    return damage


BROKEN_FILES = {
    "a truncated Atom feed": ("feeds/all.atom.xml", b'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Kr'),
    "a truncated OPML file": ("community/sources.opml", b'<?xml version="1.0"?><opml version="2.0"><body><outline '),
    "a sitemap that is not XML": ("sitemap.xml", b"\x00\x00\x00"),
    "an invalid JSON file": ("data/members.json", b'{"members": [1, 2,'),
    "an empty calendar": ("events/calendar.ics", b""),
    "a calendar that is not iCalendar": ("events/calendar.ics", b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\n"),
    "an empty page": ("articles/nieuws/index.html", b""),
    "an empty search index entry": ("pagefind/pagefind-entry.json", b""),
}


@pytest.mark.parametrize("name", list(BROKEN_FILES))
def test_a_release_file_that_does_not_parse_is_never_published(tmp_path, name):
    relpath, data = BROKEN_FILES[name]
    target = tmp_path / "live"
    publish_into(tmp_path, target, "Eerste versie.")
    before = snapshot(target)
    damage = corrupt_after_writing(relpath, data)
    signals.finalized.connect(damage)
    try:
        with pytest.raises(PublishFailed) as failed:
            publish_into(tmp_path, target, "Tweede versie.")
    finally:
        signals.finalized.disconnect(damage)
    assert relpath.split("/")[-1] in str(failed.value), str(failed.value)
    assert snapshot(target) == before and leftovers(target) == []


def test_the_well_formed_check_passes_a_whole_release(tmp_path):
    target = tmp_path / "live"
    release = publish_into(tmp_path, target)
    assert check_well_formed(release) == []
    assert (release / "pagefind" / "pagefind-entry.json").is_file()


def _mount_tmpfs(folder, size: str) -> bool:
    folder.mkdir(parents=True, exist_ok=True)
    if os.geteuid() != 0:
        return False
    return subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)],
                          capture_output=True).returncode == 0


@pytest.fixture
def tmpfs(tmp_path):
    """A small file system of its own (needs root for mount; skipped otherwise)."""
    mounted = []

    def _make(name: str, size: str):
        folder = tmp_path / name
        if not _mount_tmpfs(folder, size):
            pytest.skip("mounting a tmpfs needs root (and a kernel that allows it)")
        mounted.append(folder)
        return folder

    yield _make
    for folder in mounted:
        subprocess.run(["umount", "-l", str(folder)], capture_output=True)


def test_a_read_only_target_fails_with_a_message_and_changes_nothing(tmp_path, tmpfs):
    target = tmpfs("live", "20m")
    first = publish_into(tmp_path, target, "Eerste versie.")
    before = snapshot(target)
    subprocess.run(["mount", "-o", "remount,ro", str(target)], check=True)
    with pytest.raises(PublishFailed) as failed:
        publish_into(tmp_path, target, "Tweede versie.")
    assert "Read-only file system" in str(failed.value) and "read-only" in str(failed.value).split(".", 1)[1]
    assert snapshot(target) == before and (target / "current").resolve() == first


def test_a_full_disk_fails_the_publish_and_the_live_site_stays(tmp_path, tmpfs):
    target = tmpfs("live", "3m")
    first = publish_into(tmp_path, target, "Eerste versie.")
    before = snapshot(target)
    big = " ".join(f"woord{i}" for i in range(60000))  # the new release does not fit
    write_files(tmp_path / "content", {f"articles/groot-{n}.md": f"Title: Groot {n}\nDate: 2026-04-0{n} 10:00\n"
                                       f"Authors: anna\n\n{big}\n" for n in range(1, 4)})
    with pytest.raises(PublishFailed) as failed:
        publish_into(tmp_path, target, "Tweede versie.")
    assert "No space left on device" in str(failed.value) or "is the disk full?" in str(failed.value), str(failed.value)
    assert snapshot(target) == before and (target / "current").resolve() == first
    assert leftovers(target) == []


PUBLISHER = textwrap.dedent("""
    import sys
    sys.path.insert(0, {root!r})
    import kring
    from kring.publish import PublishFailed, publish
    try:
        print("published", publish({settings!r}, {root!r}, {overrides!r}), flush=True)
    except PublishFailed as failed:
        print(failed, file=sys.stderr)
        sys.exit(1)
""")


def start_publisher(tmp_path, name, **overrides):
    settings = {"PATH": str(tmp_path / "content"), "KRING_FEED_ARCHIVE": str(tmp_path / "var.sqlite"), **overrides}
    script = tmp_path / f"{name}.py"
    script.write_text(PUBLISHER.format(root=str(ROOT), settings=PUBLISH_SETTINGS, overrides=settings))
    return subprocess.Popen([sys.executable, str(script)], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def wait_for(condition, timeout=60.0):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(0.1)
    return False


def test_two_publishes_at_once_one_waits_or_refuses_with_a_message(tmp_path, fake_pagefind):
    write_files(tmp_path / "content", magazine_files())
    target = tmp_path / "live"
    gate = tmp_path / "gate"  # the first publish's search index is built once the other two met its lock
    os.environ["FAKE_PAGEFIND_GATE"] = str(gate)
    try:
        slow = start_publisher(tmp_path, "slow", KRING_PUBLISH_TARGET=str(target),
                               KRING_SEARCH_COMMAND=fake_pagefind("slow"))
        assert wait_for(lambda: leftovers(target)), "the first publish started building"
        refused = start_publisher(tmp_path, "refused", KRING_PUBLISH_TARGET=str(target), KRING_PUBLISH_WAIT=0)
        waiting = start_publisher(tmp_path, "waiting", KRING_PUBLISH_TARGET=str(target), KRING_PUBLISH_WAIT=120)
        results = {"refused": (refused.wait(timeout=180), *refused.communicate())}
        said_first = waiting.stdout.readline()  # what it says before it blocks on the lock
        gate.touch()
        results.update({name: (p.wait(timeout=180), *p.communicate()) for name, p in (("slow", slow), ("waiting", waiting))})
    finally:
        os.environ.pop("FAKE_PAGEFIND_GATE", None)
        gate.touch()
    code, out, err = results["refused"]
    assert code == 1 and "Another publish (pid" in err and "is still running" in err and "Traceback" not in err
    for name in ("slow", "waiting"):
        code, out, err = results[name]
        assert code == 0 and "published" in out, (name, err)
    assert "waiting up to 120 s" in said_first, said_first
    kept = sorted(p.name for p in (target / "releases").iterdir() if not p.name.startswith("."))
    assert len(kept) == 2 and os.path.basename(os.readlink(target / "current")) == kept[-1]
    assert leftovers(target) == []


@pytest.mark.parametrize("how", ["SIGKILL", "SIGTERM"])
def test_a_killed_publish_leaves_no_staging_folder_for_good(tmp_path, fake_pagefind, how):
    target = tmp_path / "live"
    first = publish_into(tmp_path, target, "Eerste versie.")
    (target / "releases" / ".staging-20200101T000000000000Z" / "articles").mkdir(parents=True)
    (target / "releases" / "..staging-20200101T000000000000Z-search-abc").mkdir()
    os.environ["FAKE_PAGEFIND_SLEEP"] = "60"
    try:
        victim = start_publisher(tmp_path, "victim", KRING_PUBLISH_TARGET=str(target),
                                 KRING_SEARCH_COMMAND=fake_pagefind("slow"))
        # The old left-overs are cleared when the publish starts; then its own staging folder appears.
        assert wait_for(lambda: leftovers(target) and "20200101" not in " ".join(leftovers(target)))
        victim.send_signal(getattr(signal, how))
        victim.wait(timeout=30)
    finally:
        os.environ.pop("FAKE_PAGEFIND_SLEEP", None)
    if how == "SIGTERM":
        assert leftovers(target) == [], "a terminated publish cleans up after itself"
    assert (target / "current").resolve() == first
    publish_into(tmp_path, target, "Tweede versie.")
    assert leftovers(target) == [], "the next publish removes what a killed one left"
    assert "Tweede versie." in (target / "current" / "articles" / "nieuws" / "index.html").read_text()
