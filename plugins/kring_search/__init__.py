"""Search and metadata: Pagefind index, sitemap.xml, robots.txt, template helpers.

The theme's ``partials/head_meta.html`` uses the helpers from ``meta`` for
canonical URLs, Open Graph and JSON-LD; ``partials/search_box.html`` and the
``search`` page use the index built here.
"""

from __future__ import annotations

from pelican import signals

from . import index, meta, sitemap
from . import settings as search_settings


def finish(pelican) -> None:
    """``finalized`` receiver: the site is written; add the sitemap and the index."""
    values = search_settings.read(pelican.settings)
    sitemap.write(pelican.output_path, pelican.settings, values)
    if values["KRING_SEARCH_INDEX"]:
        # CACHE_PATH, when kring_speed made it: a build without caches always runs Pagefind.
        index.update_index(pelican.output_path, values["KRING_SEARCH_LANGUAGE"], pelican.settings.get("CACHE_PATH"))


def register():
    signals.get_generators.connect(sitemap.reset)
    signals.content_written.connect(sitemap.remember)
    signals.generator_init.connect(meta.install)
    signals.finalized.connect(finish)
