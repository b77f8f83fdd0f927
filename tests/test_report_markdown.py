"""Markdown job summary: verdict heading, one safe table row per finding, size cap."""

from __future__ import annotations

import pytest

from schemacheck.model import CheckResult, Finding, Location, Severity
from schemacheck.report import MarkdownReporter
from schemacheck.report import markdown as md

from test_report_support import DELETED_FILE, ODD_PATH, RENAMED, TYPE_CHANGED, many_findings, sample_context, sample_result


def render(result: CheckResult, **ctx: object) -> str:
    return MarkdownReporter().render(result, sample_context(**ctx))


def table_rows(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith("| ") and not line.startswith("| Severity") and not line.startswith("| ---")]


def cells(row: str) -> list[str]:
    """Split a row on unescaped pipes, as GFM does."""
    out, cur, i = [], "", 0
    body = row.strip()[1:-1]
    while i < len(body):
        if body[i] == "\\" and i + 1 < len(body):
            cur += body[i : i + 2]
            i += 2
            continue
        if body[i] == "|":
            out.append(cur.strip())
            cur = ""
        else:
            cur += body[i]
        i += 1
    out.append(cur.strip())
    return out


def test_clean_run() -> None:
    text = render(CheckResult(files_checked=2, base_label="origin/main", head_label="index"))
    assert text.splitlines()[0] == "## :white_check_mark: schemacheck: No breaking changes."
    assert "Compared `origin/main` (base) with `index` (head); 2 schema files checked." in text
    assert "| Severity" not in text


def test_every_finding_is_one_row_with_five_cells() -> None:
    text = render(sample_result())
    assert text.splitlines()[0].startswith("## :x: schemacheck: Found 5 breaking changes in 3 files")
    rows = table_rows(text)
    assert len(rows) == 5
    assert all(len(cells(row)) == 5 for row in rows)


def test_row_content() -> None:
    row = cells(table_rows(render(CheckResult(findings=(RENAMED,), base_label="origin/main")))[0])
    assert row == [
        ":x: error",
        "[`FIELD_SAME_NAME`](https://github.com/schemacheck/schemacheck/blob/main/rules/FIELD_SAME_NAME.md)",
        "`protos/shop/order.proto:6:9`<br>was `protos/shop/order.proto:6:9` in origin/main",
        RENAMED.message,
        RENAMED.hint,
    ]


def test_newlines_pipes_html_backticks_and_dollars_are_escaped() -> None:
    row = cells(table_rows(render(CheckResult(findings=(TYPE_CHANGED, ODD_PATH))))[1])
    assert row[3] == "Whole-file finding in an oddly named file &lt;b&gt;\\|\\`x\\`\\|&lt;/b&gt;."
    assert row[2] == "`schemas/a b#%.proto`"
    first = cells(table_rows(render(CheckResult(findings=(TYPE_CHANGED,))))[0])
    assert first[3].endswith("see a,b:c.<br>Second line.")
    assert first[4] == "Add a new field.<br>Then migrate readers."
    money = Finding("X", Severity.WARNING, "Price $a and $b changed.", Location("a.json", 1, 1))
    assert "Price \\$a and \\$b changed." in render(CheckResult(findings=(money,)))


def test_deleted_file_and_diagnostics() -> None:
    text = render(sample_result())
    assert "`protos/shop/legacy.proto` (deleted)<br>was `protos/shop/legacy.proto` in origin/main" in text
    assert "### Input problems" in text
    assert '- :x: **error** `protos/shop/broken.proto:3:17`: expected ";" after field, found "}" *Tip:* Add the missing semicolon.' in text
    assert "- :warning: **warning** Unresolved \\$ref 'common.json#/Money'; skipped." in text


def test_warning_only_verdict() -> None:
    only = Finding("X", Severity.WARNING, "m.", Location("a.proto", 1, 1))
    assert render(CheckResult(findings=(only,))).startswith("## :warning: schemacheck:")


def test_size_cap_leaves_out_rows_with_a_note(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(md, "MAX_BYTES", 4000)
    text = render(many_findings(100, 0, 0))
    assert len(text.encode()) <= 4000
    shown = len(table_rows(text))
    assert 0 < shown < 100
    assert f"*{100 - shown} more findings left out to fit GitHub's summary size limit" in text


def test_default_cap_is_under_githubs_limit() -> None:
    assert md.MAX_BYTES < 1024 * 1024
    text = render(many_findings(3000, 3000, 3000))
    assert len(text.encode()) <= 1024 * 1024
    shown = len(table_rows(text))
    assert 0 < shown < 9000 and f"*{9000 - shown} more findings left out" in text


def test_deleted_only_result() -> None:
    assert len(table_rows(render(CheckResult(findings=(DELETED_FILE,))))) == 1
