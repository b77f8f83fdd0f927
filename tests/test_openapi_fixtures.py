"""Every OpenAPI rule against its fixture pair, running only that rule, through the real runner.

``fixtures/openapi/<RULE_ID>/before/`` and ``after/`` hold two revisions of one or more specs;
``expected.txt`` holds the exact report lines (``path:line:col RULE_ID message``). Each pair mixes
changes that fire with look-alikes that must not (documentation edits, safe widenings).
Regenerate with ``SCHEMACHECK_UPDATE_SNAPSHOTS=1`` and review the diff.
"""

from __future__ import annotations

import pytest

from fixture_harness import compare_with_snapshot, fixture_dirs, render, run_fixture
from schemacheck.registry import load_rules

CASES = fixture_dirs("openapi")
RULE_IDS = sorted(spec.id for spec in load_rules().for_format("openapi"))


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_fixture(case) -> None:
    result = run_fixture(case, "openapi")
    text = render(result)
    compare_with_snapshot(text, case / "expected.txt")
    assert case.name in text, f"{case.name} never fires in its own fixture"
    assert "DIAGNOSTIC error" not in text


def test_every_openapi_rule_has_a_fixture() -> None:
    assert sorted(c.name for c in CASES) == RULE_IDS
