"""Any template may show any body: a rebuild follows what each page actually read.

A theme as a new theme author might write it: the footer of every page
shows the colofon page's text, the issue page shows the full text of every
article in it, the member cards (the member directory, group pages) show
each member's bio, and an article page shows its groups' descriptions and
its issue's editorial. Each kind of body is edited in turn; after each
edit the incremental rebuild must be the build from scratch, byte for byte.

(Before kring_speed recorded what a render reads, it predicted it: the
footer and the issue page kept the old text after such an edit.)
"""

from __future__ import annotations

import pytest

from kring_speed import skip
from test_cache_equivalence import assert_same_site
from test_incremental import Demo

THEME_EDITS = [
    ("theme/templates/base.html", "</footer>",
     '{% for p in pages if p.slug == "colofon" %}<div class="colofon">{{ p.content|safe }}</div>{% endfor %}</footer>'),
    ("theme/templates/issue.html", "{{ group_links(article.public_groups) }}",
     '{{ group_links(article.public_groups) }}<div class="prose full-text">{{ article.content|safe }}</div>'),
    ("theme/templates/_macros.html", "</a>\n    {% if member.role %}",
     '</a>\n    <div class="bio">{{ member.bio|safe }}</div>\n    {% if member.role %}'),
    ("theme/templates/article.html", '{% include "partials/responses_article.html" ignore missing %}',
     '{% include "partials/responses_article.html" ignore missing %}'
     '{% for g in article.public_groups %}<aside class="group-about">{{ g.description|safe }}</aside>{% endfor %}'
     '{% if article.issue %}<aside class="editorial">{{ article.issue.editorial|safe }}</aside>{% endif %}'),
]

# (file, old text, new text, a page other than the edited object's own that must show the new text)
BODY_EDITS = [
    ("articles/2026/samenwerking-is-de-echte-kracht.md", "\n\n", "\n\nEen nieuwe eerste alinea voor het hele nummer.\n\n",
     "issues/1/index.html"),
    ("pages/colofon.md", "Het Kring-magazine en de website", "Het vernieuwde Kring-magazine en de website",
     "members/index.html"),
    ("members/anna-de-vries.md", "SLA-gesprekken die weer", "SLA-gesprekken die opnieuw", "members/index.html"),
    ("groups/klantcontact.md", "Niets leert zo snel", "Niets leert zo grondig",
     "articles/klantcontact-leert-van-de-vloer/index.html"),
    ("issues/1.md", "de redactie hoort het graag", "de redactie hoort het heel graag",
     "articles/samenwerking-is-de-echte-kracht/index.html"),
]


@pytest.fixture
def theme_demo(tmp_path):
    demo = Demo(tmp_path)
    for path, old, new in THEME_EDITS:
        demo.edit(path, old, new)
    demo.read_feeds()
    demo.rebuild()
    return demo


def test_every_edited_body_reaches_every_page_that_shows_it(theme_demo):
    demo = theme_demo
    for path, old, new, shown_on in BODY_EDITS:
        demo.edit(path, old, new)
        site, rendered = demo.rebuild()
        assert new.strip().encode() in site[shown_on], f"{path}: {shown_on} shows the old text"
        assert_same_site(demo.from_scratch(), site)
        assert rendered > 0


def test_an_article_edit_renders_only_the_pages_that_read_it(theme_demo):
    demo = theme_demo
    demo.edit(*BODY_EDITS[0][:3])
    _site, rendered = demo.rebuild()
    assert 1 < rendered < 40, rendered
    reasons = dict(skip.last_run["reasons"])
    assert reasons["issues/1/index.html"] == "the body of articles/2026/samenwerking-is-de-echte-kracht.md changed"


def test_a_page_the_recorder_cannot_follow_is_always_rendered(tmp_path):
    demo = Demo(tmp_path)
    demo.edit("theme/templates/page.html", "{% block content %}", "{% block content %}{{ render_always() }}")
    demo.read_feeds()
    demo.rebuild()
    _site, rendered = demo.rebuild()
    reasons = dict(skip.last_run["reasons"])
    assert "colofon/index.html" in reasons and "could not follow" in reasons["colofon/index.html"]
    assert rendered <= 6  # the pages, and the feed status page that shows the time of the last check
