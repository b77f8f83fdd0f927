"""The pydantic models that define ``--format json`` (version 1) and its JSON Schema.

Maintainers: these models are the contract. Adding an optional field is compatible;
renaming, removing or retyping a field needs ``JSON_OUTPUT_VERSION`` bumped and a note in
``docs/json-output.md``. After any change regenerate the committed schema with
``python -m schemacheck.report.json_models docs/json-output.schema.json`` (a test fails
while it is stale). pydantic is imported by this module, so import it lazily.
"""

from __future__ import annotations

import json
import sys
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "JSON_OUTPUT_VERSION",
    "SCHEMA_ID",
    "JsonLocation",
    "JsonFinding",
    "JsonDiagnostic",
    "JsonAccepted",
    "JsonSummary",
    "JsonTool",
    "JsonReport",
    "json_output_schema",
    "schema_text",
]

#: Bumped on every incompatible change of the output shape.
JSON_OUTPUT_VERSION = 1
#: ``$id`` of the generated schema.
SCHEMA_ID = "https://github.com/schemacheck/schemacheck/blob/main/docs/json-output.schema.json"

SeverityName = Literal["error", "warning", "info"]


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class JsonLocation(_Model):
    """A span in one file: 1-based lines and columns, ``end_column`` exclusive; line 0 = whole file."""

    path: str = Field(description="Repository-relative POSIX path.")
    line: int = Field(ge=0, description="1-based start line; 0 when the location is the whole file.")
    column: int = Field(ge=0, description="1-based start column in Unicode code points; 0 when unknown.")
    end_line: int = Field(ge=0, description="1-based end line; 0 when unknown.")
    end_column: int = Field(ge=0, description="Column just after the last character; 0 when unknown.")


class JsonFinding(_Model):
    """One breaking (or suspicious) change."""

    rule_id: str = Field(description="Stable rule ID, e.g. FIELD_SAME_TYPE.")
    severity: SeverityName = Field(description="Effective severity after configuration.")
    message: str = Field(description="One past-tense sentence: what broke and for whom.")
    hint: str = Field(description="How to change this safely; may be empty.")
    location: JsonLocation | None = Field(description="Where it is in the head version; null when nothing survives there (deleted file).")
    base_location: JsonLocation | None = Field(description="Where the element was in the base version; null when it did not exist.")
    format: str = Field(description="Schema format: protobuf, jsonschema, openapi, python, ...")
    subject: str = Field(description="Stable name of the element, e.g. pkg.Order.total_amount.")
    help_uri: str = Field(description="URL of the rule's documentation.")
    related: str = Field(default="", description="Empty: base_location is the element in the base revision. "
                                                 "Otherwise what base_location is instead, a place in the head "
                                                 "revision (\"producer\": the other side of a consumer contract).")


class JsonAccepted(_Model):
    """A finding an inline ``schemacheck:ignore`` directive accepted (it does not fail the run)."""

    finding: JsonFinding
    reason: str = Field(description="The directive's justification; empty when it gives none.")
    directive: JsonLocation = Field(description="Where the directive is.")


class JsonDiagnostic(_Model):
    """A problem with the input rather than a breaking change (unparseable file, unresolved ref)."""

    severity: SeverityName = Field(description="error diagnostics make the run exit 2.")
    message: str
    location: JsonLocation | None
    tip: str = Field(description="How to fix it; may be empty.")


class JsonSummary(_Model):
    """Counts over the whole run."""

    findings: int = Field(ge=0, description="Number of findings.")
    errors: int = Field(ge=0, description="Findings of severity error.")
    warnings: int = Field(ge=0, description="Findings of severity warning.")
    info: int = Field(ge=0, description="Findings of severity info.")
    files_with_findings: int = Field(ge=0)
    files_checked: int = Field(ge=0, description="Schema files compared between base and head.")
    files_checked_by_format: dict[str, Annotated[int, Field(ge=0)]] = Field(
        default_factory=dict,
        description="Schema files compared per format (protobuf, jsonschema, ...): every format that ran, "
                    "zeros included; they add up to files_checked.")
    fail_on: SeverityName = Field(description="Lowest severity that fails the run.")
    failing: int = Field(ge=0, description="Findings at or above fail_on.")
    diagnostic_errors: int = Field(ge=0)
    diagnostic_warnings: int = Field(ge=0, description="Input warnings: something was skipped or may be wrong.")
    diagnostic_notes: int = Field(default=0, ge=0, description="Input notes (severity info): said for the record, "
                                                               "nothing skipped.")
    suppressed: int = Field(default=0, ge=0, description="Findings accepted by inline schemacheck:ignore directives "
                                                          "(listed in accepted).")


class JsonTool(_Model):
    """The program that wrote the report."""

    name: Literal["schemacheck"]
    version: str


class JsonReport(_Model):
    """The whole ``schemacheck --format json`` document."""

    model_config = ConfigDict(frozen=True, extra="forbid", title="schemacheck JSON report")

    version: Literal[1] = Field(description="Version of this output format; bumped on incompatible changes.")
    tool: JsonTool
    base: str = Field(description="Label of the base revision (e.g. origin/main); may be empty.")
    head: str = Field(description="Label of the head revision (e.g. work tree); may be empty.")
    findings: list[JsonFinding] = Field(description="Sorted by path, line, column, rule ID.")
    diagnostics: list[JsonDiagnostic] = Field(description="Errors first.")
    accepted: list[JsonAccepted] = Field(default_factory=list, description="Findings accepted by inline "
                                         "schemacheck:ignore directives, with the directive's reason; sorted like findings.")
    summary: JsonSummary


def json_output_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of the JSON report, as committed in ``docs/``."""
    schema = JsonReport.model_json_schema(mode="serialization")
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": SCHEMA_ID, **schema}


def schema_text() -> str:
    """The committed file's exact text: sorted keys, two-space indent, final newline."""
    return json.dumps(json_output_schema(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


if __name__ == "__main__":  # pragma: no cover - maintenance entry point
    if len(sys.argv) > 1:
        with open(sys.argv[1], "w", encoding="utf-8", newline="\n") as fh:
            fh.write(schema_text())
    else:
        sys.stdout.write(schema_text())
