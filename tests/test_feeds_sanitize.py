"""Feed content is hostile: feedparser's own test feeds and our vectors leave nothing executable."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from feeds_helpers import unsafe_parts
from kring.feeds.models import Response
from kring.feeds.parse import parse
from kring.feeds.sanitize import clean_html, cut

from sitekit import missing_corpus, shared_corpus

# A representative part of feedparser's test feeds travels with the repository (tests/corpora/,
# with feedparser's licence): every sanitiser case in entry and item content, summaries and
# titles, the ill-formed feeds, odd encodings and entities. CI also runs the whole corpus.
CARRIED = Path(__file__).resolve().parent / "corpora" / "feedparser-tests" / "tests"
CARRIED_FILES = 252
FULL = shared_corpus("feedparser-tests", "tests")


def parse_bytes(body: bytes, url: str = "https://blog.example.nl/feed.xml", content_type: str = "application/xml"):
    return parse(Response("fetched", body=body, url=url, headers={"content-type": content_type}), 400)


def executable_parts(corpus: Path, files: list[Path]) -> dict[str, list[str]]:
    problems = {}
    for path in files:
        feed = parse_bytes(path.read_bytes())  # must not raise
        for entry in feed.entries:
            found = unsafe_parts(entry.summary_html)
            if entry.link and not entry.link.startswith(("http://", "https://")):
                found.append(f"link {entry.link}")
            if "<" in entry.title or any("<" in c for c in entry.categories):
                found.append(f"markup in text: {entry.title!r}")
            if found:
                problems[str(path.relative_to(corpus))] = found
    return problems


def test_feedparser_test_feeds_in_the_repository_parse_to_nothing_executable():
    files = sorted(CARRIED.rglob("*.xml"))
    assert len(files) == CARRIED_FILES
    assert "Redistributions of source code must retain" in (CARRIED.parent / "LICENSE").read_text()  # its licence
    assert executable_parts(CARRIED, files) == {}


@pytest.mark.skipif(FULL is None, reason=missing_corpus("feedparser-tests", "tests"))
def test_every_feedparser_test_feed_parses_to_nothing_executable():
    files = sorted(FULL.rglob("*.xml"))
    assert len(files) > 1000
    assert executable_parts(FULL, files) == {}


VECTORS = [
    '<img src="javascript:alert(1)">',
    '<img src=x onerror=alert(1)>',
    '<form action="javascript:alert(1)"><input type=submit></form>',
    '<button formaction="javascript:alert(1)">x</button>',
    '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a><script>alert(1)</script></svg>',
    '<svg onload=alert(1)></svg>',
    '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
    '<div style="width: expression(alert(1))">css</div>',
    '<style>body{background:url(javascript:alert(1))}</style>',
    '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">entity</a>',
    '<a href="&#x6A;avascript&colon;alert(1)">hex entity</a>',
    '<a href="jav&#x09;ascript:alert(1)">tab</a>',
    '<a href=" JaVaScRiPt:alert(1)">case</a>',
    '<a href="vbscript:msgbox(1)">vb</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">data</a>',
    '<iframe src="https://evil.example/"></iframe>',
    '<object data="x.swf"></object><embed src="x.swf">',
    '<a href="#" onclick="alert(1)" onmouseover="alert(1)">events</a>',
    '<p><scr<script>ipt>alert(1)</script></p>',
    '<!--[if gte IE 4]><script>alert(1)</script><![endif]-->',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<base href="javascript:alert(1)//">',
    '<link rel="stylesheet" href="https://evil.example/x.css">',
    '<video><source onerror="alert(1)"></video><audio src=x onerror=alert(1)>',
    '<table background="javascript:alert(1)"><tr><td>x</td></tr></table>',
    '<blockquote cite="javascript:alert(1)">q</blockquote>',
    '<img srcset="javascript:alert(1) 1x">',
    '<a href="/relative/../javascript:alert(1)">relative</a>',
]


@pytest.mark.parametrize("vector", VECTORS)
def test_hostile_html_is_neutralised(vector):
    cleaned = clean_html(vector, "https://blog.example.nl/post/1")
    assert unsafe_parts(cleaned) == []
    assert "alert(1)</script" not in cleaned and "<script" not in cleaned.lower()


@pytest.mark.parametrize("vector", VECTORS)
def test_hostile_html_inside_a_feed_is_neutralised(vector):
    body = f"""<rss version="2.0"><channel><title>t</title><item><title>x</title><link>https://b.example.nl/1</link>
      <description><![CDATA[{vector}]]></description></item></channel></rss>""".encode()
    (entry,) = parse_bytes(body).entries
    assert unsafe_parts(entry.summary_html) == []


def test_relative_links_are_resolved_and_marked_as_user_content():
    cleaned = clean_html('<p><a href="../over-mij">over mij</a> <a href="mailto:a@b.nl">mail</a></p>', "https://blog.example.nl/posts/1")
    links = BeautifulSoup(cleaned, "html.parser").find_all("a")
    assert [a["href"] for a in links] == ["https://blog.example.nl/over-mij", "mailto:a@b.nl"]
    assert all(a["rel"] == ["nofollow", "noopener", "ugc"] for a in links)


def test_plain_text_is_escaped_not_interpreted():
    doc = b"""{"version": "https://jsonfeed.org/version/1.1", "title": "t",
      "items": [{"id": "1", "title": "<b>vet</b> & zo", "content_text": "<script>alert(1)</script> 1 < 2"}]}"""
    (entry,) = parse_bytes(doc, content_type="application/feed+json").entries
    assert entry.title == "vet & zo"
    assert entry.summary_html == "<p>&lt;script&gt;alert(1)&lt;/script&gt; 1 &lt; 2</p>"


def test_summaries_are_cut_at_a_word_without_breaking_markup():
    html = "<p>Een <strong>lange zin met <em>nadruk</em> en nog veel meer</strong> woorden.</p><ul><li>een</li><li>twee</li></ul>"
    short = cut(clean_html(html), 30)
    soup = BeautifulSoup(short, "html.parser")
    assert soup.get_text().endswith("…") and len(soup.get_text()) <= 31
    assert str(soup) == short  # well-formed: serialising again changes nothing
    assert "<li>" not in short and short.count("<strong>") == short.count("</strong>")


def test_billion_laughs_and_external_entities_are_harmless(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("GEHEIM-WACHTWOORD")
    lol = "".join(f'<!ENTITY lol{n} "{"&lol%d;" % (n - 1) * 10}">' for n in range(1, 10))
    body = f"""<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY lol0 "lol">{lol}<!ENTITY xxe SYSTEM "file://{secret}">]>
<rss version="2.0"><channel><title>t</title>
<item><title>&lol9;</title><link>https://b.example.nl/1</link><description>&xxe; &lol9;</description></item>
</channel></rss>""".encode()
    feed = parse_bytes(body)
    text = " ".join(e.title + e.summary_html for e in feed.entries)
    assert "GEHEIM" not in text
    assert len(text) < 10_000  # not 10^9 times "lol"


def test_the_checker_would_notice_the_raw_vectors():
    """Guards the guard: unsafe_parts flags (almost) every vector before cleaning."""
    noticed = [v for v in VECTORS if unsafe_parts(v)]
    assert len(noticed) >= len(VECTORS) - 3
