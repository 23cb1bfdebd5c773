"""Editor-facing build errors: one message naming the file, the field and the fix.

Content problems are collected for the whole run instead of raised at the first
one, so an editor sees every mistake at once; the build stops before anything
is written (see ``guard``).
"""

from __future__ import annotations

import difflib
import errno
import os
from dataclasses import dataclass
from typing import Iterable


@dataclass(frozen=True)
class ContentError(Exception):
    """One editor mistake in one source file."""

    path: str
    field: str
    problem: str
    hint: str = ""

    def __str__(self) -> str:
        where = display_path(self.path)
        field = f" {self.field}:" if self.field else ""
        hint = f" {self.hint}" if self.hint else ""
        return f"{where}:{field} {self.problem}{hint}"


class BuildStopped(Exception):
    """Raised before writing when the content has problems; lists them all."""

    exitcode = 2

    def __init__(self, errors: Iterable[ContentError | str]):
        self.errors = list(dict.fromkeys(str(e) for e in errors))
        count = len(self.errors)
        noun = "problem" if count == 1 else "problems"
        lines = "\n".join(f"  - {e}" for e in self.errors)
        super().__init__(f"The build stopped: {count} {noun} in the content.\n{lines}")


class BuildFailed(Exception):
    """A step of the build failed (the search index, writing to disk): not the editors' doing.

    The message says what failed and what to do; nothing is published.
    """

    exitcode = 1


def display_path(path: str) -> str:
    """A path as an editor would type it: relative to the working directory."""
    if not path:
        return "<settings>"
    try:
        rel = os.path.relpath(path)
    except ValueError:
        return path
    return path if rel.startswith("..") else rel


def did_you_mean(word: str, choices: Iterable[str], *, label: str = "") -> str:
    """A 'did you mean' hint with the nearest choice, or an empty string."""
    choices = list(choices)
    lowered = {c.lower(): c for c in choices}
    match = difflib.get_close_matches(word.lower(), list(lowered), n=1, cutoff=0.6)
    if not match:
        return ""
    best = lowered[match[0]]
    return f"Did you mean '{best}'{label.format(best) if label else ''}?"


_OS_HINTS = {
    errno.ENOSPC: "The disk is full: free some space (or write elsewhere) and run it again.",
    errno.EDQUOT: "The disk quota is used up: free some space (or write elsewhere) and run it again.",
    errno.EROFS: "That file system is read-only: make it writable, or choose another folder.",
    errno.EACCES: "Kring may not write there: fix the folder's permissions, or choose another folder.",
    errno.EPERM: "Kring may not write there: fix the folder's permissions, or choose another folder.",
}


def os_problem(err: OSError, doing: str) -> str:
    """One line for an operator: what failed, on which file, and what to do (no traceback)."""
    where = f" {display_path(str(err.filename))}" if err.filename else ""
    reason = err.strerror or str(err)
    hint = _OS_HINTS.get(err.errno, "Check the file and the folder it is in, and run it again.")
    return f"Could not {doing}{where}: {reason}. {hint}"


def write_failed(err: OSError) -> str:
    """The build's own message for a file system error (full disk, read-only output)."""
    return f"The build failed. {os_problem(err, 'write')}"
