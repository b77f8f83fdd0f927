"""JSON output: shape, validation against the generated schema, freshness of docs/json-output.schema.json."""

from __future__ import annotations

import json

import jsonschema
import pytest

from schemacheck.model import CheckResult, Severity
from schemacheck.report import JsonReporter
from schemacheck.report.json_models import json_output_schema, schema_text

from test_report_support import DELETED_FILE, RENAMED, many_findings, sample_context, sample_result
from tools import REPO_ROOT

SCHEMA_FILE = REPO_ROOT / "docs" / "json-output.schema.json"


def render(result: CheckResult, **ctx: object) -> dict:
    return json.loads(JsonReporter().render(result, sample_context(**ctx)))


def validate(doc: dict) -> None:
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker()).validate(doc)


def test_committed_schema_is_fresh() -> None:
    assert SCHEMA_FILE.read_text(encoding="utf-8") == schema_text(), (
        "docs/json-output.schema.json is stale: run "
        "`python -m schemacheck.report.json_models docs/json-output.schema.json` and commit it"
    )


@pytest.mark.parametrize("result", [CheckResult(), sample_result(), many_findings(3, 2, 1)], ids=["empty", "sample", "many"])
def test_output_validates_against_schema(result: CheckResult) -> None:
    validate(render(result))


def test_schema_rejects_wrong_documents() -> None:
    doc = render(sample_result())
    for broken in (
        {**doc, "version": 2},
        {**doc, "extra": True},
        {**doc, "findings": [{**doc["findings"][0], "severity": "fatal"}]},
        {k: v for k, v in doc.items() if k != "summary"},
    ):
        with pytest.raises(jsonschema.ValidationError):
            validate(broken)


def test_header_and_summary() -> None:
    doc = render(sample_result())
    assert doc["version"] == 1
    assert doc["tool"] == {"name": "schemacheck", "version": "1.2.3"}
    assert (doc["base"], doc["head"]) == ("origin/main", "work tree")
    assert doc["summary"] == {
        "findings": 5,
        "errors": 3,
        "warnings": 1,
        "info": 1,
        "files_with_findings": 3,
        "files_checked": 4,
        "fail_on": "error",
        "failing": 3,
        "diagnostic_errors": 1,
        "diagnostic_warnings": 1,
        "diagnostic_notes": 0,
        "suppressed": 0,
        "files_checked_by_format": {},  # a hand-made result does not say; a run lists every format
    }
    assert render(sample_result(), fail_on=Severity.WARNING)["summary"]["failing"] == 4
    assert render(sample_result(), base_label="v1.0")["base"] == "v1.0"


def test_finding_fields() -> None:
    doc = render(CheckResult(findings=(RENAMED, DELETED_FILE)))
    deleted, renamed = doc["findings"]  # sorted by path: legacy.proto < order.proto
    assert renamed == {
        "rule_id": "FIELD_SAME_NAME",
        "severity": "error",
        "message": RENAMED.message,
        "hint": RENAMED.hint,
        "location": {"path": "protos/shop/order.proto", "line": 6, "column": 9, "end_line": 6, "end_column": 20},
        "base_location": {"path": "protos/shop/order.proto", "line": 6, "column": 9, "end_line": 6, "end_column": 21},
        "format": "protobuf",
        "subject": "shop.v1.Order.total_amount",
        "help_uri": "https://github.com/schemacheck/schemacheck/blob/main/rules/FIELD_SAME_NAME.md",
        "related": "",
    }
    assert deleted["location"] is None
    assert deleted["base_location"]["path"] == "protos/shop/legacy.proto"


def test_diagnostics_errors_first_and_unicode_kept() -> None:
    text = JsonReporter().render(sample_result(), sample_context())
    doc = json.loads(text)
    assert [d["severity"] for d in doc["diagnostics"]] == ["error", "warning"]
    assert doc["diagnostics"][0]["location"] == {"path": "protos/shop/broken.proto", "line": 3, "column": 17, "end_line": 0, "end_column": 0}
    assert doc["diagnostics"][1]["location"] is None
    assert text.endswith("}\n")


def test_schema_documents_every_field() -> None:
    schema = json_output_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    finding = schema["$defs"]["JsonFinding"]
    assert finding["additionalProperties"] is False
    assert all("description" in prop for prop in finding["properties"].values())


def test_docs_mention_every_top_level_and_finding_field() -> None:
    doc = (REPO_ROOT / "docs" / "json-output.md").read_text(encoding="utf-8")
    schema = json_output_schema()
    for name in [*schema["properties"], *schema["$defs"]["JsonFinding"]["properties"], *schema["$defs"]["JsonSummary"]["properties"]]:
        assert f"`{name}`" in doc, f"docs/json-output.md does not document `{name}`"


def test_negative_positions_from_a_buggy_parser_still_validate() -> None:
    from schemacheck.model import Finding, Location

    bad = Finding("X", Severity.ERROR, "m.", Location("a.proto", -1, -1, -1, -1))
    doc = render(CheckResult(findings=(bad,)))
    validate(doc)
    assert doc["findings"][0]["location"]["line"] == 0
