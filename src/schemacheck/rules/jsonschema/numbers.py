"""``multipleOf`` with exact rational arithmetic (scale-insensitive: 0.5 = 0.50; 1e308 and 1e-308 fine).

Maintainers: a reader with ``multipleOf: r`` accepts every multiple of the writer's ``w``
exactly when ``w`` is a multiple of ``r``. So 4 → 2 (new divides old) keeps old data valid
(BACKWARD safe) and 2 → 4 does not; when neither divides the other both directions break.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from ...compat.shape.pair import Issue, ShapePair
from ...shape.values import is_multiple
from ._common import BACK, BOTH, FWD, shape_rule


def _divides(divisor: Decimal, value: Decimal) -> bool:
    return is_multiple(value, divisor) is True


def _relation(old: Decimal | None, new: Decimal | None) -> str:
    """``added``, ``removed``, ``expanded`` (new is a multiple of old), ``reduced``, ``changed`` or ``same``."""
    if old == new:
        return "same"
    if old is None or new is None:
        return "added" if old is None else "removed"
    if _divides(new, old):
        return "reduced"
    if _divides(old, new):
        return "expanded"
    return "changed"


def _text(pair: ShapePair) -> str:
    old, new = pair.old.multiple_of, pair.new.multiple_of
    return f"The multipleOf of {pair.where} went from {old if old is not None else 'unset'} to " \
           f"{new if new is not None else 'unset'}"


@shape_rule("MULTIPLE_OF_EXPANDED", family="NUMBER", breaks=BACK, aliases=("MULTIPLE_OF_ADDED",))
def multiple_of_expanded(pair: ShapePair) -> Iterator[Issue]:
    """`multipleOf` was added, or changed to a multiple of the old value (2 → 4).

    ## What it does
    Flags a number schema whose new `multipleOf` does not divide the old one.

    ## Why is this breaking?
    Old values such as 6 (a multiple of 2) are not multiples of 4, so readers on the new schema
    reject old documents (BACKWARD).

    ## Example
    Before: `{"type": "number", "multipleOf": 2}`. After: `{"type": "number", "multipleOf": 4}`.

    ## How to change this safely
    Keep a `multipleOf` that divides the old one (4 → 2, 0.01 → 0.001 is safe), or migrate data first.
    """
    if _relation(pair.old.multiple_of, pair.new.multiple_of) in ("added", "expanded"):
        yield pair.issue(f"{_text(pair)}, which no longer accepts every old value; {pair.direction.victims}.", keywords=("multipleOf",))


@shape_rule("MULTIPLE_OF_REDUCED", family="NUMBER", breaks=FWD, aliases=("MULTIPLE_OF_REMOVED",))
def multiple_of_reduced(pair: ShapePair) -> Iterator[Issue]:
    """`multipleOf` was removed, or changed to a divisor of the old value (4 → 2).

    ## What it does
    Flags a number schema whose new `multipleOf` is finer than (or absent compared to) the old one.

    ## Why is this breaking?
    New documents may hold values like 6 that old readers requiring multiples of 4 reject (FORWARD).

    ## Example
    Before: `{"type": "number", "multipleOf": 0.1}`. After: `{"type": "number", "multipleOf": 0.01}`.

    ## How to change this safely
    Upgrade readers before producers use the finer step; under BACKWARD this is allowed.
    """
    if _relation(pair.old.multiple_of, pair.new.multiple_of) in ("removed", "reduced"):
        yield pair.issue(f"{_text(pair)}, which allows values old readers reject; {pair.direction.victims}.", keywords=("multipleOf",))


@shape_rule("MULTIPLE_OF_CHANGED", family="NUMBER", breaks=BOTH)
def multiple_of_changed(pair: ShapePair) -> Iterator[Issue]:
    """`multipleOf` changed to a value that neither divides nor is a multiple of the old one (2 → 3).

    ## What it does
    Flags a number schema whose old and new `multipleOf` are unrelated by divisibility.

    ## Why is this breaking?
    Some values valid on each side are invalid on the other (6 vs 9), so both directions break.

    ## Example
    Before: `{"type": "integer", "multipleOf": 2}`. After: `{"type": "integer", "multipleOf": 3}`.

    ## How to change this safely
    Introduce a new property with the new step and deprecate the old one.
    """
    if _relation(pair.old.multiple_of, pair.new.multiple_of) == "changed":
        yield pair.issue(f"{_text(pair)}, and neither divides the other; {pair.direction.victims}.", keywords=("multipleOf",))
