"""Build This Week in Rust's Pelican content with Kring, as-is (a compatibility check).

    .venv/bin/python -m kring.build -s compat/twirconf.py -c ../shared/corpora/twir/content -o /tmp/twir

TWiR keeps every issue in one Markdown file whose ``Number`` metadata is the
issue number; there are no issue files and no author metadata. Two Kring
settings map that onto issues: ``KRING_ISSUE_METADATA = "number"`` (the
article field that names the issue) and ``KRING_ISSUE_IMPLICIT = True`` (an
issue named by an article needs no content/issues/ file: it takes the
article's title and date).
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from pelicanconf import *  # noqa: E402,F403

_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# Relative paths in a settings file are resolved against the file's folder.
THEME = os.path.join(_ROOT, "theme")
PLUGIN_PATHS = [os.path.join(_ROOT, "plugins")]
PATH = os.path.join(os.path.dirname(_ROOT), "shared", "corpora", "twir", "content")
OUTPUT_PATH = os.path.join(_ROOT, "output-twir")

SITENAME = "This Week in Rust"
SITESUBTITLE = "Handpicked Rust updates, delivered to your inbox"
DEFAULT_LANG = "en"
ARTICLE_PATHS = [""]  # articles live at the top of content/
PAGE_PATHS = ["pages"]
STATIC_PATHS = ["images"]
DEFAULT_METADATA = {}  # every TWiR post has its Category

KRING_ISSUE_METADATA = "number"
KRING_ISSUE_IMPLICIT = True
# The corpus links to placeholders it never filled in (REDDIT_LINK_HERE,
# INSERT_LINK_HERE, a relative 'eurorust'; 16 links in 15 posts). Kring's
# build-time link check would rightly stop on them; "as-is" means not editing
# the corpus, so the check is off here.
KRING_LINKCHECK = False
