"""A tampered on-disk parse cache never changes a verdict, never hangs, never reads outside (issue 7).

Each test fills a cache with the real CLI, tampers every entry one way, runs the real CLI again
on that cache and requires exactly the output of a run with ``SCHEMACHECK_NO_CACHE=1``. Links
and FIFOs planted outside the cache would hang the run (a FIFO blocks its reader) if they were
followed, so "no hang" also proves "nothing read outside".
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from gitrepo import GitRepo
from test_e2e_user import run_cli

from schemacheck.formats.protobuf.diskcache import PACK_TARGETS

BASE = {
    "api/a.proto": 'syntax = "proto3";\npackage p;\nimport "api/b.proto";\n'
                   "message A {\n  B b = 1;\n  int32 n = 2;\n}\n",
    "api/b.proto": 'syntax = "proto3";\npackage p;\nmessage B {\n  string s = 1;\n}\n',
}
HEAD = {
    "api/a.proto": BASE["api/a.proto"].replace("int32 n = 2", "int64 n = 2"),
    "api/b.proto": BASE["api/b.proto"].replace("string s = 1;", "string s = 1;\n  int32 t = 2;"),
}


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> GitRepo:
    repo = GitRepo(tmp_path_factory.mktemp("tamper") / "repo")
    for path, text in BASE.items():
        repo.write(path, text)
    repo.commit("base")
    repo.branch("change")
    for path, text in HEAD.items():
        repo.write(path, text)
    repo.commit("change")
    return repo


def _check(repo: GitRepo, cache: Path | None) -> tuple[int, str]:
    env = {"SCHEMACHECK_NO_CACHE": "1"} if cache is None else {"SCHEMACHECK_CACHE_DIR": str(cache),
                                                               "SCHEMACHECK_NO_CACHE": ""}
    proc = run_cli(repo.root, "--base", "main", "--format", "json", env=env)
    assert proc.returncode in (0, 1), proc.stderr
    return proc.returncode, proc.stdout


@pytest.fixture(scope="module")
def many(tmp_path_factory: pytest.TempPathFactory) -> GitRepo:
    """More changed files than PACK_TARGETS: the cache writes packs, not a file per entry."""
    repo = GitRepo(tmp_path_factory.mktemp("tamper-many") / "repo")
    for i in range(PACK_TARGETS + 4):
        repo.write(f"api/m{i}.proto", BASE["api/a.proto"].replace("message A", f"message A{i}"))
    repo.write("api/b.proto", BASE["api/b.proto"])
    repo.commit("base")
    repo.branch("change")
    for i in range(PACK_TARGETS + 4):
        repo.write(f"api/m{i}.proto", HEAD["api/a.proto"].replace("message A", f"message A{i}"))
    repo.commit("change")
    return repo


@pytest.fixture(scope="module", params=["files", "packs"])
def checked(request: pytest.FixtureRequest, repo: GitRepo) -> GitRepo:
    return repo if request.param == "files" else request.getfixturevalue("many")


@pytest.fixture(scope="module")
def reference(checked: GitRepo) -> tuple[int, str]:
    want = _check(checked, None)
    assert want[0] == 1 and "FIELD_SAME_TYPE" in want[1]
    return want


@pytest.fixture()
def filled(checked: GitRepo, reference: tuple[int, str], tmp_path: Path) -> Path:
    cache = tmp_path / "cache"
    assert _check(checked, cache) == reference
    assert _check(checked, cache) == reference  # warm: read back
    if checked.root.parent.name.startswith("tamper-many"):
        assert list(cache.glob("proto-*/pk/*")), "no pack was written"
    return cache


def _entries(cache: Path) -> list[Path]:
    found = [p for p in cache.rglob("*") if p.is_file() and not p.is_symlink() and not p.name.startswith(".tmp-")]
    assert len(found) >= 3, found
    return found


def _flip(entries: list[Path], outside: Path) -> None:
    for path in entries:
        data = bytearray(path.read_bytes())
        data[len(data) // 2] ^= 0x40
        path.write_bytes(bytes(data))


def _swap(entries: list[Path], outside: Path) -> None:
    """Each entry replaced by a valid entry of another key (another blob of the same file first)."""
    contents = [p.read_bytes() for p in entries]
    same_file = sorted(range(len(entries)), key=lambda i: (b"api/a.proto" not in contents[i], i))
    for i, j in zip(same_file, same_file[1:] + same_file[:1]):
        entries[i].write_bytes(contents[j])


def _symlink_passwd(entries: list[Path], outside: Path) -> None:
    for path in entries:
        path.unlink()
        path.symlink_to("/etc/passwd")


def _symlink_outside_fifo(entries: list[Path], outside: Path) -> None:
    fifo = outside / "fifo"
    os.mkfifo(fifo)
    for path in entries:
        path.unlink()
        path.symlink_to(fifo)


def _fifo(entries: list[Path], outside: Path) -> None:
    for path in entries:
        path.unlink()
        os.mkfifo(path)


def _directory_symlink(entries: list[Path], outside: Path) -> None:
    """Every sub-directory replaced by a link to a directory outside holding FIFOs of the same names."""
    for sub in {p.parent for p in entries}:
        target = outside / sub.name
        target.mkdir()
        for entry in sub.iterdir():
            os.mkfifo(target / entry.name)
        shutil.rmtree(sub)
        sub.symlink_to(target, target_is_directory=True)


@pytest.mark.parametrize("tamper", [_flip, _swap, _symlink_passwd, _symlink_outside_fifo, _fifo, _directory_symlink],
                         ids=lambda f: f.__name__.strip("_"))
def test_tampered_cache_gives_the_uncached_verdict(checked: GitRepo, reference: tuple[int, str], filled: Path,
                                                   tmp_path: Path, tamper) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    tamper(_entries(filled), outside)
    before = sorted((p.name, p.stat(follow_symlinks=False).st_mode) for p in outside.rglob("*"))
    assert _check(checked, filled) == reference  # run_cli's timeout turns a hang into a failure
    assert _check(checked, filled) == reference  # and again, on what the first run left
    assert sorted((p.name, p.stat(follow_symlinks=False).st_mode) for p in outside.rglob("*")) == before
    assert Path("/etc/passwd").is_file()
