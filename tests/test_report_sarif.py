"""SARIF output: official 2.1.0 schema, Microsoft's Multitool validator (incl. GitHub rules), shape."""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from schemacheck.model import CheckResult, Finding, Location, Severity
from schemacheck.registry import load_rules
from schemacheck.report import SarifReporter, lines_from_reader, lines_from_texts
from schemacheck.report.sarif import build_sarif
from schemacheck.report.sarif_rules import rule_descriptor
from schemacheck.snapshot import DirectorySnapshot

from test_report_support import (
    DELETED_FILE,
    HEAD_TEXTS,
    LOCAL_RULES,
    MULTILINE,
    ODD_PATH,
    RENAMED,
    TYPE_CHANGED,
    many_findings,
    sample_context,
    sample_result,
)
from tools import FIXTURES, require, sarif_multitool_path, sarif_schema_path


def render(result: CheckResult, **ctx: object) -> dict:
    return json.loads(SarifReporter().render(result, sample_context(**ctx)))


def schema_errors(log: dict) -> list[str]:
    import jsonschema

    schema = json.loads(Path(require(sarif_schema_path(), "SARIF 2.1.0 schema (npm @microsoft/jest-sarif)")).read_text())
    cls = jsonschema.validators.validator_for(schema)
    validator = cls(schema, format_checker=cls.FORMAT_CHECKER)
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(log)]


def multitool_command(tool: str) -> list[str]:
    """The native Multitool binary: the npm wrapper runs it through a shell, which mangles ';'."""
    real = Path(tool).resolve()
    if real.suffix == ".js":
        native = real.parent.parent / f"sarif-multitool-{sys.platform}" / "Sarif.Multitool"
        if native.exists():
            return [str(native)]
    return [tool]


def multitool_problems(log: dict, tmp_path: Path) -> list[str]:
    """Run ``sarif-multitool validate`` with the SARIF, GitHub and GHAS rule sets; errors and warnings."""
    tool = require(sarif_multitool_path(), "SARIF Multitool (npm @microsoft/sarif-multitool)")
    sarif = tmp_path / "report.sarif"
    sarif.write_text(json.dumps(log), encoding="utf-8")
    out = tmp_path / "validation.sarif"
    cmd = [*multitool_command(tool), "validate", str(sarif), "--output", str(out), "--log", "ForceOverwrite",
           "--rule-kind", "Sarif;Gh;Ghas", "--level", "Error;Warning"]
    if cmd[0] == tool and tool.endswith(".js"):
        cmd = [cmd[0], *(shlex.quote(a) for a in cmd[1:])]
    env = {**os.environ, "DOTNET_CLI_TELEMETRY_OPTOUT": "1"}
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=120)
    assert out.exists(), f"multitool wrote no output:\n{proc.stdout}\n{proc.stderr}"
    validation = json.loads(out.read_text(encoding="utf-8-sig"))
    problems = []
    for run in validation["runs"]:
        for res in run.get("results", []):
            if res.get("level", "warning") in ("error", "warning"):
                problems.append(f"{res['ruleId']}: {res['message']}")
    # the validator itself must have run its rules (it reports its own rules as metadata)
    assert validation["runs"][0]["tool"]["driver"]["name"], validation
    return problems


def test_sample_validates_against_official_schema() -> None:
    assert schema_errors(render(sample_result())) == []


def test_empty_result_validates() -> None:
    log = render(CheckResult())
    assert schema_errors(log) == []
    assert log["runs"][0]["results"] == [] and log["runs"][0]["tool"]["driver"]["rules"] == []


def test_schema_check_catches_a_broken_log() -> None:
    log = render(CheckResult(findings=(RENAMED,)))
    log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startColumn"] = 0
    assert any("startColumn" in e for e in schema_errors(log))


def test_multitool_accepts_sample(tmp_path: Path) -> None:
    assert multitool_problems(render(sample_result(), repo_root=str(tmp_path)), tmp_path) == []


def test_multitool_catches_a_broken_log(tmp_path: Path) -> None:
    log = render(CheckResult(findings=(RENAMED,)))
    del log["runs"][0]["tool"]["driver"]["rules"][0]["shortDescription"]
    assert any(p.startswith("GH") or "shortDescription" in p for p in multitool_problems(log, tmp_path))


def test_real_engine_output_validates(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Findings from the real protobuf engine on a fixture, with real rule metadata."""
    import importlib.util

    from fixture_harness import run_fixture

    if importlib.util.find_spec("schemacheck.formats.protobuf.compiler") is None:
        monkeypatch.setenv("SCHEMACHECK_PROTO_PARSER", "protoc")  # the pure-Python parser is not there yet

    case = FIXTURES / "protobuf" / "FIELD_SAME_NAME"
    result = run_fixture(case, "protobuf")
    assert result.findings, "the fixture should produce findings"
    ctx = {"source_line": lines_from_reader(DirectorySnapshot(case / "after").read), "rules": load_rules().get}
    log = render(result, **ctx)
    assert schema_errors(log) == []
    assert multitool_problems(log, tmp_path) == []
    rule = log["runs"][0]["tool"]["driver"]["rules"][0]
    assert rule["id"] == "FIELD_SAME_NAME"
    assert "## Why is this breaking?" in rule["help"]["markdown"]
    region = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    assert region["contextRegion"]["snippet"]["text"].strip()


def test_rules_cover_exactly_the_reported_ids_and_indexes_match() -> None:
    run = render(sample_result())["runs"][0]
    ids = [r["id"] for r in run["tool"]["driver"]["rules"]]
    assert ids == sorted({"FIELD_SAME_NAME", "TEST_FIELD_SAME_TYPE", "TEST_FIELD_DEPRECATED", "TEST_FILE_NO_DELETE"})
    for res in run["results"]:
        assert ids[res["ruleIndex"]] == res["ruleId"]


def test_rule_metadata_from_docstring() -> None:
    rule = next(r for r in render(sample_result())["runs"][0]["tool"]["driver"]["rules"] if r["id"] == "TEST_FIELD_DEPRECATED")
    assert rule["name"] == "TestFieldDeprecated"
    assert rule["shortDescription"]["text"] == "Flags a field marked deprecated."
    assert rule["fullDescription"]["text"] == "Pairs fields by number and compares their types."
    assert rule["defaultConfiguration"] == {"level": "warning"}
    assert rule["properties"]["tags"] == ["FILE", "PACKAGE", "WIRE_JSON", "WIRE", "protobuf"]
    assert rule["helpUri"].endswith("/rules/TEST_FIELD_DEPRECATED.md")
    assert "How to change this safely\nAdd a field with a new number" in rule["help"]["text"]
    assert "## Example\n\n```proto" in rule["help"]["markdown"]


def test_long_descriptions_are_clipped_and_unknown_rules_described() -> None:
    spec = replace(LOCAL_RULES["TEST_FIELD_SAME_TYPE"], summary="x" * 3000)
    desc = rule_descriptor("TEST_FIELD_SAME_TYPE", spec)
    assert len(desc["shortDescription"]["text"]) == 1024
    unknown = rule_descriptor("GONE_RULE", None)
    assert unknown["shortDescription"]["text"] and unknown["help"]["text"] and unknown["name"] == "GoneRule"


def test_results_levels_locations_and_related() -> None:
    results = {r["message"]["text"].split("\n")[0]: r for r in render(sample_result())["runs"][0]["results"]}
    renamed = results[RENAMED.message]
    assert renamed["level"] == "error"
    phys = renamed["locations"][0]["physicalLocation"]
    assert phys["artifactLocation"] == {"uri": "protos/shop/order.proto", "uriBaseId": "%SRCROOT%"}
    assert phys["region"] == {"startLine": 6, "startColumn": 9, "endLine": 6, "endColumn": 20, "snippet": {"text": "total_cents"}}
    assert renamed["relatedLocations"][0]["physicalLocation"]["region"]["endColumn"] == 21
    assert renamed["relatedLocations"][0]["message"]["text"] == "Base revision (origin/main): protos/shop/order.proto:6:9"
    assert renamed["message"]["text"].endswith("How to fix: Keep the old name; add a new field with a new number instead.")
    assert results[MULTILINE.message]["level"] == "warning"
    multi = results[MULTILINE.message]["locations"][0]["physicalLocation"]["region"]
    assert {k: multi[k] for k in ("startLine", "startColumn", "endLine", "endColumn")} == {
        "startLine": 8, "startColumn": 3, "endLine": 9, "endColumn": 22}
    odd = results[ODD_PATH.message]
    assert odd["level"] == "note"
    assert odd["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "schemas/a%20b%23%25.proto"
    assert odd["locations"][0]["physicalLocation"]["region"] == {"startLine": 1}


def test_deleted_file_uses_base_path() -> None:
    res = render(CheckResult(findings=(DELETED_FILE,)))["runs"][0]["results"][0]
    phys = res["locations"][0]["physicalLocation"]
    assert phys["artifactLocation"]["uri"] == "protos/shop/legacy.proto"
    assert phys["region"] == {"startLine": 1}
    assert res["properties"]["baseOnly"] is True


def test_columns_never_below_one() -> None:
    finding = Finding("TEST_FIELD_SAME_TYPE", Severity.ERROR, "m.", Location("a.proto", 3, 0, 3, 0))
    region = render(CheckResult(findings=(finding,)))["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]
    assert region == {"startLine": 3, "startColumn": 1}


def _hash(result: CheckResult, texts: dict[str, str]) -> list[str]:
    log = render(result, source_line=lines_from_texts(texts))
    return [r["partialFingerprints"]["primaryLocationLineHash"] for r in log["runs"][0]["results"]]


def test_fingerprint_is_stable_when_lines_move_and_changes_with_content() -> None:
    text = HEAD_TEXTS["protos/shop/order.proto"]
    before = _hash(CheckResult(findings=(RENAMED,)), {"protos/shop/order.proto": text})
    moved_text = "// a new comment\n\n" + text.replace("  int64 total_cents", "    int64   total_cents")
    moved = replace(RENAMED, location=replace(RENAMED.location, line=8, end_line=8))
    assert _hash(CheckResult(findings=(moved,)), {"protos/shop/order.proto": moved_text}) == before
    changed_text = text.replace("int64 total_cents = 2;", "int32 total_cents = 2;")
    assert _hash(CheckResult(findings=(RENAMED,)), {"protos/shop/order.proto": changed_text}) != before
    other_rule = replace(RENAMED, rule_id="TEST_FIELD_SAME_TYPE")
    assert _hash(CheckResult(findings=(other_rule,)), {"protos/shop/order.proto": text}) != before
    assert before[0].endswith(":1")


def test_identical_fingerprint_keys_are_numbered() -> None:
    twin = replace(TYPE_CHANGED, location=replace(TYPE_CHANGED.location, line=1, end_line=1), message="Other.")
    texts = {"protos/shop/order.proto": "\tstring remark = 4; // 備考 note\n"}
    hashes = _hash(CheckResult(findings=(TYPE_CHANGED, twin)), {**texts, "protos/shop/order.proto": texts["protos/shop/order.proto"] * 7})
    assert hashes[0].split(":")[0] == hashes[1].split(":")[0]
    assert sorted(h.split(":")[1] for h in hashes) == ["1", "2"]


def test_diagnostics_become_notifications() -> None:
    inv = render(sample_result())["runs"][0]["invocations"][0]
    assert inv["executionSuccessful"] is False
    notes = inv["toolExecutionNotifications"]
    assert [n["level"] for n in notes] == ["error", "warning"]
    assert notes[0]["message"]["text"] == 'expected ";" after field, found "}"\n\nTip: Add the missing semicolon.'
    assert notes[0]["locations"][0]["physicalLocation"]["region"] == {"startLine": 3, "startColumn": 17}
    assert "locations" not in notes[1]
    assert render(CheckResult())["runs"][0]["invocations"][0]["executionSuccessful"] is True


def test_driver_root_and_category(tmp_path: Path) -> None:
    run = render(CheckResult(), repo_root=str(tmp_path), sarif_category="schemacheck/protobuf/")["runs"][0]
    root = run["originalUriBaseIds"]["%SRCROOT%"]["uri"]
    assert root.startswith("file:///") and root.endswith("/") and root.rstrip("/").endswith(tmp_path.name)
    assert run["invocations"][0]["workingDirectory"]["uri"] == root
    assert run["automationDetails"] == {"id": "schemacheck/protobuf/"}
    driver = run["tool"]["driver"]
    assert (driver["name"], driver["version"], driver["semanticVersion"]) == ("schemacheck", "1.2.3", "1.2.3")
    assert driver["informationUri"].startswith("https://")
    dev = render(CheckResult(), tool_version="0.2.0.dev3+gabc")["runs"][0]["tool"]["driver"]
    assert "semanticVersion" not in dev


def test_many_findings_and_output_is_deterministic() -> None:
    result = many_findings(40, 30, 30)
    log = build_sarif(result, sample_context())
    assert len(log["runs"][0]["results"]) == 100 and schema_errors(log) == []
    assert SarifReporter().render(result, sample_context()) == SarifReporter().render(result, sample_context())


def test_unicode_is_written_as_is() -> None:
    text = SarifReporter().render(sample_result(), sample_context())
    assert "備考" in text
    json.loads(text)


def test_results_beyond_githubs_limit_keep_the_most_severe(monkeypatch: pytest.MonkeyPatch) -> None:
    from schemacheck.report import sarif

    monkeypatch.setattr(sarif, "MAX_RESULTS", 5)
    run = render(many_findings(3, 4, 6))["runs"][0]
    assert sorted(r["level"] for r in run["results"]) == ["error", "error", "error", "warning", "warning"]
    note = run["invocations"][0]["toolExecutionNotifications"][-1]
    assert note["level"] == "warning" and note["message"]["text"].startswith("8 less severe findings were left out")
    assert schema_errors({"$schema": sarif.SARIF_SCHEMA_URI, "version": "2.1.0", "runs": [run]}) == []
