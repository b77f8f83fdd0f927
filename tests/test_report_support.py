"""Sample results shared by the reporter tests (no tests here).

The rules are built as RuleSpec objects and handed to reporters through
``ReportContext.rules``, so the global REGISTRY is never touched; where a real registered rule
exists (FIELD_SAME_NAME) the tests use it too.
"""

from __future__ import annotations

from schemacheck.model import CheckResult, Diagnostic, Finding, Location, Severity
from schemacheck.registry import RuleSpec, load_rules
from schemacheck.report import ReportContext, lines_from_texts

LOCAL_DOC = """Flags a field whose type changed in a way that changes its encoding.

## What it does
Pairs fields by number and compares their types.

## Why is this breaking?
Readers decode the bytes with the old type and get garbage, or fail.

## Example
```proto
int64 total = 1;   // before
string total = 1;  // after
```

## How to change this safely
Add a field with a new number and deprecate the old one; reserve its number when removed.
"""


def _spec(rule_id: str, severity: Severity, summary: str) -> RuleSpec:
    return RuleSpec(
        id=rule_id,
        format="protobuf",
        subject="field",
        categories=("FILE", "PACKAGE", "WIRE_JSON", "WIRE"),
        severity=severity,
        summary=summary,
        doc=LOCAL_DOC.replace(LOCAL_DOC.splitlines()[0], summary),
        handler=lambda *args: (),
    )


LOCAL_RULES: dict[str, RuleSpec] = {
    "TEST_FIELD_SAME_TYPE": _spec("TEST_FIELD_SAME_TYPE", Severity.ERROR, "Flags a field whose type changed."),
    "TEST_FILE_NO_DELETE": _spec("TEST_FILE_NO_DELETE", Severity.ERROR, "Flags a deleted schema file."),
    "TEST_FIELD_DEPRECATED": _spec("TEST_FIELD_DEPRECATED", Severity.WARNING, "Flags a field marked deprecated."),
}


def lookup(rule_id: str) -> RuleSpec | None:
    """Local rules first, then the real registry."""
    return LOCAL_RULES.get(rule_id) or load_rules().get(rule_id)


ORDER_PROTO = (
    'syntax = "proto3";\n'
    "package shop.v1;\n"
    "\n"
    "message Order {\n"
    '  string id = 1;\n'
    "  int64 total_cents = 2;\n"
    "\tstring remark = 4; // 備考 note\n"
    "  repeated string tags = 5 [\n"
    "    deprecated = true];\n"
    "}\n"
)
HEAD_TEXTS = {"protos/shop/order.proto": ORDER_PROTO, "schemas/a b#%.proto": "message X {}\n"}

RENAMED = Finding(
    rule_id="FIELD_SAME_NAME",
    severity=Severity.ERROR,
    message='Field 2 "total_amount" on message "shop.v1.Order" was renamed to "total_cents".',
    location=Location("protos/shop/order.proto", 6, 9, 6, 20),
    base_location=Location("protos/shop/order.proto", 6, 9, 6, 21),
    hint="Keep the old name; add a new field with a new number instead.",
    format="protobuf",
    subject="shop.v1.Order.total_amount",
)
TYPE_CHANGED = Finding(
    rule_id="TEST_FIELD_SAME_TYPE",
    severity=Severity.ERROR,
    message='Field 4 "remark" changed type from "int32" to "string": 100% of readers, see a,b:c.\nSecond line.',
    location=Location("protos/shop/order.proto", 7, 2, 7, 8),
    base_location=Location("protos/shop/order.proto", 7, 3, 7, 8),
    hint="Add a new field.\nThen migrate readers.",
    format="protobuf",
    subject="shop.v1.Order.remark",
)
MULTILINE = Finding(
    rule_id="TEST_FIELD_DEPRECATED",
    severity=Severity.WARNING,
    message='Field 5 "tags" on message "shop.v1.Order" was marked deprecated.',
    location=Location("protos/shop/order.proto", 8, 3, 9, 22),
    format="protobuf",
    subject="shop.v1.Order.tags",
)
DELETED_FILE = Finding(
    rule_id="TEST_FILE_NO_DELETE",
    severity=Severity.ERROR,
    message='File "protos/shop/legacy.proto" was deleted.',
    location=None,
    base_location=Location("protos/shop/legacy.proto", 0),
    hint="Deprecate its types first.",
    format="protobuf",
    subject="protos/shop/legacy.proto",
)
ODD_PATH = Finding(
    rule_id="TEST_FIELD_SAME_TYPE",
    severity=Severity.INFO,
    message="Whole-file finding in an oddly named file <b>|`x`|</b>.",
    location=Location("schemas/a b#%.proto", 0),
    format="protobuf",
    subject="X",
)
PARSE_ERROR = Diagnostic(
    message='expected ";" after field, found "}"',
    location=Location("protos/shop/broken.proto", 3, 17),
    tip="Add the missing semicolon.",
)
REF_WARNING = Diagnostic(message="Unresolved $ref 'common.json#/Money'; skipped.", severity=Severity.WARNING)


def sample_result() -> CheckResult:
    """Every edge case at once: multi-line messages, deleted file, whole-file, diagnostics."""
    return CheckResult(
        findings=(MULTILINE, DELETED_FILE, TYPE_CHANGED, ODD_PATH, RENAMED),
        diagnostics=(REF_WARNING, PARSE_ERROR),
        files_checked=4,
        base_label="origin/main",
        head_label="work tree",
    )


def sample_context(**changes: object) -> ReportContext:
    """A context with head source lines and the test rule lookup."""
    settings: dict[str, object] = {"source_line": lines_from_texts(HEAD_TEXTS), "rules": lookup, "tool_version": "1.2.3"}
    return ReportContext(**{**settings, **changes})  # type: ignore[arg-type]


def many_findings(n_errors: int, n_warnings: int, n_info: int) -> CheckResult:
    """A result with many findings of each severity, in one file."""
    findings = []
    for sev, n in ((Severity.ERROR, n_errors), (Severity.WARNING, n_warnings), (Severity.INFO, n_info)):
        for i in range(n):
            findings.append(
                Finding(
                    rule_id="TEST_FIELD_SAME_TYPE",
                    severity=sev,
                    message=f"Field {i} changed ({sev.value}).",
                    location=Location("protos/big.proto", i + 1, 1, i + 1, 5),
                    subject=f"big.M.f{sev.value}{i}",
                )
            )
    return CheckResult(findings=tuple(findings), files_checked=1)
