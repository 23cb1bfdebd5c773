"""The build's last step: stop when a written page has a broken internal link."""

from __future__ import annotations


# kring/ (the command-line side) is put on sys.path by pelicanconf.py.
from kring.linkcheck import find_broken_links
from kring_core.errors import BuildStopped
from kring_core.guard import written_sources

from . import memo
from . import settings as plugin_settings


def check_written_site(pelican) -> None:
    """``finalized`` receiver: every internal link and image must resolve."""
    conf = plugin_settings.read(pelican.settings)
    if not conf["KRING_LINKCHECK"]:
        return
    from . import _memo_folder  # the package imports this module first

    # Each page's ids and links, by its bytes: a rebuild parses only the pages that changed.
    pages = memo.Memo(_memo_folder(pelican.settings), "linkcheck-pages.pickle")
    problems = find_broken_links(
        pelican.output_path,
        sources=written_sources(),
        site_url=pelican.settings.get("SITEURL", ""),
        ignore=conf["KRING_LINKCHECK_IGNORE"],
        skip=conf["KRING_LINKCHECK_SKIP"],
        memo=pages,
    )
    pages.save()
    if problems:
        raise BuildStopped(problems)
