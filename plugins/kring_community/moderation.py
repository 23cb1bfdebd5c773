"""Moderating the community stream: content/moderation.md, applied to everything stored.

The rules are applied on every build to every post in the archive, not only
to new ones, so a rule added today cleans the next build and a rule removed
brings the posts back. A hidden post is dropped here, before the stream, the
profiles, group pages, the knowledge map and the responses under articles
ever see it. A rule that cannot be right (an invalid regular expression, a
feed no member or group lists, an unknown field) stops the build.

Without any rule the stream also gets three brakes: a post dated in the
future is shown at the moment it was first fetched, a new feed's first fetch
shows at most ``KRING_FEED_FIRST_POSTS`` posts, and the same post arriving
through two feeds is shown once (see ``merge_duplicates``).
"""

from __future__ import annotations

import dataclasses
import logging
import os
import re
import unicodedata
from dataclasses import dataclass, field

from kring.feeds.sanitize import plain_text
from kring_core import ContentError, did_you_mean, report

logger = logging.getLogger(__name__)

DEFAULTS = {
    "KRING_MODERATION_FILE": "moderation.md",  # under content/
    "KRING_FEED_FIRST_POSTS": 10,  # posts shown of a new feed's first fetch
}
FIELDS = {"title": "Title", "hide": "Hide", "suspend": "Suspend", "block": "Block", "keep-only": "Keep-Only"}
HEADER = re.compile(r"^([A-Za-z][A-Za-z_-]*)\s*:\s*(.*)$")
KEEP_ONLY = re.compile(r"^(\S+)\s+=\s+(.+)$")


@dataclass(eq=False)
class Rule:
    """One value of one field of the moderation file, and what it hid (for the status page)."""

    field: str  # "Hide", "Suspend", "Block", "Keep-Only", or an automatic brake
    value: str
    hidden: list[tuple[str, str, str]] = field(default_factory=list)  # (title, link, feed key)
    pattern: re.Pattern | None = None


@dataclass
class Rules:
    path: str = ""
    hide: dict[str, Rule] = field(default_factory=dict)  # post link or id -> rule
    suspend: dict[str, Rule] = field(default_factory=dict)  # feed key -> rule
    block: list[Rule] = field(default_factory=list)
    keep_only: dict[str, Rule] = field(default_factory=dict)  # feed key -> rule

    @property
    def all(self) -> list[Rule]:
        hide = list(dict.fromkeys(self.hide.values()))  # a rule is listed once, also when it names a link and an id
        return hide + list(self.suspend.values()) + self.block + list(self.keep_only.values())


def settings(values) -> dict:
    return {key: values.get(key, default) for key, default in DEFAULTS.items()}


def moderation_path(content_path: str, conf: dict) -> str:
    return os.path.join(content_path, conf["KRING_MODERATION_FILE"])


def fold(text: str) -> str:
    """Case- and accent-insensitive form of a text: 'Één Café' -> 'een cafe'."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def read_fields(path: str) -> list[tuple[str, str]]:
    """(field as written, value) of every `Key: value` line above the first blank line; reports bad lines."""
    if not os.path.isfile(path):
        return []
    found = []
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            if not line.strip():
                break
            match = HEADER.match(line.strip())
            if match is None:
                report(ContentError(path, f"line {number}", f"'{line.strip()[:60]}' is not a 'Key: value' line.",
                                    "Leave a blank line between the rules and the explanation below them."))
                continue
            found.append((match.group(1), match.group(2).strip()))
    return found


def split_values(text: str) -> list[str] | None:
    """Comma-separated values; "a quoted, phrase" is one value. None when a quote is not closed."""
    values, current, quoted = [], "", False
    for char in text:
        if char == '"':
            quoted = not quoted
        elif char == "," and not quoted:
            values.append(current)
            current = ""
        else:
            current += char
    if quoted:
        return None
    values.append(current)
    return [v.strip() for v in values if v.strip()]


def suspended_feeds(content_path: str, values=None) -> set[str]:
    """The feed keys `make fetch` leaves alone (read without checking: the build checks them)."""
    conf = settings(values or {})
    suspended = set()
    for name, value in read_fields(moderation_path(content_path, conf)):
        if name.lower() == "suspend":
            suspended.update(split_values(value) or [])
    return suspended


def block_pattern(phrase: str) -> re.Pattern:
    words = fold(phrase).split()
    return re.compile(r"(?<!\w)" + r"\s+".join(re.escape(w) for w in words) + r"(?!\w)")


def read_rules(content_path: str, conf: dict, known_feeds: dict[str, str]) -> Rules:
    """The rules of the moderation file; every mistake is reported with file, field and fix.

    ``known_feeds``: every feed a member or group lists -> the key it is stored under.
    """
    path = moderation_path(content_path, conf)
    rules = Rules(path)
    for name, value in read_fields(path):
        key = name.lower()
        if key not in FIELDS:
            hint = did_you_mean(name, FIELDS.values()) or f"Known fields: {', '.join(FIELDS.values())}."
            report(ContentError(path, name, "is not a moderation field.", hint))
        elif key == "keep-only":
            _keep_only(rules, path, value, known_feeds)
        elif key != "title":
            values = split_values(value)
            if values is None:
                report(ContentError(path, FIELDS[key], "a quote is not closed.", 'Write phrases as "snel rijk".'))
            for item in values or []:
                _add(rules, key, path, item, known_feeds)
    return rules


def _feed(path: str, field_name: str, value: str, known_feeds: dict[str, str]) -> str | None:
    found = known_feeds.get(value) or known_feeds.get(value.rstrip("/"))
    if found is None:
        hint = did_you_mean(value, known_feeds) or "Copy the address exactly from the member's or group's Feeds line."
        report(ContentError(path, field_name, f"'{value}' is not a feed any member or group lists.", hint))
    return found


def _add(rules: Rules, key: str, path: str, value: str, known_feeds: dict[str, str]) -> None:
    rule = Rule(FIELDS[key], value)
    if key == "hide":
        rules.hide[value] = rules.hide[value.rstrip("/")] = rule
    elif key == "suspend":
        feed = _feed(path, "Suspend", value, known_feeds)
        if feed is not None:
            rules.suspend[feed] = rule
    elif key == "block":
        if not fold(value).split():
            report(ContentError(path, "Block", f"'{value}' has no words.", "Remove the empty phrase."))
            return
        rule.pattern = block_pattern(value)
        rules.block.append(rule)


def _keep_only(rules: Rules, path: str, value: str, known_feeds: dict[str, str]) -> None:
    match = KEEP_ONLY.match(value)
    if match is None:
        report(ContentError(path, "Keep-Only", f"'{value}' is not 'feed = regular expression'.",
                            "Write one feed per line: Keep-Only: https://blog.example.nl/feed.atom = kring|klantcontact"))
        return
    feed_value, expression = match.group(1), match.group(2).strip()
    try:
        pattern = re.compile(expression, re.IGNORECASE)
    except re.error as exc:
        report(ContentError(path, "Keep-Only", f"'{expression}' is not a valid regular expression ({exc}).",
                            "Escape special characters with a backslash, e.g. \\( or \\+."))
        return
    if pattern.search(""):
        report(ContentError(path, "Keep-Only", f"'{expression}' matches an empty text, so it would keep every post.",
                            "Remove the empty alternative (a leading or trailing '|')."))
        return
    feed = _feed(path, "Keep-Only", feed_value, known_feeds)
    if feed is None:
        return
    if feed in rules.keep_only:
        report(ContentError(path, "Keep-Only", f"'{feed_value}' has two rules.", "Join them with '|' in one line."))
        return
    rules.keep_only[feed] = Rule("Keep-Only", value, pattern=pattern)


def _text(post) -> str:
    return "\n".join([post.title, plain_text(post.summary_html), " ".join(post.categories)])


def hiding_rule(rules: Rules, post) -> Rule | None:
    """The rule that hides a stored post, or None."""
    if post.feed_key in rules.suspend:
        return rules.suspend[post.feed_key]
    for key in (post.link, post.link.rstrip("/"), post.entry_id):
        if key and key in rules.hide:
            return rules.hide[key]
    keep = rules.keep_only.get(post.feed_key)
    text = folded = None
    if keep is not None:
        text = _text(post)
        folded = fold(text)
        if not (keep.pattern.search(text) or keep.pattern.search(folded)):
            return keep
    if rules.block:
        folded = folded if folded is not None else fold(_text(post))
        for rule in rules.block:
            if rule.pattern.search(folded):
                return rule
    return None


def moderate(stored: list, rules: Rules, first_posts: int) -> tuple[list, list[Rule]]:
    """(posts to show, every rule with what it hid). ``stored``: the archive's posts, newest first."""
    shown, brakes = [], {}
    for post in stored:
        rule = hiding_rule(rules, post)
        if rule is not None:
            rule.hidden.append((post.title or post.link, post.link, post.feed_key))
            continue
        if post.first_seen is not None and post.published > post.first_seen:
            post = dataclasses.replace(post, published=post.first_seen)  # "next year" is not news today
        shown.append(post)
    shown = _first_fetch(shown, max(0, int(first_posts)), brakes)
    shown.sort(key=lambda p: p.published, reverse=True)
    unmatched = {r.value for r in rules.hide.values() if not r.hidden}
    for value in sorted(unmatched):
        logger.warning("%s: Hide: '%s' matches no stored post (yet).", rules.path, value)
    return shown, rules.all + list(brakes.values())


def _first_fetch(posts: list, limit: int, brakes: dict) -> list:
    """At most ``limit`` posts of each feed's first fetch (those first seen at the feed's first moment)."""
    first: dict[str, object] = {}
    for post in posts:
        if post.first_seen is not None and (post.feed_key not in first or post.first_seen < first[post.feed_key]):
            first[post.feed_key] = post.first_seen
    counted: dict[str, int] = {}
    kept = []
    for post in sorted(posts, key=lambda p: p.published, reverse=True):
        if post.first_seen is not None and post.first_seen == first.get(post.feed_key):
            counted[post.feed_key] = counted.get(post.feed_key, 0) + 1
            if counted[post.feed_key] > limit:
                rule = brakes.setdefault(post.feed_key, Rule("First fetch", post.feed_key))
                rule.hidden.append((post.title or post.link, post.link, post.feed_key))
                continue
        kept.append(post)
    return kept


def duplicate_keys(post) -> list:
    keys = [("title", fold(" ".join(post.title.split())), post.published.date())] if post.title else []
    return ([("link", post.link.rstrip("/"))] if post.link else []) + keys


def merge_duplicates(posts: list) -> tuple[list, Rule]:
    """The same post through two feeds (same link, or same title on the same day) once, crediting both.

    ``posts`` are the stream's Posts, newest first; the first copy stays and lists the
    other feeds' owners in ``also``.
    """
    rule = Rule("Duplicate", "")
    seen: dict = {}
    kept = []
    for post in posts:
        first = next((seen[k] for k in duplicate_keys(post) if k in seen), None)
        if first is not None and first.feed_key != post.feed_key:
            if post.owner is not first.owner and post.owner not in first.also:
                first.also.append(post.owner)
            rule.hidden.append((post.title, post.link, post.feed_key))
            continue
        for key in duplicate_keys(post):
            seen.setdefault(key, post)
        kept.append(post)
    return kept, rule
