"""The OpenAPI model: operations and what they send and receive, each with where it is written.

Maintainers: frozen values built by ``build.py`` from one loaded spec; version differences are
absorbed there (2.0 ``body`` parameters become a request body, 2.0 response ``schema`` becomes
content per ``produces``, 3.x parameter ``content`` becomes its schema). Every element carries a
:class:`Node` (document + JSON pointer, located lazily: only reported elements need a position)
and every schema a :class:`SchemaRef` for the shape builder. Keys used for pairing:
operations by (method, path template with parameter names erased), parameters by (in, name),
media types by name, responses by status code, headers by lower-cased name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ...formats.jsonschema.document import JsonDocument
from ...model import Location

__all__ = ["Node", "SchemaRef", "Parameter", "MediaType", "RequestBody", "Header", "Response",
           "Operation", "Api", "template_key", "Requirement", "Encoding", "Servers"]

#: One security requirement alternative: scheme name -> required scopes.
Requirement = frozenset[tuple[str, frozenset[str]]]


def template_key(path: str) -> str:
    """A path template with parameter names erased: ``/users/{id}`` and ``/users/{userId}`` pair."""
    return re.sub(r"\{[^}/]*\}", "{}", path)


@dataclass(frozen=True, slots=True)
class Node:
    """Where an element is written: a pointer into a loaded document."""

    doc: JsonDocument = field(compare=False, repr=False)
    pointer: str = ""

    def location(self) -> Location:
        """The element's span (its nearest existing ancestor's, if the pointer is synthetic)."""
        return self.doc.nearest_location(self.pointer)


@dataclass(frozen=True, slots=True)
class SchemaRef:
    """A schema to build shapes from: the JSON Schema object at ``pointer`` of ``doc``."""

    doc: JsonDocument = field(compare=False, repr=False)
    pointer: str = ""


@dataclass(frozen=True, slots=True)
class Parameter:
    """An operation parameter (path-level ones merged in, operation-level ones winning)."""

    where: str  # path, query, header, cookie (2.0: also formData)
    name: str
    required: bool
    schema: SchemaRef | None
    at: Node
    style: str = ""
    explode: bool | None = None
    deprecated: bool = False
    default: str | None = None  # canonical JSON of the schema's (2.0: the parameter's) default
    sunset: str | None = None  # ``x-sunset`` as written (``None`` when absent)
    stability: str | None = None  # ``x-stability-level`` as written (``None`` when absent)

    @property
    def key(self) -> tuple[str, str]:
        return (self.where, self.name.lower() if self.where == "header" else self.name)

    @property
    def label(self) -> str:
        return f"{self.where} parameter {self.name}"


@dataclass(frozen=True, slots=True)
class Encoding:
    """How one property of a multipart or form body is serialised (an ``encoding`` entry).

    Attributes:
        content_type: ``contentType`` as written (``""``: the default for the property's type).
        style: ``style`` (``""`` when absent).
        explode: ``explode`` (``None`` when absent).
        allow_reserved: ``allowReserved``.
        headers: Lower-cased names of the part headers it documents.
    """

    name: str
    content_type: str
    style: str
    explode: bool | None
    allow_reserved: bool
    headers: tuple[str, ...]
    at: Node


@dataclass(frozen=True, slots=True)
class MediaType:
    """One media type of a request body or response (``application/json``)."""

    name: str
    schema: SchemaRef | None
    at: Node
    encoding: tuple[Encoding, ...] = ()


@dataclass(frozen=True, slots=True)
class RequestBody:
    """An operation's request body."""

    required: bool
    content: tuple[MediaType, ...]
    at: Node


@dataclass(frozen=True, slots=True)
class Header:
    """A response header."""

    name: str
    required: bool
    schema: SchemaRef | None
    at: Node


@dataclass(frozen=True, slots=True)
class Response:
    """A response by status code (``200``, ``2XX``, ``default``)."""

    status: str
    content: tuple[MediaType, ...]
    headers: tuple[Header, ...]
    at: Node


@dataclass(frozen=True, slots=True)
class Servers:
    """The server URLs in effect at some level (``root``, ``path`` or ``operation``).

    Attributes:
        urls: Server URLs as written, with ``{variables}`` replaced by their defaults.
        level: Where they are declared (an operation's servers override its path item's,
            which override the document's; 2.0 ``host`` + ``basePath`` + ``schemes`` are root).
        at: The ``servers`` node (or the document for 2.0).
    """

    urls: tuple[str, ...]
    level: str
    at: Node


@dataclass(frozen=True, slots=True)
class Operation:
    """One method of one path (or of a webhook / callback).

    Attributes:
        method: Upper-case HTTP method.
        path: The path template as written (or ``webhook <name>``).
        parameters: Path-level and operation-level parameters, merged.
        security: The requirement alternatives in effect (operation-level, else the spec's);
            ``()`` means none is needed.
        reversed: A webhook or callback: the API *sends* the request and *reads* the response,
            so the directions of request and response data are swapped.
    """

    method: str
    path: str
    parameters: tuple[Parameter, ...]
    request_body: RequestBody | None
    responses: tuple[Response, ...]
    security: tuple[Requirement, ...]
    at: Node
    operation_id: str = ""
    deprecated: bool = False
    reversed: bool = False
    sunset: str | None = None  # ``x-sunset`` as written (``None`` when absent)
    stability: str | None = None  # ``x-stability-level`` as written (``None`` when absent)
    servers: Servers | None = None  # in effect (``None``: none declared anywhere)

    @property
    def key(self) -> tuple[str, str]:
        return (self.method, template_key(self.path))

    @property
    def label(self) -> str:
        """``GET /v1/orders/{id}`` (``POST webhook newPet`` for webhooks)."""
        return f"{self.method} {self.path}"


@dataclass(frozen=True, slots=True)
class Api:
    """One OpenAPI document at one revision.

    Attributes:
        path: Repository path of the document.
        version: ``2.0``, ``3.0`` or ``3.1``.
        operations: By :attr:`Operation.key` (webhooks and callbacks too).
        paths: Path templates (key -> (template as written, node)).
        webhooks: 3.1 webhooks by name.
        servers: The document-level servers (2.0: ``host``/``basePath``/``schemes``).
    """

    path: str
    version: str
    doc: JsonDocument | None = field(compare=False, repr=False)
    operations: dict[tuple[str, str], Operation] = field(compare=False, default_factory=dict)
    paths: dict[str, tuple[str, Node]] = field(compare=False, default_factory=dict)
    webhooks: dict[str, Node] = field(compare=False, default_factory=dict)
    servers: Servers | None = field(compare=False, default=None)

    def location(self, pointer: str) -> Location | None:
        """Where ``pointer`` (or its nearest ancestor) is; ``None`` for a deleted document."""
        return self.doc.nearest_location(pointer) if self.doc is not None else None
