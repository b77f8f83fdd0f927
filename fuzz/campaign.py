"""A fuzzing campaign: generate inputs, run them in workers, classify, minimise and save findings.

Maintainers: the parent process generates every input (one seeded ``random.Random``, so a
campaign is reproducible given ``--seed`` and ``--jobs 1``) and hands them to idle workers.
A finding is an internal error, an input over the time limit or one over the memory limit;
time and memory findings are re-run in a fresh worker first (the machine is shared, a slow
second is not a bug). Each finding gets a signature (:func:`fuzz.worker.signature`); the
first input of each signature is minimised (line then token deletion, a bounded number of
runs) and saved under ``fuzz/crashes/<target>/<digest>/`` as ``base.<ext>``, ``head.<ext>``
and ``info.json``. Signatures matching :data:`fuzz.known.KNOWN` are counted as *known*
(owned by another piece of work) and do not fail a campaign.
"""

from __future__ import annotations

import hashlib
import json
import random
import time
from dataclasses import dataclass, field
from multiprocessing.connection import wait
from pathlib import Path

from .known import match_known
from .mutate import tokens
from .targets import REPO, TARGETS, Target
from .worker import Outcome, Worker

__all__ = ["Stats", "run_campaign", "minimise", "save_finding", "record_finding", "warm_up", "CRASH_DIR"]

CRASH_DIR = REPO / "fuzz" / "crashes"
_MINIMISE_RUNS = 300
_MINIMISE_SECONDS = 60.0


@dataclass
class Stats:
    target: str
    mode: str = "classic"  # "fast": fuzz.fast (checker alone, 1 in FULL_EVERY the whole path)
    inputs: int = 0
    full: int = 0  # inputs that went the whole CLI path (all of them in the classic mode)
    seconds: float = 0.0
    internal: int = 0
    over_time: int = 0
    over_memory: int = 0
    slow_unconfirmed: int = 0  # over the time limit once, under it in a fresh worker
    not_alone: int = 0  # internal errors that did not recur when the input was rerun alone (counted as internal)
    known: int = 0
    signatures: dict[str, int] = field(default_factory=dict)  # new (unknown) signature -> count
    known_signatures: dict[str, int] = field(default_factory=dict)
    saved: list[str] = field(default_factory=list)
    max_seconds: float = 0.0
    max_peak_mb: float = 0.0

    @property
    def rate(self) -> float:
        return self.inputs / self.seconds if self.seconds else 0.0

    @property
    def new_findings(self) -> int:
        return sum(self.signatures.values())

    def summary(self) -> str:
        lines = [f"target {self.target} ({self.mode}): {self.inputs} inputs ({self.full} the whole CLI path) in "
                 f"{self.seconds:.0f} s ({self.rate:.0f}/s); "
                 f"slowest {self.max_seconds:.2f} s, peak {self.max_peak_mb:.0f} MB",
                 f"  internal errors {self.internal}, over time {self.over_time}, over memory {self.over_memory} "
                 f"(of which known: {self.known}); slow once but not on rerun: {self.slow_unconfirmed}; "
                 f"internal but not alone: {self.not_alone}",
                 f"  distinct signatures: {len(self.signatures)} new, {len(self.known_signatures)} known"]
        lines += [f"  NEW   {n:6d}  {sig}" for sig, n in sorted(self.signatures.items())]
        lines += [f"  known {n:6d}  {sig}" for sig, n in sorted(self.known_signatures.items())]
        lines += [f"  saved {p}" for p in self.saved]
        return "\n".join(lines)

    def as_dict(self) -> dict:
        return {"target": self.target, "mode": self.mode, "inputs": self.inputs, "full": self.full,
                "seconds": round(self.seconds, 1),
                "rate": round(self.rate, 1), "internal": self.internal, "over_time": self.over_time,
                "over_memory": self.over_memory, "known": self.known, "slow_unconfirmed": self.slow_unconfirmed,
                "not_alone": self.not_alone,
                "new_signatures": self.signatures, "known_signatures": self.known_signatures,
                "max_seconds": round(self.max_seconds, 3), "max_peak_mb": round(self.max_peak_mb, 1)}


def _same(outcome: Outcome, kind: str, sig: str) -> bool:
    return outcome.kind == kind and outcome.signature == sig


def minimise(worker: Worker, base: bytes, head: bytes, kind: str, sig: str) -> tuple[bytes, bytes]:
    """Smaller (base, head) with the same kind and signature: delete chunks of lines, then of tokens.

    Bounded by :data:`_MINIMISE_RUNS` runs and :data:`_MINIMISE_SECONDS`; time and memory
    findings are not minimised (each run costs the whole limit).
    """
    if kind != "internal":
        return base, head
    deadline = time.monotonic() + _MINIMISE_SECONDS
    runs = 0

    def still(b: bytes, h: bytes) -> bool:
        nonlocal runs
        runs += 1
        return _same(worker.run(b, h), kind, sig)

    def shrink(parts: list[bytes], rebuild) -> list[bytes]:
        chunk = max(1, len(parts) // 2)
        while chunk >= 1 and runs < _MINIMISE_RUNS and time.monotonic() < deadline:
            i, changed = 0, False
            while i < len(parts) and runs < _MINIMISE_RUNS and time.monotonic() < deadline:
                trial = parts[:i] + parts[i + chunk:]
                if trial != parts and still(*rebuild(trial)):
                    parts, changed = trial, True
                else:
                    i += chunk
            if not changed:
                chunk //= 2
        return parts

    if base != head and still(head, head):
        base = head
    head_lines = shrink(head.splitlines(keepends=True), lambda p: (base if base != head else b"".join(p), b"".join(p)))
    head = b"".join(head_lines)
    if base == b"".join(head_lines) or base == head:
        base = head
    head = b"".join(shrink(tokens(head), lambda p: (base, b"".join(p))))
    if base != head:
        base = b"".join(shrink(base.splitlines(keepends=True), lambda p: (b"".join(p), head)))
    return base, head


def _folder(directory: Path, target: Target, outcome: Outcome) -> Path:
    return directory / target.name / hashlib.sha1(f"{outcome.kind}:{outcome.signature}".encode()).hexdigest()[:12]


def save_finding(target: Target, base: bytes, head: bytes, outcome: Outcome, known: str | None,
                 directory: Path = CRASH_DIR, fast: bool = False) -> Path:
    """Write a finding's input and what it did under ``directory/<target>/<digest>/``.

    ``fast``: found on the fast path (``info.json`` says so, and the regression test reruns it there).
    """
    folder = _folder(directory, target, outcome)
    folder.mkdir(parents=True, exist_ok=True)
    ext = target.filename.rsplit(".", 1)[-1]
    (folder / f"base.{ext}").write_bytes(base)
    (folder / f"head.{ext}").write_bytes(head)
    info = {"target": target.name, "path": "fast" if fast else "full", "kind": outcome.kind,
            "signature": outcome.signature, "known": known,
            "seconds": round(outcome.seconds, 3), "found": time.strftime("%Y-%m-%d", time.gmtime()),
            "traceback": outcome.detail.splitlines()[-12:]}
    (folder / "info.json").write_text(json.dumps(info, indent=2) + "\n")
    return folder


def run_campaign(target_name: str, inputs: int, jobs: int = 1, seed: int = 0, max_seconds: float | None = None,
                 save: bool = True, crash_dir: Path = CRASH_DIR, progress: float = 0.0) -> Stats:
    """Run ``inputs`` inputs (or until ``max_seconds``) of one target on ``jobs`` workers."""
    target = TARGETS[target_name]
    seeds = target.seeds()
    if not seeds:
        raise SystemExit(f"fuzz: no seeds for target {target_name}")
    rng = random.Random(seed)
    stats = Stats(target_name)
    warm_up(target, seeds)
    workers = [Worker(target_name, cpu_clock=True) for _ in range(max(1, jobs))]
    checker = Worker(target_name, cpu_clock=True)  # fresh-worker confirmation and minimisation
    pending: dict[int, tuple[bytes, bytes]] = {}
    seen: set[str] = set()
    ready: list[tuple[bytes, bytes]] = []  # generated ahead
    start = last_report = time.monotonic()
    submitted = 0
    try:
        while True:
            over = max_seconds is not None and time.monotonic() - start > max_seconds
            for i, w in enumerate(workers):
                if i not in pending and submitted < inputs and not over:
                    pair = ready.pop() if ready else target.next_input(rng, seeds)
                    pending[i] = pair
                    w.submit(*pair)
                    submitted += 1
            if not pending:
                break
            while len(ready) < len(workers) and submitted + len(ready) < inputs:  # while the workers run
                ready.append(target.next_input(rng, seeds))
            wait([w.conn for i, w in enumerate(workers) if i in pending], timeout=0.5)
            for i, w in enumerate(workers):
                if i not in pending or not (w.conn.poll() or w.overdue() or not w.process.is_alive()):
                    continue
                base, head = pending.pop(i)
                outcome = w.collect()
                stats.inputs += 1
                stats.max_seconds = max(stats.max_seconds, outcome.seconds)
                stats.max_peak_mb = max(stats.max_peak_mb, outcome.peak_bytes / 2**20)
                if outcome.kind != "ok":
                    record_finding(stats, target, checker, base, head, outcome, seen, save, crash_dir)
            if progress and time.monotonic() - last_report > progress:
                last_report = time.monotonic()
                stats.seconds = last_report - start
                print(f"[{target_name}] {stats.inputs} inputs, {stats.rate:.0f}/s, new {stats.new_findings}, "
                      f"known {stats.known}", flush=True)
    finally:
        for w in workers + [checker]:
            w.stop()
    stats.seconds = time.monotonic() - start
    return stats


def warm_up(target: Target, seeds: list[bytes]) -> None:
    """Run a few seeds in the parent before forking, so workers start with every module imported."""
    from .targets import run_pair

    for data in seeds[:20]:
        try:
            run_pair(target, data, data + b"\n")
        except Exception:  # noqa: BLE001 - only warming up; the campaign reports what matters
            pass


def record_finding(stats: Stats, target: Target, checker: Worker, base: bytes, head: bytes, outcome: Outcome,
                   seen: set[str], save: bool, crash_dir: Path) -> None:
    """Count, classify, minimise and save one finding.

    Time and memory findings, and workers that died, are rerun alone in ``checker`` (a fresh
    worker of the same path) first: a loaded machine or a grown heap is not a finding. ``checker``
    limits CPU time, not wall time (the 5 s promise is for an unloaded machine; on a shared one
    the wall clock mostly measures the neighbours): a time finding that stays under the limit of
    CPU time alone is ``slow_unconfirmed``.
    In the fast mode internal errors are rerun alone too: one that does not recur still counts
    (as ``not_alone``, its signature marked), since it depended on what ran before it.
    """
    if outcome.kind == "time":
        checker.restart()
        again = checker.run(base, head)
        if again.kind == "ok" or (again.signature == "timeout-hard" and 0 <= again.cpu_seconds <= checker.time_limit):
            stats.slow_unconfirmed += 1  # alone, it needs at most the limit of CPU time: the machine was busy
            return
        if again.kind != "time" or again.signature.startswith("timeout@"):
            outcome = again  # where it was stuck alone (or the error it reached given the time)
    elif outcome.kind == "memory" or outcome.signature == "worker-died":
        checker.restart()
        again = checker.run(base, head)
        if again.kind == "ok" and outcome.kind == "memory":
            return  # a heap grown by earlier inputs, not this one
        if again.kind != "ok" and again.signature:
            outcome = again
    elif checker.fast:
        again = checker.run(base, head)
        if (again.kind, again.signature) != (outcome.kind, outcome.signature):
            stats.not_alone += 1
            outcome = Outcome(outcome.kind, outcome.seconds, outcome.peak_bytes,
                              outcome.signature + " [not alone]", outcome.detail)
    known = match_known(target.name, outcome.kind, outcome.signature)
    stats.internal += outcome.kind == "internal"
    stats.over_time += outcome.kind == "time"
    stats.over_memory += outcome.kind == "memory"
    key = f"{outcome.kind}:{outcome.signature}"
    if known:
        stats.known += 1
        stats.known_signatures[f"{key} [{known}]"] = stats.known_signatures.get(f"{key} [{known}]", 0) + 1
    else:
        stats.signatures[key] = stats.signatures.get(key, 0) + 1
    if key in seen or not save:
        return
    seen.add(key)
    if _folder(crash_dir, target, outcome).exists():  # saved by an earlier campaign: keep that fixture
        return
    small_base, small_head = minimise(checker, base, head, outcome.kind, outcome.signature)
    folder = save_finding(target, small_base, small_head, outcome, known, crash_dir, fast=checker.fast)
    stats.saved.append(str(folder.relative_to(REPO) if folder.is_relative_to(REPO) else folder))
