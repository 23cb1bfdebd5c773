"""The link check resolves each link once per key, and parses a page again only when its bytes change."""

from __future__ import annotations

import pytest

from kring.linkcheck import _internal_path, _resolution_key, _Site, find_broken_links

PAGES = ["/index.html", "/a/index.html", "/a/b/index.html", "/a/b/c/other.html"]
LINKS = ["#x", "?q#x", "../", "..", "../#x", "../?q", "../../", "../../../../../x/", "./", ".", "b/", "b/c/#x",
         "/a/b/", "//host/a/", "http://host/a/b/", "mailto:a@b", "%2e%2e/", "../%2e%2e/x", "x:y", "a#b:c", "../x/../y"]


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("link", LINKS)
def test_resolution_key_leads_to_the_same_file(tmp_path, page, link):
    (tmp_path / "a" / "b").mkdir(parents=True)
    site = _Site(tmp_path)
    plain = _internal_path(link, page, "http://host")
    keyed = _internal_path(*_resolution_key(link, page), "http://host")
    if plain is None or keyed is None:
        assert plain == keyed
    else:  # '/x' and 'x' (urljoin climbing above the root) are the same file
        assert site.target(plain) == site.target(keyed)


class DictMemo:
    """Counts pages parsed (``computed``) and pages whose links were resolved (``resolved``)."""

    def __init__(self):
        self.kept, self.computed, self.resolved = {}, 0, 0

    def get(self, key, compute):
        if key not in self.kept:
            if key.startswith("links:"):
                self.resolved += 1
            else:
                self.computed += 1
            self.kept[key] = compute()
        return self.kept[key]


def test_remembered_pages_are_not_parsed_again_but_their_links_are_checked_again(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "index.html").write_text('<p id="x"><a href="../b/#y">b</a><img src="../i.png"></p>')
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "index.html").write_text('<h1 id="y">B</h1>')
    (tmp_path / "i.png").write_bytes(b"png")
    memo = DictMemo()
    assert find_broken_links(tmp_path, memo=memo) == []
    assert (memo.computed, memo.resolved) == (2, 2)
    assert find_broken_links(tmp_path, memo=memo) == []
    assert (memo.computed, memo.resolved) == (2, 2)  # nothing changed: nothing parsed or resolved again
    (tmp_path / "i.png").unlink()
    (tmp_path / "b" / "index.html").write_text('<h1 id="z">B</h1>')
    problems = [str(p) for p in find_broken_links(tmp_path, memo=memo)]
    assert memo.computed == 3  # only b/index.html changed
    assert memo.resolved == 4  # but a file is gone, so every page's links are resolved again
    assert problems == [
        "a/index.html: broken link '../b/#y': 'b/index.html' has no element with id 'y'",
        "a/index.html: broken link '../i.png': 'i.png' was not written",
    ]
    assert problems == [str(p) for p in find_broken_links(tmp_path)]
