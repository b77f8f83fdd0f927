"""An empty rule selection means no rules, in every format (issue 7 item 2), through the real CLI.

``--ignore`` of every JSON Schema category, or ``--select`` naming only protobuf rules, leaves
JSON Schema with no rule to run; it used to be read as "every rule".
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from gitrepo import GitRepo

ORDER_V1 = json.dumps({
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "properties": {"id": {"type": "string"}, "total": {"type": "integer"}},
    "required": ["id", "total"],
}, indent=2) + "\n"
ORDER_V2 = ORDER_V1.replace('"total": {\n      "type": "integer"', '"total": {\n      "type": "string"')
PROTO = 'syntax = "proto3";\npackage shop.v1;\n\nmessage Order {\n  string id = 1;\n}\n'


def run_cli(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in GitRepo.env().items() if key != "FORCE_COLOR"}
    return subprocess.run([sys.executable, "-m", "schemacheck", *args], cwd=cwd, env={**env, "NO_COLOR": "1"},
                          capture_output=True, text=True, timeout=120)


@pytest.fixture()
def repo(tmp_path: Path) -> GitRepo:
    """A commit with a JSON Schema and a .proto; the work tree changes a property's type and
    deletes a second schema (two different JSON Schema code paths: shape pairing, file changes)."""
    repo = GitRepo(tmp_path / "repo")
    repo.write("schemas/order.schema.json", ORDER_V1)
    repo.write("schemas/old.schema.json", ORDER_V1)
    repo.write("proto/order.proto", PROTO)
    repo.commit("v1")
    repo.write("schemas/order.schema.json", ORDER_V2)
    repo.delete("schemas/old.schema.json")
    return repo


def _rules(proc: subprocess.CompletedProcess[str]) -> set[str]:
    assert "Traceback" not in proc.stderr, proc.stderr
    return {f["rule_id"] for f in json.loads(proc.stdout)["findings"]}


def test_the_change_is_breaking_by_default(repo: GitRepo) -> None:
    proc = run_cli(repo.root, "--format", "json")
    assert proc.returncode == 1
    assert {"SCHEMA_FILE_NO_DELETE"} < _rules(proc)


@pytest.mark.parametrize("args", [
    ("--ignore", "BACKWARD,FORWARD"),
    ("--select", "FIELD_NO_DELETE"),
    ("--select", "FILE"),  # a protobuf category
])
def test_empty_json_schema_selection_runs_no_json_schema_rule(repo: GitRepo, args: tuple[str, str]) -> None:
    proc = run_cli(repo.root, "--format", "json", *args)
    assert _rules(proc) == set()
    assert proc.returncode == 0, proc.stdout


def test_selecting_one_json_schema_rule_runs_only_it(repo: GitRepo) -> None:
    proc = run_cli(repo.root, "--format", "json", "--select", "SCHEMA_FILE_NO_DELETE")
    assert _rules(proc) == {"SCHEMA_FILE_NO_DELETE"}
