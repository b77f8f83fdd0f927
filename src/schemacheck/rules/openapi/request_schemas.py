"""Request data (bodies, parameters) the new server no longer reads: the shape engine, BACKWARD.

Maintainers: each function reports the shape-engine differences its ``covers`` names, on the
request side (what clients send; for webhooks and callbacks, what the API's receivers return).
``REQUEST_SCHEMA_NARROWED`` takes every other request-side difference.
"""

from __future__ import annotations

from collections.abc import Iterator

from ...compat.openapi.pairs import SchemaChange
from ...registry import Violation
from ._common import CATCH_ALL, quote, schema_rule, schema_violation


@schema_rule("REQUEST_PROPERTY_BECAME_REQUIRED", side="request",
             covers=("PROPERTY_BECAME_REQUIRED", "REQUIRED_PROPERTY_ADDED"),
             aliases=("request-property-became-required", "request-property-became-required-with-default",
                      "new-required-request-property", "new-required-request-property-with-default"))
def request_property_became_required(change: SchemaChange, ctx: object = None) -> Iterator[Violation]:
    """A request property became required, or a required property was added to a request schema.

    ## What it does
    Flags an object in a request body or parameter schema whose `required` list grew.
    `readOnly: true` properties are not part of request schemas (clients never send them, as
    OpenAPI says), so a required read-only property, such as a server-assigned `id`, never fires.

    ## Why is this breaking?
    Old clients do not send the property; the new server rejects their requests.

    ## Example
    Before: `{type: object, properties: {note: {type: string}}}`. After: the same with `required: [note]`.

    ## How to change this safely
    Keep the property optional and default it on the server.
    """
    yield schema_violation(change, change.message)


@schema_rule("REQUEST_ENUM_VALUE_REMOVED", side="request", covers=("ENUM_ARRAY_NARROWED", "ENUM_ARRAY_CHANGED"),
             aliases=("request-property-enum-value-removed", "request-body-enum-value-removed",
                      "request-parameter-enum-value-removed", "request-parameter-property-enum-value-removed",
                      "request-body-became-enum", "request-property-became-enum", "request-parameter-became-enum",
                      "request-header-property-became-enum", "request-body-const-added", "request-body-const-changed",
                      "request-property-const-added", "request-property-const-changed",
                      "request-parameter-x-extensible-enum-value-removed",
                      "request-property-x-extensible-enum-value-removed"))
def request_enum_value_removed(change: SchemaChange, ctx: object = None) -> Iterator[Violation]:
    """A value clients may send was removed from a request enum (or `const`).

    ## What it does
    Flags a request body, property or parameter enum that no longer admits a value it admitted.

    ## Why is this breaking?
    Old clients still send the value and get `400 Bad Request`.

    ## Example
    Before: `status: {enum: [pending, paid, shipped]}`. After: `status: {enum: [pending, paid]}`.

    ## How to change this safely
    Keep accepting the value (map it to its replacement on the server) until no client sends it.
    """
    yield schema_violation(change, change.message)


@schema_rule("REQUEST_TYPE_CHANGED", side="request", covers=("TYPE_CHANGED", "TYPE_NARROWED"),
             aliases=("request-body-type-changed", "request-property-type-changed", "request-parameter-type-changed",
                      "request-parameter-property-type-changed", "request-parameter-property-type-specialized",
                      "request-body-list-of-types-narrowed", "request-property-list-of-types-narrowed",
                      "request-parameter-list-of-types-narrowed", "request-parameter-property-list-of-types-narrowed",
                      "request-body-became-not-nullable", "request-property-became-not-nullable",
                      "request-parameter-became-not-nullable", "request-parameter-property-became-not-nullable"))
def request_type_changed(change: SchemaChange, ctx: object = None) -> Iterator[Violation]:
    """The type of request data changed or narrowed (`number` → `integer`, nullable → not nullable).

    ## What it does
    Flags a request body, property or parameter whose new type does not accept every value of
    the old one.

    ## Why is this breaking?
    Old clients send values of the old type (`1.5`, `null`) and the new server rejects them.

    ## Example
    Before: `limit: {type: number}`. After: `limit: {type: integer}`.

    ## How to change this safely
    Widen instead of narrowing, or add a new property/parameter with the new type.
    """
    yield schema_violation(change, change.message)


@schema_rule("REQUEST_PROPERTY_REMOVED", side="request",
             covers=("PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL",
                     "PROPERTY_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL"),
             aliases=("request-property-removed", "request-property-removed-before-sunset"))
def request_property_removed(change: SchemaChange, ctx: object = None) -> Iterator[Violation]:
    """A property was removed from a closed request schema (`additionalProperties: false`).

    ## What it does
    Flags a request property old clients may send that the new schema now rejects as unknown.
    Removing a property from an *open* request schema is not flagged: the server ignores it
    (oasdiff warns on every removal; we only report the ones that reject requests).

    ## Why is this breaking?
    Old clients still send the property and get `400 Bad Request`.

    ## Example
    Before: `{properties: {id: ..., fax: ...}, additionalProperties: false}`. After: `fax` removed.

    ## How to change this safely
    Keep the property declared (deprecated) and ignore it on the server.
    """
    yield schema_violation(change, change.message)


@schema_rule("REQUEST_PROPERTY_RENAMED", side="request", covers=("PROPERTY_RENAMED",))
def request_property_renamed(change: SchemaChange, ctx: object = None) -> Iterator[Violation]:
    """A request property was renamed (one removed and one with the same schema added).

    ## What it does
    Pairs a removed and an added property of the same request object with identical schemas.

    ## Why is this breaking?
    Old clients send the value under the old name; the new server looks under the new one and
    finds nothing (or rejects the unknown key).

    ## Example
    Before: `{properties: {total_amount: {type: integer}}}`. After: `{properties: {total_cents: {type: integer}}}`.

    ## How to change this safely
    Accept both names for a while, then deprecate and remove the old one.
    """
    yield schema_violation(change, f"property {quote(change.old_name)} was renamed to {quote(change.new_name)} "
                                   f"(same schema); the new server no longer reads the value old clients send under "
                                   f"{quote(change.old_name)}.")


@schema_rule("REQUEST_PROPERTY_ADDED", side="request", covers=("PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL",),
             severity="info", aliases=("new-optional-request-property",))
def request_property_added(change: SchemaChange, ctx: object = None) -> Iterator[Violation]:
    """An optional property was added to an open request schema (information).

    ## What it does
    Reports a new optional request property. Strictly, an old client could already have sent
    that key with a value the new schema rejects; HTTP servers conventionally ignore unknown
    keys, so this is `info`, not a break.

    ## Why is this breaking?
    It is not, for clients that never sent the key.

    ## Example
    Before: `{properties: {id: ...}}`. After: `{properties: {id: ..., note: {type: string}}}`.

    ## How to change this safely
    Nothing to do.
    """
    yield schema_violation(change, f"optional property {quote(change.new_name)} was added.")


@schema_rule("REQUEST_SCHEMA_NARROWED", side="request", covers=(CATCH_ALL,),
             aliases=("request-parameter-max-items-decreased", "request-parameter-max-length-set",
                      "request-parameter-max-length-decreased", "request-parameter-max-set",
                      "request-parameter-exclusive-max-set", "request-parameter-max-decreased",
                      "request-parameter-exclusive-max-decreased", "request-parameter-min-items-set",
                      "request-parameter-min-items-increased", "request-parameter-min-length-increased",
                      "request-parameter-min-set", "request-parameter-exclusive-min-set",
                      "request-parameter-min-increased", "request-parameter-exclusive-min-increased",
                      "request-parameter-pattern-added", "request-parameter-pattern-changed",
                      "request-body-all-of-added", "request-property-all-of-added",
                      "request-body-any-of-removed", "request-property-any-of-removed",
                      "request-body-one-of-removed", "request-property-one-of-removed",
                      "request-body-max-decreased", "request-property-max-decreased",
                      "request-body-exclusive-max-decreased", "request-property-exclusive-max-decreased",
                      "request-body-max-length-set", "request-property-max-length-set",
                      "request-body-max-length-decreased", "request-property-max-length-decreased",
                      "request-body-max-set", "request-property-max-set", "request-body-exclusive-max-set",
                      "request-property-exclusive-max-set", "request-body-min-increased",
                      "request-property-min-increased", "request-body-exclusive-min-increased",
                      "request-property-exclusive-min-increased", "request-body-min-items-increased",
                      "request-property-min-items-increased", "request-body-min-items-set",
                      "request-property-min-items-set", "request-body-min-length-increased",
                      "request-property-min-length-increased", "request-body-min-set", "request-property-min-set",
                      "request-body-exclusive-min-set", "request-property-exclusive-min-set",
                      "request-property-pattern-added", "request-property-pattern-changed",
                      "request-body-wrapped-in-one-of", "request-body-prefix-items-removed",
                      "request-property-prefix-items-removed", "request-body-contains-added",
                      "request-body-min-contains-increased", "request-body-max-contains-decreased",
                      "request-property-contains-added", "request-property-min-contains-increased",
                      "request-property-max-contains-decreased", "request-body-dependent-required-added",
                      "request-body-dependent-required-changed", "request-property-dependent-required-added",
                      "request-property-dependent-required-changed", "request-body-dependent-schema-added",
                      "request-property-dependent-schema-added", "request-body-pattern-property-added",
                      "request-property-pattern-property-added", "request-body-property-names-added",
                      "request-property-property-names-added", "request-body-unevaluated-items-added",
                      "request-body-unevaluated-properties-added", "request-property-unevaluated-items-added",
                      "request-property-unevaluated-properties-added"))
def request_schema_narrowed(change: SchemaChange, ctx: object = None) -> Iterator[Violation]:
    """Request data the old schema accepted is rejected by the new one (any other constraint).

    ## What it does
    Reports every other request-side difference the shape engine finds: a `maxLength`, `maximum`,
    `maxItems` lowered, a `minimum`/`minLength`/`minItems` raised or set, a `pattern` added or
    changed, a `oneOf`/`anyOf` branch removed, `allOf` or `contains` added... The message names
    the keyword and the engine's rule.

    ## Why is this breaking?
    Old clients send values the old schema allowed and the new server rejects them.

    ## Example
    Before: `name: {type: string, maxLength: 100}`. After: `name: {type: string, maxLength: 50}`.

    ## How to change this safely
    Relax constraints instead of tightening them; tighten only in a new version.
    """
    yield schema_violation(change, f"{change.message} [{change.shape_rule}]")
