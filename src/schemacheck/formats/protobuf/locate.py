"""Finding and reading an import: repository roots, bundled types, external sources; missing ones.

Maintainers: the lookup order is (1) the import roots, inside the snapshot, as protoc's ``-I``;
(2) the bundled well-known types; (3) the read-only sources outside the repository of
:class:`.external.ImportSources` (buf module cache, installed Python packages, configured
directories), in that order. A compile that allows missing imports (``allow_missing``: the
checker's) records an import found nowhere in ``missing`` instead of failing, and the files
that can see it link unresolved type names to placeholders (:mod:`.linker`) and keep custom
options they cannot resolve uninterpreted (:mod:`.options`). A missing import is part of the
cache key as ``missing:<name>``, so the key changes once the file can be found.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from ...errors import SchemacheckError
from ...snapshot import unsafe_reason
from . import BUILTIN_PREFIX
from .external import is_external

__all__ = ["LocateMixin", "MissingImport", "WKT_DIR", "wkt_names", "import_position"]

#: Directory of the bundled well-known type sources (``google/protobuf/*.proto``).
WKT_DIR = Path(__file__).parent / "wkt"
_WKT_NAMES: frozenset[str] | None = None


def wkt_names() -> frozenset[str]:
    """Import names of the bundled files. Lookups go through this set, never through a path
    built from an import name, so no import can open a file outside the bundle."""
    global _WKT_NAMES
    if _WKT_NAMES is None:
        _WKT_NAMES = frozenset(p.relative_to(WKT_DIR).as_posix() for p in WKT_DIR.rglob("*.proto") if p.is_file())
    return _WKT_NAMES


@dataclass(frozen=True, slots=True)
class MissingImport:
    """An import found in no root and no source; the file importing it was checked without it.

    Attributes:
        name: The import as written.
        path: Repository path of the (first) file importing it.
        line: 1-based line of the import statement (0: unknown, e.g. read from the cache).
        column: 1-based column.
    """

    name: str
    path: str
    line: int = 0
    column: int = 0


def import_position(data: bytes, name: str) -> tuple[int, int]:
    """1-based line and column of the statement importing ``name`` in ``data``; (0, 0) if none."""
    quoted = (f'"{name}"', f"'{name}'")
    for number, line in enumerate(data.decode("utf-8", "replace").splitlines(), 1):
        stripped = line.lstrip()
        if stripped.startswith("import") and any(q in line for q in quoted):
            return number, len(line) - len(stripped) + 1
    return 0, 0


class LocateMixin:
    """Import lookup and file reading of the compiler's ``_Compilation``."""

    def has_file(self, path: str) -> bool:
        """Whether the snapshot holds ``path``: asked per lookup (git snapshots walk tree
        objects), so an import never makes a compile list the whole repository."""
        if self._index is None:
            self._index = {}
        found = self._index.get(path)
        if found is None:
            found = self._index[path] = path.endswith(".proto") and self.snapshot.exists(path)
        return found

    def locate(self, name: str) -> str | None:
        """The path of import ``name``: the first root holding it (as protoc's -I), else the
        bundled well-known types, else an external source (``<label>/name``)."""
        if unsafe_reason(name) is not None:  # absolute, '..', over-long: never a file of ours
            return None
        for root in self.roots:
            root = root.strip("/")
            path = name if root in ("", ".") else f"{root}/{name}"
            if self.has_file(path):
                return path
        if name in wkt_names():
            return BUILTIN_PREFIX + name
        if self.sources is not None:
            return self.sources.path_for(name)
        return None

    def read(self, path: str) -> tuple[bytes, str]:
        if path.startswith(BUILTIN_PREFIX):
            name = path[len(BUILTIN_PREFIX) :]
            if name not in wkt_names():
                raise FileNotFoundError(path)
            return (WKT_DIR / name).read_bytes(), "wkt:" + name
        if is_external(path):
            if self.sources is None:
                raise FileNotFoundError(path)
            return self.sources.read(path)
        data = self.snapshot.read(path)
        blob = self.snapshot.blob_id(path) or hashlib.sha1(data).hexdigest()
        return data, blob

    def blob(self, path: str) -> str:
        """The blob id of ``path``, reading the content only when the snapshot has no ids."""
        if path.startswith(BUILTIN_PREFIX):
            return "wkt:" + path[len(BUILTIN_PREFIX) :]
        if is_external(path):
            return self.read(path)[1]
        return self.snapshot.blob_id(path) or self.read(path)[1]

    def tolerate_missing(self, dep: str, importer: str, line: int = 0, col: int = 0) -> bool:
        """Record ``dep`` as missing if this compile allows it (a safe name found nowhere)."""
        if not self.allow_missing or unsafe_reason(dep) is not None:
            return False
        if dep not in self.missing:
            if not line:  # imports read from the cache carry no positions: find the statement
                try:
                    line, col = import_position(self.read(importer)[0], dep)
                except (OSError, ValueError, SchemacheckError):
                    pass
            self.missing[dep] = MissingImport(dep, importer, line, col)
        return True

    def sees_missing(self, visible: frozenset[str]) -> bool:
        """Whether a file that sees ``visible`` may refer to definitions of a missing import."""
        return bool(self.missing) and not visible.isdisjoint(self.missing)
