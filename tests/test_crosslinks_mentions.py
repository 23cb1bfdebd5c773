"""@mentions: links with the display name, never in code, links or e-mail addresses."""

from __future__ import annotations

import logging

from pelican.log import LimitFilter
from sitekit import article

BODY = """Met @anna en (@bram), ook @anna. En @itil, @bram, klaar.

Niet in `@anna` en niet in [de link @anna](https://example.nl/) of mail anna@example.nl.

```
@bram in een codeblok
```

<pre>@anna in pre</pre>

Verborgen: @geheim. Onbekend: @annna.
"""


def mentions_site(make_site, small_site):
    files = dict(small_site)
    files.update([article("vermeld", "Vermeldingen", date="2026-07-01 10:00", Authors="bram", body=BODY)])
    return make_site(files)


def test_mentions_become_links_with_the_display_name(make_site, small_site, caplog):
    caplog.set_level(logging.WARNING)
    site = mentions_site(make_site, small_site)
    prose = site.soup("/articles/vermeld/").select_one(".prose")
    first = prose.find("p")
    assert first.get_text() == "Met Anna de Vries en (Bram Mulder), ook Anna de Vries. En Servicemanagement, Bram Mulder, klaar."
    links = [(a["href"], a.get_text()) for a in first.select("a.mention")]
    assert links == [
        ("../../members/anna/", "Anna de Vries"),
        ("../../members/bram/", "Bram Mulder"),
        ("../../members/anna/", "Anna de Vries"),
        ("../../groups/itil/", "Servicemanagement"),
        ("../../members/bram/", "Bram Mulder"),
    ]
    text = prose.get_text()
    # Code, pre, existing links and e-mail addresses are left alone.
    assert prose.select_one("p code").get_text() == "@anna"
    assert "@bram in een codeblok" in text and "@anna in pre" in text
    assert prose.select_one('a[href="https://example.nl/"]').get_text() == "de link @anna"
    assert "anna@example.nl" in text
    assert len(prose.select("a.mention")) == 5
    # A hidden member stays as written, without a link; an unknown slug too, with a warning.
    assert "Verborgen: @geheim. Onbekend: @annna." in text
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING and "@annna" in r.getMessage()]
    assert len(warnings) == 1
    assert "vermeld.md" in warnings[0] and "Did you mean 'anna'?" in warnings[0]
    assert not any("@geheim" in r.getMessage() for r in caplog.records)


def test_mentioned_members_and_groups_list_the_article(make_site, small_site):
    site = mentions_site(make_site, small_site)
    for url in ("/members/anna/", "/members/bram/", "/groups/itil/"):
        listed = [a.get_text() for a in site.soup(url).select("#mentioned-in ~ ul a")]
        assert listed == ["Vermeldingen"], url
    assert site.soup("/groups/prince2/").select_one("#mentioned-in") is None
    assert not site.exists("/members/geheim/")


def test_editors_can_link_a_profile_with_filename(make_site, small_site):
    files = dict(small_site)
    files.update([article("profiel", "Profiel", Authors="bram", body="Lees [Anna]({filename}../members/anna.md).")])
    site = make_site(files)
    assert site.soup("/articles/profiel/").select_one(".prose a")["href"] == "../../members/anna/"


def test_a_rebuild_from_the_cache_links_and_warns_the_same_and_follows_renames(
    make_site, small_site, tmp_path, caplog, monkeypatch
):
    files = dict(small_site)
    files.update([article("vermeld", "Vermeldingen", date="2026-07-01 10:00", Authors="bram", body=BODY)])
    fast = dict(CACHE_PATH=str(tmp_path / "cache"), KRING_SPEED=True)
    caplog.set_level(logging.WARNING)
    first = make_site(files, **fast).text("/articles/vermeld/")
    warned = [r.getMessage() for r in caplog.records if "@annna" in r.getMessage()]
    caplog.clear()
    monkeypatch.setattr(LimitFilter, "_raised_messages", set())  # Pelican logs a message once per process
    site = make_site({}, **fast)
    assert site.text("/articles/vermeld/") == first
    assert [r.getMessage() for r in caplog.records if "@annna" in r.getMessage()] == warned != []
    assert site.soup("/members/anna/").find(string=lambda s: "Vermeldingen" in s) is not None
    group_page = tmp_path / "content" / "groups" / "itil.md"
    group_page.write_text(group_page.read_text(encoding="utf-8").replace("Servicemanagement", "Dienstbeheer"), encoding="utf-8")
    site = make_site({}, **fast)
    assert "En Dienstbeheer, Bram" in site.soup("/articles/vermeld/").select_one(".prose p").get_text()
