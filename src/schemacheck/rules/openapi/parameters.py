"""Request parameters added as required, made required, removed, or serialised differently."""

from __future__ import annotations

from collections.abc import Iterator

from ...compat.openapi.lifecycle import removal_allowed
from ...compat.openapi.pairs import OperationPair, parameter_pairs
from ...registry import Violation
from ._common import api_rule


@api_rule("PARAMETER_REQUIRED_ADDED", subject="operation",
          aliases=("new-required-request-parameter", "new-request-path-parameter",
                   "new-required-request-default-parameter-to-existing-path",
                   "new-required-request-header-property"))
def parameter_required_added(pair: OperationPair, ctx: object = None) -> Iterator[Violation]:
    """A required parameter was added to an existing operation.

    ## What it does
    Flags a path, query, header or cookie parameter with `required: true` (path parameters are
    always required) that the operation did not have.

    ## Why is this breaking?
    Old clients do not send it, so the new server rejects their requests with `400 Bad Request`.

    ## Example
    Before: `parameters: []`. After: `parameters: [{name: limit, in: query, required: true}]`.

    ## How to change this safely
    Add the parameter as optional with a server-side default; make it required only in a new
    major version.
    """
    if pair.new.reversed:
        return
    for old, new in parameter_pairs(pair.old, pair.new):
        if old is None and new is not None and new.required:
            yield Violation(f"{pair.label}: required {new.label} was added; old clients do not send it and get "
                            f"400 Bad Request.", new.at.location(), subject=f"{pair.label} {new.label}")


@api_rule("PARAMETER_BECAME_REQUIRED", subject="operation",
          aliases=("request-parameter-became-required", "request-header-property-became-required"))
def parameter_became_required(pair: OperationPair, ctx: object = None) -> Iterator[Violation]:
    """An optional parameter became required.

    ## What it does
    Flags a parameter whose `required` changed from false (or absent) to true.

    ## Why is this breaking?
    Old clients that leave it out are rejected by the new server.

    ## Example
    Before: `{name: limit, in: query}`. After: `{name: limit, in: query, required: true}`.

    ## How to change this safely
    Keep it optional and apply a server-side default when it is missing.
    """
    if pair.new.reversed:
        return
    for old, new in parameter_pairs(pair.old, pair.new):
        if old is not None and new is not None and new.required and not old.required:
            yield Violation(f"{pair.label}: {new.label} became required; old clients that omit it get "
                            f"400 Bad Request.", new.at.location(), old.at.location(),
                            subject=f"{pair.label} {new.label}")


@api_rule("PARAMETER_REMOVED", subject="operation", severity="warning",
          aliases=("request-parameter-removed", "request-parameter-removed-before-sunset"))
def parameter_removed(pair: OperationPair, ctx: object = None) -> Iterator[Violation]:
    """A parameter was removed from an operation (or from a webhook or callback request).

    ## What it does
    Flags a parameter of the base operation that the head operation no longer declares,
    unless it was `deprecated: true` with its `x-sunset` date passed (or none announced): that
    is `REMOVED_AFTER_DEPRECATION` (info). For webhooks and callbacks the API sends the
    parameter and subscribers read it.

    ## Why is this breaking?
    Old clients keep sending it; most servers ignore unknown parameters, so the request still
    succeeds but the client's intent (a filter, a page size) is silently dropped. A warning,
    as in oasdiff; a server that rejects unknown parameters makes it an error. Subscribers of
    a webhook that read the parameter find nothing.

    ## Example
    Before: `[{name: status, in: query}]`. After: `[]`.

    ## How to change this safely
    Deprecate the parameter (`deprecated: true`, `x-sunset`), keep accepting it, and remove it
    after the sunset date.
    """
    for old, new in parameter_pairs(pair.old, pair.new):
        if old is None or new is not None or removal_allowed(old.deprecated, old.sunset, pair.policy):
            continue
        who = ("subscribers that read it find nothing" if pair.new.reversed
               else "old clients still send it and the new server ignores or rejects it")
        yield Violation(f"{pair.label}: {old.label} was removed; {who}.", pair.new.at.location(), old.at.location(),
                        subject=f"{pair.label} {old.label}")


@api_rule("PARAMETER_BECAME_OPTIONAL", subject="operation")
def parameter_became_optional(pair: OperationPair, ctx: object = None) -> Iterator[Violation]:
    """A required parameter of a webhook or callback request became optional.

    ## What it does
    Flags a parameter of a webhook or callback (where the API sends the request) whose
    `required` changed from true to false. For ordinary operations this loosens what the
    server accepts and is never flagged.

    ## Why is this breaking?
    Subscribers rely on the parameter being present; the API may now leave it out.

    ## Example
    Before: `{name: X-Signature, in: header, required: true}`. After: `required: false`.

    ## How to change this safely
    Keep always sending it.
    """
    if not pair.new.reversed:
        return
    for old, new in parameter_pairs(pair.old, pair.new):
        if old is not None and new is not None and old.required and not new.required:
            yield Violation(f"{pair.label}: {new.label} became optional; subscribers rely on it being sent.",
                            new.at.location(), old.at.location(), subject=f"{pair.label} {new.label}")


@api_rule("PARAMETER_DEFAULT_CHANGED", subject="operation",
          aliases=("request-parameter-default-value-changed", "request-parameter-default-value-added",
                   "request-parameter-default-value-removed"))
def parameter_default_changed(pair: OperationPair, ctx: object = None) -> Iterator[Violation]:
    """A parameter's default value was changed, added or removed.

    ## What it does
    Flags a parameter whose schema `default` (2.0: the parameter's `default`) differs between
    the revisions, including one added or removed. Webhooks and callbacks too.

    ## Why is this breaking?
    A client that leaves the parameter out relies on the default: the same request now means
    something else (a page size of 50 instead of 20, another sort order), and nothing fails
    loudly. Who reads the parameter applies the new default; who wrote the request meant the old.

    ## Example
    Before: `{name: limit, in: query, schema: {type: integer, default: 20}}`. After: `default: 50`.

    ## How to change this safely
    Keep the default; ask clients to send the value they want, or add a new parameter.
    """
    for old, new in parameter_pairs(pair.old, pair.new):
        if old is None or new is None or old.default == new.default:
            continue
        if old.default is None:
            what = f"gained the default {new.default}"
        elif new.default is None:
            what = f"lost its default {old.default}"
        else:
            what = f"changed its default from {old.default} to {new.default}"
        yield Violation(f"{pair.label}: {new.label} {what}; requests that omit it now mean something else.",
                        new.at.location(), old.at.location(), subject=f"{pair.label} {new.label}")


@api_rule("PARAMETER_STYLE_CHANGED", subject="operation")
def parameter_style_changed(pair: OperationPair, ctx: object = None) -> Iterator[Violation]:
    """A parameter's serialisation (`style`, `explode`, 2.0 `collectionFormat`) changed.

    ## What it does
    Flags a parameter whose effective `style` or `explode` differs (defaults applied, so writing
    out the default is not a change).

    ## Why is this breaking?
    Old clients still encode the value the old way (`ids=1,2` instead of `ids=1&ids=2`), which
    the new server parses as a different value or rejects. For webhooks and callbacks the API
    encodes the new way and subscribers decode the old way.

    ## Example
    Before: `{name: ids, in: query, style: form, explode: false}`. After: `explode: true`.

    ## How to change this safely
    Accept both encodings on the server, or add a new parameter with the new encoding.
    """
    who = "receivers on the old contract decode it the old way" if pair.new.reversed else \
        "old clients encode it the old way"
    for old, new in parameter_pairs(pair.old, pair.new):
        if old is None or new is None or (old.style, old.explode) == (new.style, new.explode):
            continue
        yield Violation(f"{pair.label}: {new.label} changed serialisation from {_style(old)} to {_style(new)}; "
                        f"{who}.", new.at.location(), old.at.location(), subject=f"{pair.label} {new.label}")


def _style(param: object) -> str:
    style, explode = getattr(param, "style"), getattr(param, "explode")
    return f"style {style}" + ("" if explode is None else f", explode {str(explode).lower()}")
