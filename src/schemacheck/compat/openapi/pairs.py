"""What OpenAPI rules receive: API pairs, operation pairs, and schema changes found by the shape engine.

Maintainers: rules never pair anything themselves. The comparer (``compare.py``) builds these
frozen values; helpers here do the pairing that several rules share (responses by status code
with ranges, parameters by (in, name), media types by name) so rules stay a few lines long.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from ...formats.openapi.model import Api, MediaType, Operation, Parameter, Response
from ...model import Location
from .lifecycle import Policy

__all__ = ["ApiPair", "OperationPair", "SchemaChange", "response_pairs", "media_pairs", "parameter_pairs",
           "is_success", "range_of", "is_wildcard_for", "content_pairs"]


@dataclass(frozen=True, slots=True)
class ApiPair:
    """Two revisions of one OpenAPI document (subject ``api``)."""

    old: Api
    new: Api
    policy: Policy = field(default_factory=Policy)


@dataclass(frozen=True, slots=True)
class OperationPair:
    """One operation in both revisions (subject ``operation``; only operations that may differ)."""

    old: Operation
    new: Operation
    policy: Policy = field(default_factory=Policy)

    @property
    def label(self) -> str:
        return self.new.label


@dataclass(frozen=True, slots=True)
class SchemaChange:
    """A difference the shape engine found in one schema of one or more operations (subject ``schema``).

    Attributes:
        operations: Labels of the operations that send or receive this schema (``GET /orders/{id}``).
        where: The element (``response 200 application/json``, ``query parameter limit``).
        side: ``request`` (data the API reads) or ``response`` (data the API writes), after
            swapping for webhooks and callbacks.
        shape_rule: The shape engine's rule (``PROPERTY_RENAMED``).
        message: The engine's sentence, its "who breaks" clause already in HTTP terms.
        location: Where in head (the changed schema node).
        base_location: Where in base.
        subject: Stable element name (JSON pointer of the schema node).
        old_name: Last pointer token of the old node (a property name for renames).
        new_name: Last pointer token of the new node.
    """

    operations: tuple[str, ...]
    where: str
    side: str
    shape_rule: str
    message: str
    location: Location | None
    base_location: Location | None
    subject: str
    old_name: str = ""
    new_name: str = ""

    @property
    def operation(self) -> str:
        """The operations for messages: ``GET /a``, or ``GET /a and 3 more operations``."""
        if len(self.operations) <= 2:
            return " and ".join(self.operations)
        return f"{self.operations[0]} and {len(self.operations) - 1} more operations"


def content_pairs(pair: OperationPair) -> Iterator[tuple[str, str, MediaType, MediaType | None]]:
    """Each media type of the request body and of every paired response: (where, data side after
    swapping for webhooks/callbacks, old media type, new counterpart or ``None``)."""
    body_side = "response" if pair.new.reversed else "request"
    response_side = "request" if pair.new.reversed else "response"
    old_body, new_body = pair.old.request_body, pair.new.request_body
    if old_body is not None and new_body is not None:
        for media, counterpart in media_pairs(old_body.content, new_body.content):
            yield "request body", body_side, media, counterpart
    for response, counterpart_response in response_pairs(pair.old, pair.new):
        if counterpart_response is not None:
            for media, counterpart in media_pairs(response.content, counterpart_response.content):
                yield f"response {counterpart_response.status}", response_side, media, counterpart


def is_success(status: str) -> bool:
    """``2xx`` codes and the ``2XX`` range."""
    return status[:1] == "2"


def range_of(status: str) -> str:
    """``200`` -> ``2XX``."""
    return status[:1] + "XX" if status[:1].isdigit() else status


def response_pairs(old: Operation, new: Operation) -> Iterator[tuple[Response, Response | None]]:
    """Each old response with its new counterpart: the same code, else the range covering it
    (``200`` -> ``2XX``), else ``None``. ``default`` pairs only with ``default``."""
    by_status = {r.status: r for r in new.responses}
    for response in old.responses:
        yield response, by_status.get(response.status) or by_status.get(range_of(response.status))


def media_pairs(old: tuple[MediaType, ...], new: tuple[MediaType, ...]) -> Iterator[tuple[MediaType, MediaType | None]]:
    """Each old media type with the new one of the same name (parameters such as ``charset``
    ignored), else the new wildcard that covers it (``application/json`` -> ``application/*``,
    then ``*/*``): see :func:`is_wildcard_for`."""
    by_name = {_bare(m.name): m for m in new}
    for media in old:
        name = _bare(media.name)
        yield media, by_name.get(name) or by_name.get(name.split("/", 1)[0] + "/*") or by_name.get("*/*")


def is_wildcard_for(new: MediaType, old: MediaType) -> bool:
    """Whether ``new`` is a wildcard range standing in for the concrete ``old`` (a generalisation)."""
    return _bare(new.name) != _bare(old.name) and _bare(new.name).endswith("/*")


def parameter_pairs(old: Operation, new: Operation) -> Iterator[tuple[Parameter | None, Parameter | None]]:
    """Parameters by (in, name): (old, new), (old, None) for removed, (None, new) for added.

    Path parameters pair by position in the template (names may differ: ``{id}`` vs ``{userId}``).
    """
    old_by, new_by = _by_key(old), _by_key(new)
    for key, param in old_by.items():
        yield param, new_by.get(key)
    for key, param in new_by.items():
        if key not in old_by:
            yield None, param


def _by_key(op: Operation) -> dict[tuple[str, str], Parameter]:
    import re

    order = {name: i for i, name in enumerate(re.findall(r"\{([^}/]*)\}", op.path))}
    out: dict[tuple[str, str], Parameter] = {}
    for param in op.parameters:
        key = ("path", f"#{order[param.name]}") if param.where == "path" and param.name in order else param.key
        out[key] = param
    return out


def _bare(media: str) -> str:
    return media.split(";", 1)[0].strip().lower()
