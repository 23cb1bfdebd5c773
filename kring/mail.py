"""`invoke import-response MAIL.eml [--article SLUG]`: a reader's e-mail becomes a response file.

The e-mail is parsed with the standard library (RFC 5322, MIME, any charset,
quoted-printable and base64). Kept: the sender's name (never the address),
the date, and the reply itself: the text part, or the HTML part sanitised to
text; the quoted earlier message and the signature are cut off. The article
is the one given, or the one whose URL or title the subject names (the
"Reageer" button prefills both).
"""

from __future__ import annotations

import datetime as dt
import email
import re
from email import policy
from email.message import EmailMessage
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from bs4 import BeautifulSoup

from kring.feeds.sanitize import clean_html
from kring.scaffold import ScaffoldError, read_header, slug_for
from kring_core.errors import did_you_mean

# "Op wo 2 dec. 2026 om 10:00 schreef Anna <anna@x.nl>:", "On Wed, ... Anna wrote:" (may wrap over lines)
ATTRIBUTION = re.compile(r"^\s*(op|on|am|le)\b.{0,240}?\b(schreef|wrote|schrieb|a écrit)\b.{0,160}:\s*$", re.I)
SEPARATORS = re.compile(r"^\s*(-{2,}\s*(original message|oorspronkelijk bericht|doorgestuurd bericht|forwarded message)"
                        r"\s*-{2,}|_{10,}|(from|van):\s.+)\s*$", re.I)
SUBJECT_PREFIX = re.compile(r"^\s*((re|antw|aw|fw|fwd|wg|sv|reactie)\s*(\[\d+\])?\s*:\s*)+", re.I)
URL = re.compile(r"https?://\S+")
BLOCKS = ("p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre")


def read_message(path: Path) -> EmailMessage:
    with open(path, "rb") as f:
        return email.message_from_binary_file(f, policy=policy.default)


def sender_name(message: EmailMessage) -> str:
    """The display name of From, never the address."""
    header = message.get("From")
    addresses = getattr(header, "addresses", ()) if header is not None else ()
    name = " ".join((addresses[0].display_name if addresses else "").split())
    if not name or "@" in name:
        raise ScaffoldError("The e-mail's sender has no name (only an address). Pass one: --author \"Name\".")
    return name


def sender_address(message: EmailMessage) -> str:
    header = message.get("From")
    addresses = getattr(header, "addresses", ()) if header is not None else ()
    return addresses[0].addr_spec if addresses else ""


def html_to_text(html: str) -> str:
    """The text of an HTML part: sanitised first, quoted parts (blockquote, Gmail's quote) dropped, paragraphs kept."""
    soup = BeautifulSoup(html, "html.parser")
    for quoted in soup.select("blockquote, .gmail_quote, .gmail_attr, #appendonsend, #divRplyFwdMsg, .moz-cite-prefix"):
        quoted.decompose()
    for signature in soup.select(".gmail_signature, .moz-signature, [data-smartmail=gmail_signature]"):
        signature.decompose()
    soup = BeautifulSoup(clean_html(str(soup)), "html.parser")
    for tag in soup.find_all(BLOCKS):
        tag.insert_before("\n\n" if tag.name != "br" else "\n")
    for link in soup.find_all("a"):
        href = link.get("href", "")
        if href.startswith(("http://", "https://")) and href != link.get_text(strip=True):
            link.append(f" ({href})")
    text = soup.get_text()
    return re.sub(r"\n[ \t]+", "\n", text)


def body_text(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        raise ScaffoldError("The e-mail has no text: neither a text/plain nor a text/html part.")
    try:
        content = part.get_content()
    except (LookupError, UnicodeDecodeError):  # an unknown or wrong charset: keep what can be read
        content = part.get_payload(decode=True).decode("latin-1")
    return html_to_text(content) if part.get_content_type() == "text/html" else content


def strip_quotes(text: str) -> str:
    """The reply alone: no quoted lines, no "Op ... schreef ...:" above them, nothing after the signature."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    kept, i = [], 0
    while i < len(lines):
        line = lines[i]
        if line.rstrip() == "--":
            break  # the signature separator "-- " (some clients lose the space)
        if SEPARATORS.match(line):
            break  # Outlook's "-----Oorspronkelijk bericht-----" or "Van: ...": the rest is the earlier message
        if line.lstrip().startswith(">"):
            i += 1
            continue
        end = _attribution_end(lines, i)
        if end is not None:
            i = end
            continue
        kept.append(line)
        i += 1
    return re.sub(r"\n{3,}", "\n\n", "\n".join(kept)).strip()


def _attribution_end(lines: list[str], i: int) -> int | None:
    """Where "Op ... schreef Anna <anna@x.nl>:" ends (it may wrap over 3 lines), when a quote or nothing follows."""
    if not lines[i].strip():
        return None
    for n in (1, 2, 3):
        if ATTRIBUTION.match(" ".join(line.strip() for line in lines[i:i + n])):
            rest = [line for line in lines[i + n:] if line.strip()]
            if not rest or rest[0].lstrip().startswith(">"):
                return i + n
            return None
    return None


def find_article(content: Path, subject: str, wanted: str = "") -> str:
    """The slug of the article the e-mail responds to: ``wanted``, else the subject's URL or title."""
    articles = {}
    for path in sorted((content / "articles").rglob("*.md")):
        header = read_header(path)
        slug = header.get("slug") or slug_for(header.get("title", path.stem))
        articles[slug] = header.get("title", slug)
    if wanted:
        if wanted not in articles:
            raise ScaffoldError(f"'{wanted}' is not an article. {did_you_mean(wanted, articles) or 'Use the slug from its URL.'}")
        return wanted
    cleaned = SUBJECT_PREFIX.sub("", subject or "").strip()
    for url in URL.findall(cleaned):
        segments = [s for s in urlsplit(url.rstrip(".,;)>")).path.split("/") if s and s != "index.html"]
        for segment in reversed(segments):
            if segment in articles:
                return segment
    title = URL.sub("", cleaned).strip(" —-–:|")
    by_title = {" ".join(t.casefold().split()): slug for slug, t in articles.items()}
    found = by_title.get(" ".join(title.casefold().split()))
    if found:
        return found
    hint = did_you_mean(title, articles.values()) if title else ""
    raise ScaffoldError(f"No article matches the subject '{subject}'. {hint or 'Name it: --article SLUG.'}".strip())


def message_date(message: EmailMessage, timezone: str) -> dt.datetime:
    header = message.get("Date")
    when = getattr(header, "datetime", None) if header is not None else None
    if when is None:
        when = dt.datetime.now(dt.timezone.utc)
    elif when.tzinfo is None:
        when = when.replace(tzinfo=dt.timezone.utc)
    return when.astimezone(ZoneInfo(timezone))


def import_response(mail: Path, content: Path, article: str = "", author: str = "",
                    timezone: str = "Europe/Amsterdam", folder: str = "responses") -> Path:
    """Write content/responses/<article>/<date>-<name>.md from a saved e-mail; return its path."""
    try:
        message = read_message(mail)
    except OSError as exc:
        raise ScaffoldError(f"Cannot read {mail}: {exc.strerror or exc}.") from exc
    slug = find_article(content, str(message.get("Subject", "")), article)
    name = author.strip() or sender_name(message)
    text = strip_quotes(body_text(message))
    address = sender_address(message)
    if address:  # the sender's address never reaches the site, not even quoted in their own text
        text = re.sub(re.escape(address), "", text, flags=re.I)
    if not text:
        raise ScaffoldError(f"{mail} holds no reply text once the quoted message and signature are removed.")
    when = message_date(message, timezone)
    target_folder = content / folder / slug
    target_folder.mkdir(parents=True, exist_ok=True)
    base = f"{when:%Y-%m-%d}-{slug_for(name) or 'lezer'}"
    target, n = target_folder / f"{base}.md", 2
    while target.exists():
        target, n = target_folder / f"{base}-{n}.md", n + 1
    target.write_text(f"Author: {name}\nDate: {when:%Y-%m-%d %H:%M}\n\n{text}\n", encoding="utf-8")
    return target
