"""Theme support: interface language (gettext catalogs) and date formatting.

Templates mark interface strings with ``_()``; the catalog for the site's
``DEFAULT_LANG`` comes from ``theme/translations/<lang>/LC_MESSAGES/messages.po``
and is compiled in memory, so no generated .mo file lives in the repository.
English needs no catalog: the msgids are English.
"""

from __future__ import annotations

import functools
import io
import logging
import os
from gettext import GNUTranslations, NullTranslations

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from pelican import signals

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


def setup_environment(generator) -> None:
    """``generator_init`` receiver: language and filters for every template."""
    lang = generator.settings.get("DEFAULT_LANG", "en")
    env = generator.env
    if "jinja2.ext.InternationalizationExtension" not in env.extensions:
        env.add_extension("jinja2.ext.i18n")
    env.install_gettext_translations(translations_for(generator.theme, lang), newstyle=True)
    env.filters["datefmt"] = functools.partial(format_date, lang=lang)


def register():
    signals.generator_init.connect(setup_environment)
