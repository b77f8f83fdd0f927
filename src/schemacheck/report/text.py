"""The human report (``--format text``, the default): grouped by file, source line, caret, fix.

Maintainers: rich is imported inside :meth:`TextReporter.render` only, and only for coloured
output (or text holding a tab, which rich expands): plain text goes through :class:`_PlainConsole`,
a stand-in for the few rich calls used here that writes the same bytes (the fixture snapshots
compare them), so a pre-commit run never pays for rich. The rich console is built with an empty environment and
``soft_wrap=True`` so that the plain output is byte-for-byte deterministic (fixture snapshots
compare it); colour is exactly ``ctx.color``. Untrusted text (messages, source lines) goes
through ``rich.text.Text``, never markup, so ``[brackets]`` print as they are, and through
``base.visible``, so control characters (terminal escapes, bidi overrides) show as ``\\xNN``.
A source line is shown as a window around the finding's column (``base.line_window``).
"""

from __future__ import annotations

import io
import unicodedata
from dataclasses import replace
from itertools import groupby
from typing import TYPE_CHECKING, Any

from ..model import CheckResult, Diagnostic, Finding, Location, Severity
from .base import ReportContext, Reporter, base_location, compared_phrase, count, line_window, plural, sorted_diagnostics, sorted_findings, visible

if TYPE_CHECKING:
    from rich.console import Console

__all__ = ["TextReporter", "caret_line", "clean", "summary_line"]

_SEVERITY_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "bold yellow", Severity.INFO: "bold blue"}
_INDENT = "    "


#: Control characters shown as escapes (ESC, CR, BEL, bidi overrides): see ``base.visible``.
clean = visible


def _display_width(text: str) -> int:
    """Terminal cells taken by ``text`` (wide East Asian characters count twice)."""
    width = 0
    for ch in text:
        if unicodedata.combining(ch):
            continue
        width += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return width


def caret_line(text: str, loc: Location) -> str:
    """The marker line drawn under ``text`` for the span ``loc``.

    Tabs in the prefix are kept so the carets line up under any tab width; wide characters
    get two cells. A multi-line span is underlined to the end of its first line.

    Args:
        text: The source line ``loc.line``.
        loc: The span; ``column`` and ``end_column`` are 1-based, ``end_column`` exclusive.

    Returns:
        Whitespace followed by at least one ``^``.
    """
    start = min(max(loc.column, 1) - 1, len(text))
    if loc.end_line == loc.line and loc.end_column > loc.column:
        end = min(loc.end_column - 1, len(text))
    elif loc.end_line > loc.line:
        end = len(text)
    else:
        end = start + 1
    prefix = "".join(ch if ch == "\t" else " " * _display_width(ch) for ch in text[:start])
    return prefix + "^" * max(_display_width(text[start:end]), 1)


def summary_line(result: CheckResult, ctx: ReportContext) -> str:
    """The closing sentence: how many breaking changes and other findings in how many files, and input problems."""
    counts = count(result, ctx.fail_on)
    compared = compared_phrase(result)  # None: a hand-made result that does not say
    if counts.findings == 0 and counts.diagnostic_errors:
        text = "No breaking changes in what could be checked"
        text += f" (checked {compared})." if compared else "."
    elif counts.findings == 0 and compared == plural(0, "schema file") and not result.files and result.head_label:
        text = f"No file changed between {result.base_label} and {result.head_label}: nothing was checked."
    elif counts.findings == 0 and compared == plural(0, "schema file"):
        text = "0 schema files compared: nothing was checked."
    elif counts.findings == 0:
        text = f"No breaking changes; checked {compared}." if compared else "No breaking changes."
    else:
        parts = [plural(n, sev.value, "info" if sev is Severity.INFO else None) for sev, n in counts.by_severity.items() if n]
        text = f"Found {_findings_phrase(counts)} in {plural(counts.files, 'file')} ({', '.join(parts)})."
        if compared:
            text = f"{text[:-1]}; checked {compared}."
        below = counts.findings - counts.failing
        if below:
            text += f" {below} below --fail-on {ctx.fail_on.value} do{'es' if below == 1 else ''} not fail the check."
    if counts.diagnostic_errors or counts.diagnostic_warnings or counts.diagnostic_notes:
        problems = []
        if counts.diagnostic_errors:
            problems.append(plural(counts.diagnostic_errors, "input error"))
        if counts.diagnostic_warnings:
            problems.append(plural(counts.diagnostic_warnings, "input warning"))
        if counts.diagnostic_notes:
            problems.append(plural(counts.diagnostic_notes, "note"))
        joined = ", ".join(problems[:-1]) + " and " + problems[-1] if len(problems) > 1 else problems[0]
        text += f" {joined[0].upper()}{joined[1:]}"
        text += "; results may be incomplete." if counts.diagnostic_errors else "."
    if result.suppressed:
        text += f" {plural(result.suppressed, 'finding')} accepted by schemacheck:ignore directives."
    return text


def _findings_phrase(counts) -> str:
    """``"2 breaking changes"``, ``"2 breaking changes and 1 other finding"`` or ``"1 finding, none
    breaking,"`` (before " in N files"): only errors are breaking changes; a warning (may break some readers) or an info
    is a finding, and calling it a breaking change would cry wolf."""
    breaking = counts.by_severity[Severity.ERROR]
    others = counts.findings - breaking
    if not others:
        return plural(breaking, "breaking change")
    if not breaking:
        return f"{plural(others, 'finding')}, none breaking,"
    return f"{plural(breaking, 'breaking change')} and {plural(others, 'other finding')}"


class TextReporter(Reporter):
    """Readable report for terminals and pre-commit."""

    name = "text"

    def render(self, result: CheckResult, ctx: ReportContext) -> str:
        out = io.StringIO()
        if not ctx.color:
            try:
                return self._render(_PlainConsole(out), result, ctx, _PlainText)
            except _NeedsRich:
                out = io.StringIO()
        from rich.console import Console
        from rich.text import Text

        console = Console(
            file=out,
            force_terminal=ctx.color,
            no_color=not ctx.color,
            color_system="standard" if ctx.color else None,
            width=ctx.width or 100,
            soft_wrap=True,
            markup=False,
            highlight=False,
            emoji=False,
            legacy_windows=False,
            force_jupyter=False,
            force_interactive=False,
            _environ={},
        )
        return self._render(console, result, ctx, Text)

    def _render(self, console: Any, result: CheckResult, ctx: ReportContext, text: Any) -> str:
        base_label, head_label = ctx.labels(result)
        for path, group in groupby(sorted_findings(result.findings), key=lambda f: f.path):
            findings = list(group)
            shown = ctx.head_path(path) if findings[0].location is not None else ctx.base_path(path)
            self._file_header(console, shown, len(findings), text)
            for finding in findings:
                self._finding(console, finding, ctx, base_label, text)
        diagnostics = sorted_diagnostics(result.diagnostics)
        for diagnostic in diagnostics:
            self._diagnostic(console, diagnostic, ctx, text)
        if diagnostics:
            console.print()
        if ctx.verbose:
            self._accepted(console, result, ctx, text)
            self._files(console, result, ctx, text)
        self._summary(console, result, ctx, text)
        return console.file.getvalue()

    @staticmethod
    def _file_header(console: Console, path: str, n: int, Text: Any) -> None:  # noqa: N803 - rich's or the plain Text
        console.print(Text.assemble((clean(path), "bold underline"), f" ({plural(n, 'finding')})"))

    @staticmethod
    def _finding(console: Console, finding: Finding, ctx: ReportContext, base_label: str,
                 Text: Any) -> None:  # noqa: N803
        loc = finding.location
        where = clean(_where(finding, ctx))
        parts = [
            Text.assemble(
                "  ",
                (where, "bold"),
                "  ",
                (clean(finding.rule_id), "bold magenta"),
                "  ",
                (finding.severity.value, _SEVERITY_STYLE[finding.severity]),
            ),
            Text(_indented(finding.message, _INDENT)),
        ]
        line = ctx.line_text(loc)
        if loc is not None and line is not None:
            # Only a window around the column: a minified one-line file may be megabytes long.
            window = line_window(line, loc.column, loc.end_column if loc.end_line == loc.line else 0)
            left = "…" if window.clipped_left else ""
            shown = left + clean(window.text) + ("…" if window.clipped_right else "")
            end_column = window.column(loc.end_column) if loc.end_line == loc.line else len(window.text) + 1
            marked = replace(loc, column=window.column(loc.column) + len(left), end_column=end_column + len(left),
                             end_line=loc.line)
            gutter = str(loc.line)
            parts.append(Text.assemble(_INDENT, (f"{gutter} | ", "dim"), shown))
            parts.append(Text.assemble(_INDENT, (f"{' ' * len(gutter)} | ", "dim"), (caret_line(shown, marked), "bold red")))
        if (base_loc := base_location(finding, ctx)) is not None:
            label = f" ({base_label})" if base_label else ""
            said = (f"{finding.related}: {ctx.show(base_loc)}" if finding.related
                    else f"was at base {ctx.show(base_loc, base=True)}{label}")
            parts.append(Text(clean(f"{_INDENT}{said}"), style="dim"))
        if finding.hint:
            parts.append(Text.assemble(_INDENT, ("fix: ", "bold green"), _indented(finding.hint, _INDENT + "     ", first=False)))
        # one print per finding: rich's per-call overhead dominates large reports
        console.print(Text("\n").join([*parts, Text("")]))

    @staticmethod
    def _diagnostic(console: Console, diagnostic: Diagnostic, ctx: ReportContext, Text: Any) -> None:  # noqa: N803
        where = clean(f"{ctx.show(diagnostic.location)}: ") if diagnostic.location is not None else ""
        console.print(
            Text.assemble(
                (f"{diagnostic.severity.value}: ", _SEVERITY_STYLE[diagnostic.severity]),
                where,
                _indented(diagnostic.message, "  ", first=False),
            )
        )
        if diagnostic.tip:
            console.print(Text.assemble("  ", ("tip: ", "bold green"), _indented(diagnostic.tip, "       ", first=False)))

    @staticmethod
    def _accepted(console: Console, result: CheckResult, ctx: ReportContext, Text: Any) -> None:  # noqa: N803
        """``--verbose``: what the ``schemacheck:ignore`` directives accepted, and why (the
        summary only counts them; a reviewer needs to see what was waved through)."""
        if not result.accepted:
            return
        console.print(Text(f"Accepted by schemacheck:ignore ({plural(len(result.accepted), 'finding')}):", style="bold"))
        for accepted in sorted(result.accepted, key=lambda a: a.finding.sort_key()):
            f = accepted.finding
            console.print(Text(clean(f"  {_where(f, ctx)}  {f.rule_id}  {f.severity.value}")))
            reason = f"reason: {accepted.reason}" if accepted.reason else "no reason given"
            console.print(Text(clean(f"{_INDENT}{reason} (directive at {ctx.show(accepted.directive)})"), style="dim"))
        console.print()

    @staticmethod
    def _files(console: Console, result: CheckResult, ctx: ReportContext, Text: Any) -> None:  # noqa: N803
        """``--verbose``: the files compared, then the changed files passed over and why."""
        compared = [f for f in result.files if f.status == "compared"]
        others = [f for f in result.files if f.status != "compared"]
        console.print(Text(f"Compared ({plural(len(compared), 'file')}):", style="bold"))
        for f in compared:
            renamed = f", renamed from {ctx.base_path(f.base_path)}" if f.base_path else ""
            console.print(Text(clean(f"  {ctx.head_path(f.path)} ({f.format}{renamed})")))
        if others:
            console.print(Text(f"Not compared ({plural(len(others), 'file')}):", style="bold"))
            for f in others:
                console.print(Text(clean(f"  {ctx.head_path(f.path)}: {f.status}" + (f" ({f.format})" if f.format else ""))))
        console.print()

    @staticmethod
    def _summary(console: Console, result: CheckResult, ctx: ReportContext, Text: Any) -> None:  # noqa: N803
        counts = count(result, ctx.fail_on)
        style = "bold red" if counts.failing or counts.diagnostic_errors else ("bold yellow" if counts.findings else "bold green")
        console.print(Text(summary_line(result, ctx), style=style))


def _where(finding: Finding, ctx: ReportContext) -> str:
    """Where a finding is shown: its head location, else its path in base (the file is gone)."""
    if finding.location is not None:
        return ctx.show(finding.location)
    return f"{ctx.base_path(finding.path)} (not in head)"


def _indented(text: str, indent: str, *, first: bool = True) -> str:
    """Indent every line of ``text`` (the first one too unless ``first`` is false)."""
    lines = clean(text.replace("\r\n", "\n")).split("\n") or [""]
    head = (indent if first else "") + lines[0]
    return "\n".join([head, *(indent + ln for ln in lines[1:])])


class _NeedsRich(Exception):
    """Plain rendering cannot promise rich's bytes (a tab, which rich expands): use rich."""


class _PlainText:
    """The part of ``rich.text.Text`` this reporter uses, without styles."""

    __slots__ = ("plain",)

    def __init__(self, text: str = "", style: str = "") -> None:
        if "\t" in text:
            raise _NeedsRich
        self.plain = text

    @classmethod
    def assemble(cls, *parts: str | tuple[str, str]) -> _PlainText:
        return cls("".join(p if isinstance(p, str) else p[0] for p in parts))

    def join(self, items: list[_PlainText]) -> _PlainText:
        return _PlainText(self.plain.join(item.plain for item in items))


class _PlainConsole:
    """``Console.print`` for uncoloured, unwrapped output: the text and a newline."""

    def __init__(self, file: io.StringIO) -> None:
        self.file = file

    def print(self, text: _PlainText | None = None) -> None:
        self.file.write((text.plain if text is not None else "") + "\n")
