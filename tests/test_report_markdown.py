"""Markdown PR comment / job summary: verdict heading, findings by file and rule, safe table rows,
long groups collapsed, a 65,536-character cap with a count of what was left out."""

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


def test_every_finding_is_one_row_with_four_cells() -> None:
    text = render(sample_result())
    assert text.splitlines()[0].startswith("## :x: schemacheck: Found 3 breaking changes and 2 other findings in 3 files")
    rows = table_rows(text)
    assert len(rows) == 5
    assert all(len(cells(row)) == 4 for row in rows)


def test_row_content() -> None:
    text = render(CheckResult(findings=(RENAMED,), base_label="origin/main"))
    row = cells(table_rows(text)[0])
    assert row == [
        ":x: error",
        "`protos/shop/order.proto:6:9`<br>was `protos/shop/order.proto:6:9` in origin/main",
        RENAMED.message,
        RENAMED.hint,
    ]
    assert "### `protos/shop/order.proto` (1 finding)" in text
    assert "**[`FIELD_SAME_NAME`](https://github.com/schemacheck/schemacheck/blob/main/rules/FIELD_SAME_NAME.md) (1 finding)**" in text


def test_grouped_by_file_then_rule_and_long_groups_collapsed() -> None:
    def finding(rule: str, path: str, line: int) -> Finding:
        return Finding(rule, Severity.ERROR, f"{rule} at {line}.", Location(path, line, 1))

    few = [finding("B_RULE", "a.proto", n) for n in (1, 2)]
    many = [finding("A_RULE", "a.proto", n) for n in range(10, 10 + md.OPEN_ROWS + 1)]
    other = [finding("A_RULE", "b.proto", 1)]
    lines = render(CheckResult(findings=tuple(few + many + other))).splitlines()
    headings = [line for line in lines if line.startswith("### ")]
    assert headings == ["### `a.proto` (6 findings)", "### `b.proto` (1 finding)"]
    opened = [i for i, line in enumerate(lines) if line.startswith("<details><summary><code>A_RULE</code>")]
    assert len(opened) == 1 and opened[0] < lines.index("### `b.proto` (1 finding)")
    closed = lines.index("</details>", opened[0])
    assert sum(1 for line in lines[opened[0]:closed] if line.startswith("| :x:")) == md.OPEN_ROWS + 1
    assert lines.index("**[`B_RULE`](https://github.com/schemacheck/schemacheck/blob/main/rules/B_RULE.md) (2 findings)**") > closed


def test_newlines_pipes_html_and_dollars_are_escaped_and_inline_code_kept() -> None:
    row = cells(table_rows(render(CheckResult(findings=(TYPE_CHANGED, ODD_PATH))))[1])
    assert row[2] == "Whole-file finding in an oddly named file &lt;b&gt;\\|`x`\\|&lt;/b&gt;."  # `x`: inline code
    assert row[1] == "`schemas/a b#%.proto`"
    first = cells(table_rows(render(CheckResult(findings=(TYPE_CHANGED,))))[0])
    assert first[2].endswith("see a,b:c.<br>Second line.")
    assert first[3] == "Add a new field.<br>Then migrate readers."
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
    monkeypatch.setattr(md, "MAX_CHARS", 4000)
    text = render(many_findings(100, 0, 0))
    assert len(text) <= 4000
    shown = len(table_rows(text))
    assert 0 < shown < 100
    assert f"*{100 - shown} more findings in " in text and "left out to fit a pull-request comment" in text
    assert text.count("<details>") == text.count("</details>")


def test_default_cap_fits_a_github_comment() -> None:
    assert md.MAX_CHARS < 65_536
    text = render(many_findings(3000, 3000, 3000))
    assert len(text) <= 65_536 and len(text.encode()) <= 1024 * 1024
    shown = len(table_rows(text))
    assert 0 < shown < 9000 and f"*{9000 - shown} more findings in " in text
    assert text.count("<details>") == text.count("</details>")


def test_deleted_only_result() -> None:
    assert len(table_rows(render(CheckResult(findings=(DELETED_FILE,))))) == 1


def test_inline_code_stays_code_and_a_lone_backtick_is_escaped() -> None:
    odd = Finding("X", Severity.ERROR, "Set `a|b` then `<b>`; a lone ` and \x1b stay text.", Location("a.json", 1, 1),
                  hint="Deprecate it first (`deprecated: true`).")
    row = cells(table_rows(render(CheckResult(findings=(odd,))))[0])
    assert row[2] == "Set `a\\|b` then `<b>`; a lone \\` and \\\\x1b stay text."  # control character shown, escaped
    assert row[3] == "Deprecate it first (`deprecated: true`)."
