"""Read every built page as a reader would: nothing of the machinery may show.

The checks live in tests/readable.py (shared with the browser suite). The first
tests prove each check catches its leak, so a check that can never fail is seen.
"""

from __future__ import annotations

import pytest

from readable import problems, visible_text
from sitekit import article, group, member


def pages(site) -> dict[str, str]:
    return {str(p.relative_to(site.output)): p.read_text(encoding="utf-8")
            for p in sorted(site.output.rglob("*.html")) if "pagefind" not in p.parts}


def assert_reads_clean(site) -> None:
    found = [f"{url}: {problem}" for url, html in pages(site).items() for problem in problems(html)]
    assert not found, f"{len(found)} things a reader should never see:\n" + "\n".join(found[:40])


def page(body: str, lang: str = "nl", head: str = "") -> str:
    return f'<!DOCTYPE html><html lang="{lang}"><head><title>T</title>{head}</head><body>{body}</body></html>'


@pytest.mark.parametrize("body, leak", [
    ("<p>&lt;p&gt;Voor teamleiders&lt;/p&gt;</p>", "markup shown as text"),
    ("<p>R&amp;amp;D</p>", "entity shown as text"),
    ("<p>caf&amp;#233;</p>", "entity shown as text"),
    ("<h1>{{ article.title }}</h1>", "template syntax"),
    ("<p>{% trans %}</p>", "template syntax"),
    ("<p>Rol: None</p>", "an empty value printed"),
    ("<td>nan</td>", "an empty value printed"),
    ("<p>Undefined</p>", "an empty value printed"),
    ("<p>&lt;Member object at 0x7f3a&gt;</p>", "a Python repr"),
    ("<p>['ITIL', 'Lean']</p>", "a Python repr"),
    ("<p>{'a': 1}</p>", "a Python repr"),
    ("<p>datetime.date(2026, 5, 1)</p>", "a Python repr"),
    ("<p>Expertise: []</p>", "empty brackets"),
    ("<span>Anna ()</span>", "empty brackets"),
    ("<p>Anna , , Bram</p>", "a dangling separator"),
    ("<p>%(num)s artikelen</p>", "an unfilled placeholder"),
    ("<p>Zie [de site](https://example.nl)</p>", "unrendered Markdown"),
    ("<p>TODO: samenvatting</p>", "a note to the editor"),
    ("<p>…</p>", "shows only"),
    ('<img src="a.png" alt="&lt;b&gt;Anna&lt;/b&gt;">', "<img alt>"),
    ('<a href="/" aria-label="None">x</a>', "<a aria-label>"),
    ('<article lang="en"><p class="byline">Door <a href="/">Anna</a></p></article>', "interface text in 'nl' on a 'en' page"),
    ("<p>Latest articles</p>", "interface text in 'en' on a 'nl' page"),
])
def test_each_check_catches_its_leak(body, leak):
    assert any(leak in p for p in problems(page(body))), f"{leak!r} not caught in {body}"


def test_share_preview_text_is_read_too():
    head = '<meta property="og:description" content="&lt;p&gt;Voor teamleiders&lt;/p&gt;">'
    assert any(p.startswith("<meta og:description>") for p in problems(page("<p>Tekst</p>", head=head)))


def test_what_a_reader_does_not_see_is_not_judged():
    body = ("<p>Een gewone zin, met (haakjes) en 3 · 4 leden.</p>"
            "<pre><code>{{ page.title }} &lt;p&gt; None []</code></pre>"
            "<p>Schrijf <code>{% if x %}</code> zo.</p>"
            "<script>var x = null; if (a < b) {}</script>"
            "<div hidden>None</div><p style='display: none'>{{ x }}</p>"
            '<p>Ook beschikbaar in: <a lang="en" href="/en/">English</a></p>')
    assert problems(page(body)) == []
    shown = " ".join(text for text, _ in visible_text(page(body)))
    assert "gewone zin" in shown and "None" not in shown and "null" not in shown


def test_every_page_of_the_demo_reads_clean(demo_site):
    assert len(pages(demo_site)) > 50, "the demo build wrote fewer pages than expected"
    assert_reads_clean(demo_site)


def summary_site(small_site):
    """The small site with the metadata that reaches pages as HTML: summaries with markup
    and characters that need escaping, and an English translation."""
    return {
        **small_site,
        **dict([
            group("risico", "Risico's & kansen", Summary="Risico's *bespreekbaar* maken, R&D <b>inbegrepen</b>.",
                  Moderators="anna"),
            member("cas", "Cas & Co", Role="Adviseur & coach", Groups="risico", Expertise="R&D, ITIL"),
            article("kansen", "Kansen & risico's", Authors="cas", Groups="risico", Lang="nl",
                    Summary="Een *samenvatting* met `code` & een [link](https://example.nl)."),
            article("kansen-en", "Chances & risks", Authors="cas", Groups="risico", Lang="en",
                    Translation="true", Summary="An *English* summary.", Slug="kansen"),
        ]),
    }


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_every_page_of_a_test_site_reads_clean(make_site, small_site, lang):
    site = make_site(summary_site(small_site), DEFAULT_LANG=lang)
    other = "en" if lang == "nl" else "nl"
    assert site.exists("/groups/risico/") and site.exists(f"/articles/kansen/{other}/")
    assert_reads_clean(site)
