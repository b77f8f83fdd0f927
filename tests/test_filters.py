"""The filter stage: buf.yaml ignores on deletions, unstable packages, severity overrides — checked on
real trees, and against real buf where buf has the same feature."""

from __future__ import annotations

from pathlib import Path

import pytest

from bufrun import Key, format_diff, key_of, run_buf
from schemacheck.config import Settings
from schemacheck.compat.protobuf.buffilter import is_unstable_package, package_of_text
from schemacheck.model import Severity
from schemacheck.registry import load_rules
from schemacheck.runner import CheckRequest, run_check
from schemacheck.snapshot import DirectorySnapshot
from tools import buf_path, require

REGISTRY = load_rules()


@pytest.mark.parametrize(("package", "unstable"), [
    ("shop.v1alpha1", True), ("shop.v1beta", True), ("shop.v2beta3", True), ("shop.v1p1alpha2", True),
    ("shop.v1test", True), ("shop.v1testing", True), ("v1alpha1", True),
    ("shop.v1", False), ("shop.v1.alpha", False), ("shop.alpha1", False), ("shop.v1gamma1", False),
    ("shop.v1alpha1.orders", False), ("", False),
])
def test_unstable_package_names(package: str, unstable: bool) -> None:
    assert is_unstable_package(package) is unstable


def test_package_of_text() -> None:
    assert package_of_text(b'syntax = "proto3";\n// package fake;\n  package  shop.v1 ;\n') == "shop.v1"
    assert package_of_text(b'syntax = "proto3";\n') == ""


def _tree(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return root


def _ours(base: Path, head: Path, **settings) -> set[Key]:
    result = run_check(CheckRequest(DirectorySnapshot(base), DirectorySnapshot(head), Settings(**settings),
                                    formats=("protobuf",)))
    assert not [d for d in result.diagnostics if d.severity.value == "error"], result.diagnostics
    return {key_of(f) for f in result.findings}


def _buf(base: Path, head: Path) -> set[Key]:
    """buf's findings with the trees' own buf.yaml, limited to the rules we implement."""
    theirs = run_buf(require(buf_path(), "buf"), base, head)
    assert not theirs.compile_errors, theirs.compile_errors
    return {k for k in theirs.keys if k.rule in REGISTRY.rules}


ORDER = 'syntax = "proto3";\npackage shop.v1;\n\nmessage Order {\n  string id = 1;\n  string note = 2;\n}\n'
DRAFT_A = 'syntax = "proto3";\npackage shop.v1beta1;\n\nmessage Draft {\n  string id = 1;\n}\n'
DRAFT_B = 'syntax = "proto3";\npackage shop.v1beta1;\n\nmessage DraftLine {\n  string id = 1;\n}\nenum DraftState { DRAFT_STATE_UNSPECIFIED = 0; }\n'
OLD = 'syntax = "proto3";\npackage legacy;\n\nmessage Receipt {\n  string id = 1;\n}\n'


def test_deleted_file_under_ignored_dir_is_not_reported(tmp_path: Path) -> None:
    """buf issue #37: ignore must also look at the base location, or deletions leak through."""
    config = "version: v2\nbreaking:\n  use: [FILE, PACKAGE]\n  ignore: [legacy]\n"
    base = _tree(tmp_path / "base", {"buf.yaml": config, "shop/v1/order.proto": ORDER, "legacy/receipt.proto": OLD})
    head = _tree(tmp_path / "head", {"buf.yaml": config, "shop/v1/order.proto": ORDER.replace("  string note = 2;\n", "")})
    ours = _ours(base, head)
    theirs = _buf(base, head)
    assert ours == theirs, format_diff("deleted ignored file", ours - theirs, theirs - ours)
    assert {k.rule for k in ours} >= {"FIELD_NO_DELETE"}
    # Without the ignore, the deletion is reported (so the filter is what removed it).
    plain = "version: v2\nbreaking:\n  use: [FILE, PACKAGE]\n"
    (base / "buf.yaml").write_text(plain)
    (head / "buf.yaml").write_text(plain)
    assert "FILE_NO_DELETE" in {k.rule for k in _ours(base, head)}


def test_partially_deleted_unstable_package_is_ignored(tmp_path: Path) -> None:
    """buf issue #412: a file of an unstable package deleted, the package still exists."""
    config = "version: v2\nbreaking:\n  use: [FILE, PACKAGE]\n  ignore_unstable_packages: true\n"
    base = _tree(tmp_path / "base", {"buf.yaml": config, "shop/v1/order.proto": ORDER,
                                     "shop/v1beta1/draft.proto": DRAFT_A, "shop/v1beta1/line.proto": DRAFT_B})
    head = _tree(tmp_path / "head", {"buf.yaml": config, "shop/v1/order.proto": ORDER.replace("  string note = 2;\n", ""),
                                     "shop/v1beta1/draft.proto": DRAFT_A.replace("  string id = 1;\n", "")})
    ours = _ours(base, head)
    theirs = _buf(base, head)
    assert ours == theirs, format_diff("unstable package", ours - theirs, theirs - ours)
    assert all(k.path in ("shop/v1/order.proto", "") for k in ours), ours
    unfiltered = _ours(base, head, select=("FILE", "PACKAGE"), protobuf={"use_buf_yaml": False})
    assert {k.path for k in unfiltered} >= {"shop/v1beta1/draft.proto"}


def test_ignore_only_by_category(tmp_path: Path) -> None:
    config = "version: v2\nbreaking:\n  use: [FILE]\n  ignore_only:\n    WIRE_JSON: [shop]\n"
    base = _tree(tmp_path / "base", {"buf.yaml": config, "shop/v1/order.proto": ORDER})
    renamed = ORDER.replace("string note = 2;", "string remark = 2;\n  int64 total = 3;")
    head = _tree(tmp_path / "head", {"buf.yaml": config, "shop/v1/order.proto": renamed})
    ours = _ours(base, head)
    theirs = _buf(base, head)
    assert ours == theirs, format_diff("ignore_only category", ours - theirs, theirs - ours)
    assert "FIELD_SAME_NAME" not in {k.rule for k in ours}


def test_severity_override_applies_after_filters(tmp_path: Path) -> None:
    base = _tree(tmp_path / "base", {"order.proto": ORDER})
    head = _tree(tmp_path / "head", {"order.proto": ORDER.replace("string note = 2;", "string remark = 2;")})
    result = run_check(CheckRequest(DirectorySnapshot(base), DirectorySnapshot(head),
                                    Settings(select=("FIELD_SAME_NAME",), severity={"FIELD_SAME_NAME": "warning"})))
    assert [(f.rule_id, f.severity) for f in result.findings] == [("FIELD_SAME_NAME", Severity.WARNING)]
