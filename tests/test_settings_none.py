"""Every setting the README documents as "empty: none" works when it is empty.

The cases are read from the README's settings table, so a newly documented
setting is tested too. The demo is built with these settings empty: the build
must pass (its link check stops on any link to a file that was not written,
e.g. a feed link a template still shows) and nothing may be written where
the setting's default would have put it.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kring.build import build
from sitekit import DEV_SETTINGS

README = Path(DEV_SETTINGS).parent / "README.md"


def documented_nones() -> list[dict[str, str]]:
    """{setting: default} per case: each setting of a row alone, a *_URL / *_SAVE_AS pair together."""
    cases = []
    for line in README.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) < 3 or "empty: none" not in cells[-1]:
            continue
        names = re.findall(r"`([A-Z][A-Z0-9_]+)`", cells[0])
        defaults = re.findall(r'"([^"]*)"', cells[1])
        pairs = dict(zip(names, defaults + [""] * len(names)))
        urls = [n for n in names if n.endswith("_URL") and n[:-4] + "_SAVE_AS" in names]
        for url in urls:
            cases.append({url: pairs.pop(url), url[:-4] + "_SAVE_AS": pairs.pop(url[:-4] + "_SAVE_AS")})
        cases += [{name: default} for name, default in pairs.items()]
    return cases


CASES = documented_nones()


def test_the_readme_documents_the_empty_values_this_test_knows_of():
    documented = {name for case in CASES for name in case}
    assert {"MEMBER_FEED_ATOM", "GROUP_FEED_ATOM", "ISSUE_FEED_ATOM", "COMMUNITY_STATUS_SAVE_AS",
            "ISSUE_NEWSLETTER_TEXT_SAVE_AS", "KRING_SITEMAP_SAVE_AS"} <= documented


@pytest.fixture(scope="module")
def built_with_every_setting_empty(tmp_path_factory) -> Path:
    """One build of the demo with every documented "empty: none" setting empty at once (one build
    per setting took 13 builds; the templates and plugins read each setting on its own)."""
    base = tmp_path_factory.mktemp("empty-settings")
    output = base / "output"
    overrides = {name: "" for case in CASES for name in case}
    build(DEV_SETTINGS, {"OUTPUT_PATH": str(output), "KRING_FEED_ARCHIVE": str(base / "community.sqlite"),
                         "CACHE_PATH": str(base / "cache"), **overrides})
    return output


@pytest.mark.parametrize("case", CASES, ids=lambda case: "+".join(case))
def test_an_empty_setting_builds_and_writes_nothing_there(case, built_with_every_setting_empty):
    output = built_with_every_setting_empty
    assert (output / "index.html").is_file()
    for name, default in case.items():
        if name.endswith("_URL") or not default:
            continue
        pattern = re.sub(r"\{[a-z]+\}", "*", default)
        assert not list(output.glob(pattern)), f"{name} = '' still wrote {pattern}"
