"""Production settings: absolute URLs and the published site's feeds.

Set KRING_SITEURL in the environment (CI does) to the site's public address.
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from pelicanconf import *  # noqa: E402,F403

SITEURL = os.environ.get("KRING_SITEURL", "https://kring.example.nl")
RELATIVE_URLS = False
FEED_DOMAIN = SITEURL
DELETE_OUTPUT_DIRECTORY = True

# Drafts (and articles of draft or future issues) are never written when
# publishing; kring_issues leaves out draft and future issues.
KRING_PREVIEW = False
DRAFT_URL = DRAFT_SAVE_AS = DRAFT_LANG_URL = DRAFT_LANG_SAVE_AS = ""
DRAFT_PAGE_URL = DRAFT_PAGE_SAVE_AS = DRAFT_PAGE_LANG_URL = DRAFT_PAGE_LANG_SAVE_AS = ""
