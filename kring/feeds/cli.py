"""`invoke fetch` / `make fetch`: refresh the community feed archive."""

from __future__ import annotations

import argparse
import logging
import sys

from . import settings as feed_settings
from .sources import load_directory_outside_pelican, sources_from_directory
from .store import ArchiveError
from .update import run, summary


def fetch(settings: dict, *, force: bool = False, progress: bool = True, local_only: bool = False):
    from kring_core.errors import BuildStopped  # noqa: F401  (raised by the loader)

    conf = feed_settings.read(settings)
    directory = load_directory_outside_pelican(settings)
    sources = sources_from_directory(directory, settings["PATH"])
    if local_only:
        sources = [s for s in sources if s.is_local]
    from kring_community.moderation import suspended_feeds

    suspended = suspended_feeds(settings["PATH"], settings)
    if suspended:  # their posts stay in the archive; removing the rule brings them back
        print(f"Suspended in the moderation file, not fetched: {', '.join(sorted(suspended))}")
    return run([s for s in sources if s.key not in suspended], conf, force=force, progress=progress)


def main(argv: list[str] | None = None) -> int:
    import kring  # noqa: F401  (puts plugins/ on sys.path)
    from kring.build import load_settings
    from kring_core.errors import BuildStopped

    parser = argparse.ArgumentParser(description="Fetch the community feeds into the archive.")
    parser.add_argument("-s", "--settings", default="pelicanconf.py")
    parser.add_argument("--force", action="store_true", help="ignore the minimum interval (still conditional)")
    parser.add_argument("--local-only", action="store_true", help="only the local feed files (offline)")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    settings = load_settings(args.settings)
    try:
        reports = fetch(settings, force=args.force, progress=not args.quiet, local_only=args.local_only)
    except (BuildStopped, ArchiveError) as stop:
        print(stop, file=sys.stderr)
        return 2
    print(summary(reports))
    return 0


if __name__ == "__main__":
    sys.exit(main())
