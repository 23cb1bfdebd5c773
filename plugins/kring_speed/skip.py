"""Pages whose inputs did not change are not rendered again.

Every writer call gets a digest of what it renders from (``digest``: the
site without the content bodies, plus what the call is handed) and of the
theme; every page it renders, the bodies its render read (``recorder``).
The digests and the bodies read in the last successful run are kept in the
run's cache folder, with the size and modification time of each file.
A call is skipped (it only claims its file names) when its digest is the
same, every body any of its pages read is the same, and its files are on
disk as they were left. A call that is rendered still goes page by page
(pagination): a page whose digest and bodies read did not change is read
back from disk instead. A page whose render the recorder could not follow
is always rendered.

tests/test_incremental.py edits the demo in many ways and checks each
rebuild against a build from scratch, byte for byte.
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil

from pelican.utils import sanitised_join

from kring_core import pelican_compat
from kring_core.stored import load_dict, save_dict

from . import digest, recorder

logger = logging.getLogger(__name__)

VERSION = 4  # bump when the meaning of a stored digest changes
last_run: dict = {}  # the last run's counts and reasons (for -v output and tests)
SHOWN_REASONS = 20  # reasons logged one by one; the rest are counted


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
    """One run's digests: what the last run left (``old_*``) and what this run renders (``new_calls``, ``reads``)."""

    def __init__(self, folder: str | None, output_path: str, settings):
        name = settings.get("KRING_RENDER_MEMO") or os.path.abspath(output_path)
        key = hashlib.sha256(name.encode()).hexdigest()[:16]
        self.path = os.path.join(folder, f"rendered-{key}.pickle") if folder else None
        self.settings = settings
        self.output_path = output_path
        # Where the last build's files are: the output folder, or (KRING_OUTPUT_SEED, make publish) the
        # last release, from which the files of skipped calls are copied into a new, empty output folder.
        self.seed = settings.get("KRING_OUTPUT_SEED") or ""
        self.previous = self.seed or output_path
        self.copier = True  # False in the helper processes: the main process copies
        # Files are named relative to the output folder.
        self.old_calls: dict = {}  # writer call -> (digest, [(file, stat)]) of the last run
        self.old_pages: dict = {}  # file -> (page digest, bodies read or why blind, stat) of the last run
        self.new_calls: dict = {}  # writer call -> (digest, [file]) of this run
        self.reads: dict = {}  # file -> bodies read (or why blind), for every page this process rendered or reused
        self.intact: set = set()  # calls of the last run whose files are on disk as they were left
        self.site = None
        self.rendered = self.skipped = self.reused = 0
        self.reasons: list[tuple[str, str]] = []  # (call, why it was rendered)
        self.why_all: str | None = None  # why every call is rendered, if one reason covers them all

    def prepare(self, context) -> None:
        """Once per run, before the first page is written (and before the writers fork)."""
        if self.site is not None:
            return
        recorder.forget()
        self.site = digest.site_digest(context)
        if self.site.digest is None:
            self.why_all = f"the site cannot be digested ({self.site.reason})"
            return
        self.site.digest = digest.combine(self.site.digest, theme_digest(self.settings), str(VERSION))
        stored = load_dict(self.path)
        self.old_calls, self.old_pages = stored.get("calls", {}), stored.get("pages", {})
        self.intact = {name for name, (_d, files) in self.old_calls.items()
                       if all(_stat(self.last_file(path)) == stat for path, stat in files)}
        if not stored:
            self.why_all = "no record of an earlier build"
        elif stored.get("site") != self.site.digest:
            self.why_all = _site_change(stored.get("parts") or {}, self.site.parts, stored.get("theme"),
                                        theme_digest(self.settings))
        self.theme = theme_digest(self.settings)

    # --- the decision -------------------------------------------------------------------------

    def bodies_changed(self, read) -> str | None:
        """Why what a page read last time is not what it would read now (None: all the same)."""
        if not isinstance(read, dict):
            return f"the recorder could not follow its last render ({read})"
        for key, old_hash in read.items():
            if self.site.current_body(key) != old_hash:
                return f"the body of {key.split(':', 1)[1]} changed"
        return None

    def why_render(self, name, call_digest) -> str | None:
        """None: the call is the same as last time and may be skipped; else why it is rendered."""
        if call_digest is None:
            return "its inputs cannot be digested"
        old = self.old_calls.get(name)
        if old is None:
            return "it is new"
        if old[0] != call_digest:
            return "what it is handed changed"
        if name not in self.intact:
            return "its files were changed or removed since the last build"
        for path, _stat_ in old[1]:
            page = self.old_pages.get(path)
            why = self.bodies_changed(page[1]) if page is not None else "a page of it was not recorded"
            if why:
                return why
        return None

    def page_digest(self, call_digest, path) -> str | None:
        return digest.combine(call_digest, path) if call_digest is not None else None

    def page_unchanged(self, path, page_digest) -> bool:
        entry = self.old_pages.get(path)
        return (page_digest is not None and entry is not None and entry[0] == page_digest
                and _stat(self.last_file(path)) == entry[2] and self.bodies_changed(entry[1]) is None)

    def relative(self, path: str) -> str:
        return os.path.relpath(os.path.normpath(path), self.output_path)

    def last_file(self, relative: str) -> str:
        """Where the last build left this output file."""
        return os.path.join(self.previous, relative)

    def page_path(self, localcontext) -> str:
        return self.relative(sanitised_join(self.output_path, localcontext.get(pelican_compat.OUTPUT_FILE, "")))

    def take_over(self, files) -> None:
        """A skipped call's files, from the last release into a new output folder (KRING_OUTPUT_SEED)."""
        if not self.seed or not self.copier or os.path.abspath(self.seed) == os.path.abspath(self.output_path):
            return
        for relative in files:
            target = os.path.join(self.output_path, relative)
            os.makedirs(os.path.dirname(target), exist_ok=True)
            shutil.copy2(self.last_file(relative), target)

    def file_digest(self, name, template, args, kwargs) -> str | None:
        what = f"file:{name}:{getattr(template, 'name', None) or type(template).__qualname__}"
        return digest.call_digest(self.site, what, {"args": args, "kwargs": kwargs})

    def feed_digest(self, elements, options: dict) -> str | None:
        return digest.call_digest(self.site, "feed", {"elements": elements, "options": options})

    # --- what happened ------------------------------------------------------------------------

    def record(self, name, call_digest, files, why: str | None) -> None:
        """In every process, for every call: ``why`` None: skipped, else why it was rendered."""
        if why is None:
            self.skipped += 1
            for path in files:  # the pages stay as they are: so do the bodies they read
                if path in self.old_pages:
                    self.reads.setdefault(path, self.old_pages[path][1])
        else:
            self.rendered += 1
            self.reasons.append((name, why))
        if call_digest is not None and files:
            self.new_calls[name] = (call_digest, files)

    def export(self) -> tuple[dict, int]:
        """What a writing process hands back to the main one."""
        return self.reads, self.reused

    def merge(self, exported) -> None:
        reads, reused = exported
        self.reads.update(reads)
        self.reused += reused

    def save(self) -> None:
        """In the main process, after every process has written its share."""
        self._report()
        if self.path is None or self.site is None or self.site.digest is None:
            return
        calls, pages = {}, {}
        for name, (call_digest, files) in self.new_calls.items():
            stats = [(path, _stat(os.path.join(self.output_path, path))) for path in files]
            if any(stat is None for _path, stat in stats):
                continue
            calls[name] = (call_digest, stats)
            for path, stat in stats:
                read = self.reads.get(path, "nothing recorded its render")
                pages[path] = (self.page_digest(call_digest, path), read, stat)
        save_dict(self.path, {"calls": calls, "pages": pages, "site": self.site.digest, "parts": self.site.parts,
                              "theme": self.theme})

    def _report(self) -> None:
        last_run.clear()
        last_run.update(rendered=self.rendered, skipped=self.skipped, pages_reused=self.reused,
                        reasons=list(self.reasons), why_all=self.why_all)
        logger.info("Pages: %d writer calls rendered, %d skipped (nothing they show changed); "
                    "%d pages of rendered calls read back unchanged", self.rendered, self.skipped, self.reused)
        if self.why_all and self.rendered:
            logger.info("Every writer call rendered: %s", self.why_all)
            return
        for name, why in self.reasons[:SHOWN_REASONS]:
            logger.info("Rendered %s: %s", name, why)
        if len(self.reasons) > SHOWN_REASONS:
            logger.info("... and %d more writer calls rendered", len(self.reasons) - SHOWN_REASONS)


def _site_change(old_parts: dict, parts: dict, old_theme, theme) -> str:
    changed = sorted(k for k in set(old_parts) | set(parts) if old_parts.get(k) != parts.get(k))
    what = []
    if old_theme != theme:
        what.append("the theme")
    if changed:
        shown = ", ".join(changed[:6]) + (f" and {len(changed) - 6} more" if len(changed) > 6 else "")
        what.append(f"the site's {shown}")
    return (" and ".join(what) or "Kring's version") + " changed"


class Unrendered:
    """Stands in for a template whose page is not rendered in this process (skipped, or another's share)."""

    def render(self, *_args, **_kwargs) -> str:
        return ""


class RecordedTemplate:
    """A call's template, page by page: records the bodies each render reads, and (``reuse``) leaves
    a page as it is on disk when its digest and the bodies it read did not change.

    A reused page's text is read back, so the writer (which leaves unchanged
    files untouched) sees the same bytes; nothing is rendered.
    """

    def __init__(self, template, memo: RenderMemo, call_digest, reuse: bool):
        self._template, self._memo, self._call_digest, self._reuse = template, memo, call_digest, reuse
        self.name = getattr(template, "name", None)

    def render(self, localcontext) -> str:
        memo = self._memo
        path = memo.page_path(localcontext)
        if self._reuse and memo.page_unchanged(path, memo.page_digest(self._call_digest, path)):
            try:
                with open(memo.last_file(path), encoding="utf-8") as f:
                    text = f.read()
                memo.reused += 1
                memo.reads[path] = memo.old_pages[path][1]
                return text
            except OSError:
                pass
        with recorder.recording() as reads:
            text = self._template.render(localcontext)
        memo.reads[path] = reads.result()
        return text


class SkipWriter:
    """Forwards to ``inner`` (the writer, or the share of it this process renders); skips unchanged calls."""

    def __init__(self, writer, inner, memo: RenderMemo):
        self._writer, self._inner, self._memo = writer, inner, memo
        writer.feed_reads = memo.reads  # the writer records the bodies each feed it builds reads

    def __getattr__(self, name):
        return getattr(self._inner, name)

    def write_file(self, name, template, context, *args, **kwargs):
        if not name:  # Pelican writes nothing for these (e.g. a disabled *_SAVE_AS)
            return self._inner.write_file(name, template, context, *args, **kwargs)
        call_digest = self._memo.file_digest(name, template, args, kwargs)
        start = len(self._writer.claimed)
        memo = self._memo
        # A page that overrides another call's file (a page saved as index.html) is always written:
        # the file on disk may be the one the other call wrote in this run.
        overrides = pelican_compat.file_arguments(args, kwargs).get("override_output")
        why = "it overrides another page's file" if overrides else self._memo.why_render(name, call_digest)
        if why is None:  # claims every page of it (pagination) and tells the sitemap, renders nothing
            with self._writer.claiming_only():
                self._writer.write_file(name, Unrendered(), context, *args, **kwargs)
        else:
            recorded = RecordedTemplate(template, memo, call_digest, reuse=not overrides)
            self._inner.write_file(name, recorded, context, *args, **kwargs)
        files = [memo.relative(path) for path in self._writer.claimed[start:]]
        if why is None:
            memo.take_over(files)
        memo.record(name, call_digest, files, why)

    def write_feed(self, elements, context, *args, **kwargs):
        options = pelican_compat.feed_options(args, kwargs)
        path, override_output = options["path"], options["override_output"]
        call_digest = self._memo.feed_digest(elements, options)
        start = len(self._writer.claimed)
        why = "it overrides another file" if override_output or not path else self._memo.why_render(f"feed:{path}", call_digest)
        if why is None:
            self._writer.claim_feed(path, override_output)
            result = None
        else:
            result = self._inner.write_feed(elements, context, **options)
        files = [self._memo.relative(p) for p in self._writer.claimed[start:]]
        if why is None:
            self._memo.take_over(files)
        self._memo.record(f"feed:{path}", call_digest, files, why)
        return result
