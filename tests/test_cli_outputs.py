"""One run, several outputs (``-o FORMAT:FILE``), and paths a terminal can click (issue 14).

Real git repositories and the real CLI, in process.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from gitrepo import GitRepo

from schemacheck.cli import main

ORDER = 'syntax = "proto3";\npackage shop.v1;\n\nmessage Order {\n  string id = 1;\n  int64 total = 2;\n}\n'
BROKEN = ORDER.replace("int64 total", "string total")


@pytest.fixture(autouse=True)
def _plain(monkeypatch: pytest.MonkeyPatch) -> None:
    for var in ("NO_COLOR", "FORCE_COLOR", "GITHUB_ACTIONS", "GITHUB_SERVER_URL", "GITHUB_REPOSITORY"):
        monkeypatch.delenv(var, raising=False)


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> GitRepo:
    r = GitRepo(tmp_path / "shop")
    r.write("proto/shop/v1/order.proto", ORDER)
    r.commit("v1")
    r.branch("change")
    monkeypatch.chdir(r.root)
    return r


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["--color", "never", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_one_run_writes_every_output_and_keeps_text_on_the_terminal(repo: GitRepo, capsys, tmp_path: Path) -> None:
    repo.write("proto/shop/v1/order.proto", BROKEN)
    sarif, js, md = tmp_path / "r.sarif", tmp_path / "r.json", tmp_path / "r.md"
    code, out, err = run(capsys, "--base", "main", "-o", f"sarif:{sarif}", "--output", f"json:{js}", "-o", f"markdown:{md}")
    assert code == 1, err
    assert "FIELD_SAME_TYPE" in out and out.rstrip().splitlines()[-1].startswith("Found 1 breaking change")
    assert json.loads(sarif.read_text())["runs"][0]["results"][0]["ruleId"] == "FIELD_SAME_TYPE"
    assert json.loads(js.read_text())["summary"]["failing"] == 1
    assert "FIELD_SAME_TYPE" in md.read_text()


def test_format_chooses_stdout_and_dash_is_stdout(repo: GitRepo, capsys, tmp_path: Path) -> None:
    repo.write("proto/shop/v1/order.proto", BROKEN)
    text = tmp_path / "report.txt"
    code, out, _ = run(capsys, "--base", "main", "--format", "github", "-o", f"text:{text}")
    assert code == 1 and out.startswith("::error ") and "FIELD_SAME_TYPE" in text.read_text()
    code, out, _ = run(capsys, "--base", "main", "-o", "plain.txt", "-o", "json:-")
    assert code == 1 and json.loads(out)["findings"][0]["rule_id"] == "FIELD_SAME_TYPE"
    assert "FIELD_SAME_TYPE" in (repo.root / "plain.txt").read_text()


def test_clean_run_writes_every_output_and_exits_0(repo: GitRepo, capsys, tmp_path: Path) -> None:
    repo.write("proto/shop/v1/order.proto", ORDER.replace("}\n", "  string note = 3;\n}\n"))
    js = tmp_path / "r.json"
    code, out, _ = run(capsys, "--base", "main", "-o", f"json:{js}")
    assert code == 0 and "No breaking changes" in out
    assert json.loads(js.read_text())["summary"]["findings"] == 0


@pytest.mark.parametrize("outputs", [["a.json", "b.json"], ["json:-"], ["json:same", "sarif:same"], ["sarif:"]])
def test_conflicting_outputs_are_usage_errors_before_any_work(repo: GitRepo, capsys, outputs: list[str]) -> None:
    repo.write("proto/shop/v1/order.proto", BROKEN)
    args = [a for o in outputs for a in ("-o", o)]
    code, out, err = run(capsys, "--base", "main", *args)
    assert code == 2 and out == "" and len(err.strip().splitlines()) <= 2 and "Traceback" not in err
    assert not any((repo.root / name).exists() for name in ("a.json", "same"))


def test_unwritable_output_is_exit_2_and_stdout_is_not_written(repo: GitRepo, capsys, tmp_path: Path) -> None:
    repo.write("proto/shop/v1/order.proto", BROKEN)
    code, out, err = run(capsys, "--base", "main", "-o", f"sarif:{tmp_path / 'missing' / 'r.sarif'}")
    assert code == 2 and out == "" and "r.sarif" in err


def test_text_paths_are_relative_to_where_the_user_ran(repo: GitRepo, capsys, monkeypatch: pytest.MonkeyPatch,
                                                      tmp_path: Path) -> None:
    repo.write("proto/shop/v1/order.proto", BROKEN)
    monkeypatch.chdir(repo.root / "proto" / "shop")
    js = tmp_path / "r.json"
    code, out, _ = run(capsys, "--base", "main", "-o", f"json:{js}")
    assert code == 1
    assert "v1/order.proto:6:3" in out and "proto/shop/v1/order.proto" not in out
    assert "was at base v1/order.proto:6:3" in out
    assert json.loads(js.read_text())["findings"][0]["location"]["path"] == "proto/shop/v1/order.proto"
    (repo.root / "docs").mkdir()
    monkeypatch.chdir(repo.root / "docs")
    assert "../proto/shop/v1/order.proto:6:3" in run(capsys, "--base", "main")[1]


def test_against_paths_name_the_directories_given(tmp_path: Path, capsys, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "old").mkdir()
    (tmp_path / "new").mkdir()
    (tmp_path / "old" / "order.proto").write_text(ORDER)
    (tmp_path / "new" / "order.proto").write_text(BROKEN)
    (tmp_path / "v2.proto").write_text(BROKEN)
    monkeypatch.chdir(tmp_path)
    code, out, _ = run(capsys, "new", "--against", "old", "-o", "sarif:r.sarif")
    assert code == 1
    assert "new/order.proto:6:3" in out and "was at base old/order.proto:6:3" in out
    sarif = json.loads((tmp_path / "r.sarif").read_text())
    assert sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "order.proto"
    code, out, _ = run(capsys, "v2.proto", "--against", "old/order.proto")
    assert code == 1 and "v2.proto:6:3" in out and "was at base old/order.proto:6:3" in out


def test_summary_counts_every_format_and_verbose_says_what_was_passed_over(repo: GitRepo, capsys,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    from schemacheck.formats.registry import FORMATS

    repo.write("schemacheck.toml", 'exclude = ["vendor/**"]\n')
    repo.write("vendor/dep.proto", ORDER)
    repo.commit("config")
    repo.run("checkout", "-q", "-b", "more")
    repo.run("mv", "proto/shop/v1/order.proto", "proto/shop/v1/orders.proto")
    repo.write("vendor/dep.proto", BROKEN)  # excluded: its break is not reported
    repo.write("notes.txt", "hello\n")
    code, out, _ = run(capsys, "--base", "change", "-v")
    assert code == 1, out  # renaming a .proto file breaks its importers (FILE_NO_DELETE)
    summary = out.rstrip().splitlines()[-1]
    zeros = [FORMATS[name].label.rsplit(" ", 1)[0] for name in FORMATS if name != "protobuf"]
    assert summary.endswith(f"; checked 2 .proto, {', '.join(f'0 {z}' for z in zeros)} files.")
    assert "  proto/shop/v1/orders.proto (protobuf, renamed from proto/shop/v1/order.proto)" in out
    assert "  vendor/dep.proto: excluded" in out and "  notes.txt: not a schema" in out
    assert "Compared" not in run(capsys, "--base", "change")[1]  # only with --verbose


def test_docs_cover_every_output_format() -> None:
    from schemacheck.cli import FORMATS

    root = Path(__file__).parent.parent
    usage = (root / "docs" / "usage.md").read_text()
    fields = (root / "docs" / "json-output.md").read_text()
    readme = (root / "README.md").read_text()
    for name in FORMATS:
        assert f"| `{name}` " in usage, f"docs/usage.md has no row for --format {name}"
        assert f"`{name}`" in readme
        assert name == "text" or f"### `{name}`" in fields or name == "json", f"json-output.md: {name}"
    assert "uses: schemacheck/schemacheck@" in readme and "-o sarif:" in readme


def test_every_format_can_be_an_extra_output(repo: GitRepo, capsys, tmp_path: Path) -> None:
    from schemacheck.cli import FORMATS

    repo.write("proto/shop/v1/order.proto", BROKEN)
    args = [a for name in FORMATS for a in ("-o", f"{name}:{tmp_path / ('report.' + name)}")]
    code, out, err = run(capsys, "--base", "main", "--format", "github", *args)
    assert code == 1 and out.startswith("::error "), err
    for name in FORMATS:
        text = (tmp_path / f"report.{name}").read_text()
        assert "FIELD_SAME_TYPE" in text, name
    assert "\x1b[" not in (tmp_path / "report.text").read_text()  # a file gets no colour


def test_a_mistyped_format_prefix_is_a_usage_error_not_a_file_name(repo: GitRepo, capsys) -> None:
    repo.write("proto/shop/v1/order.proto", BROKEN)
    code, out, err = run(capsys, "--base", "main", "-o", "sarfi:out.sarif")
    assert code == 2 and out == ""
    assert "'sarfi'" in err and "sarif" in err.split("'sarfi'", 1)[1]
    assert not (repo.root / "sarfi:out.sarif").exists()
    # a path (a `/` or `.` before the colon) is still a plain file name
    code, _, err = run(capsys, "--base", "main", "-o", "./odd:name.txt")
    assert code == 1, err
    assert "FIELD_SAME_TYPE" in (repo.root / "odd:name.txt").read_text()


def test_against_two_files_names_the_old_file_as_base_in_every_format(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "order_old.proto").write_text(ORDER)
    (tmp_path / "order_new.proto").write_text(BROKEN)
    outs = {fmt: tmp_path / f"r.{fmt}" for fmt in ("json", "sarif", "markdown", "github", "junit", "text")}
    code, _, err = run(capsys, "order_new.proto", "--against", "order_old.proto", "-o", "-",
                       *[arg for fmt, path in outs.items() for arg in ("-o", f"{fmt}:{path}")])
    assert code == 1, err
    finding = json.loads(outs["json"].read_text())["findings"][0]
    assert finding["location"]["path"] == "order_new.proto"
    assert finding["base_location"]["path"] == "order_old.proto"
    related = json.loads(outs["sarif"].read_text())["runs"][0]["results"][0]["relatedLocations"][0]
    assert related["physicalLocation"]["artifactLocation"]["uri"] == "order_old.proto"
    assert "order_old.proto" in related["message"]["text"]
    for fmt in ("markdown", "github", "junit", "text"):
        assert "order_old.proto:" in outs[fmt].read_text(), fmt


def test_color_always_colours_the_terminal_report_never_a_file(repo: GitRepo, capsys, tmp_path: Path) -> None:
    repo.write("proto/shop/v1/order.proto", BROKEN)
    text, plain = tmp_path / "r.txt", tmp_path / "plain.txt"
    code = main(["--color", "always", "--base", "main", "-o", f"text:{text}"])
    out = capsys.readouterr().out
    assert code == 1 and "\x1b[" in out
    assert "FIELD_SAME_TYPE" in text.read_text() and "\x1b" not in text.read_text()
    code = main(["--color", "always", "--base", "main", "-o", str(plain)])
    assert code == 1 and "FIELD_SAME_TYPE" in plain.read_text() and "\x1b" not in plain.read_text()


def test_contract_shares_checks_output_options_and_rejects_bad_outputs_first(repo: GitRepo, capsys) -> None:
    """``contract`` takes ``--format``/``-o``/``--color`` as ``check`` does, and a bad ``-o`` is
    refused before its selectors are read (the missing files here would be the other error)."""
    code = main(["contract", "nope.py:X", "nope.yaml GET /x 200", "-o", "a.json", "-o", "b.json"])
    out, err = capsys.readouterr()
    assert code == 2 and out == "" and "b.json" in err and "nope" not in err
