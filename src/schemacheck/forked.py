"""Two independent halves of a check on two cores: one in a forked child, one here.

Maintainers: when every file of a large tree changed, or one 4 MB file did, most of a run is
compiling the base and the head revision, which do not depend on each other until the rules
compare them. :func:`both` computes one half in a forked child while this process computes
the other, and returns the two answers as if they had been computed one after the other.

It is an optimisation that never changes an answer:

* The child's answer comes back pickled through a pipe. If anything goes wrong there (the
  half raised, its answer does not pickle, the child died or was killed), the half is simply
  computed again here, so an error is raised by this process exactly as without a child.
* No fork at all (the half is computed here, after the other) where forking is unsafe or
  impossible: no ``os.fork`` (Windows), macOS (system libraries are not fork-safe), a second
  thread running (a lock it holds would stay held in the child), a forked child already,
  or ``SCHEMACHECK_PARALLEL=0``.
* The child ends with ``os._exit``: no ``atexit`` handler, buffered output or ``finally`` of
  the parent runs twice. What it inherited and must not share is made fork-aware where it
  lives: the persistent ``git cat-file`` process (``git_repo._CatFile`` starts its own in a
  child and never closes the parent's) and the disk cache (its index files are merged with
  what is on disk when written, so the two processes' entries are both kept).
"""

from __future__ import annotations

import os
import pickle
import sys
import threading
from collections.abc import Callable
from typing import TypeVar

__all__ = ["both", "worth_splitting", "why_not", "summary", "USED"]

A = TypeVar("A")
B = TypeVar("B")

_forked_child = False

#: What :func:`both` did in this process, in order: (label, how), for ``--verbose``.
USED: list[tuple[str, str]] = []


def why_not() -> str | None:
    """Why :func:`both` would not fork here and now, or None when it would."""
    if os.environ.get("SCHEMACHECK_PARALLEL", "") in ("0", "no", "false", "off"):
        return "SCHEMACHECK_PARALLEL=0"
    if not hasattr(os, "fork") or sys.platform in ("darwin", "win32", "cygwin", "emscripten", "wasi"):
        return f"no safe fork on {sys.platform}"
    if _forked_child:
        return "already in a forked child"
    if (os.cpu_count() or 1) < 2:
        return "one CPU"
    if threading.active_count() != 1:
        return "other threads are running"
    return None


def worth_splitting(label: str) -> bool:
    """Whether to divide work labelled ``label`` for :func:`both` at all: not when it would
    not fork (then the work is done undivided, as it always was, and :data:`USED` says why)."""
    reason = why_not()
    if reason is not None:
        USED.append((label, f"one process ({reason})"))
    return reason is None


def both(in_child: Callable[[], A], here: Callable[[], B], label: str = "work") -> tuple[A, B]:
    """``(in_child(), here())``, the first computed in a forked child unless :func:`why_not` says why not.

    ``in_child`` must have no effect this process needs other than its return value (and
    what the fork-aware caches above share on disk); its value must pickle. ``label`` names
    the work in :data:`USED`.
    """
    reason = why_not()
    if reason is not None:
        USED.append((label, f"one process ({reason})"))
        return in_child(), here()
    read_end, write_end = os.pipe()
    parent = os.getpid()
    try:
        pid = os.fork()
    except OSError as exc:
        os.close(read_end)
        os.close(write_end)
        USED.append((label, f"one process (fork failed: {exc.strerror})"))
        return in_child(), here()
    if pid == 0:  # the child: compute, send, and leave without running anything of the parent's
        _run_child(in_child, read_end, write_end, parent)
    os.close(write_end)
    finished = False
    try:
        mine = here()
        theirs = _receive(read_end)
        finished = True
    finally:
        os.close(read_end)
        _reap(pid, finished)
    if theirs is _FAILED:
        USED.append((label, "two processes; the child's half failed and was computed again here"))
        theirs = in_child()
    else:
        USED.append((label, "two processes"))
    return theirs, mine


def summary() -> str | None:
    """``--verbose``'s line: how each piece of work offered to :func:`both` ran, or None."""
    if not USED:
        return None
    return "parallel: " + "; ".join(f"{label}: {how}" for label, how in USED)


_FAILED = object()


def _stay_with(parent: int) -> None:
    """In the child: ^C is the parent's to handle (it kills the child and waits for it), and
    on Linux the child is killed when the parent dies in any way (SIGTERM or SIGKILL from a
    cancelled CI job), instead of finishing its half for nobody."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:  # the parent died before that took effect
        os._exit(1)


def _run_child(work: Callable[[], object], read_end: int, write_end: int, parent: int) -> None:
    global _forked_child
    status = 1
    try:
        _forked_child = True
        _stay_with(parent)
        os.close(read_end)
        try:
            data = pickle.dumps((True, work()), protocol=pickle.HIGHEST_PROTOCOL)
        except BaseException:  # noqa: BLE001 - any failure: the parent computes it again
            data = pickle.dumps((False, None))
        view = memoryview(data)
        while view:
            view = view[os.write(write_end, view):]
        status = 0
    finally:
        os._exit(status)


def _receive(read_end: int) -> object:
    chunks = []
    while True:
        chunk = os.read(read_end, 1 << 20)
        if not chunk:
            break
        chunks.append(chunk)
    try:
        ok, value = pickle.loads(b"".join(chunks))
    except Exception:  # noqa: BLE001 - a child that died half-way: truncated data
        return _FAILED
    return value if ok else _FAILED


def _reap(pid: int, finished: bool) -> None:
    """Wait for the child (it closed its end of the pipe: it is leaving); one whose answer was
    not read (this process was interrupted or failed) is killed first. A ^C during the wait
    kills the child and still waits for it, then goes on as an interruption: no child is ever
    left for init to reap."""
    interrupted: BaseException | None = None
    if not finished:
        _kill(pid)
    while True:
        try:
            os.waitpid(pid, 0)
            break
        except ChildProcessError:
            break
        except KeyboardInterrupt as exc:
            interrupted = exc
            _kill(pid)
    if interrupted is not None:
        raise interrupted


def _kill(pid: int) -> None:
    import signal

    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
