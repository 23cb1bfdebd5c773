"""Run one Pelican build and report editor mistakes without a traceback."""

from __future__ import annotations

import logging
import os
import sys

from pelican import Pelican
from pelican.log import init as init_logging
from pelican.settings import read_settings

from kring_core.errors import BuildFailed, BuildStopped, write_failed


def load_settings(settings_file: str, overrides: dict | None = None) -> dict:
    return read_settings(settings_file, override=overrides or {})


def build(settings_file: str = "pelicanconf.py", overrides: dict | None = None) -> Pelican:
    """Build the site once. Raises BuildStopped with every content problem."""
    settings = load_settings(settings_file, overrides)
    pelican = Pelican(settings)
    try:
        pelican.run()
    except OSError as err:
        if not err.filename:  # a failed write() names no file: name the folder it went to
            err.filename = settings["OUTPUT_PATH"]
        raise
    return pelican


def _missing_input(args) -> str:
    """A settings file or content folder that is not there, said in one line (Pelican raises)."""
    if not os.path.isfile(args.settings):
        return f"{args.settings}: no such settings file (-s)."
    if args.content and not os.path.isdir(args.content):
        return f"{args.content}: no such content folder (-c)."
    return ""


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(description="Build the Kring site.")
    parser.add_argument("-s", "--settings", default="pelicanconf.py")
    parser.add_argument("-c", "--content", help="content folder (default: PATH, i.e. content/)")
    parser.add_argument("-o", "--output", help="output folder (default: OUTPUT_PATH)")
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args(argv)
    missing = _missing_input(args)
    if missing:
        print(missing, file=sys.stderr)
        return 2
    init_logging(level=logging.INFO if args.verbose else logging.WARNING)
    overrides = {}
    if args.content:
        overrides["PATH"] = os.path.abspath(args.content)
    if args.output:
        overrides["OUTPUT_PATH"] = os.path.abspath(args.output)
    try:
        build(args.settings, overrides)
    except (BuildStopped, BuildFailed) as stop:
        print(stop, file=sys.stderr)
        return stop.exitcode
    except OSError as err:
        print(write_failed(err), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
