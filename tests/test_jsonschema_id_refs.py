"""References by ``$id`` resolve the same way in base and head, whatever else was loaded (issue 7, item 8).

The ``$id`` of a schema file need not match its path. Before, a resolver knew only the
documents it had loaded so far, so the same reference resolved in base (its target happened to
be loaded because it changed) and not in head (the referring file was compared first): a false
``REF_TARGET_REMOVED``; and a reference to an *unchanged* file by ``$id`` was a "remote" warning.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from gitrepo import GitRepo

DRAFT = "https://json-schema.org/draft/2020-12/schema"
A = {"$schema": DRAFT, "$id": "https://example.com/api/a.json", "type": "object",
     "properties": {"z": {"$ref": "https://example.com/shared/z.json"}}}
Z = {"$schema": DRAFT, "$id": "https://example.com/shared/z.json", "type": "string", "title": "z"}


def check(repo: GitRepo) -> tuple[int, dict]:
    proc = subprocess.run([sys.executable, "-m", "schemacheck", "--format", "json"], cwd=repo.root,
                          env={**GitRepo.env(), "NO_COLOR": "1"}, capture_output=True, text=True, timeout=120)
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc.returncode, json.loads(proc.stdout)


def repo_with(tmp_path: Path, a: dict = A, z: dict = Z) -> GitRepo:
    repo = GitRepo(tmp_path / "repo")
    repo.write("api/a.schema.json", json.dumps(a, indent=1))
    repo.write("vendor/z.schema.json", json.dumps(z, indent=1))  # not where its $id says
    repo.commit("v1")
    return repo


def test_both_files_edited_is_not_a_removed_target(tmp_path: Path) -> None:
    repo = repo_with(tmp_path)
    repo.write("api/a.schema.json", json.dumps({**A, "title": "A"}, indent=1))
    repo.write("vendor/z.schema.json", json.dumps({**Z, "title": "Z"}, indent=1))
    code, report = check(repo)
    assert [f["rule_id"] for f in report["findings"]] == []
    assert code == 0


def test_unchanged_target_is_found_by_its_id(tmp_path: Path) -> None:
    repo = repo_with(tmp_path)
    repo.write("api/a.schema.json", json.dumps({**A, "title": "A"}, indent=1))
    code, report = check(repo)
    assert code == 0
    assert report["findings"] == [] and report["diagnostics"] == []  # no "remote, not followed" warning


def test_inlining_an_id_target_is_compared_with_it(tmp_path: Path) -> None:
    repo = repo_with(tmp_path)
    repo.write("api/a.schema.json", json.dumps({**A, "properties": {"z": {"type": "integer"}}}, indent=1))
    code, report = check(repo)
    assert [f["rule_id"] for f in report["findings"]] == ["TYPE_CHANGED"]
    assert code == 1


def test_a_really_removed_id_target_is_still_reported(tmp_path: Path) -> None:
    repo = repo_with(tmp_path)
    repo.write("api/a.schema.json", json.dumps({**A, "title": "A"}, indent=1))
    repo.delete("vendor/z.schema.json")
    code, report = check(repo)
    assert "REF_TARGET_REMOVED" in [f["rule_id"] for f in report["findings"]]
    assert code == 1
