"""`make publish` with a warm build cache makes the release an empty cache makes, byte for byte.

CI keeps the cache folder and the last release between its hourly runs; a
publish then renders only the pages whose inputs changed and takes every
other page over from the live release.
"""

from __future__ import annotations

from kring.publish import publish
from kring_speed import skip
from issues_helpers import PUBLISH_SETTINGS
from sitekit import ROOT
from test_incremental import Demo
from test_publish import snapshot


def test_a_warm_publish_is_the_release_a_cold_one_makes(tmp_path):
    demo = Demo(tmp_path)

    def publish_into(target: str, cache: str):
        # Another address than publishconf's default: the demo's events link to registration pages
        # on kring.example.nl that the demo does not have, which the publish check would take for its own.
        site = "https://magazine.example.org"
        settings = {**demo.settings, "SITEURL": site, "FEED_DOMAIN": site, "KRING_PUBLISH_TARGET": str(tmp_path / target),
                    "CACHE_PATH": str(tmp_path / cache), "KRING_PROCESSES": 2}
        skip.last_run.clear()
        return publish(PUBLISH_SETTINGS, str(ROOT), settings)

    first = publish_into("live", "cache")
    assert skip.last_run["rendered"] > 150 and skip.last_run["skipped"] == 0
    demo.edit("articles/2026/lurkers-bestaan-niet.md", "\n\n", "\n\nEen nieuwe eerste alinea.\n\n")
    demo.edit("pages/colofon.md", "Het Kring-magazine en de website", "Het vernieuwde Kring-magazine en de website")
    warm = publish_into("live", "cache")
    assert warm != first
    assert skip.last_run["skipped"] > 150, skip.last_run
    assert "Een nieuwe eerste alinea" in (warm / "articles" / "lurkers-bestaan-niet" / "index.html").read_text()
    cold = publish_into("live-cold", "cache-cold")
    assert skip.last_run["skipped"] == 0
    warm_files, cold_files = snapshot(warm), snapshot(cold)
    assert sorted(warm_files) == sorted(cold_files)
    differing = [name for name in cold_files if warm_files[name] != cold_files[name]]
    assert differing == [], differing[:5]
