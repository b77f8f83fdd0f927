"""docs/openapi.md's mapping of oasdiff checks stays true: every row names an existing OpenAPI
rule that lists the oasdiff ID among its aliases (so ``--select <oasdiff-id>`` works), or says
why there is none by design; no row is left "not yet"."""

from __future__ import annotations

import re

from schemacheck.registry import load_rules
from tools import REPO_ROOT as ROOT

ROW = re.compile(r"^\| `([a-z0-9-]+)` \| (ERR|WARN) \| (.*) \|$")


def _rows() -> dict[str, str]:
    text = (ROOT / "docs" / "openapi.md").read_text()
    return {m.group(1): m.group(3) for m in map(ROW.match, text.splitlines()) if m}


def test_every_mapped_oasdiff_check_is_an_alias_of_its_rule_or_excluded_by_design() -> None:
    rules = load_rules().rules
    rows = _rows()
    assert len(rows) >= 243  # the reference list's ERR and WARN checks
    wrong = []
    for check, target in rows.items():
        named = re.match(r"`([A-Z_]+)`", target)
        if named is None:
            if "by design" not in target:
                wrong.append((check, target))
            continue
        rule = rules.get(named.group(1))
        if rule is None or rule.format != "openapi" or (check not in rule.aliases and "by design" not in target):
            wrong.append((check, target))
    assert wrong == []


def test_no_check_is_left_not_yet() -> None:
    assert [check for check, target in _rows().items() if "not yet" in target] == []
