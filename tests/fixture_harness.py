"""Shared machinery for before/after fixture directories: run one rule, render findings as text.

Layout: ``fixtures/<format>/<RULE_ID>/{before/, after/, expected.txt}``. ``expected.txt`` has
one line per finding, ``path:line:column RULE_ID message`` (path relative to ``after/``, or to
``before/`` prefixed with ``(base) `` when nothing survives in head), in path/line/column order. Set
``SCHEMACHECK_UPDATE_SNAPSHOTS=1`` to rewrite the files, then review the diff.
"""

from __future__ import annotations

import os
from pathlib import Path

from schemacheck.config import Settings
from schemacheck.model import CheckResult, Finding
from schemacheck.runner import CheckRequest, run_check
from schemacheck.snapshot import DirectorySnapshot

from tools import FIXTURES

UPDATE = os.environ.get("SCHEMACHECK_UPDATE_SNAPSHOTS") == "1"


def fixture_dirs(fmt: str) -> list[Path]:
    root = FIXTURES / fmt
    return sorted(p for p in root.iterdir() if p.is_dir() and (p / "before").is_dir()) if root.is_dir() else []


def run_fixture(case: Path, fmt: str, rule_id: str | None = None, **settings: object) -> CheckResult:
    rule = rule_id or case.name
    config = Settings(select=(rule,), **settings)  # type: ignore[arg-type]
    return run_check(CheckRequest(DirectorySnapshot(case / "before", "before"),
                                  DirectorySnapshot(case / "after", "after"), config, formats=(fmt,)))


def render_finding(f: Finding) -> str:
    if f.location is not None:
        return f"{f.location.path}:{f.location.line}:{f.location.column} {f.rule_id} {f.message}"
    loc = f.base_location
    where = f"{loc.path}:{loc.line}:{loc.column}" if loc and loc.line else (loc.path if loc else "")
    return f"(base) {where} {f.rule_id} {f.message}"


def render(result: CheckResult) -> str:
    lines = [render_finding(f) for f in sorted(result.findings, key=Finding.sort_key)]
    lines += sorted(f"DIAGNOSTIC {d.severity.value} {d.location}: {d.message}" for d in result.diagnostics)
    return "\n".join(lines) + ("\n" if lines else "")


def compare_with_snapshot(actual: str, expected_file: Path) -> None:
    if UPDATE or not expected_file.exists():
        if not UPDATE:
            raise AssertionError(f"{expected_file} is missing; run with SCHEMACHECK_UPDATE_SNAPSHOTS=1 and review it")
        expected_file.write_text(actual)
        return
    assert actual == expected_file.read_text(), f"findings differ from {expected_file}"
