"""A removed ``$defs`` entry breaks only its users (issue 7, item 5), through the CLI in a real repository."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from gitrepo import GitRepo

DRAFT = "https://json-schema.org/draft/2020-12/schema"
BUNDLE = {"$schema": DRAFT, "type": "object", "properties": {"price": {"$ref": "#/$defs/Money"}},
          "$defs": {"Money": {"type": "number"}}}
INLINED = {"$schema": DRAFT, "type": "object", "properties": {"price": {"type": "number"}}}


def check(repo: GitRepo) -> tuple[int, list[dict]]:
    proc = subprocess.run([sys.executable, "-m", "schemacheck", "--format", "json", "--fail-on", "error"],
                          cwd=repo.root, env={**GitRepo.env(), "NO_COLOR": "1"}, capture_output=True, text=True,
                          timeout=120)
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc.returncode, json.loads(proc.stdout)["findings"]


def test_ref_replaced_by_an_inline_schema_is_info(tmp_path: Path) -> None:
    repo = GitRepo(tmp_path / "repo")
    repo.write("order.schema.json", json.dumps(BUNDLE, indent=1))
    repo.commit("v1")
    repo.write("order.schema.json", json.dumps(INLINED, indent=1))
    code, found = check(repo)
    assert [(f["rule_id"], f["severity"]) for f in found] == [("DEFINITION_REMOVED", "info")]
    assert code == 0


def test_definition_another_file_still_uses_is_an_error(tmp_path: Path) -> None:
    repo = GitRepo(tmp_path / "repo")
    repo.write("order.schema.json", json.dumps(BUNDLE, indent=1))
    repo.write("invoice.schema.json", json.dumps(
        {"$schema": DRAFT, "properties": {"total": {"$ref": "order.schema.json#/$defs/Money"}}}, indent=1))
    repo.commit("v1")
    repo.write("order.schema.json", json.dumps(INLINED, indent=1))
    code, found = check(repo)
    removed = [f for f in found if f["rule_id"] == "DEFINITION_REMOVED"]
    assert [f["severity"] for f in removed] == ["error"]
    assert "invoice.schema.json" in removed[0]["message"]
    assert code == 1


def test_definition_with_its_own_id_is_an_error(tmp_path: Path) -> None:
    repo = GitRepo(tmp_path / "repo")
    bundle = json.loads(json.dumps(BUNDLE))
    bundle["$defs"]["Money"]["$id"] = "https://example.com/money"
    repo.write("order.schema.json", json.dumps(bundle, indent=1))
    repo.commit("v1")
    repo.write("order.schema.json", json.dumps(INLINED, indent=1))
    code, found = check(repo)
    assert [(f["rule_id"], f["severity"]) for f in found] == [("DEFINITION_REMOVED", "error")]
    assert code == 1
