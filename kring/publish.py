"""`make publish`: build with publishconf.py into a staging release, check it,
then switch the live site to it atomically; `make rollback` switches back.

Layout of a local target (KRING_PUBLISH_TARGET, e.g. /srv/kring):

    releases/<timestamp>/   every kept release (KRING_PUBLISH_KEEP)
    current -> releases/<timestamp>   the live site; the web server serves this

The switch is one ``os.replace`` of the ``current`` symlink, so a reader sees
the old site or the new one, never half of each. A release that fails a check
is deleted before ``current`` is touched. A target of the form ``host:path``
is updated with rsync from the local releases folder instead.
"""

from __future__ import annotations

import contextlib
import datetime
import fcntl
import gzip
import json
import logging
import os
import shutil
import signal
import subprocess
import time
import zlib
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from kring_core.errors import BuildFailed, BuildStopped, os_problem, write_failed

from .build import build, load_settings

logger = logging.getLogger(__name__)

DEFAULTS = {
    "KRING_PUBLISH_TARGET": "var/www",  # local folder, or host:path for rsync
    "KRING_PUBLISH_RELEASES": "",  # empty: <target>/releases (local), var/releases (rsync)
    "KRING_PUBLISH_KEEP": 5,
    "KRING_PUBLISH_RSYNC": "rsync -az --delete --delay-updates",
    "KRING_PUBLISH_WAIT": 900,  # seconds to wait for another publish to finish before giving up
}
CURRENT = "current"
INDEX_FOLDER = "pagefind"
LOCK = ".publish.lock"
STAGING = ".staging-"


class PublishFailed(Exception):
    """The new release was not published; the live site is as it was."""


@dataclass
class Target:
    target: str
    releases: Path
    keep: int
    rsync: str
    wait: float = 900

    @property
    def remote(self) -> bool:
        return is_remote(self.target)

    @property
    def current(self) -> Path:
        return self.releases.parent / CURRENT if not self.remote else self.releases / CURRENT


def is_remote(target: str) -> bool:
    head = target.split("/", 1)[0]
    return ":" in head and not os.path.isabs(target)


def read_target(settings: dict, root: str) -> Target:
    conf = {key: settings.get(key, default) for key, default in DEFAULTS.items()}
    target = os.environ.get("KRING_PUBLISH_TARGET") or str(conf["KRING_PUBLISH_TARGET"])
    releases = conf["KRING_PUBLISH_RELEASES"] or ("var/releases" if is_remote(target) else os.path.join(target, "releases"))
    return Target(target, Path(root, releases).resolve(), int(conf["KRING_PUBLISH_KEEP"]), conf["KRING_PUBLISH_RSYNC"],
                  float(conf["KRING_PUBLISH_WAIT"]))


# --- checks ------------------------------------------------------------------

def check_links(output: Path, site_url: str) -> list[str]:
    try:
        from .linkcheck import find_broken_links
    except ImportError:  # the link checker is optional
        logger.warning("kring.linkcheck is not available: links are not checked")
        return []
    return [str(p) for p in find_broken_links(output, site_url=site_url)]


def _readable(path: Path) -> str:
    """A file's text; Pagefind's gzipped index files unpacked, so a draft in the search index is found."""
    data = path.read_bytes()
    if data[:2] == b"\x1f\x8b":
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError, zlib.error):
            pass
    return data.decode("utf-8", errors="replace")


def check_drafts(output: Path, markers: list[str]) -> list[str]:
    """No draft page, link or draft marker may reach a published file."""
    problems = []
    for path in sorted(p for p in output.rglob("*") if p.is_file()):
        rel = path.relative_to(output).as_posix()
        if rel.startswith("drafts/"):
            problems.append(f"{rel}: a draft page is in the published site")
            continue
        if path.suffix not in (".html", ".xml", ".txt", ".json", ".opml", ".ics", ".pf_fragment", ".pf_index"):
            continue
        text = _readable(path)
        for marker in markers + ['class="draft-flag"']:
            if marker in text:
                problems.append(f"{rel}: mentions the draft '{marker}'")
    return problems


def _parse_xml(path: Path) -> None:
    etree.parse(str(path), etree.XMLParser(resolve_entities=False, no_network=True))


def _parse_json(path: Path) -> None:
    json.loads(path.read_bytes())


def _parse_ics(path: Path) -> None:
    from icalendar import Calendar

    if not Calendar.from_ical(path.read_bytes()).walk():
        raise ValueError("no calendar in it")


# Files a browser, a feed reader or a calendar reads whole; each must parse.
PARSERS = {".xml": ("XML", _parse_xml), ".opml": ("XML", _parse_xml), ".json": ("JSON", _parse_json),
           ".ics": ("iCalendar", _parse_ics)}


def check_well_formed(output: Path) -> list[str]:
    """Every page parses without errors; every feed, OPML, sitemap, JSON and calendar file parses."""
    problems = []
    for path in sorted(output.rglob("*.html")):
        if path.stat().st_size == 0:
            problems.append(f"{path.relative_to(output)}: the page is empty")
            continue
        parser = etree.HTMLParser(recover=True)
        etree.parse(str(path), parser)
        for error in parser.error_log:
            problems.append(f"{path.relative_to(output)}:{error.line}: {error.message}")
    for path in sorted(p for p in output.rglob("*") if p.suffix in PARSERS and p.is_file()):
        kind, parse = PARSERS[path.suffix]
        if path.relative_to(output).parts[0] == INDEX_FOLDER and path.name != "pagefind-entry.json":
            continue  # Pagefind's own files are checked by check_search_index
        try:
            parse(path)
        except Exception as exc:  # each parser has its own errors; any of them means a broken file
            problems.append(f"{path.relative_to(output)}: not well-formed {kind}: {exc}")
    return problems


def check_search_index(output: Path, settings: dict) -> list[str]:
    """With search on, the release carries a whole Pagefind index (a truncated one finds nothing)."""
    from kring_search import settings as search_settings
    from kring_search.index import check_index

    if not search_settings.read(settings)["KRING_SEARCH_INDEX"]:
        return []
    return [f"search index: {p}" for p in check_index(str(output / INDEX_FOLDER))]


def run_checks(output: Path, settings: dict, draft_markers: list[str]) -> list[str]:
    site_url = settings.get("SITEURL", "")
    return (check_links(output, site_url) + check_drafts(output, draft_markers) + check_well_formed(output)
            + check_search_index(output, settings))


# --- releases ----------------------------------------------------------------

def releases(target: Target) -> list[Path]:
    if not target.releases.is_dir():
        return []
    return sorted(p for p in target.releases.iterdir() if p.is_dir() and not p.name.startswith("."))


def live_release(target: Target) -> Path | None:
    link = target.current
    return (link.parent / os.readlink(link)).resolve() if link.is_symlink() else None


def switch(target: Target, release: Path) -> None:
    """Point the live site at ``release`` in one atomic step."""
    if target.remote:
        command = target.rsync.split() + [f"{release}/", target.target.rstrip("/") + "/"]
        logger.info("running %s", " ".join(command))
        subprocess.run(command, check=True)
    link = target.current
    tmp = link.with_name(f".{CURRENT}.tmp")
    if tmp.is_symlink() or tmp.exists():
        tmp.unlink()
    os.symlink(os.path.relpath(release, link.parent), tmp)
    os.replace(tmp, link)


def prune(target: Target) -> None:
    live = live_release(target)
    old = [p for p in releases(target) if p != live]
    for path in old[: max(0, len(old) - (target.keep - 1))]:
        shutil.rmtree(path, ignore_errors=True)


def _stamp() -> str:
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")


@contextlib.contextmanager
def exclusive(target: Target):
    """One publish or rollback at a time per target: wait up to ``target.wait`` seconds, then refuse.

    ``flock`` is released by the kernel when a holder dies, even by kill -9,
    so a killed publish never blocks the next one.
    """
    try:
        target.releases.mkdir(parents=True, exist_ok=True)
        handle = open(target.releases / LOCK, "a+", encoding="utf-8")
    except OSError as err:
        raise PublishFailed(os_problem(err, "prepare the releases folder")) from err
    with handle:
        deadline = time.monotonic() + target.wait
        told = False
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                handle.seek(0)
                holder = handle.read().strip() or "another process"
                if time.monotonic() >= deadline:
                    raise PublishFailed(
                        f"Another publish ({holder}) is still running for {target.releases.parent}; "
                        f"waited {target.wait:g} s (KRING_PUBLISH_WAIT). Try again when it has finished.") from None
                if not told:
                    logger.warning("Another publish (%s) is running; waiting for it to finish", holder)
                    print(f"Another publish ({holder}) is running; waiting up to {target.wait:g} s ...", flush=True)
                    told = True
                time.sleep(0.2)
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()}, since {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M:%S} UTC")
        handle.flush()
        try:
            yield
        finally:
            handle.truncate(0)
            fcntl.flock(handle, fcntl.LOCK_UN)


def remove_stale_staging(target: Target) -> None:
    """Left-overs of a killed publish (only ever called while holding the lock, so none is in use)."""
    for path in target.releases.iterdir():
        if path.name.startswith((STAGING, f".{STAGING}")) or path.name == f".{CURRENT}.tmp":
            logger.info("removing %s, left by an interrupted publish", path.name)
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)


@contextlib.contextmanager
def _terminate_as_exit():
    """SIGTERM (CI cancelling a job) unwinds like Ctrl+C, so the staging folder is removed."""
    def stop(signum, _frame):
        raise SystemExit(128 + signum)

    try:
        previous = signal.signal(signal.SIGTERM, stop)
    except ValueError:  # not the main thread: leave signals alone
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def publish(settings_file: str, root: str, overrides: dict | None = None) -> Path:
    """Build, check and switch; return the new live release. Raises PublishFailed."""
    settings = load_settings(settings_file, overrides)
    target = read_target(settings, root)
    with exclusive(target), _terminate_as_exit():
        remove_stale_staging(target)
        return _publish_locked(settings_file, settings, target, overrides)


def _publish_locked(settings_file: str, settings: dict, target: Target, overrides: dict | None) -> Path:
    stamp = _stamp()
    staging = target.releases / f"{STAGING}{stamp}"
    try:
        # The live release is the last build's output: pages whose inputs did not change are taken
        # from it instead of rendered again (the release is the same byte for byte).
        # The release is checked whole, search index included: always wait for Pagefind.
        seed = live_release(target)
        pelican = build(settings_file, {"KRING_OUTPUT_SEED": str(seed) if seed else "", "KRING_RENDER_MEMO": str(target.releases),
                                        **(overrides or {}), "OUTPUT_PATH": str(staging), "DELETE_OUTPUT_DIRECTORY": False,
                                        "KRING_SEARCH_INDEX_WAIT": True})
        problems = run_checks(staging, settings, pelican.kring_run.drafts)
    except (BuildStopped, BuildFailed) as stop:
        shutil.rmtree(staging, ignore_errors=True)
        raise PublishFailed(str(stop)) from stop
    except OSError as err:
        shutil.rmtree(staging, ignore_errors=True)
        raise PublishFailed(write_failed(err)) from err
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    if problems:
        shutil.rmtree(staging, ignore_errors=True)
        shown = "\n".join(f"  - {p}" for p in problems[:50])
        more = f"\n  ... and {len(problems) - 50} more" if len(problems) > 50 else ""
        raise PublishFailed(f"Not published: {len(problems)} problem(s) in the new build.\n{shown}{more}")
    release = target.releases / stamp
    try:
        os.rename(staging, release)
        switch(target, release)
    except (OSError, subprocess.CalledProcessError) as err:
        if live_release(target) != release.resolve():
            shutil.rmtree(release, ignore_errors=True)
            shutil.rmtree(staging, ignore_errors=True)
        doing = "switch the live site" if isinstance(err, OSError) else "copy the release to the host"
        detail = os_problem(err, doing) if isinstance(err, OSError) else f"Could not {doing}: {err}."
        raise PublishFailed(detail) from err
    except BaseException:
        if live_release(target) != release.resolve():
            shutil.rmtree(release, ignore_errors=True)
        raise
    prune(target)
    logger.info("published %s", release)
    return release


def rollback(settings_file: str, root: str, overrides: dict | None = None) -> Path:
    """Make the release before the live one live again; return it."""
    target = read_target(load_settings(settings_file, overrides), root)
    with exclusive(target):
        kept, live = releases(target), live_release(target)
        earlier = [p for p in kept if live is None or p.name < live.name]
        if not earlier:
            raise PublishFailed(f"No earlier release to go back to in {target.releases}.")
        try:
            switch(target, earlier[-1])
        except (OSError, subprocess.CalledProcessError) as err:
            raise PublishFailed(f"Could not switch back: {err}") from err
        return earlier[-1]
