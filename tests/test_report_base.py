"""Shared reporter helpers: source-line readers, counting, ordering, context lookups."""

from __future__ import annotations

from schemacheck.model import CheckResult, Finding, Location, Severity
from schemacheck.report import ReportContext, lines_from_reader, lines_from_texts
from schemacheck.report.base import count, sorted_diagnostics, sorted_findings
from schemacheck.snapshot import DirectorySnapshot

from test_report_support import sample_result


def test_lines_from_texts_handles_crlf_and_ranges() -> None:
    source_line = lines_from_texts({"a.proto": "one\r\ntwo\rstill two\nthree", "b.proto": ""})
    assert source_line("a.proto", 1) == "one"
    assert source_line("a.proto", 2) == "two\rstill two"  # only LF ends a line, as in protoc and git
    assert source_line("a.proto", 3) == "three"
    assert source_line("a.proto", 4) is None
    assert source_line("a.proto", 0) is None
    assert source_line("missing.proto", 1) is None
    assert source_line("b.proto", 1) == ""


def test_lines_from_reader_reads_once_and_survives_errors(tmp_path) -> None:
    (tmp_path / "a.proto").write_bytes(b"\xef\xbb\xbfsyntax = \"proto3\";\r\nmessage M { string \xff = 1; }\n")
    snapshot = DirectorySnapshot(tmp_path)
    calls: list[str] = []

    def read(path: str) -> bytes:
        calls.append(path)
        return snapshot.read(path)

    source_line = lines_from_reader(read)
    assert source_line("a.proto", 1) == 'syntax = "proto3";'  # BOM and CR dropped
    assert source_line("a.proto", 2) == "message M { string \ufffd = 1; }"  # bad UTF-8 replaced
    assert source_line("a.proto", 9) is None
    assert source_line("gone.proto", 1) is None  # FileNotFoundError is swallowed
    assert source_line("gone.proto", 2) is None
    assert calls == ["a.proto", "gone.proto"]


def test_context_line_text_guards() -> None:
    ctx = ReportContext(source_line=lines_from_texts({"a.proto": "x"}))
    assert ctx.line_text(None) is None
    assert ctx.line_text(Location("a.proto", 0)) is None
    assert ctx.line_text(Location("a.proto", 1, 1)) == "x"


def test_counts() -> None:
    counts = count(sample_result(), Severity.WARNING)
    assert counts.findings == 5 and counts.files == 3
    assert dict(counts.by_severity) == {Severity.ERROR: 3, Severity.WARNING: 1, Severity.INFO: 1}
    assert counts.failing == 4
    assert (counts.diagnostic_errors, counts.diagnostic_warnings) == (1, 1)
    assert count(CheckResult()).findings == 0


def test_ordering() -> None:
    a = Finding("B", Severity.INFO, "m", Location("a.proto", 2, 1))
    b = Finding("A", Severity.ERROR, "m", Location("a.proto", 2, 1))
    c = Finding("A", Severity.ERROR, "m", Location("a.proto", 10, 1))
    d = Finding("A", Severity.ERROR, "m", None, Location("0.proto", 5, 1))
    assert sorted_findings([c, a, d, b]) == [d, b, a, c]
    result = sample_result()
    assert [x.severity for x in sorted_diagnostics(result.diagnostics)] == [Severity.ERROR, Severity.WARNING]


def test_labels_prefer_context() -> None:
    result = CheckResult(base_label="abc1234", head_label="work tree")
    assert ReportContext().labels(result) == ("abc1234", "work tree")
    assert ReportContext(base_label="origin/main").labels(result) == ("origin/main", "work tree")
