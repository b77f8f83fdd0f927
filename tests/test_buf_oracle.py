"""buf as a live oracle: every protobuf fixture gives the same findings in buf and in schemacheck.

For each ``fixtures/protobuf/<ID>/`` pair, real ``buf breaking`` runs with a temporary
``buf.yaml`` selecting only ``ID``, and schemacheck runs with ``select=(ID,)``; both are reduced
to a set of (rule, file, start line, start column). Intended differences are listed, each with
its reason, in ``tests/buf_differences.toml``; anything else fails with a readable diff. New
fixtures are picked up automatically. Fixtures of rules buf does not have (the ``GOOGLE_API``
category) are left out: buf rejects their IDs; ``tests/test_google_api_cli.py`` shows buf silent
on those changes.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bufrun import Key, format_diff, key_of, load_differences, run_buf
from fixture_harness import fixture_dirs, run_fixture
from schemacheck.compat.protobuf.bufconfig import BUF_RULE_IDS
from tools import buf_path, require

CASES = [case for case in fixture_dirs("protobuf") if case.name in BUF_RULE_IDS]
DIFFERENCES = load_differences()


@pytest.fixture(scope="module")
def buf() -> str:
    return require(buf_path(), "buf")


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_fixture_agrees_with_buf(case: Path, buf: str) -> None:
    theirs = run_buf(buf, case / "before", case / "after", [case.name])
    assert not theirs.compile_errors, f"buf cannot compile {case.name}: {theirs.compile_errors}"
    result = run_fixture(case, "protobuf")
    errors = [d for d in result.diagnostics if d.severity.value == "error"]
    assert not errors, f"schemacheck cannot compile {case.name}: {errors}"
    ours = {key_of(f) for f in result.findings}
    our_messages = {key_of(f): f.message for f in result.findings}
    only_ours, only_buf, used = DIFFERENCES.apply(ours, theirs.keys, case.name, case / "after")
    assert not (only_ours or only_buf), format_diff(
        f"{case.name}: schemacheck and buf disagree", only_ours, only_buf, theirs.messages, our_messages)
    stale = [e for e in DIFFERENCES.for_case(case.name) if e not in used]
    assert not stale, f"{case.name}: entries in buf_differences.toml no longer needed: {stale}"


def test_differences_file_is_valid() -> None:
    """Every entry names a rule we know and says why (load_differences validates the shape)."""
    from schemacheck.registry import load_rules

    registry = load_rules()
    for entry in DIFFERENCES.entries:
        assert registry.get(entry.rule) or entry.rule in registry.deprecated or entry.rule.isupper(), entry
        assert len(entry.reason) > 20, f"{entry}: give a real reason"


def test_key_of_deleted_file_has_no_path() -> None:
    """buf reports FILE_NO_DELETE without a path; our key for location=None must match that shape."""
    from schemacheck.model import Finding, Location, Severity

    finding = Finding("FILE_NO_DELETE", Severity.ERROR, "gone", None, Location("a.proto", 1, 1))
    assert key_of(finding) == Key("FILE_NO_DELETE", "", 0, 0)


def test_when_condition_narrows_a_difference(tmp_path) -> None:
    """A ``when`` entry explains a key only if the head tree meets the condition."""
    (tmp_path / "a.proto").write_text('syntax = "proto3";\npackage shop.v1;\n\nmessage Order {}\n')
    key = Key("PACKAGE_ENUM_NO_DELETE", "a.proto", 1, 1)
    only_ours, _, used = DIFFERENCES.apply({key}, set(), head=tmp_path)
    assert not only_ours and [e.rule for e in used] == ["PACKAGE_ENUM_NO_DELETE"]
    (tmp_path / "b.proto").write_text('syntax = "proto3";\npackage shop.v1;\n\nenum State {\n  STATE_UNSPECIFIED = 0;\n}\n')
    only_ours, _, _ = DIFFERENCES.apply({key}, set(), head=tmp_path)
    assert only_ours == {key}
