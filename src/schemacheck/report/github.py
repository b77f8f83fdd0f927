"""``--format github``: GitHub Actions workflow commands that become PR annotations.

Maintainers: one ``::error|warning|notice file=…,line=…,col=…,endLine=…,endColumn=…,title=…::msg``
line per finding. Data is escaped ``%``→``%25``, CR→``%0D``, LF→``%0A`` (``%`` first); property
values also ``:``→``%3A`` and ``,``→``%2C``. GitHub shows at most 10 error and 10 warning
annotations per step (notices are capped alike) and silently drops the rest, so we emit errors
first (input errors, then breaking changes), then warnings, then notices, each capped at
``ctx.annotation_limit``; when anything is dropped the last notice slot says how many and
where to look (the ``markdown`` job summary). Columns are only given for single-line spans,
as GitHub ignores them otherwise. A deletion is annotated at ``Finding.anchor`` (the head line
the diff shows); a finding whose file was deleted is annotated on the base path without a line.
"""

from __future__ import annotations

from ..model import CheckResult, Diagnostic, Finding, Location, Severity
from .base import TOOL_NAME, ReportContext, Reporter, base_location, plural, sorted_diagnostics, sorted_findings, visible
from .text import summary_line

__all__ = ["GithubReporter", "escape_data", "escape_property", "workflow_command"]

_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(value: str) -> str:
    """Escape a workflow command's message (control characters become visible ``\\xNN`` first:
    GitHub's log viewer interprets ANSI escapes, and a property name may contain any)."""
    return visible(value, keep="\r").replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(value: str) -> str:
    """Escape a workflow command's property value (also ``:`` and ``,``)."""
    return escape_data(value).replace(":", "%3A").replace(",", "%2C")


def workflow_command(level: str, message: str, **props: str | int | None) -> str:
    """Format ``::level k=v,…::message``, skipping properties that are ``None``."""
    parts = [f"{key}={escape_property(str(value))}" for key, value in props.items() if value is not None]
    head = f"::{level} {','.join(parts)}" if parts else f"::{level}"
    return f"{head}::{escape_data(message)}"


def _position(loc: Location | None) -> dict[str, int | None]:
    if loc is None or loc.line < 1:
        return {}
    single = loc.end_line in (0, loc.line)
    return {
        "line": loc.line,
        "endLine": max(loc.end_line, loc.line),
        "col": loc.column if single and loc.column >= 1 else None,
        "endColumn": loc.end_column if single and loc.end_column > loc.column >= 1 else None,
    }


def _finding_command(finding: Finding, base_label: str, ctx: ReportContext) -> str:
    lines = [finding.message]
    if finding.hint:
        lines.append(f"Fix: {finding.hint}")
    if (base_loc := base_location(finding, ctx)) is not None:
        label = f" ({base_label})" if base_label else ""
        lines.append(f"{finding.related.capitalize()}: {base_loc}." if finding.related
                     else f"Was at base {base_loc}{label}.")
    where = finding.anchor or finding.location  # a deletion: the head line the diff shows
    return workflow_command(
        _LEVEL[finding.severity],
        "\n".join(lines),
        file=(where.path if where is not None else finding.path) or None,
        **_position(where),
        title=finding.rule_id,
    )


def _diagnostic_command(diagnostic: Diagnostic) -> str:
    message = diagnostic.message + (f"\nTip: {diagnostic.tip}" if diagnostic.tip else "")
    loc = diagnostic.location
    return workflow_command(
        _LEVEL[diagnostic.severity],
        message,
        file=loc.path if loc is not None and loc.path else None,
        **_position(loc),
        title=f"{TOOL_NAME}: input {'error' if diagnostic.severity is Severity.ERROR else 'problem'}",
    )


class GithubReporter(Reporter):
    """Annotations for pull requests, capped the way GitHub caps them."""

    name = "github"

    def render(self, result: CheckResult, ctx: ReportContext) -> str:
        base_label, _ = ctx.labels(result)
        by_level: dict[str, list[str]] = {"error": [], "warning": [], "notice": []}
        for diagnostic in sorted_diagnostics(result.diagnostics):
            by_level[_LEVEL[diagnostic.severity]].append(_diagnostic_command(diagnostic))
        for finding in sorted_findings(result.findings):
            by_level[_LEVEL[finding.severity]].append(_finding_command(finding, base_label, ctx))
        limit = max(ctx.annotation_limit, 1)
        overflow = any(len(commands) > limit for commands in by_level.values())
        caps = {"error": limit, "warning": limit, "notice": limit - 1 if overflow else limit}
        lines: list[str] = []
        for level, commands in by_level.items():
            lines.extend(commands[: caps[level]])
        dropped = sum(len(commands) - min(len(commands), caps[level]) for level, commands in by_level.items())
        if dropped:
            message = (
                f"{plural(dropped, 'more problem')} not shown as annotations "
                f"(GitHub shows at most {limit} errors and {limit} warnings per step). {ctx.more_hint}"
            )
            lines.append(workflow_command("notice", message, title=f"{TOOL_NAME}: more findings"))
        lines.append(summary_line(result, ctx))
        return "\n".join(lines) + "\n"
