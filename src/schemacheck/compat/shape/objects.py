"""Object content models: what an object accepts under a name it does not declare.

Maintainers: the definitions follow Confluent's (reference §1.5). *Open*: no
``patternProperties`` and ``additionalProperties``/``unevaluatedProperties`` absent or
``true``. *Closed*: the catch-all is ``false``. *Partially open*: a catch-all schema exists
(a matching ``patternProperties`` entry first, else ``additionalProperties``, else
``unevaluatedProperties``); tuples likewise with ``items``/``unevaluatedItems``. Also here:
which properties were added or removed, and which removed/added pairs are likely renames
(same schema, same object, one of each).
"""

from __future__ import annotations

import re

from ...shape.nodes import AnyShape, ArrayShape, NeverShape, ObjectShape, Property, Shape
from ...shape.values import deref

__all__ = [
    "required_names",
    "rest_items",
    "catch_all",
    "catch_all_rest",
    "model_of",
    "added_properties",
    "removed_properties",
    "likely_renames",
    "OPEN",
    "CLOSED",
    "PARTIAL",
]

OPEN, CLOSED, PARTIAL = "open", "closed", "partially open"
_ANY = AnyShape()


def required_names(obj: ObjectShape) -> set[str]:
    """Every name ``required`` lists, declared as a property or not."""
    return {p.name for p in obj.properties if p.required} | set(obj.extra_required)


def rest_items(array: ArrayShape) -> Shape | None:
    """The schema of positions after the tuple part (``items``, else ``unevaluatedItems``)."""
    return array.items if array.items is not None else array.unevaluated_items


def catch_all_rest(obj: ObjectShape) -> Shape | None:
    """The schema of undeclared names no pattern matches (``None`` when nothing says)."""
    return obj.additional if obj.additional is not None else obj.unevaluated


def _search(pattern: str, name: str) -> bool:
    try:
        return re.search(pattern, name) is not None
    except re.error:
        return False


def catch_all(obj: ObjectShape, name: str) -> Shape:
    """What ``obj`` accepts as the value of an undeclared property ``name``."""
    for pattern, shape in obj.pattern_properties:
        if _search(pattern, name):
            return shape
    rest = catch_all_rest(obj)
    return _ANY if rest is None else rest


def model_of(shape: Shape) -> str:
    """``open``, ``closed`` or ``partially open`` for a catch-all returned by :func:`catch_all`."""
    target = deref(shape)
    if isinstance(target, AnyShape):
        return OPEN
    if isinstance(target, NeverShape):
        return CLOSED
    return PARTIAL


def likely_renames(old: ObjectShape, new: ObjectShape) -> tuple[tuple[str, str], ...]:
    """Removed/added property pairs with equal, non-trivial schemas, matched one to one."""
    new_names = {p.name for p in new.properties}
    old_names = {p.name for p in old.properties}
    removed = [p for p in old.properties if p.name not in new_names and not _trivial(p.shape)]
    added = [p for p in new.properties if p.name not in old_names and not _trivial(p.shape)]
    if not removed or not added:
        return ()
    try:  # group by schema (hash) so thousands of properties stay linear
        added_by: dict[Shape, list[Property]] = {}
        removed_by: dict[Shape, int] = {}
        for p in added:
            added_by.setdefault(p.shape, []).append(p)
        for p in removed:
            removed_by[p.shape] = removed_by.get(p.shape, 0) + 1
    except (TypeError, ValueError):  # an unhashable value somewhere: pair one by one
        return _renames_by_scan(removed, added)
    pairs: list[tuple[str, str]] = []
    for gone in removed:
        cands = added_by.get(gone.shape, [])
        if len(cands) == 1 and removed_by[gone.shape] == 1:
            pairs.append((gone.name, cands[0].name))
    return tuple(pairs)


def _renames_by_scan(removed: list[Property], added: list[Property]) -> tuple[tuple[str, str], ...]:
    pairs: list[tuple[str, str]] = []
    for gone in removed:
        cands = [p for p in added if p.shape == gone.shape]
        if len(cands) == 1 and len([p for p in removed if p.shape == cands[0].shape]) == 1:
            pairs.append((gone.name, cands[0].name))
    return tuple(pairs)


def _trivial(shape: Shape) -> bool:
    return isinstance(shape, (AnyShape, NeverShape))


def removed_properties(old: ObjectShape, new: ObjectShape, renames: tuple[tuple[str, str], ...] = ()
                       ) -> list[Property]:
    """Properties of ``old`` that ``new`` no longer declares (renamed ones excluded)."""
    renamed = {a for a, _ in renames}
    return [p for p in old.properties if new.prop(p.name) is None and p.name not in renamed]


def added_properties(old: ObjectShape, new: ObjectShape, renames: tuple[tuple[str, str], ...] = ()
                     ) -> list[Property]:
    """Properties ``new`` declares that ``old`` did not (renamed ones excluded)."""
    renamed = {b for _, b in renames}
    return [p for p in new.properties if old.prop(p.name) is None and p.name not in renamed]
