"""Which files of each revision a run may look at, asked path by path instead of listed.

Maintainers: with git's change set, a check of one file must cost what that file costs, not
what the repository holds. :class:`Scope` answers "is this path a file of this side, inside
include/exclude/PATH?" through the snapshot's own lookup (git snapshots walk tree objects;
nothing is listed), and lists a side (``Snapshot.paths()``) only when something iterates it.
:class:`FormatPaths` is a format's files on one side in that style: membership is a lookup and a
``claims`` answer, iteration lists the side once per run (shared by every format). A format
that only looks at its changed files and what they import never lists a tree.
"""

from __future__ import annotations

from collections.abc import Callable, Container, Iterator, Sequence
from typing import TYPE_CHECKING, overload

from .globs import is_under, matches_any

if TYPE_CHECKING:
    from .config import Settings
    from .snapshot import Snapshot

__all__ = ["Scope", "FormatPaths", "narrow", "lookup", "in_scope"]


def in_scope(path: str, settings: Settings, limit_to: tuple[str, ...]) -> bool:
    """Whether ``path`` passes the shared ``include``/``exclude`` globs and the PATH arguments."""
    if settings.include and not matches_any(path, settings.include):
        return False
    if settings.exclude and matches_any(path, settings.exclude):
        return False
    if limit_to and not any(is_under(path, p) for p in limit_to):
        return False
    return True


class Scope:
    """Both revisions as the shared scope sees them; each side listed at most once, on demand."""

    def __init__(self, base: Snapshot, head: Snapshot, settings: Settings, limit_to: tuple[str, ...]) -> None:
        self.sides = {False: base, True: head}
        self.settings, self.limit_to = settings, limit_to
        self.unscoped = not (settings.include or settings.exclude or limit_to)
        self._trees: dict[bool, list[str]] = {}
        self._scoped: dict[bool, list[str]] = {}
        self._sets: dict[bool, set[str]] = {}

    def allows(self, path: str) -> bool:
        return self.unscoped or in_scope(path, self.settings, self.limit_to)

    def on(self, path: str, head: bool) -> bool:
        """Whether ``path`` is a file of that side inside the scope (a lookup, no listing)."""
        if head in self._scoped and self.unscoped:
            return path in self._set(head)
        return self.allows(path) and self.sides[head].exists(path)

    def tree(self, head: bool) -> list[str]:
        """Every path of that side (listed on first use)."""
        if head not in self._trees:
            self._trees[head] = list(self.sides[head].paths())
        return self._trees[head]

    def _under_paths(self, head: bool) -> list[str] | None:
        """With PATH arguments, the side's paths under them, listed with pathspecs (or None)."""
        under = getattr(self.sides[head], "paths_under", None)
        if not self.limit_to or under is None or head in self._trees:
            return None
        return sorted({p for prefix in self.limit_to for p in under(prefix)})

    def scoped(self, head: bool) -> list[str]:
        """The side's paths inside the scope (listed on first use)."""
        if head not in self._scoped:
            tree = self._under_paths(head)
            tree = self.tree(head) if tree is None else tree
            self._scoped[head] = tree if self.unscoped else [p for p in tree if self.allows(p)]
        return self._scoped[head]

    def _set(self, head: bool) -> set[str]:
        if head not in self._sets:
            self._sets[head] = set(self.scoped(head))
        return self._sets[head]


class FormatPaths(Sequence[str]):
    """One format's files on one side: ``in`` is a lookup, iteration lists (once) and claims.

    Args:
        listing: The candidates, listed when first iterated.
        member: Whether one path belongs (must agree with the listing filtered by it).
    """

    def __init__(self, listing: Callable[[], Sequence[str]], member: Callable[[str], bool]) -> None:
        self._listing, self._member = listing, member
        self._items: tuple[str, ...] | None = None
        self._set: frozenset[str] = frozenset()
        self._answers: dict[str, bool] = {}

    def __contains__(self, path: object) -> bool:
        if not isinstance(path, str):
            return False
        if self._items is not None:
            return path in self._set
        if path not in self._answers:
            self._answers[path] = self._member(path)
        return self._answers[path]

    def _materialise(self) -> tuple[str, ...]:
        if self._items is None:
            items = tuple(p for p in self._listing() if self.__contains__(p))
            self._items, self._set = items, frozenset(items)
        return self._items

    @property
    def listed(self) -> bool:
        """Whether the listing was made (for tests and benchmarks)."""
        return self._items is not None

    def where(self, keep: Callable[[str], bool]) -> FormatPaths:
        """The paths that also pass ``keep``, as lazily."""
        return FormatPaths(lambda: self._materialise(), lambda p: p in self and keep(p))

    def passing(self, keep: Callable[[str], bool], among: Callable[[str], bool] = lambda p: True) -> list[str]:
        """The member paths that pass ``among`` and ``keep``, asked in that order, before membership.

        For a ``keep`` more selective than membership costs (a text search in an index before a
        format's claim): a listed side filters its members; an unlisted one lists the side
        without claiming every path (only those that pass are claimed).
        """
        if self._items is not None:
            return [p for p in self._items if among(p) and keep(p)]
        return [p for p in self._listing() if among(p) and keep(p) and p in self]

    def __iter__(self) -> Iterator[str]:
        return iter(self._materialise())

    def __len__(self) -> int:
        return len(self._materialise())

    @overload
    def __getitem__(self, index: int) -> str: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[str]: ...

    def __getitem__(self, index):  # type: ignore[no-untyped-def]
        return self._materialise()[index]

    def __bool__(self) -> bool:
        return bool(self._materialise())

    def __eq__(self, other: object) -> bool:
        return tuple(self) == tuple(other) if isinstance(other, Sequence) else NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"FormatPaths({self._items!r})" if self._items is not None else "FormatPaths(<not listed>)"


def lookup(paths: Sequence[str]) -> Container[str]:
    """``paths`` for membership tests: a :class:`FormatPaths` as it is (a lookup, no listing), else a set."""
    return paths if isinstance(paths, FormatPaths) else set(paths)


def narrow(paths: Sequence[str], keep: Callable[[str], bool]) -> Sequence[str]:
    """``paths`` that pass ``keep``: lazily for :class:`FormatPaths`, else as a tuple."""
    if isinstance(paths, FormatPaths):
        return paths.where(keep)
    return tuple(p for p in paths if keep(p))
