"""A check costs the change, not the repository (issue 11): with git's change set, a one-file
change reads that file and what it imports, and never lists a tree, the index or the work tree;
a commit touching no schema reads nothing and runs a handful of git commands.

Each test runs the real CLI in a fresh interpreter on a real git repository holding many
unrelated schema files, with a probe counting blob reads, tree listings (``Snapshot.paths()``)
and the git commands run.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from gitrepo import GitRepo

SRC = str(Path(__file__).resolve().parent.parent / "src")
PROBE = """
import json, subprocess, sys
import schemacheck.git_repo as g, schemacheck.git_snapshots as s
reads, listings, commands, processes, disk_reads, file_checks = [], [], [], [], [], []
original_popen = subprocess.Popen.__init__
def popen(self, args, *rest, **kwargs):
    words = [a for a in args[1:] if a != "-c" and "=" not in a] if args[0] == "git" else args
    processes.append(" ".join(words[:2]))
    original_popen(self, args, *rest, **kwargs)
subprocess.Popen.__init__ = popen
original_read, original_git = g.GitRepository.read_blob, g.GitRepository.git
original_disk, original_check = s.read_inside, s.is_regular_inside
def read_inside(root, rel, **kwargs):
    disk_reads.append(rel)
    return original_disk(root, rel, **kwargs)
def is_regular_inside(root, rel, **kwargs):
    file_checks.append(rel)
    return original_check(root, rel, **kwargs)
s.read_inside, s.is_regular_inside = read_inside, is_regular_inside
def read_blob(self, sha, path, label="this revision"):
    reads.append(path)
    return original_read(self, sha, path, label)
def git(self, *args, **kwargs):
    commands.append(" ".join(args))
    return original_git(self, *args, **kwargs)
g.GitRepository.read_blob, g.GitRepository.git = read_blob, git
for cls in (s.CommitSnapshot, s.IndexSnapshot, s.WorkTreeSnapshot):
    def paths(self, _original=cls.paths, _name=cls.__name__):
        listings.append(_name)
        return _original(self)
    cls.paths = paths
from schemacheck.cli import main
status = main(sys.argv[1:])
print(json.dumps({"status": status, "reads": reads, "listings": listings, "commands": commands,
                  "processes": processes, "disk_reads": disk_reads, "file_checks": file_checks}), file=sys.stderr)
"""
#: Unrelated files: 6 directories of 8 .proto files each, plus JSON Schemas.
PACKAGES, PER_PACKAGE = 6, 8


def _proto(pkg: int, i: int, imports: tuple[str, ...] = ()) -> str:
    lines = ['syntax = "proto3";', f"package acme.p{pkg}.v1;"] + [f'import "{p}";' for p in imports]
    return "\n".join(lines + [f"message M{pkg}x{i} {{", "  int64 total_amount = 1;", "}", ""])


@pytest.fixture
def monorepo(tmp_path: Path) -> GitRepo:
    repo = GitRepo(tmp_path / "repo")
    repo.write("buf.yaml", "version: v2\nmodules:\n  - path: proto\n")
    for pkg in range(PACKAGES):
        for i in range(PER_PACKAGE):
            # every file imports the one before it: a long import chain through the whole tree
            before = (f"acme/p{pkg}/v1/f{i - 1}.proto",) if i else ((f"acme/p{pkg - 1}/v1/f{PER_PACKAGE - 1}.proto",)
                                                                    if pkg else ())
            repo.write(f"proto/acme/p{pkg}/v1/f{i}.proto", _proto(pkg, i, before))
        repo.write(f"schemas/s{pkg}.schema.json", '{"$schema": "https://json-schema.org/draft/2020-12/schema", '
                                                  '"type": "object"}\n')
    repo.commit("base")
    return repo


CHANGED = "proto/acme/p4/v1/f3.proto"


def _probe(repo: GitRepo, *args: str) -> tuple[dict, str]:
    proc = subprocess.run([sys.executable, "-c", PROBE, *args], cwd=repo.root, capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": SRC, "NO_COLOR": "1", "SCHEMACHECK_NO_CACHE": "1"})
    last = proc.stderr.strip().splitlines()[-1]
    return json.loads(last), proc.stdout


def _change(repo: GitRepo) -> None:
    text = (repo.root / CHANGED).read_text()
    repo.write(CHANGED, text.replace("total_amount", "total_cents"))


@pytest.mark.parametrize("mode", ["head", "staged", "work tree", "base"])
def test_one_file_change_reads_the_file_and_its_imports_and_lists_nothing(monorepo: GitRepo, mode: str) -> None:
    _change(monorepo)
    args: tuple[str, ...] = ()
    if mode == "head":
        monorepo.commit("rename")
        args = ("--head", "HEAD")
    elif mode == "staged":
        monorepo.stage(CHANGED)
        args = ("--staged",)
    elif mode == "base":
        monorepo.branch("feature")
        monorepo.commit("rename")
        args = ("--base", "main")
    report, out = _probe(monorepo, *args)
    assert report["status"] == 1 and "total_amount" in out  # the check ran and found the rename
    assert report["listings"] == []
    # the changed file on both sides, and the file it imports (declared, both sides share it)
    assert set(report["reads"]) <= {CHANGED, "proto/acme/p4/v1/f2.proto", "buf.yaml"}, report["reads"]
    assert CHANGED in report["reads"]
    listing = [c for c in report["commands"] if c.startswith(("ls-tree", "ls-files -s", "diff-files"))]
    assert listing == []
    assert "checked 1 .proto" in out  # still says what it compared
    # one rev-parse resolves the top level, the revisions and the merge-base (was 3 + merge-base)
    processes = report["processes"]
    assert [p for p in processes if p.startswith(("rev-parse", "merge-base"))] == ["rev-parse --is-bare-repository"]
    expected = ["rev-parse --is-bare-repository", "cat-file --batch", "config --get-regexp",
                "diff-tree -r" if mode == "head" else "diff-index --raw"]
    if mode in ("work tree", "base"):  # the untracked listing, and the quick forecast of what changed
        expected += ["ls-files --others", "diff-index --cached"]
    assert sorted(processes) == sorted(expected), processes


def test_every_file_changed_in_the_work_tree_is_checked_and_read_once(monorepo: GitRepo) -> None:
    """Every file changed on disk: each is opened once and its path walked once per run (the
    compile, the cache key, the blank-file check and suppression comments used to re-read it,
    and every lookup re-walked its real path: most of an every-file-changed run)."""
    protos = sorted(p.relative_to(monorepo.root).as_posix() for p in (monorepo.root / "proto").rglob("*.proto"))
    for path in protos:
        monorepo.write(path, (monorepo.root / path).read_text().replace("total_amount", "total_cents"))
    report, out = _probe(monorepo, "--base", "main")
    assert report["status"] == 1 and f"checked {len(protos)} .proto" in out, out
    assert out.count("total_amount") >= len(protos)  # every file's rename found
    assert sorted(report["disk_reads"]) == protos, report["disk_reads"]
    assert sorted(set(report["file_checks"])) == sorted(report["file_checks"]), report["file_checks"]
    assert set(report["file_checks"]) <= set(protos)


def test_change_to_an_import_changes_the_cached_result(monorepo: GitRepo, tmp_path: Path) -> None:
    """The cache key is the visible imports' blobs, not the closure's: a changed import is still seen."""
    env = {**os.environ, "PYTHONPATH": SRC, "NO_COLOR": "1", "SCHEMACHECK_CACHE_DIR": str(tmp_path / "cache")}
    importer = "proto/acme/p4/v1/f4.proto"  # imports CHANGED
    monorepo.write(importer, _proto(4, 4, ("acme/p4/v1/f3.proto",)).replace("int64 total_amount = 1;",
                                                                           "M4x3 link = 1;"))
    monorepo.commit("link")
    run = [sys.executable, "-m", "schemacheck", "--head", "HEAD", "--format", "json"]
    monorepo.write(importer, (monorepo.root / importer).read_text() + "// touched\n")
    monorepo.commit("touch the importer")
    assert subprocess.run(run, cwd=monorepo.root, env=env, capture_output=True).returncode == 0  # cached now
    monorepo.write(CHANGED, _proto(4, 3, ("acme/p4/v1/f2.proto",)).replace("message M4x3", "message Other"))
    monorepo.write(importer, (monorepo.root / importer).read_text() + "// again\n")
    monorepo.commit("M4x3 gone, importer touched again")
    proc = subprocess.run(run, cwd=monorepo.root, env=env, capture_output=True, text=True)
    assert proc.returncode != 0, proc.stdout  # the importer no longer links: not served from the cache


def test_commit_touching_no_schema_reads_and_lists_nothing(monorepo: GitRepo) -> None:
    monorepo.write("README.md", "docs only\n")
    monorepo.commit("docs")
    report, out = _probe(monorepo, "--head", "HEAD")
    assert report["status"] == 0 and report["reads"] == [] and report["listings"] == []
    assert len(report["commands"]) <= 1, report["commands"]
    assert len(report["processes"]) <= 3, report["processes"]  # rev-parse, diff-tree, cat-file (configuration)
    assert "nothing was checked" in out  # never a silent pass: it says it compared nothing


def test_configured_glob_still_warns_without_listing_the_tree(monorepo: GitRepo) -> None:
    """A glob matching nothing is a warning; only the directory the glob can reach is listed."""
    monorepo.write("schemacheck.toml", '[jsonschema]\ninclude = ["schemas/nope/*.json"]\n')
    monorepo.commit("config")
    _change(monorepo)
    monorepo.commit("rename")
    report, out = _probe(monorepo, "--head", "HEAD")
    assert report["status"] == 1
    assert "matches no file" in out
    assert report["listings"] == []
    assert all(c.endswith("schemas/nope") for c in report["commands"] if c.startswith("ls-tree"))
