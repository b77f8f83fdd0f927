"""``pattern`` changes are decided where regex containment is decidable (issue 7, item 6), in bounded time."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from gitrepo import GitRepo
from schemacheck.shape.regex import TIME_LIMIT, pattern_relation

DRAFT = "https://json-schema.org/draft/2020-12/schema"
DATE_TIME = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$"
UUID = r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"


def run(tmp_path: Path, old: str, new: str, *flags: str) -> tuple[int, list[str]]:
    repo = GitRepo(tmp_path / "repo")
    schema = {"$schema": DRAFT, "type": "object", "properties": {"at": {"type": "string", "pattern": old}}}
    repo.write("e.schema.json", json.dumps(schema, indent=1))
    repo.commit("v1")
    schema["properties"]["at"]["pattern"] = new
    repo.write("e.schema.json", json.dumps(schema, indent=1))
    proc = subprocess.run([sys.executable, "-m", "schemacheck", "--format", "json", *flags], cwd=repo.root,
                          env={**GitRepo.env(), "NO_COLOR": "1"}, capture_output=True, text=True, timeout=120)
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc.returncode, sorted(f["rule_id"] for f in json.loads(proc.stdout)["findings"])


def test_date_time_pattern_replaced_by_uuid_fails(tmp_path: Path) -> None:
    assert run(tmp_path, DATE_TIME, UUID) == (1, ["PATTERN_EXTENDED", "PATTERN_NARROWED"])


@pytest.mark.parametrize(("old", "new", "mode", "expected"), [
    ("^[0-9]{4,5}$", "^[0-9]{5}$", "backward", (1, ["PATTERN_NARROWED"])),
    ("^[0-9]{4,5}$", "^[0-9]{5}$", "forward", (0, [])),
    ("^(a|b)$", "^(b|a)$", "full", (0, [])),
    ("^[a-z]+", "^[a-z]", "full", (0, [])),  # the same strings match somewhere
])
def test_decided_patterns_by_mode(tmp_path: Path, old: str, new: str, mode: str, expected: tuple) -> None:
    assert run(tmp_path, old, new, "--mode", mode) == expected


def test_undecidable_pattern_stays_a_warning(tmp_path: Path) -> None:
    code, rules = run(tmp_path, "^(?=.*[0-9]).{8,}$", "^(?=.*[a-z]).{8,}$")
    assert (code, rules) == (0, ["PATTERN_CHANGED"])


def test_state_explosion_falls_back_to_the_warning_in_bounded_time() -> None:
    started = time.perf_counter()
    assert pattern_relation("(a|b)*a(a|b){30}", "(a|b)*b(a|b){30}") is None  # over the repetition cap
    assert pattern_relation("(a|b)*a(a|b){20}x", "(a|b)*b(a|b){20}y") is None  # too slow: abandoned
    assert time.perf_counter() - started < 4 * TIME_LIMIT + 2


def test_a_decision_out_of_time_stops_working() -> None:
    # it used to run on in an abandoned thread, holding the GIL and growing for the rest of the
    # process: in a test worker, every slow pattern piled up until the suite stalled
    threads = threading.active_count()
    assert pattern_relation("(a|b)*a(a|b){21}x", "(a|b)*b(a|b){21}y") is None
    cpu = time.process_time()
    time.sleep(1.0)
    assert time.process_time() - cpu < 0.3, "the abandoned decision is still computing"
    assert threading.active_count() == threads
    assert sys.getprofile() is None
