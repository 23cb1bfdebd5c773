"""An article with responses from both sources, as a reader sees it on a phone and a desktop."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from browser_support import ARTIFACTS, SIDEWAYS, axe_violations

ARTICLE = "/articles/moderator-zijn-is-een-vak/"


def test_an_article_with_responses_reads_well_and_respond_opens_a_prefilled_mail(reader, viewport):
    page, watch = reader
    page.goto(ARTICLE)
    page.wait_for_load_state("load")
    community = page.locator(".responses--community .response")
    readers = page.locator(".responses--readers .response")
    assert community.count() >= 1 and readers.count() >= 2
    assert page.locator("#community-responses").inner_text() == "Reacties uit de community"
    reply = page.locator(".responses__replies .response").first
    assert reply.is_visible()
    # A reply sits indented under what it answers, inside the screen.
    parent_box = reply.locator("xpath=ancestor::li[contains(@class, 'response')][1]").bounding_box()
    box = reply.bounding_box()
    assert box["x"] > parent_box["x"] and box["x"] + box["width"] <= parent_box["x"] + parent_box["width"] + 1
    button = page.locator("a.respond__button")
    assert button.inner_text() == "Reageer" and button.is_visible()
    href = button.get_attribute("href")
    assert parse_qs(urlsplit(href).query)["subject"][0].startswith("Moderator zijn is een vak — ")
    page.locator("section.responses").first.scroll_into_view_if_needed()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"article-responses-{viewport}.png"))
    assert not page.evaluate(SIDEWAYS)
    assert not axe_violations(page)
    assert not watch.problems()
