"""Git snapshots and change sets against real repositories built with the git binary."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest
from gitrepo import GitRepo

from schemacheck.errors import GitError, UsageError
from schemacheck.revisions import (
    CommitSnapshot,
    EmptySnapshot,
    GitRepository,
    IndexSnapshot,
    WorkTreeSnapshot,
    compare,
    repo_paths,
    revisions_to_resolve,
)
from schemacheck.git_snapshots import utf8_path

V1 = 'syntax = "proto3";\npackage shop.v1;\nmessage Order {\n  int64 total_amount = 2;\n}\n'
V2 = V1.replace("total_amount", "total_cents")


def _sha(data: bytes) -> str:
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


@pytest.fixture
def repo(tmp_path: Path) -> GitRepo:
    r = GitRepo(tmp_path / "repo")
    r.write("api/order.proto", V1)
    r.write("api/keep.proto", 'syntax = "proto3";\n')
    r.write("docs/readme.md", "hello\n")
    r.commit("base")
    return r


def test_commit_snapshot_lists_blobs_with_ids_and_reads_objects(repo: GitRepo) -> None:
    git = GitRepository(repo.root)
    snap = CommitSnapshot(git, repo.head(), "HEAD")
    assert sorted(snap.paths()) == ["api/keep.proto", "api/order.proto", "docs/readme.md"]
    assert snap.blob_id("api/order.proto") == _sha(V1.encode())
    repo.write("api/order.proto", V2)  # the work tree changes; the commit does not
    assert snap.read("api/order.proto") == V1.encode()
    assert not snap.exists("nope.proto")
    with pytest.raises(FileNotFoundError):
        snap.read("nope.proto")


def test_index_snapshot_sees_staged_content_not_work_tree(repo: GitRepo) -> None:
    repo.write("api/order.proto", V2)
    repo.stage("api/order.proto")
    repo.write("api/order.proto", V1 + "// unstaged\n")
    snap = IndexSnapshot(GitRepository(repo.root))
    assert snap.read("api/order.proto") == V2.encode()
    assert snap.blob_id("api/order.proto") == _sha(V2.encode())


def test_work_tree_snapshot_tracked_untracked_ignored_deleted(repo: GitRepo) -> None:
    repo.write(".gitignore", "build/\n")
    repo.write("build/gen.proto", "ignored")
    repo.write("new.proto", 'syntax = "proto3";\n')
    repo.delete("api/keep.proto")
    repo.write("api/order.proto", V2)
    snap = WorkTreeSnapshot(GitRepository(repo.root))
    assert sorted(snap.paths()) == [".gitignore", "api/order.proto", "docs/readme.md", "new.proto"]
    assert snap.blob_id("api/order.proto") == _sha(V2.encode())  # hashed: stat differs from the index
    assert snap.blob_id("docs/readme.md") == _sha(b"hello\n")  # reused from the index
    assert snap.untracked == (".gitignore", "new.proto")


def test_default_compares_work_tree_with_head_including_untracked(repo: GitRepo) -> None:
    repo.write("api/order.proto", V2)
    repo.write("api/extra.proto", 'syntax = "proto3";\n')
    cmp = compare(GitRepository(repo.root))
    assert cmp.changed == {"api/order.proto", "api/extra.proto"}
    assert cmp.base.read("api/order.proto") == V1.encode()
    assert cmp.head.read("api/order.proto") == V2.encode()
    assert cmp.description == "HEAD -> work tree"


def test_staged_sees_deletion_and_rename_from_git(repo: GitRepo) -> None:
    repo.run("rm", "-q", "api/keep.proto")
    repo.run("mv", "api/order.proto", "api/orders.proto")
    cmp = compare(GitRepository(repo.root), staged=True)
    assert cmp.changed == {"api/keep.proto", "api/order.proto", "api/orders.proto"}
    assert dict(cmp.renames) == {"api/order.proto": "api/orders.proto"}
    assert not cmp.head.exists("api/keep.proto") and cmp.base.exists("api/keep.proto")


def test_staged_ignores_unstaged_changes(repo: GitRepo) -> None:
    repo.write("api/order.proto", V2)
    assert compare(GitRepository(repo.root), staged=True).changed == frozenset()


def test_base_uses_merge_base_not_branch_tip(repo: GitRepo) -> None:
    fork = repo.head()
    repo.branch("feature")
    repo.write("api/order.proto", V2)
    repo.commit("rename")
    repo.checkout("main")
    repo.write("main-only.proto", 'syntax = "proto3";\n')
    main_tip = repo.commit("unrelated change on main")
    repo.checkout("feature")
    cmp = compare(GitRepository(repo.root), base="main")
    assert isinstance(cmp.base, CommitSnapshot) and cmp.base.commit == fork != main_tip
    assert cmp.changed == {"api/order.proto"}  # main's own change is not blamed on the branch
    assert cmp.base.label.startswith("main (merge-base ")


def test_head_alone_compares_commit_with_its_parent(repo: GitRepo) -> None:
    repo.write("api/order.proto", V2)
    repo.commit("rename")
    repo.write("api/order.proto", V1 + "// work tree only\n")
    cmp = compare(GitRepository(repo.root), head="HEAD")
    assert cmp.changed == {"api/order.proto"}
    assert cmp.head.read("api/order.proto") == V2.encode()
    assert cmp.base.read("api/order.proto") == V1.encode()


def test_base_and_head_compare_two_commits(repo: GitRepo) -> None:
    repo.branch("feature")
    repo.write("api/order.proto", V2)
    repo.commit("rename")
    repo.checkout("main")
    cmp = compare(GitRepository(repo.root), base="main", head="feature")
    assert cmp.changed == {"api/order.proto"}
    assert cmp.head.read("api/order.proto") == V2.encode()


def test_repository_without_commits_treats_everything_as_new(tmp_path: Path) -> None:
    r = GitRepo(tmp_path / "fresh")
    r.write("a.proto", 'syntax = "proto3";\n')
    r.stage()
    for staged in (False, True):
        cmp = compare(GitRepository(r.root), staged=staged)
        assert isinstance(cmp.base, EmptySnapshot)
        assert cmp.changed == {"a.proto"}
    with pytest.raises(GitError, match="no commits"):
        compare(GitRepository(r.root), base="main")


def test_missing_base_ref_names_it_and_tips_fetch(repo: GitRepo) -> None:
    with pytest.raises(GitError) as info:
        compare(GitRepository(repo.root), base="origin/main")
    assert "'origin/main' not found" in info.value.message
    assert "fetch-depth: 0" in (info.value.tip or "")


def test_option_like_ref_is_a_usage_error(repo: GitRepo) -> None:
    with pytest.raises(UsageError):
        compare(GitRepository(repo.root), base="--output=x")


def test_shallow_clone_without_merge_base(tmp_path: Path, repo: GitRepo) -> None:
    repo.branch("feature")
    for i in range(3):
        repo.write("api/order.proto", V1 + f"// {i}\n")
        repo.commit(f"feature {i}")
    repo.checkout("main")
    repo.write("main.txt", "x")
    repo.commit("main moves on")
    clone = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "1", "--no-single-branch", f"file://{repo.root}", str(clone)],
                   check=True, env=GitRepo.env())
    shallow = GitRepo(clone, init=False)
    shallow.checkout("feature")
    git = GitRepository(clone)
    assert git.is_shallow()
    with pytest.raises(GitError) as info:
        compare(git, base="origin/main")
    assert "shallow clone" in info.value.message
    assert "--deepen" in (info.value.tip or "") and "fetch-depth: 0" in (info.value.tip or "")
    with pytest.raises(GitError) as missing:
        compare(git, base="origin/nope")
    assert "shallow clone" in (missing.value.tip or "")


def test_not_a_repository(tmp_path: Path) -> None:
    with pytest.raises(GitError) as info:
        GitRepository(tmp_path)
    assert "not inside a git repository" in info.value.message
    assert "--against" in (info.value.tip or "")


def test_repo_paths_relative_and_outside(repo: GitRepo, tmp_path: Path) -> None:
    git = GitRepository(repo.root)
    assert repo_paths(git, ["order.proto", "."], repo.root / "api") == ("api/order.proto", "api")
    assert repo_paths(git, ["."], repo.root) == ()
    with pytest.raises(UsageError, match="outside the repository"):
        repo_paths(git, [str(tmp_path)], repo.root)


def test_unresolved_conflict_in_index_is_an_error(repo: GitRepo) -> None:
    repo.branch("other")
    repo.write("api/order.proto", V2)
    repo.commit("other side")
    repo.checkout("main")
    repo.write("api/order.proto", V1.replace("total_amount", "amount"))
    repo.commit("this side")
    repo.run("merge", "other", check=False)
    cmp = compare(GitRepository(repo.root), staged=True)  # snapshots list their files lazily
    assert "api/order.proto" in cmp.changed
    with pytest.raises(GitError, match="api/order.proto: unresolved merge conflict"):
        list(cmp.head.paths())
    assert "api/order.proto" in WorkTreeSnapshot(GitRepository(repo.root)).paths()  # with its conflict markers


@pytest.mark.skipif(sys.platform in ("darwin", "win32"), reason="the file system insists on UTF-8 names")
def test_non_utf8_file_names(repo: GitRepo) -> None:
    latin1 = os.fsdecode(b"caf\xe9.proto")
    (repo.root / latin1).write_text(V1)
    (repo.root / os.fsdecode(b"notes-\xe9.txt")).write_text("x")
    repo.commit("latin-1 names")
    (repo.root / latin1).write_text(V2)
    (repo.root / os.fsdecode(b"notes-\xe9.txt")).write_text("y")
    git = GitRepository(repo.root)
    with pytest.raises(UsageError, match=r"caf\\xe9.proto: the file name is not valid UTF-8"):
        compare(git)
    (repo.root / latin1).write_text(V1)
    cmp = compare(git)  # a non-schema file with such a name is skipped
    assert cmp.changed == frozenset() and all(utf8_path(p) for p in cmp.head.paths())
    repo.run("mv", latin1, "cafe.proto")
    cmp = compare(git)  # renamed to a good name: checked under the new name
    assert cmp.changed == {"cafe.proto"} and cmp.renames == {}


def _criss_cross(repo: GitRepo) -> None:
    """main and feature each merged the other's first commit: two merge-bases."""
    repo.branch("feature")
    repo.write("f1.proto", 'syntax = "proto3";\n')
    f1 = repo.commit("f1")
    repo.checkout("main")
    repo.write("m1.proto", 'syntax = "proto3";\n')
    m1 = repo.commit("m1")
    repo.run("merge", "-q", "--no-edit", f1)
    repo.checkout("feature")
    repo.run("merge", "-q", "--no-edit", m1)
    repo.write("api/order.proto", V2)
    repo.commit("rename on feature")


@pytest.mark.parametrize(("base", "head", "staged"), [
    (None, None, False), (None, None, True), ("main", None, False), ("main", "feature", False),
    (None, "feature", False), (None, "HEAD~1", False), ("v1", None, True)])
@pytest.mark.parametrize("criss_cross", [False, True])
def test_first_rev_parse_resolves_what_compare_asks_one_at_a_time(repo: GitRepo, base: str | None, head: str | None,
                                                                  staged: bool, criss_cross: bool) -> None:
    """GitRepository resolves the revisions and the merge-base in its first rev-parse; the
    comparison is the one of asking git one question at a time (several merge-bases: git merge-base's)."""
    repo.run("tag", "-a", "-m", "tag", "v1")  # an annotated tag peels to its commit
    if criss_cross:
        _criss_cross(repo)
        assert len(repo.run("merge-base", "--all", "main", "feature").split()) == 2
    else:
        repo.branch("feature")
        repo.write("api/order.proto", V2)
        repo.commit("rename")
    repo.write("api/order.proto", V1 + "// work tree\n")
    one_by_one = compare(GitRepository(repo.root), base=base, head=head, staged=staged)
    fast = GitRepository(repo.root, *revisions_to_resolve(base, head, staged))
    at_once = compare(fast, base=base, head=head, staged=staged)
    assert (at_once.base.label, at_once.head.label, at_once.changed) == \
        (one_by_one.base.label, one_by_one.head.label, one_by_one.changed)
    assert getattr(at_once.base, "commit", None) == getattr(one_by_one.base, "commit", None)
    if base is not None:
        expected = repo.run("merge-base", base, head or "HEAD").strip()
        assert at_once.base.commit == expected  # type: ignore[attr-defined]


@pytest.mark.parametrize(("base", "head", "message"), [
    ("origin/main", None, "'origin/main' not found"), (None, "nope", "'nope' not found"),
    ("main", "nope", "'nope' not found")])
def test_first_rev_parse_leaves_errors_to_the_one_at_a_time_path(repo: GitRepo, base: str | None, head: str | None,
                                                                 message: str) -> None:
    with pytest.raises(GitError) as info:
        compare(GitRepository(repo.root, *revisions_to_resolve(base, head)), base=base, head=head)
    assert message in info.value.message


def test_first_rev_parse_of_a_root_commit_and_of_an_option(repo: GitRepo) -> None:
    cmp = compare(GitRepository(repo.root, *revisions_to_resolve(None, "HEAD")), head="HEAD")
    assert isinstance(cmp.base, EmptySnapshot)  # the first commit: every file is new
    with pytest.raises(UsageError):
        compare(GitRepository(repo.root, *revisions_to_resolve("--output=x")), base="--output=x")
    with pytest.raises(GitError, match="not inside a git repository"):
        GitRepository(repo.root.parent, ["HEAD"])


def test_meanwhile_gets_the_quick_forecast_while_the_work_tree_diff_runs(repo: GitRepo) -> None:
    """compare() calls ``meanwhile`` once the diff has started: in the work tree with the paths
    committed or staged since the base (the CLI imports those formats' stacks meanwhile), else
    with none; the comparison itself is the same."""
    repo.branch("feature")
    repo.write("api/order.proto", V2)
    repo.commit("rename")
    repo.write("api/keep.proto", 'syntax = "proto3";\n// unstaged\n')
    seen: list[frozenset[str]] = []
    cmp = compare(GitRepository(repo.root), base="main", meanwhile=seen.append)
    assert seen == [frozenset({"api/order.proto"})]  # the unstaged edit is found by the diff, not forecast
    assert cmp.changed == {"api/order.proto", "api/keep.proto"}
    for kwargs in ({"staged": True}, {"head": "HEAD"}):
        seen.clear()
        compare(GitRepository(repo.root), meanwhile=seen.append, **kwargs)  # type: ignore[arg-type]
        assert seen == [frozenset()]
