"""One object per Pelican run holding what the run collects.

Content problems, the outputs planned before writing, the writer, the URLs of
drafts (for the publish check) and what plugins keep for the run live in a
``Run`` made at the start of every run (``get_generators``, the first signal
of a run): nothing needs resetting, and the live server's next run starts
from a fresh one. What a run leaves going after it returns (the live server's
Pagefind) is stopped when the next run starts: a plugin's state with a
``stop()`` method. The run is in the shared context (``context["KRING_RUN"]``)
and on the Pelican instance (``pelican.kring_run``, read by ``make publish``);
``current()`` gives it to code that has neither (a log filter).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

CONTEXT_KEY = "KRING_RUN"


@dataclass(eq=False)
class Run:
    problems: list = field(default_factory=list)  # ContentErrors and messages; the build stops on any
    planned_outputs: dict[str, str] = field(default_factory=dict)  # output file -> the source that claims it
    drafts: list[str] = field(default_factory=list)  # URLs that must not appear in a published file
    writer: Any = None  # the writer of this run, for checks that run after writing
    writer_class: type | None = None  # a GuardedWriter subclass a plugin asked for
    plugins: dict[str, Any] = field(default_factory=dict)  # a plugin's own state for this run, by its name

    def stop(self) -> None:
        """When the next run starts: stop what this run left going (each plugin state's ``stop()``)."""
        for state in self.plugins.values():
            stop = getattr(state, "stop", None)
            if callable(stop):
                stop()


_current = Run()  # the run in progress (or the last one)


def current() -> Run:
    return _current


def start(pelican) -> None:
    """``get_generators`` receiver (kring_core's, connected first): a fresh run."""
    global _current
    previous, _current = _current, Run()
    previous.stop()
    pelican.kring_run = _current


def share(generator) -> None:
    """``generator_init`` receiver: the run in the shared context."""
    generator.context[CONTEXT_KEY] = _current
