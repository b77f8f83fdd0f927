"""Import names of one revision's protobuf files, answered by lookup rather than by listing.

Maintainers: :class:`~.image.Image` needs "is there a file with import name N on this side?"
(``FILE_NO_DELETE``, counterparts of changed files) and, for deleted files, "which names did
the base have that the head lacks?". Listing every ``.proto`` of a monorepo for that would make
a one-file check cost the repository: ``in`` here tries the few paths a name can have (one per
import root), and ``old - new`` looks only at the changed files when both sides lay their files
out alike (same roots and buf modules), because an unchanged file is the same file, under the
same name, on both sides. Anything else lists the side (``by_path``, iteration).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence, Set
from typing import TYPE_CHECKING

from ...formats.protobuf import import_name

if TYPE_CHECKING:
    from ...snapshot import Snapshot

__all__ = ["ImportNames"]


class ImportNames(Set[str]):
    """Import names of ``paths`` (one side's protobuf files) under ``roots``.

    Args:
        paths: The side's files (membership must be cheap; iteration may list).
        roots: The side's import roots.
        snapshot: The side (kept for callers that read the files).
        changed: The side's changed files (targets and deletions) among ``paths``.
        same_layout: Both sides have the same roots and buf modules (see the module comment).
    """

    def __init__(self, paths: Sequence[str], roots: tuple[str, ...], snapshot: Snapshot | None = None,
                 changed: set[str] | None = None, same_layout: bool = False) -> None:
        self.paths, self.roots, self.snapshot = paths, tuple(roots), snapshot
        self.changed = set(changed or ())
        self.same_layout = same_layout
        self._all: frozenset[str] | None = None

    @classmethod
    def _from_iterable(cls, items) -> frozenset[str]:  # results of the Set mixin operators
        return frozenset(items)

    def _candidates(self, name: str) -> list[str]:
        found = [name if root.strip("/") in ("", ".") else f"{root.strip('/')}/{name}" for root in self.roots]
        return [*found, name] if name not in found else found

    def __contains__(self, name: object) -> bool:
        if not isinstance(name, str):
            return False
        if self._all is not None:
            return name in self._all
        return any(p in self.paths and import_name(p, self.roots) == name for p in self._candidates(name))

    def by_path(self) -> list[tuple[str, str]]:
        """(path, import name) of every file (lists the side)."""
        return [(p, import_name(p, self.roots)) for p in self.paths]

    def _everything(self) -> frozenset[str]:
        if self._all is None:
            self._all = frozenset(n for _, n in self.by_path())
        return self._all

    def __iter__(self) -> Iterator[str]:
        return iter(self._everything())

    def __len__(self) -> int:
        return len(self._everything())

    def __sub__(self, other: Set[str]) -> frozenset[str]:  # type: ignore[override]
        if (isinstance(other, ImportNames) and self.same_layout and other.same_layout
                and self.roots == other.roots):
            names = {import_name(p, self.roots) for p in self.changed}
            return frozenset(n for n in names if n in self and n not in other)
        return frozenset(self) - frozenset(other)
