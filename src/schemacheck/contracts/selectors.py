"""Selector strings: which schema element of which file a contract side names.

Maintainers: one syntax, documented in docs/contracts.md:

- ``path/to/module.py:ClassName`` (``Outer.Inner`` for a nested class): a Python DTO;
- ``path/to/file.proto:pkg.Message``: a protobuf message, read through its ProtoJSON mapping;
- ``path/to/file.json`` (``.yaml``/``.yml``), optionally ``#/json/pointer``: a JSON Schema, or in an
  OpenAPI document the schema at the pointer; a pointer to a response
  (``#/paths/~1orders~1{id}/get/responses/200``) or a request body (``.../requestBody``) means
  its JSON content schema;
- ``openapi.yaml GET /orders/{id} 200`` or ``openapi.yaml POST /orders request``: an operation's
  response by status, or its request body (the JSON content schema).

Parsing is pure; whether the file and element exist is decided by :mod:`.sides` at a revision.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


__all__ = ["Selector", "SelectorError", "SideFileError", "parse_selector", "JSON_SUFFIXES", "METHODS",
           "direction_mismatch"]

JSON_SUFFIXES = (".json", ".yaml", ".yml")
#: HTTP methods (``formats/openapi/build.METHODS``; not imported, so parsing a selector loads no front end).
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_STATUS = re.compile(r"^([1-5][0-9][0-9]|[1-5]XX|default)$", re.IGNORECASE)


class SelectorError(ValueError):
    """A selector that is malformed or does not resolve (the message completes "selector ...: ")."""


class SideFileError(SelectorError):
    """The selector is fine but its file (or one it uses) does not parse or cannot be read.

    ``problem`` is the file's own error (``path:line:col: cause``): the same for every contract
    reading that file, so it is reported once per file, not once per contract.
    """

    def __init__(self, message: str, problem: str) -> None:
        super().__init__(message)
        self.problem = problem


@dataclass(frozen=True, slots=True)
class Selector:
    """A parsed selector.

    Attributes:
        text: As written.
        path: The file (repository-relative, or as named on the ``contract`` command line).
        kind: ``python``, ``protobuf``, ``document`` (JSON Schema or OpenAPI by pointer) or
            ``operation`` (an OpenAPI operation's response or request).
        name: Class or message name (``python``/``protobuf``).
        pointer: JSON pointer (``document``; ``""`` is the root).
        method: Upper-case HTTP method (``operation``).
        route: Path template (``operation``).
        part: Status code or ``request`` (``operation``).
    """

    text: str
    path: str
    kind: str
    name: str = ""
    pointer: str = ""
    method: str = ""
    route: str = ""
    part: str = ""


def parse_selector(text: str) -> Selector:
    """Parse ``text``.

    Raises:
        SelectorError: It fits none of the forms.
    """
    raw = text.strip()
    words = raw.split()
    if len(words) == 4:
        path, method, route, part = words
        if method.lower() not in METHODS:
            raise SelectorError(f"{method!r} is not an HTTP method (expected e.g. 'FILE GET /orders/{{id}} 200')")
        if not route.startswith("/"):
            raise SelectorError(f"{route!r} is not a path template starting with '/'")
        if part.lower() != "request" and not _STATUS.match(part):
            raise SelectorError(f"{part!r} is neither a response status (200, 4XX, default) nor 'request'")
        return Selector(raw, path, "operation", method=method.upper(), route=route,
                        part="request" if part.lower() == "request" else part.upper().replace("DEFAULT", "default"))
    if len(words) != 1:
        raise SelectorError("expected FILE:NAME, FILE[#/pointer] or 'FILE METHOD /path STATUS|request'")
    if "#" in raw:
        path, _, fragment = raw.partition("#")
        if not path.lower().endswith(JSON_SUFFIXES):
            raise SelectorError("a '#/pointer' applies to a .json, .yaml or .yml file")
        if fragment and not fragment.startswith("/"):
            raise SelectorError(f"'#{fragment}' is not a JSON pointer (it must start with '/')")
        return Selector(raw, path, "document", pointer=fragment)
    path, colon, name = raw.rpartition(":")
    if colon and path.endswith(".py"):
        return _named(raw, path, name, "python", "a class name, e.g. clients/orders.py:OrderResponse")
    if colon and path.endswith(".proto"):
        return _named(raw, path, name, "protobuf", "a message's full name, e.g. orders.proto:shop.v1.Order")
    if raw.lower().endswith(JSON_SUFFIXES):
        return Selector(raw, raw, "document")
    if raw.endswith((".py", ".proto")):
        raise SelectorError(f"name the {'class' if raw.endswith('.py') else 'message'} after a colon "
                            f"({raw}:{'ClassName' if raw.endswith('.py') else 'pkg.Message'})")
    raise SelectorError("expected a .py, .proto, .json, .yaml or .yml file")


def _named(raw: str, path: str, name: str, kind: str, example: str) -> Selector:
    if not name or not all(part.isidentifier() for part in name.split(".")):
        raise SelectorError(f"{name!r} is not {example}")
    return Selector(raw, path, kind, name=name)


def direction_mismatch(selector: Selector, direction: str) -> str:
    """Why ``selector`` probably does not fit ``direction`` ('' when it may): a ``reads`` contract
    on a request body, or a ``writes`` contract on a response.

    Not an error: a request schema may be shared with a response on purpose (a ``reads`` pointer
    into ``requestBody`` that happens to be the same shape), so the contract is still checked.
    """
    if selector.kind == "operation":
        request = selector.part == "request"
    elif selector.kind == "document" and "/paths/" in f"/{selector.pointer}":
        parts = selector.pointer.split("/")
        if "requestBody" in parts:
            request = True
        elif "responses" in parts:
            request = False
        else:
            return ""
    else:
        return ""
    if request and direction == "reads":
        return (f"{selector.text!r} is a request body, but direction = 'reads' checks data the producer "
                "writes (responses, events); a request is direction = 'writes'")
    if not request and direction == "writes":
        return (f"{selector.text!r} is a response, but direction = 'writes' checks data the consumer sends "
                "(requests); a response is direction = 'reads'")
    return ""
