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

import datetime
import logging
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from kring_core.errors import BuildStopped

from .build import build, load_settings

logger = logging.getLogger(__name__)

DEFAULTS = {
    "KRING_PUBLISH_TARGET": "var/www",  # local folder, or host:path for rsync
    "KRING_PUBLISH_RELEASES": "",  # empty: <target>/releases (local), var/releases (rsync)
    "KRING_PUBLISH_KEEP": 5,
    "KRING_PUBLISH_RSYNC": "rsync -az --delete --delay-updates",
}
CURRENT = "current"


class PublishFailed(Exception):
    """The new release was not published; the live site is as it was."""


@dataclass
class Target:
    target: str
    releases: Path
    keep: int
    rsync: str

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
    return Target(target, Path(root, releases).resolve(), int(conf["KRING_PUBLISH_KEEP"]), conf["KRING_PUBLISH_RSYNC"])


# --- checks ------------------------------------------------------------------

def check_links(output: Path, site_url: str) -> list[str]:
    try:
        from .linkcheck import find_broken_links
    except ImportError:  # the link checker is optional
        logger.warning("kring.linkcheck is not available: links are not checked")
        return []
    return [str(p) for p in find_broken_links(output, site_url=site_url)]


def check_drafts(output: Path, markers: list[str]) -> list[str]:
    """No draft page, link or draft marker may reach a published file."""
    problems = []
    for path in sorted(p for p in output.rglob("*") if p.is_file()):
        rel = path.relative_to(output).as_posix()
        if rel.startswith("drafts/"):
            problems.append(f"{rel}: a draft page is in the published site")
            continue
        if path.suffix not in (".html", ".xml", ".txt", ".json"):
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        for marker in markers + ['class="draft-flag"']:
            if marker in text:
                problems.append(f"{rel}: mentions the draft '{marker}'")
    return problems


def check_well_formed(output: Path) -> list[str]:
    """Every page parses without errors; every feed and sitemap is XML."""
    problems = []
    for path in sorted(output.rglob("*.html")):
        parser = etree.HTMLParser(recover=True)
        etree.parse(str(path), parser)
        for error in parser.error_log:
            problems.append(f"{path.relative_to(output)}:{error.line}: {error.message}")
    for path in sorted(output.rglob("*.xml")):
        try:
            etree.parse(str(path), etree.XMLParser(resolve_entities=False, no_network=True))
        except etree.XMLSyntaxError as exc:
            problems.append(f"{path.relative_to(output)}: not well-formed XML: {exc}")
    return problems


def run_checks(output: Path, settings: dict, draft_markers: list[str]) -> list[str]:
    site_url = settings.get("SITEURL", "")
    return check_links(output, site_url) + check_drafts(output, draft_markers) + check_well_formed(output)


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
        shutil.rmtree(path)


def _stamp() -> str:
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")


def publish(settings_file: str, root: str, overrides: dict | None = None) -> Path:
    """Build, check and switch; return the new live release. Raises PublishFailed."""
    settings = load_settings(settings_file, overrides)
    target = read_target(settings, root)
    target.releases.mkdir(parents=True, exist_ok=True)
    stamp = _stamp()
    staging = target.releases / f".staging-{stamp}"
    try:
        build(settings_file, {**(overrides or {}), "OUTPUT_PATH": str(staging), "DELETE_OUTPUT_DIRECTORY": False})
        from kring_events import last_run_drafts as event_drafts
        from kring_issues.loader import last_run_drafts

        problems = run_checks(staging, settings, last_run_drafts() + event_drafts())
    except BuildStopped as stop:
        shutil.rmtree(staging, ignore_errors=True)
        raise PublishFailed(str(stop)) from stop
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    if problems:
        shutil.rmtree(staging, ignore_errors=True)
        shown = "\n".join(f"  - {p}" for p in problems[:50])
        more = f"\n  ... and {len(problems) - 50} more" if len(problems) > 50 else ""
        raise PublishFailed(f"Not published: {len(problems)} problem(s) in the new build.\n{shown}{more}")
    release = target.releases / stamp
    os.rename(staging, release)
    switch(target, release)
    prune(target)
    logger.info("published %s", release)
    return release


def rollback(settings_file: str, root: str, overrides: dict | None = None) -> Path:
    """Make the release before the live one live again; return it."""
    target = read_target(load_settings(settings_file, overrides), root)
    kept, live = releases(target), live_release(target)
    earlier = [p for p in kept if live is None or p.name < live.name]
    if not earlier:
        raise PublishFailed(f"No earlier release to go back to in {target.releases}.")
    switch(target, earlier[-1])
    return earlier[-1]
