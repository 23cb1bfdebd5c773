"""What a run collects lives in one Run object per run, fresh for the live server's next run."""

from __future__ import annotations

import pytest
from pelican import Pelican

from kring.build import load_settings
from kring_core.errors import BuildStopped
from sitekit import DEV_SETTINGS, article, write_files


def test_every_run_starts_with_a_fresh_run_state(tmp_path, small_site):
    content = tmp_path / "content"
    files = dict(small_site)
    files.update(dict([article("concept", "Nog niet af", Authors="anna", Status="draft"),
                       article("kapot", "Kapot", date="31-02-gisteren", Authors="anna")]))
    write_files(content, files)
    settings = load_settings(DEV_SETTINGS, {"PATH": str(content), "OUTPUT_PATH": str(tmp_path / "output"),
                                            "KRING_FEED_ARCHIVE": str(tmp_path / "community.sqlite"),
                                            "CACHE_PATH": str(tmp_path / "cache")})
    pelican = Pelican(settings)  # one instance, as the live server keeps it
    with pytest.raises(BuildStopped):
        pelican.run()
    failed = pelican.kring_run
    assert any("kapot.md" in str(p) for p in failed.problems) and failed.writer is None
    (content / "articles" / "kapot.md").unlink()
    pelican.run()
    again = pelican.kring_run
    assert again is not failed and again.problems == []
    assert any("concept" in url for url in again.drafts)  # what make publish checks the release against
    assert type(again.writer).__name__ == "SpeedWriter"
    assert "articles/solo/index.html" in again.planned_outputs
    # The sitemap lists the pages of this run only (the failed run wrote none).
    assert "kring_search.sitemap" not in failed.plugins
    assert any(path.endswith("solo/index.html") for path in again.plugins["kring_search.sitemap"])
