"""Every Python-specific DTO rule against its fixture pair, running only that rule.

``fixtures/python/<RULE_ID>/before/`` and ``after/`` hold modules checked by the real runner and
Python checker (``fixture_harness.run_fixture``); ``expected.txt`` holds the exact report lines.
Each pair mixes changes that fire with look-alikes that must not. Regenerate with
``SCHEMACHECK_UPDATE_SNAPSHOTS=1`` and review the diff.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from fixture_harness import compare_with_snapshot, fixture_dirs, render, run_fixture
from schemacheck.registry import load_rules

CASES = fixture_dirs("python")


def test_every_python_rule_has_a_fixture() -> None:
    ids = {spec.id for spec in load_rules().for_format("python")}
    assert ids <= {case.name for case in CASES}


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_fixture(case: Path) -> None:
    result = run_fixture(case, "python")
    lines = render(result)
    assert case.name in lines, f"{case.name} did not fire on its fixture"
    compare_with_snapshot(lines, case / "expected.txt")
