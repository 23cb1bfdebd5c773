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
