"""``--format junit``: JUnit XML for CI systems that show test reports (GitLab, Jenkins, Azure).

Maintainers: one ``<testcase>`` per schema file the run compared (``CheckResult.files``), named
by its repository-relative path, ``classname`` ``schemacheck.<format>``. A finding at or above
``fail_on`` is a ``<failure>`` of its file's test case (``type`` = rule ID); findings below it,
and findings accepted by inline directives, are listed in ``<system-out>`` without failing. An
input error is an ``<error>`` (on its file's case, else on a ``schemacheck`` case). A run that
compared nothing is one ``<skipped>`` case, never an empty, green report. The shape follows the
Ant/Jenkins JUnit XML format (validated in tests against ``tests/schemas/junit.xsd``, written
from the Jenkins xunit-plugin's ``junit-10.xsd``). Text is passed through ``base.visible`` so
that control characters, which XML 1.0 cannot carry, show as ``\\xNN``.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import defaultdict

from ..model import CheckResult, Diagnostic, Finding, Severity
from .base import TOOL_NAME, ReportContext, Reporter, base_location, sorted_diagnostics, sorted_findings, visible
from .text import summary_line

__all__ = ["JunitReporter"]


def _finding_text(finding: Finding, ctx: ReportContext) -> str:
    base_loc = base_location(finding, ctx)
    where = finding.location or base_loc
    lines = [f"{where or finding.path}  {finding.rule_id}  {finding.severity.value}", finding.message]
    if base_loc is not None and finding.location is not None:
        lines.append(f"{finding.related}: {base_loc}" if finding.related else f"was at base {base_loc}")
    if finding.hint:
        lines.append(f"fix: {finding.hint}")
    return visible("\n".join(lines))


def _diagnostic_text(diagnostic: Diagnostic) -> str:
    where = f"{diagnostic.location}: " if diagnostic.location is not None else ""
    tip = f"\ntip: {diagnostic.tip}" if diagnostic.tip else ""
    return visible(f"{where}{diagnostic.message}{tip}")


class JunitReporter(Reporter):
    """One test case per compared schema file; breaking changes are failures."""

    name = "junit"

    def render(self, result: CheckResult, ctx: ReportContext) -> str:
        cases: dict[str, str] = {f.path: f.format for f in result.files if f.status == "compared"}
        failing: dict[str, list[Finding]] = defaultdict(list)
        notes: dict[str, list[str]] = defaultdict(list)
        for finding in sorted_findings(result.findings):
            cases.setdefault(finding.path, finding.format)
            if ctx.failing(finding):
                failing[finding.path].append(finding)
            else:
                notes[finding.path].append(f"below --fail-on {ctx.fail_on.value}: {_finding_text(finding, ctx)}")
        for accepted in result.accepted:
            path = accepted.finding.path
            if path in cases:
                reason = f" ({accepted.reason})" if accepted.reason else ""
                notes[path].append(f"accepted by {accepted.directive}{reason}: {_finding_text(accepted.finding, ctx)}")
        errors: dict[str, list[Diagnostic]] = defaultdict(list)
        for diagnostic in sorted_diagnostics(result.diagnostics):
            path = diagnostic.location.path if diagnostic.location is not None else ""
            if diagnostic.severity is Severity.ERROR:
                errors[path if path in cases else ""].append(diagnostic)
            elif path in cases:
                notes[path].append(f"{diagnostic.severity.value}: {_diagnostic_text(diagnostic)}")
        suite = ET.Element("testsuite", name=TOOL_NAME)
        base, head = ctx.labels(result)
        props = ET.SubElement(suite, "properties")
        for key, value in (("base", base), ("head", head), ("fail-on", ctx.fail_on.value)):
            ET.SubElement(props, "property", name=key, value=visible(value))
        counts = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
        for path in sorted(cases):
            self._case(suite, path, f"{TOOL_NAME}.{cases[path] or 'schema'}", failing[path], errors[path], notes[path],
                       counts, ctx)
        if errors[""] or not cases:  # input errors without a file, or nothing compared: say so
            case = ET.SubElement(suite, "testcase", name=TOOL_NAME, classname=TOOL_NAME, time="0")
            counts["tests"] += 1
            for diagnostic in errors[""]:
                ET.SubElement(case, "error", type="input error", message=visible(diagnostic.message)).text = \
                    _diagnostic_text(diagnostic)
            counts["errors"] += bool(errors[""])
            if not cases and not errors[""]:
                ET.SubElement(case, "skipped", message=visible(summary_line(result, ctx)))
                counts["skipped"] += 1
        for key, value in counts.items():
            suite.set(key, str(value))
        suite.set("time", "0")
        root = ET.Element("testsuites", name=TOOL_NAME, tests=str(counts["tests"]),
                          failures=str(counts["failures"]), errors=str(counts["errors"]), time="0")
        root.append(suite)
        ET.SubElement(suite, "system-out").text = visible(summary_line(result, ctx))
        ET.indent(root)
        return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"

    @staticmethod
    def _case(suite: ET.Element, path: str, classname: str, failing: list[Finding], errors: list[Diagnostic],
              notes: list[str], counts: dict[str, int], ctx: ReportContext) -> None:
        case = ET.SubElement(suite, "testcase", name=visible(path), classname=classname, time="0")
        counts["tests"] += 1
        for finding in failing:
            ET.SubElement(case, "failure", type=finding.rule_id, message=visible(finding.message)).text = \
                _finding_text(finding, ctx)
        for diagnostic in errors:
            ET.SubElement(case, "error", type="input error", message=visible(diagnostic.message)).text = \
                _diagnostic_text(diagnostic)
        counts["errors"] += bool(errors)  # counts are of test cases, as JUnit counts them
        counts["failures"] += bool(failing) and not errors
        if notes:
            ET.SubElement(case, "system-out").text = "\n\n".join(notes)
