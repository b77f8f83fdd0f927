"""A commit that moves a buf module root (issue 7 item 7): each revision's own buf.yaml /
buf.work.yaml gives that revision's import roots, so ``proto/shop/v1/order.proto`` and
``api/proto/shop/v1/order.proto`` are the same file ``shop/v1/order.proto``, as buf sees it.
Real git repositories, the real CLI, and real ``buf breaking`` as the oracle where present."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from gitrepo import GitRepo
from tools import buf_path

ORDER = ('syntax = "proto3";\npackage shop.v1;\n\nimport "shop/v1/money.proto";\n\n'
         'message Order {\n  string id = 1;\n  Money total = 2;\n  string note = 3;\n}\n')
MONEY = 'syntax = "proto3";\npackage shop.v1;\n\nmessage Money {\n  int64 units = 1;\n}\n'

V2 = "version: v2\nmodules:\n  - path: {root}\nbreaking:\n  use: [FILE]\n"
V1_WORK = "version: v1\ndirectories:\n  - {root}\n"
V1_MODULE = "version: v1\nbreaking:\n  use: [FILE]\n"


def run_cli(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in GitRepo.env().items() if key != "FORCE_COLOR"}
    return subprocess.run([sys.executable, "-m", "schemacheck", *args], cwd=cwd, env={**env, "NO_COLOR": "1"},
                          capture_output=True, text=True, timeout=120)


def _layout(repo: GitRepo, root: str, style: str, order: str = ORDER) -> None:
    if style == "v2":
        repo.write("buf.yaml", V2.format(root=root))
    else:
        repo.write("buf.work.yaml", V1_WORK.format(root=root))
        repo.write(f"{root}/buf.yaml", V1_MODULE)
    repo.write(f"{root}/shop/v1/order.proto", order)
    repo.write(f"{root}/shop/v1/money.proto", MONEY)


def _moved(tmp_path: Path, style: str, order: str = ORDER) -> GitRepo:
    """main: module root ``proto``; branch ``feature``: the same files under ``api/proto``."""
    repo = GitRepo(tmp_path / "repo")
    _layout(repo, "proto", style)
    repo.commit("v1")
    repo.branch("feature")
    repo.run("rm", "-q", "-r", "proto")
    if style == "v1":
        repo.run("rm", "-q", "buf.work.yaml")
    _layout(repo, "api/proto", style, order)
    repo.commit("move the module root")
    return repo


def _ours(repo: GitRepo) -> tuple[int, list[tuple[str, str, int, int]]]:
    proc = run_cli(repo.root, "--base", "main", "--format", "json")
    assert "Traceback" not in proc.stderr, proc.stderr
    report = json.loads(proc.stdout)
    assert not report["diagnostics"], report["diagnostics"]
    keys = sorted((f["rule_id"], *((f["location"]["path"], f["location"]["line"], f["location"]["column"])
                                   if f["location"] else ("", 0, 0))) for f in report["findings"])
    return proc.returncode, keys


def _buf(repo: GitRepo) -> list[tuple[str, str, int, int]] | None:
    buf = buf_path()
    if buf is None:
        return None
    proc = subprocess.run([buf, "breaking", "--against", ".git#branch=main", "--error-format=json"],
                          cwd=repo.root, capture_output=True, text=True, env=GitRepo.env(), timeout=120)
    assert proc.returncode in (0, 100), proc.stderr
    items = [json.loads(line) for line in proc.stdout.splitlines() if line.strip()]
    return sorted((i["type"], i.get("path", ""), i.get("start_line", 0), i.get("start_column", 0)) for i in items)


@pytest.mark.parametrize("style", ["v2", "v1"])
def test_moving_the_module_root_breaks_nothing(tmp_path: Path, style: str) -> None:
    repo = _moved(tmp_path, style)
    code, ours = _ours(repo)
    assert (code, ours) == (0, [])
    theirs = _buf(repo)
    assert theirs in (None, [])


@pytest.mark.parametrize("style", ["v2", "v1"])
def test_moving_the_module_root_and_deleting_a_field_reports_the_field(tmp_path: Path, style: str) -> None:
    repo = _moved(tmp_path, style, ORDER.replace("  string note = 3;\n", ""))
    code, ours = _ours(repo)
    assert code == 1
    assert ours == [("FIELD_NO_DELETE", "api/proto/shop/v1/order.proto", 6, 1)]
    theirs = _buf(repo)
    assert theirs is None or theirs == ours


def test_moving_the_module_root_and_changing_the_package_reports_it(tmp_path: Path) -> None:
    changed = ORDER.replace("package shop.v1;", "package shop.v2;").replace("Money total", "shop.v1.Money total")
    repo = _moved(tmp_path, "v2", changed)
    code, ours = _ours(repo)
    assert code == 1
    assert "FILE_SAME_PACKAGE" in {rule for rule, *_ in ours}
    assert "FILE_NO_DELETE" not in {rule for rule, *_ in ours}
    theirs = _buf(repo)
    assert theirs is None or theirs == ours
