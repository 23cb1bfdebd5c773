"""Pages whose inputs did not change are not rendered again.

Every writer call gets a digest of what it renders from (``digest``: the
site without the bodies, plus what the call is handed and the bodies it may
show) and of the theme. The digests of the last successful run are kept in
the run's cache folder with the size and modification time of each file the
call wrote. A call whose digest is the same, and whose files are still on
disk as they were left, only claims its file names; nothing is rendered.
A call that is rendered still goes page by page (pagination): a page whose
own digest (the call without the listed articles' bodies, the page, the
bodies it lists) did not change is read back from disk instead.

tests/test_incremental.py edits the demo in many ways and checks each
rebuild against a build from scratch, byte for byte.
"""

from __future__ import annotations

import hashlib
import logging
import os

from pelican.utils import sanitised_join

from kring_core.stored import load_dict, save_dict

from . import digest

logger = logging.getLogger(__name__)

VERSION = 3  # bump when the meaning of a stored digest changes
last_run: dict = {}  # the last run's counts of writer calls rendered and skipped (for -v output and tests)
WRITE_FILE_ARGS = ("relative_urls", "paginated", "template_name", "override_output", "url")  # after name, template, context


def named_arguments(args: tuple, kwargs: dict) -> dict:
    """write_file's arguments after its context, by name, however they were passed."""
    return dict(zip(WRITE_FILE_ARGS, args), **kwargs)


def theme_digest(settings) -> str:
    """Every template there is: the theme's files (templates, translations, the CSS the newsletter
    inlines), extra template folders, and the content folder's TEMPLATE_PAGES."""
    h = hashlib.blake2b(digest_size=16)

    def add(path):
        try:
            with open(path, "rb") as f:
                h.update(path.encode() + b"\0" + hashlib.blake2b(f.read(), digest_size=16).digest())
        except OSError:
            h.update(path.encode() + b"\0missing")

    folders = [settings.get("THEME") or ""] + list(settings.get("THEME_TEMPLATES_OVERRIDES") or [])
    folders += list(settings.get("EXTRA_TEMPLATES_PATHS") or [])
    for base in folders:
        for folder, dirs, names in os.walk(base):
            dirs[:] = sorted(d for d in dirs if d != "__pycache__")
            for name in sorted(names):
                add(os.path.join(folder, name))
    for source in sorted(settings.get("TEMPLATE_PAGES") or {}):
        add(os.path.join(settings.get("PATH") or "", source))
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
        self.output_path = output_path
        self.old: dict = {}  # writer call -> (digest, [(file, stat)]) of the last run
        self.new: dict = {}  # writer call -> (digest, [file]) of this run
        self.intact: set = set()  # calls of the last run whose files are on disk as they were left
        self.old_pages: dict = {}  # file -> (page digest, stat) of the last run
        self.new_pages: dict = {}  # file -> page digest of this run
        self.page_call = None  # while a call renders: (its digest without listed bodies, own bodies, listed keys)
        self.site = None
        self.rendered = self.skipped = self.reused = 0

    def prepare(self, context) -> None:
        """Once per run, before the first page is written (and before the writers fork)."""
        if self.site is not None:
            return
        self.site = digest.site_digest(context)
        if self.site.digest is None:
            logger.debug("Every page is rendered: %s cannot be digested", self.site.reason)
            return
        self.site.digest = digest.combine(self.site.digest, theme_digest(self.settings), str(VERSION))
        stored = load_dict(self.path)
        self.old, self.old_pages = stored.get("calls", {}), stored.get("pages", {})
        self.intact = {name for name, (_d, files) in self.old.items()
                       if all(_stat(path) == stat for path, stat in files)}

    def file_digest(self, name, template, args, kwargs, listed: bool = True) -> str | None:
        """The call's digest; ``listed=False``: without the bodies of the articles it lists."""
        named = named_arguments(args, kwargs)
        shown = digest.bodies_shown(named, named.get("paginated") if listed else None, listed)
        what = f"file:{name}:{getattr(template, 'name', None) or type(template).__qualname__}"
        return digest.call_digest(self.site, what, shown, {"args": args, "kwargs": kwargs})

    def start_pages(self, name, template, args, kwargs) -> bool:
        """A call that is rendered: each of its pages (pagination) may still be the same as last time."""
        base = self.file_digest(name, template, args, kwargs, listed=False)
        if base is None:
            return False
        named = named_arguments(args, kwargs)
        listed = named.get("paginated") or {k: kwargs[k] for k in ("articles", "dates") if k in kwargs}
        self.page_call = (base, digest.bodies_shown(named, None, listed=False), listed)
        return True

    def page_digest(self, localcontext) -> str | None:
        """One page of the call being rendered: the call without listed bodies, the page, the bodies it lists."""
        if self.page_call is None:
            return None
        base, own, listed = self.page_call
        shown = list(own)
        for key, objects in listed.items():
            page = localcontext.get(f"{key}_page")  # None: the template is not paginated, it gets them all
            shown += list(page.object_list if page is not None else objects or ())
        bodies = [self.site.body(o) for o in shown if isinstance(o, digest.Content)]
        return digest.combine(base, localcontext.get("output_file", ""), *bodies)

    def page_path(self, localcontext) -> str:
        return os.path.normpath(sanitised_join(self.output_path, localcontext.get("output_file", "")))

    def page_unchanged(self, path, page_digest) -> bool:
        entry = self.old_pages.get(path)
        return page_digest is not None and entry is not None and entry[0] == page_digest and _stat(path) == entry[1]

    def page_written(self, path, localcontext) -> None:
        """``content_written`` receiver (every process; the main one keeps what it records)."""
        page_digest = self.page_digest(localcontext)
        if page_digest is not None:
            self.new_pages[os.path.normpath(path)] = page_digest

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
        last_run.update(rendered=self.rendered, skipped=self.skipped, pages_reused=self.reused)
        logger.debug("Writer calls rendered: %d, left as they were: %d; pages of rendered calls left as they were: %d",
                     self.rendered, self.skipped, self.reused)
        if self.path is None or self.site is None or self.site.digest is None:
            return
        stored = {}
        for name, (call_digest, files) in self.new.items():
            stats = [(path, _stat(path)) for path in files]
            if all(stat is not None for _path, stat in stats):
                stored[name] = (call_digest, stats)
        pages = {path: (page_digest, _stat(path)) for path, page_digest in self.new_pages.items()}
        save_dict(self.path, {"calls": stored, "pages": {p: v for p, v in pages.items() if v[1] is not None}})


class Unrendered:
    """Stands in for a template whose page is not rendered in this process (skipped, or another's share)."""

    def render(self, *_args, **_kwargs) -> str:
        return ""


class PageMemoTemplate:
    """A call's template that leaves a page as it is on disk when its own digest did not change.

    The page's text is read back, so the writer (which leaves unchanged
    files untouched) sees the same bytes; nothing is rendered.
    """

    def __init__(self, template, memo: RenderMemo):
        self._template, self._memo = template, memo
        self.name = getattr(template, "name", None)

    def render(self, localcontext) -> str:
        page_digest = self._memo.page_digest(localcontext)
        path = self._memo.page_path(localcontext)
        if self._memo.page_unchanged(path, page_digest):
            try:
                with open(path, encoding="utf-8") as f:
                    text = f.read()
                self._memo.reused += 1
                return text
            except OSError:
                pass
        return self._template.render(localcontext)


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
        # A page that overrides another call's file (a page saved as index.html) is always written:
        # the file on disk may be the one the other call wrote in this run.
        overrides = named_arguments(args, kwargs).get("override_output")
        skipped = not overrides and self._memo.unchanged(name, call_digest)
        if skipped:  # claims every page of it (pagination) and tells the sitemap, renders nothing
            with self._writer.claiming_only():
                self._writer.write_file(name, Unrendered(), context, *args, **kwargs)
        elif not overrides and self._memo.start_pages(name, template, args, kwargs):
            try:
                self._inner.write_file(name, PageMemoTemplate(template, self._memo), context, *args, **kwargs)
            finally:
                self._memo.page_call = None
        else:
            self._inner.write_file(name, template, context, *args, **kwargs)
        self._memo.record(name, call_digest, self._writer.claimed[start:], skipped)

    def write_feed(self, elements, context, path=None, url=None, feed_type="atom", override_output=False, feed_title=None):
        options = dict(path=path, url=url, feed_type=feed_type, override_output=override_output, feed_title=feed_title)
        call_digest = self._memo.feed_digest(elements, options)
        start = len(self._writer.claimed)
        skipped = bool(path) and not override_output and self._memo.unchanged(f"feed:{path}", call_digest)
        if skipped:
            self._writer.claim_feed(path, override_output)
            result = None
        else:
            result = self._inner.write_feed(elements, context, **options)
        self._memo.record(f"feed:{path}", call_digest, self._writer.claimed[start:], skipped)
        return result
