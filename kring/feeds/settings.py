"""Settings of the feed aggregator, read once per run with their defaults."""

from __future__ import annotations

import os

DEFAULTS = {
    "KRING_FEED_ARCHIVE": "var/community.sqlite",  # SQLite archive of every fetched post
    "KRING_FEED_REPORT": "",  # fetch report (JSON); empty: next to the archive
    "KRING_FEED_USER_AGENT": "",  # empty: "Kring feed fetcher (<SITENAME>; <SITEURL>)"
    "KRING_FEED_CONNECT_TIMEOUT": 5.0,  # seconds
    "KRING_FEED_READ_TIMEOUT": 10.0,  # seconds between two chunks of the body
    "KRING_FEED_TOTAL_TIMEOUT": 20.0,  # seconds for one feed, redirects included
    "KRING_FEED_MAX_BYTES": 5 * 1024 * 1024,  # body cap after decompression
    "KRING_FEED_MIN_INTERVAL": 3600,  # seconds between two requests for one feed
    "KRING_FEED_CONCURRENCY": 50,  # requests in flight in total
    "KRING_FEED_PER_HOST": 2,  # requests in flight per host
    "KRING_FEED_ALLOW_HOSTS": [],  # internal hosts, addresses or networks feeds may come from (SSRF guard)
    "KRING_FEED_MAX_WAIT": 30 * 86400,  # seconds: cap on Cache-Control, Expires and Retry-After
    "KRING_FEED_PARSE_TIMEOUT": 20.0,  # seconds to parse one feed, in a worker thread
    "KRING_FEED_PARSE_WORKERS": 8,  # feeds parsed at the same time (threads: a slow one does not block the rest)
    "KRING_FEED_LOCAL_AT_BUILD": True,  # the build refreshes local feed files (offline demo)
    "KRING_COMMUNITY_PER_PAGE": 20,  # posts per page of /community/
    "KRING_COMMUNITY_SUMMARY_LENGTH": 400,  # characters of text in a post's summary
    "KRING_COMMUNITY_HOME_POSTS": 5,  # latest posts on the home page
    "KRING_COMMUNITY_PROFILE_POSTS": 5,  # recent posts on a member or group page
    "KRING_COMMUNITY_FEED_ITEMS": 30,  # posts in /community/feed.atom.xml
    "COMMUNITY_URL": "community/",
    "COMMUNITY_SAVE_AS": "community/index.html",
    "COMMUNITY_FEED_ATOM": "community/feed.atom.xml",
    "COMMUNITY_OPML": "community/sources.opml",
    "COMMUNITY_STATUS_URL": "community/status/",
    "COMMUNITY_STATUS_SAVE_AS": "community/status/index.html",
}


def read(settings) -> dict:
    conf = {key: settings.get(key, default) for key, default in DEFAULTS.items()}
    if not conf["KRING_FEED_REPORT"]:
        conf["KRING_FEED_REPORT"] = os.path.splitext(conf["KRING_FEED_ARCHIVE"])[0] + "-report.json"
    if not conf["KRING_FEED_USER_AGENT"]:
        site = settings.get("SITEURL") or settings.get("FEED_DOMAIN") or ""
        name = settings.get("SITENAME", "Kring")
        conf["KRING_FEED_USER_AGENT"] = f"Kring feed fetcher ({name}; {site})".replace("; )", ")")
    return conf
