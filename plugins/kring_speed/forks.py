"""Run a function in forked copies of this process, results back through files.

Forking (rather than a process pool) shares everything Pelican has read so
far without pickling it; only the results travel, as one pickle per child in
a temporary file (a pipe would block the child until the parent reads).
"""

from __future__ import annotations

import os
import pickle
import tempfile
import traceback


class Child:
    def __init__(self, pid: int, result_path: str):
        self.pid, self.result_path = pid, result_path

    def join(self):
        """Wait for the child; return what it returned, or raise ChildFailed."""
        _pid, status = os.waitpid(self.pid, 0)
        try:
            with open(self.result_path, "rb") as f:
                ok, value = pickle.load(f)
        except (OSError, EOFError, pickle.UnpicklingError):
            ok, value = False, f"a helper process ended without a result (status {status})"
        finally:
            _remove(self.result_path)
        if not ok:
            raise ChildFailed(value)
        return value

    def kill(self):
        try:
            os.kill(self.pid, 9)
            os.waitpid(self.pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass
        _remove(self.result_path)


class ChildFailed(Exception):
    pass


def _remove(path):
    try:
        os.remove(path)
    except OSError:
        pass


_result_fd: int | None = None  # in a child: where its result goes


def fork() -> Child | None:
    """Fork: the parent gets a Child, the child gets None and must end with finish()."""
    global _result_fd
    fd, result_path = tempfile.mkstemp(prefix="kring-speed-", suffix=".pickle")
    pid = os.fork()
    if pid:
        os.close(fd)
        return Child(pid, result_path)
    _result_fd = fd
    return None


def describe(exc: BaseException):
    """What the parent needs of an exception: an OSError itself (a full disk is the build's one-line
    message, whichever process hit it), BuildStopped's problems, else the traceback."""
    if isinstance(exc, OSError):
        return exc
    message = exc.args[0] if getattr(exc, "args", None) else None
    if isinstance(message, list):  # BuildStopped: a list of problems
        return [str(problem) for problem in message]
    return message if isinstance(message, str) else traceback.format_exc()


def finish(ok: bool, value) -> None:
    """In a child: hand the result to the parent and exit, never returning into Pelican."""
    try:
        with os.fdopen(_result_fd, "wb") as f:
            pickle.dump((ok, value), f, protocol=pickle.HIGHEST_PROTOCOL)
    finally:
        os._exit(0 if ok else 1)


def start(function, *args) -> Child:
    """Fork; the child runs function(*args), hands back its result and exits."""
    child = fork()
    if child is not None:
        return child
    try:
        result = (True, function(*args))
    except BaseException as exc:  # everything goes back to the parent
        result = (False, describe(exc))
    finish(*result)
