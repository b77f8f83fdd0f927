"""The JSON Schema checker's wiring: which files it claims, mode/policy per path, deleted files."""

from __future__ import annotations

import json
from pathlib import Path

from schemacheck.compat.jsonschema.checker import CHECKER, mode_and_policy
from schemacheck.config import JsonSchemaSettings, PathOverride, Settings
from schemacheck.model import Severity
from schemacheck.runner import CheckRequest, run_check
from schemacheck.snapshot import DirectorySnapshot


def _write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)


def _run(tmp_path: Path, old: dict[str, str], new: dict[str, str], settings: Settings):
    _write(tmp_path / "old", old)
    _write(tmp_path / "new", new)
    return run_check(CheckRequest(DirectorySnapshot(tmp_path / "old"), DirectorySnapshot(tmp_path / "new"),
                                  settings, formats=("jsonschema",)))


def test_include_globs_claim_files_without_schema_keyword(tmp_path: Path) -> None:
    old = {"conf/x.json": '{"type": "object"}', "other/y.json": '{"type": "object"}'}
    new = {"conf/x.json": '{"type": "object",}', "other/y.json": '{"type": "object",}'}
    claimed = _run(tmp_path / "a", old, new, Settings(jsonschema=JsonSchemaSettings(include=("conf/*.json",))))
    assert [(d.location.path, d.severity) for d in claimed.diagnostics] == [("conf/x.json", Severity.ERROR)]
    unclaimed = _run(tmp_path / "b", old, new, Settings())
    assert unclaimed.diagnostics == ()


def test_claims_by_name_and_content(tmp_path: Path) -> None:
    _write(tmp_path, {"a.schema.yml": "type: string\n", "b.json": '{"$schema": "http://json-schema.org/draft-04/schema#"}',
                      "c.json": "{}", "d.proto": "syntax = 'proto3';"})
    snap = DirectorySnapshot(tmp_path)
    assert [p for p in snap.paths() if CHECKER.claims(p, snap)] == ["a.schema.yml", "b.json"]
    assert CHECKER.claims("c.json", snap, Settings(jsonschema=JsonSchemaSettings(include=("*.json",))))


def test_mode_and_policy_last_matching_override_wins() -> None:
    settings = JsonSchemaSettings(mode="backward", policy="strict", overrides=(
        PathOverride(paths=("events/**",), mode="full"),
        PathOverride(paths=("events/legacy/*.json",), policy="lenient"),
        PathOverride(paths=("events/legacy/old.json",), mode="forward"),
    ))
    assert mode_and_policy("api/a.json", settings) == ("backward", "strict")
    assert mode_and_policy("events/a.json", settings) == ("full", "strict")
    assert mode_and_policy("events/legacy/b.json", settings) == ("full", "lenient")
    assert mode_and_policy("events/legacy/old.json", settings) == ("forward", "lenient")


def test_added_file_is_loaded_but_not_compared(tmp_path: Path) -> None:
    schema = {"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object"}
    result = _run(tmp_path, {}, {"n.schema.json": json.dumps(schema)}, Settings())
    assert result.findings == () and result.diagnostics == () and result.files_checked == 1
    bad = _run(tmp_path / "bad", {}, {"n.schema.json": '{"type": 5}'}, Settings())
    assert len(bad.diagnostics) == 1 and "not a valid draft 2020-12 JSON Schema at #/type" in bad.diagnostics[0].message


def test_change_in_a_referenced_file_is_checked_through_its_dependents(tmp_path: Path) -> None:
    types_old = {"$schema": "https://json-schema.org/draft/2020-12/schema",
                 "$defs": {"Money": {"type": "object", "properties": {"cents": {"type": "integer"}}}}}
    types_new = json.loads(json.dumps(types_old))
    types_new["$defs"]["Money"]["required"] = ["cents"]
    order = {"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object",
             "properties": {"total": {"$ref": "common/types.schema.json#/$defs/Money"}}}
    invoice = {"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object",
               "properties": {"order": {"$ref": "order.schema.json"}}}
    unrelated = {"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "string"}
    files = {"api/order.schema.json": json.dumps(order, indent=2), "api/invoice.schema.json": json.dumps(invoice),
             "api/other.schema.json": json.dumps(unrelated)}
    result = _run(tmp_path, {**files, "api/common/types.schema.json": json.dumps(types_old, indent=2)},
                  {**files, "api/common/types.schema.json": json.dumps(types_new, indent=2)}, Settings())
    assert result.diagnostics == ()
    # order.schema.json references the changed file, invoice.schema.json references order (transitively)
    assert result.files_checked == 3
    assert len(result.findings) == 1, result.findings
    finding = result.findings[0]
    assert finding.location.path == "api/common/types.schema.json"
    assert "cents" in finding.message


def test_cli_reads_referenced_files_at_each_revision(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    from gitrepo import GitRepo

    repo = GitRepo(tmp_path / "repo")
    repo.write("schemas/order.schema.yaml", "$schema: https://json-schema.org/draft/2020-12/schema\n"
                                            "type: object\nproperties:\n  total:\n"
                                            "    $ref: 'types.yaml#/$defs/Amount'\n")
    repo.write("schemas/types.yaml", "$defs:\n  Amount:\n    type: integer\n")
    repo.commit("base")
    # Both files change in the work tree; the base side must still see `integer` from git.
    repo.write("schemas/order.schema.yaml", "$schema: https://json-schema.org/draft/2020-12/schema\n"
                                            "type: object\ndescription: An order.\nproperties:\n  total:\n"
                                            "    $ref: 'types.yaml#/$defs/Amount'\n")
    repo.write("schemas/types.yaml", "$defs:\n  Amount:\n    type: string\n")
    env = {**repo.env(), "NO_COLOR": "1", "PYTHONPATH": os.pathsep.join(sys.path)}
    proc = subprocess.run([sys.executable, "-m", "schemacheck", "check", "--base", "main", "--format", "json"],
                          cwd=repo.root, env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    report = json.loads(proc.stdout)
    findings = report["findings"]
    assert findings and all(f["location"]["path"] == "schemas/types.yaml" for f in findings), findings
    assert findings[0]["location"]["line"] == 3


def test_deleted_schema_file_is_reported_through_the_declared_rule(tmp_path: Path, monkeypatch) -> None:
    from schemacheck.compat.jsonschema.checker import DELETE_RULE
    from schemacheck.registry import REGISTRY, RuleSpec, load_rules

    load_rules()
    schema = json.dumps({"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object"})
    files = {"keep.schema.json": schema, "gone.schema.json": schema}
    if DELETE_RULE not in REGISTRY.rules:  # the JSON Schema rules own the declaration; stand in for it here
        spec = RuleSpec(DELETE_RULE, "jsonschema", "file", ("FILE",), Severity.ERROR, "A schema file was deleted.",
                        "A schema file was deleted.", handler=lambda *a: iter(()))
        monkeypatch.setitem(REGISTRY.rules, DELETE_RULE, spec)
    selected = Settings(select=(DELETE_RULE,))
    result = _run(tmp_path, files, {"keep.schema.json": schema}, selected)
    assert [(f.rule_id, f.location, f.base_location.path) for f in result.findings] == [
        (DELETE_RULE, None, "gone.schema.json")]
    assert 'Schema file "gone.schema.json" was deleted.' == result.findings[0].message
    ignored = _run(tmp_path / "ignored", files, {"keep.schema.json": schema}, Settings(ignore=(DELETE_RULE,)))
    assert ignored.findings == ()


def test_x_schemacheck_ignore_suppresses_findings_inside_its_object(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    from gitrepo import GitRepo
    from schemacheck.formats.jsonschema.suppressions import scan_suppressions

    def schema(money_required: list[str], user_required: list[str], ignore: object = None) -> str:
        money = {"type": "object", "properties": {"cents": {"type": "integer"}, "currency": {"type": "string"}},
                 "required": ["cents", *money_required]}
        if ignore is not None:
            money["x-schemacheck-ignore"] = ignore
        user = {"type": "object", "properties": {"name": {"type": "string"}, "email": {"type": "string"}},
                "required": ["name", *user_required]}
        return json.dumps({"$schema": "https://json-schema.org/draft/2020-12/schema",
                           "type": "object", "properties": {"money": money, "user": user}}, indent=2)

    repo = GitRepo(tmp_path / "repo")
    repo.write("s.schema.json", schema([], []))
    repo.commit("base")
    directive = "PROPERTY_BECAME_REQUIRED -- currency is backfilled by migration 42"
    repo.write("s.schema.json", schema(["currency"], ["email"], ignore=directive))
    text = (repo.root / "s.schema.json").read_text()
    (sup,) = scan_suppressions("s.schema.json", text)
    assert sup.rule_ids == ("PROPERTY_BECAME_REQUIRED",) and sup.reason.startswith("currency is backfilled")
    assert sup.location.line == text.splitlines().index('      "x-schemacheck-ignore": "' + directive + '"') + 1
    env = {**repo.env(), "NO_COLOR": "1", "PYTHONPATH": os.pathsep.join(sys.path)}
    proc = subprocess.run([sys.executable, "-m", "schemacheck", "check", "--base", "main", "--format", "json"],
                          cwd=repo.root, env=env, capture_output=True, text=True, timeout=120)
    findings = json.loads(proc.stdout)["findings"]
    # "currency" in money is suppressed; "email" in user (outside the object) is not
    assert [f["rule_id"] for f in findings] == ["PROPERTY_BECAME_REQUIRED"], findings
    assert "email" in findings[0]["message"]


def test_yaml_comment_directives_and_unparseable_values() -> None:
    from schemacheck.formats.jsonschema.suppressions import scan_suppressions

    text = ("type: object\n# schemacheck:ignore TYPE_CHANGED -- v1 readers retired\nproperties:\n"
            "  a:\n    x-schemacheck-ignore: [ENUM_ARRAY_NARROWED, 7]\n    enum: [x]\n")
    found = scan_suppressions("s.yaml", text)
    assert [(s.rule_ids, s.location.line) for s in found] == [
        (("TYPE_CHANGED",), 2), (("ENUM_ARRAY_NARROWED",), 5), (("7",), 5)]
    assert found[1].covers == (5, 6)
    assert scan_suppressions("bad.json", '{"x-schemacheck-ignore": ') == []


def test_renamed_schema_is_compared_with_its_old_self(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    from gitrepo import GitRepo

    schema = {"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object",
              "properties": {f"p{i}": {"type": "string", "description": f"property number {i}"} for i in range(20)}}
    repo = GitRepo(tmp_path / "repo")
    repo.write("old/order.schema.json", json.dumps(schema, indent=2))
    repo.commit("base")
    repo.run("mv", "old/order.schema.json", "order.schema.json")
    schema["properties"]["p3"] = {"type": "integer", "description": "property number 3"}
    repo.write("order.schema.json", json.dumps(schema, indent=2))
    repo.stage()
    env = {**repo.env(), "NO_COLOR": "1", "PYTHONPATH": os.pathsep.join(sys.path)}
    proc = subprocess.run([sys.executable, "-m", "schemacheck", "check", "--base", "main", "--staged",
                           "--format", "json", "--select", "ALL"],
                          cwd=repo.root, env=env, capture_output=True, text=True, timeout=120)
    findings = json.loads(proc.stdout)["findings"]
    assert [(f["rule_id"], f["location"]["path"]) for f in findings] == [("TYPE_CHANGED", "order.schema.json")], \
        proc.stdout + proc.stderr


def test_changed_definition_is_compared_even_when_the_root_does_not_reach_it(tmp_path: Path) -> None:
    bundle = {"$schema": "https://json-schema.org/draft/2020-12/schema",
              "$defs": {"Money": {"type": "object", "properties": {"cents": {"type": "integer"}}},
                        "Name": {"type": "string", "maxLength": 50}},
              "$ref": "#/$defs/Name"}
    changed = json.loads(json.dumps(bundle))
    changed["$defs"]["Money"]["properties"]["cents"]["type"] = "string"
    changed["$defs"]["Name"]["maxLength"] = 10
    result = _run(tmp_path, {"b.schema.json": json.dumps(bundle, indent=2)},
                  {"b.schema.json": json.dumps(changed, indent=2)}, Settings())
    # Money is unreachable from the root but still checked; Name (reachable) is reported once, not twice
    assert sorted((f.rule_id, f.location.line) for f in result.findings) == [("MAX_LENGTH_DECREASED", 14),
                                                                             ("TYPE_CHANGED", 8)]


def test_reachable_definitions_follow_local_refs_transitively() -> None:
    from schemacheck.compat.jsonschema.compare import reachable_definitions
    from schemacheck.formats.jsonschema import load_document

    doc = load_document("r.json", json.dumps({
        "properties": {"a": {"$ref": "#/$defs/A"}, "x": {"$ref": "other.json#/$defs/Z"}},
        "$defs": {"A": {"items": {"$ref": "#/definitions/B"}}, "C": {"$ref": "#/$defs/A"}},
        "definitions": {"B": {"$ref": "#/$defs/A"}, "D": {"type": "string"}},
    }).encode())
    assert reachable_definitions(doc) == {"/$defs/A", "/definitions/B"}


def test_large_new_file_is_not_metaschema_validated_but_says_so(tmp_path: Path) -> None:
    from schemacheck.formats.jsonschema.metaschema import FULL_VALIDATION_BYTES

    defs = {f"D{i}": {"type": "object", "description": "x" * 200} for i in range(FULL_VALIDATION_BYTES // 200)}
    big = json.dumps({"$schema": "https://json-schema.org/draft/2020-12/schema", "$defs": defs})
    assert len(big) > FULL_VALIDATION_BYTES
    result = _run(tmp_path, {}, {"big.schema.json": big}, Settings())
    assert [(d.severity, d.location.path) for d in result.diagnostics] == [(Severity.INFO, "big.schema.json")]
    assert "not validated against its metaschema" in result.diagnostics[0].message
