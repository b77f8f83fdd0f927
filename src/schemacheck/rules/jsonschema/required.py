"""Properties kept on both sides whose ``required``-ness changed, and likely renames.

Maintainers: a rename is a removed and an added property of the same object with equal
schemas (found by the engine, passed as ``pair.extra``); the add/remove rules skip those and
``PROPERTY_RENAMED`` names both, which is what a reviewer needs.
"""

from __future__ import annotations

from collections.abc import Iterator

from ...compat.shape.objects import required_names
from ...compat.shape.pair import Issue, ShapePair
from ._common import BACK, BOTH, FWD, prop_pointer, quote, shape_rule


@shape_rule("PROPERTY_BECAME_REQUIRED", family="OBJECT", breaks=BACK, aliases=("REQUIRED_ATTRIBUTE_ADDED",))
def property_became_required(pair: ShapePair) -> Iterator[Issue]:
    """An existing optional property became required (and has no default).

    ## What it does
    Flags a property declared on both sides that the new schema adds to `required` without a
    `default` readers could fill in.

    ## Why is this breaking?
    Old documents that omit the property are rejected by readers on the new schema (BACKWARD).

    ## Example
    Before: `{"properties": {"email": {"type": "string"}}}`.
    After: `{"properties": {"email": {"type": "string"}}, "required": ["email"]}`.

    ## How to change this safely
    Backfill the property in stored data, or give it a `default`, before requiring it.
    """
    now_required = required_names(pair.new)
    for old_prop in pair.old.properties:
        if old_prop.required or old_prop.name not in now_required:
            continue
        new_prop = pair.new.prop(old_prop.name)
        if new_prop is not None and new_prop.shape.annotations.has_default:
            continue
        yield pair.issue(f"Property {quote(old_prop.name)} of {pair.where} became required; "
                         f"{pair.direction.victims} when they omit it.", keywords=("required",),
                         old=old_prop.shape, subject=prop_pointer(pair.new.pointer, old_prop.name))


@shape_rule("PROPERTY_BECAME_OPTIONAL", family="OBJECT", breaks=FWD, aliases=("REQUIRED_ATTRIBUTE_REMOVED",))
def property_became_optional(pair: ShapePair) -> Iterator[Issue]:
    """A required property is no longer required.

    ## What it does
    Flags a property declared on both sides that the new schema drops from `required`.

    ## Why is this breaking?
    New documents may omit it, and readers still on the old schema require it (FORWARD).

    ## Example
    Before: `{"properties": {"sku": {}}, "required": ["sku"]}`. After: `{"properties": {"sku": {}}}`.

    ## How to change this safely
    Upgrade readers to tolerate the missing property before producers stop sending it.
    """
    was_required = required_names(pair.old)
    for new_prop in pair.new.properties:
        if new_prop.required or new_prop.name not in was_required:
            continue
        yield pair.issue(f"Property {quote(new_prop.name)} of {pair.where} is no longer required; "
                         f"{pair.direction.victims} when they omit it.", keywords=("required",),
                         subject=prop_pointer(pair.new.pointer, new_prop.name))


@shape_rule("PROPERTY_RENAMED", family="OBJECT", breaks=BOTH)
def property_renamed(pair: ShapePair) -> Iterator[Issue]:
    """A property was removed and another with the same schema added in the same object: a likely rename.

    ## What it does
    Pairs one removed and one added property of the same object whose schemas are identical
    and reports them together, naming both (`total_amount` → `total_cents`).

    ## Why is this breaking?
    Readers look for the value under the name their schema declares: new readers find nothing
    under the new name in old documents, old readers find nothing under the old name in new
    documents. Validation may even pass (open models), so the data is silently lost.

    ## Example
    Before: `{"properties": {"total_amount": {"type": "integer"}}}`.
    After: `{"properties": {"total_cents": {"type": "integer"}}}`.

    ## How to change this safely
    Add the new property next to the old one, write both, move readers over, then deprecate and
    remove the old name.

    ## Known false positives
    An unrelated removal and addition with identical schemas in the same change look like a
    rename; split such changes, or suppress the finding with a reason.
    """
    for old_name, new_name in pair.extra:
        new_prop = pair.new.prop(new_name)
        old_prop = pair.old.prop(old_name)
        if new_prop is None or old_prop is None:
            continue
        yield pair.issue(f"Property {quote(old_name)} of {pair.where} was likely renamed to {quote(new_name)} "
                         f"(same schema); readers on either version miss the value under the other name.",
                         old=old_prop.shape, new=new_prop.shape, subject=prop_pointer(pair.new.pointer, new_name))
