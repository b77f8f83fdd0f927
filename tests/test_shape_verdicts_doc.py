"""docs/jsonschema-verdicts.md tells the truth: its table rows match the registry's categories."""

from __future__ import annotations

import re

from schemacheck.compat.shape.table import rule_table
from tools import REPO_ROOT

DOC = REPO_ROOT / "docs" / "jsonschema-verdicts.md"
ROW = re.compile(r"^\| `([A-Z0-9_]+)` \|.*\| (breaks|ok) \| (breaks|ok) \| (breaks|ok) \| (ok|as strict) \| (\w+) \| (.*) \|$")


def _rows() -> dict[str, tuple[str, ...]]:
    return {m.group(1): m.groups()[1:] for line in DOC.read_text(encoding="utf-8").splitlines()
            if (m := ROW.match(line))}


def test_every_shape_rule_is_in_the_verdict_table_with_its_real_verdicts() -> None:
    rows = _rows()
    table = rule_table()
    assert set(rows) == set(table.ids())
    for rules in table.by_family.values():
        for rule in rules:
            back, fwd, full, lenient, severity, aliases = rows[rule.spec.id]
            cats = rule.spec.categories
            assert back == ("breaks" if "BACKWARD" in cats else "ok"), rule.spec.id
            assert fwd == ("breaks" if "FORWARD" in cats else "ok"), rule.spec.id
            assert full == ("breaks" if "breaks" in (back, fwd) else "ok"), rule.spec.id
            assert lenient == ("ok" if rule.strict_only else "as strict"), rule.spec.id
            assert severity == rule.spec.severity.value, rule.spec.id
            assert re.findall(r"`([A-Z0-9_]+)`", aliases) == list(rule.spec.aliases), rule.spec.id
