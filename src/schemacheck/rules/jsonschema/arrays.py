"""Array keywords besides bounds and tuple positions: ``uniqueItems`` and ``contains``.

Maintainers: when ``contains`` exists on both sides the engine recurses into it (a reader's
``contains`` must accept what the writer's guarantees); these rules only see it appear or go.
"""

from __future__ import annotations

from collections.abc import Iterator

from ...compat.shape.pair import Issue, ShapePair
from ._common import BACK, FWD, shape_rule


@shape_rule("UNIQUE_ITEMS_ADDED", family="ARRAY", breaks=BACK)
def unique_items_added(pair: ShapePair) -> Iterator[Issue]:
    """`uniqueItems: true` was added to an array.

    ## What it does
    Flags an array schema that now forbids duplicate items.

    ## Why is this breaking?
    Old documents with duplicates are rejected by readers on the new schema (BACKWARD).

    ## Example
    Before: `{"type": "array"}`. After: `{"type": "array", "uniqueItems": true}`.

    ## How to change this safely
    De-duplicate stored data and producers first.
    """
    if pair.new.unique_items and not pair.old.unique_items:
        yield pair.issue(f"The uniqueItems constraint was added to {pair.where}; {pair.direction.victims} with duplicate items.", keywords=("uniqueItems",))


@shape_rule("UNIQUE_ITEMS_REMOVED", family="ARRAY", breaks=FWD)
def unique_items_removed(pair: ShapePair) -> Iterator[Issue]:
    """`uniqueItems: true` was removed from an array.

    ## What it does
    Flags an array schema that now allows duplicate items.

    ## Why is this breaking?
    New documents may contain duplicates that readers still on the old schema reject (FORWARD).

    ## Example
    Before: `{"type": "array", "uniqueItems": true}`. After: `{"type": "array"}`.

    ## How to change this safely
    Upgrade readers first; under BACKWARD this change is allowed.
    """
    if pair.old.unique_items and not pair.new.unique_items:
        yield pair.issue(f"The uniqueItems constraint was removed from {pair.where}; {pair.direction.victims} with duplicate items.", keywords=("uniqueItems",))


@shape_rule("CONTAINS_ADDED", family="ARRAY", breaks=BACK)
def contains_added(pair: ShapePair) -> Iterator[Issue]:
    """A `contains` constraint was added to an array.

    ## What it does
    Flags an array that must now contain at least one item matching a schema.

    ## Why is this breaking?
    Old arrays without such an item are rejected by readers on the new schema (BACKWARD).

    ## Example
    Before: `{"type": "array"}`. After: `{"type": "array", "contains": {"const": "primary"}}`.

    ## How to change this safely
    Make sure every stored array satisfies it before adding the constraint.
    """
    if pair.old.contains is None and pair.new.contains is not None:
        yield pair.issue(f"A contains constraint was added to {pair.where}; {pair.direction.victims}.", new=pair.new.contains)


@shape_rule("CONTAINS_REMOVED", family="ARRAY", breaks=FWD)
def contains_removed(pair: ShapePair) -> Iterator[Issue]:
    """The `contains` constraint of an array was removed.

    ## What it does
    Flags an array that no longer has to contain a matching item.

    ## Why is this breaking?
    New arrays may lack the item that readers still on the old schema require (FORWARD).

    ## Example
    Before: `{"type": "array", "contains": {"const": "primary"}}`. After: `{"type": "array"}`.

    ## How to change this safely
    Upgrade readers first; under BACKWARD this change is allowed.
    """
    if pair.old.contains is not None and pair.new.contains is None:
        yield pair.issue(f"The contains constraint was removed from {pair.where}; {pair.direction.victims}.", old=pair.old.contains)
