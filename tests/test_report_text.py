"""The text reporter: layout, carets, colour switch, lazy rich import."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from schemacheck.model import CheckResult, Diagnostic, Finding, Location, Severity
from schemacheck.report import TextReporter, get_reporter
from schemacheck.report.text import caret_line, summary_line

from test_report_support import DELETED_FILE, MULTILINE, ODD_PATH, RENAMED, TYPE_CHANGED, sample_context, sample_result

EXPECTED_RENAMED = """\
protos/shop/order.proto (1 finding)
  protos/shop/order.proto:6:9  FIELD_SAME_NAME  error
    Field 2 "total_amount" on message "shop.v1.Order" was renamed to "total_cents".
    6 |   int64 total_cents = 2;
      |         ^^^^^^^^^^^
    was at base protos/shop/order.proto:6:9 (origin/main)
    fix: Keep the old name; add a new field with a new number instead.

Found 1 breaking change in 1 file (1 error).
"""


def render(result: CheckResult, **ctx: object) -> str:
    return TextReporter().render(result, sample_context(**ctx))


def test_single_finding_exact_layout() -> None:
    result = CheckResult(findings=(RENAMED,), base_label="origin/main")
    assert render(result) == EXPECTED_RENAMED


def test_no_findings() -> None:
    assert render(CheckResult()) == "No breaking changes.\n"


def test_findings_grouped_by_file_in_order() -> None:
    out = render(sample_result())
    headers = [line for line in out.splitlines() if line and not line.startswith(" ") and line.endswith(("finding)", "findings)"))]
    assert headers == [
        "protos/shop/legacy.proto (1 finding)",
        "protos/shop/order.proto (3 findings)",
        "schemas/a b#%.proto (1 finding)",
    ]
    order = [out.index(s) for s in ("order.proto:6:9", "order.proto:7:2", "order.proto:8:3")]
    assert order == sorted(order)


def test_deleted_file_shows_base_location_and_no_source() -> None:
    out = render(CheckResult(findings=(DELETED_FILE,)))
    assert "  protos/shop/legacy.proto (not in head)  TEST_FILE_NO_DELETE  error\n" in out
    assert "    was at base protos/shop/legacy.proto\n" in out
    assert " | " not in out


def test_multiline_message_and_hint_are_indented() -> None:
    out = render(sample_result())
    assert "    Field 4 \"remark\" changed type from \"int32\" to \"string\": 100% of readers, see a,b:c.\n    Second line.\n" in out
    assert "    fix: Add a new field.\n         Then migrate readers.\n" in out


def test_tab_and_wide_characters_keep_caret_aligned() -> None:
    out = render(sample_result())
    # rich expands the tab identically on both lines, so the caret sits under "string"
    lines = out.splitlines()
    i = next(i for i, ln in enumerate(lines) if ln.startswith("    7 |"))
    src, marker = lines[i], lines[i + 1]
    assert "\t" not in src and "備考" in src
    assert src.index("string") == marker.index("^") and marker.count("^") == len("string")


def test_multiline_span_underlines_to_end_of_first_line() -> None:
    out = render(sample_result())
    lines = out.splitlines()
    i = lines.index("    8 |   repeated string tags = 5 [")
    assert lines[i + 1] == "      |   " + "^" * len("repeated string tags = 5 [")


def test_diagnostics_and_summary() -> None:
    out = render(sample_result())
    assert 'error: protos/shop/broken.proto:3:17: expected ";" after field, found "}"\n  tip: Add the missing semicolon.\n' in out
    assert "warning: Unresolved $ref 'common.json#/Money'; skipped.\n" in out
    assert out.rstrip().splitlines()[-1] == (
        "Found 3 breaking changes and 2 other findings in 3 files (3 errors, 1 warning, 1 info). 2 below --fail-on error do not fail "
        "the check. 1 input error and 1 input warning; results may be incomplete."
    )


def test_summary_respects_fail_on() -> None:
    result = sample_result()
    assert "below --fail-on" not in summary_line(result, sample_context(fail_on=Severity.INFO))
    only_warning = CheckResult(findings=(Finding("X", Severity.WARNING, "m.", Location("a.proto", 1, 1)),))
    assert summary_line(only_warning, sample_context()) == (
        "Found 1 finding, none breaking, in 1 file (1 warning). 1 below --fail-on error does not fail the check."
    )


def test_markup_and_control_characters_are_not_interpreted() -> None:
    finding = Finding("X", Severity.ERROR, "Field [bold]x[/bold] changed\x1b[31m.", Location("a.proto", 0))
    out = render(CheckResult(findings=(finding,)))
    assert "Field [bold]x[/bold] changed" in out
    assert "\x1b" not in out


def test_colour_only_when_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FORCE_COLOR", "1")  # the reporter must ignore the environment
    monkeypatch.setenv("COLUMNS", "20")
    plain = render(sample_result(), color=False)
    coloured = render(sample_result(), color=True)
    assert "\x1b[" not in plain
    assert "\x1b[1;35mTEST_FILE_NO_DELETE\x1b[0m  \x1b[1;31merror\x1b[0m" in coloured
    # same text once the escapes are removed
    assert re.sub(r"\x1b\[[0-9;]*m", "", coloured) == plain


def test_source_line_failure_is_not_fatal() -> None:
    def broken(path: str, line: int) -> str | None:
        raise OSError("gone")

    out = TextReporter().render(CheckResult(findings=(RENAMED,)), sample_context(source_line=broken))
    assert "FIELD_SAME_NAME" in out and " | " not in out


@pytest.mark.parametrize(
    ("text", "loc", "expected"),
    [
        ("  int64 total = 2;", Location("p", 1, 3, 1, 8), "  ^^^^^"),
        ("\tint64 x;", Location("p", 1, 2, 1, 7), "\t^^^^^"),
        ("名前 string x;", Location("p", 1, 4, 1, 10), "     ^^^^^^"),
        ("abc", Location("p", 1, 2), " ^"),  # no end: one caret
        ("abc", Location("p", 1, 9, 1, 12), "   ^"),  # past the end: caret after the text
        ("message M {", Location("p", 1, 1, 3, 2), "^^^^^^^^^^^"),  # multi-line: to end of line
        ("", Location("p", 1, 1, 1, 1), "^"),
    ],
)
def test_caret_line(text: str, loc: Location, expected: str) -> None:
    assert caret_line(text, loc) == expected


def test_get_reporter_and_unknown_name() -> None:
    from schemacheck.errors import UsageError

    assert isinstance(get_reporter("TEXT"), TextReporter)
    with pytest.raises(UsageError, match="unknown output format 'xml'; choose one of text, json, sarif, github, markdown"):
        get_reporter("xml")


def test_importing_reporters_does_not_import_rich_or_pydantic() -> None:
    code = (
        "import sys, schemacheck.report as r\n"
        "from schemacheck.model import CheckResult\n"
        "r.get_reporter('github').render(CheckResult(), r.ReportContext())\n"
        "r.get_reporter('sarif').render(CheckResult(), r.ReportContext())\n"
        "print(sorted(m for m in ('rich', 'pydantic') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_diagnostic_without_location() -> None:
    out = render(CheckResult(diagnostics=(Diagnostic("no schema files found", severity=Severity.WARNING),)))
    assert out == "warning: no schema files found\n\nNo breaking changes. 1 input warning.\n"


def _rich_render(result: CheckResult, ctx) -> str:
    """The same report through rich's console without colour (the renderer the plain path stands in for)."""
    import io

    from rich.console import Console
    from rich.text import Text

    console = Console(file=io.StringIO(), force_terminal=False, no_color=True, color_system=None, width=100,
                      soft_wrap=True, markup=False, highlight=False, emoji=False, legacy_windows=False,
                      force_jupyter=False, force_interactive=False, _environ={})
    return TextReporter()._render(console, result, ctx, Text)


@pytest.mark.parametrize("message", ["plain", "wide 訂單 [brackets] \x1b[31m", "two\nlines\r\nand more", ""])
def test_plain_text_is_rich_text_without_colour(message: str) -> None:
    """Uncoloured text skips rich; its bytes are the ones rich writes (findings, hints, source
    windows, diagnostics with and without locations, the summary)."""
    from dataclasses import replace

    finding = replace(RENAMED, message=message or "m", hint=message)
    result = CheckResult(findings=(RENAMED, DELETED_FILE, TYPE_CHANGED, MULTILINE, ODD_PATH, finding), base_label="origin/main",
                         diagnostics=(Diagnostic(message, RENAMED.location, Severity.ERROR, tip=message),
                                      Diagnostic("no schema files found", severity=Severity.WARNING)))
    ctx = sample_context()
    assert render(result) == _rich_render(result, ctx)


def test_uncoloured_text_report_does_not_import_rich() -> None:
    code = (
        "import sys, schemacheck.report as r\n"
        "from schemacheck.model import CheckResult, Finding, Location, Severity\n"
        "f = Finding('FIELD_SAME_NAME', Severity.ERROR, 'm', Location('a.proto', 1, 1, 1, 2), hint='h')\n"
        "r.get_reporter('text').render(CheckResult(findings=(f,)), r.ReportContext(color=False))\n"
        "print('rich' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def test_notes_are_not_counted_as_input_warnings() -> None:
    notes = CheckResult(diagnostics=(Diagnostic("for the record", Location("a.proto", 1, 1), Severity.INFO),
                                     Diagnostic("skipped", Location("b.proto", 1, 1), Severity.WARNING)))
    assert summary_line(notes, sample_context()).endswith(" 1 input warning and 1 note.")
