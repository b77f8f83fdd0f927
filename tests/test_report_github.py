"""GitHub workflow-command annotations: escaping, ordering, positions, GitHub's per-step caps."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from schemacheck.model import CheckResult, Diagnostic, Finding, Location, Severity
from schemacheck.report import GithubReporter
from schemacheck.report.github import escape_data, escape_property, workflow_command

from test_report_support import DELETED_FILE, MULTILINE, RENAMED, TYPE_CHANGED, many_findings, sample_context, sample_result

COMMAND = re.compile(r"^::(error|warning|notice)(?: ([^:]*))?::(.*)$")


def render(result: CheckResult, **ctx: object) -> list[str]:
    return GithubReporter().render(result, sample_context(**ctx)).splitlines()


def parse(line: str) -> tuple[str, dict[str, str], str]:
    """Decode one workflow command the way the runner does."""
    match = COMMAND.match(line)
    assert match, line
    props = {}
    if match.group(2):
        for part in match.group(2).split(","):
            key, _, value = part.partition("=")
            props[key] = unescape(value)
    return match.group(1), props, unescape(match.group(3))


def unescape(value: str) -> str:
    return value.replace("%0A", "\n").replace("%0D", "\r").replace("%3A", ":").replace("%2C", ",").replace("%25", "%")


def test_escaping_rules() -> None:
    assert escape_data("100% a\r\nb, c: d") == "100%25 a%0D%0Ab, c: d"
    assert escape_property("a,b:c%\n") == "a%2Cb%3Ac%25%0A"
    assert escape_data("%0A") == "%250A"  # '%' first, so an existing escape is not decoded later
    assert workflow_command("notice", "hi") == "::notice::hi"
    assert workflow_command("error", "m", file="a,b.proto", line=None, title="T") == "::error file=a%2Cb.proto,title=T::m"


def test_round_trip_of_a_nasty_message() -> None:
    line = render(CheckResult(findings=(TYPE_CHANGED,)))[0]
    assert "\n" not in line
    level, props, message = parse(line)
    assert level == "error"
    assert props == {"file": "protos/shop/order.proto", "line": "7", "endLine": "7", "col": "2", "endColumn": "8", "title": "TEST_FIELD_SAME_TYPE"}
    assert message == (
        TYPE_CHANGED.message + "\nFix: Add a new field.\nThen migrate readers.\nWas at base protos/shop/order.proto:7:3."
    )


def test_property_escaping_in_paths() -> None:
    odd = replace(RENAMED, location=Location("dir,with:odd%/x.proto", 2, 1, 2, 4))
    level, props, _ = parse(render(CheckResult(findings=(odd,)))[0])
    assert props["file"] == "dir,with:odd%/x.proto"


def test_errors_first_then_warnings_then_notices() -> None:
    lines = render(sample_result())
    levels = [parse(line)[0] for line in lines if line.startswith("::")]
    assert levels == ["error", "error", "error", "error", "warning", "warning", "notice"]
    # input error before breaking changes
    assert parse(lines[0])[1]["title"] == "schemacheck: input error"
    assert lines[-1].startswith("Found 3 breaking changes and 2 other findings in 3 files")


def test_multi_line_span_has_no_columns_and_deleted_file_no_line() -> None:
    _, props, _ = parse(render(CheckResult(findings=(MULTILINE,)))[0])
    assert props == {"file": "protos/shop/order.proto", "line": "8", "endLine": "9", "title": "TEST_FIELD_DEPRECATED"}
    _, props, message = parse(render(CheckResult(findings=(DELETED_FILE,)))[0])
    assert props == {"file": "protos/shop/legacy.proto", "title": "TEST_FILE_NO_DELETE"}
    assert "Was at base protos/shop/legacy.proto" in message


def test_diagnostic_without_location() -> None:
    lines = render(CheckResult(diagnostics=(Diagnostic("no config", severity=Severity.WARNING, tip="add one"),)))
    assert parse(lines[0]) == ("warning", {"title": "schemacheck: input problem"}, "no config\nTip: add one")


def test_no_findings() -> None:
    assert render(CheckResult()) == ["No breaking changes."]


@pytest.mark.parametrize(
    ("errors", "warnings", "infos", "shown", "dropped"),
    [
        (10, 10, 10, {"error": 10, "warning": 10, "notice": 10}, 0),
        (25, 3, 0, {"error": 10, "warning": 3, "notice": 1}, 15),
        (0, 11, 12, {"warning": 10, "notice": 10}, 1 + 3),
        (4, 0, 30, {"error": 4, "notice": 10}, 21),
    ],
)
def test_caps_per_level_with_pointer_notice(errors: int, warnings: int, infos: int, shown: dict[str, int], dropped: int) -> None:
    lines = render(many_findings(errors, warnings, infos))
    commands = [parse(line) for line in lines if line.startswith("::")]
    counts: dict[str, int] = {}
    for level, _, _ in commands:
        counts[level] = counts.get(level, 0) + 1
    assert counts == shown
    pointer = [c for c in commands if c[1].get("title") == "schemacheck: more findings"]
    if dropped:
        assert len(pointer) == 1 and commands[-1] is pointer[0]
        assert pointer[0][2].startswith(f"{dropped} more problem")
        assert "job summary" in pointer[0][2]
    else:
        assert pointer == []
    # the kept ones are the first in report order
    error_lines = [int(c[1]["line"]) for c in commands if c[0] == "error"]
    assert error_lines == sorted(error_lines)


def test_custom_limit() -> None:
    lines = render(many_findings(5, 0, 0), annotation_limit=2)
    assert [parse(ln)[0] for ln in lines if ln.startswith("::")] == ["error", "error", "notice"]


def test_a_message_cannot_inject_a_command() -> None:
    evil = Finding("X", Severity.ERROR, "ok\n::error file=x::injected\r\n::stop-commands::t", Location("a.proto", 1, 1))
    lines = render(CheckResult(findings=(evil,)))
    assert sum(line.startswith("::") for line in lines) == 1
