"""Read-only import sources outside the repository: buf's module cache, Python packages, roots.

Maintainers: "nothing outside the repository is read" has exactly three named exceptions, all
for ``.proto`` imports the repository does not contain, all read-only and never fetched:

* a buf module cache directory holding a dependency at the commit ``buf.lock`` pins
  (``$BUF_CACHE_DIR/v3/modules/<digest type>/<registry>/<owner>/<name>/<commit>/files``;
  ``compat/protobuf/bufdeps.py`` decides which directories);
* ``.proto`` files that installed Python distributions list in their ``RECORD``
  (``googleapis-common-protos`` ships ``google/api/*.proto``), found through
  ``importlib.metadata`` without importing the packages;
* absolute directories the user configured (``extra-import-roots``).

A file is found by import name only (never by a path taken from input: names go through
``snapshot.unsafe_reason`` first), must be a regular file whose real path stays inside its
source directory (no symlink leads out), and is read up to the lexer's size limit. Its blob id
is a digest of its content, so every cache key that covers it changes when it does.
"""

from __future__ import annotations

import functools
import hashlib
import os
import stat
from dataclasses import dataclass, field

from ...snapshot import unsafe_reason

__all__ = ["ExternalDir", "ImportSources", "EXTERNAL_PREFIX", "is_external"]

#: Paths of files read from an external source look like ``<buf:buf.build/o/m>/google/api/x.proto``.
EXTERNAL_PREFIX = "<"
_MAX_BYTES = 16 * 1024 * 1024  # the lexer's limit: a larger file could not be parsed anyway


def is_external(path: str) -> bool:
    """Whether a compiled file's path names an external source (or the bundled types), not the snapshot."""
    return path.startswith(EXTERNAL_PREFIX)


@dataclass(frozen=True, slots=True)
class ExternalDir:
    """One directory on disk whose files are imported by their path relative to it.

    Attributes:
        label: How paths and messages name it (``buf:buf.build/googleapis/googleapis``).
        directory: Absolute path of the directory.
    """

    label: str
    directory: str

    def file_for(self, name: str) -> str | None:
        """The absolute path of import ``name`` in this directory, if it is a regular file inside it."""
        candidate = os.path.join(self.directory, *name.split("/"))
        try:
            st = os.lstat(candidate)
        except (OSError, ValueError):
            return None
        if not stat.S_ISREG(st.st_mode):
            return None
        real_dir = os.path.realpath(self.directory)
        real = os.path.realpath(candidate)
        if os.path.commonpath([real_dir, real]) != real_dir:  # a linked directory on the way leads out
            return None
        return candidate


def _read_regular(path: str) -> bytes:
    """The bytes of a regular file, opened without following a final symlink, size-bounded."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    fd = os.open(path, flags)
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise FileNotFoundError(path)
        if st.st_size > _MAX_BYTES:
            raise OSError(f"{path}: larger than {_MAX_BYTES // (1024 * 1024)} MiB")
        with os.fdopen(fd, "rb", closefd=False) as handle:
            return handle.read(_MAX_BYTES + 1)
    finally:
        os.close(fd)


@functools.lru_cache(maxsize=1)
def _package_protos() -> dict[str, tuple[str, str]]:
    """Import name -> (distribution label, absolute path) of every ``.proto`` file that an
    installed distribution lists, relative to the directory it is installed in. The first
    distribution listing a name wins (``importlib.metadata`` order: ``sys.path`` order). Listed
    once per process: both revisions of a run share it."""
    from importlib import metadata

    found: dict[str, tuple[str, str]] = {}
    for dist in metadata.distributions():
        try:
            files = dist.files or ()
            name = dist.metadata["Name"] or "?"
        except Exception:  # a broken RECORD or METADATA: that distribution contributes nothing
            continue
        for entry in files:
            rel = entry.as_posix() if hasattr(entry, "as_posix") else str(entry)
            if not rel.endswith(".proto") or unsafe_reason(rel) is not None or rel in found:
                continue
            try:
                found[rel] = (f"python:{name}", str(entry.locate()))
            except Exception:
                continue
    return found


@dataclass(slots=True)
class ImportSources:
    """Where imports that no repository root holds are looked up, in order.

    Attributes:
        buf_dirs: buf module cache directories of the locked dependencies that are present.
        python_packages: Look in installed Python distributions' ``.proto`` files.
        extra_dirs: Absolute directories the user configured.
    """

    buf_dirs: tuple[ExternalDir, ...] = ()
    python_packages: bool = False
    extra_dirs: tuple[ExternalDir, ...] = ()
    _found: dict[str, tuple[str, str] | None] = field(default_factory=dict, repr=False)
    _blobs: dict[str, tuple[str, bytes]] = field(default_factory=dict, repr=False)

    def find(self, name: str) -> tuple[str, str] | None:
        """(label, absolute path) of import ``name``, or None. ``name`` must be a safe relative name."""
        if name in self._found:
            return self._found[name]
        hit = None
        if unsafe_reason(name) is None:
            hit = self._in_dirs(self.buf_dirs, name) or self._in_packages(name) or self._in_dirs(self.extra_dirs, name)
        self._found[name] = hit
        return hit

    @staticmethod
    def _in_dirs(dirs: tuple[ExternalDir, ...], name: str) -> tuple[str, str] | None:
        for source in dirs:
            path = source.file_for(name)
            if path is not None:
                return source.label, path
        return None

    def _in_packages(self, name: str) -> tuple[str, str] | None:
        if not self.python_packages:
            return None
        hit = _package_protos().get(name)
        if hit is None:
            return None
        label, path = hit
        directory = path[: -len(name)].rstrip("/\\") or "/"
        return (label, path) if ExternalDir(label, directory).file_for(name) == path else None

    def path_for(self, name: str) -> str | None:
        """The compiled-file path of import ``name`` (``<label>/name``), or None."""
        hit = self.find(name)
        return f"<{hit[0]}>/{name}" if hit is not None else None

    def read(self, path: str) -> tuple[bytes, str]:
        """Content and content-digest blob id of a ``<label>/name`` path made by :meth:`path_for`."""
        cached = self._blobs.get(path)
        if cached is not None:
            return cached[1], cached[0]
        label, _, name = path[1:].partition(">/")
        hit = self.find(name)
        if hit is None or hit[0] != label:
            raise FileNotFoundError(path)
        data = _read_regular(hit[1])
        blob = "ext:" + hashlib.sha1(data).hexdigest()
        self._blobs[path] = (blob, data)
        return data, blob

    def directories(self) -> list[str]:
        """Every directory of the sources, in lookup order (for ``protoc -I``)."""
        dirs = [d.directory for d in self.buf_dirs]
        if self.python_packages:
            dirs += sorted({path[: -len(name)].rstrip("/\\") for name, (_, path) in _package_protos().items()})
        return dirs + [d.directory for d in self.extra_dirs]
