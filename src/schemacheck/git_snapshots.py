"""Git-backed snapshots: one commit, the index, the work tree.

Maintainers: every read goes through the repository handle (:mod:`schemacheck.git_repo`)
without touching the repository: blobs are streamed from one long-lived
``git cat-file --batch``, listings come from ``ls-tree``, ``ls-files`` and ``diff-files``.
Listings are made on first use, so a run where git reports no change never lists the trees.
:mod:`schemacheck.revisions` decides which snapshots to compare.
"""

from __future__ import annotations

import abc
import os
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from .errors import GitError
from .git_repo import (_SUBMODULE, _SYMLINK, _TREE, NOT_A_REPO_TIP, READ_AHEAD_BYTES, GitRepository, _blob_sha,
                       _split_z, utf8_path)
from .snapshot import check_relative, is_regular_inside, read_inside

if TYPE_CHECKING:
    from .git_overlay import ChangeOverlay

__all__ = ["GitRepository", "CommitSnapshot", "IndexSnapshot", "WorkTreeSnapshot", "EmptySnapshot", "NOT_A_REPO_TIP",
           "utf8_path"]


class _EntriesSnapshot(abc.ABC):
    """A snapshot backed by ``path -> blob sha`` entries, listed from git on first use."""

    label: str

    def __init__(self, repo: GitRepository, label: str) -> None:
        self.repo, self.label = repo, label
        self._cache: dict[str, str] | None = None

    @abc.abstractmethod
    def _load(self) -> dict[str, str]:
        """List ``path -> blob sha`` (subclasses: a commit's tree, the index)."""

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

    def read_ahead(self, paths: Iterable[str]) -> None:
        """Read ``paths`` ahead in a few round trips (a hint; see ``GitRepository.read_ahead``).
        Looked up one by one (:meth:`blob_id`), so a commit is not listed for it."""
        self.repo.read_ahead([sha for sha in map(self.blob_id, paths) if sha is not None])

    def read(self, path: str) -> bytes:
        if path not in self._entries:
            raise FileNotFoundError(check_relative(path))
        return self.repo.read_blob(self._entries[path], path, self.label)

    @property
    def blob_store(self) -> GitRepository | None:
        """The repository, when it may fetch absent blobs (``--fetch-missing``; see ``snapshot.prefetch``)."""
        return self.repo if self.repo.fetch_missing else None

    def stored_ids(self, paths: Iterable[str]) -> set[str]:
        """The blob ids :meth:`read` would ask the object store for (looked up, not listed)."""
        return {sha for sha in map(self.blob_id, paths) if sha is not None}

    #: What holds this snapshot's blobs, for a presence check over trees (``git_partial``).
    fetch_tips: tuple[str, ...] = ("--indexed-objects",)


class CommitSnapshot(_EntriesSnapshot):
    """The tree of one commit.

    One path is looked up by walking tree objects through the persistent ``cat-file`` (each
    directory read once per run), so a check of a few files never lists the whole tree;
    :meth:`paths` lists it (``git ls-tree -r``, blob ids free with the listing) when asked.
    """

    def __init__(self, repo: GitRepository, commit: str, label: str | None = None) -> None:
        super().__init__(repo, label or commit[:12])
        self.commit = commit
        self.fetch_tips = (commit,)
        self._root: str | None = None

    def _lookup(self, path: str) -> str | None:
        """The blob id of regular file ``path`` (as the listing would hold it), or None."""
        if self._cache is not None:
            return self._cache.get(path)
        if not path or not utf8_path(path):
            return None
        if self._root is None:
            found = self.repo.read_object(f"{self.commit}^{{tree}}")
            if found is None:
                self._load_once()  # let ls-tree report the damaged commit as it always did
                return self._cache.get(path) if self._cache is not None else None
            self._root = found[0]
            self.repo.trees_seed(found[0], found[2])
        entries = self.repo.tree(self._root)
        *dirs, name = path.split("/")
        for part in dirs:
            entry = entries.get(part)
            if entry is None or entry[0] != _TREE:
                return None
            entries = self.repo.tree(entry[1])
        entry = entries.get(name)
        return entry[1] if entry is not None and entry[0].startswith("100") else None

    def paths_under(self, prefix: str) -> Iterable[str]:
        """Paths under directory ``prefix`` ('' = all), listed with a pathspec, not the whole tree."""
        if not prefix or self._cache is not None:
            return [p for p in self.paths() if _under(p, prefix)]
        return list(self._load("--", prefix.rstrip("/")))

    def _load_once(self) -> None:
        self._cache = self._load()

    def exists(self, path: str) -> bool:
        return self._lookup(path) is not None

    def blob_id(self, path: str) -> str | None:
        return self._lookup(path)

    def read(self, path: str) -> bytes:
        sha = self._lookup(path)
        if sha is None:
            raise FileNotFoundError(check_relative(path))
        return self.repo.read_blob(sha, path, self.label)

    def _load(self, *pathspec: str) -> dict[str, str]:
        _, out, _ = self.repo.git("ls-tree", "-r", "-z", "--full-tree", self.commit, *pathspec)
        entries: dict[str, str] = {}
        for item in _split_z(out):
            meta, path = item.split("\t", 1)
            mode, kind, sha = meta.split()
            if kind == "blob" and mode != _SYMLINK and utf8_path(path):
                entries[path] = sha
        return entries


def _index_entries(repo: GitRepository) -> tuple[dict[str, str], set[str], set[str]]:
    """Stage-0 index entries (path -> sha, symlinks and submodules left out), conflicted paths,
    and intent-to-add paths (``git add -N``), which are not in ``entries``."""
    _, out, _ = repo.git("ls-files", "-s", "-z")
    entries: dict[str, str] = {}
    conflicted: set[str] = set()
    for item in _split_z(out):
        meta, path = item.split("\t", 1)
        mode, sha, stage = meta.split()
        if stage != "0":
            conflicted.add(path)
        elif mode not in (_SYMLINK, _SUBMODULE) and utf8_path(path):
            entries[path] = sha
    intent_to_add = _intent_to_add(repo, entries)
    for path in intent_to_add:
        del entries[path]
    return entries, conflicted, intent_to_add


def _intent_to_add(repo: GitRepository, entries: dict[str, str]) -> set[str]:
    """Paths added with ``git add -N``: placeholders that record no content, not staged empty files.

    They carry the empty blob's id, like a real empty file; ``--ita-invisible-in-index`` makes
    a diff of the index against the empty tree leave exactly them out. Only run when some
    entry has the empty blob's id, so a normal run pays nothing.
    """
    import hashlib

    empty_ids = {_blob_sha(b""), hashlib.sha256(b"blob 0\0").hexdigest()}
    candidates = {path for path, sha in entries.items() if sha in empty_ids}
    if not candidates:
        return set()
    _, tree, _ = repo.git("hash-object", "-t", "tree", os.devnull)
    _, out, _ = repo.git("diff-index", "--cached", "--name-only", "-z", "--ita-invisible-in-index", tree.strip())
    return candidates.difference(_split_z(out))


class IndexSnapshot(_EntriesSnapshot):
    """The staging area (what ``git commit`` would record), read from index entries.

    With ``over`` (:class:`~.git_overlay.ChangeOverlay`: the base commit and ``diff-index
    --cached`` against it), one path is looked up there and in the base's trees, and the index
    is listed only by :meth:`paths`.

    Raises:
        GitError: On first use, when the index has unresolved merge conflicts.
    """

    def __init__(self, repo: GitRepository, label: str = "index", over: ChangeOverlay | None = None) -> None:
        super().__init__(repo, label)
        self.over = over

    def _load(self) -> dict[str, str]:
        entries, conflicted, _ = _index_entries(self.repo)
        if conflicted:
            _conflict(sorted(conflicted)[0])
        return entries

    def _sha(self, path: str) -> str | None:
        over = self.over
        assert over is not None
        if over.conflicted:
            _conflict(sorted(over.conflicted)[0])
        if path in over.entries:
            return (over.entries[path] or None) if utf8_path(path) else None
        return None if path in over.gone else over.base_sha(path)

    def paths(self) -> Iterable[str]:
        if self.over is None:
            return super().paths()
        self._sha("")  # a conflict is an error here too
        return self.over.paths(self.over.entries)

    def exists(self, path: str) -> bool:
        return super().exists(path) if self.over is None else self._sha(path) is not None

    def paths_under(self, prefix: str) -> Iterable[str]:
        """Paths under directory ``prefix``, without listing the whole index when it can."""
        if self.over is None:
            return [p for p in self.paths() if _under(p, prefix)]
        self._sha("")
        return self.over.paths_under(prefix, self.over.entries)

    def blob_id(self, path: str) -> str | None:
        return super().blob_id(path) if self.over is None else self._sha(path)

    def read(self, path: str) -> bytes:
        if self.over is None:
            return super().read(path)
        sha = self._sha(path)
        if sha is None:
            raise FileNotFoundError(check_relative(path))
        return self.repo.read_blob(sha, path, self.label)


def _under(path: str, prefix: str) -> bool:
    prefix = prefix.rstrip("/")
    return not prefix or path == prefix or path.startswith(prefix + "/")


def _conflict(first: str) -> None:
    raise GitError(f"{first}: unresolved merge conflict in the index",
                   tip="Resolve the conflict and `git add` the file, then run schemacheck again.")


def untracked_files(repo: GitRepository) -> Callable[[], tuple[int, str, str]]:
    """Start listing the work tree's untracked, not ignored files; call the result to wait."""
    return repo.start("ls-files", "--others", "--exclude-standard", "-z")


class WorkTreeSnapshot:
    """Files on disk: tracked (not deleted) plus untracked-but-not-ignored.

    Blob ids of files whose stat matches the index (``git diff-files`` does not list them)
    are the index's ids, so only modified files are hashed, and only when asked; such files are
    also read as the index's blobs, so only modified and untracked files are opened on disk.
    With ``over`` (the base commit and ``diff-index`` of the work tree against it), a path git
    did not report is the base's blob, looked up in its trees: nothing is listed but untracked
    files until :meth:`paths` is asked.

    A path's file check (a real-path walk, several ``lstat`` calls) is made once per path, and a
    file read from disk is kept (up to :data:`~.git_repo.READ_AHEAD_BYTES`): a check asks about
    every changed file several times (imports, blob ids, the compile, suppression comments), and
    when every file of a large tree changed those repeats cost more than the compile. One run
    therefore sees one content per path, as it does for stored blobs.
    """

    def __init__(self, repo: GitRepository, label: str = "work tree", over: ChangeOverlay | None = None,
                 untracked: Callable[[], tuple[int, str, str]] | None = None) -> None:
        self.repo, self.label = repo, label
        self._regular: dict[str, bool] = {}  # path -> _is_file's answer
        self._dirs: dict[str, str | None] = {}  # directories resolved on disk (snapshot._inside)
        self._kept: dict[str, bytes] = {}  # path -> content read from disk
        self._kept_bytes = 0
        # ``untracked``: the listing started earlier (GitRepository.start), to overlap with a diff
        _, untracked_out, _ = untracked() if untracked is not None else untracked_files(repo)()
        untracked = None
        self.untracked = tuple(p for p in _split_z(untracked_out) if utf8_path(p) and self._is_file(p))
        self._listing: tuple[dict[str, str], set[str], set[str]] | None = None
        self._ids: dict[str, str] = {}
        self.over = over
        if over is not None:
            for path in self.untracked:
                over.add_on_disk(path)

    def _list(self) -> tuple[dict[str, str], set[str], set[str]]:
        """(index entries, stat-dirty paths, all paths), listed from git on first use."""
        if self._listing is None:
            index, conflicted, intent_to_add = _index_entries(self.repo)
            _, dirty_out, _ = self.repo.git("diff-files", "--name-only", "-z")
            dirty = set(_split_z(dirty_out)) | conflicted | intent_to_add  # `add -N`: content on disk only
            tracked = [p for p in (*index, *conflicted, *intent_to_add) if p not in dirty or self._is_file(p)]
            self._listing = (index, dirty, {*tracked, *self.untracked})
        return self._listing

    def _is_file(self, path: str) -> bool:
        # As git sees it: a symbolic link, or a path under a linked directory, is not this file.
        found = self._regular.get(path)
        if found is None:
            found = self._regular[path] = is_regular_inside(self.repo.root, path, follow_symlinks=False,
                                                            dirs=self._dirs)
        return found

    def _read_disk(self, path: str) -> bytes:
        data = self._kept.get(path)
        if data is None:
            data = read_inside(self.repo.root, path, follow_symlinks=False, dirs=self._dirs)
            if self._kept_bytes + len(data) <= READ_AHEAD_BYTES:
                self._kept[path] = data
                self._kept_bytes += len(data)
        return data

    def paths(self) -> Iterable[str]:
        if self.over is not None:
            return self.over.paths(p for p in self.over.entries if self._is_file(p))
        return sorted(self._list()[2])

    def paths_under(self, prefix: str) -> Iterable[str]:
        """Paths under directory ``prefix``, without listing the whole tree when it can."""
        if self.over is None:
            return [p for p in self.paths() if _under(p, prefix)]
        return self.over.paths_under(prefix, (p for p in self.over.entries if self._is_file(p)))

    def exists(self, path: str) -> bool:
        over = self.over
        if over is None:
            return path in self._list()[2]
        if path in over.entries:
            return utf8_path(path) and self._is_file(path)
        return path not in over.gone and over.base_sha(path) is not None

    def read(self, path: str) -> bytes:
        if not self.exists(path):
            raise FileNotFoundError(check_relative(path))
        over = self.over
        if over is not None:
            if path in over.entries:
                return self._read_disk(path)
            return over.base.read(path)
        index, dirty, _ = self._list()
        if path in index and path not in dirty:
            # git says the file matches its index entry: read that blob through the persistent
            # cat-file (no per-file path resolution and link checks: a dependents scan reads
            # thousands of unchanged files). Modified and untracked files are read from disk.
            return self.repo.read_blob(index[path], path, self.label)
        return self._read_disk(path)

    @property
    def blob_store(self) -> GitRepository | None:
        """The repository, when it may fetch absent blobs (``--fetch-missing``; see ``snapshot.prefetch``)."""
        return self.repo if self.repo.fetch_missing else None

    def _stored_id(self, path: str) -> str | None:
        """The blob id :meth:`read` asks the object store for (a file git says is unmodified), or
        None (read from disk, or absent); with ``over``, looked up without listing anything."""
        over = self.over
        if over is not None:
            return None if path in over.entries or path in over.gone else over.base_sha(path)
        index, dirty, _ = self._list()
        return index[path] if path in index and path not in dirty else None

    def stored_ids(self, paths: Iterable[str]) -> set[str]:
        """The blob ids :meth:`read` would ask the object store for (files git says are unmodified)."""
        return {sha for sha in map(self._stored_id, paths) if sha is not None}

    fetch_tips = ("--indexed-objects",)

    def read_ahead(self, paths: Iterable[str]) -> None:
        """Read ahead the ``paths`` that are read as stored blobs (a hint; see ``GitRepository.read_ahead``)."""
        self.repo.read_ahead([sha for sha in map(self._stored_id, paths) if sha is not None])

    def blob_id(self, path: str) -> str | None:
        over = self.over
        if over is not None:
            if path not in over.entries:
                return None if path in over.gone else over.base_sha(path)
            if over.entries[path]:
                return over.entries[path] if self.exists(path) else None
        else:
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
