"""Settings of the cross-linking plugin, read once per run with defaults."""

from __future__ import annotations

DEFAULTS = {
    "KRING_RELATED_MAX": 4,
    # What two articles share, and how much each shared item counts.
    "KRING_RELATED_WEIGHTS": {"authors": 3, "groups": 2, "tags": 2, "issue": 1},
    # The lowest score that still makes an article related (>=).
    "KRING_RELATED_THRESHOLD": 2,
    # A group, tag, author or issue shared by more than this share of all
    # articles (and by more than 100) does not count: it relates everything
    # to everything and costs the most (Hugo's cardinalityThreshold).
    "KRING_RELATED_COMMON": 0.1,
    # How many people a member profile shows in the member's network.
    "KRING_NETWORK_MAX": 10,
    # Check every internal link and image of the written site after the build.
    "KRING_LINKCHECK": True,
    # URL prefixes (relative to the site root) written after Pelican finishes,
    # e.g. Pagefind's index, which the check cannot see yet.
    "KRING_LINKCHECK_IGNORE": ["pagefind/"],
    # Pages that are not checked: drafts are previews (their tags have no pages yet).
    "KRING_LINKCHECK_SKIP": ["drafts/"],
}


def read(settings) -> dict:
    conf = {key: settings.get(key, default) for key, default in DEFAULTS.items()}
    # A partial weights table keeps the defaults for the kinds it leaves out.
    conf["KRING_RELATED_WEIGHTS"] = {**DEFAULTS["KRING_RELATED_WEIGHTS"], **(conf["KRING_RELATED_WEIGHTS"] or {})}
    return conf
