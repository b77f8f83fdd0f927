"""Issue 7, JSON Schema front end: each report reproduced through the real CLI on a real git repo.

Dialect inference without ``$schema``, positions at the end of a file without a trailing
newline, bounded time for YAML aliases and ``NaN`` positions, size limits, and messages of our
own (never a library's wording) for nesting too deep.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from gitrepo import GitRepo


def run_cli(repo: GitRepo, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    env = {**GitRepo.env(), "NO_COLOR": "1", "PYTHONPATH": os.pathsep.join(sys.path)}
    env.pop("FORCE_COLOR", None)
    return subprocess.run([sys.executable, "-m", "schemacheck", "check", *args], cwd=repo.root, env=env,
                          capture_output=True, text=True, timeout=timeout)


def change(tmp_path: Path, name: str, old: str | bytes, new: str | bytes) -> GitRepo:
    """A repository whose ``main`` has ``old`` at ``name`` and whose work tree has ``new``."""
    repo = GitRepo(tmp_path / "repo")
    repo.write(name, old)
    repo.commit("base")
    repo.write(name, new)
    return repo


def findings(proc: subprocess.CompletedProcess[str]) -> list[dict]:
    assert "Traceback" not in proc.stderr and "internal error" not in proc.stderr, proc.stderr
    return json.loads(proc.stdout)["findings"]


# -- a YAML file without a trailing newline ---------------------------------------------------

def test_yaml_without_trailing_newline_closing_the_content_model(tmp_path: Path) -> None:
    old = "type: object\nproperties:\n  a:\n    type: string"
    repo = change(tmp_path, "s.schema.yaml", old, old + "\nadditionalProperties: false")
    # Closing the content model breaks only under JSON Schema's open content model (strict).
    proc = run_cli(repo, "--base", "main", "--mode", "backward", "--policy", "strict")
    out = proc.stdout + proc.stderr
    assert proc.returncode == 1, out
    assert "internal error" not in out and "Traceback" not in out
    assert "s.schema.yaml:5:1" in out  # the new keyword, on the last line


def test_positions_at_the_end_of_a_file_stay_inside_it() -> None:
    from schemacheck.formats.jsonschema import load_document

    text = "type: object\nproperties:\n  a:\n    type: string\nadditionalProperties: false"
    doc = load_document("s.yaml", text.encode())
    lines = text.split("\n")
    for pointer in ("", "/properties", "/properties/a", "/properties/a/type", "/additionalProperties"):
        loc = doc.location(pointer)
        assert 1 <= loc.end_line <= len(lines), (pointer, loc)
        assert 1 <= loc.end_column <= len(lines[loc.end_line - 1]) + 1, (pointer, loc)
    assert (doc.location("").end_line, doc.location("").end_column) == (5, 28)


# -- bounded time -----------------------------------------------------------------------------

GOOD = '{\n  "type": "object",\n  "properties": {"id": {"type": "string"}}\n}\n'


def timed_cli(repo: GitRepo, seconds: float = 5.0) -> subprocess.CompletedProcess[str]:
    """The CLI against ``main``; the whole process (start-up included) must end within ``seconds``."""
    start = time.perf_counter()
    proc = run_cli(repo, "--base", "main", timeout=60)
    elapsed = time.perf_counter() - start
    assert elapsed < seconds, f"took {elapsed:.1f}s"
    assert "Traceback" not in proc.stderr and "internal error" not in proc.stderr, proc.stderr[-2000:]
    return proc


def test_bare_nan_in_a_200_kb_json_file_is_located_quickly(tmp_path: Path) -> None:
    # Every "NaN" inside a string used to rescan the text before it: quadratic.
    new = '{"description": "' + "NaN " * 50_000 + '",\n "maximum": NaN}\n'
    repo = change(tmp_path, "a.schema.json", GOOD, new)
    proc = timed_cli(repo)
    assert proc.returncode == 2
    assert "a.schema.json:2:13: invalid JSON: NaN is not a JSON value" in proc.stdout + proc.stderr


def _nested_aliases(fan: int, levels: int, leaf_type: str = "string") -> str:
    """A few hundred bytes of YAML whose anchors each use the previous one ``fan`` times."""
    lines = ["$defs:", f"  l0: &l0 {{type: object, properties: {{a: {{type: {leaf_type}}}, b: {{type: integer}}}}}}"]
    for i in range(1, levels + 1):
        props = ", ".join(f"p{j}: *l{i - 1}" for j in range(fan))
        lines.append(f"  l{i}: &l{i} {{type: object, properties: {{{props}}}}}")
    return "\n".join(lines) + f"\ntype: object\nproperties:\n  x: *l{levels}\n"


def test_nested_yaml_aliases_under_the_old_budget_are_refused_quickly(tmp_path: Path) -> None:
    # ~550 bytes expanding to ~64,000 values: under the old budget (100,000 + size), 24-53 s to check.
    old = _nested_aliases(4, 6)
    assert len(old) < 700
    repo = GitRepo(tmp_path / "repo")
    repo.write("s.schema.yaml", "type: object\n")
    repo.commit("base")
    repo.write("s.schema.yaml", old)
    proc = timed_cli(repo)
    assert proc.returncode == 2, proc.stdout
    assert "s.schema.yaml:" in proc.stdout and "through YAML aliases" in proc.stdout


def test_nested_yaml_aliases_within_the_budget_are_checked_quickly(tmp_path: Path) -> None:
    # The largest of this family that loads: a change under the innermost anchor is a finding at every use.
    old, new = _nested_aliases(3, 5), _nested_aliases(3, 5, leaf_type="number")
    repo = change(tmp_path, "s.schema.yaml", old, new)
    proc = timed_cli(repo)
    assert proc.returncode == 1, proc.stdout[-2000:]
    assert "s.schema.yaml:2:" in proc.stdout


# -- dialect inference without $schema -------------------------------------------------------

DRAFT7_TUPLE = {"type": "array", "items": [{"type": "string"}, {"type": "integer"}], "additionalItems": False}

LEGACY_SCHEMAS = {
    "items as an array": DRAFT7_TUPLE,
    "additionalItems": {"type": "array", "items": {"type": "string"}, "additionalItems": False},
    "definitions": {"type": "object", "properties": {"a": {"$ref": "#/definitions/a"}},
                    "definitions": {"a": {"type": "string"}}},
    "dependencies": {"type": "object", "properties": {"a": {"type": "string"}}, "dependencies": {"a": ["b"]}},
    "draft 4 boolean exclusiveMinimum and id": {"id": "http://example.com/s.json", "type": "object",
                                               "properties": {"n": {"type": "number", "minimum": 0,
                                                                    "exclusiveMinimum": True}}},
    "draft 6 plain-name $id": {"type": "object", "properties": {"a": {"$ref": "#money"}},
                               "definitions": {"m": {"$id": "#money", "type": "integer"}}},
    "items array and $defs": {"type": "array", "items": [{"$ref": "#/$defs/a"}], "$defs": {"a": {"type": "string"}}},
}


@pytest.mark.parametrize("name", list(LEGACY_SCHEMAS))
def test_draft_07_schema_without_dollar_schema_is_not_rejected(tmp_path: Path, name: str) -> None:
    import jsonschema

    schema = LEGACY_SCHEMAS[name]
    validator = jsonschema.Draft4Validator if "draft 4" in name else jsonschema.Draft7Validator
    validator.check_schema(schema)  # the premise: an older validator accepts it
    repo = change(tmp_path, "other.schema.json", "{}", "{}")
    repo.write("s.schema.json", json.dumps(schema, indent=2))  # a new file: validated whole
    proc = run_cli(repo, "--base", "main", "--format", "json")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert findings(proc) == [] and json.loads(proc.stdout)["diagnostics"] == []


def test_draft_07_tuple_change_without_dollar_schema_is_a_tuple_change(tmp_path: Path) -> None:
    # items: [...] is a tuple in draft 7: the second position narrowing from integer to string is breaking.
    old = json.dumps({"type": "object", "properties": {"pair": DRAFT7_TUPLE}}, indent=2)
    new = old.replace('"integer"', '"boolean"')
    repo = change(tmp_path, "s.schema.json", old, new)
    proc = run_cli(repo, "--base", "main", "--format", "json")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    found = findings(proc)
    assert [(f["rule_id"], f["subject"], f["location"]["line"]) for f in found] == [
        ("TYPE_CHANGED", "#/properties/pair/items/1", 11)]


def test_invalid_schema_without_dollar_schema_says_which_dialect_was_assumed(tmp_path: Path) -> None:
    bad = json.dumps({"type": "array", "items": [{"type": "strng"}]}, indent=2)
    repo = change(tmp_path, "s.schema.json", json.dumps({"type": "array"}), bad)
    proc = run_cli(repo, "--base", "main")
    out = proc.stdout + proc.stderr
    assert proc.returncode == 2, out
    assert "s.schema.json:5:7: not a valid draft7 JSON Schema at #/items/0/type: " in out
    assert "(no known $schema; read as draft 7 because of items as an array at #/items)" in out


@pytest.mark.parametrize("schema, dialect", [
    ({"type": "object"}, "2020-12"),
    ({"items": [{}], "additionalItems": False}, "draft7"),
    ({"items": [{}], "unevaluatedItems": False}, "2019-09"),  # 2019-09 has both
    ({"items": [{}], "prefixItems": [{}]}, "draft7"),  # 2020-12 rejects items: [...]; draft 7 ignores prefixItems
    ({"minimum": 0, "exclusiveMinimum": True}, "draft4"),
    ({"id": "x.json", "type": "object"}, "draft4"),
    ({"id": "x.json", "items": True}, "2020-12"),  # a boolean schema: draft 4 would reject it; id is unknown later
    ({"definitions": {"a": {}}}, "draft7"),
    ({"definitions": {"a": {}}, "$defs": {"b": {}}}, "2020-12"),
    ({"properties": {"id": {"type": "string"}, "items": {"type": "array"}}}, "2020-12"),  # property names
    ({"enum": [{"id": "x", "items": [1]}], "default": {"exclusiveMinimum": True}}, "2020-12"),  # data, not schemas
    ({"properties": {"a": {"items": [{"type": "string"}]}}}, "draft7"),  # nested
])
def test_dialect_is_inferred_from_schema_positions_only(schema: dict, dialect: str) -> None:
    from schemacheck.formats.jsonschema import load_document

    doc = load_document("s.json", json.dumps(schema).encode())
    assert doc.dialect == dialect
    assert load_document("t.json", json.dumps({"$schema": "http://json-schema.org/draft-06/schema#", **schema})
                         .encode()).dialect == "draft6"  # $schema decides when present


# -- reports on long lines, control characters --------------------------------------------------

def _one_line_schema(tmp_path: Path, megabytes: int = 3, findings: int = 50) -> GitRepo:
    """A minified schema: one line of ``megabytes`` MB, ``findings`` type changes at its end."""
    doc = {"type": "object", "description": "x" * (megabytes * 1_000_000),
           "properties": {f"p{i}": {"type": "string"} for i in range(findings)}}
    old = json.dumps(doc, separators=(",", ":"))
    return change(tmp_path, "min.schema.json", old, old.replace('"string"', '"integer"'))


@pytest.mark.parametrize("fmt", ["text", "sarif", "markdown", "github"])
def test_long_line_reports_show_a_window_not_the_line(tmp_path: Path, fmt: str) -> None:
    repo = _one_line_schema(tmp_path)
    start = time.perf_counter()
    proc = run_cli(repo, "--base", "main", "--format", fmt, timeout=120)
    elapsed = time.perf_counter() - start
    assert proc.returncode == 1, proc.stderr[-2000:]
    assert elapsed < 5, f"took {elapsed:.1f}s"
    assert len(proc.stdout) < 200_000, f"{len(proc.stdout)} bytes of {fmt}"  # was 150 MB of SARIF
    assert max(map(len, proc.stdout.splitlines())) < 1000
    if fmt == "text":
        assert "min.schema.json:1:3000055" in proc.stdout
        source = [ln for ln in proc.stdout.splitlines() if ln.startswith("    1 | ")]
        carets = [ln for ln in proc.stdout.splitlines() if ln.startswith("      | ")]
        assert len(source) == len(carets) == 50
        # the caret is under "p0"'s value in its window
        first, caret = source[0], carets[0]
        assert first[caret.index("^"):caret.rindex("^") + 1] == '"type":"integer"'
    if fmt == "sarif":
        result = json.loads(proc.stdout)["runs"][0]["results"][0]
        physical = result["locations"][0]["physicalLocation"]
        assert physical["region"]["snippet"]["text"] == '"type":"integer"'
        context = physical["contextRegion"]
        assert context["startColumn"] <= physical["region"]["startColumn"] < context["endColumn"]
        assert context["snippet"]["text"] and len(context["snippet"]["text"]) < 1000


CONTROL_NAME = "evil\x1b]0;owned\x07\x1b[2J\u202ename\r"


@pytest.mark.parametrize("fmt", ["text", "github", "markdown", "json", "sarif"])
def test_control_characters_in_property_names_are_escaped(tmp_path: Path, fmt: str) -> None:
    old = {"type": "object", "properties": {CONTROL_NAME: {"type": "string"}}}
    new = {"type": "object", "properties": {CONTROL_NAME: {"type": "integer"}}}
    repo = change(tmp_path, "c.schema.json", json.dumps(old, indent=2), json.dumps(new, indent=2))
    proc = run_cli(repo, "--base", "main", "--format", fmt)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    for char in "\x1b\x07\u202e":
        assert char not in proc.stdout, (fmt, char)
    assert "\r" not in proc.stdout
    if fmt in ("text", "github", "markdown"):
        assert "\\x1b" in proc.stdout  # shown, not dropped: the reader sees the name is odd
    else:  # the data is intact, only escaped in the text
        assert any(CONTROL_NAME in text for text in _strings(json.loads(proc.stdout)))


def _strings(data: object) -> list[str]:
    if isinstance(data, str):
        return [data]
    if isinstance(data, dict):
        return [s for v in data.values() for s in _strings(v)]
    if isinstance(data, list):
        return [s for v in data for s in _strings(v)]
    return []


# -- size limits ----------------------------------------------------------------------------------

def _yaml_defs(count: int) -> str:
    """A realistic YAML bundle: ``count`` object definitions of six described properties."""
    parts = ["$schema: https://json-schema.org/draft/2020-12/schema", "type: object",
             "properties:", "  root:", "    $ref: '#/$defs/Type0'", "$defs:"]
    for i in range(count):
        parts += [f"  Type{i}:", "    type: object", f"    description: Thing number {i} with some words",
                  "    required: [field0]", "    properties:"]
        for j in range(6):
            parts += [f"      field{j}:", f"        type: {('string', 'integer', 'boolean')[(i + j) % 3]}",
                      "        description: a field"]
    return "\n".join(parts) + "\n"


def test_a_3_6_mb_yaml_schema_is_refused_quickly_naming_the_limit(tmp_path: Path) -> None:
    from schemacheck.formats.jsonschema.loader import MAX_YAML_BYTES

    big = _yaml_defs(8_000)
    assert len(big) > 3_500_000 > MAX_YAML_BYTES
    repo = change(tmp_path, "big.schema.yaml", _yaml_defs(2), big)
    proc = timed_cli(repo)  # was 12.8 s and 627 MB
    out = proc.stdout + proc.stderr
    assert proc.returncode == 2, out[-2000:]
    assert f"larger than the {MAX_YAML_BYTES / 1048576:.1f} MB limit for YAML schema files" in out
    assert "keep it as JSON" in out


def test_a_yaml_schema_just_under_the_limit_is_checked(tmp_path: Path) -> None:
    from schemacheck.formats.jsonschema.loader import MAX_YAML_BYTES

    old = _yaml_defs(1)
    count = 1
    while len(_yaml_defs(count * 2)) < MAX_YAML_BYTES:
        count *= 2
    old = _yaml_defs(count)
    assert MAX_YAML_BYTES / 2 < len(old) < MAX_YAML_BYTES
    repo = change(tmp_path, "big.schema.yaml", old, old.replace("type: string", "type: boolean", 1))
    start = time.perf_counter()
    proc = run_cli(repo, "--base", "main", "--format", "json")
    # 5 s is the promise on an idle 2-core machine; the bound leaves room for a loaded CI runner.
    assert time.perf_counter() - start < 15
    assert proc.returncode == 1
    assert [f["rule_id"] for f in findings(proc)] == ["TYPE_CHANGED"]
