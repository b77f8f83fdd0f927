"""JSON type changes: the set of types a schema accepts shrank, grew or moved.

Maintainers: the engine calls the ``TYPE`` family when a writer branch has no reader branch of
a compatible JSON type (and for integer ↔ number). The rules only compare type sets;
``integer`` ⊂ ``number`` is built into :func:`~schemacheck.shape.values.kinds`.
"""

from __future__ import annotations

from collections.abc import Iterator

from ...compat.shape.pair import Issue, ShapePair
from ...shape.values import describe, kinds
from ._common import BACK, BOTH, FWD, shape_rule


def _text(pair: ShapePair, verb: str) -> str:
    return f"The type of {pair.where} {verb} from {describe(pair.old)} to {describe(pair.new)}; {pair.direction.victims}."


@shape_rule("TYPE_NARROWED", family="TYPE", breaks=BACK)
def type_narrowed(pair: ShapePair) -> Iterator[Issue]:
    """The schema accepts fewer JSON types than before (`number` → `integer`, `[string, null]` → `string`).

    ## What it does
    Flags a schema whose accepted JSON types are a strict subset of the old ones, including
    any value (`{}`) becoming a typed schema and a schema becoming `false`.

    ## Why is this breaking?
    Old documents may hold a value of a type that was dropped, so readers on the new schema
    reject them (BACKWARD).

    ## Example
    Before: `{"type": ["string", "null"]}`. After: `{"type": "string"}`.

    ## How to change this safely
    Keep accepting the old types in the schema; stop producing them in code first.
    """
    old, new = kinds(pair.old), kinds(pair.new)
    if not old <= new and new <= old:
        yield pair.issue(_text(pair, "was narrowed"), keywords=("type",))


@shape_rule("TYPE_EXTENDED", family="TYPE", breaks=FWD)
def type_extended(pair: ShapePair) -> Iterator[Issue]:
    """The schema accepts more JSON types than before (`integer` → `number`, `string` → `[string, null]`).

    ## What it does
    Flags a schema whose accepted JSON types are a strict superset of the old ones.

    ## Why is this breaking?
    New documents may hold a value of the added type (a `null`, a fraction), which readers still
    on the old schema reject (FORWARD). Under BACKWARD it is allowed.

    ## Example
    Before: `{"type": "integer"}`. After: `{"type": "number"}`.

    ## How to change this safely
    Upgrade every reader before producers write the new type.
    """
    old, new = kinds(pair.old), kinds(pair.new)
    if not new <= old and old <= new:
        yield pair.issue(_text(pair, "was extended"), keywords=("type",))


@shape_rule("TYPE_CHANGED", family="TYPE", breaks=BOTH)
def type_changed(pair: ShapePair) -> Iterator[Issue]:
    """The schema's JSON type changed to an unrelated one (`string` → `integer`).

    ## What it does
    Flags a schema where neither the old nor the new set of JSON types contains the other.

    ## Why is this breaking?
    No document of the old type is valid under the new schema and vice versa: both directions break.

    ## Example
    Before: `{"type": "string"}`. After: `{"type": "integer"}`.

    ## How to change this safely
    Add a new property with the new type, write both for a while, then retire the old one.
    """
    old, new = kinds(pair.old), kinds(pair.new)
    if not old <= new and not new <= old:
        yield pair.issue(_text(pair, "changed"), keywords=("type",))
