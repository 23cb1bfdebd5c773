"""Digests of what pages are rendered from, so a rebuild renders only what changed.

The *site digest* covers everything a template can reach through the context
(every article's metadata, URL and summary, what plugins attached to it,
members, groups, issues, community posts, settings) except the bodies
(``_content``) of articles and pages. A *call digest* adds what one
``write_file`` or ``write_feed`` call is handed, with the bodies of the
content objects among it (``article=``, ``page=``, the listed ``articles``,
a feed's entries). So editing an article's text re-renders its page, the
listings that show it and its feeds; changing its title, which other pages
show, changes the site digest and re-renders everything.

The walk is faithful or it gives up: a value it cannot digest for certain
(an unknown type without attributes, an object set in memory order) makes
the digest None, and then nothing is skipped.
"""

from __future__ import annotations

import datetime as dt
import decimal
import functools
import hashlib
import pathlib
import re
import types
import uuid

from pelican.contents import Content
from pelican.urlwrappers import URLWrapper

from .cache import IGNORED_SETTINGS

_SCALARS = (str, int, float, bool, type(None), bytes, complex)
_BY_REPR = (dt.date, dt.time, dt.timedelta, dt.tzinfo, decimal.Decimal, uuid.UUID, pathlib.PurePath, range)
_BY_NAME = (types.FunctionType, types.BuiltinFunctionType, types.ModuleType, type, types.MethodDescriptorType)
BODY = "_content"  # what the site digest leaves out of the articles and pages Pelican writes
# Pelican's lists of the articles and pages it writes, each on its own page: their bodies are shown
# there and on the listings that are handed them. Other content objects (a member's, group's or
# issue's source file) are shown through the objects that hold them, so their bodies count everywhere.
WRITTEN_CONTENT = ("articles", "translations", "drafts", "drafts_translations", "hidden_articles",
                   "hidden_translations", "pages", "hidden_pages", "draft_pages", "draft_translations")
# Left out of every dict: what Pelican's writer sets in the context for the page it is writing, and the
# settings that do not change a page (kring_speed sets some of them during the first run of a live server).
TRANSIENT = {"localsiteurl"} | IGNORED_SETTINGS


STR, REPR, NAME, PATTERN, REF = range(5)
_HOW: dict[type, int] = {}  # how a value of each type is digested, decided once per type


def _how(kind: type) -> int:
    if kind is str:
        return STR
    if issubclass(kind, _SCALARS + _BY_REPR):
        return REPR
    if issubclass(kind, _BY_NAME):
        return NAME
    if issubclass(kind, re.Pattern):
        return PATTERN
    return REF


class Undigestable(Exception):
    """A value the walk cannot digest faithfully; names its type for the debug log."""


def _hash(data: str) -> str:
    return hashlib.blake2b(data.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def combine(*parts: str) -> str:
    return _hash("\x1e".join(parts))


def body_digest(obj) -> str:
    return _hash(getattr(obj, BODY, None) or "")


class Walker:
    """Numbers every object it meets by first encounter and digests each once.

    A reference to an object is its number, so shared objects and cycles
    (an article's ``related`` list naming another article that names it
    back) cost nothing extra. A walker with a ``parent`` reuses the parent's
    numbers and numbers only the objects new to it.
    """

    def __init__(self, parent: Walker | None = None):
        self.parent = parent
        self.numbers: dict[int, str] = {}
        self.alive: list = []  # keeps numbered objects alive so their ids stay theirs
        self.queue: list = []
        self.bodies: dict[int, str] = {}
        self.bodiless: set[int] = set()  # ids of the content objects whose bodies are left out

    def ref(self, obj) -> str:
        key = id(obj)
        walker = self
        while walker is not None:
            number = walker.numbers.get(key)
            if number is not None:
                return number
            walker = walker.parent
        number = f"#{len(self.numbers)}" if self.parent is None else f"~{len(self.numbers)}"
        self.numbers[key] = number
        self.alive.append(obj)
        self.queue.append(obj)
        return number

    def token(self, value) -> str:
        kind = type(value)
        how = _HOW.get(kind)
        if how is None:
            how = _HOW[kind] = _how(kind)
        if how == STR:
            return repr(value)
        if how == REPR:
            return f"{kind.__qualname__}:{value!r}"
        if how == NAME:
            return f"{kind.__name__}:{getattr(value, '__module__', '')}.{getattr(value, '__qualname__', getattr(value, '__name__', ''))}"
        if how == PATTERN:
            return f"re:{value.pattern!r}/{value.flags}"
        return self.ref(value)

    def body(self, obj) -> str:
        """A content object's body digest, once per run."""
        key = id(obj)
        found = self.bodies.get(key)
        if found is None:
            found = self.bodies[key] = body_digest(obj)
            self.alive.append(obj)
        return found

    def walk(self, root, *leading: str) -> str:
        """The digest of the leading parts, root and everything reachable from it."""
        h = hashlib.blake2b(digest_size=16)
        for part in leading:
            h.update(part.encode() + b"\x1e")
        self.token(root)
        done = 0
        while done < len(self.queue):
            obj = self.queue[done]
            done += 1
            h.update(self._describe(obj).encode("utf-8", "surrogatepass") + b"\x1e")
        self.queue = []
        return h.hexdigest()

    def _describe(self, obj) -> str:
        token = self.token
        if isinstance(obj, dict):
            items = [(k, v) for k, v in obj.items() if k not in TRANSIENT]
            if all(type(k) is str for k in obj):
                items = sorted(items)  # insertion order can follow a set's (e.g. Pelican's static files)
            return "{" + ",".join(f"{token(k)}:{token(v)}" for k, v in items)
        if isinstance(obj, (list, tuple)):
            return "[" + ",".join(token(v) for v in obj)
        if isinstance(obj, (set, frozenset)):
            items = list(obj)
            if not all(isinstance(v, _SCALARS) for v in items):
                raise Undigestable(f"a set of objects ({type(obj).__name__}) has no stable order")
            return "(" + ",".join(sorted(token(v) for v in items))
        if isinstance(obj, types.MethodType):
            return f"method:{obj.__func__.__qualname__}:{token(obj.__self__)}"
        if isinstance(obj, functools.partial):
            return f"partial:{token(obj.func)}:{token(obj.args)}:{token(obj.keywords)}"
        if isinstance(obj, URLWrapper):  # its __dict__ gains copies of name and slug once its URL is asked for
            return f"{type(obj).__qualname__}:{token(obj.name)}:{token(obj.slug)}"
        attributes = _attributes(obj)
        if attributes is None:
            raise Undigestable(f"{type(obj).__module__}.{type(obj).__qualname__}")
        kind = type(obj)
        fields = [f"{kind.__module__}.{kind.__qualname__}"]
        if isinstance(obj, Content) and id(obj) in self.bodiless:
            body = attributes.pop(BODY, None)
            if isinstance(body, str) and "summary" not in obj.metadata:
                attributes["summary()"] = obj.summary  # derived from the body, shown on listings
        fields += [f"{name}={token(value)}" for name, value in attributes.items()]
        return "|".join(fields)


@functools.lru_cache(maxsize=None)
def _slots(kind: type) -> tuple[str, ...]:
    names = (s for k in kind.__mro__ for s in getattr(k, "__slots__", ()))
    return tuple(n for n in names if n not in ("__dict__", "__weakref__"))


def _attributes(obj) -> dict | None:
    values = dict(vars(obj)) if hasattr(obj, "__dict__") else None
    slots = _slots(type(obj))
    if values is None and not slots:
        return None
    values = values or {}
    for name in slots:
        if hasattr(obj, name):
            values[name] = getattr(obj, name)
    return values


def site_digest(context: dict) -> Walker | None:
    """A walker holding the digest of the whole context (``.digest``), or None if it cannot be trusted."""
    walker = Walker()
    walker.bodiless = {id(obj) for key in WRITTEN_CONTENT for obj in context.get(key) or () if isinstance(obj, Content)}
    try:
        walker.digest = walker.walk(context)
    except (Undigestable, RecursionError) as exc:
        walker.digest = None
        walker.reason = str(exc)
    return walker


_LISTED = ("articles", "dates", "articles_page", "dates_page")


def call_digest(site: Walker, what: str, bodies: list, values: dict) -> str | None:
    """Digest of one writer call: the site, what it writes and is handed, the bodies it may show."""
    if site.digest is None:
        return None
    try:
        return Walker(parent=site).walk(values, site.digest, what, *(site.body(o) for o in bodies if isinstance(o, Content)))
    except (Undigestable, RecursionError):
        return None


def bodies_shown(kwargs: dict, paginated: dict | None, listed: bool = True) -> list:
    """The content objects whose text a page may show: its own object and (``listed``) the articles it lists."""
    shown = [value for value in kwargs.values() if isinstance(value, Content)]
    if not listed:
        return shown
    for key in _LISTED:
        shown += [v for v in kwargs.get(key) or () if isinstance(v, Content)]
    for values in (paginated or {}).values():
        shown += [v for v in values or () if isinstance(v, Content)]
    return shown
