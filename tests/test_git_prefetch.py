"""Reading many changed blobs ahead (``GitRepository.read_ahead``) changes when, never what.

Maintainers: a check where every file changed reads each blob through ``git cat-file
--batch``; asking one object at a time cost a wake-up of git per file, a quarter of the run on
a busy machine, so the protobuf checker reads the changed files ahead in chunks. These tests
pin that the answers, including the errors for missing or damaged objects, are those of
one-at-a-time reads.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from gitrepo import GitRepo
from test_git_trust import _object_file, one_line_error, run_cli

from schemacheck.errors import GitError
from schemacheck.git_repo import GitRepository
from schemacheck.git_snapshots import CommitSnapshot, WorkTreeSnapshot

PROTO = 'syntax = "proto3";\npackage shop.v1;\nmessage M{i} {{\n  int64 total_amount = 1;\n}}\n'


def _repo(tmp_path: Path, count: int) -> GitRepo:
    repo = GitRepo(tmp_path / "repo")
    for i in range(count):
        repo.write(f"api/m{i}.proto", PROTO.format(i=i))
    repo.commit("v1")
    for i in range(count):
        repo.write(f"api/m{i}.proto", PROTO.format(i=i).replace("total_amount", "total_cents"))
    repo.commit("v2")
    return repo


def test_prefetched_blobs_are_read_without_asking_git_again(tmp_path: Path) -> None:
    repo = _repo(tmp_path, 120)  # more requests than one 4 KiB chunk holds
    git = GitRepository(repo.root)
    snap = CommitSnapshot(git, repo.run("rev-parse", "HEAD~1").strip())
    paths = sorted(snap.paths())
    expected = {p: (repo.root / p).read_text().replace("total_cents", "total_amount").encode() for p in paths}
    snap.read_ahead(paths)
    git._cat_file.close()
    git._cat_file.root = tmp_path / "nowhere"  # a new cat-file process could not start
    assert {p: snap.read(p) for p in paths} == expected


def test_work_tree_prefetch_reads_modified_files_from_disk(tmp_path: Path) -> None:
    repo = _repo(tmp_path, 3)
    repo.write("api/m1.proto", "// edited on disk\n")
    git = GitRepository(repo.root)
    snap = WorkTreeSnapshot(git)
    snap.read_ahead(["api/m0.proto", "api/m1.proto", "api/m2.proto"])
    assert snap.read("api/m1.proto") == b"// edited on disk\n"
    assert snap.read("api/m0.proto") == (repo.root / "api/m0.proto").read_bytes()


def test_a_missing_blob_among_prefetched_ones_is_still_an_error(tmp_path: Path) -> None:
    repo = _repo(tmp_path, 4)
    git = GitRepository(repo.root)
    snap = CommitSnapshot(git, repo.run("rev-parse", "HEAD~1").strip())
    gone = repo.run("rev-parse", "HEAD~1:api/m2.proto").strip()
    _object_file(repo, gone).unlink()
    snap.read_ahead(sorted(snap.paths()))
    assert snap.read("api/m3.proto").startswith(b'syntax = "proto3"')
    with pytest.raises(GitError, match=gone):
        snap.read("api/m2.proto")


@pytest.mark.parametrize("damage", ["deleted", "truncated"])
def test_damaged_object_among_many_changed_files_is_named(tmp_path: Path, damage: str) -> None:
    repo = _repo(tmp_path, 5)
    blob = repo.run("rev-parse", "HEAD~1:api/m3.proto").strip()
    loose = _object_file(repo, blob)
    loose.chmod(0o644)
    if damage == "deleted":
        loose.unlink()
    else:
        loose.write_bytes(loose.read_bytes()[:12])
    proc = run_cli(repo.root, "--head", "HEAD", env={"SCHEMACHECK_NO_CACHE": "1"})
    line = one_line_error(proc)
    assert blob in line and "api/m3.proto" in line
    assert "git fsck" in proc.stderr
