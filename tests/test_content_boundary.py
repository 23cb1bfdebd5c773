"""Content comes from inside content/ only: no symlink, `..` or absolute path leads out.

Every way a file reaches the site (a static image, an avatar, an issue cover,
a local feed file read by the build or by `make fetch`, a presentation's
slides) is tried with every
way out of content/. The build (or fetch) must stop naming the file, and the
secret must not reach the output or the feed archive.
"""

from __future__ import annotations

import os
import sqlite3

import pytest

from issues_helpers import issue_file
from kring.build import build, load_settings
from kring.feeds.cli import fetch
from kring_core import BuildStopped
from sitekit import DEV_SETTINGS, ROOT, article, member, write_files

SECRET = "KRINGSECRETVALUE"  # in every file outside content/
SECRET_SVG = f'<svg xmlns="http://www.w3.org/2000/svg"><title>{SECRET}</title></svg>\n'
SECRET_FEED = f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Buiten</title><link>https://buiten.example/</link>
<item><title>{SECRET}</title><link>https://buiten.example/1</link><guid>buiten-1</guid>
<pubDate>Mon, 02 Nov 2026 10:00:00 +0000</pubDate><description>{SECRET}</description></item>
</channel></rss>
"""

DEMO_PDF = next((ROOT / "content" / "presentations").glob("*.pdf"))

# Where each kind of file lives in content/, its extension, and the content file that names it.
KINDS = {
    "static image": ("images", "svg"),
    "avatar": ("images/avatars", "svg"),
    "cover": ("images/covers", "svg"),
    "local feed": ("feeds", "xml"),
    "slides": ("presentations/pdf", "pdf"),
}
WAYS = ["symlinked file", "symlinked folder", "dot-dot path", "absolute path", "symlink chain"]


def lay_out(tmp_path, kind: str, way: str) -> tuple[str, str]:
    """Put the secret outside content/ and a way to it inside; return (reference, name to expect in the message)."""
    content, outside = tmp_path / "content", tmp_path / "outside"
    folder, ext = KINDS[kind]
    outside.mkdir(parents=True)
    if ext == "pdf":  # a real PDF, so only the boundary can stop it, with the secret in a comment
        (outside / "secret.pdf").write_bytes(DEMO_PDF.read_bytes() + f"\n%{SECRET}\n".encode())
    else:
        (outside / f"secret.{ext}").write_text(SECRET_FEED if ext == "xml" else SECRET_SVG)
    (content / folder).mkdir(parents=True, exist_ok=True)
    if way == "symlinked file":
        os.symlink(outside / f"secret.{ext}", content / folder / f"link.{ext}")
        return f"{folder}/link.{ext}", f"link.{ext}"
    if way == "symlinked folder":
        os.symlink(outside, content / folder / "linked")
        return f"{folder}/linked/secret.{ext}", "linked"
    if way == "dot-dot path":
        up = "../" * (folder.count("/") + 2)
        return f"{folder}/{up}outside/secret.{ext}", f"secret.{ext}"
    if way == "absolute path":
        return str(outside / f"secret.{ext}"), f"secret.{ext}"
    # A chain of relative links, the last one leading out.
    os.symlink(f"hop.{ext}", content / folder / f"start.{ext}")
    os.symlink(os.path.relpath(outside / f"secret.{ext}", content / folder), content / folder / f"hop.{ext}")
    return f"{folder}/start.{ext}", f"start.{ext}"


def files_naming(kind: str, reference: str) -> dict[str, str]:
    files = dict([member("bram", "Bram Mulder"), article("gewoon", "Gewoon", Authors="bram")])
    if kind == "static image":
        files.update(dict([article("plaatje", "Plaatje", Authors="bram", body=f"![kaart]({{static}}/{reference})")]))
    elif kind == "avatar":
        files.update(dict([member("anna", "Anna de Vries", Avatar=reference)]))
    elif kind == "cover":
        files.update(dict([issue_file(1, "Een", Cover=reference)]))
    elif kind == "slides":
        files["presentations/praatje.md"] = f"Title: Praatje\nDate: 2026-10-08\nSpeakers: bram\nSlides: {reference}\n\nTekst.\n"
    else:
        files.update(dict([member("anna", "Anna de Vries", Feeds=reference)]))
    return files


def assert_nothing_leaked(tmp_path) -> None:
    """Nothing Kring wrote (the output, the archive, caches) holds the secret."""
    for folder, _dirs, names in os.walk(tmp_path):  # links are not followed: content/ holds them
        if folder.startswith(str(tmp_path / "outside")) or folder.startswith(str(tmp_path / "content")):
            continue
        for name in names:
            path = os.path.join(folder, name)
            if not os.path.islink(path):
                with open(path, "rb") as f:
                    assert SECRET.encode() not in f.read(), f"the secret reached {path}"


@pytest.mark.parametrize("way", WAYS)
@pytest.mark.parametrize("kind", list(KINDS))
def test_a_build_stops_when_content_leads_outside(tmp_path, kind, way):
    reference, name = lay_out(tmp_path, kind, way)
    write_files(tmp_path / "content", files_naming(kind, reference))
    # Static files come from STATIC_PATHS; an absolute one outside content/ is not a content root.
    extra = {"STATIC_PATHS": ["images", str(tmp_path / "outside")]} if (kind, way) == ("static image", "absolute path") else {}
    with pytest.raises(BuildStopped) as stopped:
        build(DEV_SETTINGS, {"PATH": str(tmp_path / "content"), "OUTPUT_PATH": str(tmp_path / "output"),
                             "KRING_FEED_ARCHIVE": str(tmp_path / "var" / "community.sqlite"),
                             "KRING_SEARCH_INDEX": False, **extra})
    message = str(stopped.value)
    assert name in message, message
    assert "outside" in message or "does not exist" in message or "neither" in message, message
    assert_nothing_leaked(tmp_path)


@pytest.mark.parametrize("way", WAYS)
def test_fetch_never_reads_a_feed_file_outside_content(tmp_path, way):
    reference, name = lay_out(tmp_path, "local feed", way)
    write_files(tmp_path / "content", files_naming("local feed", reference))
    archive = tmp_path / "var" / "community.sqlite"
    settings = load_settings(DEV_SETTINGS, {"PATH": str(tmp_path / "content"), "KRING_FEED_ARCHIVE": str(archive)})
    with pytest.raises(BuildStopped) as stopped:
        fetch(settings, progress=False)
    assert name in str(stopped.value) and "anna.md: Feeds:" in str(stopped.value)
    if archive.exists():
        with sqlite3.connect(archive) as db:
            dump = "\n".join(db.iterdump())
        assert SECRET not in dump
    assert_nothing_leaked(tmp_path)


def test_a_symlinked_folder_is_named_once_and_a_link_inside_content_is_fine(tmp_path):
    content, outside = tmp_path / "content", tmp_path / "outside"
    (outside / "many").mkdir(parents=True)
    for i in range(5):
        (outside / "many" / f"s{i}.svg").write_text(SECRET_SVG)
    (content / "images" / "real").mkdir(parents=True)
    (content / "images" / "real" / "logo.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>')
    os.symlink(outside / "many", content / "images" / "buiten")
    os.symlink("real/logo.svg", content / "images" / "alias.svg")  # stays inside: allowed
    write_files(content, dict([member("bram", "Bram Mulder"), article("a", "A", Authors="bram")]))
    with pytest.raises(BuildStopped) as stopped:
        build(DEV_SETTINGS, {"PATH": str(content), "OUTPUT_PATH": str(tmp_path / "output"),
                             "KRING_FEED_ARCHIVE": str(tmp_path / "var.sqlite"), "KRING_SEARCH_INDEX": False})
    assert "1 problem" in str(stopped.value) and "buiten' is a symbolic link to the folder" in str(stopped.value)
    os.remove(content / "images" / "buiten")
    build(DEV_SETTINGS, {"PATH": str(content), "OUTPUT_PATH": str(tmp_path / "output"),
                         "KRING_FEED_ARCHIVE": str(tmp_path / "var.sqlite"), "KRING_SEARCH_INDEX": False})
    assert (tmp_path / "output" / "images" / "alias.svg").is_file()


def test_a_configured_content_root_may_be_linked_to(tmp_path):
    """KRING_CONTENT_ROOTS names folders outside content/ that links may lead into (a shared image library)."""
    content, library = tmp_path / "content", tmp_path / "library"
    library.mkdir()
    (library / "logo.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"><title>logo</title></svg>')
    (content / "images").mkdir(parents=True)
    os.symlink(library / "logo.svg", content / "images" / "logo.svg")
    write_files(content, dict([member("anna", "Anna de Vries", Avatar="images/logo.svg")]))
    settings = {"PATH": str(content), "OUTPUT_PATH": str(tmp_path / "output"),
                "KRING_FEED_ARCHIVE": str(tmp_path / "var.sqlite"), "KRING_SEARCH_INDEX": False}
    with pytest.raises(BuildStopped, match="anna.md: Avatar: 'images/logo.svg' is a symbolic link"):
        build(DEV_SETTINGS, settings)
    build(DEV_SETTINGS, {**settings, "KRING_CONTENT_ROOTS": [str(library)]})
    assert (tmp_path / "output" / "images" / "logo.svg").is_file()


@pytest.mark.parametrize("folder", ["articles", "members", "issues", "pages"])
def test_a_content_file_linked_from_outside_stops_the_build(tmp_path, folder):
    """The Markdown files themselves: a linked article, member, issue or page file is refused too."""
    content, outside = tmp_path / "content", tmp_path / "outside"
    outside.mkdir()
    (outside / "1.md").write_text(f"Title: {SECRET}\nNumber: 1\nDate: 2026-03-01\n\n{SECRET}\n")
    write_files(content, dict([member("bram", "Bram Mulder"), article("gewoon", "Gewoon", Authors="bram")]))
    (content / folder).mkdir(exist_ok=True)
    os.symlink(outside / "1.md", content / folder / "1.md")
    with pytest.raises(BuildStopped) as stopped:
        build(DEV_SETTINGS, {"PATH": str(content), "OUTPUT_PATH": str(tmp_path / "output"),
                             "KRING_FEED_ARCHIVE": str(tmp_path / "var" / "community.sqlite"), "KRING_SEARCH_INDEX": False})
    assert f"'{folder}/1.md' is a symbolic link to the file" in str(stopped.value)
    assert_nothing_leaked(tmp_path)


@pytest.mark.parametrize("way", ["symlinked file", "symlinked folder", "symlink chain"])
def test_a_response_linked_from_outside_stops_the_build(tmp_path, way):
    """Responses are read straight from content/responses/<article>/, not through Pelican: checked there too."""
    content, outside = tmp_path / "content", tmp_path / "outside"
    (outside / "gewoon").mkdir(parents=True)
    (outside / "gewoon" / "lek.md").write_text(f"Author: Buiten Staander\nDate: 2026-11-25 19:45\n\n{SECRET}\n")
    write_files(content, dict([member("bram", "Bram Mulder"), article("gewoon", "Gewoon", Authors="bram")]))
    responses = content / "responses"
    responses.mkdir()
    if way == "symlinked folder":
        os.symlink(outside / "gewoon", responses / "gewoon")
        name = "responses/gewoon'"
    else:
        (responses / "gewoon").mkdir()
        if way == "symlinked file":
            os.symlink(outside / "gewoon" / "lek.md", responses / "gewoon" / "lek.md")
        else:
            os.symlink("hop.md", responses / "gewoon" / "lek.md")
            os.symlink(outside / "gewoon" / "lek.md", responses / "gewoon" / "hop.md")
        name = "responses/gewoon/lek.md' is a symbolic link"
    with pytest.raises(BuildStopped) as stopped:
        build(DEV_SETTINGS, {"PATH": str(content), "OUTPUT_PATH": str(tmp_path / "output"),
                             "KRING_FEED_ARCHIVE": str(tmp_path / "var" / "community.sqlite"), "KRING_SEARCH_INDEX": False})
    assert name in str(stopped.value) and "outside" in str(stopped.value), str(stopped.value)
    assert_nothing_leaked(tmp_path)
