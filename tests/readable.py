"""What a reader should never see on a page: the checks behind the visible-text tests.

`problems(html)` reads a page the way a reader meets it — the text that is shown
(not <script>, <style>, hidden elements or the inside of code samples) and the
attribute text that is read out or shown (alt, title, aria-label, placeholder,
the description and share-preview tags) — and names every leak of the machinery:
markup or entities printed as text, template syntax, None/Undefined/nan, Python
reprs, empty brackets and dangling separators, unrendered Markdown, placeholders,
TODOs and interface strings in the other language than the text around them.

Shared by tests/test_visible_text.py (every built page) and the browser suite.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

from babel.messages.pofile import read_po
from lxml import html as lxml_html

THEME_TRANSLATIONS = Path(__file__).resolve().parent.parent / "theme" / "translations"

# (what a reader sees, pattern). Case-sensitive unless the pattern says otherwise.
LEAKS: list[tuple[str, re.Pattern]] = [
    ("markup shown as text", re.compile(r"</?[a-zA-Z][a-zA-Z0-9-]*(?:\s[^<>]*)?/?>")),
    ("entity shown as text", re.compile(r"&(?:[a-zA-Z][a-zA-Z0-9]{1,9}|#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6});")),
    ("template syntax", re.compile(r"\{\{|\}\}|\{%|%\}|\{#|#\}")),
    ("an empty value printed", re.compile(r"\b(?:None|Undefined|undefined|NaN|nan|null|Infinity)\b")),
    ("a Python repr", re.compile(
        r"object at 0x[0-9a-fA-F]+|<(?:bound method|function|class|generator|built-in)\b"
        r"|\b(?:datetime|date|time|Decimal|Markup|PosixPath|Path|defaultdict|OrderedDict|"
        r"dict_keys|dict_values|dict_items|Counter|SafeDate|Member|Group|Author|Tag|Article)\("
        r"|\[\s*'|'\s*\]|\{\s*'[^']*'\s*:|\\n|\\\"")),
    ("empty brackets", re.compile(r"\(\s*\)|\[\s*\]|\{\s*\}")),
    ("a dangling separator", re.compile(r"(?:^|\s)[,·|]\s*[,·|](?:\s|$)|\(\s*[,·]|[,·]\s*\)")),
    ("an unfilled placeholder", re.compile(r"%\([a-z_]+\)[sd]|(?<![\w%])%[sd]\b|\{[a-z_]+\}")),
    ("unrendered Markdown", re.compile(r"\]\((?:https?:|/|\.)|\*\*[^*\s][^*]*\*\*|(?:^|\n)#{1,6} \S|`[^`\s][^`]*`")),
    ("a note to the editor", re.compile(r"\b(?:TODO|FIXME|XXX|TBD)\b|(?i:lorem ipsum)")),
]
# A block whose whole text is one of these is an excerpt or value that went missing.
EMPTY_BLOCKS = {"…", "...", "-", ",", "·", ":"}
BLOCKS = {"p", "li", "dd", "dt", "td", "th", "figcaption", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "caption", "summary"}

# Not shown at all, or shown as a sample (a code block about templates may print `{{`).
NOT_SHOWN = {"script", "style", "template", "head", "noscript"}
SAMPLES = {"code", "pre", "kbd", "samp", "var"}
READ_OUT = ("alt", "title", "aria-label", "placeholder", "aria-description")
SHARED_META = {"description", "og:title", "og:description", "og:image:alt", "og:site_name",
               "twitter:title", "twitter:description", "twitter:image:alt"}
TRAILING = " \t\n:·,→←…()"


def _hidden(el) -> bool:
    style = (el.get("style") or "").replace(" ", "").lower()
    return el.get("hidden") is not None or "display:none" in style or "visibility:hidden" in style


def visible_text(html: str) -> list[tuple[str, str]]:
    """[(text, lang)] of every piece of text a reader sees, in page order."""
    root = lxml_html.document_fromstring(html)
    page_lang = root.get("lang", "")
    found: list[tuple[str, str]] = []

    def walk(el, lang: str) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        tag = tag.rsplit("}", 1)[-1].lower()
        if not tag or tag in NOT_SHOWN or tag in SAMPLES or _hidden(el):
            return
        lang = el.get("lang") or lang
        if el.text and el.text.strip():
            found.append((el.text, lang))
        for child in el:
            walk(child, lang)
            if child.tail and child.tail.strip():
                found.append((child.tail, lang))

    body = root.find("body")
    walk(body if body is not None else root, page_lang)
    title = root.findtext(".//title")
    if title and title.strip():
        found.insert(0, (title, page_lang))
    return found


def read_out_text(html: str) -> list[tuple[str, str]]:
    """[(where, text)] of attribute text a reader meets: alt, title, labels, share previews."""
    root = lxml_html.document_fromstring(html)
    found = []
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        tag = el.tag.rsplit("}", 1)[-1].lower()
        if tag == "meta":
            name = el.get("name") or el.get("property") or ""
            if name in SHARED_META:
                found.append((f"<meta {name}>", el.get("content") or ""))
            continue
        if any(a.tag in NOT_SHOWN for a in el.iterancestors() if isinstance(a.tag, str)):
            continue
        for attr in READ_OUT:
            value = el.get(attr)
            if value is not None:
                found.append((f"<{tag} {attr}>", value))
    return found


def _snippet(text: str, match: re.Match) -> str:
    start, end = max(0, match.start() - 40), min(len(text), match.end() + 40)
    return " ".join(text[start:end].split())


def leaks(text: str) -> list[str]:
    out = []
    for name, pattern in LEAKS:
        for match in pattern.finditer(text):
            out.append(f"{name}: {match.group(0)!r} in “{_snippet(text, match)}”")
    return out


@functools.lru_cache(maxsize=4)
def interface_strings(translations: Path = THEME_TRANSLATIONS) -> dict[str, dict[str, str]]:
    """{lang: {msgid: what a reader of that language sees}} from the theme's catalogs."""
    catalogs: dict[str, dict[str, str]] = {}
    for po in sorted(translations.glob("*/LC_MESSAGES/messages.po")):
        lang = po.parts[-3]
        with open(po, "rb") as f:
            catalog = read_po(f)
        shown = {}
        for message in catalog:
            if not message.id:
                continue
            ids = message.id if isinstance(message.id, (tuple, list)) else (message.id,)
            strings = message.string if isinstance(message.string, (tuple, list)) else (message.string,)
            for i, msgid in enumerate(ids):
                shown[msgid] = (strings[min(i, len(strings) - 1)] if strings else "") or msgid
        catalogs[lang] = shown
    return catalogs


@functools.lru_cache(maxsize=8)
def _foreign(lang: str) -> list[tuple[str, re.Pattern]]:
    """Interface strings of the other languages that a reader of `lang` should not meet."""
    catalogs = interface_strings()
    own = catalogs.get(lang)
    if own is None:
        return []
    patterns = []
    for other, shown in catalogs.items():
        if other == lang:
            continue
        for msgid, text in shown.items():
            if text == own.get(msgid, msgid) or len(text.strip(TRAILING)) < 2:
                continue
            parts = re.split(r"%\([a-z_]+\)[sd]", text.strip(TRAILING))
            patterns.append((other, re.compile(".+?".join(map(re.escape, parts)))))
    return patterns


def wrong_language(text: str, lang: str) -> str | None:
    lang = (lang or "").split("-")[0].lower()
    bare = text.strip(TRAILING)
    for other, pattern in _foreign(lang):
        if pattern.fullmatch(bare):
            return f"interface text in '{other}' on a '{lang}' page: {bare!r}"
    return None


def problems(html: str) -> list[str]:
    """Everything on this page a reader should never see (empty list: the page reads clean)."""
    found = []
    pieces = visible_text(html)
    for text, lang in pieces:
        found += leaks(text)
        wrong = wrong_language(text, lang)
        if wrong:
            found.append(wrong)
    for where, text in read_out_text(html):
        found += [f"{where}: {leak}" for leak in leaks(text)]
    found += _empty_blocks(html)
    return found


def _empty_blocks(html: str) -> list[str]:
    root = lxml_html.document_fromstring(html)
    out = []
    for el in root.iter(*BLOCKS):
        if any(a.tag in NOT_SHOWN | SAMPLES for a in el.iterancestors() if isinstance(a.tag, str)):
            continue
        text = " ".join(el.text_content().split())
        if text in EMPTY_BLOCKS:
            out.append(f"a <{el.tag}> that shows only {text!r}")
    return out
