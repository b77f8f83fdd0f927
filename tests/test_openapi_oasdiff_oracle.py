"""oasdiff as an oracle: on every OpenAPI 3.x fixture pair, oasdiff must see the change the
fixture's rule is about (one of the rule's aliases, which are oasdiff check IDs).

Runs the real ``oasdiff`` binary (``SCHEMACHECK_OASDIFF``, else ``oasdiff`` on ``PATH`` or in
``~/go/bin``; ``go install github.com/oasdiff/oasdiff@v1.39.0`` provides it) and skips, saying
so, when it is not installed. Swagger 2.0 fixtures are left out (oasdiff does not read 2.0).
Where the rule semantics do not coincide, ``DIFFERENT`` says why (docs/openapi.md has the
full table); rules without aliases have no oasdiff counterpart to compare.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from fixture_harness import fixture_dirs
from schemacheck.registry import load_rules


def _oasdiff() -> str | None:
    found = os.environ.get("SCHEMACHECK_OASDIFF") or shutil.which("oasdiff")
    # scripts/install-test-tools.sh builds it under .tools/bin; `go install` puts it in ~/go/bin
    for candidate in (Path(__file__).resolve().parent.parent / ".tools" / "bin" / "oasdiff",
                      Path.home() / "go" / "bin" / "oasdiff"):
        if not found and candidate.is_file():
            found = str(candidate)
    return found


OASDIFF = _oasdiff()
RULES = load_rules().rules
#: Extra oasdiff flags a fixture needs to enable the corresponding check.
FLAGS = {"SUNSET_MISSING": ["--deprecation-days-stable", "30", "--deprecation-days-beta", "30"]}
#: Rule -> why oasdiff's IDs do not show the fixture's change.
DIFFERENT = {
    "PROPERTY_REMOVED_AFTER_DEPRECATION": "oasdiff 1.39 has no ID for an optional property removed after its "
                                          "deprecation (only for required ones), so it reports nothing for it",
    "SCHEMA_NOT_COMPARED": "a constraint changed inside `then`: oasdiff judges the keyword, we say the conditional "
                           "was not compared",
}
#: Rule -> oasdiff IDs that must *not* appear (the fixture shows a change both tools accept).
ABSENT = {
    "REMOVED_AFTER_DEPRECATION": {"api-path-removed-without-deprecation", "api-path-removed-before-sunset",
                                  "request-parameter-removed", "request-parameter-removed-before-sunset"},
}
CASES = [c for c in fixture_dirs("openapi")
         if RULES[c.name].aliases and not any("swagger:" in p.read_text()[:200] for p in (c / "before").iterdir())]


def _ids(case: Path) -> set[str]:
    """oasdiff's check IDs over every spec of the fixture present in both revisions."""
    assert OASDIFF is not None
    out: set[str] = set()
    for spec in sorted(p.name for p in (case / "before").iterdir() if (case / "after" / p.name).exists()):
        proc = subprocess.run([OASDIFF, "changelog", str(case / "before" / spec), str(case / "after" / spec),
                               "--format", "json", *FLAGS.get(case.name, [])], capture_output=True, text=True,
                              timeout=60)
        assert proc.returncode == 0, proc.stderr
        out |= {entry["id"] for entry in json.loads(proc.stdout or "[]")}
    return out


@pytest.mark.skipif(OASDIFF is None, reason="oasdiff is not installed (go install github.com/oasdiff/oasdiff@v1.39.0)")
@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_oasdiff_sees_the_fixture_change(case: Path) -> None:
    if case.name in DIFFERENT:
        pytest.skip(DIFFERENT[case.name])
    ids = _ids(case)
    if case.name in ABSENT:
        assert not ids & ABSENT[case.name], sorted(ids)
    else:
        assert ids & set(RULES[case.name].aliases), sorted(ids)
