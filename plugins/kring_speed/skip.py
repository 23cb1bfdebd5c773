"""Pages whose inputs did not change are not rendered again.

Every writer call gets a digest of what it renders from (``digest``: the
site without the bodies, plus what the call is handed and the bodies it may
show) and of the theme. The digests of the last successful run are kept in
the run's cache folder with the size and modification time of each file the
call wrote. A call whose digest is the same, and whose files are still on
disk as they were left, only claims its file names; nothing is rendered.

tests/test_incremental.py edits the demo in many ways and checks each
rebuild against a build from scratch, byte for byte.
"""

from __future__ import annotations

import hashlib
import logging
import os

from kring_core.stored import load_dict, save_dict

from . import digest

logger = logging.getLogger(__name__)

VERSION = 1  # bump when the meaning of a stored digest changes
last_run: dict = {}  # the last run's counts of writer calls rendered and skipped (for -v output and tests)
WRITE_FILE_ARGS = ("relative_urls", "paginated", "template_name", "override_output", "url")  # after name, template, context


def theme_digest(settings) -> str:
    """Every file of the theme (templates, translations, the CSS the newsletter inlines)."""
    h = hashlib.blake2b(digest_size=16)
    folders = [settings.get("THEME") or ""] + list(settings.get("THEME_TEMPLATES_OVERRIDES") or [])
    for base in folders:
        for folder, dirs, names in os.walk(base):
            dirs[:] = sorted(d for d in dirs if d != "__pycache__")
            for name in sorted(names):
                path = os.path.join(folder, name)
                with open(path, "rb") as f:
                    h.update(path.encode() + b"\0" + hashlib.blake2b(f.read(), digest_size=16).digest())
    return h.hexdigest()


def _stat(path: str):
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_size, st.st_mtime_ns


class RenderMemo:
    """One run's digests: what the last run left (``old``) and what this run wrote (``new``)."""

    def __init__(self, folder: str | None, output_path: str, settings):
        key = hashlib.sha256(os.path.abspath(output_path).encode()).hexdigest()[:16]
        self.path = os.path.join(folder, f"rendered-{key}.pickle") if folder else None
        self.settings = settings
        self.old: dict = {}
        self.new: dict = {}
        self.intact: set = set()
        self.site = None
        self.rendered = self.skipped = 0

    def prepare(self, context) -> None:
        """Once per run, before the first page is written (and before the writers fork)."""
        if self.site is not None:
            return
        self.site = digest.site_digest(context)
        if self.site.digest is None:
            logger.debug("Every page is rendered: %s cannot be digested", self.site.reason)
            return
        self.site.digest = digest.combine(self.site.digest, theme_digest(self.settings), str(VERSION))
        self.old = load_dict(self.path)
        self.intact = {name for name, (_d, files) in self.old.items()
                       if all(_stat(path) == stat for path, stat in files)}

    def file_digest(self, name, template, args, kwargs) -> str | None:
        named = dict(zip(WRITE_FILE_ARGS, args), **kwargs)
        shown = digest.bodies_shown(named, named.get("paginated"))
        what = f"file:{name}:{getattr(template, 'name', None) or type(template).__qualname__}"
        return digest.call_digest(self.site, what, shown, {"args": args, "kwargs": kwargs})

    def feed_digest(self, elements, options: dict) -> str | None:
        return digest.call_digest(self.site, "feed", list(elements), {"elements": elements, "options": options})

    def unchanged(self, name, call_digest) -> bool:
        return call_digest is not None and name in self.intact and self.old[name][0] == call_digest

    def record(self, name, call_digest, files, skipped: bool) -> None:
        if skipped:
            self.skipped += 1
        else:
            self.rendered += 1
        if call_digest is not None and files:
            self.new[name] = (call_digest, files)

    def save(self) -> None:
        """In the main process, after every process has written its share."""
        last_run.clear()
        last_run.update(rendered=self.rendered, skipped=self.skipped)
        logger.debug("Writer calls rendered: %d, left as they were: %d", self.rendered, self.skipped)
        if self.path is None or self.site is None or self.site.digest is None:
            return
        stored = {}
        for name, (call_digest, files) in self.new.items():
            stats = [(path, _stat(path)) for path in files]
            if all(stat is not None for _path, stat in stats):
                stored[name] = (call_digest, stats)
        save_dict(self.path, stored)


class Unrendered:
    """Stands in for a template whose page is not rendered in this process (skipped, or another's share)."""

    def render(self, *_args, **_kwargs) -> str:
        return ""


class SkipWriter:
    """Forwards to ``inner`` (the writer, or the share of it this process renders); skips unchanged calls."""

    def __init__(self, writer, inner, memo: RenderMemo):
        self._writer, self._inner, self._memo = writer, inner, memo

    def __getattr__(self, name):
        return getattr(self._inner, name)

    def write_file(self, name, template, context, *args, **kwargs):
        if not name:  # Pelican writes nothing for these (e.g. a disabled *_SAVE_AS)
            return self._inner.write_file(name, template, context, *args, **kwargs)
        call_digest = self._memo.file_digest(name, template, args, kwargs)
        start = len(self._writer.claimed)
        skipped = self._memo.unchanged(name, call_digest)
        if skipped:  # claims every page of it (pagination) and tells the sitemap, renders nothing
            with self._writer.claiming_only():
                self._writer.write_file(name, Unrendered(), context, *args, **kwargs)
        else:
            self._inner.write_file(name, template, context, *args, **kwargs)
        self._memo.record(name, call_digest, self._writer.claimed[start:], skipped)

    def write_feed(self, elements, context, path=None, url=None, feed_type="atom", override_output=False, feed_title=None):
        options = dict(path=path, url=url, feed_type=feed_type, override_output=override_output, feed_title=feed_title)
        call_digest = self._memo.feed_digest(elements, options)
        start = len(self._writer.claimed)
        skipped = bool(path) and self._memo.unchanged(f"feed:{path}", call_digest)
        if skipped:
            self._writer.claim_feed(path, override_output)
            result = None
        else:
            result = self._inner.write_feed(elements, context, **options)
        self._memo.record(f"feed:{path}", call_digest, self._writer.claimed[start:], skipped)
        return result
