"""A lazy, cheap map of import name -> package for files that were not compiled.

Maintainers: package-scope rules (``PACKAGE_NO_DELETE`` …) must know that an *unchanged*
file still declares a package, but unchanged files are never compiled. This mapping reads
those files' ``package`` statement with a regular expression, and only on first access, so
runs that select no package-scope rule never read them. A file without a package statement
maps to ``""`` (buf's empty package).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ...snapshot import Snapshot

__all__ = ["PackageScan", "scan_package"]

_COMMENTS = re.compile(rb'//[^\n]*|/\*.*?\*/|"(?:\\.|[^"\\\n])*"|\'(?:\\.|[^\'\\\n])*\'', re.S)
_PACKAGE = re.compile(rb"(?:^|[;}\s])package\s+([A-Za-z_][\w.\s]*?)\s*;")


def _blank(match: re.Match[bytes]) -> bytes:
    text = match.group(0)
    return text if text[:1] in (b'"', b"'") else b" "


def scan_package(data: bytes) -> str:
    """The package a ``.proto`` source declares ('' when none), ignoring comments and strings."""
    stripped = _COMMENTS.sub(_blank, data)
    stripped = re.sub(rb'"(?:\\.|[^"\\\n])*"|\'(?:\\.|[^\'\\\n])*\'', b'""', stripped)
    match = _PACKAGE.search(stripped)
    if match is None:
        return ""
    return re.sub(r"\s+", "", match.group(1).decode("utf-8", "replace"))


class PackageScan(Mapping[str, str]):
    """Import name -> package of ``paths`` in ``snapshot``, read on first access.

    Args:
        snapshot: The revision to read.
        paths: Repository paths to scan (the files that were not compiled).
        names: Their import names, in the same order.
    """

    def __init__(self, snapshot: Snapshot, paths: Iterable[str], names: Iterable[str]) -> None:
        self._snapshot = snapshot
        self._paths, self._names = paths, names  # zipped on first access: they may list a tree
        self._pairs: list[tuple[str, str]] | None = None
        self._data: dict[str, str] | None = None

    @property
    def _todo(self) -> list[tuple[str, str]]:
        """(import name, path) pairs to scan, made on first use (the lists may list a tree)."""
        if not isinstance(self._pairs, list):
            self._pairs = list(zip(self._names, self._paths))
        return self._pairs

    def _load(self) -> dict[str, str]:
        if self._data is None:
            data: dict[str, str] = {}
            for name, path in self._todo:
                try:
                    data[name] = scan_package(self._snapshot.read(path))
                except (OSError, KeyError, ValueError):
                    continue  # unreadable: the compile diagnostics will say why
            self._data = data
        return self._data

    def __getitem__(self, key: str) -> str:
        return self._load()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._load())

    def __len__(self) -> int:
        return len(self._load())
