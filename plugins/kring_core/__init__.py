"""Kring's shared plumbing: checked reading, one clear stop, no overwrites.

Every other Kring plugin reports editor mistakes through ``report`` and relies
on this one to stop the build before anything is written.
"""

from pelican import signals

from . import collector, defaults, drafts, guard, paths, reader, run
from .collector import report
from .errors import BuildFailed, BuildStopped, ContentError, did_you_mean
from .lists import split_list
from .paths import inside_content

__all__ = ["BuildFailed", "BuildStopped", "ContentError", "did_you_mean", "inside_content", "report", "split_list", "register"]


def register():
    collector.install()
    signals.initialized.connect(defaults.apply)
    # get_generators is the first signal of every run: a fresh Run (connected before any other plugin's).
    signals.get_generators.connect(run.start)
    signals.generator_init.connect(run.share)
    signals.readers_init.connect(reader.use_checked_reader)
    signals.readers_init.connect(paths.check_read)
    # Before kring_issues links articles to issues: translations are drafts with their originals.
    signals.article_generator_pretaxonomy.connect(drafts.share_article_status)
    signals.page_generator_finalized.connect(drafts.share_page_status)
    signals.all_generators_finalized.connect(guard.check_planned_outputs)
    signals.get_writer.connect(guard.stop_if_problems)
