"""The published pre-commit hook, run by the real ``pre-commit try-repo`` in a real repository.

pre-commit installs this project into a hook virtualenv from a snapshot repository (the
current ``src/``, ``pyproject.toml`` and ``.pre-commit-hooks.yaml`` committed once per
session), so the test exercises the hook definition, the console script and ``--staged``
exactly as users get them. One PRE_COMMIT_HOME serves the session, so the install happens
once. The virtualenv sees the test interpreter's site-packages
(``VIRTUALENV_SYSTEM_SITE_PACKAGES``) so dependencies are not downloaded again; the
dependency list itself is exercised by the CI install. Takes ~20-60 s, mostly the install.
"""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from gitrepo import GitRepo
from tools import REPO_ROOT

ORDER = 'syntax = "proto3";\npackage shop.v1;\nmessage Order {\n  string id = 1;\n  int64 total_amount = 2;\n}\n'

pytestmark = pytest.mark.skipif(shutil.which("pre-commit") is None and importlib.util.find_spec("pre_commit") is None,
                                reason="pre-commit is not installed")


@pytest.fixture(scope="session")
def hook_repo(tmp_path_factory: pytest.TempPathFactory) -> tuple[GitRepo, str]:
    repo = GitRepo(tmp_path_factory.mktemp("hook-repo"))
    shutil.copytree(REPO_ROOT / "src", repo.root / "src",
                    ignore=shutil.ignore_patterns("__pycache__", "*.egg-info", "*.so"))
    for name in ("pyproject.toml", ".pre-commit-hooks.yaml", "README.md"):
        if (REPO_ROOT / name).exists():
            shutil.copy2(REPO_ROOT / name, repo.root / name)
        else:
            repo.write(name, "schemacheck\n")
    return repo, repo.commit("schemacheck snapshot for the hook test")


@pytest.fixture(scope="session")
def pre_commit_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    env = {**GitRepo.env(), "PRE_COMMIT_HOME": str(tmp_path_factory.mktemp("pre-commit-home")),
           "VIRTUALENV_SYSTEM_SITE_PACKAGES": "1", "NO_COLOR": "1"}
    env.pop("PRE_COMMIT", None)
    if importlib.util.find_spec("schemacheck.formats.protobuf.compiler") is None:
        env["SCHEMACHECK_PROTO_PARSER"] = "protoc"  # until the pure-Python parser lands
    return env


def _try_repo(project: GitRepo, hook_repo: tuple[GitRepo, str], env: dict[str, str], hook: str = "schemacheck",
              *extra: str) -> subprocess.CompletedProcess[str]:
    repo, sha = hook_repo
    exe = shutil.which("pre-commit")
    cmd = [exe] if exe else [sys.executable, "-m", "pre_commit"]
    return subprocess.run([*cmd, "try-repo", str(repo.root), hook, "--ref", sha, "--color", "never", *extra],
                          cwd=project.root, env=env, capture_output=True, text=True, timeout=600)


@pytest.fixture
def project(tmp_path: Path) -> GitRepo:
    r = GitRepo(tmp_path / "project")
    r.write("proto/order.proto", ORDER)
    r.commit("order service")
    return r


def test_hook_fails_on_a_staged_breaking_change(project: GitRepo, hook_repo: tuple[GitRepo, str],
                                                 pre_commit_env: dict[str, str]) -> None:
    project.write("proto/order.proto", ORDER.replace("total_amount", "total_cents"))
    project.stage("proto/order.proto")
    proc = _try_repo(project, hook_repo, pre_commit_env)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 1, out
    assert "schemacheck (breaking schema changes)" in out and "Failed" in out
    assert "proto/order.proto:5:9" in out and "FIELD_SAME_NAME" in out


def test_hook_sees_a_staged_deletion(project: GitRepo, hook_repo: tuple[GitRepo, str],
                                     pre_commit_env: dict[str, str]) -> None:
    project.run("rm", "-q", "proto/order.proto")  # pre-commit passes no file for this commit
    proc = _try_repo(project, hook_repo, pre_commit_env)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "FILE_NO_DELETE" in proc.stdout or "MESSAGE_NO_DELETE" in proc.stdout


def test_hook_passes_a_safe_change_and_ignores_unstaged_breakage(project: GitRepo, hook_repo: tuple[GitRepo, str],
                                                                 pre_commit_env: dict[str, str]) -> None:
    project.write("proto/order.proto", ORDER.replace("}\n", "  string currency = 3;\n}\n"))
    project.stage("proto/order.proto")
    project.write("proto/order.proto", ORDER.replace("total_amount", "total_cents"))  # unstaged: not committed
    proc = _try_repo(project, hook_repo, pre_commit_env)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out
    assert "schemacheck (breaking schema changes)" in out and "Passed" in out


def test_push_hook_checks_the_pushed_range(project: GitRepo, hook_repo: tuple[GitRepo, str],
                                           pre_commit_env: dict[str, str]) -> None:
    project.branch("feature")
    project.write("proto/order.proto", ORDER.replace("}\n", "  string currency = 3;\n}\n"))
    safe = project.commit("add currency")
    project.write("proto/order.proto", ORDER.replace("total_amount", "total_cents"))
    project.commit("rename total")
    push = ("--hook-stage", "pre-push", "--from-ref", "main")
    proc = _try_repo(project, hook_repo, pre_commit_env, "schemacheck-push", *push, "--to-ref", "HEAD")
    assert proc.returncode == 1 and "FIELD_SAME_NAME" in proc.stdout, proc.stdout + proc.stderr
    proc = _try_repo(project, hook_repo, pre_commit_env, "schemacheck-push", *push, "--to-ref", safe)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_all_files_with_nothing_staged_is_not_a_silent_pass(project: GitRepo, hook_repo: tuple[GitRepo, str],
                                                            pre_commit_env: dict[str, str]) -> None:
    """`pre-commit run --all-files` (pre-commit.ci, CI) names no old revision: say so, don't pass."""
    project.write("proto/order.proto", ORDER.replace("total_amount", "total_cents"))
    project.commit("breaking, already committed")
    proc = _try_repo(project, hook_repo, pre_commit_env, "schemacheck", "--all-files")
    out = proc.stdout + proc.stderr
    assert proc.returncode != 0 and "Failed" in out, out
    assert "--from-ref" in out  # the tip says how to give it a range


def test_commit_hook_honours_from_ref_and_to_ref(project: GitRepo, hook_repo: tuple[GitRepo, str],
                                                 pre_commit_env: dict[str, str]) -> None:
    """`pre-commit run --from-ref A --to-ref B` in the commit stage compares A...B, not index vs HEAD."""
    project.branch("feature")
    project.write("proto/order.proto", ORDER.replace("}\n", "  string currency = 3;\n}\n"))
    safe = project.commit("add currency")
    project.write("proto/order.proto", ORDER.replace("total_amount", "total_cents"))
    project.commit("rename total")
    proc = _try_repo(project, hook_repo, pre_commit_env, "schemacheck", "--from-ref", "main", "--to-ref", "HEAD")
    assert proc.returncode == 1 and "FIELD_SAME_NAME" in proc.stdout, proc.stdout + proc.stderr
    proc = _try_repo(project, hook_repo, pre_commit_env, "schemacheck", "--from-ref", "main", "--to-ref", safe)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_commit_hook_does_not_run_at_push_time(project: GitRepo, hook_repo: tuple[GitRepo, str],
                                               pre_commit_env: dict[str, str]) -> None:
    """`stages: [pre-commit]`: a push runs only schemacheck-push (a safe push passes; the commit
    hook would fail it, since nothing is staged at push time)."""
    project.branch("feature")
    project.write("proto/order.proto", ORDER.replace("}\n", "  string currency = 3;\n}\n"))
    project.commit("add currency")
    push = ("--hook-stage", "pre-push", "--from-ref", "main", "--to-ref", "HEAD", "--all-files")
    repo, sha = hook_repo
    exe = shutil.which("pre-commit")
    cmd = [exe] if exe else [sys.executable, "-m", "pre_commit"]
    proc = subprocess.run([*cmd, "try-repo", str(repo.root), "--ref", sha, "--color", "never", *push],
                          cwd=project.root, env=pre_commit_env, capture_output=True, text=True, timeout=600)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out
    assert "schemacheck (breaking schema changes in pushed commits)" in out
    assert "schemacheck (breaking schema changes)..." not in out


def test_installed_hook_blocks_a_real_commit_and_allows_an_empty_one(project: GitRepo, hook_repo: tuple[GitRepo, str],
                                                                     pre_commit_env: dict[str, str]) -> None:
    """Through `pre-commit install` and `git commit`: git sets GIT_INDEX_FILE for its hooks, so an
    empty commit is a clean run, not the `--all-files` error."""
    repo, sha = hook_repo
    project.write(".pre-commit-config.yaml", f"repos:\n  - repo: {repo.root}\n    rev: {sha}\n"
                                             "    hooks:\n      - id: schemacheck\n")
    project.commit("pre-commit config")
    exe = shutil.which("pre-commit")
    cmd = [exe] if exe else [sys.executable, "-m", "pre_commit"]
    subprocess.run([*cmd, "install"], cwd=project.root, env=pre_commit_env, check=True, capture_output=True)
    empty = subprocess.run(["git", "commit", "-q", "--allow-empty", "-m", "empty"], cwd=project.root,
                           env=pre_commit_env, capture_output=True, text=True, timeout=600)
    assert empty.returncode == 0, empty.stdout + empty.stderr
    project.write("proto/order.proto", ORDER.replace("total_amount", "total_cents"))
    project.stage("proto/order.proto")
    blocked = subprocess.run(["git", "commit", "-q", "-m", "rename"], cwd=project.root, env=pre_commit_env,
                             capture_output=True, text=True, timeout=600)
    assert blocked.returncode != 0 and "FIELD_SAME_NAME" in blocked.stdout + blocked.stderr, blocked.stdout
