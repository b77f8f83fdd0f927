"""Request parameters added as required, made required, removed, or serialised differently."""

from __future__ import annotations

from collections.abc import Iterator

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
    """A parameter was removed from an operation.

    ## What it does
    Flags a parameter of the base operation that the head operation no longer declares.

    ## Why is this breaking?
    Old clients keep sending it; most servers ignore unknown parameters, so the request still
    succeeds but the client's intent (a filter, a page size) is silently dropped. A warning,
    as in oasdiff; a server that rejects unknown parameters makes it an error.

    ## Example
    Before: `[{name: status, in: query}]`. After: `[]`.

    ## How to change this safely
    Deprecate the parameter (`deprecated: true`), keep accepting it, and remove it in a major version.
    """
    if pair.new.reversed:
        return
    for old, new in parameter_pairs(pair.old, pair.new):
        if old is not None and new is None:
            yield Violation(f"{pair.label}: {old.label} was removed; old clients still send it and the new server "
                            f"ignores or rejects it.", pair.new.at.location(), old.at.location(),
                            subject=f"{pair.label} {old.label}")


@api_rule("PARAMETER_STYLE_CHANGED", subject="operation")
def parameter_style_changed(pair: OperationPair, ctx: object = None) -> Iterator[Violation]:
    """A parameter's serialisation (`style`, `explode`, 2.0 `collectionFormat`) changed.

    ## What it does
    Flags a parameter whose effective `style` or `explode` differs (defaults applied, so writing
    out the default is not a change).

    ## Why is this breaking?
    Old clients still encode the value the old way (`ids=1,2` instead of `ids=1&ids=2`), which
    the new server parses as a different value or rejects.

    ## Example
    Before: `{name: ids, in: query, style: form, explode: false}`. After: `explode: true`.

    ## How to change this safely
    Accept both encodings on the server, or add a new parameter with the new encoding.
    """
    if pair.new.reversed:
        return
    for old, new in parameter_pairs(pair.old, pair.new):
        if old is None or new is None or (old.style, old.explode) == (new.style, new.explode):
            continue
        yield Violation(f"{pair.label}: {new.label} changed serialisation from {_style(old)} to {_style(new)}; "
                        f"old clients encode it the old way.", new.at.location(), old.at.location(),
                        subject=f"{pair.label} {new.label}")


def _style(param: object) -> str:
    style, explode = getattr(param, "style"), getattr(param, "explode")
    return f"style {style}" + ("" if explode is None else f", explode {str(explode).lower()}")
