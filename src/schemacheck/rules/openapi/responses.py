"""Responses: status codes, media types and headers clients relied on."""

from __future__ import annotations

from collections.abc import Iterator

from ...compat.openapi.pairs import OperationPair, is_success, is_wildcard_for, media_pairs, response_pairs
from ...registry import Violation
from ._common import api_rule


@api_rule("RESPONSE_STATUS_REMOVED", subject="operation", aliases=("response-success-status-removed",))
def response_status_removed(pair: OperationPair, ctx: object = None) -> Iterator[Violation]:
    """A success response status code was removed.

    ## What it does
    Flags a `2xx` status (or `2XX` range) of the base operation that the head operation no
    longer documents, unless a range covering it (`2XX`) remains. Removing an error status
    (`404`, `5XX`) is not flagged: clients handle fewer errors, not more.

    ## Why is this breaking?
    Generated clients map each documented success code to a result type; when the server
    answers with another code (`201` instead of `200`), old clients treat the success as an
    unexpected response. For webhooks and callbacks, subscribers answer and the API reads:
    a success code subscribers still return is no longer one the API accepts.

    ## Example
    Before: `responses: {200: ..., 404: ...}`. After: `responses: {201: ..., 404: ...}`.

    ## How to change this safely
    Keep returning the old status code; introduce the new one in a new operation or version.
    """
    who = ("subscribers on the old contract still return it and the API treats it as a failure"
           if pair.new.reversed else "old clients expect it for a successful call")
    for response, counterpart in response_pairs(pair.old, pair.new):
        if counterpart is None and is_success(response.status):
            yield Violation(f"{pair.label}: response status {response.status} was removed; {who}.",
                            pair.new.at.location(), response.at.location(),
                            subject=f"{pair.label} response {response.status}")


@api_rule("RESPONSE_MEDIA_TYPE_REMOVED", subject="operation", aliases=("response-media-type-removed",
                                                                     "response-media-type-name-generalized"))
def response_media_type_removed(pair: OperationPair, ctx: object = None) -> Iterator[Violation]:
    """A media type of a response was removed.

    ## What it does
    Flags a response media type (`application/json` of `200`) that the new response no longer
    has (2.0: a `produces` entry), or that only a wildcard (`application/*`, `*/*`) covers now.
    The schema under a wildcard is still compared with the old one. For webhooks and
    callbacks (subscribers answer, the API reads) only a removal counts.

    ## Why is this breaking?
    Old clients ask for it (`Accept:`) and parse it; they now get `406 Not Acceptable` or a body
    they cannot read; under a wildcard the server may send any subtype. Subscribers that still
    answer in a removed media type are not understood by the API.

    ## Example
    Before: `200: {content: {application/json: ...}}`. After: `200: {content: {text/csv: ...}}`.

    ## How to change this safely
    Keep producing the old media type until clients have moved.
    """
    for response, counterpart in response_pairs(pair.old, pair.new):
        if counterpart is None:
            continue
        for media, new_media in media_pairs(response.content, counterpart.content):
            if pair.new.reversed and new_media is None:
                what, who = "was removed", "subscribers still answer with it and the API cannot read it"
            elif pair.new.reversed or (new_media is not None and not is_wildcard_for(new_media, media)):
                continue
            elif new_media is None:
                what, who = "was removed", "old clients that read it get 406 Not Acceptable or an unreadable body"
            else:
                what, who = f"was generalised to {new_media.name}", "old clients may get a body they cannot read"
            yield Violation(f"{pair.label}: response {response.status} media type {media.name} {what}; {who}.",
                            (new_media or counterpart).at.location(), media.at.location(),
                            subject=f"{pair.label} response {response.status} {media.name}")


@api_rule("RESPONSE_HEADER_REMOVED", subject="operation", aliases=("required-response-header-removed",
                                                                 "optional-response-header-removed"))
def response_header_removed(pair: OperationPair, ctx: object = None) -> Iterator[Violation]:
    """A documented response header was removed.

    ## What it does
    Flags a header of a response (`X-Rate-Limit` of `200`) that the new response no longer
    documents. oasdiff makes an optional header's removal a warning; here it is an error either
    way, because clients read documented headers whether or not they are marked required.

    ## Why is this breaking?
    Old clients that read the header (pagination links, rate limits, ETags) find nothing.

    ## Example
    Before: `200: {headers: {X-Rate-Limit: ...}}`. After: `200: {headers: {}}`.

    ## How to change this safely
    Keep sending the header (deprecated) until clients stop reading it.
    """
    if pair.new.reversed:
        return
    for response, counterpart in response_pairs(pair.old, pair.new):
        if counterpart is None:
            continue
        names = {h.name.lower() for h in counterpart.headers}
        for header in response.headers:
            if header.name.lower() not in names:
                yield Violation(f"{pair.label}: response {response.status} header {header.name} was removed; old "
                                f"clients that read it find nothing.", counterpart.at.location(),
                                header.at.location(), subject=f"{pair.label} response {response.status} {header.name}")


@api_rule("RESPONSE_HEADER_BECAME_OPTIONAL", subject="operation", aliases=("response-header-became-optional",))
def response_header_became_optional(pair: OperationPair, ctx: object = None) -> Iterator[Violation]:
    """A required response header became optional.

    ## What it does
    Flags a response header whose `required` changed from true to false.

    ## Why is this breaking?
    Old clients rely on the header being present and may fail when it is missing.

    ## Example
    Before: `X-Request-Id: {required: true}`. After: `X-Request-Id: {required: false}`.

    ## How to change this safely
    Keep always sending it.
    """
    if pair.new.reversed:
        return
    for response, counterpart in response_pairs(pair.old, pair.new):
        if counterpart is None:
            continue
        by_name = {h.name.lower(): h for h in counterpart.headers}
        for header in response.headers:
            new = by_name.get(header.name.lower())
            if new is not None and header.required and not new.required:
                yield Violation(f"{pair.label}: response {response.status} header {header.name} became optional; "
                                f"old clients rely on it.", new.at.location(), header.at.location(),
                                subject=f"{pair.label} response {response.status} {header.name}")


@api_rule("RESPONSE_HEADER_BECAME_REQUIRED", subject="operation")
def response_header_became_required(pair: OperationPair, ctx: object = None) -> Iterator[Violation]:
    """A webhook or callback response header became required (or was added as required).

    ## What it does
    Flags a header of a webhook or callback response (subscribers answer, the API reads) that
    is required now but was optional or absent before. For ordinary operations the server
    writes the headers and this only narrows what it sends, so it is never flagged.

    ## Why is this breaking?
    Subscribers built on the old contract do not send the header; the API now requires it.

    ## Example
    Before: `200: {description: OK}`. After: `200: {headers: {X-Receipt: {required: true, ...}}}`.

    ## How to change this safely
    Add the header as optional and handle its absence.
    """
    if not pair.new.reversed:
        return
    for response, counterpart in response_pairs(pair.old, pair.new):
        if counterpart is None:
            continue
        before = {h.name.lower(): h for h in response.headers}
        for header in counterpart.headers:
            old = before.get(header.name.lower())
            if header.required and (old is None or not old.required):
                yield Violation(f"{pair.label}: response {counterpart.status} header {header.name} "
                                f"{'became' if old is not None else 'was added as'} required; subscribers on the old "
                                f"contract do not send it.", header.at.location(), old.at.location() if old else None,
                                subject=f"{pair.label} response {counterpart.status} {header.name}")
