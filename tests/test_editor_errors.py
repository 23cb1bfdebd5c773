"""Every editor mistake stops the build with one message: file, field, fix."""

from __future__ import annotations

import subprocess
import sys

import pytest

from kring_core.errors import BuildStopped

from sitekit import DEV_SETTINGS, ROOT, article, member, write_files


def stopped(make_site, files, **overrides) -> str:
    with pytest.raises(BuildStopped) as info:
        make_site(files, **overrides)
    return str(info.value)


def test_unknown_author_suggests_the_nearest_member(make_site, small_site):
    files = dict(small_site)
    files.update([article("nieuw", "Nieuw", Authors="Ana de Vries")])
    message = stopped(make_site, files)
    assert "articles/nieuw.md: Authors: 'Ana de Vries' is not a member. Did you mean 'Anna de Vries'?" in message


def test_unknown_group_in_article_suggests_the_nearest_group(make_site, small_site):
    files = dict(small_site)
    files.update([article("nieuw", "Nieuw", Authors="anna", Groups="prince")])
    message = stopped(make_site, files)
    assert "articles/nieuw.md: Groups: 'prince' is not a group. Did you mean 'prince2'?" in message


def test_unknown_group_in_member_file(make_site, small_site):
    files = dict(small_site)
    files.update([member("cees", "Cees Claassen", Groups="itl")])
    assert "members/cees.md: Groups: 'itl' is not a group. Did you mean 'itil'?" in stopped(make_site, files)


def test_unknown_moderator_in_group_file(make_site, small_site):
    files = dict(small_site)
    files["groups/itil.md"] = files["groups/itil.md"].replace("Moderators: anna", "Moderators: anne")
    assert "groups/itil.md: Moderators: 'anne' is not a member. Did you mean 'anna'?" in stopped(make_site, files)


def test_slug_shared_by_member_and_group(make_site, small_site):
    files = dict(small_site)
    files.update([member("itil", "Iris Til")])
    message = stopped(make_site, files)
    assert "groups/itil.md: the slug 'itil' is used by a group and by the member file" in message
    assert "members/itil.md" in message


def test_two_articles_claiming_one_url(make_site, small_site):
    files = dict(small_site)
    files["articles/kopie.md"] = files["articles/samen.md"].replace("Title: Samen sterk", "Title: Kopie")
    message = stopped(make_site, files)
    assert "articles/kopie.md" in message and "articles/samen.md" in message
    assert "both want to write 'articles/samen/index.html'" in message


def test_page_and_listing_claiming_one_url_is_caught_while_writing(make_site, small_site):
    files = dict(small_site)
    files["pages/tags.md"] = "Title: Tags\nSlug: tags\n\nOver tags.\n"
    message = stopped(make_site, files)
    assert "pages/tags.md" in message and "'tags/index.html'" in message


def test_pagination_never_collides_with_a_similar_slug(make_site, small_site):
    """Pelican's default pattern writes tag "A 1" page 2 over tag "A 12"."""
    files = dict(small_site)
    for n in range(3):
        files.update([article(f"a1-{n}", f"A1 {n}", Authors="anna", Tags="A 1")])
    files.update([article("a12", "A12", Authors="anna", Tags="A 12")])
    site = make_site(files, DEFAULT_PAGINATION=2)
    assert site.exists("/tags/a-1/page/2/")
    assert "A12" in site.text("/tags/a-12/")


def test_missing_title(make_site, small_site):
    files = dict(small_site)
    files["articles/leeg.md"] = "Slug: leeg\nDate: 2026-01-01\nAuthors: anna\n\nTekst.\n"
    message = stopped(make_site, files)
    assert "articles/leeg.md: Title: is missing. Add a line 'Title: ...'" in message


def test_member_without_title(make_site, small_site):
    files = dict(small_site)
    files["members/naamloos.md"] = "Role: Adviseur\n\nBio.\n"
    assert "members/naamloos.md: Title: is missing." in stopped(make_site, files)


def test_bad_date(make_site, small_site):
    files = dict(small_site)
    files.update([article("datum", "Datum", date="31-02-gisteren", Authors="anna")])
    message = stopped(make_site, files)
    assert "articles/datum.md: Date: '31-02-gisteren' is not a date. Write it as YYYY-MM-DD" in message


def test_bad_visibility(make_site, small_site):
    files = dict(small_site)
    files.update([member("vera", "Vera Verborgen", Visibility="verborgen")])
    message = stopped(make_site, files)
    assert "members/vera.md: Visibility: 'verborgen' is not a visibility. Use 'public' or 'hidden'." in message


def test_missing_avatar_file(make_site, small_site):
    files = dict(small_site)
    files.update([member("vera", "Vera", Avatar="images/vera.png")])
    message = stopped(make_site, files)
    assert "members/vera.md: Avatar: 'images/vera.png' does not exist" in message


def test_all_problems_are_listed_at_once_and_nothing_is_written(make_site, small_site, tmp_path):
    files = dict(small_site)
    files.update([article("x", "X", Authors="nobody"), article("y", "Y", Authors="anna", Groups="nogroup")])
    message = stopped(make_site, files)
    assert message.startswith("The build stopped: 2 problems in the content.")
    assert not (tmp_path / "output" / "index.html").exists()


@pytest.mark.slow
def test_command_line_prints_one_message_and_no_traceback(tmp_path, small_site):
    files = dict(small_site)
    files.update([article("nieuw", "Nieuw", Authors="Ana de Vries")])
    write_files(tmp_path / "content", files)
    result = subprocess.run(
        [sys.executable, "-m", "kring.build", "-s", DEV_SETTINGS, "-c", "content", "-o", "out"],
        cwd=tmp_path, capture_output=True, text=True, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert "Authors: 'Ana de Vries' is not a member. Did you mean 'Anna de Vries'?" in result.stderr


def test_member_file_name_must_be_a_slug(make_site, small_site):
    files = dict(small_site)
    files["members/Carla Jansen.md"] = "Title: Carla Jansen\n\nBio.\n"
    message = stopped(make_site, files)
    assert "members/Carla Jansen.md: the file name 'Carla Jansen' is not a slug" in message
    assert "Rename the file to 'carla-jansen.md'." in message


def test_profile_links_must_be_web_addresses(make_site, small_site):
    files = dict(small_site)
    files.update([member("cees", "Cees", Links="javascript:alert(1), https://example.nl/cees")])
    message = stopped(make_site, files)
    assert "members/cees.md: Links: 'javascript:alert(1)' is not a web address." in message
