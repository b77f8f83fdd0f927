"""Which two revisions to compare, and what git says changed between them.

Maintainers: :func:`compare` turns the CLI's choice (``--base``/``--head``/``--staged``/the
default) into a :class:`GitComparison`: two snapshots (from :mod:`schemacheck.git_snapshots`)
plus the changed paths and renames from ``git diff --name-status -M``. Nothing here checks
out, writes the index or moves a ref. Errors are :class:`~schemacheck.errors.GitError` (or
:class:`~schemacheck.errors.UsageError`) with a one-line message and a tip.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from .errors import GitError, UsageError
from .git_overlay import ChangeOverlay, RawChange, parse_raw
from .git_repo import _blob_sha
from .git_snapshots import CommitSnapshot, EmptySnapshot, GitRepository, IndexSnapshot, WorkTreeSnapshot, _split_z, untracked_files, utf8_path
from .snapshot import Snapshot, read_inside

__all__ = [
    "GitRepository",
    "CommitSnapshot",
    "IndexSnapshot",
    "WorkTreeSnapshot",
    "EmptySnapshot",
    "GitComparison",
    "compare",
    "repo_paths",
    "revisions_to_resolve",
]

_FETCH_TIP = ("Fetch it first, e.g. `git fetch origin main`; in GitHub Actions set `fetch-depth: 0` "
              "on actions/checkout.")
_MISSING_TIP = ("Fetch the missing objects (`git fetch --refetch origin`, or `git fetch --unshallow` in a "
                "shallow clone); `git fsck` lists what is missing.")
_SHALLOW_TIP = ("This is a shallow clone: run `git fetch --deepen=200` (or `git fetch --unshallow`); "
                "in GitHub Actions set `fetch-depth: 0` on actions/checkout.")


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


def _start_raw_changes(repo: GitRepository, command: str, *args: str) -> Callable[[], list[RawChange]]:
    """Start the diff; call the result to wait for its changes.

    Plumbing only (diff-tree / diff-index): porcelain `git diff` refreshes stale stat data in
    .git/index, which would make a read-only tool write the index. --raw gives the names and
    both sides' blob ids at once, so the new side needs no listing of its own.
    """
    extra = ("-r",) if command == "diff-tree" else ()
    pending = repo.start(command, *extra, "--raw", "-z", "--no-abbrev", "-M", "--no-color", "--no-ext-diff",
                         "--no-textconv", "--ignore-submodules", *args)
    return lambda: parse_raw(pending()[1])


def _name_status(changes: list[RawChange]) -> tuple[set[str], dict[str, str]]:
    """Changed paths (both sides of a rename; the new side of a copy) and renames."""
    changed: set[str] = set()
    renames: dict[str, str] = {}
    for change in changes:
        changed.add(change.new_path)
        if change.status == "R":
            changed.add(change.old_path)
            renames[change.old_path] = change.new_path
    return changed, renames


def _known_changes(repo: GitRepository, base_sha: str) -> frozenset[str]:
    """Paths changed between the base commit and the index: the index against a tree, no stat of
    the work tree, so quick while the work tree's own diff is still running. Only a forecast."""
    _, out, _ = repo.git("diff-index", "--cached", "--name-only", "-z", "--no-renames", "--ignore-submodules",
                         base_sha, ok_codes=(0, 1, 128))
    return frozenset(_split_z(out))


def _wait_quietly(pending) -> None:
    """Reap a started command whose result is no longer wanted."""
    try:
        pending()
    except Exception:  # noqa: BLE001 - the error being raised already says what went wrong
        pass


def _disk_sha(repo: GitRepository, path: str) -> str | None:
    """The blob id of work-tree file ``path`` (None when it is not a readable regular file)."""
    try:
        return _blob_sha(read_inside(repo.root, path, follow_symlinks=False))
    except OSError:
        return None


def _merge_base(repo: GitRepository, ref: str, sha: str, other: str, other_sha: str) -> str:
    known = repo.known_merge_base(sha, other_sha)
    if known is not None:
        return known
    status, out, _ = repo.git("merge-base", sha, other_sha, ok_codes=(0, 1))
    if status == 0 and out.strip():
        return out.strip()
    if repo.is_shallow():
        raise GitError(f"no merge-base of {ref} and {other} in this shallow clone", tip=_SHALLOW_TIP)
    raise GitError(f"{ref} and {other} have no common ancestor",
                   tip=f"Compare commits directly with `--head {other}` on the branch, or pick another --base.")


def _first_parent(repo: GitRepository, sha: str, name: str) -> str | None:
    """The first parent of ``sha``; None only for a real root commit.

    A commit at the edge of a shallow clone looks like a root commit to git, and comparing it
    with "no commits" would report nothing (every file is new): that is an error, not a pass.
    """
    parent = repo.resolve(f"{sha}^1")
    if parent is not None:
        return parent
    recorded = repo.recorded_parents(sha)
    if not recorded:
        return None  # the repository's first commit: every file is new
    if repo.is_shallow() and sha in repo.shallow_commits():
        raise GitError(f"{name} ({sha[:7]}) is the oldest commit of this shallow clone: its parent "
                       f"{recorded[0][:7]} was not fetched, so there is no old side to compare with",
                       tip=_SHALLOW_TIP)
    raise GitError(f"{name} ({sha[:7]}): its parent commit {recorded[0][:7]} is missing from the repository",
                   tip=_MISSING_TIP)


def _resolve_or_fail(repo: GitRepository, ref: str, what: str) -> str:
    sha = repo.resolve(ref, what=what)
    if sha is None:
        tip = _SHALLOW_TIP if repo.is_shallow() else _FETCH_TIP
        if "/" not in ref and repo.resolve(f"origin/{ref}", what=what) is not None:
            tip = f"There is no local branch {ref!r}, but there is 'origin/{ref}': use --base origin/{ref}."
        raise GitError(f"{what} {ref!r} not found in {repo.root}", tip=tip)
    return sha


def _changed_blobs(repo: GitRepository, command: str, *args: str) -> tuple[set[str], bool]:
    """Blob ids on both sides of the change (``--raw``, without rename detection, which would
    need the blobs); all-zero ids (work-tree content) left out. And whether git's rename
    detection will read some of them (a file added and another deleted)."""
    extra = ("-r",) if command == "diff-tree" else ()
    _, out, _ = repo.git(command, *extra, "--raw", "-z", "--no-abbrev", "--no-renames", "--ignore-submodules", *args)
    ids: set[str] = set()
    statuses: set[str] = set()
    for item in _split_z(out):
        if item.startswith(":"):
            fields = item.split()
            ids.update(sha for sha in fields[2:4] if sha.strip("0"))
            statuses.add(fields[4][:1] if len(fields) > 4 else "")
    return ids, {"A", "D"} <= statuses


def revisions_to_resolve(base: str | None = None, head: str | None = None,
                         staged: bool = False) -> tuple[list[str], list[tuple[str, str]]]:
    """What :func:`compare` will ask git with these arguments: the revisions it resolves and the
    merge-base it needs, for :class:`GitRepository` to ask in its first ``rev-parse``."""
    if base is not None:
        return [], [(base, head or "HEAD")]
    if head is not None:
        return [head, f"{head}^1"], []
    return ["HEAD"], []


def compare(repo: GitRepository, *, base: str | None = None, head: str | None = None,
            staged: bool = False, fetch_missing: bool = False,
            meanwhile: Callable[[frozenset[str]], object] | None = None) -> GitComparison:
    """Choose the two snapshots and the change set for one run.

    Args:
        repo: The repository.
        base: ``--base REF``: the old side is the merge-base of REF and the head commit.
            Without it the old side is ``HEAD`` (or, with ``head``, that commit's first parent).
        head: ``--head REF``: the new side is that commit (work tree and index are ignored).
        staged: ``--staged``: the new side is the index (pre-commit).
        fetch_missing: In a partial clone, fetch the changed files' missing blobs (both sides)
            with what the formats will read, in one ``git fetch`` (noted here with
            ``GitRepository.want``, fetched by the runner's ``snapshot.prefetch`` or by the first
            read of an absent one; :mod:`schemacheck.git_partial`); otherwise never fetch.
        meanwhile: Called once git's diff (and the untracked listing) has started, before
            waiting for it: work of the caller's that overlaps git's scan of the work tree
            (the CLI imports what the check will need). It receives the paths git already
            knows changed: in the work tree, those committed or staged since the base (one
            quick ``diff-index --cached``, no stat of the work tree); else none.

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
        base_sha = _first_parent(repo, head_sha, head)  # type: ignore[arg-type]
        base_label = f"{head}^"
    else:
        base_sha, base_label = head_sha, "HEAD"
    old: Snapshot = CommitSnapshot(repo, base_sha, base_label) if base_sha else EmptySnapshot("empty (no commits)")
    diff_args: tuple[str, ...] = ()
    if base_sha:
        if head is not None:
            diff_args = ("diff-tree", base_sha, head_sha)  # type: ignore[assignment]
        elif staged:
            diff_args = ("diff-index", "--cached", "--ita-invisible-in-index", base_sha)
        else:
            diff_args = ("diff-index", base_sha)
    # formats may fetch what else they read, in one batch (snapshot.prefetch); nothing to do in a full clone
    repo.fetch_missing = fetch_missing and repo.is_partial_clone()
    if diff_args and fetch_missing:
        ids, renames_read_them = _changed_blobs(repo, *diff_args)
        tips = (base_sha, head_sha) if head is not None else (base_sha, "--indexed-objects")
        repo.want(ids, tips)  # type: ignore[arg-type]
        if renames_read_them:  # the rename detection below compares their content: fetch now
            repo.fetch()
    pending = untracked_files(repo) if head is None and not staged else None  # overlaps the diff
    raw_changes: Callable[[], list[RawChange]] | None = None
    try:
        raw_changes = _start_raw_changes(repo, *diff_args) if diff_args else list
        if meanwhile is not None:
            meanwhile(_known_changes(repo, base_sha) if pending is not None and base_sha else frozenset())
        raw = raw_changes()
    except BaseException:
        for waiting in (raw_changes, pending):
            if waiting is not None:
                _wait_quietly(waiting)
        raise
    extra: set[str] = set()
    if head is not None:
        new: Snapshot = CommitSnapshot(repo, head_sha, head)  # type: ignore[arg-type]
    elif staged:
        new = IndexSnapshot(repo, over=ChangeOverlay(old, raw, on_disk=False) if base_sha else None)
    else:
        worktree = WorkTreeSnapshot(repo, over=ChangeOverlay(old, raw, on_disk=True) if base_sha else None,
                                    untracked=pending)
        new, extra = worktree, set(worktree.untracked)
    if diff_args:
        changed, renames = _name_status(raw)
        if head is None and not staged:
            # diff-index lists files whose stat data is stale as modified; keep the real changes.
            stale = {c.new_path for c in raw if c.status == "M" and not c.new_sha.strip("0")
                     and _disk_sha(repo, c.new_path) == c.old_sha}
            changed -= stale
    else:
        changed, renames = set(new.paths()), {}
    changed_utf8 = _utf8_only(changed | extra, renamed_away=set(renames))
    renames = {a: b for a, b in renames.items() if utf8_path(a) and utf8_path(b)}
    return GitComparison(old, new, changed_utf8, renames, repo.root, f"{old.label} -> {new.label}")


_SCHEMA_SUFFIXES = (".proto", ".json", ".yaml", ".yml")


def _utf8_only(changed: set[str], renamed_away: set[str]) -> frozenset[str]:
    """Drop changed paths whose names are not UTF-8; refuse when one is a schema file still in play.

    A badly named file renamed to a good name is fine: only its new name is checked.
    """
    bad = sorted(p for p in changed if not utf8_path(p))
    for path in bad:
        if path.lower().endswith(_SCHEMA_SUFFIXES) and path not in renamed_away:
            shown = path.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
            raise UsageError(f"{shown}: the file name is not valid UTF-8, so schemacheck cannot check it",
                             tip="Rename the file (e.g. `git mv`) to a UTF-8 name.")
    return frozenset(changed.difference(bad))


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
