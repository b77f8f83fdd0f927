"""Properties an object no longer declares, judged by the new content model.

Maintainers: reference §1.5. A removed key meets old documents (BACKWARD) that carry it and
must now pass the new catch-all, and old readers (FORWARD) that may require it or see it come
back with any value the new catch-all allows.
"""

from __future__ import annotations

from collections.abc import Iterator

from ...compat.shape.objects import CLOSED, OPEN, PARTIAL, catch_all, model_of, removed_properties, required_names
from ...compat.shape.pair import Direction, Issue, ShapePair
from ...shape.nodes import Property, Shape
from ...shape.values import is_any, is_never
from ._common import BACK, BOTH, FWD, prop_pointer, quote, shape_rule


def _removed(pair: ShapePair, model: str | None = None) -> Iterator[tuple[Property, Shape]]:
    for prop in removed_properties(pair.old, pair.new, pair.extra):
        catch = catch_all(pair.new, prop.name)
        if model is None or model_of(catch) == model:
            yield prop, catch


def _issue(pair: ShapePair, prop: Property, text: str) -> Issue:
    return pair.issue(f"Property {quote(prop.name)} was removed from {pair.where}{text}; {pair.direction.victims}.",
                      old=prop.shape, subject=prop_pointer(pair.old.pointer, prop.name), keywords=("properties",))


@shape_rule("PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL", family="OBJECT", breaks=BACK, strict=True)
def property_removed_from_closed_content_model(pair: ShapePair) -> Iterator[Issue]:
    """A property was removed from an object whose new content model is closed.

    ## What it does
    Flags a property dropped from an object with `additionalProperties: false` (or
    `unevaluatedProperties: false`) in the new schema.

    ## Why is this breaking?
    Old documents that carry the property are now rejected as having an undeclared key
    (BACKWARD, STRICT policy; LENIENT readers ignore unknown keys). Removing a property whose
    schema was `false` is always safe and not flagged.

    ## Example
    Before: `{"properties": {"id": {}, "fax": {"type": "string"}}, "additionalProperties": false}`.
    After: `{"properties": {"id": {}}, "additionalProperties": false}`.

    ## How to change this safely
    Keep the property, mark it `deprecated: true`, and stop producing it; or set its schema to
    `false` only after no stored document carries it.
    """
    for prop, _ in _removed(pair, CLOSED):
        if not is_never(prop.shape):
            yield _issue(pair, prop, ", whose new content model is closed")


@shape_rule("PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL", family="OBJECT", breaks=FWD, strict=True)
def property_removed_from_open_content_model(pair: ShapePair) -> Iterator[Issue]:
    """A typed property was removed from an object whose new content model is open.

    ## What it does
    Flags a property dropped from an object that allows any additional property.

    ## Why is this breaking?
    Producers on the new schema may write the key again with any value (`"fax": 42`), which
    readers still on the old schema reject (FORWARD, STRICT policy).

    ## Example
    Before: `{"properties": {"id": {}, "fax": {"type": "string"}}}`. After: `{"properties": {"id": {}}}`.

    ## How to change this safely
    Keep the property declared (deprecated) so its type stays pinned, or close the model.
    """
    for prop, _ in _removed(pair, OPEN):
        if not is_any(prop.shape):
            yield _issue(pair, prop, ", whose new content model is open so it may come back with any value")


@shape_rule("PROPERTY_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL", family="OBJECT", breaks=BOTH, strict=True)
def property_removed_not_covered(pair: ShapePair) -> Iterator[Issue]:
    """A property was removed and the new catch-all schema for its name disagrees with its old schema.

    ## What it does
    Flags a property dropped from a partially open object (`patternProperties` or an
    `additionalProperties` schema) when the catch-all and the old property schema do not
    contain each other in the checked direction.

    ## Why is this breaking?
    BACKWARD: old values of the property must now pass the catch-all. FORWARD: values the
    catch-all allows must pass the old property schema. LENIENT accepts both.

    ## Example
    Before: `{"properties": {"age": {"type": "integer"}}, "additionalProperties": {"type": "string"}}`.
    After: `{"additionalProperties": {"type": "string"}}`.

    ## How to change this safely
    Keep the property declared, or make the catch-all accept its old values.
    """
    for prop, catch in _removed(pair, PARTIAL):
        ok = pair.reads(prop.shape, catch) if pair.direction is Direction.BACKWARD else pair.reads(catch, prop.shape)
        if not ok:
            yield _issue(pair, prop, " and its old schema does not match the new catch-all for that name")


@shape_rule("REQUIRED_PROPERTY_REMOVED", family="OBJECT", breaks=FWD)
def required_property_removed(pair: ShapePair) -> Iterator[Issue]:
    """A property that was required was removed.

    ## What it does
    Flags a property listed in `required` in the old schema that the new schema no longer
    declares or requires.

    ## Why is this breaking?
    New documents may omit it, and readers still on the old schema require it (FORWARD).

    ## Example
    Before: `{"properties": {"id": {}, "sku": {"type": "string"}}, "required": ["sku"]}`.
    After: `{"properties": {"id": {}}}`.

    ## How to change this safely
    Make it optional first and upgrade readers; remove it in a later version.
    """
    still = required_names(pair.new)
    for prop, _ in _removed(pair):
        if prop.required and prop.name not in still:
            yield _issue(pair, prop, " although it was required")
    for name in pair.old.extra_required:  # required without a declaration
        if name not in still and pair.new.prop(name) is None:
            yield pair.issue(f"Property {quote(name)} is no longer required by {pair.where}; {pair.direction.victims}.",
                             subject=prop_pointer(pair.old.pointer, name), keywords=("required", "properties"))

