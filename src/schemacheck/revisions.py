"""Git revisions as read-only snapshots: a commit, the index, the work tree; and what changed.

Maintainers: everything is read from git objects through gitpython (``repo.odb`` streams
blobs from one long-lived ``git cat-file --batch``; listings come from ``ls-tree``,
``ls-files`` and ``diff --name-status -M``). Nothing here checks out, writes the index or
moves a ref: every git command runs with ``GIT_OPTIONAL_LOCKS=0`` and only reads.
:func:`compare` turns the CLI's choice (``--base``/``--head``/``--staged``/default) into a
:class:`GitComparison`: two snapshots plus the changed paths and renames git saw. Errors
are :class:`~schemacheck.errors.GitError` with a one-line message and a tip.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from .errors import GitError, UsageError
from .snapshot import MAX_FILE_BYTES, Snapshot

__all__ = [
    "GitRepository",
    "CommitSnapshot",
    "IndexSnapshot",
    "WorkTreeSnapshot",
    "EmptySnapshot",
    "GitComparison",
    "compare",
    "repo_paths",
]

_FETCH_TIP = ("Fetch it first, e.g. `git fetch origin main`; in GitHub Actions set `fetch-depth: 0` "
              "on actions/checkout.")
_SHALLOW_TIP = ("This is a shallow clone: run `git fetch --deepen=200` (or `git fetch --unshallow`); "
                "in GitHub Actions set `fetch-depth: 0` on actions/checkout.")
_NOT_A_REPO_TIP = "Run it inside a git repository, or compare two directories with `schemacheck NEW --against OLD`."
_SYMLINK, _SUBMODULE = "120000", "160000"


def _blob_sha(data: bytes) -> str:
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def _split_z(output: str) -> list[str]:
    return [item for item in output.split("\0") if item]


class GitRepository:
    """A work tree's repository, opened with gitpython (searching parent directories).

    Args:
        start: A directory inside the work tree.

    Raises:
        GitError: ``start`` is not inside a git work tree.
    """

    def __init__(self, start: str | os.PathLike[str]) -> None:
        import git

        try:
            self.repo = git.Repo(start, search_parent_directories=True)
        except (git.InvalidGitRepositoryError, git.NoSuchPathError):
            raise GitError(f"{Path(start).resolve()} is not inside a git repository", tip=_NOT_A_REPO_TIP) from None
        if self.repo.bare or self.repo.working_tree_dir is None:
            raise GitError(f"{self.repo.git_dir} is a bare repository (no work tree)", tip=_NOT_A_REPO_TIP)
        self.root = Path(self.repo.working_tree_dir).resolve()

    def git(self, *args: str, ok_codes: tuple[int, ...] = (0,)) -> tuple[int, str, str]:
        """Run a read-only git command in the work tree; returns (status, stdout, stderr)."""
        import git

        try:
            status, out, err = self.repo.git.execute(
                ["git", "-c", "core.quotepath=off", *args], with_extended_output=True,
                strip_newline_in_stdout=False, env={"GIT_OPTIONAL_LOCKS": "0"})
        except git.GitCommandError as exc:
            status, out, err = exc.status, str(exc.stdout or ""), str(exc.stderr or "")
            if status not in ok_codes:
                detail = err.strip().splitlines()[-1] if err.strip() else f"exit status {status}"
                raise GitError(f"git {args[0]} failed: {detail.strip(chr(39)).strip()}") from None
        return int(status or 0), out, err

    def resolve(self, ref: str, *, what: str = "revision") -> str | None:
        """The commit sha of ``ref``, or ``None`` when it does not name a commit."""
        if ref.startswith("-"):
            raise UsageError(f"bad {what} {ref!r}: a revision cannot start with '-'")
        status, out, _ = self.git("rev-parse", "--verify", "-q", f"{ref}^{{commit}}", ok_codes=(0, 1, 128))
        return out.strip() if status == 0 and out.strip() else None

    def is_shallow(self) -> bool:
        """Whether the clone is shallow (has a ``shallow`` file in its git directory)."""
        _, out, _ = self.git("rev-parse", "--git-path", "shallow")
        path = Path(out.strip())
        return (path if path.is_absolute() else self.root / path).exists()

    def read_blob(self, sha: str, path: str) -> bytes:
        """The content of blob ``sha`` (``path`` is for the error message)."""
        binsha = bytes.fromhex(sha)
        info = self.repo.odb.info(binsha)
        if info.size > MAX_FILE_BYTES:
            raise OSError(f"{path}: {info.size} bytes is more than the {MAX_FILE_BYTES}-byte limit")
        return self.repo.odb.stream(binsha).read()


class _EntriesSnapshot:
    """A snapshot backed by ``path -> blob sha`` entries, listed from git on first use."""

    label: str

    def __init__(self, repo: GitRepository, label: str) -> None:
        self.repo, self.label = repo, label
        self._cache: dict[str, str] | None = None

    def _load(self) -> dict[str, str]:
        raise NotImplementedError

    @property
    def _entries(self) -> dict[str, str]:
        if self._cache is None:
            self._cache = self._load()
        return self._cache

    def paths(self) -> Iterable[str]:
        return self._entries.keys()

    def exists(self, path: str) -> bool:
        return path in self._entries

    def blob_id(self, path: str) -> str | None:
        return self._entries.get(path)

    def read(self, path: str) -> bytes:
        if path not in self._entries:
            raise FileNotFoundError(path)
        return self.repo.read_blob(self._entries[path], path)


class CommitSnapshot(_EntriesSnapshot):
    """The tree of one commit (``git ls-tree -r``; blob ids come free with the listing)."""

    def __init__(self, repo: GitRepository, commit: str, label: str | None = None) -> None:
        super().__init__(repo, label or commit[:12])
        self.commit = commit

    def _load(self) -> dict[str, str]:
        _, out, _ = self.repo.git("ls-tree", "-r", "-z", "--full-tree", self.commit)
        entries: dict[str, str] = {}
        for item in _split_z(out):
            meta, path = item.split("\t", 1)
            mode, kind, sha = meta.split()
            if kind == "blob" and mode != _SYMLINK:
                entries[path] = sha
        return entries


def _index_entries(repo: GitRepository) -> tuple[dict[str, str], set[str]]:
    """Stage-0 index entries (path -> sha, symlinks and submodules left out) and conflicted paths."""
    _, out, _ = repo.git("ls-files", "-s", "-z")
    entries: dict[str, str] = {}
    conflicted: set[str] = set()
    for item in _split_z(out):
        meta, path = item.split("\t", 1)
        mode, sha, stage = meta.split()
        if stage != "0":
            conflicted.add(path)
        elif mode not in (_SYMLINK, _SUBMODULE):
            entries[path] = sha
    return entries, conflicted


class IndexSnapshot(_EntriesSnapshot):
    """The staging area (what ``git commit`` would record), read from index entries.

    Raises:
        GitError: On first use, when the index has unresolved merge conflicts.
    """

    def __init__(self, repo: GitRepository, label: str = "index") -> None:
        super().__init__(repo, label)

    def _load(self) -> dict[str, str]:
        entries, conflicted = _index_entries(self.repo)
        if conflicted:
            first = sorted(conflicted)[0]
            raise GitError(f"{first}: unresolved merge conflict in the index",
                           tip="Resolve the conflict and `git add` the file, then run schemacheck again.")
        return entries


class WorkTreeSnapshot:
    """Files on disk: tracked (not deleted) plus untracked-but-not-ignored.

    Blob ids of files whose stat matches the index (``git diff-files`` does not list them)
    are the index's ids, so only modified files are hashed, and only when asked.
    """

    def __init__(self, repo: GitRepository, label: str = "work tree") -> None:
        self.repo, self.label = repo, label
        _, untracked, _ = repo.git("ls-files", "--others", "--exclude-standard", "-z")
        self.untracked = tuple(p for p in _split_z(untracked) if self._is_file(p))
        self._listing: tuple[dict[str, str], set[str], set[str]] | None = None
        self._ids: dict[str, str] = {}

    def _list(self) -> tuple[dict[str, str], set[str], set[str]]:
        """(index entries, stat-dirty paths, all paths), listed from git on first use."""
        if self._listing is None:
            index, conflicted = _index_entries(self.repo)
            _, dirty_out, _ = self.repo.git("diff-files", "--name-only", "-z")
            dirty = set(_split_z(dirty_out)) | conflicted
            tracked = [p for p in (*index, *conflicted) if p not in dirty or self._is_file(p)]
            self._listing = (index, dirty, {*tracked, *self.untracked})
        return self._listing

    def _is_file(self, path: str) -> bool:
        full = self.repo.root / path
        return full.is_file() and not full.is_symlink()

    def paths(self) -> Iterable[str]:
        return sorted(self._list()[2])

    def exists(self, path: str) -> bool:
        return path in self._list()[2]

    def read(self, path: str) -> bytes:
        if not self.exists(path):
            raise FileNotFoundError(path)
        full = self.repo.root / path
        if full.stat().st_size > MAX_FILE_BYTES:
            raise OSError(f"{path}: larger than the {MAX_FILE_BYTES}-byte limit")
        return full.read_bytes()

    def blob_id(self, path: str) -> str | None:
        index, dirty, _ = self._list()
        if path in index and path not in dirty:
            return index[path]
        if path not in self._ids:
            self._ids[path] = _blob_sha(self.read(path))
        return self._ids[path]


class EmptySnapshot:
    """No files at all: the base of a repository without commits, or of a root commit."""

    def __init__(self, label: str = "empty") -> None:
        self.label = label

    def paths(self) -> Iterable[str]:
        return ()

    def exists(self, path: str) -> bool:
        return False

    def read(self, path: str) -> bytes:
        raise FileNotFoundError(path)

    def blob_id(self, path: str) -> str | None:
        return None


@dataclass(frozen=True, slots=True)
class GitComparison:
    """Two revisions of one repository and what git says changed between them.

    Attributes:
        base: Old revision.
        head: New revision.
        changed: Added, deleted, modified and renamed paths (both sides of a rename).
        renames: Base path -> head path for files git detected as renamed (``-M``).
        root: Absolute path of the work tree.
        description: One line saying what is compared, e.g. ``main (merge-base 1a2b3c4) -> work tree``.
    """

    base: Snapshot
    head: Snapshot
    changed: frozenset[str]
    renames: Mapping[str, str] = field(default_factory=dict)
    root: Path = Path(".")
    description: str = ""


def _name_status(repo: GitRepository, *args: str) -> tuple[set[str], dict[str, str]]:
    _, out, _ = repo.git("diff", "--name-status", "-z", "-M", "--no-color", "--no-ext-diff",
                         "--no-textconv", "--ignore-submodules", *args)
    items = _split_z(out)
    changed: set[str] = set()
    renames: dict[str, str] = {}
    i = 0
    while i < len(items):
        status = items[i]
        if status[:1] in ("R", "C"):
            old, new = items[i + 1], items[i + 2]
            changed.add(new)
            if status[0] == "R":
                changed.add(old)
                renames[old] = new
            i += 3
        else:
            changed.add(items[i + 1])
            i += 2
    return changed, renames


def _merge_base(repo: GitRepository, ref: str, sha: str, other: str, other_sha: str) -> str:
    status, out, _ = repo.git("merge-base", sha, other_sha, ok_codes=(0, 1))
    if status == 0 and out.strip():
        return out.strip()
    if repo.is_shallow():
        raise GitError(f"no merge-base of {ref} and {other} in this shallow clone", tip=_SHALLOW_TIP)
    raise GitError(f"{ref} and {other} have no common ancestor",
                   tip=f"Compare commits directly with `--head {other}` on the branch, or pick another --base.")


def _resolve_or_fail(repo: GitRepository, ref: str, what: str) -> str:
    sha = repo.resolve(ref, what=what)
    if sha is None:
        tip = _SHALLOW_TIP if repo.is_shallow() else _FETCH_TIP
        raise GitError(f"{what} {ref!r} not found in {repo.root}", tip=tip)
    return sha


def compare(repo: GitRepository, *, base: str | None = None, head: str | None = None,
            staged: bool = False) -> GitComparison:
    """Choose the two snapshots and the change set for one run.

    Args:
        repo: The repository.
        base: ``--base REF``: the old side is the merge-base of REF and the head commit.
            Without it the old side is ``HEAD`` (or, with ``head``, that commit's first parent).
        head: ``--head REF``: the new side is that commit (work tree and index are ignored).
        staged: ``--staged``: the new side is the index (pre-commit).

    Raises:
        GitError: A ref is missing, the clone is too shallow, or there is no common ancestor.
        UsageError: ``head`` and ``staged`` together.
    """
    if head is not None and staged:
        raise UsageError("--head and --staged cannot be combined", tip="--staged compares the index with HEAD.")
    head_name = head or "HEAD"
    head_sha = _resolve_or_fail(repo, head, "--head revision") if head else repo.resolve("HEAD")
    if base is not None:
        if head_sha is None:
            raise GitError("HEAD has no commits yet, so it has no merge-base with " + repr(base),
                           tip="Commit first, or run without --base to treat every file as new.")
        base_sha: str | None = _merge_base(repo, base, _resolve_or_fail(repo, base, "base revision"),
                                           head_name, head_sha)
        base_label = f"{base} (merge-base {base_sha[:7]})" if base_sha != head_sha else base
    elif head is not None:
        base_sha = repo.resolve(f"{head_sha}^1")
        base_label = f"{head}^"
    else:
        base_sha, base_label = head_sha, "HEAD"
    old: Snapshot = CommitSnapshot(repo, base_sha, base_label) if base_sha else EmptySnapshot("empty (no commits)")
    extra: set[str] = set()
    if head is not None:
        new: Snapshot = CommitSnapshot(repo, head_sha, head)  # type: ignore[arg-type]
        diff_args: tuple[str, ...] = (base_sha, head_sha) if base_sha else ()  # type: ignore[assignment]
    elif staged:
        new = IndexSnapshot(repo)
        diff_args = ("--cached", base_sha) if base_sha else ()
    else:
        worktree = WorkTreeSnapshot(repo)
        new, extra = worktree, set(worktree.untracked)
        diff_args = (base_sha,) if base_sha else ()
    if diff_args:
        changed, renames = _name_status(repo, *diff_args)
    else:
        changed, renames = set(new.paths()), {}
    return GitComparison(old, new, frozenset(changed | extra), renames, repo.root,
                         f"{old.label} -> {new.label}")


def repo_paths(repo: GitRepository, paths: Iterable[str | os.PathLike[str]], cwd: Path) -> tuple[str, ...]:
    """Command-line paths as repository-relative POSIX paths ('' entries dropped: the whole repo).

    Raises:
        UsageError: A path is outside the repository.
    """
    result: list[str] = []
    for raw in paths:
        full = (cwd / raw).resolve()
        if full != repo.root and repo.root not in full.parents:
            raise UsageError(f"{raw} is outside the repository {repo.root}",
                             tip="Pass paths inside the repository, or compare directories with --against.")
        rel = full.relative_to(repo.root).as_posix()
        if rel not in ("", "."):
            result.append(rel)
    return tuple(result)
