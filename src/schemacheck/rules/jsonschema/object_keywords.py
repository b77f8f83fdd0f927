"""Object keywords besides properties: the catch-all (``additionalProperties``/``unevaluatedProperties``) and dependencies.

Maintainers: a catch-all change where one side is trivial (absent, ``true`` or ``false``), or a
``patternProperties`` entry present on one side only, is judged here as a whole (STRICT only,
as in Confluent); when both sides are schemas for the same names the engine recurses into them
instead and the nested rules speak.
"""

from __future__ import annotations

from collections.abc import Iterator

from ...compat.shape.objects import catch_all_rest
from ...compat.shape.pair import Direction, Issue, ShapePair
from ...shape.nodes import AnyShape, NeverShape, ObjectShape, Shape
from ...shape.values import deref, describe
from ._common import BACK, FWD, quote, shape_rule

_ANY = AnyShape()


def _rest(obj: ObjectShape) -> Shape:
    rest = catch_all_rest(obj)
    return _ANY if rest is None else rest


def _trivial(shape: Shape) -> bool:
    return isinstance(deref(shape), (AnyShape, NeverShape))


def _slots(pair: ShapePair) -> Iterator[tuple[str, Shape, Shape]]:
    """(label, old schema, new schema) of catch-alls the engine does not recurse into itself.

    The rest of the names (``additionalProperties``/``unevaluatedProperties``) when one side is
    trivial, and every ``patternProperties`` entry present on one side only (the other side's
    rest stands for it).
    """
    old_rest, new_rest = _rest(pair.old), _rest(pair.new)
    if _trivial(old_rest) or _trivial(new_rest):
        yield "undeclared properties", old_rest, new_rest
    old_patterns, new_patterns = dict(pair.old.pattern_properties), dict(pair.new.pattern_properties)
    for pattern in [*old_patterns, *(p for p in new_patterns if p not in old_patterns)]:
        if (pattern in old_patterns) != (pattern in new_patterns):
            yield (f"undeclared properties matching {pattern!r}", old_patterns.get(pattern, old_rest),
                   new_patterns.get(pattern, new_rest))


def _changed(pair: ShapePair) -> Iterator[Issue]:
    for label, old, new in _slots(pair):
        writer, reader = (old, new) if pair.direction is Direction.BACKWARD else (new, old)
        if not pair.reads(writer, reader):
            yield pair.issue(f"The {label} of {pair.where} changed from {describe(old)} to {describe(new)}; "
                             f"{pair.direction.victims} when they carry such keys.",
                             keywords=("patternProperties",) if "matching" in label else
                             ("additionalProperties", "unevaluatedProperties"))


@shape_rule("ADDITIONAL_PROPERTIES_NARROWED", family="OBJECT", breaks=BACK, strict=True,
            aliases=("ADDITIONAL_PROPERTIES_REMOVED", "UNEVALUATED_PROPERTIES_NARROWED", "UNEVALUATED_PROPERTIES_REMOVED"))
def additional_properties_narrowed(pair: ShapePair) -> Iterator[Issue]:
    """The object accepts fewer undeclared properties (`additionalProperties: false` added, a pattern added, ...).

    ## What it does
    Flags `additionalProperties` (or `unevaluatedProperties`) becoming `false` or a schema
    where undeclared keys used to be free, or becoming `false` where a schema allowed some; and
    a `patternProperties` entry added (or removed) so that names matching it accept less.

    ## Why is this breaking?
    Old documents carrying undeclared keys are rejected by readers on the new schema
    (BACKWARD, STRICT policy; LENIENT assumes no such keys were ever sent).

    ## Example
    Before: `{"properties": {"id": {}}}`. After: `{"properties": {"id": {}}, "additionalProperties": false}`.

    ## How to change this safely
    Close content models from the first version; otherwise check that no producer ever sent
    undeclared keys and use the LENIENT policy.
    """
    yield from _changed(pair)


@shape_rule("ADDITIONAL_PROPERTIES_EXTENDED", family="OBJECT", breaks=FWD, strict=True,
            aliases=("ADDITIONAL_PROPERTIES_ADDED", "UNEVALUATED_PROPERTIES_EXTENDED", "UNEVALUATED_PROPERTIES_ADDED"))
def additional_properties_extended(pair: ShapePair) -> Iterator[Issue]:
    """The object accepts more undeclared properties (`additionalProperties: false` removed or relaxed, ...).

    ## What it does
    Flags `additionalProperties` (or `unevaluatedProperties`) changing from `false` or a schema
    to something that accepts more undeclared keys, and a `patternProperties` entry added or
    removed so that names matching it accept more.

    ## Why is this breaking?
    New documents may carry undeclared keys that readers still on the old schema reject
    (FORWARD, STRICT policy).

    ## Example
    Before: `{"additionalProperties": false}`. After: `{"additionalProperties": true}`.

    ## How to change this safely
    Upgrade readers first; under BACKWARD this change is allowed.
    """
    yield from _changed(pair)


_DEP_KEYWORDS = ("dependentRequired", "dependencies")


def _deps(obj: ObjectShape) -> dict[str, set[str]]:
    return {name: set(req) for name, req in obj.dependent_required}


@shape_rule("DEPENDENCY_ARRAY_EXTENDED", family="OBJECT", breaks=BACK,
            aliases=("DEPENDENCY_ARRAY_ADDED",))
def dependency_array_extended(pair: ShapePair) -> Iterator[Issue]:
    """`dependentRequired` (or array `dependencies`) requires more properties than before.

    ## What it does
    Flags a trigger property whose list of co-required properties gained names, including a new trigger.

    ## Why is this breaking?
    Old documents with the trigger but without the newly co-required names are rejected by
    readers on the new schema (BACKWARD).

    ## Example
    Before: `{}`. After: `{"dependentRequired": {"card": ["billing_address"]}}`.

    ## How to change this safely
    Backfill the dependent properties in stored data first.
    """
    old = _deps(pair.old)
    for name, required in _deps(pair.new).items():
        more = sorted(required - old.get(name, set()))
        if more:
            yield pair.issue(f"Property {quote(name)} of {pair.where} now also requires {', '.join(more)}; "
                             f"{pair.direction.victims}.", keywords=_DEP_KEYWORDS)


@shape_rule("DEPENDENCY_ARRAY_NARROWED", family="OBJECT", breaks=FWD,
            aliases=("DEPENDENCY_ARRAY_REMOVED",))
def dependency_array_narrowed(pair: ShapePair) -> Iterator[Issue]:
    """`dependentRequired` (or array `dependencies`) requires fewer properties than before.

    ## What it does
    Flags a trigger property whose list of co-required properties lost names, including a removed trigger.

    ## Why is this breaking?
    New documents may omit properties that readers still on the old schema require (FORWARD).

    ## Example
    Before: `{"dependentRequired": {"card": ["cvv"]}}`. After: `{}`.

    ## How to change this safely
    Upgrade readers first; under BACKWARD this change is allowed.
    """
    new = _deps(pair.new)
    for name, required in _deps(pair.old).items():
        fewer = sorted(required - new.get(name, set()))
        if fewer:
            yield pair.issue(f"Property {quote(name)} of {pair.where} no longer requires {', '.join(fewer)}; "
                             f"{pair.direction.victims}.", keywords=_DEP_KEYWORDS)


@shape_rule("DEPENDENCY_SCHEMA_ADDED", family="OBJECT", breaks=BACK)
def dependency_schema_added(pair: ShapePair) -> Iterator[Issue]:
    """A `dependentSchemas` (or schema `dependencies`) entry was added.

    ## What it does
    Flags a new trigger property whose presence now imposes a schema on the whole object.

    ## Why is this breaking?
    Old documents with the trigger need not satisfy the new schema (BACKWARD).

    ## Example
    Before: `{}`. After: `{"dependentSchemas": {"card": {"required": ["cvv"]}}}`.

    ## How to change this safely
    Check stored documents against the new dependent schema first.
    """
    old = {name for name, _ in pair.old.dependent_schemas}
    for name, shape in pair.new.dependent_schemas:
        if name not in old:
            yield pair.issue(f"A dependent schema for {quote(name)} was added to {pair.where}; "
                             f"{pair.direction.victims}.", new=shape)


@shape_rule("DEPENDENCY_SCHEMA_REMOVED", family="OBJECT", breaks=FWD)
def dependency_schema_removed(pair: ShapePair) -> Iterator[Issue]:
    """A `dependentSchemas` (or schema `dependencies`) entry was removed.

    ## What it does
    Flags a trigger property whose dependent schema no longer applies.

    ## Why is this breaking?
    New documents may violate the old dependent schema, which old readers still enforce (FORWARD).

    ## Example
    Before: `{"dependentSchemas": {"card": {"required": ["cvv"]}}}`. After: `{}`.

    ## How to change this safely
    Upgrade readers first; under BACKWARD this change is allowed.
    """
    new = {name for name, _ in pair.new.dependent_schemas}
    for name, shape in pair.old.dependent_schemas:
        if name not in new:
            yield pair.issue(f"The dependent schema for {quote(name)} was removed from {pair.where}; "
                             f"{pair.direction.victims}.", old=shape, keywords=("dependentSchemas", "dependencies"))
