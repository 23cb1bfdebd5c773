"""The e-mail rendition of an issue: one HTML file with inlined CSS, and plain text.

E-mail clients ignore <style> blocks and relative links, so every style is
inlined (css-inline) and every URL is absolute.
"""

from __future__ import annotations

import textwrap

import css_inline
from bs4 import BeautifulSoup


def base_url(settings, conf) -> str:
    """The absolute site address links in an e-mail must start with."""
    for candidate in (conf["KRING_NEWSLETTER_SITEURL"], settings.get("SITEURL", ""), settings.get("FEED_DOMAIN", "")):
        if str(candidate).startswith(("http://", "https://")):
            return str(candidate).rstrip("/")
    return "http://localhost:8000"


def absolutize(html: str, base: str) -> str:
    """Relative href/src in rendered article HTML (e.g. {filename} links) made absolute."""
    soup = BeautifulSoup(html, "lxml")
    for tag in soup.find_all(["a", "img"]):
        attr = "href" if tag.name == "a" else "src"
        value = tag.get(attr)
        if value and not value.startswith(("http://", "https://", "mailto:", "#")):
            tag[attr] = f"{base}/{value.lstrip('./').lstrip('/')}"
    body = soup.body
    return "".join(str(c) for c in body.contents) if body else ""


def inline(html: str) -> str:
    return css_inline.inline(html)


def plain_text(issue, base: str, sitename: str) -> str:
    """The text/plain part: title, editorial, then the TOC with links."""
    editorial = BeautifulSoup(issue.editorial or "", "lxml").get_text("\n").strip()
    lines = [f"{sitename} · {issue.title} (#{issue.number})", "=" * 60, ""]
    paragraphs = [textwrap.fill(p.strip(), 72) for p in editorial.split("\n") if p.strip()]
    lines += ["\n\n".join(paragraphs), "", "-" * 60, ""]
    for article in issue.toc:
        authors = ", ".join(a.name for a in getattr(article, "authors", []) if getattr(getattr(a, "member", None), "public", True))
        lines.append(f"* {article.title}" + (f" ({authors})" if authors else ""))
        summary = BeautifulSoup(getattr(article, "summary", "") or "", "lxml").get_text(" ").strip()
        if summary:
            lines.append(textwrap.indent(textwrap.fill(summary, 70), "  "))
        lines.append(f"  {base}/{article.url}")
        lines.append("")
    coming = getattr(issue, "coming_events", None) or []  # kring_events: the weeks after the issue
    if coming:
        lines += ["-" * 60, ""]
        for occurrence in coming:
            lines.append(f"* {occurrence.event.title} ({occurrence.label})")
            lines.append(f"  {base}/{occurrence.event.url}")
        lines.append("")
    lines.append(f"{base}/{issue.url}")
    return "\n".join(lines) + "\n"
