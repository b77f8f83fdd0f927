"""``--format markdown``: a job summary for ``$GITHUB_STEP_SUMMARY`` (GitHub-flavoured Markdown).

Maintainers: a heading with the verdict, one table row per finding (severity, rule linked to
its page, location, message, fix), then input problems. Cell text is escaped for tables
(``|``, newlines, ``$`` which starts GitHub math) and for inline HTML (``<``, ``>``, ``&``), backticks inside code spans
are avoided, and control characters show as ``\\xNN`` (``base.visible``). GitHub rejects a step summary above 1024 KiB, so rows stop at ``MAX_BYTES`` with a
line saying how many were left out.
"""

from __future__ import annotations

from ..model import CheckResult, Diagnostic, Finding
from .base import (TOOL_NAME, ReportContext, Reporter, count, plural, rule_doc_url, sorted_diagnostics, sorted_findings,
                   visible)
from .text import summary_line

__all__ = ["MarkdownReporter", "MAX_BYTES", "escape_cell"]

#: Stay well under GitHub's 1024 KiB step-summary limit.
MAX_BYTES = 1000 * 1024

_ICON = {"error": ":x:", "warning": ":warning:", "info": ":information_source:"}


def escape_cell(text: str) -> str:
    """Make ``text`` safe inside one Markdown table cell (control characters shown as ``\\xNN``)."""
    text = visible(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = text.replace("\\", "\\\\").replace("|", "\\|").replace("`", "\\`").replace("$", "\\$")
    return "<br>".join(line.strip() for line in text.strip().splitlines())


def _code(text: str) -> str:
    """An inline code span that survives backticks and pipes in ``text``."""
    text = visible(text).replace("|", "\\|").replace("`", "'")
    return f"`{text}`" if text else ""


def _row(finding: Finding, base_label: str) -> str:
    where = _code(str(finding.location)) if finding.location is not None else f"{_code(finding.path)} (deleted)"
    if finding.base_location is not None:
        label = f" in {escape_cell(base_label)}" if base_label else ""
        where += (f"<br>{escape_cell(finding.related)}: {_code(str(finding.base_location))}" if finding.related
                  else f"<br>was {_code(str(finding.base_location))}{label}")
    rule = f"[`{finding.rule_id}`]({rule_doc_url(finding.rule_id)})"
    sev = finding.severity.value
    return f"| {_ICON[sev]} {sev} | {rule} | {where} | {escape_cell(finding.message)} | {escape_cell(finding.hint)} |"


def _diagnostic_line(diagnostic: Diagnostic) -> str:
    where = f"{_code(str(diagnostic.location))}: " if diagnostic.location is not None else ""
    tip = f" *Tip:* {escape_cell(diagnostic.tip)}" if diagnostic.tip else ""
    sev = diagnostic.severity.value
    return f"- {_ICON[sev]} **{sev}** {where}{escape_cell(diagnostic.message)}{tip}"


class MarkdownReporter(Reporter):
    """One table of every finding, for the job summary page."""

    name = "markdown"

    def render(self, result: CheckResult, ctx: ReportContext) -> str:
        counts = count(result, ctx.fail_on)
        base_label, head_label = ctx.labels(result)
        verdict = ":x:" if counts.failing or counts.diagnostic_errors else (":warning:" if counts.findings else ":white_check_mark:")
        out = [f"## {verdict} {TOOL_NAME}: {escape_cell(summary_line(result, ctx))}", ""]
        if base_label or head_label:
            out += [f"Compared {_code(base_label or 'base')} (base) with {_code(head_label or 'head')} (head); "
                    f"{plural(result.files_checked, 'schema file')} checked.", ""]
        tail: list[str] = []
        if result.diagnostics:
            tail += ["", "### Input problems", ""]
            tail += [_diagnostic_line(d) for d in sorted_diagnostics(result.diagnostics)]
        findings = sorted_findings(result.findings)
        if findings:
            out += ["| Severity | Rule | Location | What changed | How to fix |", "| --- | --- | --- | --- | --- |"]
        size = sum(len(line.encode()) + 1 for line in out + tail) + 200
        for shown, finding in enumerate(findings):
            row = _row(finding, base_label)
            size += len(row.encode()) + 1
            if size > MAX_BYTES:
                out += ["", f"*{plural(len(findings) - shown, 'more finding')} left out to fit GitHub's summary size limit; "
                            f"use `--format json` for all of them.*"]
                break
            out.append(row)
        return "\n".join(out + tail) + "\n"
