"""How bodies are encoded: media-type schemas, multipart/form ``encoding`` entries, and the
string-content keywords (``contentEncoding``, ``contentMediaType``, ``contentSchema``).

Sides are those of the data after swapping for webhooks and callbacks: ``request`` is what the
API reads, ``response`` what it writes.
"""

from __future__ import annotations

from collections.abc import Iterator

from ...compat.openapi.pairs import OperationPair, content_pairs
from ...compat.openapi.walk import PropertyPair
from ...formats.openapi.model import Encoding
from ...registry import Violation
from ._common import api_rule


@api_rule("MEDIA_TYPE_SCHEMA_ADDED", subject="operation", aliases=("request-body-media-type-schema-added",))
def media_type_schema_added(pair: OperationPair, ctx: object = None) -> Iterator[Violation]:
    """A schema was given to a media type the API reads, which had none.

    ## What it does
    Flags a request body media type (for webhooks and callbacks: a response media type, which
    the API reads) that had no `schema` and now has one.

    ## Why is this breaking?
    Without a schema any body was accepted; old clients may send bodies the new schema rejects.

    ## Example
    Before: `content: {application/json: {}}`. After: `content: {application/json: {schema: {type: object, ...}}}`.

    ## How to change this safely
    Start with a schema that accepts what clients send today (`{}`), then narrow it in a major version.
    """
    for where, side, media, counterpart in content_pairs(pair):
        if side == "request" and counterpart is not None and media.schema is None and counterpart.schema is not None:
            yield Violation(f"{pair.label}: {where} {counterpart.name}: a schema was added where any body was "
                            f"accepted; bodies old clients send may now be rejected.", counterpart.at.location(),
                            media.at.location(), subject=f"{pair.label} {where} {counterpart.name}")


@api_rule("MEDIA_TYPE_SCHEMA_REMOVED", subject="operation", aliases=("response-body-media-type-schema-removed",))
def media_type_schema_removed(pair: OperationPair, ctx: object = None) -> Iterator[Violation]:
    """The schema of a media type the API writes was removed.

    ## What it does
    Flags a response media type (for webhooks and callbacks: the request body, which the API
    sends) that had a `schema` and has none now. oasdiff makes this a warning; here it is an
    error, like any other widening of what the API sends.

    ## Why is this breaking?
    Without a schema the API may send anything; old clients parse the body by the old schema.

    ## Example
    Before: `200: {content: {application/json: {schema: {$ref: ...}}}}`. After: `200: {content: {application/json: {}}}`.

    ## How to change this safely
    Keep documenting the schema; change it under the usual response rules.
    """
    for where, side, media, counterpart in content_pairs(pair):
        if side == "response" and counterpart is not None and media.schema is not None and counterpart.schema is None:
            yield Violation(f"{pair.label}: {where} {counterpart.name}: the schema was removed; the body may now be "
                            f"anything and old readers parse it by the old schema.", counterpart.at.location(),
                            media.at.location(), subject=f"{pair.label} {where} {counterpart.name}")


def _describe(entry: Encoding | None) -> tuple[str, str, bool | None, bool]:
    return ("", "", None, False) if entry is None else (entry.content_type, entry.style, entry.explode,
                                                        entry.allow_reserved)


@api_rule("ENCODING_CHANGED", subject="operation")
def encoding_changed(pair: OperationPair, ctx: object = None) -> Iterator[Violation]:
    """How a property of a multipart or form body is encoded changed.

    ## What it does
    Compares the `encoding` entries of each media type (`multipart/form-data`,
    `application/x-www-form-urlencoded`) by property: a changed, added or removed
    `contentType`, `style`, `explode` or `allowReserved`; part headers added to data the API
    reads, or removed from data it writes.

    ## Why is this breaking?
    The writer still encodes the part the old way (a JSON part sent as `text/plain`, an array
    exploded into repeated keys): the reader decodes it as something else or rejects it.
    Part headers the reader now expects are not sent by old writers; part headers old readers
    used are no longer sent.

    ## Example
    Before: `encoding: {avatar: {contentType: image/png}}`. After: `encoding: {avatar: {contentType: image/webp}}`.

    ## How to change this safely
    Accept both encodings when reading; add a new property for the new encoding when writing.
    """
    for where, side, media, counterpart in content_pairs(pair):
        if counterpart is None:
            continue
        old_by, new_by = {e.name: e for e in media.encoding}, {e.name: e for e in counterpart.encoding}
        for name in dict.fromkeys([*old_by, *new_by]):
            before, after = old_by.get(name), new_by.get(name)
            at = (after or before).at if after is not None else counterpart.at
            if _describe(before) != _describe(after):
                yield Violation(f"{pair.label}: {where} {counterpart.name}: the encoding of part {name} changed "
                                f"({_text(before)} -> {_text(after)}); readers decode it differently from how "
                                f"writers encode it.", at.location(), (before.at if before else media.at).location(),
                                subject=f"{pair.label} {where} {counterpart.name} {name}")
                continue
            old_headers = set(before.headers) if before else set()
            new_headers = set(after.headers) if after else set()
            lost = sorted(new_headers - old_headers) if side == "request" else sorted(old_headers - new_headers)
            if lost:
                what = "now expects part headers" if side == "request" else "no longer sends part headers"
                yield Violation(f"{pair.label}: {where} {counterpart.name}: part {name} {what} {', '.join(lost)}.",
                                at.location(), (before.at if before else media.at).location(),
                                subject=f"{pair.label} {where} {counterpart.name} {name} headers")


def _text(entry: Encoding | None) -> str:
    if entry is None:
        return "default"
    parts = [f"contentType {entry.content_type}" if entry.content_type else "",
             f"style {entry.style}" if entry.style else "",
             f"explode {str(entry.explode).lower()}" if entry.explode is not None else "",
             "allowReserved" if entry.allow_reserved else ""]
    return ", ".join(p for p in parts if p) or "default"


@api_rule("SCHEMA_CONTENT_CHANGED", subject="property",
          aliases=("request-body-content-schema-added", "request-body-content-media-type-changed",
                   "request-body-content-encoding-changed", "request-property-content-schema-added",
                   "request-property-content-media-type-changed", "request-property-content-encoding-changed",
                   "response-body-content-schema-removed", "response-body-content-media-type-changed",
                   "response-body-content-encoding-changed", "response-property-content-schema-removed",
                   "response-property-content-media-type-changed", "response-property-content-encoding-changed"))
def schema_content_changed(pair: PropertyPair, ctx: object = None) -> Iterator[Violation]:
    """A string's content encoding, content media type or content schema changed.

    ## What it does
    Flags a body or property schema whose `contentEncoding` (`base64`) or `contentMediaType`
    (`application/json`) changed, was added or was removed, on either side; and a
    `contentSchema` added where the API reads the data (it narrows what is accepted), removed
    where the API writes it (it widens what is sent), or changed. These keywords are outside the
    shape engine, so the content schema itself is not compared further.

    ## Why is this breaking?
    The string is decoded by the old rules: base64 text read as raw bytes, a JSON document
    read as XML. A content schema the reader did not know, or no longer promised, lets
    unreadable content through.

    ## Example
    Before: `{type: string, contentEncoding: base64}`. After: `{type: string, contentEncoding: base32}`.

    ## How to change this safely
    Add a new property with the new encoding and keep the old one until readers have moved.
    """
    old, new = pair.old, pair.new
    for keyword in ("contentEncoding", "contentMediaType"):
        if old.get(keyword) != new.get(keyword):
            yield _content(pair, f"{keyword} changed from {_value(old.get(keyword))} to {_value(new.get(keyword))}")
    before, after = old.get("contentSchema"), new.get("contentSchema")
    if before is None and after is not None and pair.side == "request":
        yield _content(pair, "a contentSchema was added; content old writers send may be rejected")
    elif before is not None and after is None and pair.side == "response":
        yield _content(pair, "its contentSchema was removed; the content may now be anything")
    elif before is not None and after is not None and before != after:
        yield _content(pair, "its contentSchema changed; the content is not compared further")


def _content(pair: PropertyPair, text: str) -> Violation:
    return Violation(f"{pair.label} ({pair.side}): {text}.", pair.location, pair.base_location,
                     subject=f"{pair.subject} content")


def _value(value: object) -> str:
    return "none" if value is None else str(value)
