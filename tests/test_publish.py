"""`make publish` into a local target folder: good builds go live, failing ones never touch it."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys

import pytest

from sitekit import ROOT, write_files
from issues_helpers import PUBLISH_SETTINGS, article, issue_file, people
from kring.publish import PublishFailed, publish, rollback


def snapshot(folder) -> dict[str, str]:
    """Every file's bytes and every symlink's target under ``folder``."""
    seen = {}
    for base, dirs, files in os.walk(folder):
        for name in dirs + files:
            path = os.path.join(base, name)
            rel = os.path.relpath(path, folder)
            if os.path.islink(path):
                seen[rel] = "-> " + os.readlink(path)
            elif os.path.isfile(path):
                with open(path, "rb") as f:
                    seen[rel] = hashlib.sha256(f.read()).hexdigest()
            else:
                seen[rel] = "dir"
    return seen


@pytest.fixture
def magazine(tmp_path):
    content = tmp_path / "content"
    target = tmp_path / "live"

    def _publish(body: str, **overrides):
        files = {**people(), **dict([
            issue_file(1, "Een", "2026-03-01"),
            issue_file(2, "In wording", "2026-06-01", Status="draft"),
            article("nieuws", "Nieuws", Authors="anna", Issue=1, body=body),
            article("concept", "Concept", Authors="bram", Issue=2),
        ])}
        write_files(content, files)
        settings = {"PATH": str(content), "KRING_PUBLISH_TARGET": str(target), "KRING_SEARCH_INDEX": False, **overrides}
        return publish(PUBLISH_SETTINGS, str(ROOT), settings)

    return _publish, target


def live_text(target, url="articles/nieuws/index.html") -> str:
    return (target / "current" / url).read_text(encoding="utf-8")


def test_good_builds_go_live_failing_checks_change_nothing_and_rollback_restores(magazine):
    run, target = magazine
    first = run("Eerste versie.")
    assert (target / "current").is_symlink() and "Eerste versie." in live_text(target)
    run("Tweede versie.")
    assert "Tweede versie." in live_text(target)
    assert first.is_dir(), "the previous release is kept"
    assert not (target / "current" / "issues" / "2").exists()

    before = snapshot(target)
    failures = {
        "broken link": ("Zie [de gids](/nergens/).", {}),
        "malformed HTML": ("Dit is <b>vet</i> geschreven.", {}),
        "draft leaked": ("Derde versie.", {"DRAFT_SAVE_AS": "drafts/{slug}/index.html", "DRAFT_URL": "drafts/{slug}/"}),
    }
    for name, (body, overrides) in failures.items():
        with pytest.raises(PublishFailed) as failed:
            run(body, **overrides)
        assert snapshot(target) == before, f"{name}: the live target changed"
        assert "Not published" in str(failed.value) or "The build stopped" in str(failed.value), name
    assert "Tweede versie." in live_text(target)

    back = rollback(PUBLISH_SETTINGS, str(ROOT), {"KRING_PUBLISH_TARGET": str(target)})
    assert back == first and "Eerste versie." in live_text(target)


@pytest.mark.slow
def test_make_publish_and_rollback_commands(tmp_path):
    """What CI runs: the invoke tasks, with a settings file like a site's own publishconf."""
    write_files(tmp_path / "content", {**people(), **dict([article("nieuws", "Nieuws", Authors="anna")])})
    settings = tmp_path / "site_publishconf.py"
    settings.write_text(
        f"import sys\nsys.path.insert(0, {str(ROOT)!r})\nfrom publishconf import *\n"
        f"PATH = {str(tmp_path / 'content')!r}\nTHEME = {str(ROOT / 'theme')!r}\n"
        f"PLUGIN_PATHS = [{str(ROOT / 'plugins')!r}]\nKRING_SEARCH_INDEX = False\n"
        f"KRING_PUBLISH_TARGET = {str(tmp_path / 'live')!r}\n"
        f"CACHE_PATH = {str(tmp_path / 'cache')!r}\n"
    )

    def invoke(*args):
        return subprocess.run([sys.executable, "-m", "invoke", *args, "--settings", str(settings)],
                              cwd=ROOT, capture_output=True, text=True)

    done = invoke("publish", "--no-fetch")
    assert done.returncode == 0, done.stderr
    assert "Nieuws" in (tmp_path / "live" / "current" / "articles" / "nieuws" / "index.html").read_text()
    refused = invoke("rollback")
    assert refused.returncode == 1 and "No earlier release" in refused.stderr


def test_ci_workflow_runs_the_same_command_and_keeps_the_feed_archive():
    import yaml

    from kring.feeds.settings import DEFAULTS as FEED_DEFAULTS

    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "publish.yml").read_text())
    triggers = workflow[True]  # YAML reads the key `on` as True
    assert {"push", "schedule", "workflow_dispatch"} <= set(triggers)
    assert triggers["push"]["branches"] == ["main"]
    steps = workflow["jobs"]["publish"]["steps"]
    assert [s["run"] for s in steps if "run" in s][-1] == "make publish"
    cache = next(s for s in steps if s.get("uses", "").startswith("actions/cache"))
    assert FEED_DEFAULTS["KRING_FEED_ARCHIVE"] in cache["with"]["path"].split()
    makefile = (ROOT / "Makefile").read_text()
    assert "publish" in makefile.split(".PHONY:")[1].splitlines()[0]
