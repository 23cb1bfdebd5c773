"""Shared pieces of the feed tests: a feed document, a run against one URL, an archive peek."""

from __future__ import annotations

import sqlite3

from bs4 import BeautifulSoup

from kring.feeds import settings as feed_settings
from kring.feeds.models import Source
from kring.feeds.update import run

FORBIDDEN_TAGS = {"script", "style", "iframe", "object", "embed", "form", "svg", "math", "input", "button",
                  "link", "meta", "base", "frame", "frameset", "applet", "img", "video", "audio", "source"}
BAD_SCHEMES = ("javascript:", "data:", "vbscript:", "file:")
# pytest-httpserver listens on localhost: the SSRF guard must be told it is wanted.
LOCAL_SERVER = ["localhost"]


def atom(entries: list[dict], title: str = "Blog") -> bytes:
    """A small Atom feed; entries: dicts with id, link, title, summary (HTML), updated."""
    items = []
    for e in entries:
        parts = [f"<title>{e.get('title', 'Zonder titel')}</title>"]
        if e.get("id"):
            parts.append(f"<id>{e['id']}</id>")
        if e.get("link"):
            parts.append(f'<link rel="alternate" href="{e["link"]}"/>')
        parts.append(f"<updated>{e.get('updated', '2026-11-01T10:00:00Z')}</updated>")
        summary = e.get("summary", "<p>Tekst.</p>").replace("&", "&amp;").replace("<", "&lt;")
        parts.append(f'<summary type="html">{summary}</summary>')
        items.append("<entry>" + "".join(parts) + "</entry>")
    return (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        f"<title>{title}</title><id>tag:test,2026:blog</id><updated>2026-11-01T10:00:00Z</updated>"
        + "".join(items) + "</feed>"
    ).encode()


def conf_for(tmp_path, **overrides) -> dict:
    settings = {"KRING_FEED_ARCHIVE": str(tmp_path / "archive.sqlite"), "SITENAME": "Testkring",
                "SITEURL": "https://kring.example.nl", "KRING_FEED_READ_TIMEOUT": 2.0,
                "KRING_FEED_CONNECT_TIMEOUT": 2.0, "KRING_FEED_TOTAL_TIMEOUT": 5.0,
                "KRING_FEED_ALLOW_HOSTS": LOCAL_SERVER, **overrides}
    return feed_settings.read(settings)


def source(url: str, slug: str = "anna") -> Source:
    return Source(url, url, "member", slug)


def fetch_one(conf: dict, url: str, force: bool = False):
    """Run the whole pipeline for one feed; returns its FeedReport."""
    return run([source(url)], conf, force=force)[0]


def rows(conf: dict, sql: str, *args):
    conn = sqlite3.connect(conf["KRING_FEED_ARCHIVE"])
    try:
        return conn.execute(sql, args).fetchall()
    finally:
        conn.close()


def unsafe_parts(fragment: str) -> list[str]:
    """Everything executable or third-party-loading left in an HTML fragment."""
    found = []
    for tag in BeautifulSoup(fragment, "html.parser").find_all(True):
        if tag.name in FORBIDDEN_TAGS:
            found.append(f"<{tag.name}>")
        for name, value in tag.attrs.items():
            value = " ".join(value) if isinstance(value, list) else str(value)
            if name.lower().startswith("on") or name.lower() in ("style", "srcset", "formaction", "action"):
                found.append(f"{tag.name}[{name}]")
            compact = "".join(value.split()).lower()
            if compact.startswith(BAD_SCHEMES):
                found.append(f"{tag.name}[{name}={value[:40]}]")
    return found


def site_conf(tmp_path, **overrides) -> dict:
    """conf_for the archive a make_site build reads (tmp_path/var/community.sqlite)."""
    return conf_for(tmp_path, KRING_FEED_ARCHIVE=str(tmp_path / "var" / "community.sqlite"), **overrides)


def build_with_feeds(make_site, feeds: list[str], **settings):
    """Build a small site whose member Anna (in group itil) lists `feeds`; returns the Site."""
    from sitekit import group, member

    files = dict([
        group("itil", "Servicemanagement", Moderators="anna"),
        member("anna", "Anna de Vries", Groups="itil", Feeds=", ".join(feeds)),
    ])  # fmt: skip
    return make_site(files, **settings)


def valid_xml(site, url: str):
    """The file parsed by a strict XML parser (raises on any character XML cannot carry)."""
    from lxml import etree

    return etree.fromstring(site.path(url).read_bytes())


def community_titles(site) -> list[str]:
    return [h.get_text(strip=True) for h in site.soup("/community/").select(".post .card__title")]
