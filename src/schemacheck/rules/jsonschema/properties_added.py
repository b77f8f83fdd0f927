"""Properties an object declares now but did not before, judged by the old content model.

Maintainers: reference §1.5. An added property meets old documents (BACKWARD) that may carry
that key with whatever the old catch-all allowed, and old readers (FORWARD) that see the key
in new documents and judge it by their catch-all. Renames (same schema, one removed and one
added) are excluded here and reported by ``PROPERTY_RENAMED``.
"""

from __future__ import annotations

from collections.abc import Iterator

from ...compat.shape.objects import CLOSED, OPEN, PARTIAL, added_properties, catch_all, model_of, required_names
from ...compat.shape.pair import Direction, Issue, ShapePair
from ...shape.nodes import Property
from ...shape.values import is_any, is_never
from ._common import BACK, BOTH, FWD, prop_pointer, quote, shape_rule


def _required_without_default(prop: Property) -> bool:
    return prop.required and not prop.shape.annotations.has_default


def _added(pair: ShapePair, model: str) -> Iterator[tuple[Property, object]]:
    for prop in added_properties(pair.old, pair.new, pair.extra):
        catch = catch_all(pair.old, prop.name)
        if model_of(catch) == model:
            yield prop, catch


@shape_rule("REQUIRED_PROPERTY_ADDED", family="OBJECT", breaks=BACK,
            aliases=("REQUIRED_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL", "REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL"))
def required_property_added(pair: ShapePair) -> Iterator[Issue]:
    """A new property was added as required, without a default.

    ## What it does
    Flags a property that did not exist before, is listed in `required`, and has no `default`.

    ## Why is this breaking?
    Old documents do not contain the property, so readers on the new schema reject all of them
    (BACKWARD), whatever the content model.

    ## Example
    Before: `{"properties": {"id": {"type": "string"}}}`.
    After: `{"properties": {"id": {"type": "string"}, "email": {"type": "string"}}, "required": ["email"]}`.

    ## How to change this safely
    Add the property as optional (or give it a `default` that readers fill in), backfill the
    data, and only then make it required.
    """
    for prop in added_properties(pair.old, pair.new, pair.extra):
        if _required_without_default(prop):
            yield pair.issue(f"Required property {quote(prop.name)} was added to {pair.where} without a default; "
                             f"{pair.direction.victims}.", new=prop.shape)
    was_required = required_names(pair.old)
    for name in pair.new.extra_required:  # required without a declaration
        if name not in was_required and pair.old.prop(name) is None:
            yield pair.issue(f"Property {quote(name)} is now required by {pair.where}; {pair.direction.victims}.",
                             keywords=("required",), subject=prop_pointer(pair.new.pointer, name))


@shape_rule("PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL", family="OBJECT", breaks=BACK, strict=True,
            aliases=("OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL",
                     "REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_OPEN_CONTENT_MODEL"))
def property_added_to_open_content_model(pair: ShapePair) -> Iterator[Issue]:
    """A typed property was added to an object whose old content model was open.

    ## What it does
    Flags an optional (or required-with-default) property added to an object that allowed any
    additional property before (no `additionalProperties: false`).

    ## Why is this breaking?
    Under the open model old documents may already carry that key with any value, e.g.
    `"email": 42`, which the new property schema rejects (BACKWARD, STRICT policy). The LENIENT
    policy assumes producers never sent undeclared keys and accepts this change.

    ## Example
    Before: `{"type": "object", "properties": {"id": {"type": "string"}}}`.
    After: `{"type": "object", "properties": {"id": {"type": "string"}, "email": {"type": "string"}}}`.

    ## How to change this safely
    Close the model (`additionalProperties: false`) in an earlier version, use the LENIENT policy
    if producers never send undeclared keys, or add the property with an empty schema first.
    """
    for prop, _ in _added(pair, OPEN):
        if not _required_without_default(prop) and not is_any(prop.shape):
            yield pair.issue(f"Property {quote(prop.name)} was added to {pair.where}, whose old content model "
                             f"was open; old documents may carry it with any value, and "
                             f"{pair.direction.victims}.", new=prop.shape)


@shape_rule("PROPERTY_ADDED_TO_CLOSED_CONTENT_MODEL", family="OBJECT", breaks=FWD, strict=True)
def property_added_to_closed_content_model(pair: ShapePair) -> Iterator[Issue]:
    """A property was added to an object whose old content model was closed.

    ## What it does
    Flags a property added where the old schema said `additionalProperties: false`.

    ## Why is this breaking?
    New documents carrying the property are rejected by readers still on the old schema, which
    forbids undeclared keys (FORWARD, STRICT policy; LENIENT readers ignore unknown keys).

    ## Example
    Before: `{"properties": {"id": {}}, "additionalProperties": false}`.
    After: `{"properties": {"id": {}, "note": {"type": "string"}}, "additionalProperties": false}`.

    ## How to change this safely
    Upgrade readers before producers send the new property; under BACKWARD it is allowed.
    """
    for prop, _ in _added(pair, CLOSED):
        if not is_never(prop.shape):
            yield pair.issue(f"Property {quote(prop.name)} was added to {pair.where}, whose old content model was "
                             f"closed; {pair.direction.victims}.", new=prop.shape)


@shape_rule("PROPERTY_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL", family="OBJECT", breaks=BOTH, strict=True)
def property_added_not_covered(pair: ShapePair) -> Iterator[Issue]:
    """A property was added whose schema disagrees with the old catch-all (`patternProperties` / `additionalProperties` schema).

    ## What it does
    Flags a property added to a partially open object when the old catch-all schema for that
    name and the new property schema do not contain each other in the checked direction.

    ## Why is this breaking?
    BACKWARD: old documents may carry the key with values of the old catch-all that the new
    property rejects. FORWARD: new values of the property may be rejected by old readers'
    catch-all. LENIENT accepts both.

    ## Example
    Before: `{"additionalProperties": {"type": "string"}}`.
    After: `{"properties": {"age": {"type": "integer"}}, "additionalProperties": {"type": "string"}}`.

    ## How to change this safely
    Give the new property a schema the catch-all covers (and that covers it), or rename it.
    """
    for prop, catch in _added(pair, PARTIAL):
        if pair.direction is Direction.BACKWARD and _required_without_default(prop):
            continue
        ok = pair.reads(catch, prop.shape) if pair.direction is Direction.BACKWARD else pair.reads(prop.shape, catch)
        if not ok:
            yield pair.issue(f"Property {quote(prop.name)} was added to {pair.where} with a schema that does not "
                             f"match the old catch-all for that name; {pair.direction.victims}.", new=prop.shape)

