"""Search and metadata: Pagefind index, sitemap.xml, robots.txt, template helpers.

The theme's ``partials/head_meta.html`` uses the helpers from ``meta`` for
canonical URLs, Open Graph and JSON-LD; ``partials/search_box.html`` and the
``search`` page use the index built here.
"""

from __future__ import annotations

import atexit
from dataclasses import dataclass

from pelican import signals

from kring_core import defaults, run
from kring_core.errors import BuildFailed

from .settings import DEFAULTS as SETTING_DEFAULTS
from . import index, meta, sitemap
from . import settings as search_settings


@dataclass(eq=False)
class SearchRun:
    """kring_search's state in a run (``run.current().plugins``)."""

    job: index.IndexJob | None = None  # this run's Pagefind, until it is finished

    def take(self) -> index.IndexJob | None:
        """The job, which this state then no longer holds (whoever takes it finishes or stops it)."""
        job, self.job = self.job, None
        return job

    def stop(self) -> None:
        """When the next run starts (``Run.stop``), or the process ends: Pagefind is not left behind."""
        job = self.take()
        if job is not None:
            job.stop()


def _state() -> SearchRun:
    return run.current().plugins.setdefault(__name__, SearchRun())


def search_job() -> index.IndexJob | None:
    """This run's Pagefind while it is not finished (the live server's run returns without waiting)."""
    return _state().job


def start_run(_pelican):
    """``get_generators`` receiver, the first signal of every run (``run.start`` stopped the last run's Pagefind)."""
    # Connected here, after every plugin registered its own receivers: waiting comes last.
    signals.finalized.connect(finish_search_index)


def start_search_index(pelican) -> None:
    """``finalized`` receiver: the site is written; add the sitemap, start Pagefind.

    Pagefind runs while the other ``finalized`` receivers (the link check)
    do their work, when kring_search comes before them in PLUGINS.
    """
    values = search_settings.read(pelican.settings)
    sitemap.write(pelican.output_path, pelican.settings, values)
    if values["KRING_SEARCH_INDEX"]:
        # The run's cache folder, if there is one: a build without caches always runs Pagefind.
        job = index.start_index(pelican.output_path, values["KRING_SEARCH_LANGUAGE"], pelican.settings.get("KRING_RUN_CACHE"),
                                values["KRING_SEARCH_COMMAND"], values["KRING_SEARCH_TIMEOUT"])
        _state().job = job


def finish_search_index(pelican) -> None:
    """The last ``finalized`` receiver: wait for Pagefind and put its index in place.

    With ``KRING_SEARCH_INDEX_WAIT = False`` (the live server) nobody waits:
    the rebuilt pages are served (and the browser reloads) while Pagefind
    still indexes; the next run stops it if it is still at work.
    """
    state = _state()
    if state.job is None:
        return
    if search_settings.read(pelican.settings)["KRING_SEARCH_INDEX_WAIT"]:
        job = state.take()
        if not job.finish():
            # A site whose search page finds nothing (or breaks) must not go live.
            raise BuildFailed(f"The search index was not built: {job.error or 'Pagefind was stopped'}. "
                              "The pages are written, but the build failed; fix the cause and build again.")


def wait_for_search_index() -> None:
    """Until the index a live-server run left to a thread is in place (for tests and the benchmark)."""
    job = _state().take()
    if job is not None:
        job.finish()


@atexit.register
def stop_search_index() -> None:
    """A run that stopped (a broken link) leaves no Pagefind behind."""
    _state().stop()


def register():
    defaults.declare(__name__, SETTING_DEFAULTS)
    signals.get_generators.connect(start_run)
    signals.content_written.connect(sitemap.remember)
    signals.generator_init.connect(meta.install)
    signals.finalized.connect(start_search_index)
