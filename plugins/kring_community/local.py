"""Local feed files at build time: checked, and refreshed into the archive.

This is what makes the demo work offline on a fresh clone: the build reads the
demo's feed files in content/ into the archive itself (cheap: an unchanged file
is skipped by its size and mtime). Remote feeds are only fetched by `make fetch`.
"""

from __future__ import annotations

from kring.feeds.sources import feed_path_problems, sources_from_directory
from kring.feeds.update import run
from kring_core import ContentError, report


def check_feed_fields(directory, settings) -> bool:
    """Report Feeds values that are neither web addresses nor files inside content/."""
    problems = feed_path_problems(directory, settings)
    for problem in problems:
        report(problem)
    return not problems


def refresh_local_feeds(directory, content_path: str, conf: dict, skip=frozenset()) -> None:
    """Read the local feed files into the archive, except the suspended ones (``skip``)."""
    sources = [s for s in sources_from_directory(directory, content_path) if s.is_local and s.key not in skip]
    if sources:
        reports = run(sources, conf, report=False)
        for source, r in zip(sources, reports):
            if r.status == "failed":  # a broken demo feed file is an editor mistake
                report(ContentError(source.location, "", f"is not a readable feed ({r.reason}).", "Fix or remove the file."))
