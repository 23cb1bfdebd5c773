"""A rebuild renders only what changed, and its site is the one a build from scratch makes.

A copy of the demo (content and theme) is built once with every kring_speed
cache; then it is edited in the ways editors and designers do, and after
each edit the incremental rebuild is compared, byte for byte and file for
file, with a build from scratch (KRING_SPEED = False: no cache, nothing
skipped) of the same content.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kring_speed import skip
from sitekit import DEV_SETTINGS
from test_cache_equivalence import assert_same_site, build_tree, read_feed_files

ROOT = Path(DEV_SETTINGS).parent

# The whole demo, built many times; one pytest-xdist worker takes them all (one snapshot to build).
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("incremental-demo")]


class Demo:
    def __init__(self, base: Path, copy: bool = True):
        self.base = base
        self.content = base / "content"
        self.theme = base / "theme"
        if copy:
            shutil.copytree(ROOT / "content", self.content)
            shutil.copytree(ROOT / "theme", self.theme)
        self.settings = {
            "PATH": str(self.content), "THEME": str(self.theme),
            "KRING_FEED_ARCHIVE": str(base / "var" / "community.sqlite"),
        }
        self.scratch_builds = 0

    def edit(self, relative: str, old: str, new: str) -> None:
        path = self.content / relative if not relative.startswith("theme/") else self.base / relative
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {relative}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    def rebuild(self, **overrides) -> tuple[dict[str, bytes], int]:
        """The incremental build into the same output folder; returns the site and the pages rendered."""
        skip.last_run.clear()
        site = build_tree(self.base / "output", CACHE_PATH=str(self.base / "cache"), KRING_PROCESSES=2,
                          **self.settings, **overrides)
        assert skip.last_run, "kring_speed did not count what it rendered"
        return site, skip.last_run["rendered"]

    def read_feeds(self) -> None:
        read_feed_files(**self.settings)

    def from_scratch(self, **overrides) -> dict[str, bytes]:
        self.scratch_builds += 1
        return build_tree(self.base / f"scratch-{self.scratch_builds}", KRING_SPEED=False, **self.settings, **overrides)


@pytest.fixture(scope="module")
def built_demo(tmp_path_factory) -> tuple[Path, Path, int]:
    """The demo copied and built once for the module: its folder, a snapshot of it, the scratch builds made."""
    base = tmp_path_factory.mktemp("incremental")
    demo = Demo(base / "demo")
    demo.read_feeds()
    _site, rendered = demo.rebuild()
    assert rendered > 200  # the first build renders everything
    shutil.copytree(demo.base, base / "snapshot", symlinks=True, ignore=shutil.ignore_patterns("scratch-*"))
    return demo.base, base / "snapshot", demo.scratch_builds


@pytest.fixture
def demo(built_demo) -> Demo:
    """The built demo as it was after its first builds, for each test to edit.

    Put back in the same folder (the caches know their files by path) with the
    same modification times (copy2), so each test starts where a fresh build ends.
    """
    folder, snapshot, scratch_builds = built_demo
    shutil.rmtree(folder)
    shutil.copytree(snapshot, folder, symlinks=True)
    demo = Demo(folder, copy=False)
    demo.scratch_builds = scratch_builds
    return demo


def test_nothing_changed_renders_next_to_nothing(demo):
    site, rendered = demo.rebuild()
    assert rendered <= 2  # the maintainers' status page shows when each feed was last checked
    assert_same_site(demo.from_scratch(), site)


def test_an_edited_body_renders_its_page_listings_and_feeds_only(demo):
    path = demo.content / "articles" / "2026" / "lurkers-bestaan-niet.md"
    path.write_text(path.read_text(encoding="utf-8") + "\n\nEen nieuwe laatste alinea van de redactie.\n", encoding="utf-8")
    site, rendered = demo.rebuild()
    assert 1 < rendered < 40
    assert skip.last_run["pages_reused"] > 0  # the other pages of a listing that shows it are left as they are
    assert b"Een nieuwe laatste alinea" in site["articles/lurkers-bestaan-niet/index.html"]
    assert_same_site(demo.from_scratch(), site)


def test_titles_tags_new_and_deleted_articles_reach_every_page(demo):
    demo.edit("articles/2026/welkom-bij-kring.md", "Title: ", "Title: Opnieuw: ")
    demo.edit("articles/2026/chatbot-of-collega.md", "Tags: ", "Tags: nieuw-label, ")
    (demo.content / "articles" / "2026" / "lean-verbeterbord-online.md").unlink()
    (demo.content / "articles" / "2026" / "later-toegevoegd.md").write_text(
        "Title: Later toegevoegd\nDate: 2026-05-20 09:00\nAuthors: anna-de-vries\nGroups: servicemanagement\n"
        "Tags: itil\n\nNieuw stuk over [welkom]({filename}welkom-bij-kring.md) met @bram-mulder.\n",
        encoding="utf-8",
    )
    site, _rendered = demo.rebuild()
    expected = demo.from_scratch()
    # Pelican never deletes output files by itself: a deleted article's page (and share image) stays on
    # disk (and in the search index) until `make clean`; `make publish` always builds from scratch.
    assert "articles/lean-verbeterbord-online/index.html" in site
    stale = {"articles/lean-verbeterbord-online/index.html", "share/articles/lean-verbeterbord-online.png"}
    def without_stale(tree):
        return {name: data for name, data in tree.items() if name not in stale and not name.startswith("pagefind/")}
    assert_same_site(without_stale(expected), without_stale(site))


def test_mentions_links_members_and_groups_reach_the_pages_that_show_them(demo):
    demo.edit("articles/2026/lurkers-bestaan-niet.md", "\n\n",
              "\n\nZie ook [de wiki]({filename}risicobeeld-in-de-wiki.md) en vraag het @eva-smit.\n\n")
    demo.edit("members/anna-de-vries.md", "Role: Servicemanager", "Role: Hoofd servicemanagement")
    demo.edit("groups/klantcontact.md", "Title: ", "Title: Team ")
    site, _rendered = demo.rebuild()
    assert_same_site(demo.from_scratch(), site)


def test_a_template_or_a_setting_change_renders_everything(demo):
    demo.edit("theme/templates/base.html", "</footer>", "<p>Nieuw in de voet</p></footer>")
    site, rendered = demo.rebuild()
    assert rendered > 200
    assert all(b"Nieuw in de voet" in data for name, data in site.items() if name.endswith("index.html")
               and b"<footer" in data)
    assert_same_site(demo.from_scratch(), site)
    site, rendered = demo.rebuild(SITENAME="Kring Anders")
    assert rendered > 200
    assert_same_site(demo.from_scratch(SITENAME="Kring Anders"), site)


def test_an_output_file_changed_by_hand_is_written_again(demo):
    page = demo.base / "output" / "articles" / "lurkers-bestaan-niet" / "index.html"
    page.write_text("kapot", encoding="utf-8")
    (demo.base / "output" / "members" / "anna-de-vries" / "index.html").unlink()
    site, rendered = demo.rebuild()
    assert rendered <= 4
    assert_same_site(demo.from_scratch(), site)


def test_bios_descriptions_and_editorials_reach_the_pages_that_show_them(demo):
    demo.edit("members/anna-de-vries.md", "SLA-gesprekken die weer", "SLA-gesprekken die opnieuw")
    demo.edit("groups/klantcontact.md", "\n\n", "\n\nEen nieuwe eerste alinea over de groep.\n\n")
    demo.edit("issues/1.md", "hoofdredacteur", "eindredacteur")
    site, _rendered = demo.rebuild()
    assert b"SLA-gesprekken die opnieuw" in site["members/anna-de-vries/index.html"]
    assert_same_site(demo.from_scratch(), site)


def test_a_page_saved_as_the_home_page_stays_the_home_page(tmp_path):
    """Pelican writes the blog index, then the page over it (override): on two processes, and when only
    the index has to be rendered again, the page must still win."""
    demo = Demo(tmp_path)
    (demo.content / "pages" / "thuis.md").write_text(
        "Title: Thuis\nSave_as: index.html\nURL: \n\nDe eigen voorpagina.\n", encoding="utf-8")
    demo.read_feeds()
    site, _rendered = demo.rebuild()
    assert b"De eigen voorpagina" in site["index.html"]
    path = demo.content / "articles" / "2026" / "lurkers-bestaan-niet.md"
    path.write_text(path.read_text(encoding="utf-8") + "\n\nNog een alinea.\n", encoding="utf-8")
    site, _rendered = demo.rebuild()
    assert b"De eigen voorpagina" in site["index.html"]
    assert_same_site(demo.from_scratch(), site)


def test_an_edited_template_page_is_rendered_again(tmp_path):
    demo = Demo(tmp_path)
    pages = {"TEMPLATE_PAGES": {"extra.html": "extra/index.html"}}
    (demo.content / "extra.html").write_text("<p>Versie een</p>\n", encoding="utf-8")
    demo.rebuild(**pages)
    (demo.content / "extra.html").write_text("<p>Versie twee</p>\n", encoding="utf-8")
    site, _rendered = demo.rebuild(**pages)
    assert b"Versie twee" in site["extra/index.html"]
