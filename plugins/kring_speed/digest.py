"""Digests of what pages are rendered from, so a rebuild renders only what changed.

The *site digest* covers everything a template can reach through the context
(every article's metadata and URL, what plugins attached to it, members,
groups, issues, community posts, settings), with one thing left out: the
bodies (``_content``) of content objects. A *call digest* adds what one
``write_file`` or ``write_feed`` call is handed. Which bodies a page shows is
not predicted here: ``recorder`` notes each body a render reads, and
``skip`` compares those with the bodies of this run.

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

from kring_core.pelican_compat import BODY, LOCAL_SITEURL
from kring_core.run import CONTEXT_KEY

from . import recorder
from .cache import IGNORED_SETTINGS

_SCALARS = (str, int, float, bool, type(None), bytes, complex)
_BY_REPR = (dt.date, dt.time, dt.timedelta, dt.tzinfo, decimal.Decimal, uuid.UUID, pathlib.PurePath, range)
_BY_NAME = (types.FunctionType, types.BuiltinFunctionType, types.ModuleType, type, types.MethodDescriptorType)
# Left out of every dict: what Pelican's writer sets in the context for the page it is writing, and the
# settings that do not change a page (kring_speed sets some of them during the first run of a live server).
TRANSIENT = {LOCAL_SITEURL, CONTEXT_KEY} | IGNORED_SETTINGS  # CONTEXT_KEY: the run's state


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
        # Every content object met, by its recorder key (shared with the children of a walker).
        self.contents: dict[str, list] = parent.contents if parent is not None else {}

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

    def current_body(self, key: str) -> str | None:
        """The hash of this run's body of the content object ``key``; None: gone, or two differing ones."""
        hashes = {recorder.body_hash(obj) for obj in self.contents.get(key, ())}
        return hashes.pop() if len(hashes) == 1 else None

    def walk(self, root, *leading: str) -> str:
        """The digest of the leading parts, root and everything reachable from it."""
        h = hashlib.blake2b(digest_size=16)
        for part in leading:
            h.update(part.encode() + b"\x1e")
        h.update(self.token(root).encode("utf-8", "surrogatepass") + b"\x1e")
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
        if isinstance(obj, Content):  # its body counts where a render reads it (recorder)
            attributes.pop(BODY, None)
            self.contents.setdefault(recorder.key_of(obj), []).append(obj)
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


def site_digest(context: dict) -> Walker:
    """A walker holding the digest of the whole context (``.digest``, None if it cannot be trusted)
    and one digest per context entry (``.parts``), to tell what changed."""
    walker = Walker()
    walker.parts, walker.reason = {}, None
    try:
        for key in sorted(k for k in context if k not in TRANSIENT):
            walker.parts[key] = walker.walk(context[key], key)
        walker.digest = combine(*(f"{k}={v}" for k, v in walker.parts.items()))
    except (Undigestable, RecursionError) as exc:
        walker.digest = None
        walker.reason = str(exc) or type(exc).__name__
    return walker


def call_digest(site: Walker, what: str, values: dict) -> str | None:
    """Digest of one writer call: the site, what it writes and what it is handed."""
    if site.digest is None:
        return None
    try:
        return Walker(parent=site).walk(values, site.digest, what)
    except (Undigestable, RecursionError):
        return None
