"""Bytes of an OpenAPI file → a :class:`JsonDocument` in the schema dialect of its version.

Maintainers: parsing, limits and positions are the JSON Schema loader's (``load_document``);
this module checks for the top-level version key and rewrites what OpenAPI 3.0 and Swagger 2.0
write differently from JSON Schema, *in place and without moving any node*, so every JSON
pointer keeps its position:

- ``nullable: true`` (3.0) / ``x-nullable: true`` (2.0) next to ``type: T`` becomes
  ``type: [T, "null"]``;
- ``type: file`` (2.0) becomes ``type: string`` (a binary upload is a string on the wire);
- the document's dialect is ``draft7`` for 3.0 and 2.0 (``$ref`` hides its siblings there; a
  boolean ``exclusiveMinimum`` is read the draft-4 way by the shape builder) and 2020-12 for
  3.1 (or the dialect ``jsonSchemaDialect`` names).

Files a spec references are loaded the same way, in the referring spec's version.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from ...errors import ParseError
from ...model import Diagnostic
from ...formats.jsonschema.document import DEFAULT_DIALECT, JsonDocument, dialect_of
from ...snapshot import Snapshot
from ..jsonschema.refs import read_ref_target

__all__ = ["load_spec", "load_fragment", "spec_version", "spec_loader", "VERSIONS", "NotOpenApi"]

#: Versions this front end reads, as reported in messages.
VERSIONS = ("2.0", "3.0", "3.1")
_LEGACY_DIALECT = "draft7"


class NotOpenApi(ParseError):
    """The file parses but has no top-level ``openapi: 3.x`` / ``swagger: "2.0"`` key (the text
    pre-filter matched a nested key, or an ``include`` glob named another kind of file)."""


def spec_version(data: Any) -> str | None:
    """``2.0``, ``3.0`` or ``3.1`` from the top-level key (3.2 is read as 3.1), else ``None``."""
    if not isinstance(data, dict):
        return None
    openapi, swagger = data.get("openapi"), data.get("swagger")
    if isinstance(openapi, str):
        if openapi.startswith("3.0"):
            return "3.0"
        if openapi.startswith(("3.1", "3.2")):
            return "3.1"
    if isinstance(swagger, (str, float)) and str(swagger) == "2.0":
        return "2.0"
    return None


def load_spec(path: str, raw: bytes, validate: bool = False, base: Any = None
              ) -> tuple[JsonDocument, str, list[Diagnostic]]:
    """Load an OpenAPI document; returns it (in its schema dialect), its version, and, when
    ``validate`` is set, the problems its version's official schema finds (validated *before*
    the dialect rewrite, so ``nullable`` is judged as written; a large file with a ``base``
    revision's data only where it changed).

    Raises:
        ParseError: Not JSON/YAML the loader accepts, or no top-level ``openapi``/``swagger`` key.
    """
    from ...formats.jsonschema.loader import load_document

    doc = load_document(path, raw)
    version = spec_version(doc.data)
    if version is None:
        raise NotOpenApi(path, 1, 1, "not an OpenAPI document: no top-level `openapi: 3.x` or `swagger: \"2.0\"` key",
                         tip="Only OpenAPI 3.0, 3.1 and Swagger 2.0 are read; exclude other files from "
                             "[tool.schemacheck.openapi] include.")
    problems: list[Diagnostic] = []
    if validate:
        from .validate import validate_spec

        problems = validate_spec(doc, version) if base is None else validate_spec(doc, version, base)
    return _in_dialect(doc, version), version, problems


def load_fragment(path: str, raw: bytes, version: str) -> JsonDocument:
    """Load a file referenced by a spec of ``version`` (schemas, parameters...)."""
    from ...formats.jsonschema.loader import load_document

    return _in_dialect(load_document(path, raw), version)


def spec_loader(snapshot: Snapshot, version: str, side: str = "") -> Callable[[str], JsonDocument]:
    """A loader for :class:`~schemacheck.formats.jsonschema.refs.RefResolver` over ``snapshot``
    (``side``: ``request``/``response`` for that view of each file, see ``views.py``)."""

    def load(path: str) -> JsonDocument:
        raw = read_ref_target(snapshot, path)
        doc = load_fragment(path, raw, version)
        if side:
            from .views import document_view

            doc = document_view(doc, side)
        return doc

    return load


def _in_dialect(doc: JsonDocument, version: str) -> JsonDocument:
    if version == "3.1":
        dialect = dialect_of(doc.data.get("jsonSchemaDialect")) if isinstance(doc.data, dict) else None
        return dataclasses.replace(doc, dialect=dialect or DEFAULT_DIALECT)
    _rewrite_legacy(doc.data)
    return dataclasses.replace(doc, dialect=_LEGACY_DIALECT)


def _rewrite_legacy(data: Any) -> None:
    """``nullable``/``x-nullable`` and ``type: file``, everywhere (iteratively; depth is bounded
    by the loader but not by the interpreter's recursion limit here)."""
    stack = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(v for v in node if isinstance(v, (dict, list)))
            continue
        if not isinstance(node, dict):
            continue
        kind = node.get("type")
        if kind == "file":
            node["type"] = kind = "string"
        if isinstance(kind, str) and (node.get("nullable") is True or node.get("x-nullable") is True):
            node["type"] = [kind, "null"]
        stack.extend(v for v in node.values() if isinstance(v, (dict, list)))
