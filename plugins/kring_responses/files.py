"""Readers' responses kept as files: content/responses/<article slug>/<name>.md.

Each file has `Author:`, `Date:`, optional `In-Reply-To:` (another response's
file name) above a blank line, then the text. The text came from outside (an
e-mail), so its Markdown is rendered and then sanitised like feed content,
whatever HTML it holds. Every editor mistake is reported with file, field
and fix; responses to draft articles are read, checked and never shown.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import markdown
from pelican.utils import get_date

from kring.feeds.sanitize import clean_html
from kring_core import ContentError, did_you_mean, report
from kring_core.paths import reported_outside

FIELDS = {"author": "Author", "date": "Date", "in-reply-to": "In-Reply-To"}
HEADER = re.compile(r"^([A-Za-z][A-Za-z_-]*)\s*:\s*(.*)$")
MARKDOWN_EXTENSIONS = ["markdown.extensions.extra", "markdown.extensions.sane_lists"]


@dataclass(eq=False)
class Response:
    """One reader's response to one article."""

    name: str  # the file name without .md: the thread's reference and the HTML anchor
    author: str  # as the file names them
    date: datetime
    html: str  # sanitised
    source_path: str
    member: Any = None  # a kring_directory Member when Author names one
    reply_to: str = ""
    replies: list["Response"] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        return f"reactie-{self.name}"


def _split(path: str) -> tuple[list[tuple[str, str]], str]:
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    header, at = [], 0
    for at, line in enumerate(lines):
        if not line.strip():
            break
        match = HEADER.match(line.strip())
        if match is None:
            report(ContentError(path, "", f"'{line.strip()[:60]}' is not a 'Key: value' line.",
                                "Put Author:, Date: (and In-Reply-To:) at the top, then a blank line, then the text."))
            return [], ""
        header.append((match.group(1), match.group(2).strip()))
    else:
        at = len(lines)
    return header, "\n".join(lines[at + 1:])


def render(text: str) -> str:
    """Markdown to HTML, then the feed sanitiser: scripts, handlers and javascript: links never survive."""
    return clean_html(markdown.markdown(text, extensions=MARKDOWN_EXTENSIONS, output_format="html"))


def read_response(path: str, timezone: str, find_member) -> Response | None:
    header, text = _split(path)
    values = {}
    for name, value in header:
        key = name.lower()
        if key not in FIELDS:
            hint = did_you_mean(name, FIELDS.values()) or f"A response has {', '.join(FIELDS.values())}."
            report(ContentError(path, name, "is not a field of a response.", hint))
        else:
            values[key] = value
    problems = False
    for key in ("author", "date"):
        if not values.get(key):
            report(ContentError(path, FIELDS[key], "is missing.", f"Add a line '{FIELDS[key]}: ...' at the top of the file."))
            problems = True
    date = None
    if values.get("date"):
        try:
            date = get_date(values["date"])
        except (ValueError, OverflowError):
            report(ContentError(path, "Date", f"'{values['date']}' is not a date.",
                                "Write it as YYYY-MM-DD or YYYY-MM-DD HH:MM, e.g. 2026-11-30 09:00."))
            problems = True
    if problems or date is None:
        return None
    if date.tzinfo is None:
        date = date.replace(tzinfo=ZoneInfo(timezone))
    name = os.path.splitext(os.path.basename(path))[0]
    reply_to = os.path.splitext(values.get("in-reply-to", ""))[0].strip()
    author = " ".join(values["author"].split())
    return Response(name, author, date, render(text), path, find_member(author), reply_to)


def thread(responses: list[Response], folder: str) -> list[Response]:
    """The top-level responses (oldest first) with their replies nested; reports unknown and circular replies."""
    by_name = {r.name: r for r in responses}
    top = []
    for response in sorted(responses, key=lambda r: (r.date, r.name)):
        response.replies = []
    for response in sorted(responses, key=lambda r: (r.date, r.name)):
        if not response.reply_to:
            top.append(response)
        elif response.reply_to not in by_name:
            hint = did_you_mean(response.reply_to, [n for n in by_name if n != response.name])
            report(ContentError(response.source_path, "In-Reply-To",
                                f"'{response.reply_to}' is not a response in {folder}/.",
                                hint or "Write the file name (without .md) of another response to this article."))
        elif _cycle(response, by_name):
            report(ContentError(response.source_path, "In-Reply-To",
                                f"'{response.reply_to}' replies (in the end) to this response itself: a circle.",
                                "Remove In-Reply-To from the response that started the conversation."))
        else:
            by_name[response.reply_to].replies.append(response)
    return top


def _cycle(response: Response, by_name: dict) -> bool:
    seen = {response.name}
    current = response
    while current.reply_to:
        if current.reply_to in seen:
            return True
        seen.add(current.reply_to)
        current = by_name.get(current.reply_to)
        if current is None:
            return False
    return False


def flatten(top: list[Response]) -> list[Response]:
    found = []
    for response in top:
        found.append(response)
        found += flatten(response.replies)
    return found


def read_folder(content_path: str, folder: str, timezone: str, find_member) -> dict[str, tuple[str, list[Response]]]:
    """{article slug: (folder path, responses)} for every folder under content/<folder>/."""
    root = os.path.join(content_path, folder)
    found = {}
    if not os.path.isdir(root):
        return found
    for entry in sorted(os.listdir(root)):
        path = os.path.join(root, entry)
        if entry.startswith("."):
            continue
        if not os.path.isdir(path):
            report(ContentError(path, "", "is not in an article's folder.",
                                f"Move it to {folder}/<article slug>/{entry}."))
            continue
        responses = []
        for name in sorted(os.listdir(path)):
            # Read directly (not through Pelican's readers): the content boundary is checked here.
            if name.endswith(".md") and not reported_outside(os.path.join(path, name), {"PATH": content_path},
                                                             source="", field=""):
                response = read_response(os.path.join(path, name), timezone, find_member)
                if response is not None:
                    responses.append(response)
        found[entry] = (path, responses)
    return found
