"""Every JSON Schema rule against its fixture pair, in every mode, running only that rule.

``fixtures/jsonschema/<RULE_ID>/before/`` and ``after/`` hold the two versions of one or more
schema files (JSON or YAML), checked by the real runner and JSON Schema checker exactly as the
CLI would (``fixture_harness.run_fixture``); ``expected.<mode>.txt`` holds the exact report lines
(``path:line:col RULE_ID message``) for ``backward``, ``forward`` and ``full`` under the strict
policy, and ``expected.<mode>.lenient.txt`` when a fixture also pins the lenient verdict.
Each pair mixes changes that fire with look-alikes that must not. File-level rules (subject
``file``: deleted files, dangling ``$ref``s, removed definitions) have fixtures too; they fire in
every mode. Regenerate with
``SCHEMACHECK_UPDATE_SNAPSHOTS=1`` and review the diff.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from fixture_harness import render, run_fixture
from schemacheck.compat.shape.table import rule_table
from schemacheck.config import JsonSchemaSettings
from schemacheck.registry import REGISTRY, load_rules
from tools import FIXTURES

CASES = FIXTURES / "jsonschema"
MODES = ("backward", "forward", "full")
UPDATE = os.environ.get("SCHEMACHECK_UPDATE_SNAPSHOTS") == "1"
RULE_IDS = sorted(p.name for p in CASES.iterdir() if p.is_dir()) if CASES.is_dir() else []
#: File-level rules (deleted files, dangling $refs, removed definitions): run by the checker, not the engine.
FILE_RULE_IDS = frozenset(spec.id for spec in load_rules().for_format("jsonschema") if spec.subject == "file")


def report(case: Path, mode: str, policy: str) -> str:
    """The plain-text report of ``case`` for one mode and policy, only its own rule selected.

    Runs the real runner and JSON Schema checker (detection, loading, ``$ref`` resolution,
    suppressions) on the two directories, as the CLI would.
    """
    result = run_fixture(case, "jsonschema", jsonschema=JsonSchemaSettings(mode=mode, policy=policy))
    return render(result)


def _expected_files(case: Path) -> list[tuple[str, str, Path]]:
    out = [(mode, "strict", case / f"expected.{mode}.txt") for mode in MODES]
    out += [(mode, "lenient", case / f"expected.{mode}.lenient.txt") for mode in MODES
            if (case / f"expected.{mode}.lenient.txt").exists()]
    return out


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_fixture(rule_id: str) -> None:
    case = CASES / rule_id
    assert rule_id in rule_table().ids() or rule_id in FILE_RULE_IDS, f"{case} names no JSON Schema rule"
    for mode, policy, path in _expected_files(case):
        got = report(case, mode, policy)
        if UPDATE:
            path.write_text(got, encoding="utf-8")
            continue
        assert path.exists(), f"missing {path}; run with SCHEMACHECK_UPDATE_SNAPSHOTS=1"
        assert got == path.read_text(encoding="utf-8"), f"{rule_id} {mode}/{policy} differs from {path.name}"


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_fixture_fires_exactly_in_the_directions_its_categories_declare(rule_id: str) -> None:
    spec = REGISTRY.rules[rule_id]
    case = CASES / rule_id
    texts = {mode: (case / f"expected.{mode}.txt").read_text(encoding="utf-8") for mode in MODES}
    assert bool(texts["backward"]) == ("BACKWARD" in spec.categories), texts["backward"]
    assert bool(texts["forward"]) == ("FORWARD" in spec.categories), texts["forward"]
    assert texts["full"], "the fixture never fires"
    assert len(texts["full"].splitlines()) >= max(len(texts["backward"].splitlines()),
                                                  len(texts["forward"].splitlines()))
    if "STRICT" in spec.categories:  # the lenient policy accepts these edits: pinned as empty reports
        for mode in MODES:
            lenient = case / f"expected.{mode}.lenient.txt"
            assert lenient.exists() and lenient.read_text(encoding="utf-8") == "", lenient


def test_every_shape_rule_has_a_fixture() -> None:
    assert sorted(set(rule_table().ids()) | FILE_RULE_IDS) == RULE_IDS
