"""Which feeds to fetch: every `Feeds` entry of every public member and group.

The member and group files are read by kring_directory's own loader (the same
code path as the build), so a feed list means the same thing in both places.
"""

from __future__ import annotations

import os

from .models import Source


def is_url(value: str) -> bool:
    return value.startswith(("http://", "https://"))


def local_path(value: str, content_path: str) -> str:
    return os.path.normpath(os.path.join(content_path, value.lstrip("/")))


def feed_path_problems(directory, settings) -> list:
    """A ContentError for every `Feeds` value that is neither a web address nor a file inside content/.

    The build and `make fetch` both check this before any local file is read:
    a feed file must not lead out of content/ (``..``, or a symbolic link).
    """
    from kring_core.errors import ContentError
    from kring_core.paths import inside_content

    content_path = settings["PATH"]
    root = os.path.normpath(content_path)
    problems = []
    for owner in list(directory.members.values()) + list(directory.groups.values()):
        for value in owner.feeds:
            if is_url(value):
                continue
            path = local_path(value, content_path)
            try:
                if "://" in value or not path.startswith(root + os.sep):
                    raise ContentError(owner.source_path, "Feeds", f"'{value}' is neither a web address nor a file in content/.",
                                       "Use https://... or a path like feeds/name.xml.")
                inside_content(path, settings, source=owner.source_path, field="Feeds")
                if not os.path.isfile(path):
                    raise ContentError(owner.source_path, "Feeds", f"'{value}' does not exist under {os.path.relpath(root)}/.",
                                       "Check the spelling of the path.")
            except ContentError as problem:
                problems.append(problem)
    return problems


def sources_from_directory(directory, content_path: str) -> list[Source]:
    """One Source per distinct feed; the first public owner (members, then groups) keeps it."""
    found: dict[str, Source] = {}
    owners = [("member", m) for m in directory.members.values()] + [("group", g) for g in directory.groups.values()]
    for kind, owner in owners:
        if not owner.public:
            continue
        for value in owner.feeds:
            location = value if is_url(value) else local_path(value, content_path)
            found.setdefault(value, Source(value, location, kind, owner.slug))
    return list(found.values())


def load_directory_outside_pelican(settings: dict):
    """Read members and groups with the build's loader, without running a build."""
    from pelican import Pelican
    from pelican.generators import Generator

    from kring_core import collector
    from kring_core.errors import BuildStopped
    from kring_directory.loader import load_directory

    Pelican(settings)  # registers the plugins: the checked reader, the problem collector
    collector.reset()
    generator = Generator(
        context=settings.copy(),
        settings=settings,
        path=settings["PATH"],
        theme=settings["THEME"],
        output_path=settings["OUTPUT_PATH"],
    )
    directory = load_directory(generator)
    problems = collector.problems() + feed_path_problems(directory, settings)
    if problems:
        raise BuildStopped(problems)
    return directory
