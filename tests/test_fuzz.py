"""The fuzz harness (``fuzz/``): a short CI budget per front end, its saved findings as
regression fixtures, and the harness's own classification of crashes, hangs and memory blow-ups.

The long campaign is ``python -m fuzz --target proto --inputs 1000000 --jobs 2`` (docs/fuzzing.md).
``FUZZ_CI_INPUTS`` / ``FUZZ_CI_SECONDS`` change the short budget (per target).
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from fuzz.campaign import CRASH_DIR, run_campaign  # noqa: E402
from fuzz.fast import input_at, run_fast_campaign  # noqa: E402
from fuzz.known import match_known  # noqa: E402
from fuzz.targets import TARGETS, Target  # noqa: E402
from fuzz.worker import Worker  # noqa: E402

CI_INPUTS = int(os.environ.get("FUZZ_CI_INPUTS", "1500"))
CI_SECONDS = float(os.environ.get("FUZZ_CI_SECONDS", "10"))


@pytest.fixture(autouse=True)
def _no_disk_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SCHEMACHECK_NO_CACHE", "1")


@pytest.mark.parametrize("name", sorted(TARGETS))
def test_short_budget_finds_nothing_new(name: str) -> None:
    """A fixed-seed fast campaign (1 input in 50 the whole CLI path): no internal error, nothing over
    5 s or 500 MB, except known classes. The python target (libcst) is the slowest: ~80 ms an input."""
    stats = run_fast_campaign(name, CI_INPUTS, jobs=1, seed=7, max_seconds=CI_SECONDS, save=False)
    assert stats.inputs >= min(CI_INPUTS, 20) and stats.full >= 1, stats.summary()
    assert stats.new_findings == 0, (f"{stats.summary()}\nreproduce, minimise and save with: "
                                     f"python -m fuzz --fast --target {name} --seed 7 --inputs {stats.inputs}")


def _saved() -> list[Path]:
    return sorted(p for p in CRASH_DIR.glob("*/*") if (p / "info.json").is_file())


def _case(folder: Path):
    info = json.loads((folder / "info.json").read_text())
    owner = match_known(info["target"], info["kind"], info["signature"])
    marks = [pytest.mark.xfail(strict=False, reason=f"known, owned by {owner}")] if owner else []
    return pytest.param(folder, id=f"{folder.parent.name}-{folder.name}", marks=marks)


@pytest.mark.parametrize("folder", [_case(f) for f in _saved()])
def test_saved_finding_is_fixed(folder: Path) -> None:
    """Every input the fuzzers saved runs cleanly now (known classes: expected to fail until fixed)."""
    info = json.loads((folder / "info.json").read_text())
    ext = TARGETS[info["target"]].filename.rsplit(".", 1)[-1]
    # CPU time, as findings are confirmed: on a loaded machine the wall clock measures the neighbours
    worker = Worker(info["target"], fast=info.get("path") == "fast", cpu_clock=True)
    try:
        outcome = worker.run((folder / f"base.{ext}").read_bytes(), (folder / f"head.{ext}").read_bytes())
    finally:
        worker.stop()
    assert outcome.kind == "ok", f"{outcome.kind}: {outcome.signature}\n{outcome.detail}"


# -- the harness itself: each kind of finding is seen, classified and saved -------------------------
def _boom(base: bytes, head: bytes) -> None:
    if b"boom" in head:
        {}["missing"]


def _slow(base: bytes, head: bytes) -> None:
    if b"slow" in head:
        while True:
            time.sleep(0.01)


def _hungry(base: bytes, head: bytes) -> None:
    if b"hungry" in head:
        hoard = []
        for _ in range(20):  # 1 GB
            hoard.append(bytearray(50 * 2**20))


def _recurse(base: bytes, head: bytes, depth: int = 0) -> None:
    if b"recurse" in head:
        _descend(base, head, depth + 1)


def _descend(base: bytes, head: bytes, depth: int) -> None:
    _recurse(base, head, depth)


def _fake(name: str, run) -> Target:
    return Target(name=name, fmt="none", filename="x.txt", seed_globs=(), dictionary=(), run=run)


@pytest.mark.parametrize(("run", "kind", "signature"), [
    (_boom, "internal", "KeyError@test_fuzz.py:_boom"),
    (_slow, "time", "timeout@test_fuzz.py:_slow"),
    (_hungry, "memory", "MemoryError@test_fuzz.py:_hungry"),
    (_recurse, "internal", "RecursionError@test_fuzz.py:_recurse"),  # the recursion, not where the stack ran out
])
def test_the_harness_classifies_findings(run, kind: str, signature: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(TARGETS, "fake", _fake("fake", run))
    worker = Worker("fake", time_limit=1.0 if kind == "time" else 5.0)
    try:
        assert worker.run(b"", b"fine").kind == "ok"
        outcome = worker.run(b"", b"xx boom slow hungry recurse xx")
    finally:
        worker.stop()
    assert (outcome.kind, outcome.signature) == (kind, signature)


def test_a_campaign_counts_minimises_and_saves(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    fake = _fake("fake", _boom)
    monkeypatch.setitem(TARGETS, "fake", fake)
    monkeypatch.setattr(Target, "seeds", lambda self: [b"line one\nboom here\nline three\n"])
    monkeypatch.setattr(Target, "next_input", lambda self, rng, seeds: (seeds[0], seeds[0]))
    stats = run_campaign("fake", 5, crash_dir=tmp_path)
    assert (stats.inputs, stats.internal, stats.new_findings) == (5, 5, 5)
    [folder] = [p for p in (tmp_path / "fake").iterdir()]
    assert (folder / "head.txt").read_bytes() == b"boom"
    assert json.loads((folder / "info.json").read_text())["signature"] == "KeyError@test_fuzz.py:_boom"


# -- the fast mode: batch workers, a watchdog, every finding pinned on its input ---------------------------
def _misbehave(base: bytes, head: bytes) -> None:
    """Input ``nN``: N % 10 == 3 raises, 5 loops in Python, 6 loops with the timer's signal blocked
    (stuck "in C": only the parent's watchdog ends it), 7 kills its process, 8 eats memory."""
    import signal

    digit = head[-1:]
    if digit == b"3":
        {}["missing"]
    elif digit == b"5":
        while True:
            pass
    elif digit == b"6":
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
        while True:
            pass
    elif digit == b"7":
        os._exit(3)
    elif digit == b"8":
        assert bytearray(2**30)  # 1 GB


class _Numbered(Target):
    """Input i is ``n<i>``, so a finding's saved input names the input it came from."""

    def seeds(self) -> list[bytes]:
        return [b"n"]

    def next_input(self, rng, seeds):
        return b"n", b"n%d" % rng.randrange(10**6)


def test_fast_mode_finds_and_pins_every_kind_of_finding(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Each failing input is counted once, rerun alone, classified and saved as itself; none is lost."""
    import fuzz.worker

    monkeypatch.setattr(fuzz.worker, "GRACE", 0.3)
    target = _Numbered(name="fake", fmt="none", filename="x.txt", seed_globs=(), dictionary=(), run=_misbehave)
    monkeypatch.setitem(TARGETS, "fake", target)
    inputs = 30
    heads = [input_at(target, [b"n"], 11, i)[1] for i in range(inputs)]
    expected = {d: sum(h.endswith(d) for h in heads) for d in (b"3", b"5", b"6", b"7", b"8")}
    stats = run_fast_campaign("fake", inputs, jobs=2, seed=11, crash_dir=tmp_path, time_limit=0.3)
    assert stats.inputs == inputs, stats.summary()
    assert stats.internal == expected[b"3"] + expected[b"7"], stats.summary()
    assert stats.over_time == expected[b"5"] + expected[b"6"], stats.summary()
    assert stats.over_memory == expected[b"8"], stats.summary()
    saved = {json.loads((p / "info.json").read_text())["signature"]: (p / "head.txt").read_bytes()
             for p in (tmp_path / "fake").iterdir()}
    for signature, digit in (("KeyError@test_fuzz.py:_misbehave", b"3"), ("worker-died", b"7")):
        if expected[digit]:
            assert saved[signature].endswith(digit) and saved[signature] in heads, (signature, saved)
    for head in (h for s, h in saved.items() if s.startswith(("timeout", "MemoryError"))):
        assert head in heads and head[-1:] in b"568", saved


def test_wall_time_without_cpu_time_is_not_a_finding(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The limit is on CPU time: over the limit of wall time only (a loaded machine) is not over time."""
    import time as clock

    def sleepy(base: bytes, head: bytes) -> None:
        clock.sleep(1.5)  # wall time, no CPU: what a loaded machine looks like from inside

    monkeypatch.setitem(TARGETS, "fake", _Numbered(name="fake", fmt="none", filename="x.txt", seed_globs=(),
                                                   dictionary=(), run=sleepy))
    stats = run_fast_campaign("fake", 2, crash_dir=tmp_path, time_limit=1.0)
    assert (stats.inputs, stats.over_time, stats.new_findings) == (2, 0, 0), stats.summary()
    assert stats.max_seconds >= 1.5  # it did run that long


def test_an_input_is_the_same_wherever_it_is_generated() -> None:
    """The parent regenerates a worker's input from (seed, index): it must be the same bytes."""
    for name in sorted(TARGETS):
        target = TARGETS[name]
        seeds = target.seeds()
        assert [input_at(target, seeds, 5, i) for i in range(30)] == [input_at(target, seeds, 5, i) for i in range(30)]


def test_a_campaign_fuzzes_the_checkout_it_names(tmp_path: Path) -> None:
    # a campaign run from a git worktree recorded the worktree's commit but imported the editable
    # install's code (another checkout): python -m fuzz now puts its own src/ first
    copy = tmp_path / "checkout"
    (copy / "src/schemacheck").mkdir(parents=True)
    (copy / "src/schemacheck/__init__.py").write_text("MARK = 'the copy'\n")
    import shutil

    shutil.copytree(Path(__file__).resolve().parent.parent / "fuzz", copy / "fuzz",
                    ignore=shutil.ignore_patterns("crashes", "seeds", "results.jsonl"))
    probe = ("import sys; from fuzz.__main__ import _test_this_checkout; _test_this_checkout(); "
             "import schemacheck; print(schemacheck.MARK)")
    import subprocess

    proc = subprocess.run([sys.executable, "-c", probe], cwd=copy, capture_output=True, text=True, timeout=60)
    assert proc.stdout.strip() == "the copy", proc.stdout + proc.stderr
