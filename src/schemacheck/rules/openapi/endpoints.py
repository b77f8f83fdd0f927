"""Paths, operations and webhooks that disappeared or appeared (subject ``api``)."""

from __future__ import annotations

from collections.abc import Iterator

from ...compat.openapi.lifecycle import parse_sunset, removal_allowed
from ...compat.openapi.pairs import ApiPair
from ...formats.openapi.model import Api, Operation, template_key
from ...registry import Violation
from ._common import api_rule


def _why(op: Operation) -> str:
    """Why removing ``op`` breaks: never deprecated, or before its announced sunset date."""
    when = parse_sunset(op.sunset)
    if op.deprecated and when is not None:
        return f" before its sunset date {when.isoformat()}"
    return " without deprecation"


def _hint(op: Operation) -> str:
    """The fix for removing ``op`` early: a deprecated one only has to wait for its date.

    ``""`` (the rule page's advice: deprecate first) when it was never deprecated.
    """
    when = parse_sunset(op.sunset)
    if op.deprecated and when is not None:
        return (f"It is already deprecated: keep it until its sunset date {when.isoformat()} has passed, "
                "or announce an earlier x-sunset (with the configured notice) and remove it after that date.")
    return ""


@api_rule("PATH_REMOVED", subject="api", aliases=("api-path-removed-without-deprecation",
                                                  "api-path-removed-before-sunset"))
def path_removed(pair: ApiPair, ctx: object = None) -> Iterator[Violation]:
    """A path (every operation under it) was removed.

    ## What it does
    Flags a path template of the base document that the head document no longer has. Templates
    are matched regardless of parameter names: `/users/{id}` → `/users/{userId}` is the same path.
    A path whose operations were all deprecated, with their `x-sunset` dates passed (or none
    announced), is `REMOVED_AFTER_DEPRECATION` (info) instead.

    ## Why is this breaking?
    Every client calling an operation under the path now gets `404 Not Found`.

    ## Example
    Before: `paths: {/v1/orders/{id}: {get: ...}}`. After: the path is gone.

    ## How to change this safely
    Mark its operations `deprecated: true` (with a `Sunset` date), announce the removal, wait
    until no client calls it, then remove it in a major version.
    """
    for key, (path, node) in pair.old.paths.items():
        if key not in pair.new.paths:
            ops = [op for (_, k), op in sorted(pair.old.operations.items()) if k == key and not op.reversed]
            breaking = [op for op in ops if not removal_allowed(op.deprecated, op.sunset, pair.policy)]
            if ops and not breaking:
                continue  # every operation's deprecation is complete: REMOVED_AFTER_DEPRECATION
            what = f" ({', '.join(op.method for op in ops)})" if ops else ""
            why = _why(breaking[0]) if breaking else ""
            yield Violation(f"Path {path}{what} was removed{why}; clients calling it get 404 Not Found.",
                            pair.new.location("/paths"), node.location(),
                            hint=_hint(breaking[0]) if breaking and all(_hint(op) for op in breaking) else "",
                            subject=path)


@api_rule("OPERATION_REMOVED", subject="api", aliases=("api-removed-without-deprecation", "api-removed-before-sunset"))
def operation_removed(pair: ApiPair, ctx: object = None) -> Iterator[Violation]:
    """An operation (a method of a path that still exists) was removed.

    ## What it does
    Flags `GET /v1/orders/{id}` when the path survives but the method does not. A removed path
    is `PATH_REMOVED` instead, so each removal is reported once. An operation that was
    deprecated, with its `x-sunset` date passed (or none announced), is
    `REMOVED_AFTER_DEPRECATION` (info) instead; one removed before its sunset date is reported
    here, naming the date.

    ## Why is this breaking?
    Clients calling the operation now get `405 Method Not Allowed` or `404 Not Found`.

    ## Example
    Before: `/v1/orders/{id}: {get: ..., delete: ...}`. After: `/v1/orders/{id}: {get: ...}`.

    ## How to change this safely
    Deprecate the operation first (`deprecated: true`, a `Sunset` header), wait until no client
    calls it, then remove it in a major version. An operation already deprecated only has to
    wait for its `x-sunset` date (the hint names it).
    """
    for key, op in pair.old.operations.items():
        if key in pair.new.operations or op.reversed or key[1] not in pair.new.paths \
                or removal_allowed(op.deprecated, op.sunset, pair.policy):
            continue
        yield Violation(f"Operation {op.label} was removed{_why(op)}; clients calling it get an error.",
                        pair.new.paths[key[1]][1].location(), op.at.location(), hint=_hint(op), subject=op.label)


@api_rule("WEBHOOK_REMOVED", subject="api", aliases=("webhook-removed",))
def webhook_removed(pair: ApiPair, ctx: object = None) -> Iterator[Violation]:
    """A webhook (OpenAPI 3.1 `webhooks`) or a callback of a surviving operation was removed.

    ## What it does
    Flags a webhook name of the base document missing in the head document, and a callback
    operation (`callbacks: {onEvent: {'{$request.body#/url}': {post: ...}}}`) that is gone while
    the operation declaring it remains (a removed operation is reported by itself). A webhook
    or callback whose operations were deprecated, with their `x-sunset` dates passed (or none
    announced), is `REMOVED_AFTER_DEPRECATION` (info) instead. oasdiff checks webhooks only.

    ## Why is this breaking?
    Subscribers that rely on the notification stop receiving it, silently.

    ## Example
    Before: `webhooks: {orderPaid: {post: ...}}`. After: `webhooks: {}`.

    ## How to change this safely
    Deprecate the webhook, tell subscribers, and keep sending it until they have moved.
    """
    old, new = pair.old, pair.new
    for name, node in old.webhooks.items():
        ops = [op for op in old.operations.values() if op.path == f"webhook {name}"]
        if name in new.webhooks or (ops and all(removal_allowed(op.deprecated, op.sunset, pair.policy) for op in ops)):
            continue
        yield Violation(f"Webhook {name} was removed; subscribers no longer receive it.",
                        new.location("/webhooks"), node.location(), subject=f"webhook {name}")
    for key, op in old.operations.items():
        if key in new.operations or not _is_callback(op) or removal_allowed(op.deprecated, op.sunset, pair.policy):
            continue
        owner = _owner(op, new)
        if owner is not None:
            yield Violation(f"Callback {op.label} was removed; subscribers no longer receive it.",
                            owner.at.location(), op.at.location(), subject=op.label)


def _is_callback(op: Operation) -> bool:
    return op.reversed and " callback " in op.path


def _owner(op: Operation, api: Api) -> Operation | None:
    """The operation of ``api`` that declares the callback ``op`` (``None`` when it is gone too)."""
    path = op.path.rsplit(" callback ", 1)[0]
    for candidate in api.operations.values():
        if candidate.path == path or template_key(candidate.path) == template_key(path):
            return candidate
    return None


@api_rule("ENDPOINT_ADDED", subject="api", severity="info", aliases=("endpoint-added",))
def endpoint_added(pair: ApiPair, ctx: object = None) -> Iterator[Violation]:
    """An operation was added (information, not a break).

    ## What it does
    Reports each operation of the head document that the base document does not have, so the
    review sees the API's new surface.

    ## Why is this breaking?
    It is not: existing clients never call it. It is reported at severity `info`.

    ## Example
    Before: `/v1/orders: {get: ...}`. After: `/v1/orders: {get: ..., post: ...}`.

    ## How to change this safely
    Nothing to do; consider marking new operations as beta (`x-stability-level`) until stable.
    """
    for key, op in pair.new.operations.items():
        if key not in pair.old.operations and not op.reversed:
            yield Violation(f"Operation {op.label} was added.", op.at.location(), subject=op.label)
