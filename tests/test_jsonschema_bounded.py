"""Bounded time and memory on adversarial JSON Schemas (issue 7), through the CLI and by counting work.

Each input is generated: recursive unions of self-references, meshes of definitions whose
unions / ``allOf``s / properties refer to every other definition, one object with 12,000
properties, ``multipleOf`` at the ends of the float range. Time is asserted only through
generous subprocess timeouts; the engine's work is asserted by counting its steps, which is
deterministic.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from gitrepo import GitRepo
from schemacheck.compat.shape.engine import STEP_BUDGET, Engine
from schemacheck.compat.shape.pair import Direction, Policy
from schemacheck.formats.jsonschema.loader import load_document
from schemacheck.formats.jsonschema.refs import RefResolver
from schemacheck.formats.jsonschema.to_shape import ShapeBuilder

DRAFT = "https://json-schema.org/draft/2020-12/schema"


def run_cli(cwd: Path, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    env = {**GitRepo.env(), "NO_COLOR": "1"}
    env.pop("FORCE_COLOR", None)
    return subprocess.run([sys.executable, "-m", "schemacheck", "--format", "json", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=timeout)


def findings(proc: subprocess.CompletedProcess[str]) -> list[dict]:
    assert "Traceback" not in proc.stderr, proc.stderr
    return json.loads(proc.stdout)["findings"]


def two_commits(tmp_path: Path, old: dict, new: dict, path: str = "s.schema.json") -> GitRepo:
    repo = GitRepo(tmp_path / "repo")
    repo.write(path, json.dumps(old, indent=1))
    repo.commit("v1")
    repo.write(path, json.dumps(new, indent=1))
    repo.commit("v2")
    return repo


# -- recursive unions -----------------------------------------------------------------------------

SELF_UNION = {"$schema": DRAFT, "title": "a", "anyOf": [{"$ref": "#"}, {"$ref": "#"}]}


def test_union_of_two_self_refs_terminates_after_a_title_edit(tmp_path: Path) -> None:
    assert len(json.dumps(SELF_UNION)) < 150
    repo = GitRepo(tmp_path / "repo")
    repo.write("s.schema.json", json.dumps(SELF_UNION))
    repo.commit("v1")
    repo.write("s.schema.json", json.dumps({**SELF_UNION, "title": "b"}))
    repo.stage()
    proc = run_cli(repo.root, "--staged", timeout=60)  # what the pre-commit hook runs
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert findings(proc) == []


@pytest.mark.parametrize("keyword", ["anyOf", "oneOf"])
def test_recursive_union_reports_its_changed_leaf_type(tmp_path: Path, keyword: str) -> None:
    old = {"$schema": DRAFT, keyword: [{"$ref": "#"}, {"type": "string"}, {"$ref": "#"}]}
    new = {"$schema": DRAFT, keyword: [{"$ref": "#"}, {"type": "integer"}, {"$ref": "#"}]}
    repo = two_commits(tmp_path, old, new)
    proc = run_cli(repo.root, "--base", "HEAD~1", "--head", "HEAD", "--mode", "backward")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    found = findings(proc)  # the string branch lost its counterpart (or changed type): either names it
    assert [f["rule_id"] for f in found] in (["TYPE_CHANGED"], ["SUM_TYPE_NARROWED"])
    assert found[0]["base_location"]["line"] == 7  # the {"type": "string"} branch in the indented old file


def test_mutually_recursive_unions_report_a_narrowed_leaf(tmp_path: Path) -> None:
    old = {"$schema": DRAFT, "$ref": "#/$defs/a", "$defs": {
        "a": {"anyOf": [{"$ref": "#/$defs/b"}, {"type": "string", "maxLength": 5}]},
        "b": {"anyOf": [{"$ref": "#/$defs/a"}, {"type": "null"}]}}}
    new = json.loads(json.dumps(old))
    new["$defs"]["a"]["anyOf"][1]["maxLength"] = 3
    repo = two_commits(tmp_path, old, new)
    proc = run_cli(repo.root, "--base", "HEAD~1", "--head", "HEAD", "--mode", "backward")
    assert [f["rule_id"] for f in findings(proc)] == ["MAX_LENGTH_DECREASED"]


# -- $ref meshes ------------------------------------------------------------------------------------

def mesh(n: int, kind: str) -> dict:
    """``n`` definitions, each referring to all ``n`` (through a union, an allOf, properties or items)."""
    refs = [{"$ref": f"#/$defs/d{j}"} for j in range(n)]
    make = {
        "anyOf": lambda: {"anyOf": refs + [{"type": "string"}]},
        "oneOf": lambda: {"oneOf": refs + [{"type": "string"}]},
        "allOf": lambda: {"allOf": refs + [{"type": "object"}]},
        "properties": lambda: {"type": "object", "properties": {f"p{j}": r for j, r in enumerate(refs)}},
        "prefixItems": lambda: {"type": "array", "prefixItems": refs},
    }[kind]
    return {"$schema": DRAFT, "$ref": "#/$defs/d0", "$defs": {f"d{i}": make() for i in range(n)}}


def changed_mesh(n: int, kind: str) -> dict:
    new = mesh(n, kind)
    new["$defs"][f"d{n - 1}"] = {"type": "integer"}
    return new


def engine_steps(old: dict, new: dict, direction: Direction = Direction.BACKWARD) -> tuple[int, bool, int]:
    """(steps, approximate, number of diffs) of one engine run on two documents."""
    old_doc = load_document("s.json", json.dumps(old).encode())
    new_doc = load_document("s.json", json.dumps(new).encode())
    old_shape = ShapeBuilder(RefResolver(lambda _p: old_doc)).build(old_doc, "")
    new_shape = ShapeBuilder(RefResolver(lambda _p: new_doc)).build(new_doc, "")
    engine = Engine(direction, Policy.STRICT)
    diffs = engine.compare(old_shape, new_shape)
    return engine.steps, engine.approximate, len(diffs)


KINDS = ["anyOf", "oneOf", "allOf", "properties", "prefixItems"]


@pytest.mark.parametrize("kind", KINDS)
def test_unchanged_mesh_work_grows_with_the_number_of_references(kind: str) -> None:
    small, _, _ = engine_steps(mesh(20, kind), mesh(20, kind))
    large, approximate, diffs = engine_steps(mesh(40, kind), mesh(40, kind))
    assert diffs == 0 and not approximate
    assert large <= 4.5 * small  # O(n^2) references: twice n, four times the work, not 8 or 16
    assert large <= 4 * 40 * 40


@pytest.mark.parametrize("kind", KINDS)
def test_changed_mesh_work_is_bounded_and_reported(kind: str) -> None:
    total = 0
    for direction in Direction:  # d59 became an integer: one direction or the other breaks
        steps, approximate, diffs = engine_steps(mesh(60, kind), changed_mesh(60, kind), direction)
        assert steps <= 3 * STEP_BUDGET
        if steps > STEP_BUDGET:
            assert approximate  # the budget changed how branches were paired: say so
        total += diffs
    assert total > 0


@pytest.mark.parametrize("kind", ["oneOf", "allOf"])
def test_150_by_150_mesh_through_the_cli(tmp_path: Path, kind: str) -> None:
    repo = two_commits(tmp_path, mesh(150, kind), changed_mesh(150, kind))
    proc = run_cli(repo.root, "--base", "HEAD~1", "--head", "HEAD", "--mode", "full", timeout=90)
    assert proc.returncode == 1, proc.stderr
    assert findings(proc)


def test_cut_short_pairing_is_said_not_passed(tmp_path: Path) -> None:
    repo = two_commits(tmp_path, mesh(150, "oneOf"), changed_mesh(150, "oneOf"))
    proc = run_cli(repo.root, "--base", "HEAD~1", "--head", "HEAD", "--mode", "full", timeout=90)
    undecided = [f for f in findings(proc) if f["rule_id"] == "SCHEMA_CHANGE_UNDECIDABLE"]
    assert len(undecided) == 1 and undecided[0]["severity"] == "warning"


# -- wide objects -------------------------------------------------------------------------------------

def wide(n: int, prefix: str = "p") -> dict:
    return {"$schema": DRAFT, "type": "object",
            "properties": {f"{prefix}{i}": {"type": "string", "maxLength": i + 1} for i in range(n)}}


def test_12000_properties_compare_in_linear_time() -> None:
    old, new = wide(12_000), wide(12_000)
    new["properties"]["p5"] = {"type": "integer"}
    steps, _, diffs = engine_steps(old, new)
    assert diffs == 1 and steps <= 12_000 + 10
    started = time.perf_counter()
    engine_steps(wide(12_000), wide(12_000, "q"))  # every property renamed: rename detection too
    assert time.perf_counter() - started < 20  # quadratic lookups took minutes here


def test_12000_properties_through_the_cli(tmp_path: Path) -> None:
    new = wide(12_000)
    new["properties"]["p7"]["maxLength"] = 1
    repo = two_commits(tmp_path, wide(12_000), new)
    proc = run_cli(repo.root, "--base", "HEAD~1", "--head", "HEAD", timeout=60)
    assert [f["rule_id"] for f in findings(proc)] == ["MAX_LENGTH_DECREASED"]


# -- numbers at the ends of the range ---------------------------------------------------------------

@pytest.mark.parametrize(("old", "new", "rule"), [
    ("1e308", "1e-308", "MULTIPLE_OF_REDUCED"),
    ("1e-308", "1e308", "MULTIPLE_OF_EXPANDED"),
    ("1e308", "5", "MULTIPLE_OF_REDUCED"),
    ("1e308", "3", "MULTIPLE_OF_CHANGED"),
    ("1e999999999", "7", "MULTIPLE_OF_CHANGED"),
])
def test_multiple_of_extremes_are_compared_exactly(tmp_path: Path, old: str, new: str, rule: str) -> None:
    repo = GitRepo(tmp_path / "repo")
    text = '{"$schema": "%s", "type": "number", "multipleOf": %s}\n'
    repo.write("n.schema.json", text % (DRAFT, old))
    repo.commit("v1")
    repo.write("n.schema.json", text % (DRAFT, new))
    repo.commit("v2")
    proc = run_cli(repo.root, "--base", "HEAD~1", "--head", "HEAD", "--mode", "full")
    assert rule in [f["rule_id"] for f in findings(proc)], proc.stdout + proc.stderr
