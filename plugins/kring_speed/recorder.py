"""What a render actually reads: the content bodies a page or feed uses.

While a writer call renders a page (or builds a feed), a ``Reads`` collector
is active in a context variable. Every read of a Pelican content object's
body notes the object (by its source file) and a hash of the body: reading
``_content`` directly, and the memoized ``get_content`` / ``get_summary``
behind ``content`` and ``summary`` (their memo answers without reading). So
any template, partial, filter or plugin renderer that shows an article's
text, a page's, a member's bio, a group's description or an issue's
editorial (the Kring models show their source file's ``content``), or the
body of any content object a later plugin adds, is recorded without anyone
declaring it.

What the recorder cannot see makes the page *blind*, and a blind page is
always rendered: a body behind a plugin's own ``_get_content``, a content
object without a source file, or a template or plugin that calls
``cannot_record(reason)`` (in templates: ``{{ render_always() }}``).
"""

from __future__ import annotations

import contextlib
import contextvars
import hashlib
import os

from kring_core import pelican_compat

_current: contextvars.ContextVar[Reads | None] = contextvars.ContextVar("kring_speed_reads", default=None)
_hashes: dict[int, tuple[object, str]] = {}  # id(content) -> (the body it hashed, its hash)


class Reads:
    """The bodies one page's render read: key -> hash; ``blind``: why it cannot be trusted."""

    __slots__ = ("bodies", "blind")

    def __init__(self):
        self.bodies: dict[str, str] = {}
        self.blind: str | None = None

    def result(self) -> dict[str, str] | str:
        """What is stored for the page: the bodies read, or (a str) why the page must always render."""
        return self.blind if self.blind is not None else dict(self.bodies)


@contextlib.contextmanager
def recording():
    reads = Reads()
    token = _current.set(reads)
    try:
        yield reads
    finally:
        _current.reset(token)


def cannot_record(reason: str = "a template asked to be rendered every time") -> str:
    """Called while rendering: this page reads something the recorder cannot see; always render it."""
    reads = _current.get()
    if reads is not None and reads.blind is None:
        reads.blind = reason
    return ""


def key_of(content) -> str | None:
    """A content object's name that stays the same from run to run: its class and source file."""
    path = getattr(content, "source_path", None)
    if not path:
        return None
    base = (getattr(content, "settings", None) or {}).get("PATH") or ""
    if base and path.startswith(base.rstrip(os.sep) + os.sep):
        path = path[len(base.rstrip(os.sep)) + 1:]
    return f"{type(content).__name__}:{path}"


def body_hash(content) -> str:
    body = pelican_compat.raw_body(content)
    known = _hashes.get(id(content))
    if known is not None and known[0] is body:
        return known[1]
    digest = hashlib.blake2b((body or "").encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()
    _hashes[id(content)] = (body, digest)
    return digest


def forget() -> None:
    """At the start of every run: the hashes of the last run's objects (whose ids may be reused)."""
    _hashes.clear()


def note(content) -> None:
    reads = _current.get()
    if reads is None:
        return
    if pelican_compat.has_own_body_getter(content):
        cannot_record(f"{type(content).__name__} builds its body in its own _get_content")
        return
    key = key_of(content)
    if key is None:
        cannot_record(f"a {type(content).__name__} without a source file")
        return
    reads.bodies[key] = body_hash(content)


def install() -> None:
    """Every body read of every content object goes through ``note`` (once per process)."""
    pelican_compat.watch_body_reads(note)
