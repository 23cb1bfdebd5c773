"""Settings of kring_speed, read once per run with their defaults."""

from __future__ import annotations

import os

DEFAULTS = {
    "KRING_SPEED": True,  # False: no Kring cache, no parallel reading or writing (plain Pelican behaviour)
    "KRING_PROCESSES": 0,  # processes that read and write at once; 0: one per core, at most 4
    "KRING_CACHE_KEEP": 8,  # cache folders (one per settings + plugin version) kept under CACHE_PATH
    "KRING_INCREMENTAL": True,  # render only the pages whose inputs changed since the last build
    "KRING_READ_AHEAD_MIN": 40,  # fewer unread files than this are read the usual way (forking costs)
    # Plugins' generators that only render templates through the writer: their pages are split too.
    "KRING_SPLIT_GENERATORS": ["kring_issues.generator.IssuesGenerator", "kring_community.CommunityGenerator",
                               "kring_events.generator.EventsGenerator", "kring_responses.ResponsesGenerator"],
}


def read(settings) -> dict:
    conf = {key: settings.get(key, default) for key, default in DEFAULTS.items()}
    if not conf["KRING_PROCESSES"]:
        conf["KRING_PROCESSES"] = min(os.cpu_count() or 1, 4)
    if not conf["KRING_SPEED"]:
        conf["KRING_PROCESSES"] = 1
    return conf
