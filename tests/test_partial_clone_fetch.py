"""``--fetch-missing`` in a blobless partial clone: only the blobs the change needs, in one fetch.

A real partial clone (``git clone --filter=blob:none``) of a local bare repository that allows
filters (``uploadpack.allowFilter``) over ``file://``: no network. Without the flag nothing is
fetched and the missing blob is an error (``tests/test_git_trust.py``); with it, exactly the
missing blobs of the changed files are fetched by one ``git fetch`` (counted with GIT_TRACE).
"""

from __future__ import annotations

import json
import re
import shutil
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


def _blobless_clone(origin: GitRepo, tmp_path: Path, no_checkout: bool = False) -> Path:
    """``git clone --filter=blob:none`` of ``origin`` through a bare copy that allows filters (``file://``)."""
    bare = tmp_path / "bare.git"
    subprocess.run(["git", "clone", "-q", "--bare", str(origin.root), str(bare)], check=True, env=GitRepo.env())
    subprocess.run(["git", "config", "uploadpack.allowFilter", "true"], cwd=bare, check=True, env=GitRepo.env())
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", *(["--no-checkout"] if no_checkout else []), "--filter=blob:none",
                    f"file://{bare}", str(clone)], check=True, env=GitRepo.env(), capture_output=True)
    return clone


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
    return origin, _blobless_clone(origin, tmp_path)


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
    clone = _blobless_clone(origin, tmp_path, no_checkout=True)
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
    assert _fetches(trace) == 1  # the changed file's blobs with what the comparison reads: one batch
    assert _fetch_note(proc.stdout) == (len(needed), 1)


def test_blobless_clone_with_a_cold_index_fetches_the_schemas_in_one_batch(tmp_path: Path) -> None:
    """Without an index every schema's text is needed to find the dependents: fetched with the
    change in one batch, never one ``git fetch`` per blob."""
    _, clone = _js_clones(tmp_path)
    cache = {"SCHEMACHECK_CACHE_DIR": str(tmp_path / "cache"), "SCHEMACHECK_NO_CACHE": ""}
    trace = tmp_path / "trace.txt"
    missing_before = _missing(clone, "origin/change") | _missing(clone, "origin/main")
    proc = _run_env(clone, trace, cache, "--base", "origin/main", "--head", "origin/change", "--format", "json",
                    "--fetch-missing")
    assert proc.returncode == 1, proc.stderr
    assert _fetches(trace) == 1
    # every JSON file of head (32) and the changed file's base version
    assert len(missing_before - (_missing(clone, "origin/change") | _missing(clone, "origin/main"))) == 33


def test_blobless_clone_fetches_a_reference_the_change_adds_in_a_second_batch(tmp_path: Path) -> None:
    """The head version of a changed file is new to the index, so its base version's ``$ref``s
    stand in for it; a reference the change adds (to a file nothing else leads to) is found
    once the head is read and fetched in a second batch, and the verdict is the full clone's."""
    origin, _ = _js_clones(tmp_path)
    origin.write("schemas/s05.schema.json", _js_schema(5).replace('{"type": "integer"}', '{"$ref": "s21.schema.json"}'))
    origin.commit("v3")  # on "change": s05 now references s21, which nothing else does
    bare = tmp_path / "bare.git"
    subprocess.run(["git", "push", "-q", str(bare), "change"], cwd=origin.root, check=True, env=GitRepo.env(),
                   capture_output=True)
    clone = tmp_path / "clone2"
    subprocess.run(["git", "clone", "-q", "--no-checkout", "--filter=blob:none", f"file://{bare}", str(clone)],
                   check=True, env=GitRepo.env(), capture_output=True)
    cache = {"SCHEMACHECK_CACHE_DIR": str(tmp_path / "cache"), "SCHEMACHECK_NO_CACHE": ""}
    earlier = _run_env(origin.root, tmp_path / "full-trace.txt", cache, "--base", "main", "--head", "change~1",
                       "--format", "json")  # an earlier run: the index knows every blob but s05's new one
    assert earlier.returncode == 1, earlier.stderr
    shutil.copytree(tmp_path / "cache", tmp_path / "cache-restored")  # as CI restores it
    full = _run_env(origin.root, tmp_path / "full-trace.txt", cache, "--base", "main", "--head", "change",
                    "--format", "json")
    assert full.returncode == 1, full.stderr
    assert "s21.schema.json" in {f["location"]["path"].rsplit("/", 1)[-1] for f in json.loads(full.stdout)["findings"]}
    trace = tmp_path / "trace.txt"
    proc = _run_env(clone, trace, {**cache, "SCHEMACHECK_CACHE_DIR": str(tmp_path / "cache-restored")},
                    "--base", "origin/main", "--head", "origin/change", "--format", "json", "--fetch-missing")
    assert proc.returncode == 1, proc.stderr
    assert json.loads(proc.stdout)["findings"] == json.loads(full.stdout)["findings"]
    assert _fetches(trace) == 2
    assert _fetch_note(proc.stdout)[1] == 2


def _fetches(trace: Path) -> int:
    return sum(1 for line in trace.read_text().splitlines() if "run_command" not in line
               and " fetch " in line and "git.c:" in line)


def _fetch_note(report: str) -> tuple[int, int]:
    """(objects, batches) from the run's ``--fetch-missing`` note (its two numbers, in that order)."""
    notes = [d["message"] for d in json.loads(report)["diagnostics"] if "--fetch-missing" in d["message"]]
    assert len(notes) == 1, notes
    numbers = [int(n) for n in re.findall(r"\d+", notes[0])]
    return numbers[0], numbers[1]


def _run_env(cwd: Path, trace: Path, extra: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in GitRepo.env().items() if k != "FORCE_COLOR"}
    env.update({"NO_COLOR": "1", "GIT_TRACE": str(trace), **extra})
    return subprocess.run([sys.executable, "-m", "schemacheck", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=120)


def _blobless_of(origin: GitRepo, tmp_path: Path, name: str) -> Path:
    bare = tmp_path / f"{name}.git"
    subprocess.run(["git", "clone", "-q", "--bare", str(origin.root), str(bare)], check=True, env=GitRepo.env())
    subprocess.run(["git", "config", "uploadpack.allowFilter", "true"], cwd=bare, check=True, env=GitRepo.env())
    clone = tmp_path / name
    subprocess.run(["git", "clone", "-q", "--no-checkout", "--filter=blob:none", f"file://{bare}", str(clone)],
                   check=True, env=GitRepo.env(), capture_output=True)
    return clone


def test_a_changed_configuration_read_first_fetches_the_noted_blobs(tmp_path: Path) -> None:
    """The configuration is read before the runner's batch: a changed one is among the noted
    blobs, so reading it fetches them (instead of failing), and the check runs as in a full clone."""
    origin, _ = _js_clones(tmp_path)
    origin.write("schemacheck.toml", "[tool.schemacheck]\nfail-on = \"warning\"\n")
    origin.commit("v3: configuration")
    clone = _blobless_of(origin, tmp_path, "clone-config")
    cache = {"SCHEMACHECK_CACHE_DIR": str(tmp_path / "cache"), "SCHEMACHECK_NO_CACHE": ""}
    full = _run_env(origin.root, tmp_path / "t0.txt", cache, "--base", "main", "--head", "change", "--format", "json")
    trace = tmp_path / "trace.txt"
    proc = _run_env(clone, trace, cache, "--base", "origin/main", "--head", "origin/change", "--format", "json",
                    "--fetch-missing")
    assert (proc.returncode, json.loads(proc.stdout)["findings"]) == (full.returncode, json.loads(full.stdout)["findings"])
    assert proc.returncode == 1, proc.stderr
    assert 1 <= _fetches(trace) <= 2


def test_a_renamed_and_edited_schema_is_compared_in_a_blobless_clone(tmp_path: Path) -> None:
    """Rename detection reads the added and deleted files' blobs, so they are fetched before it:
    the rename is seen as in a full clone."""
    origin, _ = _js_clones(tmp_path)
    origin.run("mv", "schemas/s10.schema.json", "schemas/renamed.schema.json")
    origin.write("schemas/renamed.schema.json", _js_schema(10).replace('"integer"', '"string"'))
    origin.commit("v3: rename")
    clone = _blobless_of(origin, tmp_path, "clone-rename")
    cache = {"SCHEMACHECK_CACHE_DIR": str(tmp_path / "cache"), "SCHEMACHECK_NO_CACHE": ""}
    full = _run_env(origin.root, tmp_path / "t0.txt", cache, "--base", "main", "--head", "change", "--format", "json")
    assert full.returncode == 1, full.stderr
    proc = _run_env(clone, tmp_path / "trace.txt", cache, "--base", "origin/main", "--head", "origin/change",
                    "--format", "json", "--fetch-missing")
    assert proc.returncode == 1, proc.stderr
    assert json.loads(proc.stdout)["findings"] == json.loads(full.stdout)["findings"]


def test_an_unchanged_import_no_format_predicted_is_fetched_on_read(tmp_path: Path) -> None:
    """A clone that checked nothing out lacks the unchanged files a .proto imports: with
    --fetch-missing the read fetches it (no format predicts protobuf imports); without, the error
    names the flag."""
    origin = GitRepo(tmp_path / "origin")
    origin.write("api/money.proto", 'syntax = "proto3";\npackage shop.v1;\nmessage Money { string currency = 1; }\n')
    order = ('syntax = "proto3";\npackage shop.v1;\nimport "api/money.proto";\n'
             "message Order {\n  Money price = 1;\n  int64 total_amount = 2;\n}\n")
    origin.write("api/order.proto", order)
    origin.commit("v1")
    origin.write("api/order.proto", order.replace("total_amount", "total_cents"))
    origin.commit("v2")
    clone = _blobless_clone(origin, tmp_path, no_checkout=True)
    money = origin.run("rev-parse", "HEAD:api/money.proto").strip()
    assert money in _missing(clone, "HEAD")
    without = _run(clone, tmp_path / "trace0.txt")
    assert without.returncode == 2 and "--fetch-missing" in without.stderr, without.stderr
    proc = _run(clone, tmp_path / "trace.txt", "--fetch-missing")
    assert proc.returncode == 1, proc.stderr
    assert "FIELD_SAME_NAME" in {f["rule_id"] for f in json.loads(proc.stdout)["findings"]}
    assert money not in _missing(clone, "HEAD")
