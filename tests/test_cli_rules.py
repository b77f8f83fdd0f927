"""``schemacheck rules`` and ``schemacheck explain`` (issue 14): severity and default shown,
columns aligned for long IDs, a category explained as its rules, unknown names answered with
the nearest ones. The real CLI against the real registry (no hard-coded rule list)."""

from __future__ import annotations

import json

import pytest

from schemacheck.cli import main


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def catalog(capsys: pytest.CaptureFixture[str]) -> list[dict]:
    code, out, _ = run(capsys, "rules", "--format", "json")
    assert code == 0
    return json.loads(out)


def test_rules_show_severity_and_default_in_aligned_columns(capsys, catalog: list[dict]) -> None:
    code, out, _ = run(capsys, "rules")
    lines = out.splitlines()
    assert code == 0 and lines[0].split() == ["ID", "FORMAT", "SEVERITY", "DEFAULT", "CATEGORIES", "SUMMARY"]
    by_id = {line.split()[0]: line for line in lines[1:]}
    assert set(by_id) == {r["id"] for r in catalog}
    columns = {line.index(f" {line.split()[1]} ") for line in lines}  # where FORMAT starts, longest ID included
    assert len(columns) == 1
    for rule in catalog:
        cells = by_id[rule["id"]].split()
        assert cells[1:4] == [rule["format"], rule["severity"], "on" if rule["default"] else "off"]
    assert {"on", "off"} <= {r.split()[3] for r in lines[1:]} or all(r["default"] for r in catalog)


def test_explain_category_lists_its_rules(capsys, catalog: list[dict]) -> None:
    categories = sorted({c for r in catalog for c in r["categories"]})
    assert categories
    for category in categories[:4]:
        code, out, _ = run(capsys, "explain", category.lower())
        listed = {line.split()[0] for line in out.splitlines()[3:] if line.strip()}
        assert code == 0 and listed == {r["id"] for r in catalog if category in r["categories"]}


def test_explain_rule_says_severity_and_default(capsys, catalog: list[dict]) -> None:
    rule = catalog[0]
    code, out, _ = run(capsys, "explain", rule["id"])
    first = out.splitlines()[0]
    assert code == 0 and f"severity: {rule['severity']}" in first
    assert ("on by default" in first) == rule["default"]


def test_unknown_id_suggests_the_nearest(capsys, catalog: list[dict]) -> None:
    target = max((r["id"] for r in catalog), key=len)
    code, out, err = run(capsys, "explain", target[:-2] + "XX")
    assert code == 2 and out == "" and target in err and "Traceback" not in err
