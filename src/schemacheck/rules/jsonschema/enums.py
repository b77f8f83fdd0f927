"""``enum`` and ``const``: the finite set of allowed values shrank, grew or changed.

Maintainers: the engine calls the ``ENUM`` family when either side is an :class:`EnumShape`;
``type`` + ``enum`` already arrives as one enum (no synthetic ``allOf``, so the message names
the values). Values are compared as canonical JSON; against a non-enum side, acceptance is
decided by :func:`~schemacheck.shape.values.accepts`.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from ...compat.shape.pair import Issue, ShapePair
from ...shape.nodes import BooleanShape, EnumShape, NeverShape, NullShape, Shape, UnionShape
from ...shape.values import accepts, deref
from ._common import BACK, BOTH, FWD, shape_rule

_OTHER = "<values outside the enum>"


def _values(shape: Shape) -> list[str] | None:
    """The finite value set of a shape as canonical JSON, or ``None`` when it is not finite."""
    shape = deref(shape)
    if isinstance(shape, EnumShape):
        return list(shape.values)
    if isinstance(shape, NullShape):
        return ["null"]
    if isinstance(shape, BooleanShape):
        return ["false", "true"]
    if isinstance(shape, NeverShape):
        return []
    if isinstance(shape, UnionShape):  # oneOf of consts: a documented enum
        parts = [_values(b) for b in shape.branches]
        if all(p is not None for p in parts):
            return list(dict.fromkeys(v for p in parts for v in p))  # type: ignore[union-attr]
    return None


def _lost(source: Shape, target: Shape) -> list[str]:
    """Values ``source`` accepts that ``target`` rejects (``[_OTHER]`` when ``source`` is infinite)."""
    values = _values(source)
    if values is None:
        return [_OTHER]
    return [v for v in values if accepts(target, json.loads(v)) is False]


def _delta(pair: ShapePair) -> tuple[list[str], list[str]]:
    return _lost(pair.old, pair.new), _lost(pair.new, pair.old)


def _names(values: list[str]) -> str:
    return ", ".join(values[:5]) + (", ..." if len(values) > 5 else "")


def _label(pair: ShapePair) -> str:
    both = [deref(s) for s in (pair.old, pair.new)]
    return "const" if any(isinstance(s, EnumShape) and s.const for s in both) else "enum"


@shape_rule("ENUM_ARRAY_NARROWED", family="ENUM", breaks=BACK)
def enum_array_narrowed(pair: ShapePair) -> Iterator[Issue]:
    """Values were removed from an `enum` (or an `enum` now restricts a plain type).

    ## What it does
    Flags an enum that lost values and gained none, and a plain schema that became an enum.

    ## Why is this breaking?
    Old documents may hold a removed value, which readers on the new schema reject (BACKWARD).

    ## Example
    Before: `{"enum": ["draft", "sent", "paid"]}`. After: `{"enum": ["draft", "paid"]}`.

    ## How to change this safely
    Keep the value in the enum and mark it deprecated in `description`; stop producing it first.
    """
    lost, gained = _delta(pair)
    if lost and not gained:
        yield pair.issue(f"The {_label(pair)} of {pair.where} no longer accepts {_names(lost)}; {pair.direction.victims}.", keywords=("enum", "const"))


@shape_rule("ENUM_ARRAY_EXTENDED", family="ENUM", breaks=FWD)
def enum_array_extended(pair: ShapePair) -> Iterator[Issue]:
    """Values were added to an `enum` (or the `enum` restriction was lifted).

    ## What it does
    Flags an enum that gained values and lost none.

    ## Why is this breaking?
    New documents may hold the new value, which readers still on the old schema reject
    (FORWARD). Code generated from the old enum often fails on unknown values too.

    ## Example
    Before: `{"enum": ["card", "cash"]}`. After: `{"enum": ["card", "cash", "voucher"]}`.

    ## How to change this safely
    Upgrade readers (and make them tolerate unknown values) before producers emit the new value.
    """
    lost, gained = _delta(pair)
    if gained and not lost:
        yield pair.issue(f"The {_label(pair)} of {pair.where} now also accepts {_names(gained)}; "
                         f"{pair.direction.victims}.", keywords=("enum", "const"))


@shape_rule("ENUM_ARRAY_CHANGED", family="ENUM", breaks=BOTH)
def enum_array_changed(pair: ShapePair) -> Iterator[Issue]:
    """An `enum` or `const` both lost and gained values.

    ## What it does
    Flags an enum or const whose value set changed in both ways (`const: "v1"` → `const: "v2"`).

    ## Why is this breaking?
    Each side accepts values the other rejects, so both directions break.

    ## Example
    Before: `{"const": "v1"}`. After: `{"const": "v2"}`.

    ## How to change this safely
    Add the new values first (a FORWARD-breaking step), migrate, then remove the old ones.
    """
    lost, gained = _delta(pair)
    if lost and gained:
        yield pair.issue(f"The {_label(pair)} of {pair.where} changed: {_names(lost)} no longer accepted, "
                         f"{_names(gained)} newly accepted; {pair.direction.victims}.", keywords=("enum", "const"))
