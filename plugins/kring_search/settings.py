"""Settings of the search and metadata plugin, read once per run with defaults."""

import shlex

DEFAULTS = {
    "KRING_SEARCH_INDEX": True,
    "KRING_SEARCH_INDEX_WAIT": True,  # False (make serve): the rebuilt pages are served while Pagefind still indexes
    "KRING_SEARCH_LANGUAGE": "",  # empty: DEFAULT_LANG
    "KRING_SEARCH_COMMAND": "",  # empty: the pinned PyPI package's binary (what `python -m pagefind` runs)
    "KRING_SEARCH_TIMEOUT": 300,  # seconds Pagefind may take before the build fails
    "SEARCH_URL": "search/",
    "SEARCH_SAVE_AS": "search/index.html",  # the search page (``search`` in DIRECT_TEMPLATES)
    "KRING_SITEMAP_SAVE_AS": "sitemap.xml",
    "KRING_ROBOTS_SAVE_AS": "robots.txt",
    "KRING_PUBLIC_URL": "",  # empty: SITEURL when absolute, else FEED_DOMAIN
}


def read(settings) -> dict:
    values = {key: settings.get(key, default) for key, default in DEFAULTS.items()}
    values["KRING_SEARCH_LANGUAGE"] = values["KRING_SEARCH_LANGUAGE"] or settings.get("DEFAULT_LANG", "en")
    values["KRING_PUBLIC_URL"] = public_url(settings, values["KRING_PUBLIC_URL"])
    program = values["KRING_SEARCH_COMMAND"]
    values["KRING_SEARCH_COMMAND"] = shlex.split(program) if isinstance(program, str) else list(program)
    values["KRING_SEARCH_TIMEOUT"] = float(values["KRING_SEARCH_TIMEOUT"])
    return values


def public_url(settings, explicit: str = "") -> str:
    """The absolute address the site is published at (canonical links need one)."""
    if explicit:
        return explicit.rstrip("/")
    siteurl = settings.get("SITEURL", "") or ""
    if siteurl.startswith(("http://", "https://")):
        return siteurl.rstrip("/")
    return (settings.get("FEED_DOMAIN") or "").rstrip("/")
