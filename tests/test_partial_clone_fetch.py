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


# -- JSON Schema dependents in a blobless clone that checked nothing out (issue 11) -------------
DRAFT = "https://json-schema.org/draft/2020-12/schema"


def _js_schema(i: int) -> str:
    props = {"id": {"type": "string"}, "n": {"type": "integer"}}
    if i < 4:  # four users of the shared definition; the other files do not reference it
        props["money"] = {"$ref": "money.json"}
    return json.dumps({"$schema": DRAFT, "title": f"S{i}", "type": "object", "properties": props}) + "\n"


def _js_clones(tmp_path: Path) -> tuple[GitRepo, Path]:
    origin = GitRepo(tmp_path / "origin")
    for i in range(30):
        origin.write(f"schemas/s{i:02d}.schema.json", _js_schema(i))
    origin.write("schemas/money.json", '{"type": "object", "properties": {"cents": {"type": "integer"}}}\n')
    origin.write("schemas/other.json", '{"type": "object", "properties": {"x": {"$ref": "s29.schema.json"}}}\n')
    origin.commit("v1")
    origin.branch("change")
    origin.write("schemas/money.json", '{"type": "object", "properties": {"cents": {"type": "string"}}}\n')
    origin.commit("v2")
    bare = tmp_path / "bare.git"
    subprocess.run(["git", "clone", "-q", "--bare", str(origin.root), str(bare)], check=True, env=GitRepo.env())
    subprocess.run(["git", "config", "uploadpack.allowFilter", "true"], cwd=bare, check=True, env=GitRepo.env())
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--no-checkout", "--filter=blob:none", f"file://{bare}", str(clone)],
                   check=True, env=GitRepo.env(), capture_output=True)
    return origin, clone


def test_blobless_clone_fetches_only_what_a_json_schema_check_reads(tmp_path: Path) -> None:
    """With the blob index warm (a cache restored from an earlier run: it is keyed by blob id), a
    clone that checked nothing out fetches the changed file and the four schemas that use it,
    and nothing of the 26 others; each batch is one ``git fetch``."""
    origin, clone = _js_clones(tmp_path)
    cache = {"SCHEMACHECK_CACHE_DIR": str(tmp_path / "cache"), "SCHEMACHECK_NO_CACHE": ""}
    args = ("--base", "origin/main", "--head", "origin/change", "--format", "json")
    full = _run_env(origin.root, tmp_path / "full-trace.txt", cache, "--base", "main", "--head", "change",
                    "--format", "json")
    assert full.returncode == 1, full.stderr
    missing_before = _missing(clone, "origin/change") | _missing(clone, "origin/main")
    trace = tmp_path / "trace.txt"
    proc = _run_env(clone, trace, cache, *args, "--fetch-missing")
    assert proc.returncode == 1, proc.stderr
    assert json.loads(proc.stdout)["findings"] == json.loads(full.stdout)["findings"]
    fetched = missing_before - (_missing(clone, "origin/change") | _missing(clone, "origin/main"))
    needed = {origin.run("rev-parse", f"{rev}:schemas/money.json").strip() for rev in ("main", "change")}
    needed |= {origin.run("rev-parse", f"change:schemas/s{i:02d}.schema.json").strip() for i in range(4)}
    assert fetched == needed
    fetches = [line for line in trace.read_text().splitlines() if "run_command" not in line
               and " fetch " in line and "git.c:" in line]
    assert len(fetches) == 2, fetches  # the changed file's blobs, then what the comparison reads


def test_blobless_clone_with_a_cold_index_fetches_the_schemas_in_one_batch(tmp_path: Path) -> None:
    """Without an index every schema's text is needed to find the dependents: fetched in one
    batch, never one ``git fetch`` per blob."""
    _, clone = _js_clones(tmp_path)
    cache = {"SCHEMACHECK_CACHE_DIR": str(tmp_path / "cache"), "SCHEMACHECK_NO_CACHE": ""}
    trace = tmp_path / "trace.txt"
    proc = _run_env(clone, trace, cache, "--base", "origin/main", "--head", "origin/change", "--format", "json",
                    "--fetch-missing")
    assert proc.returncode == 1, proc.stderr
    fetches = [line for line in trace.read_text().splitlines() if "run_command" not in line
               and " fetch " in line and "git.c:" in line]
    assert len(fetches) == 2, fetches


def _run_env(cwd: Path, trace: Path, extra: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in GitRepo.env().items() if k != "FORCE_COLOR"}
    env.update({"NO_COLOR": "1", "GIT_TRACE": str(trace), **extra})
    return subprocess.run([sys.executable, "-m", "schemacheck", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=120)
