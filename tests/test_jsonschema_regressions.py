"""Regressions for JSON Schema bugs found by QA (issue 4), each through the real CLI on a real git repo.

Each test reproduces one report: a ``$ref`` target without ``$schema`` changed or deleted, a
dangling ``$ref``, an explicitly named plain JSON file, ``allOf`` explanations, locations.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from gitrepo import GitRepo

ORDER = """{
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "type": "object",
  "properties": {
    "id": {"type": "string"},
    "price": {"$ref": "../common/money.json"}
  }
}
"""

MONEY = """{
  "type": "object",
  "properties": {
    "units": {"type": "integer", "minimum": 0}
  }
}
"""


def run_cli(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**GitRepo.env(), "NO_COLOR": "1"}
    env.pop("FORCE_COLOR", None)
    return subprocess.run([sys.executable, "-m", "schemacheck", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120)


def report(proc: subprocess.CompletedProcess[str]) -> dict:
    assert "Traceback" not in proc.stderr, proc.stderr
    return json.loads(proc.stdout)


@pytest.fixture()
def repo(tmp_path: Path) -> GitRepo:
    """Two schemas: ``ev/order.schema.json`` (with ``$schema``) refs ``common/money.json`` (without)."""
    repo = GitRepo(tmp_path / "repo")
    repo.write("schemas/ev/order.schema.json", ORDER)
    repo.write("schemas/common/money.json", MONEY)
    repo.write("package.json", '{"name": "x"}\n')
    repo.commit("v1")
    return repo


# -- 1. a change only in a $ref target without $schema --------------------------------------------

def test_change_only_in_unclaimed_ref_target_is_found_at_the_target(repo: GitRepo) -> None:
    repo.branch("raise")
    repo.write("schemas/common/money.json", MONEY.replace('"minimum": 0', '"minimum": 1'))
    proc = run_cli(repo.root, "--base", "main", "--format", "json")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    found = [(f["rule_id"], f["location"]["path"], f["location"]["line"]) for f in report(proc)["findings"]]
    assert found == [("MINIMUM_INCREASED", "schemas/common/money.json", 4)]


def test_staged_change_in_unclaimed_ref_target_is_found(repo: GitRepo) -> None:
    repo.write("schemas/common/money.json", MONEY.replace('"integer"', '"string"'))
    repo.stage()
    proc = run_cli(repo.root, "--staged", "--format", "json")
    assert proc.returncode == 1, proc.stdout
    assert [f["rule_id"] for f in report(proc)["findings"]] == ["TYPE_CHANGED"]


def test_unreferenced_plain_json_change_is_not_checked(repo: GitRepo) -> None:
    repo.write("package.json", '{"name": "y", "minimum": 3}\n')
    proc = run_cli(repo.root, "--format", "json")
    assert proc.returncode == 0, proc.stdout
    assert report(proc)["findings"] == []


def test_change_in_ref_target_between_directories(tmp_path: Path) -> None:
    for side, minimum in (("old", 0), ("new", 2)):
        (tmp_path / side / "ev").mkdir(parents=True)
        (tmp_path / side / "common").mkdir()
        (tmp_path / side / "ev" / "order.schema.json").write_text(ORDER, encoding="utf-8")
        (tmp_path / side / "common" / "money.json").write_text(MONEY.replace('"minimum": 0', f'"minimum": {minimum}'),
                                                                encoding="utf-8")
    proc = run_cli(tmp_path, "new", "--against", "old", "--format", "json")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert [f["rule_id"] for f in report(proc)["findings"]] == ["MINIMUM_INCREASED"]


# -- 3. explicitly named files are schemas ---------------------------------------------------------

def test_explicit_plain_json_pair_is_checked(tmp_path: Path) -> None:
    (tmp_path / "old.json").write_text(MONEY, encoding="utf-8")
    (tmp_path / "new.json").write_text(MONEY.replace('"minimum": 0', '"minimum": 3'), encoding="utf-8")
    proc = run_cli(tmp_path, "new.json", "--against", "old.json", "--format", "json")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    data = report(proc)
    assert [f["rule_id"] for f in data["findings"]] == ["MINIMUM_INCREASED"]


def test_explicit_pair_that_is_not_a_schema_is_an_input_error(tmp_path: Path) -> None:
    (tmp_path / "old.json").write_text('{"type": "object"}', encoding="utf-8")
    (tmp_path / "new.json").write_text('{"type": 12}', encoding="utf-8")
    proc = run_cli(tmp_path, "new.json", "--against", "old.json")
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "new.json:1:" in proc.stdout + proc.stderr


def test_explicit_plain_json_path_in_git_mode_is_checked(repo: GitRepo) -> None:
    repo.write("plain.json", MONEY)
    repo.commit("plain")
    repo.write("plain.json", MONEY.replace('"minimum": 0', '"minimum": 3'))
    assert run_cli(repo.root).returncode == 0  # not named: not a schema
    proc = run_cli(repo.root, "plain.json", "--format", "json")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert [f["rule_id"] for f in report(proc)["findings"]] == ["MINIMUM_INCREASED"]


# -- 2. removed $ref targets, dangling references, deleted files and definitions ---------------------

def test_deleting_a_referenced_file_is_ref_target_removed(repo: GitRepo) -> None:
    repo.delete("schemas/common/money.json")
    proc = run_cli(repo.root, "--format", "json")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    found = [(f["rule_id"], f["location"]["path"], f["location"]["line"], f["location"]["column"])
             for f in report(proc)["findings"]]
    assert found == [("REF_TARGET_REMOVED", "schemas/ev/order.schema.json", 6, 15)]  # no "not compared" warning


def test_deleted_target_with_a_changed_referrer_is_still_an_error(repo: GitRepo) -> None:
    repo.delete("schemas/common/money.json")
    repo.write("schemas/ev/order.schema.json", ORDER.replace('"id": {"type": "string"}', '"id": {"type": "string", '
                                                             '"description": "x"}'))
    proc = run_cli(repo.root, "--format", "json")
    assert proc.returncode == 1, proc.stdout
    assert [f["rule_id"] for f in report(proc)["findings"]] == ["REF_TARGET_REMOVED"]


def test_new_dangling_local_ref_is_an_input_error_at_the_ref(repo: GitRepo) -> None:
    repo.write("schemas/ev/order.schema.json", ORDER.replace('"$ref": "../common/money.json"', '"$ref": "#/$defs/nope"'))
    proc = run_cli(repo.root)
    assert proc.returncode == 2, proc.stdout
    assert "schemas/ev/order.schema.json:6:15:" in proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr


def test_new_ref_to_a_missing_file_is_an_input_error(repo: GitRepo) -> None:
    repo.write("schemas/ev/order.schema.json", ORDER.replace("../common/money.json", "../common/mony.json"))
    proc = run_cli(repo.root, "--format", "json")
    assert proc.returncode == 2, proc.stdout
    errors = [d for d in report(proc)["diagnostics"] if d["severity"] == "error"]
    assert len(errors) == 1 and "mony.json" in errors[0]["message"], errors


def test_remote_ref_stays_a_warning(repo: GitRepo) -> None:
    repo.write("schemas/ev/order.schema.json",
               ORDER.replace("../common/money.json", "https://example.com/schemas/money.json"))
    proc = run_cli(repo.root, "--format", "json")
    assert proc.returncode != 2, proc.stdout
    diagnostics = report(proc)["diagnostics"]
    assert [d["severity"] for d in diagnostics] == ["warning"], diagnostics


def test_deleted_schema_file_and_removed_definition(repo: GitRepo) -> None:
    bundle = ('{\n  "$schema": "https://json-schema.org/draft/2020-12/schema",\n'
              '  "$defs": {\n    "A": {"type": "string"},\n    "B": {"type": "integer"}\n  }\n}\n')
    repo.write("schemas/bundle.schema.json", bundle)
    repo.write("schemas/old.schema.json", '{"$schema": "https://json-schema.org/draft/2020-12/schema"}\n')
    repo.commit("bundle")
    repo.write("schemas/bundle.schema.json", bundle.replace(',\n    "B": {"type": "integer"}', ""))
    repo.delete("schemas/old.schema.json")
    proc = run_cli(repo.root, "--format", "json")
    assert proc.returncode == 1, proc.stdout
    found = sorted((f["rule_id"], (f["location"] or f["base_location"])["path"]) for f in report(proc)["findings"])
    assert found == [("DEFINITION_REMOVED", "schemas/bundle.schema.json"),
                     ("SCHEMA_FILE_NO_DELETE", "schemas/old.schema.json")]


# -- 4. allOf: a reader conjunct is explained against the writer conjunct at the same place ---------

@pytest.mark.parametrize(("added", "rules"), [
    ('"pattern": "^[a-z]+$"', ["PATTERN_ADDED"]),
    ('"maxLength": 4', ["MAX_LENGTH_DECREASED"]),
    ('"pattern": "^[a-z]+$", "maxLength": 4', ["MAX_LENGTH_DECREASED", "PATTERN_ADDED"]),
])
def test_allof_items_change_is_named_by_its_keyword(tmp_path: Path, added: str, rules: list[str]) -> None:
    (tmp_path / "old").mkdir()
    (tmp_path / "new").mkdir()
    head = '{"$schema": "http://json-schema.org/draft-07/schema#", "allOf": [{"type": "array"}, {"items": '
    (tmp_path / "old" / "t.schema.json").write_text(head + '{"type": "string"}}]}', encoding="utf-8")
    (tmp_path / "new" / "t.schema.json").write_text(head + '{"type": "string", ' + added + '}}]}', encoding="utf-8")
    proc = run_cli(tmp_path, "new", "--against", "old", "--format", "json")
    assert proc.returncode == 1, proc.stdout
    assert sorted(f["rule_id"] for f in report(proc)["findings"]) == rules


# -- 5. locations inside $defs, and real spans ------------------------------------------------------

DEFS = """{
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "$defs": {
    "Line": {
      "type": "object",
      "properties": {
        "sku": {"type": "string"}
      }
    }
  }
}
"""


@pytest.mark.parametrize(("new", "rule", "head", "base"), [
    (DEFS.replace('"sku": {"type": "string"}\n      }', '"sku": {"type": "string"},\n        "qty": {"type": "integer"}\n'
                  '      },\n      "required": ["qty"]'), "REQUIRED_PROPERTY_ADDED", (8, 9), (4, 5)),
    (DEFS.replace('"sku": {"type": "string"}\n      }', '"sku": {"type": "string"}\n      },\n      "required": ["sku"]'),
     "PROPERTY_BECAME_REQUIRED", (9, 7), (7, 9)),
])
def test_required_changes_in_defs_point_into_the_definition(tmp_path: Path, new: str, rule: str,
                                                             head: tuple[int, int], base: tuple[int, int]) -> None:
    (tmp_path / "old").mkdir()
    (tmp_path / "new").mkdir()
    (tmp_path / "old" / "t.schema.json").write_text(DEFS, encoding="utf-8")
    (tmp_path / "new" / "t.schema.json").write_text(new, encoding="utf-8")
    proc = run_cli(tmp_path, "new", "--against", "old", "--format", "json")
    assert proc.returncode == 1, proc.stdout
    [finding] = report(proc)["findings"]
    loc, old = finding["location"], finding["base_location"]
    assert (finding["rule_id"], (loc["line"], loc["column"]), (old["line"], old["column"])) == (rule, head, base)
    assert loc["end_line"] >= loc["line"] and old["end_line"] >= old["line"]


def test_json_schema_diagnostics_have_real_spans(repo: GitRepo) -> None:
    schema = '{"$schema": "https://json-schema.org/draft/2020-12/schema",\n'
    repo.write("schemas/a.schema.json", schema + ' "type": }\n')
    repo.write("schemas/b.schema.json", schema + ' "type": 5}\n')
    repo.write("schemas/c.schema.json", schema + ' "properties": {"x": {"$ref": "#/nope"}}}\n')
    repo.write("schemas/d.schema.yaml", "type: object\n\tfoo: 1\n")
    proc = run_cli(repo.root, "--format", "json")
    assert proc.returncode == 2
    diagnostics = report(proc)["diagnostics"]
    assert sorted(d["location"]["path"] for d in diagnostics) == [
        "schemas/a.schema.json", "schemas/b.schema.json", "schemas/c.schema.json", "schemas/d.schema.yaml"]
    for d in diagnostics:
        loc = d["location"]
        assert loc["line"] >= 1 and (loc["end_line"], loc["end_column"]) >= (loc["line"], loc["column"]), d


def test_named_schema_whose_ref_target_changed_outside_the_named_path(repo: GitRepo) -> None:
    repo.write("schemas/common/money.json", MONEY.replace('"minimum": 0', '"minimum": 1'))
    proc = run_cli(repo.root, "schemas/ev/order.schema.json", "--format", "json")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert [f["rule_id"] for f in report(proc)["findings"]] == ["MINIMUM_INCREASED"]
    assert run_cli(repo.root, "package.json").returncode == 0  # a named file that references nothing


def test_renamed_target_without_updating_the_ref(repo: GitRepo) -> None:
    repo.run("mv", "schemas/common/money.json", "schemas/common/amount.json")
    proc = run_cli(repo.root, "--format", "json")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    [finding] = report(proc)["findings"]
    assert finding["rule_id"] == "REF_TARGET_REMOVED" and "money.json" in finding["message"]
    repo.write("schemas/ev/order.schema.json", ORDER.replace("money.json", "amount.json"))
    assert run_cli(repo.root).returncode == 0  # the ref follows the move: nothing breaks


def test_renamed_referrer_keeps_its_broken_ref_a_finding(repo: GitRepo) -> None:
    repo.run("mv", "schemas/ev/order.schema.json", "schemas/ev/purchase.schema.json")
    repo.run("rm", "-q", "schemas/common/money.json")
    proc = run_cli(repo.root, "--staged", "--format", "json")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert [f["rule_id"] for f in report(proc)["findings"]] == ["REF_TARGET_REMOVED"]
