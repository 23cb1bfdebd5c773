"""Link checking: a broken internal link or image stops the build, naming page, link and source."""

from __future__ import annotations

import subprocess
import sys

import pytest

from kring.linkcheck import find_broken_links
from kring_core.errors import BuildStopped

from sitekit import ROOT, article


def stopped(make_site, files) -> str:
    with pytest.raises(BuildStopped) as info:
        make_site(files)
    return str(info.value)


@pytest.mark.parametrize(
    "body, link, problem",
    [
        ("Zie [dit](/articles/bestaat-niet/).", "/articles/bestaat-niet/", "'articles/bestaat-niet/index.html' was not written"),
        ("![Foto](/images/weg.png)", "/images/weg.png", "'images/weg.png' was not written"),
        ("Zie [dit](../samen/#nergens).", "../samen/#nergens", "'articles/samen/index.html' has no element with id 'nergens'"),
        ("Zie [dit]({filename}weg.md).", "{filename}weg.md", "was not written"),
    ],
    ids=["missing-page", "missing-image", "missing-fragment", "missing-source-file"],
)
def test_broken_link_stops_the_build(make_site, small_site, body, link, problem):
    files = dict(small_site)
    files.update([article("kapot", "Kapot", Authors="anna", body=body)])
    message = stopped(make_site, files)
    assert "1 problem" in message
    line = next(line for line in message.splitlines() if "kapot" in line)
    assert line.startswith("  - articles/kapot/index.html (from ")
    assert "articles/kapot.md" in line  # the source file
    assert f"broken link '{link}'" in line
    assert problem in line


def test_working_links_images_and_fragments_pass(make_site, small_site):
    files = dict(small_site)
    files["images/foto.png"] = "not really a png"
    files.update([article("heel", "Heel", Authors="anna",
                          body="## Een kop\n\n[kop](#een-kop), [samen](/articles/samen/), "
                               "[index](../solo/index.html), ![foto]({static}/images/foto.png) "
                               "[extern](https://example.com/nergens/) [mail](mailto:a@example.nl)")])
    site = make_site(files)
    assert site.exists("/articles/heel/")
    assert find_broken_links(site.output) == []


def test_check_any_output_folder(tmp_path):
    site = tmp_path / "site"
    (site / "a").mkdir(parents=True)
    (site / "a" / "index.html").write_text('<p id="x">A</p><a href="../b/">b</a><img srcset="/i.png 1x, /j.png 2x">')
    (site / "i.png").write_bytes(b"png")
    (site / "index.html").write_text(
        '<a href="https://kring.example.nl/a/#x">a</a><a href="https://kring.example.nl/a/#y">a</a>'
        '<a href="https://elders.example/z/">ext</a><a href="pagefind/x.js">later</a>'
    )
    problems = find_broken_links(site, site_url="https://kring.example.nl", ignore=["pagefind/"])
    assert sorted((p.page, p.link) for p in problems) == [
        ("a/index.html", "../b/"),
        ("a/index.html", "/j.png"),
        ("index.html", "https://kring.example.nl/a/#y"),
    ]
    run = subprocess.run([sys.executable, "-m", "invoke", "check", "--output", str(site)],
                         cwd=ROOT, capture_output=True, text=True)
    assert run.returncode == 1
    assert "a/index.html: broken link '../b/'" in run.stderr
    (site / "b").mkdir()
    (site / "b" / "index.html").write_text("<p>b</p>")
    (site / "j.png").write_bytes(b"png")
    (site / "pagefind").mkdir()
    (site / "pagefind" / "x.js").write_text("")
    (site / "index.html").write_text('<a href="a/#x">a</a>')
    run = subprocess.run([sys.executable, "-m", "invoke", "check", "--output", str(site)],
                         cwd=ROOT, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
