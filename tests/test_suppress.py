"""Inline suppressions: the directive scanner, and the whole filter stage on real before/after trees."""

from __future__ import annotations

from pathlib import Path

import pytest

from schemacheck.config import Settings
from schemacheck.runner import CheckRequest, run_check
from schemacheck.snapshot import DirectorySnapshot
from schemacheck.suppress import SCANNER_BY_FORMAT, parse_directive

scan_proto = SCANNER_BY_FORMAT["protobuf"]
scan_python = SCANNER_BY_FORMAT["python"]


@pytest.mark.parametrize(("comment", "expected"), [
    ("// schemacheck:ignore FIELD_NO_DELETE -- migrated in PAY-12", (("FIELD_NO_DELETE",), "migrated in PAY-12")),
    ("// schemacheck:ignore FIELD_NO_DELETE, field_same_name: ok", (("FIELD_NO_DELETE", "FIELD_SAME_NAME"), "ok")),
    ("// schemacheck:ignore FIELD_NO_DELETE", (("FIELD_NO_DELETE",), "")),
    ("// schemacheck:ignore FIELD_NO_DELETE no readers left", (("FIELD_NO_DELETE",), "no readers left")),
    ("# schemacheck: ignore[FIELD_NO_DELETE,WIRE] -- batch job only", (("FIELD_NO_DELETE", "WIRE"), "batch job only")),
    ("// schemacheck is great, ignore it", None),
    ("// schemacheck:ignore", None),
])
def test_parse_directive(comment: str, expected) -> None:
    assert parse_directive(comment) == expected


def test_own_line_comment_covers_next_code_line_through_other_comments() -> None:
    text = (
        'syntax = "proto3";\n'                                           # 1
        "// schemacheck:ignore FIELD_NO_DELETE -- PAY-1\n"              # 2
        "// Orders placed by customers.\n"                               # 3
        "message Order {\n"                                              # 4
        '  string id = 1; /* schemacheck:ignore FIELD_SAME_NAME -- r */\n'  # 5
        "}\n"
    )
    first, second = scan_proto("api/order.proto", text)
    assert first.covers == (2, 4) and first.location.line == 2 and first.location.column == 4
    assert second.covers == (5,) and second.rule_ids == ("FIELD_SAME_NAME",) and second.reason == "r"


def test_directive_inside_string_or_after_blank_line() -> None:
    text = (
        'option go_package = "x // schemacheck:ignore FIELD_NO_DELETE -- no";\n'
        "// schemacheck:ignore FIELD_NO_DELETE -- blank line below\n"
        "\n"
        "message Order {}\n"
    )
    (only,) = scan_proto("a.proto", text)
    assert only.location.line == 2 and only.covers == (2,)


def test_block_comment_spanning_lines() -> None:
    text = "/* notes\n   schemacheck:ignore FIELD_NO_DELETE -- legacy\n*/\nmessage Order {}\n"
    (only,) = scan_proto("a.proto", text)
    assert only.location.line == 2 and only.covers == (2, 4)


def test_python_scanner() -> None:
    text = "class Order(BaseModel):\n    # schemacheck: ignore[FIELD_NO_DELETE] -- v2 API\n    total: int\n    s = '# schemacheck: ignore[X]'\n"
    (only,) = scan_python("models.py", text)
    assert only.covers == (2, 3)


# ---------------------------------------------------------------- end to end, real files

BEFORE = """syntax = "proto3";
package shop.v1;

message Order {
  string id = 1;
  int64 total_amount = 2;
  string note = 4;
}

message Refund {
  string id = 1;
  string reason = 2;
}
"""


def _check(tmp_path: Path, after: str, before: str = BEFORE, **settings) -> list:
    (tmp_path / "before").mkdir(exist_ok=True)
    (tmp_path / "after").mkdir(exist_ok=True)
    (tmp_path / "before" / "order.proto").write_text(before)
    (tmp_path / "after" / "order.proto").write_text(after)
    result = run_check(CheckRequest(DirectorySnapshot(tmp_path / "before", "before"),
                                    DirectorySnapshot(tmp_path / "after", "after"), Settings(**settings),
                                    formats=("protobuf",)))
    return sorted((f.rule_id, f.location.line if f.location else 0) for f in result.findings)


RENAMED = """syntax = "proto3";
package shop.v1;

message Order {
  string id = 1;
  // schemacheck:ignore FIELD_SAME_NAME, FIELD_SAME_JSON_NAME -- cents everywhere since PAY-7
  int64 total_cents = 2;
  string remark = 4; // schemacheck:ignore FIELD_SAME_NAME
}

message Refund {
  string id = 1;
  // schemacheck:ignore FIELD_SAME_NAME -- nothing to suppress here
  string reason = 2;
  string code = 3; // schemacheck:ignore FIELD_SAME_NAMES -- typo
}
"""


def test_suppressions_end_to_end(tmp_path: Path) -> None:
    got = _check(tmp_path, RENAMED, select=("FIELD_SAME_NAME", "FIELD_SAME_JSON_NAME", "SUPPRESSION_WITHOUT_REASON",
                                            "SUPPRESSION_UNUSED", "SUPPRESSION_UNKNOWN_RULE"))
    assert got == sorted([
        ("FIELD_SAME_JSON_NAME", 8),         # line 8 suppresses FIELD_SAME_NAME only
        ("SUPPRESSION_WITHOUT_REASON", 8),   # ... and gives no reason
        ("SUPPRESSION_UNUSED", 13),          # nothing changed on "reason"
        ("SUPPRESSION_UNKNOWN_RULE", 15),    # FIELD_SAME_NAMES is a typo
    ])


def test_without_suppressions_everything_is_reported(tmp_path: Path) -> None:
    plain = "\n".join(line.split("//")[0].rstrip() for line in RENAMED.splitlines()) + "\n"
    got = _check(tmp_path, plain, select=("FIELD_SAME_NAME", "FIELD_SAME_JSON_NAME"))
    assert got == [("FIELD_SAME_JSON_NAME", 7), ("FIELD_SAME_JSON_NAME", 8), ("FIELD_SAME_NAME", 7), ("FIELD_SAME_NAME", 8)]


def test_directive_already_in_base_is_not_reported_unused(tmp_path: Path) -> None:
    old = BEFORE.replace("  string reason = 2;", "  // schemacheck:ignore FIELD_SAME_NAME -- legacy\n  string reason = 2;")
    got = _check(tmp_path, old, before=old, select=("FIELD_SAME_NAME", "SUPPRESSION_UNUSED"))
    assert got == []  # unchanged file: nothing to check at all
    changed = old.replace("string note = 4;", "string note = 4;\n  bool paid = 5;")
    assert _check(tmp_path, changed, before=old, select=("FIELD_SAME_NAME", "SUPPRESSION_UNUSED")) == []


def test_unused_is_not_judged_when_its_rule_did_not_run(tmp_path: Path) -> None:
    after = BEFORE.replace("  string reason = 2;", "  // schemacheck:ignore FIELD_SAME_JSON_NAME -- x\n  string reason = 2;")
    assert _check(tmp_path, after, select=("FIELD_SAME_NAME", "SUPPRESSION_UNUSED")) == []
    assert _check(tmp_path, after, select=("FIELD_SAME_JSON_NAME", "SUPPRESSION_UNUSED")) == [("SUPPRESSION_UNUSED", 12)]


def test_deletion_is_suppressed_on_the_enclosing_message(tmp_path: Path) -> None:
    from schemacheck.registry import load_rules

    if "FIELD_NO_DELETE" not in load_rules().rules:
        pytest.skip("FIELD_NO_DELETE not implemented yet")
    after = BEFORE.replace("  string note = 4;\n", "").replace(
        "message Order {", "// schemacheck:ignore FIELD_NO_DELETE -- notes moved to OrderNote (PAY-9)\nmessage Order {")
    assert _check(tmp_path, after, select=("FIELD_NO_DELETE", "SUPPRESSION_UNUSED")) == []
    unsuppressed = BEFORE.replace("  string note = 4;\n", "")
    assert _check(tmp_path, unsuppressed, select=("FIELD_NO_DELETE",)) == [("FIELD_NO_DELETE", 4)]


def test_meta_rules_are_off_when_deselected(tmp_path: Path) -> None:
    got = _check(tmp_path, RENAMED, select=("FIELD_SAME_NAME",))
    assert got == []


def test_directive_of_a_renamed_file_is_found_in_its_old_version(tmp_path: Path) -> None:
    """A file git saw as renamed keeps its old directives: they are not new, so not judged unused."""
    old = BEFORE.replace("  string reason = 2;", "  // schemacheck:ignore FIELD_SAME_NAME -- legacy\n  string reason = 2;")
    new = old.replace("string note = 4;", "string note = 4;\n  bool paid = 5;")
    (tmp_path / "before").mkdir()
    (tmp_path / "after").mkdir()
    (tmp_path / "before" / "order.proto").write_text(old)
    (tmp_path / "after" / "orders.proto").write_text(new)

    def run(renames: dict[str, str]) -> list:
        result = run_check(CheckRequest(DirectorySnapshot(tmp_path / "before"), DirectorySnapshot(tmp_path / "after"),
                                        Settings(select=("FIELD_SAME_NAME", "SUPPRESSION_UNUSED")),
                                        renames=renames, formats=("protobuf",)))
        return [f.rule_id for f in result.findings]

    assert run({}) == ["SUPPRESSION_UNUSED"]
    assert run({"order.proto": "orders.proto"}) == []


def test_suppressed_findings_are_counted_in_the_result(tmp_path: Path) -> None:
    after = BEFORE.replace("int64 total_amount = 2;",
                           "// schemacheck:ignore FIELD_SAME_NAME, FIELD_SAME_JSON_NAME -- PAY-7\n  int64 total_cents = 2;")
    assert after != BEFORE
    (tmp_path / "before").mkdir()
    (tmp_path / "after").mkdir()
    (tmp_path / "before" / "order.proto").write_text(BEFORE)
    (tmp_path / "after" / "order.proto").write_text(after)
    result = run_check(CheckRequest(DirectorySnapshot(tmp_path / "before"), DirectorySnapshot(tmp_path / "after"),
                                    Settings(), formats=("protobuf",)))
    assert result.findings == ()
    assert result.suppressed == 2


def test_directives_of_a_file_that_does_not_parse_are_not_judged(tmp_path: Path, capsys) -> None:
    """A parse error hides the file's findings: its directives cannot be called unused."""
    from schemacheck.cli import main

    old, new = tmp_path / "old", tmp_path / "new"
    old.mkdir(), new.mkdir()
    (old / "m.proto").write_text('syntax = "proto3";\npackage a;\nmessage M {\n  string id = 1;\n  string name = 2;\n}\n')
    (new / "m.proto").write_text('syntax = "proto3";\npackage a;\nmessage M {\n  string id = 1;\n'
                                 '  // schemacheck:ignore FIELD_NO_DELETE -- going away\n  strin name = 2\n}\n')
    code = main(["--color", "never", str(new), "--against", str(old), "--format", "json"])
    report = __import__("json").loads(capsys.readouterr().out)
    assert code == 2
    assert report["diagnostics"] and not report["findings"]


def test_verbose_text_report_lists_the_accepted_findings(tmp_path: Path, capsys) -> None:
    from schemacheck.cli import main

    old, new = tmp_path / "old", tmp_path / "new"
    old.mkdir(), new.mkdir()
    (old / "m.proto").write_text('syntax = "proto3";\npackage a;\nmessage M {\n  string id = 1;\n  int64 total = 2;\n}\n')
    (new / "m.proto").write_text('syntax = "proto3";\npackage a;\nmessage M {\n  string id = 1;\n'
                                 '  // schemacheck:ignore FIELD_SAME_TYPE -- no client reads it yet\n  string total = 2;\n}\n')
    for verbose in (False, True):
        code = main(["--color", "never", str(new), "--against", str(old), *(["-v"] if verbose else [])])
        out = capsys.readouterr().out
        assert code == 0 and "1 finding accepted" in out
        listed = [line for line in out.splitlines() if "FIELD_SAME_TYPE" in line]
        assert bool(listed) is verbose, out
    assert "m.proto:6:" in listed[0]
    assert "no client reads it yet" in out and "m.proto:5:" in out.split(listed[0], 1)[1]
