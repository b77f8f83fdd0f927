"""Runs that compare nothing say so: a rule selection that leaves a changed format no rule, and a
revision pair with no change at all (found by a new-user trial on a fresh clone)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from gitrepo import GitRepo

SRC = str(Path(__file__).resolve().parent.parent / "src")
SCHEMA = ('{"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object", '
          '"required": ["total_amount"], "properties": {"total_amount": {"type": "integer"}}}\n')
PROTO = 'syntax = "proto3";\npackage shop.v1;\nmessage Order {\n  int64 total_amount = 2;\n}\n'


def _run(repo: GitRepo, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "schemacheck", *args], cwd=repo.root, capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": SRC, "NO_COLOR": "1"}, timeout=120)


def _renamed(tmp_path: Path, *files: str) -> GitRepo:
    texts = {"schemas/order.schema.json": SCHEMA, "api/order.proto": PROTO}
    repo = GitRepo(tmp_path / "repo")
    for path in files:
        repo.write(path, texts[path])
    repo.commit("base")
    for path in files:
        repo.write(path, texts[path].replace("total_amount", "total_cents"))
    repo.commit("rename")
    return repo


def test_a_selection_that_leaves_every_changed_format_no_rule_says_so(tmp_path: Path) -> None:
    repo = _renamed(tmp_path / "json", "schemas/order.schema.json")
    proc = _run(repo, "--base", "HEAD~1", "--head", "HEAD", "--ignore", "BACKWARD,FORWARD")
    assert proc.returncode == 0 and "no rule ran" in proc.stdout + proc.stderr, proc.stdout + proc.stderr
    repo = _renamed(tmp_path / "proto", "api/order.proto")
    proc = _run(repo, "--base", "HEAD~1", "--head", "HEAD", "--select", "BACKWARD")  # not a protobuf category
    assert proc.returncode == 0 and "no rule ran" in proc.stdout + proc.stderr, proc.stdout + proc.stderr


def test_a_selection_that_still_runs_rules_gives_no_such_warning(tmp_path: Path) -> None:
    repo = _renamed(tmp_path, "schemas/order.schema.json", "api/order.proto")
    proc = _run(repo, "--base", "HEAD~1", "--head", "HEAD", "--ignore", "BACKWARD,FORWARD")
    assert proc.returncode == 1 and "no rule ran" not in proc.stdout + proc.stderr  # protobuf's rules ran


def test_no_change_at_all_says_nothing_was_checked(tmp_path: Path) -> None:
    repo = _renamed(tmp_path, "api/order.proto")
    proc = _run(repo)  # the work tree against HEAD: nothing changed since the commit
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "No file changed between" in proc.stdout and "nothing was checked" in proc.stdout
