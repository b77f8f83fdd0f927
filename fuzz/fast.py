"""The fast mode (``python -m fuzz --fast``): workers that generate and run batches of inputs themselves.

Maintainers: in the classic mode (:mod:`fuzz.campaign`) the parent generates every input and
sends it to a worker, which runs the whole CLI path; here, libFuzzer-style, the parent only hands
out *index ranges*. Input ``i`` of a campaign is a pure function of (target, seed, i)
(:func:`input_at`: its own ``random.Random``), so a worker generates it where it runs it, and
the parent can regenerate any input it needs to look at again. Per input the worker:

- publishes ``(index, wall start, CPU start)`` in shared memory before running it (the heartbeat);
- runs it under a CPU-time interval timer (:func:`fuzz.worker.execute`: > 5 s of CPU raises
  inside the input; on an unloaded machine that is 5 s of wall time, on a shared one the wall
  clock mostly measures the neighbours) with ``RLIMIT_AS`` at its start-up size + 500 MB and its
  peak resident size read after it;
- goes the fast path (:func:`fuzz.fastpath.fast_pair`) except one input in
  :data:`~fuzz.fastpath.FULL_EVERY`, which goes the whole ``run_check`` + a reporter;
- reports nothing when the input was fine: a batch answers once, with its counts.

A worker stops at the first input that is not fine (it reports the index and the outcome), and
when its peak size passes :data:`~fuzz.worker.RECYCLE_AT` of the limit. The parent kills a
worker whose input used the limit plus :data:`~fuzz.worker.GRACE` of CPU time (stuck in C code,
where the timer's signal is not handled) or :data:`~fuzz.worker.CONFIRM_TIME_FACTOR` times the
limit of wall time (a hang without CPU), see :func:`fuzz.worker.over_time`, and notices one
that died (the kernel's OOM killer, a crash of the interpreter); the index in the heartbeat
names the input. In every case the worker is replaced (a fresh fork of the warm
parent), the rest of its batch goes back in the queue, and the input is handed to
:func:`fuzz.campaign.record_finding`, which reruns it *alone* in a fresh worker of the same path
to confirm it (a time or memory finding that does not recur counts as ``slow_unconfirmed`` or is
dropped), then minimises and saves it, so no finding is lost or pinned on the wrong input.
"""

from __future__ import annotations

import random
import signal
import time
from collections import deque
from dataclasses import dataclass
from multiprocessing import get_context
from multiprocessing.connection import Connection, wait
from pathlib import Path

from .campaign import CRASH_DIR, Stats, record_finding
from .fastpath import FULL_EVERY, fast_pair, take_warm_state
from .targets import TARGETS, Target
from .worker import (MEMORY_LIMIT, RECYCLE_AT, TIME_LIMIT, Outcome, Worker, cpu_seconds_of, execute, limit_memory,
                     over_time)

__all__ = ["input_at", "run_fast_campaign", "BATCH"]

BATCH = 1000  # at most this many inputs per batch
SLICE = 2.0  # ... and a worker answers after this many seconds (a stop or a time box is never far)


def input_at(target: Target, seeds: list[bytes], seed: int, index: int) -> tuple[bytes, bytes, bool]:
    """Input ``index`` of a campaign: (base, head, whether it goes the whole CLI path)."""
    rng = random.Random((seed << 40) ^ index)
    base, head = target.next_input(rng, seeds)
    return base, head, index % FULL_EVERY == 0


@dataclass
class _Batch:
    """What a worker answers for a range of inputs."""

    end: int  # first index not run
    inputs: int
    full: int
    max_seconds: float
    peak_bytes: int
    finding: tuple[int, Outcome] | None = None
    recycle: bool = False  # the worker's peak size neared the limit: it exits and is replaced


def _serve(conn: Connection, target_name: str, seed: int, beat, time_limit: float, memory_limit: int) -> None:
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C stops the parent, which stops the workers
    target = TARGETS[target_name]
    seeds = target.seeds()
    limit_memory(memory_limit)
    while True:
        try:
            start, count = conn.recv()
        except EOFError:
            return
        batch = _Batch(start, 0, 0, 0.0, 0)
        until = time.monotonic() + SLICE
        for i in range(start, start + count):
            base, head, full = input_at(target, seeds, seed, i)
            beat[0], beat[1], beat[2] = float(i), time.monotonic(), time.process_time()
            outcome = execute(target, base, head, time_limit, memory_limit, fast=not full, cpu_clock=True)
            beat[1] = 0.0
            batch.end, batch.inputs, batch.full = i + 1, batch.inputs + 1, batch.full + full
            batch.max_seconds = max(batch.max_seconds, outcome.seconds)
            batch.peak_bytes = max(batch.peak_bytes, outcome.peak_bytes)
            if outcome.kind != "ok":
                batch.finding = (i, outcome)
                break
            if outcome.peak_bytes > memory_limit * RECYCLE_AT:
                batch.recycle = True
                break
            if time.monotonic() > until:
                break
        conn.send(batch)
        if batch.finding is not None or batch.recycle:
            return  # replaced by the parent: a fresh fork, a fresh peak


class _BatchWorker:
    """A forked worker running batches of one target's inputs; replaced after any finding."""

    def __init__(self, target_name: str, seed: int, time_limit: float, memory_limit: int) -> None:
        self.args = (target_name, seed, time_limit, memory_limit)
        self.time_limit = time_limit
        self.ctx = get_context("fork")
        self.range: tuple[int, int] | None = None  # (start, end) being run
        self._start()

    def _start(self) -> None:
        target_name, seed, time_limit, memory_limit = self.args
        self.beat = self.ctx.RawArray("d", 3)  # index, wall start, CPU start of the running input
        parent, child = self.ctx.Pipe()
        self.process = self.ctx.Process(target=_serve, args=(child, target_name, seed, self.beat, time_limit,
                                                             memory_limit), daemon=True)
        self.process.start()
        child.close()
        self.conn = parent

    def stop(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join()
        self.conn.close()

    def restart(self) -> None:
        self.stop()
        self._start()

    def submit(self, start: int, end: int) -> None:
        self.range = (start, end)
        self.beat[0], self.beat[1] = float(start), 0.0
        self.conn.send((start, end - start))

    def stuck(self) -> bool:
        began, cpu_began = self.beat[1], self.beat[2]
        if began <= 0:
            return False
        cpu = cpu_seconds_of(self.process.pid)
        return over_time(time.monotonic() - began, None if cpu is None else cpu - cpu_began, self.time_limit, True)

    def died_by_memory(self) -> bool:
        self.process.join(1)
        return self.process.exitcode == -signal.SIGKILL  # the kernel's OOM killer


def run_fast_campaign(target_name: str, inputs: int, jobs: int = 1, seed: int = 0, max_seconds: float | None = None,
                      save: bool = True, crash_dir: Path = CRASH_DIR, progress: float = 0.0,
                      time_limit: float = TIME_LIMIT, memory_limit: int = MEMORY_LIMIT) -> Stats:
    """Run inputs ``0 .. inputs-1`` (or until ``max_seconds``) of one target on ``jobs`` batch workers."""
    target = TARGETS[target_name]
    seeds = target.seeds()
    if not seeds:
        raise SystemExit(f"fuzz: no seeds for target {target_name}")
    stats = Stats(target_name, mode="fast")
    _warm_up(target, seeds)
    workers = [_BatchWorker(target_name, seed, time_limit, memory_limit) for _ in range(max(1, jobs))]
    checkers: dict[bool, Worker] = {}  # fast path? -> a worker that reruns an input alone

    def checker(fast: bool) -> Worker:
        if fast not in checkers:
            checkers[fast] = Worker(target_name, time_limit, memory_limit, fast=fast, cpu_clock=True)
        return checkers[fast]

    stop = _StopSignal()
    seen: set[str] = set()
    queue: deque[tuple[int, int]] = deque()  # ranges handed back by replaced workers
    next_index = 0
    start = last_report = time.monotonic()

    def finding(index: int, outcome: Outcome) -> None:
        base, head, full = input_at(target, seeds, seed, index)
        record_finding(stats, target, checker(not full), base, head, outcome, seen, save, crash_dir)

    try:
        while True:
            over = stop.requested or (max_seconds is not None and time.monotonic() - start > max_seconds)
            for w in workers:
                if w.range is not None or over:
                    continue
                if queue:
                    w.submit(*queue.popleft())
                elif next_index < inputs:
                    end = min(inputs, next_index + BATCH)
                    w.submit(next_index, end)
                    next_index = end
            busy = [w for w in workers if w.range is not None]
            if not busy:
                break
            wait([w.conn for w in busy], timeout=0.5)
            for w in busy:
                _, end = w.range
                alive = w.process.is_alive()  # before the poll: a worker answers, then exits
                if w.conn.poll():
                    try:
                        batch: _Batch = w.conn.recv()
                    except (EOFError, OSError):
                        batch = None
                    if batch is not None:
                        _count(stats, batch)
                        w.range = None
                        if batch.end < end:
                            queue.append((batch.end, end))
                        if batch.finding is not None or batch.recycle:
                            w.restart()
                        if batch.finding is not None:
                            finding(*batch.finding)
                        continue
                if alive and not w.stuck():
                    continue
                first = w.range[0]
                index, began = int(w.beat[0]), w.beat[1]
                seconds = time.monotonic() - began if began else 0.0
                died = not w.process.is_alive()
                memory = died and w.died_by_memory()
                w.restart()
                w.range = None
                stats.inputs += index - first + 1  # those before it ran fine; their answer died with the worker
                if index + 1 < end:
                    queue.append((index + 1, end))
                kind = ("memory" if memory else "internal") if died else "time"
                finding(index, Outcome(kind, seconds, 0, "worker-died" if died else "timeout-hard", cpu_seconds=-1.0))
            if progress and time.monotonic() - last_report > progress:
                last_report = time.monotonic()
                stats.seconds = last_report - start
                print(f"[{target_name} fast] {stats.inputs} inputs ({stats.full} whole path), {stats.rate:.0f}/s, "
                      f"new {stats.new_findings}, known {stats.known}, slow unconfirmed {stats.slow_unconfirmed}",
                      flush=True)
    finally:
        stop.restore()
        for w in workers:
            w.stop()
        for c in checkers.values():
            c.stop()
    stats.seconds = time.monotonic() - start
    return stats


class _StopSignal:
    """SIGTERM / SIGINT end a campaign as its time box would: no new batch, the running ones
    answer (within :data:`SLICE`), and the counts are returned (and written by ``--stats``)."""

    def __init__(self) -> None:
        self.requested = False
        self.previous = {sig: signal.signal(sig, self._handle) for sig in (signal.SIGTERM, signal.SIGINT)}

    def _handle(self, _signum, _frame) -> None:
        self.requested = True

    def restore(self) -> None:
        for sig, handler in self.previous.items():
            signal.signal(sig, handler)


def _count(stats: Stats, batch: _Batch) -> None:
    stats.inputs += batch.inputs
    stats.full += batch.full
    stats.max_seconds = max(stats.max_seconds, batch.max_seconds)
    stats.max_peak_mb = max(stats.max_peak_mb, batch.peak_bytes / 2**20)


def _warm_up(target: Target, seeds: list[bytes]) -> None:
    """Import everything and compile every seed in the parent, then keep the compiler's caches as
    the warm state every fast input starts from (the workers fork from here)."""
    from .campaign import warm_up

    warm_up(target, seeds)
    if target.fmt == "protobuf":
        from schemacheck.formats.protobuf import compile_protos
        from schemacheck.formats.protobuf.memo import clear_cache

        from .targets import MemorySnapshot

        clear_cache()
        for data in seeds:
            snapshot = MemorySnapshot({target.filename: data}, "seed")
            try:
                compile_protos(snapshot, [target.filename], ("",))
            except Exception:  # noqa: BLE001 - a seed's own crash shows up as a finding when it is run
                pass
        take_warm_state()
    for data in seeds[:20]:
        try:
            fast_pair(target, data, data + b"\n")
        except Exception:  # noqa: BLE001
            pass
