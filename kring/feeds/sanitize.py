"""Sanitize: feed HTML is hostile input; only an allowlist survives.

nh3 (ammonia) keeps a small set of text tags, drops everything executable
(script, style, iframe, object, embed, form, svg, math, on* attributes) and
every URL whose scheme is not http, https or mailto. Relative URLs are resolved
against the entry's link; links get rel="nofollow noopener ugc". Images are not
kept: they would make our pages request third-party hosts.
"""

from __future__ import annotations

import html
import re
from urllib.parse import urljoin, urlsplit

import nh3
from bs4 import BeautifulSoup, NavigableString

from .bounds import NOT_XML, line

TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "dd", "del", "dfn", "div", "dl", "dt",
    "em", "figcaption", "figure", "h2", "h3", "h4", "h5", "h6", "hr", "i", "ins", "kbd", "li", "mark", "ol",
    "p", "pre", "q", "s", "samp", "small", "span", "strong", "sub", "sup", "table", "tbody", "td", "tfoot",
    "th", "thead", "time", "tr", "u", "ul",
}  # fmt: skip
ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "blockquote": {"cite"},
    "q": {"cite"},
    "del": {"cite"},
    "ins": {"cite"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "time": {"datetime"},
}
URL_ATTRIBUTES = {"href", "cite"}
SCHEMES = {"http", "https", "mailto"}
# Dropped with everything inside them, not just their tags.
DROP_WITH_CONTENT = {"script", "style", "template", "textarea", "noscript", "title", "select", "svg", "math"}
REL = "nofollow noopener ugc"


def clean_html(fragment: str, base_url: str = "", links: list[str] | None = None) -> str:
    """Sanitised HTML; relative links resolved against base_url (or dropped).

    ``links``, when given, receives the address of every link (``<a href>``) the result keeps.
    """
    if not fragment:
        return ""
    fragment = NOT_XML.sub("", fragment)
    base = base_url if urlsplit(base_url).scheme in ("http", "https") else ""

    def resolve(_tag: str, attribute: str, value: str) -> str | None:
        if attribute not in URL_ATTRIBUTES:
            return value
        absolute = urljoin(base, value.strip()) if base else value.strip()
        if urlsplit(absolute).scheme.lower() not in SCHEMES:
            return None
        if links is not None and _tag == "a" and attribute == "href":
            links.append(absolute)
        return absolute

    return nh3.clean(
        fragment,
        tags=TAGS,
        clean_content_tags=DROP_WITH_CONTENT,
        attributes=ATTRIBUTES,
        attribute_filter=resolve,
        url_schemes=SCHEMES,
        link_rel=REL,
        strip_comments=True,
    ).strip()


def text_to_html(text: str) -> str:
    """Plain text as escaped paragraphs."""
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", NOT_XML.sub("", text or "")) if p.strip()]
    return "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)


def plain_text(fragment: str) -> str:
    """Text of an HTML fragment (titles, categories): no markup at all."""
    if not fragment or "<" not in fragment and "&" not in fragment:
        return line(fragment)
    return line(BeautifulSoup(clean_html(fragment), "html.parser").get_text(" "))


TAG = re.compile(r"<[^>]*>")


def _enough_text(clean: str, limit: int) -> str:
    """The start of `clean` holding a little more than `limit` characters of text: the soup stays small."""
    used = position = 0
    for tag in TAG.finditer(clean):
        used += len(html.unescape(clean[position : tag.start()]))
        if used > limit:
            return clean[: tag.start()]  # unclosed tags are closed by the parser (and nh3 after it)
        position = tag.end()
    return clean


def cut(clean: str, limit: int) -> str:
    """At most `limit` characters of text, cut at a word, markup kept well-formed."""
    if len(clean) <= limit:  # markup included: the text is surely short enough
        return clean
    soup = BeautifulSoup(_enough_text(clean, limit), "html.parser")
    used, over = 0, False
    for text in soup.find_all(string=True):
        if over:
            text.extract()
            continue
        if used + len(text) > limit:
            kept = text[: max(0, limit - used)]
            # Never half a word: without a space left, the word goes (unless it is the very first).
            kept = kept.rsplit(" ", 1)[0] if " " in kept.strip() else ("" if used else kept)
            text.replace_with(kept.rstrip(" ,.;:") + "…")
            over = True
        used += len(text)
    if over:
        # Innermost first, so one look at each tag's own children is enough (linear, even nested deep).
        for tag in reversed(soup.find_all(True)):
            if tag.name not in ("br", "hr") and not any(
                not isinstance(child, NavigableString) or child.strip() for child in tag.children
            ):
                tag.decompose()
    return clean_html(str(soup)) if over else clean
