"""Request bodies that became required, appeared as required, disappeared, or lost a media type."""

from __future__ import annotations

from collections.abc import Iterator

from ...compat.openapi.pairs import OperationPair, media_pairs
from ...registry import Violation
from ._common import api_rule


@api_rule("REQUEST_BODY_BECAME_REQUIRED", subject="operation", aliases=("request-body-became-required",))
def request_body_became_required(pair: OperationPair, ctx: object = None) -> Iterator[Violation]:
    """An optional request body became required.

    ## What it does
    Flags `requestBody.required` changing from false (or absent) to true (2.0: the `body`
    parameter's `required`).

    ## Why is this breaking?
    Old clients that send no body are rejected by the new server.

    ## Example
    Before: `requestBody: {content: ...}`. After: `requestBody: {required: true, content: ...}`.

    ## How to change this safely
    Keep the body optional and treat a missing body as the default value.
    """
    old, new = pair.old.request_body, pair.new.request_body
    if pair.new.reversed or old is None or new is None or old.required or not new.required:
        return
    yield Violation(f"{pair.label}: the request body became required; old clients that send none get "
                    f"400 Bad Request.", new.at.location(), old.at.location(), subject=f"{pair.label} request body")


@api_rule("REQUEST_BODY_REQUIRED_ADDED", subject="operation", aliases=("request-body-added-required",))
def request_body_required_added(pair: OperationPair, ctx: object = None) -> Iterator[Violation]:
    """A required request body was added to an operation that had none.

    ## What it does
    Flags an operation without a request body that now requires one.

    ## Why is this breaking?
    Old clients send no body and are rejected.

    ## Example
    Before: `post: {responses: ...}`. After: `post: {requestBody: {required: true, ...}, ...}`.

    ## How to change this safely
    Add the body as optional, with a default behaviour when it is missing.
    """
    new = pair.new.request_body
    if pair.new.reversed or pair.old.request_body is not None or new is None or not new.required:
        return
    yield Violation(f"{pair.label}: a required request body was added; old clients send none.",
                    new.at.location(), subject=f"{pair.label} request body")


@api_rule("REQUEST_BODY_REMOVED", subject="operation", aliases=("request-body-removed",))
def request_body_removed(pair: OperationPair, ctx: object = None) -> Iterator[Violation]:
    """An operation's request body was removed.

    ## What it does
    Flags an operation that accepted a request body and no longer declares one (webhooks and
    callbacks too, where the API sends the body).

    ## Why is this breaking?
    Old clients keep sending the body; the new server ignores it (the client's data is lost)
    or rejects the request. Subscribers of a webhook that read the body get none.

    ## Example
    Before: `post: {requestBody: {...}}`. After: `post: {}`.

    ## How to change this safely
    Keep accepting the body (deprecated) until clients stop sending it.
    """
    old = pair.old.request_body
    if old is None or pair.new.request_body is not None:
        return
    who = "subscribers that read it get none" if pair.new.reversed else "old clients still send it"
    yield Violation(f"{pair.label}: the request body was removed; {who}.",
                    pair.new.at.location(), old.at.location(), subject=f"{pair.label} request body")


@api_rule("REQUEST_MEDIA_TYPE_REMOVED", subject="operation", aliases=("request-body-media-type-removed",))
def request_media_type_removed(pair: OperationPair, ctx: object = None) -> Iterator[Violation]:
    """A media type of the request body was removed.

    ## What it does
    Flags a request body media type (`application/xml`) the new operation no longer accepts
    (2.0: a `consumes` entry).

    ## Why is this breaking?
    Old clients sending that content type get `415 Unsupported Media Type`.

    ## Example
    Before: `content: {application/json: ..., application/xml: ...}`. After: `content: {application/json: ...}`.

    ## How to change this safely
    Keep accepting the media type until clients have moved to another.
    """
    old, new = pair.old.request_body, pair.new.request_body
    if pair.new.reversed or old is None or new is None:
        return
    for media, counterpart in media_pairs(old.content, new.content):
        if counterpart is None:
            yield Violation(f"{pair.label}: request body media type {media.name} was removed; old clients sending "
                            f"it get 415 Unsupported Media Type.", new.at.location(), media.at.location(),
                            subject=f"{pair.label} request {media.name}")


@api_rule("REQUEST_BODY_BECAME_OPTIONAL", subject="operation")
def request_body_became_optional(pair: OperationPair, ctx: object = None) -> Iterator[Violation]:
    """The required request body of a webhook or callback became optional.

    ## What it does
    Flags `requestBody.required` changing from true to false where the API sends the request
    (webhooks, callbacks). For ordinary operations this loosens what the server accepts and
    is never flagged.

    ## Why is this breaking?
    Subscribers read the body on every call; the API may now send none.

    ## Example
    Before: `webhooks: {orderPaid: {post: {requestBody: {required: true, ...}}}}`. After: `required: false`.

    ## How to change this safely
    Keep always sending the body.
    """
    old, new = pair.old.request_body, pair.new.request_body
    if not pair.new.reversed or old is None or new is None or not old.required or new.required:
        return
    yield Violation(f"{pair.label}: the request body became optional; subscribers rely on receiving it.",
                    new.at.location(), old.at.location(), subject=f"{pair.label} request body")


@api_rule("REQUEST_MEDIA_TYPE_ADDED", subject="operation")
def request_media_type_added(pair: OperationPair, ctx: object = None) -> Iterator[Violation]:
    """A webhook or callback request gained a media type.

    ## What it does
    Flags a media type of the request body of a webhook or callback (where the API sends the
    request) that the base revision did not have. For ordinary operations a new request media
    type only widens what the server accepts and is never flagged.

    ## Why is this breaking?
    The API may now send the body in a format subscribers were never told about (`application/xml`
    to a JSON-only receiver).

    ## Example
    Before: `content: {application/json: ...}`. After: `content: {application/json: ..., application/xml: ...}`.

    ## How to change this safely
    Publish the new format as a new webhook, or let subscribers opt in.
    """
    old, new = pair.old.request_body, pair.new.request_body
    if not pair.new.reversed or old is None or new is None:
        return
    paired = {id(counterpart) for _, counterpart in media_pairs(old.content, new.content) if counterpart is not None}
    for media in new.content:
        if id(media) not in paired:
            yield Violation(f"{pair.label}: request body media type {media.name} was added; subscribers on the old "
                            f"contract cannot read it.", media.at.location(), old.at.location(),
                            subject=f"{pair.label} request {media.name}")
