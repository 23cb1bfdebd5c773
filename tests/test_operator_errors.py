"""No traceback for an operator's mistake: a message naming the file and what to do.

Numbers that are not ASCII digits, titles that make no file name, a
read-only output folder and a full disk, through Kring's commands and the
plain `pelican` command.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from issues_helpers import build_into, issue_file, people
from kring.scaffold import ScaffoldError, new_article, new_issue
from kring_core import BuildStopped
from sitekit import DEV_SETTINGS, ROOT, article, write_files
from test_release_whole import tmpfs  # noqa: F401  (fixture: a small file system of its own)

NOT_ASCII_DIGITS = ["²", "٣", "３", "1_0", "½", "-1", "+2", "3.0"]


@pytest.mark.parametrize("raw", NOT_ASCII_DIGITS)
def test_an_issue_number_that_is_not_ascii_digits_stops_the_build_naming_file_and_field(tmp_path, raw):
    files = {**people(), "issues/3.md": f"Number: {raw}\nTitle: Drie\nDate: 2026-04-01\n\nTekst.\n"}
    with pytest.raises(BuildStopped) as stopped:
        build_into(tmp_path, files)
    assert f"issues/3.md: Number: '{raw}' is not a number (digits 0-9 only). Write 'Number: 3'" in str(stopped.value)


@pytest.mark.parametrize("raw", ["²", "٣", "３"])
def test_an_issue_file_named_with_other_digits_and_an_article_naming_one(tmp_path, raw):
    files = {**people(), f"issues/{raw}.md": f"Number: {raw}\nTitle: Vreemd\nDate: 2026-04-01\n\nTekst.\n",
             **dict([issue_file(1, "Een"), article("a", "A", Authors="anna", Issue=raw)])}
    with pytest.raises(BuildStopped) as stopped:
        build_into(tmp_path, files)
    message = str(stopped.value)
    assert f"{raw}.md: Number: '{raw}' is not a number (digits 0-9 only). Write the issue number in digits" in message
    assert f"articles/a.md: Issue: '{raw}' is not an issue number." in message
    # invoke new-issue skips the odd file instead of crashing on it
    assert new_issue(tmp_path / "content").name == "2.md"


@pytest.mark.parametrize("title", ["!!!", "—", "🙂🙂", "???", "..."])
def test_new_article_refuses_a_title_without_letters(tmp_path, title):
    write_files(tmp_path / "content", people())
    with pytest.raises(ScaffoldError, match="has no letters or digits"):
        new_article(tmp_path / "content", title, ["anna"])
    assert not (tmp_path / "content" / "articles").exists()


def invoke(*args):
    return subprocess.run([sys.executable, "-m", "invoke", *args], cwd=ROOT, capture_output=True, text=True)


def test_the_new_article_command_explains_instead_of_a_traceback(tmp_path):
    write_files(tmp_path / "content", {**people(), **dict([issue_file(1, "Een")])})
    content = str(tmp_path / "content")
    for args, message in [(["!!!"], "has no letters or digits"),
                          (["Goed", "--issue", "²"], "--issue '²' is not an issue number"),
                          (["Goed", "--issue", "drie"], "--issue 'drie' is not an issue number")]:
        run = invoke("new-article", *args, "--author", "anna", "--content", content)
        assert run.returncode == 2 and message in run.stderr and "Traceback" not in run.stderr, run.stderr
    assert not (tmp_path / "content" / "articles").exists()


def build_command(*args, plain=False):
    command = ([sys.executable, "-m", "pelican", "-s", DEV_SETTINGS] if plain
               else [sys.executable, "-m", "kring.build", "-s", DEV_SETTINGS])
    env = {**os.environ, "COLUMNS": "400"}  # Pelican's console would cut long paths short
    return subprocess.run(command + list(args), cwd=ROOT, capture_output=True, text=True, env=env)


@pytest.mark.parametrize("plain", [False, True], ids=["kring.build", "pelican"])
def test_a_read_only_output_folder_is_one_message(tmp_path, tmpfs, plain):  # noqa: F811
    output = tmpfs("output", "1m")
    subprocess.run(["mount", "-o", "remount,ro", str(output)], check=True)
    run = build_command("-o", str(output / "site"), plain=plain)
    text = re.sub(r"\s+", " ", run.stdout + run.stderr)
    assert run.returncode == 1 and "Traceback" not in text, text[-3000:]
    assert f"Could not write {output / 'site'}: Read-only file system." in text
    assert "make it writable, or choose another folder" in text


@pytest.mark.parametrize("size", ["300k", "1m", "3m"])
def test_a_full_disk_is_one_message(tmp_path, tmpfs, size):  # noqa: F811
    """Full at different moments: while writing pages, feeds or the search index."""
    output = tmpfs("output", size)
    run = build_command("-o", str(output / "site"))
    text = re.sub(r"\s+", " ", run.stdout + run.stderr)
    assert run.returncode == 1 and "Traceback" not in text, text[-3000:]
    assert "No space left on device" in text or "is the disk full?" in text, text[-3000:]
    assert "free some space" in text or "The search index was not built" in text


@pytest.mark.parametrize("raw", ["²", "٣", "1_0", "-1"])
def test_an_event_sequence_that_is_not_ascii_digits_is_a_message(tmp_path, raw):
    files = {**people(), "events/borrel.md": f"Title: Borrel\nStart: 2026-12-10 16:00\nDuration: 1h\n"
                                            f"Location: Utrecht\nSequence: {raw}\n\nTekst.\n"}
    with pytest.raises(BuildStopped) as stopped:
        build_into(tmp_path, files)
    assert f"events/borrel.md: Sequence: '{raw}' is not a whole number." in str(stopped.value)


@pytest.mark.parametrize("flag", ["-s", "-c"])
def test_a_missing_settings_file_or_content_folder_is_one_line(tmp_path, flag):
    """E.g. the TWiR command of compat/twirconf.py on a clone without ../shared beside it."""
    missing = str(tmp_path / "not-there")
    args = ["-s", missing] if flag == "-s" else ["-s", DEV_SETTINGS, "-c", missing, "-o", str(tmp_path / "out")]
    run = subprocess.run([sys.executable, "-m", "kring.build", *args], capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 2
    assert run.stderr.strip() == f"{missing}: no such {'settings file' if flag == '-s' else 'content folder'} ({flag})."
    assert not (tmp_path / "out").exists()
