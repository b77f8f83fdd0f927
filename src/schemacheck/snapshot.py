"""A read-only view of a file tree at one revision: the only way code reads schema files.

Maintainers: the runner and format checkers see a :class:`Snapshot`, never git or the file
system directly, so a base revision, the index, the work tree and a plain directory are
interchangeable. Git-backed snapshots live in ``revisions.py``; this module has the
protocol and the plain-directory implementation. Paths are POSIX, relative to the root.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Protocol, runtime_checkable

__all__ = ["Snapshot", "DirectorySnapshot", "SingleFileSnapshot", "MAX_FILE_BYTES"]

#: Files larger than this are refused with a clear error instead of being parsed.
MAX_FILE_BYTES = 64 * 1024 * 1024


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


_SKIP_DIRS = {".git", "node_modules", "__pycache__", ".venv", ".tox", ".mypy_cache", ".pytest_cache"}


def _git_blob_sha(data: bytes) -> str:
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


class DirectorySnapshot:
    """A plain directory (``schemacheck NEW --against OLD`` outside git)."""

    def __init__(self, root: str | os.PathLike[str], label: str | None = None) -> None:
        self.root = Path(root)
        self.label = label or str(root)
        self._paths: list[str] | None = None
        self._ids: dict[str, str] = {}

    def paths(self) -> Iterable[str]:
        if self._paths is None:
            found: list[str] = []
            for dirpath, dirnames, filenames in os.walk(self.root):
                dirnames[:] = sorted(d for d in dirnames if d not in _SKIP_DIRS)
                rel = Path(dirpath).relative_to(self.root)
                for name in sorted(filenames):
                    found.append((rel / name).as_posix() if str(rel) != "." else name)
            self._paths = found
        return self._paths

    def _resolve(self, path: str) -> Path:
        full = (self.root / path).resolve()
        root = self.root.resolve()
        if full != root and root not in full.parents:
            raise FileNotFoundError(path)
        return full

    def read(self, path: str) -> bytes:
        full = self._resolve(path)
        if not full.is_file():
            raise FileNotFoundError(path)
        return full.read_bytes()

    def exists(self, path: str) -> bool:
        try:
            return self._resolve(path).is_file()
        except FileNotFoundError:
            return False

    def blob_id(self, path: str) -> str | None:
        if path not in self._ids:
            self._ids[path] = _git_blob_sha(self.read(path))
        return self._ids[path]


class SingleFileSnapshot:
    """One file presented under a chosen name (``new.proto --against old.proto``)."""

    def __init__(self, file: str | os.PathLike[str], name: str, label: str | None = None) -> None:
        self.file = Path(file)
        self.name = name
        self.label = label or str(file)

    def paths(self) -> Iterable[str]:
        return [self.name]

    def read(self, path: str) -> bytes:
        if path != self.name:
            raise FileNotFoundError(path)
        return self.file.read_bytes()

    def exists(self, path: str) -> bool:
        return path == self.name

    def blob_id(self, path: str) -> str | None:
        return _git_blob_sha(self.read(path))
