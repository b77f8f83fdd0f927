"""``--format json``: the versioned machine-readable report, shaped by ``json_models``.

Maintainers: this module only maps model objects to the pydantic models; the shape itself,
its version and its JSON Schema live in :mod:`schemacheck.report.json_models`, imported
lazily because pydantic is slow to import.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..model import CheckResult, Diagnostic, Finding, Location, Severity
from .base import TOOL_NAME, ReportContext, Reporter, base_location, count, json_safe, rule_doc_url, sorted_diagnostics, sorted_findings

if TYPE_CHECKING:
    from .json_models import JsonDiagnostic, JsonFinding, JsonLocation, JsonReport

__all__ = ["JsonReporter", "build_report"]


def _location(loc: Location | None) -> JsonLocation | None:
    from .json_models import JsonLocation

    if loc is None:
        return None
    # Clamp so that a parser's off-by-one can never make the report itself fail validation.
    return JsonLocation(path=loc.path, line=max(loc.line, 0), column=max(loc.column, 0),
                        end_line=max(loc.end_line, 0), end_column=max(loc.end_column, 0))


def _finding(f: Finding, ctx: ReportContext) -> JsonFinding:
    from .json_models import JsonFinding

    return JsonFinding(
        rule_id=f.rule_id,
        severity=f.severity.value,
        message=f.message,
        hint=f.hint,
        location=_location(f.location),
        base_location=_location(base_location(f, ctx)),
        format=f.format,
        subject=f.subject,
        help_uri=rule_doc_url(f.rule_id),
        related=f.related,
    )


def _diagnostic(d: Diagnostic) -> JsonDiagnostic:
    from .json_models import JsonDiagnostic

    return JsonDiagnostic(severity=d.severity.value, message=d.message, location=_location(d.location), tip=d.tip)


def build_report(result: CheckResult, ctx: ReportContext) -> JsonReport:
    """Map ``result`` to the version-1 report model.

    Args:
        result: Findings and diagnostics of one run.
        ctx: Supplies the tool version, labels and ``fail_on``.
    """
    from .json_models import JSON_OUTPUT_VERSION, JsonAccepted, JsonReport, JsonSummary, JsonTool

    counts = count(result, ctx.fail_on)
    base, head = ctx.labels(result)
    return JsonReport(
        version=JSON_OUTPUT_VERSION,
        tool=JsonTool(name=TOOL_NAME, version=ctx.tool_version),
        base=base,
        head=head,
        findings=[_finding(f, ctx) for f in sorted_findings(result.findings)],
        diagnostics=[_diagnostic(d) for d in sorted_diagnostics(result.diagnostics)],
        accepted=[JsonAccepted(finding=_finding(a.finding, ctx), reason=a.reason, directive=_location(a.directive))
                  for a in sorted(result.accepted, key=lambda a: a.finding.sort_key())],
        summary=JsonSummary(
            findings=counts.findings,
            errors=counts.by_severity[Severity.ERROR],
            warnings=counts.by_severity[Severity.WARNING],
            info=counts.by_severity[Severity.INFO],
            files_with_findings=counts.files,
            files_checked=result.files_checked,
            files_checked_by_format={c.format: c.files for c in result.compared},
            fail_on=ctx.fail_on.value,
            failing=counts.failing,
            diagnostic_errors=counts.diagnostic_errors,
            diagnostic_warnings=counts.diagnostic_warnings,
            diagnostic_notes=counts.diagnostic_notes,
            suppressed=result.suppressed,
        ),
    )


class JsonReporter(Reporter):
    """Versioned JSON document; see ``docs/json-output.md``."""

    name = "json"

    def render(self, result: CheckResult, ctx: ReportContext) -> str:
        return json_safe(build_report(result, ctx).model_dump_json(indent=2)) + "\n"
