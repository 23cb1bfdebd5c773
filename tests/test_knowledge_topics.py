"""Topic names: one topic however members spell it, and the alias setting."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kring_core import collector
from kring_knowledge.topics import Topics, read_aliases, topic_key


@pytest.fixture(autouse=True)
def clean_problems():
    collector.reset()
    yield
    collector.reset()


@pytest.mark.parametrize(
    "spelling",
    ["Sociale media", "sociale media", "  Sociale   Media ", "SOCIALE MÉDIA", "sociale-media", "Sociale\tmedia"],
)
def test_case_accents_and_spacing_do_not_make_a_new_topic(spelling):
    assert topic_key(spelling) == "sociale-media"


def test_distinct_topics_stay_distinct():
    keys = {topic_key(t) for t in ["C", "C++", "C#", "SLA's", "ITIL", "ITIL 4", "M_o_R"]}
    assert len(keys) == 7


@given(st.text())
def test_a_key_is_always_a_safe_url_slug(text):
    key = topic_key(text)
    assert key == topic_key(key)  # normalising twice changes nothing
    assert all(c.isascii() and (c.isalnum() or c == "-") for c in key)
    assert not key.startswith("-") and not key.endswith("-")


def topics(aliases=None) -> Topics:
    return Topics(read_aliases(aliases or {}), "experts/{slug}/", "experts/{slug}/index.html")


def test_aliases_fold_spellings_onto_the_settings_name():
    found = topics({"ITIL 4": "ITIL", "itil": "ITIL"})
    for spelling in ["itil", "ITIL 4", "Itil", "itil 4", "ITIL"]:
        found.add(spelling)
    assert list(found.by_slug) == ["itil"]
    topic = found.by_slug["itil"]
    assert topic.name == "ITIL"
    assert topic.url == "experts/itil/"
    assert found.find("ITIL4 ") is None  # not an alias, not a topic: looking never creates one


def test_without_an_alias_the_most_used_spelling_names_the_topic():
    found = topics()
    for spelling in ["kanban", "Kanban", "Kanban", "ITIL 4"]:
        found.add(spelling)
    assert sorted(found.by_slug) == ["itil-4", "kanban"]
    assert found.by_slug["kanban"].name == "Kanban"


def test_alias_chains_are_followed():
    found = topics({"ITIL v4": "ITIL 4", "ITIL 4": "ITIL"})
    assert found.add("itil v4").name == "ITIL"
    assert collector.problems() == []


def test_bad_alias_settings_are_reported_not_ignored():
    read_aliases({"a": "b", "b": "a"})
    read_aliases(["ITIL"])
    messages = [str(p) for p in collector.problems()]
    assert any("KRING_TOPIC_ALIASES" in m and "circle" in m for m in messages)
    assert any("KRING_TOPIC_ALIASES" in m and '{"ITIL 4": "ITIL"' in m for m in messages)
