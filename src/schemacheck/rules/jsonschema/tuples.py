"""Tuple positions (``prefixItems``, or ``items: [...]`` before 2020-12) added or removed.

Maintainers: mirror of the object content model for positions (reference §1.4, "array
(tuple) content model"): an added position is judged by the old schema's rest (``items``
/ ``additionalItems``), a removed one by the new rest. There is no LENIENT relaxation for
arrays.
"""

from __future__ import annotations

from collections.abc import Iterator

from ...compat.shape.objects import CLOSED, OPEN, PARTIAL, model_of, rest_items
from ...compat.shape.pair import Direction, Issue, ShapePair
from ...shape.nodes import AnyShape, ArrayShape, Shape
from ...shape.values import is_any, is_never
from ._common import BACK, BOTH, FWD, shape_rule

_ANY = AnyShape()


def _rest(array: ArrayShape) -> Shape:
    rest = rest_items(array)
    return _ANY if rest is None else rest


def _added(pair: ShapePair, model: str) -> Iterator[tuple[int, Shape, Shape]]:
    """(index, new item, old rest) of positions the new tuple adds, when the old rest has ``model``."""
    rest = _rest(pair.old)
    if model_of(rest) == model:
        for i in range(len(pair.old.prefix_items), len(pair.new.prefix_items)):
            yield i, pair.new.prefix_items[i], rest


def _removed(pair: ShapePair, model: str) -> Iterator[tuple[int, Shape, Shape]]:
    """(index, old item, new rest) of positions the new tuple drops, when the new rest has ``model``."""
    rest = _rest(pair.new)
    if model_of(rest) == model:
        for i in range(len(pair.new.prefix_items), len(pair.old.prefix_items)):
            yield i, pair.old.prefix_items[i], rest


def _covered(pair: ShapePair, writer_old: Shape, new: Shape) -> bool:
    return pair.reads(writer_old, new) if pair.direction is Direction.BACKWARD else pair.reads(new, writer_old)


@shape_rule("ITEM_ADDED_TO_OPEN_CONTENT_MODEL", family="ARRAY", breaks=BACK)
def item_added_to_open_content_model(pair: ShapePair) -> Iterator[Issue]:
    """A typed tuple position was added where the old tuple allowed any further items.

    ## What it does
    Flags a new `prefixItems` position when the old schema had no `items`/`additionalItems` limit.

    ## Why is this breaking?
    Old arrays may already have any value at that position, which the new item schema rejects (BACKWARD).

    ## Example
    Before: `{"prefixItems": [{"type": "string"}]}`. After: `{"prefixItems": [{"type": "string"}, {"type": "integer"}]}`.

    ## How to change this safely
    Close the tuple (`items: false`) in an earlier version, then add positions.
    """
    for i, item, _ in _added(pair, OPEN):
        if not is_any(item):
            yield pair.issue(f"Tuple position {i} was added to {pair.where}, whose old tuple accepted any further item; "
                             f"{pair.direction.victims}.", new=item)


@shape_rule("ITEM_ADDED_TO_CLOSED_CONTENT_MODEL", family="ARRAY", breaks=FWD)
def item_added_to_closed_content_model(pair: ShapePair) -> Iterator[Issue]:
    """A tuple position was added where the old tuple allowed no further items.

    ## What it does
    Flags a new `prefixItems` position when the old schema had `items: false`.

    ## Why is this breaking?
    New, longer arrays are rejected by readers still on the old schema (FORWARD).

    ## Example
    Before: `{"prefixItems": [{}], "items": false}`. After: `{"prefixItems": [{}, {}], "items": false}`.

    ## How to change this safely
    Upgrade readers first; under BACKWARD this change is allowed.
    """
    for i, item, _ in _added(pair, CLOSED):
        if not is_never(item):
            yield pair.issue(f"Tuple position {i} was added to {pair.where}, whose old tuple allowed no further items; "
                             f"{pair.direction.victims}.", new=item)


@shape_rule("ITEM_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL", family="ARRAY", breaks=BOTH)
def item_added_not_covered(pair: ShapePair) -> Iterator[Issue]:
    """A tuple position was added whose schema disagrees with the old `items` schema for further positions.

    ## What it does
    Flags a new position when the old rest schema and the new item schema do not contain each
    other in the checked direction.

    ## Why is this breaking?
    Old arrays may hold rest-schema values there (BACKWARD), or old readers may reject the new
    item (FORWARD).

    ## Example
    Before: `{"prefixItems": [{}], "items": {"type": "string"}}`. After: `{"prefixItems": [{}, {"type": "integer"}], "items": {"type": "string"}}`.

    ## How to change this safely
    Use an item schema equal to the old rest schema, or close the tuple first.
    """
    for i, item, rest in _added(pair, PARTIAL):
        if not _covered(pair, rest, item):
            yield pair.issue(f"Tuple position {i} was added to {pair.where} with a schema that does not match the "
                             f"old schema of further items; {pair.direction.victims}.", new=item)


@shape_rule("ITEM_REMOVED_FROM_CLOSED_CONTENT_MODEL", family="ARRAY", breaks=BACK)
def item_removed_from_closed_content_model(pair: ShapePair) -> Iterator[Issue]:
    """A tuple position was removed and the new tuple allows no further items.

    ## What it does
    Flags a dropped `prefixItems` position when the new schema has `items: false`.

    ## Why is this breaking?
    Old arrays that have the position are now too long for readers on the new schema (BACKWARD).

    ## Example
    Before: `{"prefixItems": [{}, {}], "items": false}`. After: `{"prefixItems": [{}], "items": false}`.

    ## How to change this safely
    Keep the position (with a permissive schema) until no stored array has it.
    """
    for i, item, _ in _removed(pair, CLOSED):
        if not is_never(item):
            yield pair.issue(f"Tuple position {i} was removed from {pair.where}, whose new tuple allows no further "
                             f"items; {pair.direction.victims}.", old=item,
                             keywords=("prefixItems", "items"))


@shape_rule("ITEM_REMOVED_FROM_OPEN_CONTENT_MODEL", family="ARRAY", breaks=FWD)
def item_removed_from_open_content_model(pair: ShapePair) -> Iterator[Issue]:
    """A typed tuple position was removed and the new tuple accepts any further items.

    ## What it does
    Flags a dropped `prefixItems` position when the new schema has no `items` limit.

    ## Why is this breaking?
    New arrays may hold any value at that position, which readers still on the old schema reject (FORWARD).

    ## Example
    Before: `{"prefixItems": [{}, {"type": "integer"}]}`. After: `{"prefixItems": [{}]}`.

    ## How to change this safely
    Keep the position declared, or close the tuple.
    """
    for i, item, _ in _removed(pair, OPEN):
        if not is_any(item):
            yield pair.issue(f"Tuple position {i} was removed from {pair.where}, whose new tuple accepts any further "
                             f"item; {pair.direction.victims}.", old=item,
                             keywords=("prefixItems", "items"))


@shape_rule("ITEM_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL", family="ARRAY", breaks=BOTH)
def item_removed_not_covered(pair: ShapePair) -> Iterator[Issue]:
    """A tuple position was removed and the new `items` schema for further positions disagrees with it.

    ## What it does
    Flags a dropped position when its old schema and the new rest schema do not contain each
    other in the checked direction.

    ## Why is this breaking?
    Old values at that position must now pass the rest schema (BACKWARD), and values the rest
    schema allows must pass the old item schema (FORWARD).

    ## Example
    Before: `{"prefixItems": [{}, {"type": "integer"}], "items": {"type": "string"}}`. After: `{"prefixItems": [{}], "items": {"type": "string"}}`.

    ## How to change this safely
    Keep the position declared until no data has it.
    """
    for i, item, rest in _removed(pair, PARTIAL):
        if not _covered(pair, item, rest):
            yield pair.issue(f"Tuple position {i} was removed from {pair.where} and its old schema does not match the "
                             f"new schema of further items; {pair.direction.victims}.", old=item,
                             keywords=("prefixItems", "items"))
