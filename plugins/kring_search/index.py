"""The Pagefind search index, built after every Pelican run.

Pagefind reads the written HTML and indexes what sits inside
``data-pagefind-body`` (the theme puts it on articles, profiles, groups and
every other content page, not on listings). One language is forced for the
whole index so a Dutch page also finds English articles and vice versa.
"""

from __future__ import annotations

import logging
import subprocess
import sys

logger = logging.getLogger(__name__)


def command(output_path: str, language: str) -> list[str]:
    return [sys.executable, "-m", "pagefind", "--site", output_path,
            "--force-language", language, "--silent"]


def build_index(output_path: str, language: str) -> bool:
    """Run Pagefind; a failure is logged (the site itself is still fine)."""
    try:
        result = subprocess.run(command(output_path, language), capture_output=True, text=True, timeout=300)
    except (OSError, subprocess.TimeoutExpired) as err:
        logger.error("Search index not built: %s", err)
        return False
    if result.returncode:
        logger.error("Search index not built (pagefind exit %s): %s", result.returncode,
                     (result.stderr or result.stdout).strip()[-2000:])
        return False
    return True
