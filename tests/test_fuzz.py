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
from fuzz.known import match_known  # noqa: E402
from fuzz.targets import TARGETS, Target  # noqa: E402
from fuzz.worker import Worker  # noqa: E402

CI_INPUTS = int(os.environ.get("FUZZ_CI_INPUTS", "1500"))
CI_SECONDS = float(os.environ.get("FUZZ_CI_SECONDS", "14"))


@pytest.fixture(autouse=True)
def _no_disk_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SCHEMACHECK_NO_CACHE", "1")


@pytest.mark.parametrize("name", sorted(TARGETS))
def test_short_budget_finds_nothing_new(name: str) -> None:
    """A fixed-seed campaign: no internal error, nothing over 5 s or 500 MB, except known classes."""
    stats = run_campaign(name, CI_INPUTS, jobs=1, seed=7, max_seconds=CI_SECONDS, save=False)
    assert stats.inputs >= min(CI_INPUTS, 100), stats.summary()
    assert stats.new_findings == 0, (f"{stats.summary()}\nreproduce, minimise and save with: "
                                     f"python -m fuzz --target {name} --seed 7 --inputs {stats.inputs}")


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
    worker = Worker(info["target"], fast=info.get("path") == "fast")
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


def _fake(name: str, run) -> Target:
    return Target(name=name, fmt="none", filename="x.txt", seed_globs=(), dictionary=(), run=run)


@pytest.mark.parametrize(("run", "kind", "signature"), [
    (_boom, "internal", "KeyError@test_fuzz.py:_boom"),
    (_slow, "time", "timeout@test_fuzz.py:_slow"),
    (_hungry, "memory", "MemoryError@test_fuzz.py:_hungry"),
])
def test_the_harness_classifies_findings(run, kind: str, signature: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(TARGETS, "fake", _fake("fake", run))
    worker = Worker("fake", time_limit=1.0 if kind == "time" else 5.0)
    try:
        assert worker.run(b"", b"fine").kind == "ok"
        outcome = worker.run(b"", b"xx boom slow hungry xx")
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
