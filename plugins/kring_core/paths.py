"""Content comes from inside content/ only.

Every file Kring reads or copies because of content (articles, member and
issue files, static files, avatars, covers, local feed files, and whatever a
later plugin reads) passes through ``inside_content``: a path that resolves,
after following every symbolic link, outside ``PATH`` (and the folders listed
in ``KRING_CONTENT_ROOTS``) stops the build naming the file. One merged
symlink could otherwise publish the CI's deploy key.

Hard links cannot be told apart from ordinary files by their path; the
README says so.
"""

from __future__ import annotations

import os

from .errors import ContentError, display_path

HINT = "Kring only publishes files inside content/: copy the file into content/ instead of linking to it."


def content_roots(settings) -> list[str]:
    """The real paths of content/ and of the extra folders KRING_CONTENT_ROOTS allows."""
    root = os.path.realpath(settings["PATH"])
    project = os.path.dirname(root)
    extra = [os.path.realpath(os.path.join(project, p)) for p in settings.get("KRING_CONTENT_ROOTS") or []]
    return [root] + extra


def _within(real: str, roots: list[str]) -> bool:
    return any(real == r or real.startswith(r.rstrip(os.sep) + os.sep) for r in roots)


def _offending_link(full: str, roots: list[str]) -> str | None:
    """The first symbolic link on the way to ``full`` that leads out (a linked folder is named once)."""
    parts = os.path.normpath(full).split(os.sep)
    for i in range(2, len(parts) + 1):
        step = os.sep.join(parts[:i]) or os.sep
        if os.path.islink(step) and not _within(os.path.realpath(step), roots):
            return step
    return None


def _shown(path: str, root: str) -> str:
    """A path as the editor wrote it: relative to content/ when it starts there."""
    rel = os.path.relpath(path, os.path.abspath(root))
    return path if rel.startswith("..") else rel


def inside_content(path: str, settings, *, source: str = "", field: str = "") -> str:
    """The real path of ``path`` (relative to content/, or absolute) if it lies inside content/.

    Otherwise raises ContentError naming ``source`` and ``field`` (the file and
    field that named the path) or, without them, the offending file itself.
    """
    full = os.path.join(settings["PATH"], path)
    real = os.path.realpath(full)
    roots = content_roots(settings)
    if _within(real, roots):
        return real
    root_shown = display_path(roots[0])
    link = _offending_link(os.path.abspath(full), roots)
    if link is not None:
        kind = "folder" if os.path.isdir(link) else "file"
        problem = f"'{_shown(link, roots[0])}' is a symbolic link to the {kind} {os.path.realpath(link)}, outside {root_shown}/."
        target = source or link
    else:
        problem = f"'{_shown(os.path.abspath(full), roots[0])}' is outside {root_shown}/."
        target = source or full
    raise ContentError(target, field, problem, HINT)


def reported_outside(path: str, settings, *, source: str, field: str) -> bool:
    """For fields that name a file: report it (True) when it lies outside content/."""
    from .collector import report

    try:
        inside_content(path, settings, source=source, field=field)
    except ContentError as problem:
        report(problem)
        return True
    return False


def check_read(readers) -> None:
    """``readers_init`` receiver: every file Pelican's readers open must be inside content/.

    Articles, pages, members, groups, issues and static files are all read
    through ``Readers.read_file``. A static file is not parsed (so Pelican does
    not catch errors around it): its problem is reported and the build stops
    before anything is written, like every other content problem.
    """
    from .collector import report

    read_file = readers.read_file

    def checked_read_file(base_path, path, *args, **kwargs):
        settings = {**readers.settings, "PATH": readers.settings.get("PATH") or base_path}
        try:
            inside_content(os.path.join(base_path, path), settings)
        except ContentError as problem:
            if kwargs.get("fmt") != "static":
                raise
            report(problem)
        return read_file(base_path, path, *args, **kwargs)

    readers.read_file = checked_read_file
