"""The link check resolves each link once per key; the key must lead where urljoin on the page would."""

from __future__ import annotations

import pytest

from kring.linkcheck import _internal_path, _resolution_key, _Site

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
