"""End to end: a real git repository, the real CLI, every output format, every exit status.

The issue's "Done means": renaming ``total_amount`` to ``total_cents`` on a branch and running
``schemacheck --base main`` exits 1 with FIELD_SAME_NAME and FIELD_SAME_JSON_NAME at the
field's line and column in text, json, sarif and github; adding a field exits 0; bad input
exits 2 with a one-line message naming the file and position.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from gitrepo import GitRepo

from schemacheck.cli import main

ORDER = """syntax = "proto3";

package shop.v1;

// An order placed by a customer.
message Order {
  string id = 1;
  int64 total_amount = 2;
}
"""
RENAMED = ORDER.replace("total_amount", "total_cents")
ADDED = ORDER.replace("  int64 total_amount = 2;\n", "  int64 total_amount = 2;\n  string currency = 3;\n")
# total_amount is on line 8: the field starts at column 3, its name at column 9.
LINE, FIELD_COL, NAME_COL = 8, 3, 9


@pytest.fixture(autouse=True)
def _proto_backend(monkeypatch: pytest.MonkeyPatch) -> None:
    """Use protoc until the pure-Python compiler lands (then the default back end is tested)."""
    if importlib.util.find_spec("schemacheck.formats.protobuf.compiler") is None:
        monkeypatch.setenv("SCHEMACHECK_PROTO_PARSER", "protoc")
    for var in ("NO_COLOR", "FORCE_COLOR", "GITHUB_ACTIONS"):
        monkeypatch.delenv(var, raising=False)


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> GitRepo:
    r = GitRepo(tmp_path / "shop")
    r.write("proto/shop/v1/order.proto", ORDER)
    r.write("README.md", "shop\n")
    r.commit("order service")
    r.branch("rename-total")
    monkeypatch.chdir(r.root)
    return r


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def _rename(repo: GitRepo) -> None:
    repo.write("proto/shop/v1/order.proto", RENAMED)
    repo.commit("rename total_amount to total_cents")


def test_rename_text(repo: GitRepo, capsys: pytest.CaptureFixture[str]) -> None:
    _rename(repo)
    code, out, err = run(capsys, "--base", "main")
    assert code == 1, out + err
    assert f"proto/shop/v1/order.proto:{LINE}:{NAME_COL}" in out and "FIELD_SAME_NAME" in out
    assert f"proto/shop/v1/order.proto:{LINE}:{FIELD_COL}" in out and "FIELD_SAME_JSON_NAME" in out
    assert err == ""


def test_rename_json(repo: GitRepo, capsys: pytest.CaptureFixture[str]) -> None:
    _rename(repo)
    code, out, _ = run(capsys, "--base", "main", "--format", "json")
    assert code == 1
    found = {(f["rule_id"], f["location"]["path"], f["location"]["line"], f["location"]["column"])
             for f in json.loads(out)["findings"]}
    assert found == {("FIELD_SAME_NAME", "proto/shop/v1/order.proto", LINE, NAME_COL),
                     ("FIELD_SAME_JSON_NAME", "proto/shop/v1/order.proto", LINE, FIELD_COL)}


def test_rename_sarif_to_file(repo: GitRepo, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    _rename(repo)
    target = tmp_path / "out.sarif"
    code, out, _ = run(capsys, "--base", "main", "--format", "sarif", "--output", str(target))
    assert code == 1 and out == ""
    results = json.loads(target.read_text())["runs"][0]["results"]
    found = {(r["ruleId"], r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
              r["locations"][0]["physicalLocation"]["region"]["startLine"],
              r["locations"][0]["physicalLocation"]["region"]["startColumn"]) for r in results}
    assert found == {("FIELD_SAME_NAME", "proto/shop/v1/order.proto", LINE, NAME_COL),
                     ("FIELD_SAME_JSON_NAME", "proto/shop/v1/order.proto", LINE, FIELD_COL)}


def test_rename_github(repo: GitRepo, capsys: pytest.CaptureFixture[str]) -> None:
    _rename(repo)
    code, out, _ = run(capsys, "--base", "main", "--format", "github")
    assert code == 1
    assert f"::error file=proto/shop/v1/order.proto,line={LINE},endLine={LINE},col={NAME_COL}," in out
    assert "title=FIELD_SAME_NAME" in out and "title=FIELD_SAME_JSON_NAME" in out
    assert f"col={FIELD_COL}," in out


def test_added_field_is_clean(repo: GitRepo, capsys: pytest.CaptureFixture[str]) -> None:
    repo.write("proto/shop/v1/order.proto", ADDED)
    repo.commit("add currency")
    code, out, _ = run(capsys, "--base", "main")
    assert code == 0, out
    assert "FIELD_" not in out


def test_default_mode_is_work_tree_against_head(repo: GitRepo, capsys: pytest.CaptureFixture[str]) -> None:
    repo.write("proto/shop/v1/order.proto", RENAMED)  # not committed, not staged
    assert run(capsys, "--staged")[0] == 0
    code, out, _ = run(capsys)
    assert code == 1 and "FIELD_SAME_NAME" in out
    repo.stage()
    assert run(capsys, "--staged")[0] == 1


def test_head_mode_ignores_work_tree(repo: GitRepo, capsys: pytest.CaptureFixture[str]) -> None:
    _rename(repo)
    repo.write("proto/shop/v1/order.proto", ORDER)  # work tree reverted, commit still renames
    assert run(capsys, "--base", "main")[0] == 0
    assert run(capsys, "--base", "main", "--head", "rename-total")[0] == 1
    assert run(capsys, "--head", "HEAD")[0] == 1


def test_staged_deletion_is_seen(repo: GitRepo, capsys: pytest.CaptureFixture[str]) -> None:
    repo.run("rm", "-q", "proto/shop/v1/order.proto")
    code, out, _ = run(capsys, "--staged", "--format", "json")
    assert code == 1
    rules = {f["rule_id"] for f in json.loads(out)["findings"]}
    assert rules & {"FILE_NO_DELETE", "MESSAGE_NO_DELETE"}, rules


def test_select_ignore_and_fail_on(repo: GitRepo, capsys: pytest.CaptureFixture[str]) -> None:
    _rename(repo)
    code, out, _ = run(capsys, "--base", "main", "--format", "json", "--select", "FIELD_SAME_NAME")
    assert code == 1 and {f["rule_id"] for f in json.loads(out)["findings"]} == {"FIELD_SAME_NAME"}
    code, out, _ = run(capsys, "--base", "main", "--format", "json", "--ignore", "FIELD_SAME_NAME,FIELD_SAME_JSON_NAME")
    assert code == 0 and json.loads(out)["findings"] == []
    assert run(capsys, "--base", "main", "--select", "WIRE")[0] == 0  # categories: neither rule is WIRE-level
    assert run(capsys, "--base", "main", "--select", "WIRE", "--select", "WIRE_JSON")[0] == 1
    code, out, _ = run(capsys, "--base", "main", "--format", "json", "--select", "wire_json", "--ignore", "FIELD_SAME_NAME")
    assert code == 1 and {f["rule_id"] for f in json.loads(out)["findings"]} == {"FIELD_SAME_JSON_NAME"}
    code, out, err = run(capsys, "--base", "main", "--select", "NO_SUCH_RULE")
    assert code == 2 and "NO_SUCH_RULE" in err and "Traceback" not in err


def test_config_file_on_the_head_side_and_command_line_wins(repo: GitRepo, capsys: pytest.CaptureFixture[str]) -> None:
    _rename(repo)
    repo.write("schemacheck.toml", 'ignore = ["FIELD_SAME_NAME", "FIELD_SAME_JSON_NAME"]\n')
    assert run(capsys, "--base", "main")[0] == 0  # work tree config applies
    assert run(capsys, "--base", "main", "--ignore", "FIELD_SAME_NAME")[0] == 1  # --ignore replaces it
    assert run(capsys, "--base", "main", "--head", "HEAD")[0] == 1  # the commit has no config
    repo.write("schemacheck.toml", "fail-on = 'fatal'\n")
    code, _, err = run(capsys, "--base", "main")
    assert code == 2 and "schemacheck.toml" in err and "fail-on" in err


def test_paths_limit_the_check(repo: GitRepo, capsys: pytest.CaptureFixture[str]) -> None:
    _rename(repo)
    repo.write("other/x.proto", 'syntax = "proto3";\n')
    assert run(capsys, "--base", "main", "other")[0] == 0
    assert run(capsys, "--base", "main", "proto")[0] == 1
    code, _, err = run(capsys, "--base", "main", "/")
    assert code == 2 and "outside the repository" in err


def test_against_directories_and_files(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    for side, text in (("old", ORDER), ("new", RENAMED)):
        (tmp_path / side).mkdir()
        (tmp_path / side / "order.proto").write_text(text)
    monkeypatch.chdir(tmp_path)  # not a git repository
    code, out, _ = run(capsys, "new", "--against", "old")
    assert code == 1 and f"order.proto:{LINE}:{NAME_COL}" in out
    code, out, _ = run(capsys, "new/order.proto", "--against", "old/order.proto")
    assert code == 1 and "FIELD_SAME_NAME" in out
    code, _, err = run(capsys, "new", "--against", "old/order.proto")
    assert code == 2 and "both be directories or both be files" in err
    code, _, err = run(capsys, "new", "--against", "missing")
    assert code == 2 and "missing: no such file or directory" in err
    code, _, err = run(capsys, "--against", "old", "--base", "main")
    assert code == 2


def test_outside_a_repository_tips_against(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, "--base", "main")
    assert code == 2 and out == ""
    lines = err.splitlines()
    assert lines[0].startswith("schemacheck: error: ") and "not inside a git repository" in lines[0]
    assert lines[1].startswith("schemacheck: tip: ") and "--against" in lines[1]


def test_missing_base_ref(repo: GitRepo, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "--base", "origin/main")
    assert code == 2 and out == ""
    assert err.splitlines()[0] == f"schemacheck: error: base revision 'origin/main' not found in {repo.root.resolve()}"
    assert "git fetch origin main" in err and "fetch-depth: 0" in err


# An import found nowhere is not bad input since issue 13: the file is checked without it and
# one warning names it (tests/test_bsr_deps.py).
BAD_INPUTS = {
    "syntax error": ('syntax = "proto3";\nmessage { }\n', 2),
    "non-UTF-8": (b'\xff\xfesyntax = "proto3";\n', 1),
    "binary": (b"\x00\x01\x02\x03\xff\xfe\x00", 1),
}


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_input_is_exit_2_with_file_and_position(case: str, repo: GitRepo,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    content, line = BAD_INPUTS[case]
    repo.write("proto/shop/v1/order.proto", content)
    code, out, err = run(capsys, "--base", "main", "--format", "json")
    assert code == 2, (out, err)
    diags = [d for d in json.loads(out)["diagnostics"] if d["severity"] == "error"]
    assert diags and diags[0]["location"]["path"] == "proto/shop/v1/order.proto"
    assert diags[0]["location"]["line"] == line and diags[0]["location"]["column"] >= 1
    assert "\n" not in diags[0]["message"]
    code, out, err = run(capsys, "--base", "main")
    assert code == 2 and "Traceback" not in out + err
    assert any(l.strip().startswith(("error", "proto/shop/v1/order.proto")) and f"order.proto:{line}:" in l
               for l in out.splitlines()), out


_PROTOC = (os.environ.get("SCHEMACHECK_PROTO_PARSER") == "protoc"
           or importlib.util.find_spec("schemacheck.formats.protobuf.compiler") is None)


@pytest.mark.parametrize("content", [
    pytest.param(b"", id="empty"),
    pytest.param(b"\n  \n", id="blank"),
    pytest.param(b'syntax = "proto3";\n// caf\xe9\nmessage A {}\n', id="latin1-comment", marks=pytest.mark.xfail(
        _PROTOC, strict=True, reason="protoc accepts non-UTF-8 comments; the Python parser rejects them")),
])
def test_input_protoc_accepts_is_still_exit_2(content: bytes, repo: GitRepo, capsys: pytest.CaptureFixture[str]) -> None:
    repo.write("proto/shop/v1/order.proto", content)
    code, out, _ = run(capsys, "--base", "main")
    assert code == 2 and "proto/shop/v1/order.proto" in out


def test_internal_error_is_one_line_and_traceback_on_request(repo: GitRepo, capsys: pytest.CaptureFixture[str],
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    import schemacheck.runner

    def explode(request: object) -> None:
        raise RuntimeError("boom\nsecond line")

    monkeypatch.setattr(schemacheck.runner, "run_check", explode)
    repo.write("proto/shop/v1/order.proto", RENAMED)  # a change, so the runner is reached
    code, out, err = run(capsys)
    assert code == 2 and out == ""
    assert err.splitlines() == ["schemacheck: internal error: RuntimeError: boom",
                                "schemacheck: tip: This is a bug in schemacheck; rerun with --traceback and report the output."]
    with pytest.raises(RuntimeError):
        main(["--traceback"])


def test_usage_errors(repo: GitRepo, capsys: pytest.CaptureFixture[str]) -> None:
    for args in (["--format", "xml"], ["--staged", "--head", "HEAD"], ["--fail-on", "fatal"], ["--bogus"]):
        code, out, err = run(capsys, *args)
        assert code == 2 and err.startswith("schemacheck: error: ") and "Traceback" not in err, args


def test_subcommands(capsys: pytest.CaptureFixture[str]) -> None:
    from schemacheck import __version__

    assert run(capsys, "version") == (0, f"schemacheck {__version__}\n", "")
    code, out, _ = run(capsys, "rules", "--format", "json")
    rules = {r["id"]: r for r in json.loads(out)}
    assert code == 0 and rules["FIELD_SAME_NAME"]["format"] == "protobuf"
    code, out, _ = run(capsys, "explain", "FIELD_SAME_NAME")
    assert code == 0 and out.startswith("FIELD_SAME_NAME (protobuf;") and "## What it does" in out
    code, _, err = run(capsys, "explain", "FIELD_SAME_NAMEE")
    assert code == 2 and "FIELD_SAME_NAME" in err


def test_console_script_no_traceback_and_version(repo: GitRepo) -> None:
    exe = Path(sys.executable).parent / "schemacheck"
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "schemacheck"]
    proc = subprocess.run([*cmd, "--version"], capture_output=True, text=True)
    assert proc.returncode == 0 and proc.stdout.startswith("schemacheck ")
    proc = subprocess.run([*cmd, "--base", "nope"], capture_output=True, text=True, cwd=repo.root)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr and len(proc.stderr.splitlines()) == 2


def test_no_change_run_still_validates_rule_ids(repo: GitRepo, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "--staged")[0] == 0  # nothing changed: formats are not even loaded
    code, _, err = run(capsys, "--staged", "--ignore", "FIELD_SAME_NAM")
    assert code == 2 and "FIELD_SAME_NAM" in err and "FIELD_SAME_NAME" in err


def test_no_change_run_still_reports_a_bad_config(repo: GitRepo, capsys: pytest.CaptureFixture[str]) -> None:
    repo.write("pyproject.toml", "[tool.schemacheck]\nfail-on = 'fatal'\n")
    repo.commit("config")
    code, _, err = run(capsys, "--staged")
    assert code == 2 and "pyproject.toml: bad value for tool.schemacheck.fail-on" in err
    assert err.startswith("schemacheck: error: index:pyproject.toml")  # read from the index with --staged


def test_json_schema_changes_go_through_the_same_cli(repo: GitRepo, capsys: pytest.CaptureFixture[str]) -> None:
    schema = ('{"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object",\n'
              ' "properties": {"total_amount": {"type": "integer"}}}\n')
    repo.write("schemas/order.schema.json", schema)
    repo.commit("schema")
    repo.write("schemas/order.schema.json", schema.replace('"integer"', '"string"'))
    code, out, _ = run(capsys, "--format", "json")
    findings = json.loads(out)["findings"]
    assert code == 1 and findings and {f["format"] for f in findings} == {"jsonschema"}
    assert findings[0]["location"]["path"] == "schemas/order.schema.json" and findings[0]["location"]["line"] == 2


def test_color_and_output_options(repo: GitRepo, capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                  monkeypatch: pytest.MonkeyPatch) -> None:
    _rename(repo)
    assert "\x1b[" in run(capsys, "--base", "main", "--color", "always")[1]
    assert "\x1b[" not in run(capsys, "--base", "main", "--color", "never")[1]
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert "\x1b[" in run(capsys, "--base", "main")[1]
    monkeypatch.setenv("NO_COLOR", "1")
    assert "\x1b[" not in run(capsys, "--base", "main")[1]
    code, out, err = run(capsys, "--base", "main", "-o", str(tmp_path / "missing-dir" / "report.txt"))
    assert code == 2 and out == "" and "cannot write the report" in err


def test_pre_push_reads_the_range_from_pre_commit(repo: GitRepo, capsys: pytest.CaptureFixture[str],
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    _rename(repo)
    monkeypatch.delenv("PRE_COMMIT_FROM_REF", raising=False)
    monkeypatch.delenv("PRE_COMMIT_TO_REF", raising=False)
    monkeypatch.delenv("PRE_COMMIT_REMOTE_NAME", raising=False)
    code, out, err = run(capsys, "--pre-push")  # `pre-commit run --hook-stage pre-push --all-files` by hand
    assert code == 2 and out == "" and "nothing to compare" in err
    monkeypatch.setenv("PRE_COMMIT_REMOTE_NAME", "origin")  # a real push of new, unrelated history
    code, out, err = run(capsys, "--pre-push")
    assert code == 0 and out == "" and "nothing to compare" in err
    monkeypatch.setenv("PRE_COMMIT_FROM_REF", "main")
    monkeypatch.setenv("PRE_COMMIT_TO_REF", repo.head())
    code, out, _ = run(capsys, "--pre-push")
    assert code == 1 and "FIELD_SAME_NAME" in out
    monkeypatch.setenv("PRE_COMMIT_TO_REF", "main")
    assert run(capsys, "--pre-push")[0] == 0
    assert run(capsys, "--pre-push", "--staged")[0] == 2


def test_without_git_on_path(repo: GitRepo) -> None:
    proc = subprocess.run([sys.executable, "-m", "schemacheck", "--base", "main"], cwd=repo.root, capture_output=True,
                          text=True, env={**os.environ, "PATH": str(repo.root / "no-such-dir")})
    assert proc.returncode == 2 and proc.stdout == ""
    assert proc.stderr.startswith("schemacheck: error: cannot run git") and "Traceback" not in proc.stderr


@pytest.mark.parametrize(("table", "message"), [
    ("FIELD_SAME_NAM = 'warning'", "unknown rule or category 'FIELD_SAME_NAM'"),
    ("WIRE_JSON = 'warning'", "severity.WIRE_JSON is a category"),
])
def test_severity_keys_must_be_rule_ids(table: str, message: str, repo: GitRepo,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    _rename(repo)
    repo.write("schemacheck.toml", f"[severity]\n{table}\n")
    code, _, err = run(capsys, "--base", "main")
    assert code == 2 and message in err and "schemacheck.toml" in err
    repo.write("schemacheck.toml", "[severity]\nFIELD_SAME_NAME = 'warning'\nFIELD_SAME_JSON_NAME = 'info'\n")
    assert run(capsys, "--base", "main")[0] == 0  # both demoted below --fail-on error
    assert run(capsys, "--base", "main", "--fail-on", "warning")[0] == 1


def test_top_level_help_lists_every_subcommand_though_a_run_builds_only_its_own(capsys) -> None:
    """``main`` builds only the named subcommand's parser (argparse set-up is paid on every run);
    ``--help`` still lists them all."""
    from schemacheck.cli import SUBCOMMANDS, build_parser

    assert set(build_parser("check")._subparsers._group_actions[0].choices) == {"check"}
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    assert all(name in out for name in SUBCOMMANDS)
