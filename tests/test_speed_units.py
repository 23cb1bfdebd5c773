"""kring_speed's parts on their own: the recorder, the digest walker, the skip decision."""

from __future__ import annotations

import datetime
import errno
import threading

import pytest
from pelican.contents import Article, Page
from pelican.settings import DEFAULT_CONFIG

from kring_speed import digest, forks, recorder, skip
from kring_speed.split import Split

SETTINGS = dict(DEFAULT_CONFIG, PATH="/site/content")


def article(slug: str, body: str = "<p>Tekst</p>", title: str | None = None, cls=Article, **metadata) -> Article:
    metadata = {"title": title or slug, "date": datetime.datetime(2026, 1, 1), "slug": slug, **metadata}
    return cls(body, metadata=metadata, settings=SETTINGS, source_path=f"/site/content/{slug}.md", context={})


@pytest.fixture(autouse=True)
def recorder_on():
    recorder.install()
    recorder.forget()


# --- the recorder ---------------------------------------------------------------------------------


def test_every_way_of_reading_a_body_is_recorded_with_its_hash():
    a, b, c, d = article("a"), article("b", "<p>Een</p> <p>twee</p>"), article("c"), article("d", cls=Page)
    a.content  # memoized outside any recording: the next read answers from the memo
    with recorder.recording() as reads:
        a.content
        b.summary
        c._content  # a plugin's own reading
        d.get_content("")
    assert set(reads.bodies) == {"Article:a.md", "Article:b.md", "Article:c.md", "Page:d.md"}
    assert reads.bodies["Article:a.md"] == recorder.body_hash(a) != recorder.body_hash(b)
    assert reads.result() == reads.bodies and reads.blind is None


def test_nothing_is_recorded_outside_a_render_or_in_another_thread():
    a, b = article("a"), article("b")
    a.content
    with recorder.recording() as reads:
        other = threading.Thread(target=lambda: b.content)
        other.start()
        other.join()
    assert reads.bodies == {}


def test_a_changed_body_has_another_hash():
    a = article("a")
    before = recorder.body_hash(a)
    a._content = "<p>Anders</p>"
    assert recorder.body_hash(a) != before


def test_what_the_recorder_cannot_follow_makes_the_page_blind():
    class OwnBody(Article):
        def _get_content(self):
            return "<p>van elders</p>"

    for unreadable in (OwnBody("<p>x</p>", metadata={"title": "x", "date": datetime.datetime(2026, 1, 1)},
                               settings=SETTINGS, source_path="/site/content/x.md", context={}),
                       Article("<p>x</p>", metadata={"title": "y", "date": datetime.datetime(2026, 1, 1)},
                               settings=SETTINGS, context={})):
        with recorder.recording() as reads:
            unreadable.content
        assert isinstance(reads.result(), str), type(unreadable)
    with recorder.recording() as reads:
        recorder.cannot_record("reads a file itself")
    assert reads.result() == "reads a file itself"


# --- the digest walker ----------------------------------------------------------------------------


def context_of(*articles, **extra) -> dict:
    return {"articles": list(articles), "SITENAME": "Kring", **extra}


def test_the_site_digest_leaves_bodies_out_and_everything_else_in():
    a, b = article("a"), article("b")
    a.related = [b]
    b.related = [a]  # a cycle costs nothing
    first = digest.site_digest(context_of(a, b))
    assert first.digest
    a._content = "<p>Nieuwe tekst</p>"
    assert digest.site_digest(context_of(a, b)).digest == first.digest
    b.title = "Nieuwe titel"
    changed = digest.site_digest(context_of(a, b))
    assert changed.digest != first.digest
    assert [k for k in changed.parts if changed.parts[k] != first.parts[k]] == ["articles"]


def test_the_walker_gives_up_on_what_it_cannot_digest_faithfully():
    site = digest.site_digest(context_of(article("a"), unordered={article("x"), article("y")}))
    assert site.digest is None and "set" in site.reason
    assert digest.call_digest(site, "file:x", {}) is None


def test_the_walker_knows_the_current_body_of_every_content_object():
    a = article("a")
    site = digest.site_digest(context_of(a, pages=[article("p", cls=Page)]))
    assert site.current_body("Article:a.md") == recorder.body_hash(a)
    assert site.current_body("Article:weg.md") is None
    twin = article("a", body="<p>Een andere tekst</p>")  # two objects, one file, two bodies: no answer
    assert digest.site_digest(context_of(a, twin)).current_body("Article:a.md") is None


# --- the skip decision ----------------------------------------------------------------------------


def render_once(tmp_path, context, read, path="a/index.html"):
    """One run: prepare, 'render' a call whose page read ``read``, save. Returns the memo and the call digest."""
    memo = skip.RenderMemo(str(tmp_path / "cache"), str(tmp_path / "out"), SETTINGS)
    memo.prepare(context)
    call_digest = memo.file_digest("a/index.html", None, (), {"article": context["articles"][0]})
    why = memo.why_render("a/index.html", call_digest)
    page = tmp_path / "out" / path
    if why is not None:
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text("pagina")
        memo.reads[path] = read
    memo.record("a/index.html", call_digest, [path], why)
    memo.save()
    return memo, why


def test_a_call_is_skipped_only_while_its_inputs_the_bodies_it_read_and_its_files_stay_the_same(tmp_path):
    a, b = article("a"), article("b")
    context = context_of(a, b)
    reads = {"Article:a.md": recorder.body_hash(a), "Article:b.md": recorder.body_hash(b)}
    _memo, why = render_once(tmp_path, context, reads)
    assert why == "it is new"
    _memo, why = render_once(tmp_path, context, reads)
    assert why is None  # skipped; what its page read is carried over
    b._content = "<p>Anders</p>"
    _memo, why = render_once(tmp_path, context, reads)
    assert why == "the body of b.md changed"
    reads = {"Article:a.md": recorder.body_hash(a), "Article:b.md": recorder.body_hash(b)}
    render_once(tmp_path, context, reads)
    (tmp_path / "out" / "a" / "index.html").write_text("met de hand veranderd")
    _memo, why = render_once(tmp_path, context, reads)
    assert why == "its files were changed or removed since the last build"
    a.title = "Andere titel"  # shown through the context: the call's digest changes
    _memo, why = render_once(tmp_path, context, reads)
    assert why == "what it is handed changed"


def test_a_blind_page_is_rendered_every_time(tmp_path):
    context = context_of(article("a"))
    render_once(tmp_path, context, "a template asked to be rendered every time")
    _memo, why = render_once(tmp_path, context, "a template asked to be rendered every time")
    assert why.startswith("the recorder could not follow its last render")


def test_the_run_says_why_everything_is_rendered(tmp_path):
    a = article("a")
    memo, _why = render_once(tmp_path, context_of(a), {})
    assert memo.why_all == "no record of an earlier build"
    memo, _why = render_once(tmp_path, context_of(a, SITENAME="Anders"), {})
    assert memo.why_all == "the site's SITENAME changed"
    assert skip.last_run["rendered"] == 1


def _fill_the_disk():
    raise OSError(errno.ENOSPC, "No space left on device", "/site/articles/a/index.html")


def test_a_write_error_in_a_forked_writer_reaches_the_build_as_that_error():
    """A full disk is the build's one-line message whichever process hit it, not a traceback as a content
    problem (it was one when a forked writer filled the disk)."""
    split = Split(2)
    split.children = [forks.start(_fill_the_disk)]
    with pytest.raises(OSError) as raised:
        split._join()
    assert raised.value.errno == errno.ENOSPC and raised.value.filename == "/site/articles/a/index.html"
    assert split.children == []
