"""Write the pages on every core.

After every generator has its context, the process forks once per extra
core. Each process runs the same page-writing generators in the same order
and counts their write calls; it renders and writes only the calls whose
number falls in its share, and for the others only claims the file name, so
the writer's collision guard still sees every file in every process.
Generators that do more than call the writer (static files, search index,
...) run in the main process only. The main process waits for the others
before the ``finalized`` signal, so checks that read the output see it whole.
"""

from __future__ import annotations

import importlib
import itertools
import logging

from pelican.generators import ArticlesGenerator, PagesGenerator, TemplatePagesGenerator
from pelican.utils import sanitised_join

from kring_core import pelican_compat
from kring_core.errors import BuildStopped
from kring_core.pages import ObjectPagesGenerator

from . import forks
from .skip import RenderMemo, SkipWriter, Unrendered

logger = logging.getLogger(__name__)

# Generators whose generate_output only renders templates through the writer; KRING_SPLIT_GENERATORS
# names plugins' generators that do the same (they are checked here, the plugins know nothing of it).
WRITER_ONLY = (ArticlesGenerator, PagesGenerator, TemplatePagesGenerator, ObjectPagesGenerator)


def writer_only_classes(names) -> tuple[type, ...]:
    """WRITER_ONLY and the classes named "module.Class" (a plugin that is not loaded is left out)."""
    found = list(WRITER_ONLY)
    for name in names or ():
        module, _, attribute = name.rpartition(".")
        try:
            found.append(getattr(importlib.import_module(module), attribute))
        except (ImportError, AttributeError, ValueError):
            logger.debug("KRING_SPLIT_GENERATORS: %s not found", name)
    return tuple(found)


class _Remembered:
    """A template whose output is kept, to be written once more after the other processes are done."""

    def __init__(self, template, output_path: str, kept: list):
        self._template, self._output_path, self._kept = template, output_path, kept
        self.name = getattr(template, "name", None)

    def render(self, localcontext) -> str:
        text = self._template.render(localcontext)
        self._kept.append((sanitised_join(self._output_path, localcontext[pelican_compat.OUTPUT_FILE]), text))
        return text


class ShareWriter:
    """Forwards to the real writer; renders only this process's share of calls.

    A call that overrides another's file (a page saved as index.html, written
    after the blog index) is the main process's, and written again once the
    other processes are done: otherwise whichever process wrote last would win.
    """

    def __init__(self, writer, counter, share: int, processes: int, overriding: list):
        self._writer, self._counter, self._share, self._processes = writer, counter, share, processes
        self._overriding = overriding

    def __getattr__(self, name):
        return getattr(self._writer, name)

    def _mine(self) -> bool:
        return next(self._counter) % self._processes == self._share

    def write_file(self, name, template, *args, **kwargs):
        mine = self._mine()
        if pelican_compat.file_arguments(args[1:], kwargs).get("override_output"):  # args[0]: the context
            mine = self._share == 0
            if mine:
                template = _Remembered(template, self._writer.output_path, self._overriding)
        if mine:
            return self._writer.write_file(name, template, *args, **kwargs)
        with self._writer.claiming_only():
            return self._writer.write_file(name, Unrendered(), *args, **kwargs)

    def write_feed(self, elements, context, *args, **kwargs):
        options = pelican_compat.feed_options(args, kwargs)
        if self._mine() or not options["path"]:
            return self._writer.write_feed(elements, context, **options)
        self._writer.claim_feed(options["path"], options["override_output"])  # another process writes it: no need to build it here


class Split:
    """One run's split of the writing; ``install`` wraps the generators."""

    def __init__(self, processes: int, memo: RenderMemo | None = None, writer_only: tuple = WRITER_ONLY):
        self.processes = processes
        self.writer_only = writer_only
        self.memo = memo  # pages whose inputs did not change are skipped
        self.counter = itertools.count()
        self.children: list[forks.Child] = []
        self.share = 0  # 0: the main process
        self.forked = False
        self.overriding: list[tuple[str, str]] = []  # (path, text) the main process writes again at the end

    def install(self, generators) -> None:
        shared = [g for g in generators if hasattr(g, "generate_output") and isinstance(g, self.writer_only)]
        last = shared[-1] if shared else None
        for generator in generators:
            if hasattr(generator, "generate_output"):
                original = generator.generate_output
                if generator in shared:
                    generator.generate_output = self._shared(original, generator, generator is last)
                else:
                    generator.generate_output = self._main_only(original)

    def _fork(self, writer) -> None:
        if hasattr(writer, "keep_unchanged"):
            writer.keep_unchanged = True
        if self.forked or self.processes < 2 or not hasattr(writer, "claiming_only"):
            return
        self.forked = True
        for share in range(1, self.processes):
            child = forks.fork()
            if child is None:  # this process now writes share number `share`
                self.share, self.children = share, []
                if self.memo is not None:
                    self.memo.copier = False
                for handler in logging.getLogger().handlers:
                    handler.setLevel(logging.ERROR)  # the main process logs the same warnings
                return
            self.children.append(child)

    def _shared(self, original, generator, is_last):
        def generate_output(writer):
            if self.memo is not None:
                self.memo.prepare(generator.context)  # before forking: every process skips the same calls
            self._fork(writer)
            inner = ShareWriter(writer, self.counter, self.share, self.processes, self.overriding) if self.forked else writer
            if self.memo is not None:
                inner = SkipWriter(writer, inner, self.memo)
            if not self.forked:
                original(inner)
                if is_last and self.memo is not None:
                    self.memo.save()
                return
            try:
                original(inner)
            except BaseException as exc:
                if self.share:
                    forks.finish(False, forks.describe(exc))
                self._abandon()
                raise
            if is_last:
                if self.share:
                    forks.finish(True, self.memo.export() if self.memo is not None else None)
                self._join()
                self._write_overriding()
                if self.memo is not None:
                    self.memo.save()

        return generate_output

    def _main_only(self, original):
        def generate_output(writer):
            if hasattr(writer, "keep_unchanged"):
                writer.keep_unchanged = True
            if self.share == 0:
                return original(writer)

        return generate_output

    def _write_overriding(self) -> None:
        for path, text in self.overriding:
            data = text.encode("utf-8")
            try:
                with open(path, "rb") as f:
                    if f.read() == data:
                        continue  # left untouched, like every unchanged file
            except OSError:
                pass
            with open(path, "wb") as f:
                f.write(data)
        self.overriding.clear()

    def _abandon(self) -> None:
        for child in self.children:
            child.kill()
        self.children = []

    def _join(self) -> None:
        problems = []
        for child in self.children:
            try:
                exported = child.join()
                if self.memo is not None and exported is not None:
                    self.memo.merge(exported)
            except forks.ChildFailed as exc:
                message = exc.args[0]
                if isinstance(message, OSError):
                    self._abandon()
                    raise message from None
                problems += message if isinstance(message, list) else [str(message)]
        logger.debug("Pages rendered by %d processes, %d write calls each way", self.processes, next(self.counter))
        self.children = []
        if problems:
            raise BuildStopped(problems)
