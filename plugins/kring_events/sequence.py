"""A reminder to raise ``Sequence:`` when an event moves.

The calendars' SEQUENCE is the event file's ``Sequence:`` field (the same on
every machine, CI's fresh clone included). A build that has a cache
remembers each event's time and sequence, and warns when the time changed
but the sequence did not grow: calendar apps would keep the old time.
Only a warning: a cache is not the source, and a fresh clone has none.
"""

from __future__ import annotations

import logging
import os

from kring_core.errors import display_path
from kring_core.stored import load_dict, save_dict


logger = logging.getLogger(__name__)


def _times(event) -> tuple:
    return (event.start.isoformat(), event.end.isoformat(), event.repeat, event.timezone)


def check(events: list, cache_dir: str | None, content_path: str) -> list[str]:
    """Warn about every moved event whose Sequence did not grow; returns the warnings."""
    folder = cache_dir
    if not folder:
        return []
    path = os.path.join(folder, "event-times.pickle")
    known = load_dict(path)
    warnings = []
    for event in events:
        key = f"{os.path.abspath(content_path)}:{event.slug}"
        times, before = _times(event), known.get(key)
        if before is not None and before[0] != times and event.sequence <= before[1]:
            message = (f"{display_path(event.source_path)}: Sequence: the time changed since the last build, but "
                       f"Sequence is still {event.sequence}. Write 'Sequence: {before[1] + 1}' so calendar apps "
                       "that subscribed take the new time.")
            logger.warning(message)
            warnings.append(message)
            continue  # keep the old time: the warning stays until Sequence grows
        known[key] = (times, event.sequence)
    save_dict(path, known)
    return warnings
