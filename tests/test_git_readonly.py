"""schemacheck never modifies the repository: work tree, index, refs and .git stay byte-identical.

A run in every mode (default, --staged, --base, --head, with findings and with a parse error)
is bracketed by a full snapshot: ``git status --porcelain``, the index file's mtime and hash,
every ref, every work-tree file and every file under ``.git``. The index is made stat-dirty
first (a file rewritten with the same content), which is exactly when a careless
``git status``-style refresh would rewrite it.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import time
from pathlib import Path

import pytest
from gitrepo import GitRepo

from schemacheck.cli import main

V1 = 'syntax = "proto3";\npackage shop.v1;\nmessage Order {\n  int64 total_amount = 2;\n}\n'


@pytest.fixture(autouse=True)
def _proto_backend(monkeypatch: pytest.MonkeyPatch) -> None:
    if importlib.util.find_spec("schemacheck.formats.protobuf.compiler") is None:
        monkeypatch.setenv("SCHEMACHECK_PROTO_PARSER", "protoc")


def _files(root: Path) -> dict[str, tuple[str, int]]:
    found = {}
    for dirpath, _, names in os.walk(root):
        for name in names:
            full = Path(dirpath) / name
            found[full.relative_to(root).as_posix()] = (hashlib.sha1(full.read_bytes()).hexdigest(),
                                                        full.stat().st_mtime_ns)
    return found


def _state(repo: GitRepo) -> dict[str, object]:
    index = repo.root / ".git" / "index"
    return {
        "index": (index.stat().st_mtime_ns, hashlib.sha1(index.read_bytes()).hexdigest()),
        "refs": repo.run("for-each-ref", "--format=%(refname) %(objectname)") + repo.run("rev-parse", "HEAD"),
        "files": _files(repo.root),
        # last: --no-optional-locks keeps status itself from refreshing the index
        "status": repo.run("--no-optional-locks", "status", "--porcelain", "--untracked-files=all"),
    }


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> GitRepo:
    r = GitRepo(tmp_path / "repo")
    r.write("api/order.proto", V1)
    r.write("api/other.proto", 'syntax = "proto3";\npackage shop.v1;\nmessage Other {}\n')
    r.commit("base")
    r.branch("feature")
    r.write("api/order.proto", V1.replace("total_amount", "total_cents"))
    r.commit("rename")
    r.write("api/staged.proto", 'syntax = "proto3";\n')
    r.write("api/order.proto", V1.replace("total_amount", "amount"))
    r.stage("api/staged.proto", "api/order.proto")  # a staged breaking change
    r.write("api/order.proto", V1.replace("total_amount", "amt"))  # and an unstaged one on top
    r.write("api/untracked.proto", "message {")  # a parse error in the work tree
    time.sleep(0.01)
    same = (r.root / "api/other.proto").read_bytes()
    (r.root / "api/other.proto").write_bytes(same)  # stat-dirty, content-clean
    r.run("status")  # let git settle the index once, before the baseline
    monkeypatch.chdir(r.root)
    return r


@pytest.mark.parametrize("args", [[], ["--staged"], ["--base", "main"], ["--base", "main", "--head", "feature"],
                                  ["--head", "HEAD", "--format", "sarif"], ["--base", "main", "--format", "json"]])
def test_a_run_changes_nothing(args: list[str], repo: GitRepo, capsys: pytest.CaptureFixture[str]) -> None:
    (repo.root / "api/other.proto").touch()  # stat-dirty again after the settle
    before = _state(repo)
    code = main(args)
    capsys.readouterr()
    after = _state(repo)
    assert code in (1, 2)  # it did real work: findings or the parse error
    assert after == before
