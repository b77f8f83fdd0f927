"""Every protobuf rule against its before/after fixture pair, that rule alone."""

from __future__ import annotations

from pathlib import Path

import pytest

from fixture_harness import compare_with_snapshot, fixture_dirs, render, run_fixture
from schemacheck.registry import load_rules

CASES = fixture_dirs("protobuf")


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_fixture_matches_expected_findings(case: Path) -> None:
    result = run_fixture(case, "protobuf")
    compare_with_snapshot(render(result), case / "expected.txt")


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_fixture_fires_and_only_its_rule(case: Path) -> None:
    """A fixture must show its rule firing at least once, and nothing else (only it was selected)."""
    result = run_fixture(case, "protobuf")
    assert not [d for d in result.diagnostics if d.severity.value == "error"], result.diagnostics
    assert result.findings, f"{case.name}: the rule never fired on its own fixture"
    assert {f.rule_id for f in result.findings} == {case.name}


def test_every_protobuf_rule_has_a_fixture() -> None:
    registry = load_rules()
    names = {c.name for c in CASES}
    missing = sorted(r.id for r in registry.for_format("protobuf") if r.id not in names)
    assert not missing, f"rules without fixtures/protobuf/<ID>/: {missing}"
