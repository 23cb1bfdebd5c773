"""`invoke new-article` and `invoke new-issue` write files that build."""

from __future__ import annotations

import datetime
import re
import subprocess
import sys

import pytest

from sitekit import ROOT
from issues_helpers import build_into, issue_file, people
from kring.scaffold import ScaffoldError, new_article, new_issue


@pytest.fixture
def content(tmp_path):
    from sitekit import write_files

    write_files(tmp_path / "content", {**people(), **dict([issue_file(1, "Een", "2026-03-01")])})
    return tmp_path / "content"


def test_new_issue_then_new_article_build_into_a_draft_issue(content, tmp_path):
    issue = new_issue(content, date=datetime.date(2026, 12, 1))
    assert issue.name == "2.md" and "Status: draft" in issue.read_text()
    path = new_article(content, "Één loket voor alles!", ["Anna de Vries", "bram"], ["itil"], issue=2,
                       now=datetime.datetime(2026, 11, 30, 9, 0))
    assert path == content / "articles" / "2026" / "een-loket-voor-alles.md"
    assert "Authors: anna, bram" in path.read_text()
    site = build_into(tmp_path, {})
    toc = site.soup("/issues/2/").select(".issue-toc h3 a")
    assert [a.get_text(strip=True) for a in toc] == ["Één loket voor alles!"]
    assert "Nummer 2" in site.soup("/issues/2/").h1.get_text()


@pytest.mark.parametrize("kwargs, message", [
    (dict(authors=["Ana de Vries"]), "'Ana de Vries' is not a member. Did you mean 'Anna de Vries'?"),
    (dict(authors=["anna"], groups=["itl"]), "'itl' is not a group. Did you mean 'itil'?"),
    (dict(authors=["anna"], issue=7), "Issue 7 does not exist (existing issues: 1)"),
])
def test_new_article_refuses_what_would_not_build(content, kwargs, message):
    with pytest.raises(ScaffoldError, match=re.escape(message)):
        new_article(content, "Iets nieuws", **kwargs)
    assert not (content / "articles").exists()


def test_invoke_new_article_command(content):
    run = subprocess.run(
        [sys.executable, "-m", "invoke", "new-article", "Samen sterker", "--author", "anna", "--group", "itil",
         "--issue", "1", "--content", str(content)],
        cwd=ROOT, capture_output=True, text=True,
    )
    assert run.returncode == 0, run.stderr
    written = list((content / "articles").rglob("samen-sterker.md"))
    assert written and "Issue: 1" in written[0].read_text()
    again = subprocess.run(
        [sys.executable, "-m", "invoke", "new-article", "Samen sterker", "--author", "anna", "--content", str(content)],
        cwd=ROOT, capture_output=True, text=True,
    )
    assert again.returncode != 0 and "already used" in again.stderr + again.stdout
