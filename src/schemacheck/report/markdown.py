"""``--format markdown``: a pull-request comment or job summary (GitHub-flavoured Markdown).

Maintainers: a heading with the verdict, then the findings grouped by file and, within a file,
by rule: one small table per rule (severity, location, what changed, fix), inside a
``<details>`` block when the group has more than ``OPEN_ROWS`` rows so a long report stays
readable, then findings accepted by inline directives (collapsed) and input problems. GitHub
caps a comment at 65,536 characters (a step summary at 1 MiB), so the text stops at
``MAX_CHARS`` characters with a line counting the findings and files left out. Cell text is
escaped for tables (``|``, newlines, ``$`` which starts GitHub math) and for inline HTML
(``<``, ``>``, ``&``), backticks inside code spans are avoided, and control characters show as
``\\xNN`` (``base.visible``).
"""

from __future__ import annotations

import re
from itertools import groupby

from ..model import CheckResult, Diagnostic, Finding
from .base import (TOOL_NAME, ReportContext, Reporter, base_location, compared_phrase, count, plural, rule_doc_url,
                   sorted_diagnostics, sorted_findings, visible)
from .text import summary_line

__all__ = ["MarkdownReporter", "MAX_CHARS", "OPEN_ROWS", "escape_cell"]

#: GitHub's comment limit is 65,536 characters: keep room for a marker and a header around it.
MAX_CHARS = 60_000
#: A rule group with more rows than this is collapsed in ``<details>``.
OPEN_ROWS = 3

_ICON = {"error": ":x:", "warning": ":warning:", "info": ":information_source:"}
_HEADER = ["| Severity | Location | What changed | How to fix |", "| --- | --- | --- | --- |"]


#: An inline code span of one line (hints say `deprecated: true`): kept as code in a cell.
_CODE_SPAN = re.compile(r"`[^`]+`")


def _escape_text(text: str) -> str:
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("`", "\\`").replace("$", "\\$")


def _escape_line(line: str) -> str:
    """One line for a table cell: inline code spans stay code (only ``|`` escaped, as a table
    needs; nothing else is markup inside them), the text around them is fully escaped."""
    out, at = [], 0
    for span in _CODE_SPAN.finditer(line):
        out += [_escape_text(line[at:span.start()]), span.group().replace("|", "\\|")]
        at = span.end()
    out.append(_escape_text(line[at:]))
    return "".join(out)


def escape_cell(text: str) -> str:
    """Make ``text`` safe inside one Markdown table cell (control characters shown as ``\\xNN``)."""
    return "<br>".join(_escape_line(line.strip()) for line in visible(text).strip().splitlines())


def _code(text: str) -> str:
    """An inline code span that survives backticks and pipes in ``text``."""
    text = visible(text).replace("|", "\\|").replace("`", "'")
    return f"`{text}`" if text else ""


def _row(finding: Finding, base_label: str, ctx: ReportContext) -> str:
    where = _code(str(finding.location)) if finding.location is not None else f"{_code(finding.path)} (deleted)"
    if (base_loc := base_location(finding, ctx)) is not None:
        label = f" in {escape_cell(base_label)}" if base_label else ""
        where += (f"<br>{escape_cell(finding.related)}: {_code(str(base_loc))}" if finding.related
                  else f"<br>was {_code(str(base_loc))}{label}")
    sev = finding.severity.value
    return f"| {_ICON[sev]} {sev} | {where} | {escape_cell(finding.message)} | {escape_cell(finding.hint)} |"


def _group(rule_id: str, rows: list[str]) -> list[str]:
    """One rule's findings in one file: a table, collapsed when long."""
    title = f"[`{rule_id}`]({rule_doc_url(rule_id)}) ({plural(len(rows), 'finding')})"
    if len(rows) <= OPEN_ROWS:
        return [f"**{title}**", "", *_HEADER, *rows, ""]
    summary = f"<code>{escape_cell(rule_id)}</code> ({plural(len(rows), 'finding')})"
    return [f"<details><summary>{summary}</summary>", "", f"**{title}**", "", *_HEADER, *rows, "", "</details>", ""]


def _diagnostic_line(diagnostic: Diagnostic) -> str:
    where = f"{_code(str(diagnostic.location))}: " if diagnostic.location is not None else ""
    tip = f" *Tip:* {escape_cell(diagnostic.tip)}" if diagnostic.tip else ""
    sev = diagnostic.severity.value
    return f"- {_ICON[sev]} **{sev}** {where}{escape_cell(diagnostic.message)}{tip}"


class _Budget:
    """Lines added while they fit in ``MAX_CHARS`` (each line costs its length plus a newline)."""

    def __init__(self, reserved: int) -> None:
        self.used = reserved

    def fits(self, lines: list[str]) -> bool:
        cost = sum(len(line) + 1 for line in lines)
        if self.used + cost > MAX_CHARS:
            return False
        self.used += cost
        return True


class MarkdownReporter(Reporter):
    """Findings by file and rule, for a pull-request comment or the job summary page."""

    name = "markdown"

    def render(self, result: CheckResult, ctx: ReportContext) -> str:
        counts = count(result, ctx.fail_on)
        base_label, head_label = ctx.labels(result)
        verdict = ":x:" if counts.failing or counts.diagnostic_errors else (":warning:" if counts.findings else ":white_check_mark:")
        out = [f"## {verdict} {TOOL_NAME}: {escape_cell(summary_line(result, ctx))}", ""]
        if base_label or head_label:
            out += [f"Compared {_code(base_label or 'base')} (base) with {_code(head_label or 'head')} (head); "
                    f"{compared_phrase(result) or plural(result.files_checked, 'schema file')} checked.", ""]
        problems: list[str] = []
        if result.diagnostics:
            problems += ["### Input problems", ""] + [_diagnostic_line(d) for d in sorted_diagnostics(result.diagnostics)]
        budget = _Budget(sum(len(line) + 1 for line in out) + 400)  # 400: the closing "left out" line
        if problems and not budget.fits(problems):  # input problems first: they make the run exit 2
            problems = ["### Input problems", "", f"*{plural(len(result.diagnostics), 'input problem')} left out "
                        "to fit a pull-request comment; see the job log.*"]
        findings = sorted_findings(result.findings)
        shown = 0
        for path, in_file in groupby(findings, key=lambda f: f.path):
            in_file = list(in_file)
            block = [f"### {_code(path)} ({plural(len(in_file), 'finding')})", ""]
            for rule_id, in_rule in groupby(sorted(in_file, key=lambda f: (f.rule_id, f.sort_key())),
                                            key=lambda f: f.rule_id):
                block += _group(rule_id, [_row(f, base_label, ctx) for f in in_rule])
            if not budget.fits(block):
                block = self._partial(block, budget)
                out += block
                shown += sum(1 for line in block if line.startswith("| ") and not line.startswith(("| Sev", "| ---")))
                break
            out += block
            shown += len(in_file)
        if shown < len(findings):
            files = len({f.path for f in findings[shown:]})
            out += [f"*{plural(len(findings) - shown, 'more finding')} in {plural(files, 'file')} left out to fit a "
                    f"pull-request comment ({MAX_CHARS:,} characters); the job log and `--format json` have all of them.*", ""]
        accepted = self._accepted(result)
        if accepted and budget.fits(accepted):
            out += accepted
        return "\n".join(out + problems).rstrip("\n") + "\n"

    @staticmethod
    def _partial(block: list[str], budget: _Budget) -> list[str]:
        """As much of one file's block as fits, whole rows only, open details closed."""
        kept: list[str] = []
        for line in block:
            if not budget.fits([line]):
                break
            kept.append(line)
        if sum(line.startswith("<details>") for line in kept) > kept.count("</details>"):
            kept += ["", "</details>"]
        return kept + [""]

    @staticmethod
    def _accepted(result: CheckResult) -> list[str]:
        if not result.accepted:
            return []
        lines = [f"<details><summary>{plural(len(result.accepted), 'finding')} accepted by "
                 "<code>schemacheck:ignore</code> directives</summary>", ""]
        for a in sorted(result.accepted, key=lambda a: a.finding.sort_key()):
            reason = escape_cell(a.reason) if a.reason else "*no reason given*"
            where = _code(str(a.finding.location or a.finding.path))
            lines.append(f"- [`{a.finding.rule_id}`]({rule_doc_url(a.finding.rule_id)}) at {where}: {reason}")
        return lines + ["", "</details>", ""]
