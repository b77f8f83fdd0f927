"""Crash classes the fuzzers found (docs/fuzzing.md), each fixed where it starts, tested through the CLI."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_e2e_user import run_cli

OLD = '{"properties": {"a": {"type": "string"}}}'


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "github", "markdown"])
def test_unpaired_surrogate_escape_is_an_input_error_not_an_internal_error(tmp_path: Path, fmt: str) -> None:
    """``"\\ud800"`` is valid JSON syntax but not Unicode: every output format failed to encode it."""
    (tmp_path / "old.schema.json").write_text(OLD)
    (tmp_path / "new.schema.json").write_text(
        '{"properties": {"a": {"type": "string"},\n  "\\ud800x": {"type": "string"}},\n "required": ["\\ud800x"]}')
    proc = run_cli(tmp_path, "check", "new.schema.json", "--against", "old.schema.json", "--format", fmt)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "internal error" not in proc.stderr and "Traceback" not in proc.stderr
    assert "new.schema.json" in proc.stdout + proc.stderr
    if fmt == "text":
        assert "new.schema.json:2:" in proc.stdout + proc.stderr  # where the first one is


def test_surrogate_pairs_and_escaped_backslashes_are_fine(tmp_path: Path) -> None:
    (tmp_path / "old.schema.json").write_text(OLD)
    (tmp_path / "new.schema.json").write_text(
        '{"properties": {"a": {"type": "string", "description": "\\ud83d\\ude00 and \\\\ud800"}}}')
    proc = run_cli(tmp_path, "check", "new.schema.json", "--against", "old.schema.json")
    assert proc.returncode == 0, proc.stdout + proc.stderr
