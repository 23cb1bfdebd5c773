"""Local feed files at build time: checked, and refreshed into the archive.

This is what makes the demo work offline on a fresh clone: the build reads the
demo's feed files in content/ into the archive itself (cheap: an unchanged file
is skipped by its size and mtime). Remote feeds are only fetched by `make fetch`.
"""

from __future__ import annotations

import os

from kring.feeds.sources import is_url, local_path, sources_from_directory
from kring.feeds.update import run
from kring_core import ContentError, report


def check_feed_fields(directory, content_path: str) -> bool:
    """Report Feeds values that are neither web addresses nor files in content/."""
    ok = True
    owners = list(directory.members.values()) + list(directory.groups.values())
    root = os.path.normpath(content_path)
    for owner in owners:
        for value in owner.feeds:
            if is_url(value):
                continue
            path = local_path(value, content_path)
            if "://" in value or not path.startswith(root + os.sep):
                problem, hint = f"'{value}' is neither a web address nor a file in content/.", "Use https://... or a path like feeds/name.xml."
            elif not os.path.isfile(path):
                problem, hint = f"'{value}' does not exist under {os.path.relpath(root)}/.", "Check the spelling of the path."
            else:
                continue
            report(ContentError(owner.source_path, "Feeds", problem, hint))
            ok = False
    return ok


def refresh_local_feeds(directory, content_path: str, conf: dict, skip=frozenset()) -> None:
    """Read the local feed files into the archive, except the suspended ones (``skip``)."""
    sources = [s for s in sources_from_directory(directory, content_path) if s.is_local and s.key not in skip]
    if sources:
        reports = run(sources, conf, report=False)
        for source, r in zip(sources, reports):
            if r.status == "failed":  # a broken demo feed file is an editor mistake
                report(ContentError(source.location, "", f"is not a readable feed ({r.reason}).", "Fix or remove the file."))
