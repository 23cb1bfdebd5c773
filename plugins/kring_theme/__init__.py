"""Theme support: interface language (gettext catalogs) and date formatting.

Templates mark interface strings with ``_()``; the catalog for a language comes
from ``theme/translations/<lang>/LC_MESSAGES/messages.po`` and is compiled in
memory, so no generated .mo file lives in the repository. English needs no
catalog: the msgids are English.

The interface follows the language of the page: an article or page in English
(``Lang: en``) is framed in English — its byline, dates and ``<html lang>`` —
on a Dutch site. Every other page speaks the site's ``DEFAULT_LANG``.
"""

from __future__ import annotations

import functools
import io
import logging
import os
import re
from gettext import GNUTranslations, NullTranslations

from babel.messages.mofile import write_mo
from lxml import html as lxml_html
from markupsafe import Markup, escape
from babel.messages.pofile import read_po
from jinja2 import pass_context
from pelican import signals
from pelican.contents import Content

from . import images

logger = logging.getLogger(__name__)

MONTHS = {
    "nl": "januari februari maart april mei juni juli augustus september oktober november december",
    "en": "January February March April May June July August September October November December",
}


@functools.lru_cache(maxsize=8)
def _catalog(po_path: str, mtime: float) -> GNUTranslations:
    with open(po_path, "rb") as f:
        catalog = read_po(f)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return GNUTranslations(buffer)


def translations_for(theme: str, lang: str):
    po_path = os.path.join(theme, "translations", lang, "LC_MESSAGES", "messages.po")
    if not os.path.isfile(po_path):
        return NullTranslations()
    return _catalog(po_path, os.path.getmtime(po_path))


def format_date(value, lang: str = "nl") -> str:
    """'30 november 2026' / '30 November 2026', whatever the machine's locale."""
    months = MONTHS.get(lang, MONTHS["en"]).split()
    return f"{value.day} {months[value.month - 1]} {value.year}"


# Where one block of text ends and the next begins: a space, or the words run together.
BLOCK_END = re.compile(r"(?i)</(?:p|li|div|h[1-6]|blockquote|td|th|dd|dt|figcaption|pre)>|<br\s*/?>")
ELLIPSIS = re.compile(r"(?:\s*(?:…|\.\.\.|\[…\]|\[\.\.\.\]))+$")


def excerpt(html, length: int = 220) -> str:
    """A few lines of clean text from an HTML summary, for cards: no lists, quotes or
    a lone "…", cut at a word and ended with one ellipsis when something was left out."""
    if not html or not str(html).strip():
        return ""
    return _excerpt(str(html), length)


@functools.lru_cache(maxsize=8192)  # one summary is shown on many listing pages; parsing it is the cost
def _excerpt(html: str, length: int) -> str:
    spaced = BLOCK_END.sub(lambda m: m.group(0) + " ", html)
    text = " ".join(lxml_html.fragment_fromstring(spaced, create_parent="div").text_content().split())
    cut = ELLIPSIS.search(text) is not None
    text = ELLIPSIS.sub("", text)
    if len(text) > length:
        text, cut = text[:length].rsplit(" ", 1)[0], True
    text = text.rstrip(" ,;:–-")
    return f"{text}…" if cut and text else text


TABLE = re.compile(r"<table\b.*?</table>", re.S | re.I)
CAPTION = re.compile(r"<caption\b[^>]*>(.*?)</caption>", re.S | re.I)
PRE = re.compile(r"<pre\b(?![^>]*\btabindex=)", re.I)


def scroll_boxes(html, table_label: str = "Table", code_label: str = "Code") -> Markup:
    """Tables and code blocks scroll sideways in their own box on a narrow screen, so
    words are never broken mid-word and code lines keep their indentation. The box
    is focusable and named, so a keyboard can scroll it too."""
    html = html if isinstance(html, Markup) else escape(html)

    def box(match: re.Match) -> str:
        caption = CAPTION.search(match.group(0))
        label = Markup(caption.group(1)).striptags() if caption else table_label
        return f'<div class="scroll-box" tabindex="0" role="region" aria-label="{escape(label)}">{match.group(0)}</div>'

    html = TABLE.sub(box, str(html))
    html = PRE.sub(f'<pre tabindex="0" role="region" aria-label="{escape(code_label)}"', html)
    return Markup(html)


def page_language(context, default: str) -> str:
    """The language of the page being rendered: its article's or page's, else the site's."""
    for name in ("article", "page"):
        obj = context.get(name)
        if isinstance(obj, Content) and getattr(obj, "lang", None):
            return obj.lang
    return default


def current_in_nav(output_file: str, url: str, also: tuple[str, ...] = ()) -> str | None:
    """aria-current for a menu link: "page" if it leads to this page, "true" if this
    page lies in its section (a profile under Members), else None."""
    here = output_file.removesuffix("index.html")
    if here == url:
        return "page"
    if (url and here.startswith(url)) or any(here.startswith(prefix) for prefix in also):
        return "true"
    return None


def setup_environment(generator) -> None:
    """``generator_init`` receiver: language and filters for every template."""
    default = generator.settings.get("DEFAULT_LANG", "en")
    theme = generator.theme
    env = generator.env
    if "jinja2.ext.InternationalizationExtension" not in env.extensions:
        env.add_extension("jinja2.ext.i18n")

    catalogs: dict[str, NullTranslations] = {}  # per generator, so per run: edits to a .po count

    def catalog(context):
        lang = page_language(context, default)
        if lang not in catalogs:
            catalogs[lang] = translations_for(theme, lang)
        return catalogs[lang]

    # Jinja's newstyle gettext hands the template context to a pass_context callable.
    @pass_context
    def gettext(context, message):
        return catalog(context).gettext(message)

    @pass_context
    def ngettext(context, singular, plural, n):
        return catalog(context).ngettext(singular, plural, n)

    @pass_context
    def datefmt(context, value):
        return format_date(value, page_language(context, default))

    env.install_gettext_callables(gettext, ngettext, newstyle=True)
    env.filters["datefmt"] = datefmt
    env.filters["excerpt"] = excerpt
    env.filters["scroll_boxes"] = scroll_boxes
    env.globals["nav_current"] = pass_context(
        lambda context, url, also=(): current_in_nav(context.get("output_file") or "", url or "", tuple(also)))
    env.globals["page_lang"] = pass_context(lambda context: page_language(context, default))


def register():
    signals.generator_init.connect(setup_environment)
    signals.article_generator_finalized.connect(images.attach)
