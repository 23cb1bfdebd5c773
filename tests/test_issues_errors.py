"""Every mistake an editor can make with issues stops the build with file, field and fix."""

from __future__ import annotations

import pytest

from issues_helpers import article, build_into, issue_file, people
from kring_core import BuildStopped


def base() -> dict[str, str]:
    return {**people(), **dict([
        issue_file(1, "Een", "2026-03-01"),
        article("samenwerking", "Samenwerking", Authors="anna"),
        article("kennis", "Kennis", Authors="bram"),
    ])}


CASES = {
    "unknown article slug": (
        dict([issue_file(2, "Twee", Articles="samenwerkng")]),
        ["issues/2.md: Articles: 'samenwerkng' is not an article.", "Did you mean 'samenwerking'?"],
    ),
    "number used twice": (
        {"issues/01.md": "Number: 01\nTitle: Nogmaals een\nDate: 2026-04-01\n\nTekst.\n"},
        ["issues/1.md: Number: issue 1 is also", "issues/01.md", "Give each issue its own number."],
    ),
    "number does not match the file name": (
        {"issues/7.md": "Number: 8\nTitle: Zeven\nDate: 2026-04-01\n\nTekst.\n"},
        ["issues/7.md: Number: '8' does not match the file name '7.md'.", "Rename the file to 8.md"],
    ),
    "article claimed by two issue files": (
        dict([issue_file(2, "Twee", Articles="kennis"), issue_file(3, "Drie", Articles="kennis")]),
        ["issues/3.md: Articles: 'kennis' is already in issue 2."],
    ),
    "article names another issue than the issue file": (
        dict([issue_file(2, "Twee", Articles="kennis"), article("kennis", "Kennis", Authors="bram", Issue=1)]),
        ["articles/kennis.md: Issue: says issue 1, but", "issues/2.md lists it in Articles."],
    ),
    "article names a missing issue": (
        dict([article("kennis", "Kennis", Authors="bram", Issue=9)]),
        ["articles/kennis.md: Issue: issue 9 does not exist.", "invoke new-issue", "existing issues: 1"],
    ),
    "issue is not a number": (
        dict([article("kennis", "Kennis", Authors="bram", Issue="drie")]),
        ["articles/kennis.md: Issue: 'drie' is not an issue number."],
    ),
    "bad issue date": (
        dict([issue_file(2, "Twee", "1 juni")]),
        ["issues/2.md: Date: '1 juni' is not a date."],
    ),
    "missing number": (
        {"issues/5.md": "Title: Vijf\nDate: 2026-04-01\n\nTekst.\n"},
        ["issues/5.md: Number: is missing. Write 'Number: 5'"],
    ),
    "unknown status": (
        dict([issue_file(2, "Twee", Status="concept")]),
        ["issues/2.md: Status: 'concept' is not an issue status."],
    ),
    "article not in the issue's own list": (
        dict([issue_file(2, "Twee", Articles="kennis"), article("samenwerking", "Samenwerking", Authors="anna", Issue=2)]),
        ["articles/samenwerking.md: Issue: names issue 2, but", "does not list it in Articles."],
    ),
    "missing cover": (
        dict([issue_file(2, "Twee", Cover="images/omslag.png")]),
        ["issues/2.md: Cover: 'images/omslag.png' does not exist"],
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_issue_mistake_stops_the_build_with_file_field_and_fix(tmp_path, case):
    extra, expected = CASES[case]
    with pytest.raises(BuildStopped) as stopped:
        build_into(tmp_path, {**base(), **extra})
    message = str(stopped.value)
    for part in expected:
        assert part in message, message
    assert not (tmp_path / "output" / "issues").exists()
