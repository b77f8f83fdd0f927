"""Running one input under limits, in forked worker processes (a fork server).

Maintainers: the parent imports schemacheck once and forks workers, so a restart after a
timeout or a memory blow-up costs milliseconds. Each input gets:

- time: an interval timer raises :class:`InputTimeout` inside the worker after the limit, so
  an over-time input still yields a traceback (its signature is where it was stuck); the
  parent kills a worker that does not answer within the limit plus a grace period (time spent
  in C code) and records the same finding without a traceback;
- memory: ``RLIMIT_AS`` caps the worker's address space at its size after start-up plus the
  limit (a runaway allocation becomes ``MemoryError``), and the peak resident size
  (``ru_maxrss``) is compared with the limit after every input. The peak never goes down, so
  a worker is replaced when it nears the limit, and an over-memory input is re-run in a
  fresh worker before it counts.

An outcome is ``ok`` (checked, or rejected with a ``SchemacheckError`` / error diagnostic),
``internal`` (any other exception, including one the protobuf compiler turns into an
"internal error" diagnostic: :func:`_record_compiler_bugs` sees through that), ``time`` or
``memory``.
"""

from __future__ import annotations

import os
import resource
import signal
import time
import traceback
from collections import Counter
from dataclasses import dataclass
from multiprocessing import get_context
from multiprocessing.connection import Connection

__all__ = ["Outcome", "Worker", "execute", "signature", "limit_memory", "cpu_seconds_of", "over_time", "TIME_LIMIT",
           "MEMORY_LIMIT", "RECYCLE_AT", "GRACE", "CONFIRM_TIME_FACTOR"]

TIME_LIMIT = 5.0
CONFIRM_TIME_FACTOR = 36  # a CPU-clock input is also stopped after this many times its limit of wall time
# (3 minutes: on a machine shared by ten busy processes, 5 s of CPU can take a minute of wall time)
MEMORY_LIMIT = 500 * 1024 * 1024
GRACE = 5.0  # seconds the parent waits beyond the limit before killing a worker
RECYCLE_AT = 0.6  # replace a worker whose peak resident size passed this share of the limit


class InputTimeout(BaseException):
    """Raised in the worker by the interval timer (a BaseException so no ``except Exception`` eats it)."""


@dataclass(frozen=True)
class Outcome:
    kind: str  # "ok", "internal", "time", "memory"
    seconds: float
    peak_bytes: int
    signature: str = ""
    detail: str = ""
    cpu_seconds: float = -1.0  # CPU time of the input (-1: unknown, the worker was killed)


_COMPILER_BUGS: list[BaseException] = []


def _record_compiler_bugs() -> None:
    """Keep the exceptions the protobuf compiler reports as "internal error" diagnostics.

    The compiler catches any exception of a file's build and turns it into a diagnostic (a user
    gets exit 2, not a traceback); for fuzzing that is still a bug, and its traceback is wanted.
    """
    from schemacheck.errors import ParseError
    from schemacheck.formats.protobuf import compiler
    from schemacheck.formats.protobuf.memo import Failed

    original = compiler._Compilation._build
    if getattr(original, "_fuzz_wrapped", False):
        return

    def _build(self, name, path):
        try:
            return original(self, name, path)
        except (ParseError, Failed, RecursionError, InputTimeout, MemoryError):
            raise
        except Exception as exc:
            _COMPILER_BUGS.append(exc)
            raise

    _build._fuzz_wrapped = True  # type: ignore[attr-defined]
    compiler._Compilation._build = _build


def signature(exc: BaseException) -> str:
    """``Type@file:function`` of the innermost schemacheck frame.

    A RecursionError's innermost frame is wherever the stack ran out, so it is named after the
    schemacheck function that repeats most in its traceback instead: the recursion itself. Two
    different unbounded recursions then get two signatures, and the second is saved too.
    """
    name = type(exc).__name__
    frames = traceback.extract_tb(exc.__traceback__)
    ours = [f for f in frames if "/schemacheck/" in f.filename]
    others = [f for f in frames if os.path.dirname(f.filename) != os.path.dirname(__file__)]  # not the harness
    if isinstance(exc, RecursionError):
        candidates = ours or others
        if not candidates:
            return name
        counts = Counter((f.filename, f.name) for f in candidates)
        filename, function = max(counts, key=lambda where: (counts[where], -_first_index(candidates, where)))
        return f"{name}@{_short(filename)}:{function}"
    frame = (ours or others or frames or [None])[-1]
    if frame is None:
        return name
    return f"{name}@{_short(frame.filename)}:{frame.name}"


def _short(filename: str) -> str:
    """A frame's file as signatures name it: relative to the package, or just its name."""
    return filename.split("/schemacheck/", 1)[-1] if "/schemacheck/" in filename else os.path.basename(filename)


def _first_index(frames, where) -> int:
    return next(i for i, f in enumerate(frames) if (f.filename, f.name) == where)


_ARMED = [False]


def _on_alarm(_signum, _frame):
    if _ARMED[0]:  # at most once per input, and never once the input has ended
        _ARMED[0] = False
        raise InputTimeout()


def execute(target, base: bytes, head: bytes, time_limit: float = TIME_LIMIT,
            memory_limit: int = MEMORY_LIMIT, fast: bool = False, cpu_clock: bool = False) -> Outcome:
    """Run one input in this process and classify it.

    ``cpu_clock``: the limit is on the CPU time of the input (``ITIMER_PROF``), not the wall clock:
    how a time finding is confirmed on a shared machine (see :func:`fuzz.campaign.record_finding`).

    ``fast``: the format's checker alone on a warm compiler (:func:`fuzz.fastpath.fast_pair`);
    otherwise the whole ``run_check`` on a cold one (:func:`fuzz.targets.run_pair`).
    """
    from schemacheck.errors import SchemacheckError

    from .fastpath import fast_pair
    from .targets import run_pair

    if target.fmt == "protobuf":
        if not fast:
            from schemacheck.formats.protobuf.memo import clear_cache

            clear_cache()  # each input sees a cold compiler, as a fresh CLI run would
        _record_compiler_bugs()
    _COMPILER_BUGS.clear()
    kind, sig, detail = "ok", "", ""
    which, signum = (signal.ITIMER_PROF, signal.SIGPROF) if cpu_clock else (signal.ITIMER_REAL, signal.SIGALRM)
    previous = signal.signal(signum, _on_alarm)
    start, cpu_start = time.perf_counter(), time.process_time()
    _ARMED[0] = True
    signal.setitimer(which, time_limit)
    try:
        (fast_pair if fast else run_pair)(target, base, head)
        if _COMPILER_BUGS:  # reported as a diagnostic (an error in head, a warning in base): still a bug
            exc = _COMPILER_BUGS[0]
            kind, sig = "internal", signature(exc)
            detail = "".join(traceback.format_exception(exc))
    except InputTimeout as exc:
        kind, sig, detail = "time", "timeout" + _where(exc), "".join(traceback.format_exception(exc))
    except MemoryError as exc:
        kind, sig, detail = "memory", "MemoryError" + _where(exc), ""
    except SchemacheckError:
        pass
    except Exception as exc:  # noqa: BLE001 - what the fuzzer looks for
        kind, sig, detail = "internal", signature(exc), "".join(traceback.format_exception(exc))
    finally:
        _ARMED[0] = False
        signal.setitimer(which, 0)
        signal.signal(signum, previous)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    if kind == "ok" and (cpu if cpu_clock else seconds) > time_limit:
        kind, sig = "time", "timeout"
    if kind == "ok" and peak > memory_limit:
        kind, sig = "memory", "memory"
    return Outcome(kind, seconds, peak, sig, detail[-6000:], cpu)


def _where(exc: BaseException) -> str:
    """``@file:function`` of where an over-limit input was stopped."""
    found = signature(exc)
    return found[found.index("@"):] if "@" in found else ""


def cpu_seconds_of(pid: int) -> float | None:
    """User + system CPU time of a process so far (``/proc/<pid>/stat``), None when unreadable."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None


def over_time(wall: float, cpu: float | None, time_limit: float, cpu_clock: bool) -> bool:
    """Whether a parent should stop an input that ran ``wall`` seconds and used ``cpu`` seconds of CPU.

    On the CPU clock: past the limit + :data:`GRACE` of CPU time (stuck in C code, where the
    timer's signal cannot be handled), or past :data:`CONFIRM_TIME_FACTOR` times the limit of
    wall time (a hang that uses no CPU).
    """
    if not cpu_clock:
        return wall > time_limit + GRACE
    return (cpu if cpu is not None else wall) > time_limit + GRACE or wall > time_limit * CONFIRM_TIME_FACTOR + GRACE


def limit_memory(memory_limit: int) -> None:
    """Cap this process's address space at its present size plus ``memory_limit``."""
    try:
        with open("/proc/self/statm") as statm:
            size = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
        resource.setrlimit(resource.RLIMIT_AS, (size + memory_limit, resource.RLIM_INFINITY))
    except (OSError, ValueError):
        pass


def _serve(conn: Connection, target_name: str, time_limit: float, memory_limit: int, fast: bool,
           cpu_clock: bool) -> None:
    from .targets import TARGETS

    target = TARGETS[target_name]
    limit_memory(memory_limit)
    while True:
        try:
            base, head = conn.recv()
        except EOFError:
            return
        conn.send(execute(target, base, head, time_limit, memory_limit, fast, cpu_clock))


class Worker:
    """A forked child running inputs of one target; replaced after a kill or a memory peak."""

    def __init__(self, target_name: str, time_limit: float = TIME_LIMIT, memory_limit: int = MEMORY_LIMIT,
                 fast: bool = False, cpu_clock: bool = False) -> None:
        self.target_name = target_name
        self.fast = fast
        self.cpu_clock = cpu_clock
        self.time_limit = time_limit
        self.memory_limit = memory_limit
        self.process = None
        self.conn: Connection | None = None
        self.started = 0.0
        self._start()

    def _start(self) -> None:
        ctx = get_context("fork")
        parent, child = ctx.Pipe()
        self.process = ctx.Process(target=_serve, args=(child, self.target_name, self.time_limit, self.memory_limit,
                                                        self.fast, self.cpu_clock),
                                   daemon=True)
        self.process.start()
        child.close()
        self.conn = parent

    def restart(self) -> None:
        self.stop()
        self._start()

    def stop(self) -> None:
        if self.process is not None and self.process.is_alive():
            self.process.kill()
            self.process.join()
        if self.conn is not None:
            self.conn.close()

    def submit(self, base: bytes, head: bytes) -> None:
        self.started = time.monotonic()
        self.cpu_started = cpu_seconds_of(self.process.pid)
        self.conn.send((base, head))

    def cpu_used(self) -> float | None:
        now = cpu_seconds_of(self.process.pid)
        return None if now is None or self.cpu_started is None else now - self.cpu_started

    def overdue(self) -> bool:
        return over_time(time.monotonic() - self.started, self.cpu_used(), self.time_limit, self.cpu_clock)

    def collect(self) -> Outcome:
        """The outcome of the submitted input (after ``conn`` is readable, or overdue)."""
        if self.conn.poll():
            try:
                outcome = self.conn.recv()
            except (EOFError, OSError):
                outcome = Outcome("memory" if self._killed_by_memory() else "internal",
                                  time.monotonic() - self.started, 0, "worker-died")
                self.restart()
                return outcome
            if outcome.peak_bytes > self.memory_limit * RECYCLE_AT or outcome.kind != "ok":
                self.restart()
            return outcome
        seconds, cpu = time.monotonic() - self.started, self.cpu_used()
        died = not self.process.is_alive()
        memory = died and self._killed_by_memory()
        self.restart()
        if died:
            return Outcome("memory" if memory else "internal", seconds, 0, "worker-died")
        return Outcome("time", seconds, 0, "timeout-hard", cpu_seconds=-1.0 if cpu is None else cpu)

    def _killed_by_memory(self) -> bool:
        self.process.join(1)
        return self.process.exitcode == -signal.SIGKILL  # the kernel's OOM killer

    def run(self, base: bytes, head: bytes) -> Outcome:
        """Submit and wait (used by the minimiser and the regression test)."""
        self.submit(base, head)
        while not self.conn.poll(0.05):
            if self.overdue() or not self.process.is_alive():
                break
        return self.collect()
