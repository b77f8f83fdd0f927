"""Git inputs a checker must not trust blindly: shallow clones, intent-to-add entries, missing objects.

Maintainers: every test builds a real repository (or clone) with the git binary and runs the
real CLI in a subprocess; each one reproduces a silent pass or an internal error of issue 7.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from gitrepo import GitRepo

V1 = 'syntax = "proto3";\npackage shop.v1;\nmessage Order {\n  int64 total_amount = 1;\n}\n'
V2 = V1.replace("total_amount", "total_cents")


def run_cli(cwd: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    full_env = {k: v for k, v in GitRepo.env().items() if not k.startswith(("PRE_COMMIT", "FORCE_COLOR"))}
    full_env.update({"NO_COLOR": "1", **(env or {})})
    return subprocess.run([sys.executable, "-m", "schemacheck", *args], cwd=cwd, env=full_env,
                          capture_output=True, text=True, timeout=60)


def one_line_error(proc: subprocess.CompletedProcess[str]) -> str:
    """The error line of an exit-2 run, after checking there is no traceback or internal error."""
    assert proc.returncode == 2, (proc.returncode, proc.stdout, proc.stderr)
    assert "Traceback" not in proc.stderr and "internal error" not in proc.stderr, proc.stderr
    assert proc.stderr.startswith("schemacheck: error: "), proc.stderr
    return proc.stderr.splitlines()[0]


# -- shallow clones ----------------------------------------------------------------------------


@pytest.fixture
def shallow(tmp_path: Path) -> GitRepo:
    """A depth-1 clone of ``feature``, whose only commit renames a field (breaking)."""
    origin = GitRepo(tmp_path / "origin")
    origin.write("api/order.proto", V1)
    origin.commit("v1")
    origin.branch("feature")
    origin.write("api/order.proto", V2)
    origin.commit("rename")
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "1", "--no-single-branch", "--branch", "feature",
                    f"file://{origin.root}", str(clone)], check=True, env=GitRepo.env())
    return GitRepo(clone, init=False)


@pytest.mark.parametrize("args, env", [
    (("--head", "HEAD"), {}),
    (("--head", "origin/feature"), {}),
    (("--base", "origin/main"), {}),
    (("--base", "origin/main", "--head", "HEAD"), {}),
    (("--pre-push",), {"PRE_COMMIT_FROM_REF": "origin/main", "PRE_COMMIT_TO_REF": "HEAD"}),
], ids=["head", "head-remote", "base", "base-head", "pre-push"])
def test_shallow_clone_missing_old_side_is_an_error_with_the_fetch_tip(shallow: GitRepo, args: tuple[str, ...],
                                                                       env: dict[str, str]) -> None:
    proc = run_cli(shallow.root, *args, env=env)
    assert "shallow clone" in one_line_error(proc)
    assert "fetch-depth: 0" in proc.stderr


@pytest.mark.parametrize("mode", [(), ("--staged",)], ids=["work-tree", "staged"])
def test_shallow_clone_compares_work_tree_and_index_with_the_present_head(shallow: GitRepo,
                                                                         mode: tuple[str, ...]) -> None:
    """HEAD itself is in the clone, so the default and --staged modes have their old side."""
    shallow.write("api/order.proto", V2.replace("total_cents", "total"))
    shallow.stage()
    proc = run_cli(shallow.root, *mode)
    assert proc.returncode == 1 and "FIELD_SAME_NAME" in proc.stdout, proc.stdout + proc.stderr


def test_first_commit_of_a_new_repository_has_no_old_side(tmp_path: Path) -> None:
    """A real root commit is the one legitimate "no parent": every file is new, exit 0."""
    repo = GitRepo(tmp_path / "fresh")
    repo.write("api/order.proto", V1)
    repo.commit("first")
    proc = run_cli(repo.root, "--head", "HEAD", "--format", "json")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert json.loads(proc.stdout)["base"] == "empty (no commits)"


# -- intent-to-add (git add -N) ------------------------------------------------------------------


@pytest.fixture
def with_intent_to_add(tmp_path: Path) -> GitRepo:
    repo = GitRepo(tmp_path / "ita")
    repo.write("api/order.proto", V1)
    repo.commit("v1")
    repo.write("api/new.proto", 'syntax = "proto3";\npackage shop.v1;\nmessage Refund {\n  string id = 1;\n}\n')
    repo.run("add", "-N", "api/new.proto")
    return repo


def test_staged_ignores_an_intent_to_add_placeholder(with_intent_to_add: GitRepo) -> None:
    """`git add -N` records no content: the file is not part of the commit, so not an empty .proto."""
    proc = run_cli(with_intent_to_add.root, "--staged", "--format", "json")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert json.loads(proc.stdout)["diagnostics"] == []


def test_staged_still_checks_real_changes_next_to_an_intent_to_add_file(with_intent_to_add: GitRepo) -> None:
    with_intent_to_add.write("api/order.proto", V2)
    with_intent_to_add.stage("api/order.proto")
    proc = run_cli(with_intent_to_add.root, "--staged", "--format", "json")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert {f["location"]["path"] for f in json.loads(proc.stdout)["findings"]} == {"api/order.proto"}
    assert json.loads(proc.stdout)["diagnostics"] == []


def test_staged_empty_file_is_still_an_error(with_intent_to_add: GitRepo) -> None:
    """A real staged empty .proto (not -N) keeps being reported: only the placeholder is special."""
    with_intent_to_add.write("api/empty.proto", "")
    with_intent_to_add.stage("api/empty.proto")
    proc = run_cli(with_intent_to_add.root, "--staged", "--format", "json")
    assert proc.returncode == 2
    assert [d["location"]["path"] for d in json.loads(proc.stdout)["diagnostics"]] == ["api/empty.proto"]


def test_work_tree_checks_intent_to_add_file_with_its_content(with_intent_to_add: GitRepo) -> None:
    """Without --staged the new file is compared with its content on disk (a broken one is an error)."""
    with_intent_to_add.write("api/new.proto", "syntax = \"proto3\";\nmessage {\n")
    proc = run_cli(with_intent_to_add.root, "--format", "json")
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert [d["location"]["path"] for d in json.loads(proc.stdout)["diagnostics"]] == ["api/new.proto"]


# -- missing or damaged objects ----------------------------------------------------------------

SCHEMA_V1 = '{"type": "object", "properties": {"id": {"type": "string"}}, "required": ["id"]}\n'
SCHEMA_V2 = SCHEMA_V1.replace('"id"', '"key"')
FILES = {"proto": ("api/order.proto", V1, V2), "json": ("schemas/order.schema.json", SCHEMA_V1, SCHEMA_V2)}


def _two_commits(repo: GitRepo, fmt: str) -> str:
    """Commit v1 then v2 of one schema file; returns the blob id of v1 (the old side)."""
    path, old, new = FILES[fmt]
    repo.write(path, old)
    repo.commit("v1")
    repo.write(path, new)
    repo.commit("v2")
    return repo.run("rev-parse", f"HEAD~1:{path}").strip()


def _object_file(repo: GitRepo, sha: str) -> Path:
    return repo.root / ".git" / "objects" / sha[:2] / sha[2:]


@pytest.mark.parametrize("fmt", ["proto", "json"])
@pytest.mark.parametrize("damage", ["deleted", "truncated"])
def test_damaged_object_is_named_with_a_tip(tmp_path: Path, fmt: str, damage: str) -> None:
    repo = GitRepo(tmp_path / "damaged")
    blob = _two_commits(repo, fmt)
    loose = _object_file(repo, blob)
    loose.chmod(0o644)
    if damage == "deleted":
        loose.unlink()
    else:
        loose.write_bytes(loose.read_bytes()[:12])
    proc = run_cli(repo.root, "--head", "HEAD")
    line = one_line_error(proc)
    assert blob in line and FILES[fmt][0] in line
    assert "git fsck" in proc.stderr


def test_damaged_tree_is_an_error_with_a_tip(tmp_path: Path) -> None:
    repo = GitRepo(tmp_path / "damaged")
    _two_commits(repo, "proto")
    tree = repo.run("rev-parse", "HEAD~1^{tree}").strip()
    _object_file(repo, tree).unlink()
    proc = run_cli(repo.root, "--head", "HEAD")
    assert "unable to read tree" in one_line_error(proc) and "git fsck" in proc.stderr


@pytest.mark.parametrize("fmt", ["proto", "json"])
@pytest.mark.parametrize("origin_state", ["removed", "reachable"])
def test_partial_clone_missing_blob_is_reported_never_fetched(tmp_path: Path, fmt: str, origin_state: str) -> None:
    """A blobless clone lacks old blobs; schemacheck names the blob and never fetches it, even
    when the promisor remote is reachable (so a run never waits on the network)."""
    origin = GitRepo(tmp_path / "origin")
    blob = _two_commits(origin, fmt)
    origin.run("config", "uploadpack.allowFilter", "true")
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--filter=blob:none", f"file://{origin.root}", str(clone)],
                   check=True, env=GitRepo.env(), capture_output=True)
    partial = GitRepo(clone, init=False)
    assert partial.run("rev-list", "--objects", "--missing=print", "HEAD~1").count("?" + blob) == 1
    if origin_state == "removed":
        origin.root.rename(tmp_path / "gone")
    proc = run_cli(clone, "--head", "HEAD")
    line = one_line_error(proc)
    assert blob in line and FILES[fmt][0] in line and "partial clone" in line
    assert "?" + blob in partial.run("rev-list", "--objects", "--missing=print", "HEAD~1")  # still not fetched


def test_partial_clone_rename_detection_needs_missing_blobs(tmp_path: Path) -> None:
    """git's rename detection wants both blobs of an edited move; missing ones are an error with
    the partial-clone tip, not a lazy fetch."""
    origin = GitRepo(tmp_path / "origin")
    origin.run("config", "uploadpack.allowFilter", "true")
    body = "".join(f"  int32 f{i} = {i};\n" for i in range(1, 40))
    origin.write("api/a.proto", f'syntax = "proto3";\nmessage A {{\n{body}}}\n')
    origin.commit("v1")
    origin.run("mv", "api/a.proto", "api/b.proto")
    origin.write("api/b.proto", f'syntax = "proto3";\nmessage A {{\n{body.replace("f39", "g39")}}}\n')
    origin.commit("move and edit")
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--filter=blob:none", f"file://{origin.root}", str(clone)],
                   check=True, env=GitRepo.env(), capture_output=True)
    origin.root.rename(tmp_path / "gone")
    proc = run_cli(clone, "--head", "HEAD")
    one_line_error(proc)
    assert "partial clone" in proc.stderr
