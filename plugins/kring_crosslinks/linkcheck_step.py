"""The build's last step: stop when a written page has a broken internal link."""

from __future__ import annotations

import os
import sys

from kring_core.errors import BuildStopped
from kring_core.guard import written_sources

from . import memo
from . import settings as plugin_settings

# kring/ (the command-line side) sits next to plugins/; plain `pelican` runs lack it.
_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
if _ROOT not in sys.path:
    sys.path.append(_ROOT)

from kring.linkcheck import find_broken_links  # noqa: E402


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
