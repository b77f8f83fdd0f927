"""A read-only view of a file tree at one revision: the only way code reads schema files.

Maintainers: the runner and format checkers see a :class:`Snapshot`, never git or the file
system directly, so a base revision, the index, the work tree and a plain directory are
interchangeable. Git-backed snapshots live in ``revisions.py``; this module has the
protocol and the plain-directory implementation. Paths are POSIX, relative to the root.
"""

from __future__ import annotations

import functools
import os
import re
import stat
from collections.abc import Iterable
from pathlib import Path
from typing import Protocol, runtime_checkable

__all__ = ["Snapshot", "DirectorySnapshot", "SingleFileSnapshot", "MAX_FILE_BYTES", "UnsafePath", "unsafe_reason",
           "check_relative", "read_inside", "is_regular_inside", "can_fetch", "prefetch"]

#: Files larger than this are refused with a clear error instead of being parsed.
MAX_FILE_BYTES = 64 * 1024 * 1024
#: Longest path component and path (bytes) a name may have before the file system is asked:
#: longer names are refused here rather than surfacing ENAMETOOLONG.
NAME_MAX, PATH_MAX = 255, 4096


class UnsafePath(FileNotFoundError):
    """A path that could leave its root, or that no file system accepts; never opened.

    A ``FileNotFoundError``, so callers that treat a missing file as "absent" stay correct;
    ``reason`` says why, for messages.
    """

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path} {reason}")
        self.path, self.reason = path, reason


_DRIVE = re.compile(r"[A-Za-z]:[/\\]")


@functools.lru_cache(maxsize=1 << 16)  # a pure function of the string, asked several times per path
def unsafe_reason(path: str) -> str | None:
    """Why ``path`` cannot name a file inside a root, or None when it can.

    This is the one rule every name built from input goes through (snapshot reads, protobuf
    imports, JSON Schema ``$ref`` targets): relative, POSIX, no ``..``, no NUL, short enough.
    """
    if not path:
        return "is empty"
    if "\0" in path:
        return "contains a NUL character"
    if path.startswith(("/", "\\")) or _DRIVE.match(path):
        return "is an absolute path, and nothing outside the repository is read"
    parts = path.replace("\\", "/").split("/")
    if ".." in parts:
        return "leaves its directory through '..', and nothing outside the repository is read"
    if len(path.encode("utf-8", "surrogateescape")) > PATH_MAX:
        return f"is longer than {PATH_MAX} bytes"
    if any(len(part.encode("utf-8", "surrogateescape")) > NAME_MAX for part in parts):
        return f"has a name longer than {NAME_MAX} bytes"
    return None


def check_relative(path: str) -> str:
    """``path`` if :func:`unsafe_reason` finds nothing wrong; raises :class:`UnsafePath` otherwise."""
    reason = unsafe_reason(path)
    if reason is not None:
        raise UnsafePath(path, reason)
    return path


@functools.lru_cache(maxsize=64)
def _real_root(root: Path | str) -> str:
    """``os.path.realpath(root)``, once per root and process: a check where every file changed
    opens thousands of files under the same root, each of which resolved it again."""
    return os.path.realpath(root)


def _inside(root: Path, rel: str, *, follow_symlinks: bool, dirs: dict[str, str | None] | None = None) -> str:
    """The real path of regular file ``root/rel``, refusing anything that leaves ``root``.

    ``follow_symlinks``: a symbolic link (file or directory) may be followed while its target
    stays inside ``root`` (a directory given with --against); otherwise any link on the way is
    refused (git work trees: a link is a link, never the file it points to).
    ``dirs``: a snapshot's memo of the directories it has resolved (directory -> its real path
    when that is inside ``root`` and, without ``follow_symlinks``, not reached through a link;
    else None). A file in a known directory then costs one ``lstat`` instead of one per
    component of its path (every file of a 600-directory tree changed: a fifth of a compile).
    """
    check_relative(rel)
    # os.path on strings, not pathlib: the same realpath walk (Path.resolve is realpath), without
    # pathlib's parsing, which cost as much as the walk when every file of a large tree changed.
    real_root = _real_root(root)
    if dirs is not None:
        parent, _, name = rel.rpartition("/")
        if parent not in dirs:
            dirs[parent] = _real_directory(real_root, parent, follow_symlinks)
        real_parent = dirs[parent]
        if real_parent is not None and name not in ("", ".", ".."):
            real = os.path.join(real_parent, name)
            try:
                mode = os.lstat(real).st_mode
            except OSError:
                mode = 0
            if stat.S_ISREG(mode):
                return real
        # anything else (a link, nothing there, a directory with a link on the way): the full
        # walk below, which says exactly what is wrong
    lexical = os.path.normpath(os.path.join(real_root, rel))
    try:
        real = os.path.realpath(lexical, strict=True)
    except (OSError, RuntimeError):
        if os.path.islink(lexical):
            raise UnsafePath(rel, "is a dangling symbolic link") from None
        raise FileNotFoundError(rel) from None
    if real != real_root and not real.startswith(real_root.rstrip(os.sep) + os.sep):
        raise UnsafePath(rel, f"is a symbolic link to {real}, outside {root}, which is never read")
    if not follow_symlinks and real != lexical:
        raise UnsafePath(rel, "is a symbolic link (or lies under one), which is never followed")
    mode = os.stat(real).st_mode
    if not stat.S_ISREG(mode):
        raise UnsafePath(rel, "is not a regular file")
    return real


def _real_directory(real_root: str, rel: str, follow_symlinks: bool) -> str | None:
    """The real path of directory ``rel`` under ``real_root`` when a file in it may be opened
    through it (inside the root; no link on the way unless ``follow_symlinks``), else None."""
    lexical = os.path.normpath(os.path.join(real_root, rel)) if rel else real_root
    try:
        real = os.path.realpath(lexical, strict=True)
    except (OSError, RuntimeError):
        return None
    if real != real_root and not real.startswith(real_root.rstrip(os.sep) + os.sep):
        return None
    if not follow_symlinks and real != lexical:
        return None
    return real if os.path.isdir(real) else None


def read_inside(root: Path, rel: str, *, follow_symlinks: bool = True,
                dirs: dict[str, str | None] | None = None) -> bytes:
    """Read regular file ``rel`` under ``root``: the single way a snapshot opens a file on disk.

    Raises:
        UnsafePath: The path or a symbolic link leaves ``root``, dangles, or is not a regular file.
        FileNotFoundError: Nothing is there.
        OSError: The file is larger than :data:`MAX_FILE_BYTES` or cannot be read.
    """
    real = _inside(root, rel, follow_symlinks=follow_symlinks, dirs=dirs)
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    fd = os.open(real, flags)  # O_NOFOLLOW/O_NONBLOCK: a link or FIFO swapped in since the check fails
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise UnsafePath(rel, "is not a regular file")
        if info.st_size > MAX_FILE_BYTES:
            raise OSError(f"{rel}: {info.st_size} bytes is more than the {MAX_FILE_BYTES}-byte limit")
        return handle.read(MAX_FILE_BYTES + 1)


def is_regular_inside(root: Path, rel: str, *, follow_symlinks: bool = True,
                      dirs: dict[str, str | None] | None = None) -> bool:
    """Whether :func:`read_inside` would open ``rel`` (no error raised)."""
    try:
        _inside(root, rel, follow_symlinks=follow_symlinks, dirs=dirs)
    except OSError:
        return False
    return True


@runtime_checkable
class Snapshot(Protocol):
    """Files at one revision.

    Attributes:
        label: Human name of the revision (``HEAD``, ``index``, ``work tree``, ``abc1234``).
    """

    label: str

    def paths(self) -> Iterable[str]:
        """Every file path in the snapshot (POSIX, relative)."""
        ...

    def read(self, path: str) -> bytes:
        """The content of ``path``; raises ``FileNotFoundError`` if absent."""
        ...

    def blob_id(self, path: str) -> str | None:
        """A content id (git blob sha when known) used for change detection and caching."""
        ...

    def exists(self, path: str) -> bool:
        """Whether ``path`` is a file of the snapshot."""
        ...


def can_fetch(snapshot: Snapshot) -> bool:
    """Whether ``snapshot``'s store may fetch absent content (a partial clone run with ``--fetch-missing``)."""
    return getattr(snapshot, "blob_store", None) is not None


def prefetch(wanted: Iterable[tuple[Snapshot, Iterable[str]]]) -> int:
    """Make the content of these files present, in one batch per store, where a store can fetch.

    A format that knows which files it will read (JSON Schema: from its per-blob index) asks
    here first, so a partial clone fetches them in one ``git fetch`` instead of failing on each
    (nothing is ever fetched one object at a time). The blobs a store was told it will need
    (the changed files', ``GitRepository.want``) go with the same batch, even when ``paths``
    are empty. Snapshots that cannot fetch are skipped. Returns how many objects were fetched.
    """
    stores: dict[int, tuple[object, set[str], set[str]]] = {}
    for snapshot, paths in wanted:
        store = getattr(snapshot, "blob_store", None)
        if store is None:
            continue
        _, ids, tips = stores.setdefault(id(store), (store, set(), set()))
        ids.update(snapshot.stored_ids(paths))  # type: ignore[attr-defined]
        tips.update(snapshot.fetch_tips)  # type: ignore[attr-defined]
    return sum(store.fetch(ids, tips) for store, ids, tips in stores.values())  # type: ignore[attr-defined]


_SKIP_DIRS = {".git", "node_modules", "__pycache__", ".venv", ".tox", ".mypy_cache", ".pytest_cache"}


def _git_blob_sha(data: bytes) -> str:
    import hashlib  # imported on use: loading OpenSSL costs a git run that needs no digest

    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


_SCHEMA_SUFFIXES = (".proto", ".json", ".yaml", ".yml")


class DirectorySnapshot:
    """A plain directory (``schemacheck NEW --against OLD`` outside git).

    A symbolic link whose target stays inside the directory is followed. A schema file that is
    a link leaving the directory, a dangling link or not a regular file (FIFO, device) is an
    input error when the directory is listed; other such entries are left out.
    """

    def __init__(self, root: str | os.PathLike[str], label: str | None = None) -> None:
        self.root = Path(root)
        self.label = label or str(root)
        self._paths: list[str] | None = None
        self._ids: dict[str, str] = {}
        self._dirs: dict[str, str | None] = {}  # for _inside

    def paths(self) -> Iterable[str]:
        if self._paths is None:
            from .errors import UsageError

            found: list[str] = []
            for dirpath, dirnames, filenames in os.walk(self.root):  # never descends into linked dirs
                dirnames[:] = sorted(d for d in dirnames if d not in _SKIP_DIRS)
                rel = Path(dirpath).relative_to(self.root)
                for name in sorted(filenames):
                    path = (rel / name).as_posix() if str(rel) != "." else name
                    try:
                        _inside(self.root, path, follow_symlinks=True)
                    except UnsafePath as exc:
                        if name.lower().endswith(_SCHEMA_SUFFIXES):
                            raise UsageError(f"{self.label.rstrip('/')}/{path} {exc.reason}",
                                             tip="schemacheck reads only regular files inside the directories it "
                                                 "compares: replace the entry with a copy of the file, or remove it.") \
                                from None
                        continue
                    except OSError:
                        continue
                    found.append(path)
            self._paths = found
        return self._paths

    def read(self, path: str) -> bytes:
        return read_inside(self.root, path, dirs=self._dirs)

    def exists(self, path: str) -> bool:
        return is_regular_inside(self.root, path, dirs=self._dirs)

    def blob_id(self, path: str) -> str | None:
        if path not in self._ids:
            self._ids[path] = _git_blob_sha(self.read(path))
        return self._ids[path]


class SingleFileSnapshot:
    """One file presented under a chosen name (``new.proto --against old.proto``).

    The file was named on the command line, so a link to it is followed, but it must be a
    regular file (a FIFO would block).
    """

    def __init__(self, file: str | os.PathLike[str], name: str, label: str | None = None) -> None:
        self.file = Path(file)
        self.name = name
        self.label = label or str(file)

    def paths(self) -> Iterable[str]:
        return [self.name]

    def read(self, path: str) -> bytes:
        if path != self.name:
            raise FileNotFoundError(path)
        real = self.file.resolve()
        return read_inside(real.parent, real.name)

    def exists(self, path: str) -> bool:
        return path == self.name

    def blob_id(self, path: str) -> str | None:
        return _git_blob_sha(self.read(path))
