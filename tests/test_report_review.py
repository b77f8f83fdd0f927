"""SARIF and JSON that reviewers can use (issue 14): base locations in the base tree, deletions
anchored on a head line the diff shows, accepted findings listed as suppressed.

Real git repositories and the real CLI; every SARIF log is checked with the official schema and
Microsoft's Multitool (helpers from test_report_sarif).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from gitrepo import GitRepo

from schemacheck.anchors import deletion_anchor
from schemacheck.cli import main

from test_report_sarif import multitool_problems, schema_errors

ORDER = """syntax = "proto3";
package shop.v1;

message Order {
  string id = 1;
  int64 total = 2;
  string note = 3;
}

message Gone {
  string x = 1;
}
"""
# note (line 7) and Gone (lines 10-12) deleted; the head file has 7 lines.
DELETED = """syntax = "proto3";
package shop.v1;

message Order {
  string id = 1;
  int64 total = 2;
}
"""


@pytest.fixture(autouse=True)
def _plain(monkeypatch: pytest.MonkeyPatch) -> None:
    for var in ("NO_COLOR", "FORCE_COLOR", "GITHUB_ACTIONS", "GITHUB_SERVER_URL", "GITHUB_REPOSITORY"):
        monkeypatch.delenv(var, raising=False)


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> GitRepo:
    r = GitRepo(tmp_path / "shop")
    r.write("proto/order.proto", ORDER)
    r.commit("v1")
    r.branch("change")
    monkeypatch.chdir(r.root)
    return r


def sarif_run(capsys: pytest.CaptureFixture[str], tmp_path: Path, *args: str) -> tuple[int, dict]:
    out = tmp_path / "r.sarif"
    code = main(["--base", "main", "--color", "never", *args, "-o", f"sarif:{out}"])
    capsys.readouterr()
    log = json.loads(out.read_text())
    assert schema_errors(log) == []
    return code, log


def _where(physical: dict) -> tuple[str, str, int]:
    loc = physical["physicalLocation"]
    return loc["artifactLocation"]["uri"], loc["artifactLocation"]["uriBaseId"], loc["region"]["startLine"]


def test_base_location_is_related_in_the_base_tree_with_the_base_path(repo: GitRepo, capsys, tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    repo.run("mv", "proto/order.proto", "proto/orders.proto")
    repo.write("proto/orders.proto", ORDER.replace("int64 total", "string total"))
    repo.commit("rename the file, change a type")
    base_sha = repo.run("rev-parse", "main").strip()
    monkeypatch.setenv("GITHUB_SERVER_URL", "https://github.example")
    monkeypatch.setenv("GITHUB_REPOSITORY", "acme/shop")
    code, log = sarif_run(capsys, tmp_path)
    assert code == 1
    run = log["runs"][0]
    [result] = [r for r in run["results"] if r["ruleId"] == "FIELD_SAME_TYPE"]
    assert _where(result["locations"][0]) == ("proto/orders.proto", "%SRCROOT%", 6)
    assert _where(result["relatedLocations"][0]) == ("proto/order.proto", "BASEROOT", 6)
    assert run["originalUriBaseIds"]["BASEROOT"]["uri"] == f"https://github.example/acme/shop/blob/{base_sha}/"
    assert multitool_problems(log, tmp_path) == []


def test_deletions_are_anchored_on_the_head_line_the_diff_shows(repo: GitRepo, capsys, tmp_path: Path) -> None:
    repo.write("proto/order.proto", DELETED)
    code, log = sarif_run(capsys, tmp_path)
    assert code == 1
    results = {r["ruleId"]: r for r in log["runs"][0]["results"]}
    field, message = results["FIELD_NO_DELETE"], results["MESSAGE_NO_DELETE"]
    # the field's line went between head lines 6 and 7: anchored on 7 ("}"), the first line after it
    assert _where(field["locations"][0]) == ("proto/order.proto", "%SRCROOT%", 7)
    assert ("proto/order.proto", "BASEROOT", 7) in [_where(r) for r in field["relatedLocations"]]
    assert ("proto/order.proto", "%SRCROOT%", 4) in [_where(r) for r in field["relatedLocations"]]  # message Order
    # the message was at the end of the file: anchored on the last head line, not on line 1
    assert _where(message["locations"][0]) == ("proto/order.proto", "%SRCROOT%", 7)
    assert ("proto/order.proto", "BASEROOT", 10) in [_where(r) for r in message["relatedLocations"]]
    assert multitool_problems(log, tmp_path) == []
    # the text report keeps the enclosing element (and annotations use the anchor)
    assert main(["--base", "main", "--color", "never"]) == 1
    assert "proto/order.proto:4:1  FIELD_NO_DELETE" in capsys.readouterr().out
    assert main(["--base", "main", "--format", "github"]) == 1
    lines = [ln for ln in capsys.readouterr().out.splitlines() if "title=FIELD_NO_DELETE" in ln]
    assert lines and "line=7," in lines[0]


def test_deleted_file_without_rename_stays_on_its_base_path(repo: GitRepo, capsys, tmp_path: Path) -> None:
    repo.write("proto/other.proto", 'syntax = "proto3";\npackage shop.v1;\nmessage Other { string a = 1; }\n')
    repo.commit("other")
    repo.run("checkout", "-q", "-b", "drop")
    repo.run("rm", "-q", "proto/other.proto")
    repo.commit("drop other")
    code = main(["--base", "change", "--color", "never", "-o", f"sarif:{tmp_path / 'r.sarif'}"])
    capsys.readouterr()
    result = json.loads((tmp_path / "r.sarif").read_text())["runs"][0]["results"][0]
    assert code == 1 and result["ruleId"] == "FILE_NO_DELETE" and result["properties"]["baseOnly"] is True
    assert _where(result["relatedLocations"][0])[:2] == ("proto/other.proto", "BASEROOT")


def test_renamed_file_is_anchored_in_its_new_name(repo: GitRepo, capsys, tmp_path: Path) -> None:
    repo.run("mv", "proto/order.proto", "proto/orders.proto")
    code, log = sarif_run(capsys, tmp_path)
    [result] = [r for r in log["runs"][0]["results"] if r["ruleId"] == "FILE_NO_DELETE"]
    assert code == 1 and _where(result["locations"][0])[:2] == ("proto/orders.proto", "%SRCROOT%")
    assert _where(result["relatedLocations"][0])[:2] == ("proto/order.proto", "BASEROOT")
    assert "baseOnly" not in result.get("properties", {})


def test_accepted_findings_are_suppressed_results_and_listed_in_json(repo: GitRepo, capsys, tmp_path: Path) -> None:
    repo.write("proto/order.proto", ORDER.replace("int64 total = 2;",
                                                  "string total = 2; // schemacheck:ignore FIELD_SAME_TYPE -- v2 clients only"))
    js = tmp_path / "r.json"
    code, log = sarif_run(capsys, tmp_path, "-o", f"json:{js}")
    assert code == 0  # accepted: not failing
    [result] = log["runs"][0]["results"]
    assert result["ruleId"] == "FIELD_SAME_TYPE"
    [suppression] = result["suppressions"]
    assert suppression["kind"] == "inSource" and suppression["justification"] == "v2 clients only"
    assert _where(suppression["location"]) == ("proto/order.proto", "%SRCROOT%", 6)
    assert multitool_problems(log, tmp_path) == []
    report = json.loads(js.read_text())
    assert report["findings"] == [] and report["summary"]["suppressed"] == 1
    [accepted] = report["accepted"]
    assert accepted["reason"] == "v2 clients only" and accepted["finding"]["rule_id"] == "FIELD_SAME_TYPE"
    assert accepted["directive"]["line"] == 6
    import jsonschema

    schema = json.loads((Path(__file__).parent.parent / "docs" / "json-output.schema.json").read_text())
    jsonschema.validate(report, schema)


@pytest.mark.parametrize(("base", "head", "line", "span", "expected"), [
    (["a", "b", "c"], ["a", "c"], 2, None, 2),          # deleted between: the next line
    (["a", "b", "c"], ["a", "b"], 3, None, 2),          # deleted at the end: the last line
    (["a", "b", "c"], ["a", "b", "c"], 2, None, None),  # survived
    (["a", "b", "c"], ["a", "B", "c"], 2, (2, 2), None),  # changed: the element is the replacement
    (["a", "b", "c"], ["a", "B", "c"], 2, (1, 3), 2),   # replaced, reported at an enclosing element
])
def test_deletion_anchor(base: list[str], head: list[str], line: int, span, expected) -> None:
    assert deletion_anchor(base, head, line, span) == expected
