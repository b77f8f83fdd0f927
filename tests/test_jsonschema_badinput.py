"""Bad JSON Schema input ends in one clear error with file and position, in bounded time and memory.

Each case runs through the loader (the exact ParseError) and, where it matters, through the real
checker or CLI on a real git repository: a bad head file is an error diagnostic (exit 2), never
a traceback; nothing is fetched from the network.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

import pytest

from gitrepo import GitRepo
from schemacheck.config import Settings
from schemacheck.errors import ParseError
from schemacheck.formats.jsonschema import load_document
from schemacheck.formats.jsonschema.loader import MAX_DEPTH, MAX_JSON_BYTES
from schemacheck.formats.jsonschema.metaschema import check_metaschema
from schemacheck.model import Severity
from schemacheck.runner import CheckRequest, run_check
from schemacheck.snapshot import DirectorySnapshot

GOOD = {"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object",
        "properties": {"id": {"type": "string"}}}


def _parse_error(path: str, raw: bytes) -> ParseError:
    with pytest.raises(ParseError) as info:
        load_document(path, raw)
    return info.value


def _run_cli(repo: GitRepo, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**repo.env(), "NO_COLOR": "1", "PYTHONPATH": os.pathsep.join(sys.path)}
    return subprocess.run([sys.executable, "-m", "schemacheck", "check", *args], cwd=repo.root, env=env,
                          capture_output=True, text=True, timeout=120)


def _repo_with_change(tmp_path: Path, name: str, new: bytes | str, extra: dict[str, str] | None = None) -> GitRepo:
    repo = GitRepo(tmp_path / "repo")
    repo.write(name, json.dumps(GOOD, indent=2))
    for path, text in (extra or {}).items():
        repo.write(path, text)
    repo.commit("base")
    repo.write(name, new)
    return repo


# -- syntax ------------------------------------------------------------------------------

def test_invalid_json_names_the_position() -> None:
    err = _parse_error("api/a.json", b'{\n  "type": "object",\n  "properties": {,}\n}')
    assert (err.path, err.line, err.column) == ("api/a.json", 3, 18)
    assert str(err).startswith("api/a.json:3:18: invalid JSON")


def test_invalid_yaml_names_the_position() -> None:
    err = _parse_error("a.yaml", b"type: object\nproperties:\n  id: {type: string\n")
    assert err.line == 4 and "invalid YAML" in err.detail


def test_invalid_json_through_the_cli(tmp_path: Path) -> None:
    repo = _repo_with_change(tmp_path, "order.schema.json", '{\n  "type": "object",\n  "required": ["a" "b"]\n}\n')
    proc = _run_cli(repo, "--base", "main")
    assert proc.returncode == 2, proc.stdout + proc.stderr
    out = proc.stdout + proc.stderr
    assert "order.schema.json:3:20" in out and "invalid JSON" in out
    assert "Traceback" not in out


@pytest.mark.parametrize("path, raw, line, column", [
    ("a.json", b'{"type": "object",\n "properties": {"a": {}, "a": {}}}', 2, 26),
    ("a.yaml", b"type: object\nproperties:\n  a: {}\n  a: {type: string}\n", 4, 3),
])
def test_duplicate_keys_are_errors_with_position(path: str, raw: bytes, line: int, column: int) -> None:
    err = _parse_error(path, raw)
    assert (err.line, err.column) == (line, column)
    assert "duplicate key 'a'" in err.detail


def test_non_utf8_is_located() -> None:
    err = _parse_error("a.json", '{\n  "title": "caf\u00e9"\n}'.encode("latin-1"))
    assert (err.line, err.column) == (2, 16) and "not valid UTF-8" in err.detail
    assert "UTF-16" in _parse_error("a.json", '{"a": 1}'.encode("utf-16")).detail


def test_nan_is_not_json() -> None:
    err = _parse_error("a.json", b'{"maximum": NaN}')
    assert (err.line, err.column) == (1, 13)


# -- metaschema --------------------------------------------------------------------------

def test_schema_invalid_against_its_metaschema() -> None:
    doc = load_document("a.json", json.dumps({"$schema": "http://json-schema.org/draft-07/schema#",
                                              "properties": {"n": {"type": "integer", "minimum": "0"}}},
                                             indent=2).encode())
    problem = check_metaschema(doc)
    assert problem is not None
    assert problem.pointer == "/properties/n/minimum"
    # The tail of the message is the jsonschema package's wording (it varies by version): not pinned.
    assert problem.location.line == 6 and problem.keyword == "type"
    assert problem.message.startswith("not a valid draft7 JSON Schema at #/properties/n/minimum: ")
    assert check_metaschema(load_document("b.json", json.dumps(GOOD).encode())) is None


def test_metaschema_error_through_the_cli(tmp_path: Path) -> None:
    bad = json.dumps({**GOOD, "properties": {"id": {"type": "strin"}}}, indent=2)
    repo = _repo_with_change(tmp_path, "order.schema.json", bad)
    proc = _run_cli(repo, "--base", "main")
    out = proc.stdout + proc.stderr
    assert proc.returncode == 2, out
    assert "order.schema.json:6:7:" in out and "not a valid draft 2020-12 JSON Schema at #/properties/id/type" in out


# -- resource exhaustion -----------------------------------------------------------------

def _bounded(func, seconds: float = 5.0, megabytes: float = 64.0):
    tracemalloc.start()
    start = time.perf_counter()
    try:
        result = func()
    finally:
        elapsed = time.perf_counter() - start
        peak = tracemalloc.get_traced_memory()[1] / 1e6
        tracemalloc.stop()
    assert elapsed < seconds, f"took {elapsed:.1f}s"
    assert peak < megabytes, f"peak {peak:.0f} MB"
    return result


def test_yaml_alias_bomb_is_refused_quickly() -> None:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, 10):
        prev = f"*a{i - 1}"
        lines.append(f"a{i}: &a{i} [{', '.join([prev] * 9)}]")
    raw = ("\n".join(lines) + "\n").encode()
    err = _bounded(lambda: _parse_error("bomb.yaml", raw), seconds=5, megabytes=64)
    assert "alias" in err.detail and err.line >= 1


def test_recursive_yaml_alias_is_refused() -> None:
    err = _parse_error("a.yaml", b"a: &x\n  items: [*x]\n")
    assert "recursive YAML alias" in err.detail


@pytest.mark.parametrize("path, raw", [
    ("deep.json", b'{"items":' * 10_000 + b"{}" + b"}" * 10_000),
    ("deep.json", b"[" * 10_000 + b"]" * 10_000),
    ("deep.json", b'{"not":' * 300 + b"{}" + b"}" * 300),  # parses, then refused by the depth check
    ("deep.yaml", b"a: " + b"[" * 10_000 + b"]" * 10_000 + b"\n"),
    ("deep.yaml", b"items:\n  " + b"- " * 10_000 + b"x\n"),  # block style, compact
])
def test_ten_thousand_levels_of_nesting(path: str, raw: bytes) -> None:
    err = _bounded(lambda: _parse_error(path, raw), seconds=10, megabytes=200)
    assert f"nesting deeper than {MAX_DEPTH} levels" in err.detail
    assert err.line >= 1 and err.column >= 1


def test_nesting_at_the_limit_still_loads() -> None:
    depth = MAX_DEPTH - 1
    raw = b'{"not":' * depth + b"{}" + b"}" * depth
    assert load_document("ok.json", raw).get("/not/not/not") is not None


def test_fifty_megabyte_file_is_refused_by_size() -> None:
    raw = b'{"description": "' + b"x" * (50 * 1024 * 1024) + b'"}'
    assert len(raw) > MAX_JSON_BYTES
    err = _bounded(lambda: _parse_error("huge.json", raw), seconds=2, megabytes=5)
    assert err.line == 0 and "50.0 MB" in err.detail and "limit" in err.detail
    assert str(err).startswith("huge.json: file is 50.0 MB")


# -- references --------------------------------------------------------------------------

def _check_dirs(old: Path, new: Path):
    return run_check(CheckRequest(DirectorySnapshot(old), DirectorySnapshot(new), Settings(),
                                  formats=("jsonschema",)))


def _write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)


@pytest.fixture()
def no_network(monkeypatch: pytest.MonkeyPatch) -> list[tuple]:
    attempts: list[tuple] = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise AssertionError(f"network access attempted: {args!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    return attempts


def _ref_schema(ref: str, required: bool = False) -> str:
    schema = {"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object",
              "properties": {"x": {"$ref": ref}, "y": {"$ref": ref}}}
    if required:
        schema["required"] = ["x"]
    return json.dumps(schema, indent=2)


def test_remote_ref_is_reported_once_and_never_fetched(tmp_path: Path, no_network: list) -> None:
    pytest.importorskip("schemacheck.compat.shape.jsonschema_pair")
    old, new = tmp_path / "old", tmp_path / "new"
    _write(old, {"a.schema.json": _ref_schema("https://example.com/money.json")})
    _write(new, {"a.schema.json": _ref_schema("https://example.com/money.json", required=True)})
    result = _check_dirs(old, new)
    remote = [d for d in result.diagnostics if "https://example.com/money.json" in d.message]
    assert len(remote) == 1, result.diagnostics
    assert remote[0].severity is Severity.WARNING and "never fetched" in remote[0].message
    assert remote[0].location.path == "a.schema.json" and remote[0].location.line == 6
    assert no_network == []


def test_ref_outside_the_repository_is_never_read(tmp_path: Path, no_network: list) -> None:
    pytest.importorskip("schemacheck.compat.shape.jsonschema_pair")
    old, new = tmp_path / "repo-old", tmp_path / "repo-new"
    (tmp_path / "secret.json").write_text('{"type": "string"}')
    _write(old, {"a.schema.json": _ref_schema("../secret.json")})
    _write(new, {"a.schema.json": _ref_schema("../secret.json", required=True)})
    real_open = open
    opened: list[str] = []

    def spy_open(file, *args, **kwargs):
        opened.append(str(file))
        return real_open(file, *args, **kwargs)

    import builtins
    builtins.open = spy_open
    try:
        result = _check_dirs(old, new)
    finally:
        builtins.open = real_open
    outside = [d for d in result.diagnostics if "outside the repository" in d.message]
    assert len(outside) == 1 and outside[0].location.line == 6
    assert not any("secret" in name for name in opened)


def test_ref_cycle_terminates_in_the_checker(tmp_path: Path) -> None:
    pytest.importorskip("schemacheck.compat.shape.jsonschema_pair")
    cyclic = {"$schema": "https://json-schema.org/draft/2020-12/schema",
              "$defs": {"a": {"$ref": "#/$defs/b"}, "b": {"$ref": "#/$defs/a"},
                        "node": {"type": "object", "properties": {"next": {"$ref": "#/$defs/node"},
                                                                  "loop": {"$ref": "#/$defs/a"}}}},
              "$ref": "#/$defs/node"}
    changed = json.loads(json.dumps(cyclic))
    changed["$defs"]["node"]["required"] = ["next"]
    old, new = tmp_path / "old", tmp_path / "new"
    _write(old, {"c.schema.json": json.dumps(cyclic, indent=2)})
    _write(new, {"c.schema.json": json.dumps(changed, indent=2)})
    start = time.perf_counter()
    result = _check_dirs(old, new)
    assert time.perf_counter() - start < 20
    assert not [d for d in result.diagnostics if d.severity is Severity.ERROR], result.diagnostics


def test_bad_base_file_is_a_warning_and_bad_head_an_error(tmp_path: Path) -> None:
    old, new = tmp_path / "old", tmp_path / "new"
    _write(old, {"a.schema.json": "{oops", "b.schema.json": json.dumps(GOOD)})
    _write(new, {"a.schema.json": json.dumps(GOOD), "b.schema.json": '{"type": "object",}'})
    result = _check_dirs(old, new)
    by_path = {d.location.path: d for d in result.diagnostics}
    assert by_path["a.schema.json"].severity is Severity.WARNING
    assert by_path["a.schema.json"].message.startswith("base version not compared: invalid JSON")
    assert (by_path["a.schema.json"].location.line, by_path["a.schema.json"].location.column) == (1, 2)
    assert by_path["b.schema.json"].severity is Severity.ERROR
    assert (by_path["b.schema.json"].location.line, by_path["b.schema.json"].location.column) == (1, 19)


def test_metaschema_validation_of_changes_only() -> None:
    base = {"$defs": {"legacy": {"type": "strin"},  # invalid already in base: not this change's fault
                      "money": {"type": "object", "properties": {"amount": {"type": "integer"}}}}}
    good = json.loads(json.dumps(base))
    good["$defs"]["money"]["properties"]["currency"] = {"type": "string", "minLength": 3}
    bad = json.loads(json.dumps(good))
    bad["$defs"]["money"]["properties"]["currency"]["minLength"] = -3
    load = lambda data: load_document("m.json", json.dumps(data, indent=1).encode())  # noqa: E731
    assert check_metaschema(load(good), load(base)) is None
    problem = check_metaschema(load(bad), load(base))
    assert problem is not None and problem.pointer == "/$defs/money/properties/currency/minLength"
    assert check_metaschema(load(bad)) is not None  # without a base, the whole file is validated


def test_metaschema_check_of_one_change_in_a_large_bundle_is_fast() -> None:
    defs = {f"D{i}": {"type": "object", "properties": {f"p{j}": {"type": "string", "maxLength": j + 1}
                                                       for j in range(10)}} for i in range(3000)}
    base = {"$schema": "https://json-schema.org/draft/2020-12/schema", "$defs": defs}
    head = json.loads(json.dumps(base))
    head["$defs"]["D1500"]["properties"]["p3"]["maxLength"] = "long"
    old = load_document("b.json", json.dumps(base).encode())
    new = load_document("b.json", json.dumps(head).encode())
    start = time.perf_counter()
    problem = check_metaschema(new, old)
    assert time.perf_counter() - start < 2.0
    assert problem is not None and problem.pointer == "/$defs/D1500/properties/p3/maxLength"


def test_duplicate_key_check_is_not_fooled_by_colons_in_strings() -> None:
    tricky = b'{"description": "say \\": here", "pattern": "^\\"a\\":$", "type": "string"}'
    assert load_document("ok.json", tricky).data["type"] == "string"
    err = _parse_error("dup.json", b'{"description": "x\\": y", "type": "string",\n "type": "number"}')
    assert (err.line, err.column, err.detail) == (2, 2, "duplicate key 'type' in an object")


def _bomb() -> bytes:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 10)]
    return ("\n".join(lines) + "\n").encode()


@pytest.mark.parametrize("name, content, where, words", [
    ("huge.schema.json", b'{"description": "' + b"x" * (50 * 1024 * 1024) + b'"}', "huge.schema.json", "50.0 MB"),
    ("bomb.schema.yaml", _bomb(), "bomb.schema.yaml:5:5", "alias"),  # a4, the first node too big
    ("deep.schema.json", b'{"items":' * 10_000 + b"{}" + b"}" * 10_000, "deep.schema.json:1:", "nesting deeper"),
    ("dup.schema.yaml", b"type: object\ntype: string\n", "dup.schema.yaml:2:1", "duplicate key 'type'"),
    ("latin.schema.json", '{"title": "caf\u00e9"}'.encode("latin-1"), "latin.schema.json:1:15", "not valid UTF-8"),
])
def test_bad_head_files_through_the_cli(tmp_path: Path, name: str, content: bytes, where: str, words: str) -> None:
    repo = GitRepo(tmp_path / "repo")
    repo.write(name, "type: object\n" if name.endswith(".yaml") else json.dumps(GOOD))
    repo.commit("base")
    repo.write(name, content)
    start = time.perf_counter()
    proc = _run_cli(repo, "--base", "main")
    assert time.perf_counter() - start < 60
    out = proc.stdout + proc.stderr
    assert proc.returncode == 2, out[:2000]
    assert where in out and words in out, out[:2000]
    assert "Traceback" not in out and out.count(name) == 1, out[:2000]


def test_deepest_accepted_schema_is_compared_without_recursion_trouble(tmp_path: Path) -> None:
    def nest(leaf: dict) -> dict:
        schema = leaf
        for _ in range((MAX_DEPTH - 2) // 2):  # each level is two JSON levels: {"properties": {"a": ...}}
            schema = {"type": "object", "properties": {"a": schema}}
        return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}

    old, new = tmp_path / "old", tmp_path / "new"
    _write(old, {"d.schema.json": json.dumps(nest({"type": "integer"}))})
    _write(new, {"d.schema.json": json.dumps(nest({"type": "string"}))})
    result = _check_dirs(old, new)
    assert result.diagnostics == ()
    assert [f.rule_id for f in result.findings] == ["TYPE_CHANGED"]
