"""Kring's command-line side: build, serve, and (later) fetch and publish.

The Pelican plugins live in ``plugins/``; make them importable for the
commands and tests that import their pieces directly.
"""

import os
import sys

PROJECT_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PLUGINS_DIR = os.path.join(PROJECT_ROOT, "plugins")
if PLUGINS_DIR not in sys.path:
    sys.path.insert(0, PLUGINS_DIR)
