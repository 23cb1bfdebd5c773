"""Collects every content problem of one Pelican run.

Pelican logs (rather than raises) what goes wrong while reading a file, and
drops the exception itself unless DEBUG is on. A filter on Pelican's loggers
turns those log records into ``ContentError``s and keeps them here, so the
build can stop with one message instead of skipping the file silently.
"""

from __future__ import annotations

import logging
import sys

from . import pelican_compat, run
from .errors import BuildFailed, BuildStopped, ContentError, write_failed

WATCHED_LOGGERS = pelican_compat.SKIPPING_LOGGERS  # their errors mean a source file was skipped


def reset(*_args, **_kwargs) -> None:
    """Forget the problems found so far (for checks run outside a Pelican run)."""
    run.current().problems.clear()


def report(problem: ContentError | str) -> None:
    run.current().problems.append(problem)


def problems() -> list[ContentError | str]:
    return list(run.current().problems)


class _PelicanErrorFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno < logging.ERROR:
            return True
        exc = sys.exc_info()[1]
        if isinstance(exc, ContentError):
            report(exc)
        elif exc is not None:
            report(f"{record.getMessage()}: {exc}")
        else:
            report(_describe(record))
        return False  # reported once, by the build's own message


def _describe(record: logging.LogRecord) -> str:
    args = record.args if isinstance(record.args, tuple) else ()
    content = args[0] if args else None
    source = getattr(content, "source_path", None)
    if record.msg.startswith(pelican_compat.MISSING_FIELD_MESSAGE) and source:
        field = str(args[1]).capitalize()
        return str(
            ContentError(source, field, "is missing.", f"Add a line '{field}: ...' at the top of the file.")
        )
    return record.getMessage()


_FILTER = _PelicanErrorFilter()


class _PlainPelicanFilter(logging.Filter):
    """The plain `pelican` command logs any exception with its traceback; ours say it all in words."""

    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        if record.levelno >= logging.CRITICAL and isinstance(exc, (BuildStopped, BuildFailed, OSError)):
            text = write_failed(exc) if isinstance(exc, OSError) else str(exc)
            record.msg, record.args, record.exc_info, record.exc_text = "%s", (text,), None, None
        return True


_PLAIN = _PlainPelicanFilter()


def install() -> None:
    for name in WATCHED_LOGGERS:
        logger = logging.getLogger(name)
        if _FILTER not in logger.filters:
            logger.addFilter(_FILTER)
    cli = logging.getLogger("pelican")
    if _PLAIN not in cli.filters:
        cli.addFilter(_PLAIN)
