"""Every contract rule against its fixture pair, running only that rule.

``fixtures/contracts/<RULE_ID>/`` holds ``contracts.toml`` (the ``[[contracts]]`` entries, as in
``[tool.schemacheck]``), ``before/`` and ``after/`` (both services at the old and new revision:
the contracts are checked at ``after``, because a side changed), and ``expected.txt``, the exact
report lines (format of ``fixture_harness.render``). Each pair mixes a change that fires with
look-alikes that must not. Regenerate with ``SCHEMACHECK_UPDATE_SNAPSHOTS=1`` and review the diff.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from fixture_harness import compare_with_snapshot, fixture_dirs, render
from schemacheck.config import settings_from_mapping
from schemacheck.registry import load_rules
from schemacheck.runner import CheckRequest, run_check
from schemacheck.snapshot import DirectorySnapshot

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

CASES = fixture_dirs("contracts")


def test_every_contract_rule_has_a_fixture() -> None:
    ids = {spec.id for spec in load_rules().for_format("contracts")}
    assert ids <= {case.name for case in CASES}


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_fixture(case: Path) -> None:
    table = tomllib.loads((case / "contracts.toml").read_text())
    settings = settings_from_mapping({**table, "select": [case.name]}, str(case / "contracts.toml"))
    result = run_check(CheckRequest(DirectorySnapshot(case / "before", "before"),
                                    DirectorySnapshot(case / "after", "after"), settings))
    lines = render(result)
    assert case.name in lines, f"{case.name} did not fire on its fixture"
    compare_with_snapshot(lines, case / "expected.txt")
