"""Response data old clients can no longer read: the shape engine, FORWARD (old reads new).

Maintainers: each function reports the shape-engine differences its ``covers`` names on the
response side (what the server returns; for webhooks and callbacks, what the API sends).
``RESPONSE_SCHEMA_WIDENED`` takes every other response-side difference.
"""

from __future__ import annotations

from collections.abc import Iterator

from ...compat.openapi.pairs import SchemaChange
from ...registry import Violation
from ._common import CATCH_ALL, quote, schema_rule, schema_violation


@schema_rule("RESPONSE_PROPERTY_REMOVED", side="response",
             covers=("PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL",
                     "PROPERTY_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL", "REQUIRED_PROPERTY_REMOVED"),
             aliases=("response-required-property-removed", "response-optional-property-removed",
                      "response-required-property-removed-before-sunset"))
def response_property_removed(change: SchemaChange, ctx: object = None) -> Iterator[Violation]:
    """A property was removed from a response schema.

    ## What it does
    Flags a response property the new schema no longer declares. oasdiff makes an optional
    property's removal a warning; here it is an error, because clients read optional
    properties too (the `total_amount` incident: the field was optional and read as `None`).
    `writeOnly: true` properties are not part of response schemas (the server never returns
    them), so removing a write-only property never fires here.

    ## Why is this breaking?
    Old clients read the property and find nothing (or, in an open schema, may find it come
    back with any value).

    ## Example
    Before: `{properties: {id: ..., total_amount: {type: integer}}}`. After: `{properties: {id: ...}}`.

    ## How to change this safely
    Keep returning the property (deprecated) until no client reads it.
    """
    yield schema_violation(change, change.message)


@schema_rule("RESPONSE_PROPERTY_BECAME_OPTIONAL", side="response", covers=("PROPERTY_BECAME_OPTIONAL",),
             aliases=("response-property-became-optional",))
def response_property_became_optional(change: SchemaChange, ctx: object = None) -> Iterator[Violation]:
    """A required response property became optional.

    ## What it does
    Flags a property dropped from a response object's `required` list.

    ## Why is this breaking?
    Old clients (and SDKs generated with non-optional fields) rely on it being present.

    ## Example
    Before: `required: [id, total]`. After: `required: [id]`.

    ## How to change this safely
    Keep always returning it.
    """
    yield schema_violation(change, change.message)


@schema_rule("RESPONSE_PROPERTY_RENAMED", side="response", covers=("PROPERTY_RENAMED",))
def response_property_renamed(change: SchemaChange, ctx: object = None) -> Iterator[Violation]:
    """A response property was renamed (one removed and one with the same schema added).

    ## What it does
    Pairs a removed and an added property of the same response object with identical schemas
    and reports them as one rename (`total_amount` → `total_cents`).

    ## Why is this breaking?
    Old clients read the old name and get nothing: often no validation error at all, just a
    silent `None` (the `total_amount` incident).

    ## Example
    Before: `{properties: {total_amount: {type: integer}}}`. After: `{properties: {total_cents: {type: integer}}}`.

    ## How to change this safely
    Return both names for a while, move clients to the new one, then remove the old one.
    """
    yield schema_violation(change, f"property {quote(change.old_name)} was renamed to {quote(change.new_name)} "
                                   f"(same schema); old clients read nothing under {quote(change.old_name)}.")


@schema_rule("RESPONSE_TYPE_CHANGED", side="response", covers=("TYPE_CHANGED", "TYPE_EXTENDED"),
             aliases=("response-body-type-changed", "response-property-type-changed", "response-body-type-generalized",
                      "response-property-type-generalized", "response-body-list-of-types-widened",
                      "response-property-list-of-types-widened", "response-body-became-nullable",
                      "response-property-became-nullable", "response-header-type-changed",
                      "response-header-type-generalized", "response-header-became-nullable"))
def response_type_changed(change: SchemaChange, ctx: object = None) -> Iterator[Violation]:
    """The type of response data changed or widened (`integer` → `number`, now nullable).

    ## What it does
    Flags a response body, property or header whose new type admits values the old one did not.

    ## Why is this breaking?
    Old clients parse the old type and fail on the new values (`1.5` into an int, `null`).

    ## Example
    Before: `total: {type: integer}`. After: `total: {type: number}`.

    ## How to change this safely
    Add a new property with the new type and keep the old one.
    """
    yield schema_violation(change, change.message)


@schema_rule("RESPONSE_ENUM_VALUE_ADDED", side="response", covers=("ENUM_ARRAY_EXTENDED",), severity="warning",
             aliases=("response-property-enum-value-added",))
def response_enum_value_added(change: SchemaChange, ctx: object = None) -> Iterator[Violation]:
    """A value was added to a response enum.

    ## What it does
    Flags a response enum that admits a new value.

    ## Why is this breaking?
    SDKs generated with closed enums fail to decode the new value; hand-written clients often
    `switch` without a default. Clients written to tolerate unknown values are fine, so it is
    a warning (as in oasdiff); raise it to an error with `[tool.schemacheck.severity]` if your
    clients use closed enums.

    ## Example
    Before: `status: {enum: [pending, paid]}`. After: `status: {enum: [pending, paid, refunded]}`.

    ## How to change this safely
    Document that clients must tolerate unknown values (`x-extensible-enum`) before adding one.
    """
    yield schema_violation(change, change.message)


@schema_rule("RESPONSE_PROPERTY_ADDED", side="response",
             covers=("PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL", "REQUIRED_PROPERTY_ADDED"),
             severity="info", aliases=("response-optional-property-added",
                                       "response-required-property-became-not-write-only"))
def response_property_added(change: SchemaChange, ctx: object = None) -> Iterator[Violation]:
    """A property was added to a response schema (information).

    ## What it does
    Reports a new response property so reviewers see the API grow. A property that loses
    `writeOnly: true` is new to responses too (write-only properties are not part of them), so
    it is reported here; oasdiff warns about a *required* one
    (`response-required-property-became-not-write-only`), but old clients never read it, so
    it breaks none of them.

    ## Why is this breaking?
    It is not, for clients that ignore unknown properties (the HTTP convention); clients that
    validate responses against a closed schema would reject it.

    ## Example
    Before: `{properties: {id: ...}}`. After: `{properties: {id: ..., currency: {type: string}}}`.

    ## How to change this safely
    Nothing to do.
    """
    yield schema_violation(change, f"property {quote(change.new_name)} was added.")


@schema_rule("RESPONSE_SCHEMA_WIDENED", side="response", covers=(CATCH_ALL,),
             aliases=("response-body-const-removed", "response-body-const-changed", "response-property-const-removed",
                      "response-property-const-changed", "response-body-max-increased",
                      "response-property-max-increased", "response-body-exclusive-max-increased",
                      "response-property-exclusive-max-increased", "response-body-max-length-increased",
                      "response-property-max-length-increased", "response-body-max-length-unset",
                      "response-property-max-length-unset", "response-body-min-decreased",
                      "response-property-min-decreased", "response-body-exclusive-min-decreased",
                      "response-property-exclusive-min-decreased", "response-body-min-items-decreased",
                      "response-property-min-items-decreased", "response-body-min-items-unset",
                      "response-property-min-items-unset", "response-body-min-length-decreased",
                      "response-property-min-length-decreased", "response-body-one-of-added",
                      "response-property-one-of-added", "response-body-wrapped-in-one-of",
                      "response-body-prefix-items-added", "response-property-prefix-items-added",
"response-body-contains-removed",
                      "response-body-min-contains-decreased", "response-body-max-contains-increased",
                      "response-property-contains-removed", "response-property-min-contains-decreased",
                      "response-property-max-contains-increased", "response-body-dependent-required-removed",
                      "response-body-dependent-required-changed", "response-property-dependent-required-removed",
                      "response-property-dependent-required-changed", "response-body-dependent-schema-removed",
                      "response-property-dependent-schema-removed", "response-body-pattern-property-removed",
                      "response-property-pattern-property-removed", "response-body-property-names-removed",
                      "response-property-property-names-removed", "response-body-unevaluated-items-removed",
                      "response-body-unevaluated-properties-removed", "response-property-unevaluated-items-removed",
                      "response-property-unevaluated-properties-removed"))
def response_schema_widened(change: SchemaChange, ctx: object = None) -> Iterator[Violation]:
    """Response data the old schema ruled out can now be returned (any other constraint).

    ## What it does
    Reports every other response-side difference the shape engine finds: a `maximum`,
    `maxLength`, `maxItems` raised or removed, a `minimum` lowered, a `pattern` removed or
    changed, a `oneOf` branch added, `contains` removed... The message names the engine's rule.

    ## Why is this breaking?
    Old clients validate or parse responses with the old constraints and reject the new values.

    ## Example
    Before: `code: {type: string, maxLength: 8}`. After: `code: {type: string, maxLength: 16}`.

    ## How to change this safely
    Keep responses within the old constraints; widen them in a new version.
    """
    yield schema_violation(change, f"{change.message} [{change.shape_rule}]")


@schema_rule("SCHEMA_NOT_COMPARED", side="both", covers=("SCHEMA_CHANGE_UNDECIDABLE",), severity="warning",
             aliases=tuple(f"{side}-{where}-{kw}-{edit}" for side, edit in (("request", "added"), ("response", "removed"))
                           for where in ("body", "property") for kw in ("if", "then", "else")))
def schema_not_compared(change: SchemaChange, ctx: object = None) -> Iterator[Violation]:
    """A changed schema construct could not be compared (`if`/`then`/`else`, an unresolved `$ref`).

    ## What it does
    Says where the check could not decide, instead of passing silently.

    ## Why is this breaking?
    It may or may not be; a reviewer has to look.

    ## Example
    Before: `$ref: 'https://example.com/money.json'` (remote, never fetched). After: another remote ref.

    ## How to change this safely
    Vendor remote schemas into the repository, or suppress the finding with a reason.
    """
    yield schema_violation(change, change.message)
