"""``--fetch-missing`` in a blobless partial clone: only the blobs the change needs, in one fetch.

A real partial clone (``git clone --filter=blob:none``) of a local bare repository that allows
filters (``uploadpack.allowFilter``) over ``file://``: no network. Without the flag nothing is
fetched and the missing blob is an error (``tests/test_git_trust.py``); with it, exactly the
missing blobs of the changed files are fetched by one ``git fetch`` (counted with GIT_TRACE).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from gitrepo import GitRepo

PROTO = 'syntax = "proto3";\npackage shop.v1;\nmessage Order{n} {{\n  int64 total_amount = 2;\n}}\n'
SCHEMA = '{{"type": "object", "properties": {{"id{n}": {{"type": "string"}}}}, "required": ["id{n}"]}}\n'


def _missing(repo: Path, rev: str) -> set[str]:
    out = subprocess.run(["git", "rev-list", "--objects", "--missing=print", rev], cwd=repo, capture_output=True,
                         text=True, env=GitRepo.env(), check=True).stdout
    return {line[1:] for line in out.splitlines() if line.startswith("?")}


def _clone(tmp_path: Path) -> tuple[GitRepo, Path]:
    origin = GitRepo(tmp_path / "origin")
    for n in range(6):
        origin.write(f"api/f{n}.proto", PROTO.format(n=n))
        origin.write(f"schemas/s{n}.schema.json", SCHEMA.format(n=n))
    origin.commit("v1")
    for n in range(3):  # three files change; the other nine keep their blobs
        origin.write(f"api/f{n}.proto", PROTO.format(n=n).replace("total_amount", "total_cents"))
        origin.write(f"schemas/s{n}.schema.json", SCHEMA.format(n=n).replace('"required": [', '"required": ["x", '))
    origin.commit("v2")
    bare = tmp_path / "bare.git"
    subprocess.run(["git", "clone", "-q", "--bare", str(origin.root), str(bare)], check=True, env=GitRepo.env())
    subprocess.run(["git", "config", "uploadpack.allowFilter", "true"], cwd=bare, check=True, env=GitRepo.env())
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--filter=blob:none", f"file://{bare}", str(clone)], check=True,
                   env=GitRepo.env(), capture_output=True)
    return origin, clone


def _run(clone: Path, trace: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in GitRepo.env().items() if k != "FORCE_COLOR"}
    env.update({"NO_COLOR": "1", "GIT_TRACE": str(trace)})
    return subprocess.run([sys.executable, "-m", "schemacheck", "--head", "HEAD", "--format", "json", *args],
                          cwd=clone, env=env, capture_output=True, text=True, timeout=120)


def test_fetch_missing_fetches_exactly_the_changed_blobs_in_one_fetch(tmp_path: Path) -> None:
    origin, clone = _clone(tmp_path)
    old_blobs = {origin.run("rev-parse", f"HEAD~1:{p}").strip()
                 for n in range(3) for p in (f"api/f{n}.proto", f"schemas/s{n}.schema.json")}
    missing_before = _missing(clone, "HEAD~1")
    assert old_blobs <= missing_before  # the old side of every changed file is absent
    trace = tmp_path / "trace.txt"
    proc = _run(clone, trace, "--fetch-missing")
    assert proc.returncode == 1, proc.stderr
    rules = {f["rule_id"] for f in json.loads(proc.stdout)["findings"]}
    assert {"FIELD_SAME_NAME"} <= rules and len(rules) >= 2  # both formats were compared
    assert missing_before - _missing(clone, "HEAD~1") == old_blobs  # exactly those, nothing else
    fetches = [line for line in trace.read_text().splitlines() if "run_command" not in line
               and " fetch " in line and "git.c:" in line]
    assert len(fetches) == 1, fetches


def test_without_the_flag_nothing_is_fetched(tmp_path: Path) -> None:
    _, clone = _clone(tmp_path)
    missing_before = _missing(clone, "HEAD~1")
    proc = _run(clone, tmp_path / "trace.txt")
    assert proc.returncode == 2 and "partial clone" in proc.stderr
    assert _missing(clone, "HEAD~1") == missing_before
