"""``--format junit`` and ``--format gitlab`` through the real CLI on real git repositories,
validated against the published formats (tests/schemas/: JUnit XML after the Jenkins xunit
plugin's XSD, GitLab Code Quality after GitLab's documented report format)."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from gitrepo import GitRepo

from schemacheck.cli import main

SCHEMAS = Path(__file__).parent / "schemas"
ORDER = 'syntax = "proto3";\npackage shop.v1;\n\nmessage Order {\n  string id = 1;\n  int64 total = 2;\n}\n'
OTHER = 'syntax = "proto3";\npackage shop.v1;\n\nmessage Other {\n  string id = 1;\n}\n'


@pytest.fixture(autouse=True)
def _plain(monkeypatch: pytest.MonkeyPatch) -> None:
    for var in ("NO_COLOR", "FORCE_COLOR", "GITHUB_ACTIONS"):
        monkeypatch.delenv(var, raising=False)


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> GitRepo:
    r = GitRepo(tmp_path / "shop")
    r.write("proto/order.proto", ORDER)
    r.write("proto/other.proto", OTHER)
    r.write("README.md", "shop\n")
    r.commit("v1")
    r.branch("change")
    monkeypatch.chdir(r.root)
    return r


def junit(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, ET.Element]:
    import xmlschema

    code = main(["--base", "main", "--format", "junit", *args])
    out = capsys.readouterr().out
    xmlschema.XMLSchema(str(SCHEMAS / "junit.xsd")).validate(out)
    return code, ET.fromstring(out)


def gitlab(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list]:
    import jsonschema

    code = main(["--base", "main", "--format", "gitlab", *args])
    report = json.loads(capsys.readouterr().out)
    jsonschema.validate(report, json.loads((SCHEMAS / "gitlab-codequality.schema.json").read_text()))
    fingerprints = [issue["fingerprint"] for issue in report]
    assert len(set(fingerprints)) == len(fingerprints)
    return code, report


def test_junit_has_one_case_per_compared_file_and_failures_for_breaking_changes(repo: GitRepo, capsys) -> None:
    repo.write("proto/order.proto", ORDER.replace("int64 total", "string total").replace("  string id = 1;\n", ""))
    repo.write("proto/other.proto", OTHER.replace("}\n", "  string note = 2;\n}\n"))
    repo.write("README.md", "changed\n")  # not a schema: no test case
    code, root = junit(capsys)
    assert code == 1
    suite = root.find("testsuite")
    cases = {c.get("name"): c for c in suite.iter("testcase")}
    assert set(cases) == {"proto/order.proto", "proto/other.proto"}
    assert sorted(f.get("type") for f in cases["proto/order.proto"].iter("failure")) == ["FIELD_NO_DELETE", "FIELD_SAME_TYPE"]
    assert cases["proto/other.proto"].find("failure") is None
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors")) == ("2", "1", "0")


def test_junit_below_fail_on_passes_and_nothing_compared_is_skipped(repo: GitRepo, capsys) -> None:
    repo.write("schemacheck.toml", '[severity]\nFIELD_SAME_TYPE = "warning"\n')
    repo.write("proto/order.proto", ORDER.replace("int64 total", "string total"))
    code, root = junit(capsys)
    [case] = [c for c in root.iter("testcase") if c.get("name") == "proto/order.proto"]
    assert code == 0 and case.find("failure") is None and "FIELD_SAME_TYPE" in case.find("system-out").text
    repo.delete("schemacheck.toml")
    repo.write("proto/order.proto", ORDER)
    repo.write("README.md", "changed\n")
    code, root = junit(capsys)
    [case] = root.iter("testcase")
    assert code == 0 and case.find("skipped") is not None and "0 schema files" in case.find("skipped").get("message")


def test_junit_input_error_is_an_error_of_its_file(repo: GitRepo, capsys) -> None:
    repo.write("proto/order.proto", ORDER.replace("message Order {", "message Order {{\x1b[31m"))
    code, root = junit(capsys)
    assert code == 2
    errors = [c for c in root.iter("testcase") if c.find("error") is not None]
    assert [c.get("name") for c in errors] == ["proto/order.proto"]
    assert "\x1b" not in ET.tostring(root, encoding="unicode")


def test_gitlab_code_quality_issues(repo: GitRepo, capsys) -> None:
    repo.write("proto/order.proto", ORDER.replace("int64 total", "string total").replace("  string id = 1;\n", ""))
    code, report = gitlab(capsys)
    assert code == 1
    by_rule = {issue["check_name"]: issue for issue in report}
    assert set(by_rule) == {"FIELD_SAME_TYPE", "FIELD_NO_DELETE"}
    assert by_rule["FIELD_SAME_TYPE"]["location"] == {"path": "proto/order.proto", "lines": {"begin": 5}}
    assert by_rule["FIELD_SAME_TYPE"]["severity"] == "critical"
    # the same change with a line added above it keeps its fingerprint
    repo.write("proto/order.proto", "// moved down\n" + ORDER.replace("int64 total", "string total").replace("  string id = 1;\n", ""))
    moved = {issue["check_name"]: issue for issue in gitlab(capsys)[1]}
    assert moved["FIELD_SAME_TYPE"]["fingerprint"] == by_rule["FIELD_SAME_TYPE"]["fingerprint"]
    assert moved["FIELD_SAME_TYPE"]["location"]["lines"]["begin"] == 6


def test_gitlab_clean_run_is_an_empty_report_and_input_errors_are_blockers(repo: GitRepo, capsys) -> None:
    repo.write("proto/other.proto", OTHER.replace("}\n", "  string note = 2;\n}\n"))
    assert gitlab(capsys) == (0, [])
    repo.write("proto/order.proto", "syntax = \"proto3\";\nmessage {\n")
    code, report = gitlab(capsys)
    assert code == 2 and [i["severity"] for i in report] == ["blocker"] and report[0]["location"]["path"] == "proto/order.proto"


def test_the_schemas_reject_what_consumers_reject() -> None:
    import jsonschema
    import xmlschema

    with pytest.raises(xmlschema.XMLSchemaValidationError):
        xmlschema.XMLSchema(str(SCHEMAS / "junit.xsd")).validate('<testsuites><testsuite name="x"/></testsuites>')
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate([{"description": "d", "check_name": "c", "fingerprint": "f", "severity": "error",
                              "location": {"path": "a", "lines": {"begin": 1}}}],
                            json.loads((SCHEMAS / "gitlab-codequality.schema.json").read_text()))
