"""One side of a contract: a selector resolved to a shape at one revision, through its format's front end.

Maintainers: nothing here parses a format itself. A Python DTO goes through ``formats/python``
(project, extractor, the *read* or *write* view of ``to_shape``); a JSON Schema through the
JSON Schema loader, ``RefResolver`` and shape builder; an OpenAPI document through its loader,
its request/response *view* (``readOnly``/``writeOnly`` applied) and ``build_api`` to find the
operation's media type; a protobuf message through the ProtoJSON shape of ``formats/protobuf``.
``role`` says whether the side is the *reader* or the *writer* of the data, which picks the
view. Every failure to find the element raises :class:`~.selectors.SelectorError` with a
message that completes "selector ...: ".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..errors import ParseError, SchemacheckError
from ..formats.jsonschema.document import pointer_parts
from .selectors import JSON_SUFFIXES, Selector, SelectorError, SideFileError

if TYPE_CHECKING:
    from ..formats.jsonschema.document import JsonDocument
    from ..shape.nodes import Shape
    from ..snapshot import Snapshot

__all__ = ["Side", "resolve_side", "roles", "READER", "WRITER"]

READER, WRITER = "reader", "writer"


def roles(direction: str) -> tuple[str, str, str]:
    """The consumer's role, the producer's role, and the data between them (:func:`resolve_side`'s ``data``)
    for a contract's ``direction``: ``reads``, the consumer reads the producer's responses; ``writes``, the
    producer reads the consumer's requests."""
    return (READER, WRITER, "response") if direction == "reads" else (WRITER, READER, "request")

_JSON_MEDIA = ("application/json",)

@dataclass(frozen=True, slots=True)
class Side:
    """A resolved contract side.

    Attributes:
        selector: What was asked for.
        shape: Its shape in the view of its role.
        label: How messages name it (``OrderResponse``, ``GET /orders/{id} 200``).
        root: The pointer of the element's root in its file (field paths in messages are relative to it).
    """

    selector: Selector
    shape: Shape
    label: str
    root: str = ""

def resolve_side(selector: Selector, snapshot: Snapshot, role: str, data: str,
                 pydantic_version: int | None = None, settings: object | None = None) -> Side:
    """The shape ``selector`` names in ``snapshot``.

    Args:
        selector: The parsed selector.
        snapshot: The revision (the new one).
        role: :data:`READER` or :data:`WRITER` of the data.
        data: ``response`` or ``request``: which OpenAPI view a pointer or component is read in
            (an operation selector says it itself).
        pydantic_version: The project's configured pydantic major version, if any.
        settings: The project's configuration (a protobuf side is compiled with the protobuf
            check's import roots and sources); ``None``: the defaults.

    Raises:
        SelectorError: The file or the element does not exist, or the file does not load.
    """
    if not snapshot.exists(selector.path):
        raise SelectorError(f"no file {selector.path}")
    if selector.kind == "python":
        return _python(selector, snapshot, role, pydantic_version)
    if selector.kind == "protobuf":
        return _protobuf(selector, snapshot, role, settings)
    return _document(selector, snapshot, data)

def _python(selector: Selector, snapshot: Snapshot, role: str, pydantic_version: int | None) -> Side:
    from ..formats.python.classes import Extractor
    from ..formats.python.project import Project
    from ..formats.python.to_shape import READ, WRITE, ShapeBuilder
    from ..formats.python.version import pydantic_major

    extractor = Extractor(Project(snapshot), pydantic_version or pydantic_major(snapshot))
    try:
        mod = extractor.project.load(selector.path)
    except SchemacheckError as exc:
        raise SideFileError(f"{selector.path} does not load: {exc.message}", exc.message) from None
    first, *inner = selector.name.split(".")
    cls = mod.classes.get(first)
    for part in inner:
        cls = cls.inner_class(part) if cls is not None else None
    if cls is None:
        stmt = mod.assigns.get(selector.name)
        if stmt is not None and stmt.value is not None and stmt.value.kind == "call":
            dto = extractor.functional_typeddict(mod, stmt)
            return Side(selector, ShapeBuilder(extractor).shape(dto, READ if role == READER else WRITE), dto.name)
        raise SelectorError(f"no class {selector.name} in {selector.path}")
    if extractor.kind_of(mod, cls, selector.name) in (None, "enum"):
        raise SelectorError(f"class {selector.name} in {selector.path} is not a DTO (pydantic model, dataclass, "
                            "TypedDict, attrs class or msgspec Struct)")
    dto = extractor.dto(mod, cls, selector.name)
    return Side(selector, ShapeBuilder(extractor).shape(dto, READ if role == READER else WRITE), dto.name)

def _protobuf(selector: Selector, snapshot: Snapshot, role: str, settings: object | None) -> Side:
    """A message through its ProtoJSON mapping: what a parser accepts (reader) or a serializer emits (writer),
    compiled as the protobuf check compiles that revision (``[tool.schemacheck.protobuf]`` roots, else
    buf.yaml's, and the same external import sources)."""
    from ..compat.protobuf.bufsetup import revision_reading
    from ..formats.protobuf.protojson_shape import protojson_shape

    try:
        roots, sources = revision_reading(snapshot, settings)
        shape = protojson_shape(snapshot, selector.path, selector.name, roots=roots, sources=sources,
                                view="read" if role == READER else "write")
    except ParseError as exc:
        raise SideFileError(exc.message, exc.message) from None
    except SchemacheckError as exc:
        raise SelectorError(exc.message) from None
    return Side(selector, shape, selector.name.rsplit(".", 1)[-1])


def _raw(selector: Selector, snapshot: Snapshot) -> bytes:
    try:
        return snapshot.read(selector.path)
    except SchemacheckError as exc:
        raise SideFileError(f"{selector.path} cannot be read: {exc.message}", exc.message) from None
    except OSError as exc:
        raise SideFileError(f"{selector.path} cannot be read: {exc}", f"{selector.path}: {exc}") from None


def _document(selector: Selector, snapshot: Snapshot, data: str) -> Side:
    """A JSON/YAML file: an OpenAPI document (a top-level ``openapi``/``swagger`` key) or a JSON Schema."""
    from ..formats.jsonschema.loader import load_document
    from ..formats.openapi.detect import looks_like_openapi
    from ..formats.openapi.loader import NotOpenApi, load_spec

    if not selector.path.lower().endswith(JSON_SUFFIXES):
        raise SelectorError("an OpenAPI operation is named in a .json, .yaml or .yml file")
    raw = _raw(selector, snapshot)
    try:
        if looks_like_openapi(raw):
            try:
                doc, version, _ = load_spec(selector.path, raw)
                return _openapi(selector, snapshot, data, doc, version)
            except NotOpenApi:
                pass  # the text matched a nested key: a JSON Schema after all
        if selector.kind == "operation":
            raise SelectorError(f"{selector.path} is not an OpenAPI document (no top-level `openapi` or "
                                "`swagger` key)")
        return _jsonschema(selector, snapshot, load_document(selector.path, raw))
    except SchemacheckError as exc:
        raise SideFileError(f"{selector.path} does not load: {exc.message}", exc.message) from None


def _has(doc: JsonDocument, pointer: str) -> bool:
    try:
        return doc.has(pointer)
    except ValueError:  # not a valid JSON pointer (a bad ~ escape)
        return False


def _jsonschema(selector: Selector, snapshot: Snapshot, doc: JsonDocument) -> Side:
    from ..compat.jsonschema.checker import id_candidates, snapshot_loader
    from ..formats.jsonschema.refs import RefResolver
    from ..formats.jsonschema.to_shape import ShapeBuilder

    if not _has(doc, selector.pointer):
        raise SelectorError(f"no {selector.pointer} in {selector.path}")
    refs = RefResolver(snapshot_loader(snapshot), (doc,), id_candidates=id_candidates(snapshot))
    label = selector.path + (f"#{selector.pointer}" if selector.pointer else "")
    return Side(selector, ShapeBuilder(refs).build(doc, selector.pointer), label, selector.pointer)


def _openapi(selector: Selector, snapshot: Snapshot, data: str, doc: JsonDocument, version: str) -> Side:
    from ..formats.jsonschema.refs import RefResolver
    from ..formats.jsonschema.to_shape import ShapeBuilder
    from ..formats.openapi.build import build_api
    from ..formats.openapi.loader import spec_loader
    from ..formats.openapi.model import template_key
    from ..formats.openapi.views import document_view

    operation = selector if selector.kind == "operation" else _as_operation(selector)
    side = data if operation is None else ("request" if operation.part == "request" else "response")
    view = document_view(doc, side)
    refs = RefResolver(spec_loader(snapshot, version, side), (view,))
    if operation is None:
        if not _has(view, selector.pointer):
            raise SelectorError(f"no {selector.pointer} in {selector.path}")
        return Side(selector, ShapeBuilder(refs).build(view, selector.pointer), f"{selector.path}#{selector.pointer}",
                    selector.pointer)
    api = build_api(view, version, refs)
    op = api.operations.get((operation.method, template_key(operation.route)))
    if op is None:
        raise SelectorError(f"no operation {operation.method} {operation.route} in {selector.path}")
    if operation.part == "request":
        if op.request_body is None:
            raise SelectorError(f"{op.label} has no request body in {selector.path}")
        content, label = op.request_body.content, f"`{op.label}` request"
    else:
        response = next((r for r in op.responses if r.status.upper() == operation.part.upper()), None)
        if response is None:
            raise SelectorError(f"{op.label} has no {operation.part} response in {selector.path}")
        content, label = response.content, f"`{op.label}` {response.status}"
    media = _json_media(content)
    if media is None or media.schema is None:
        raise SelectorError(f"{label} has no JSON content schema in {selector.path}")
    schema = media.schema
    return Side(selector, ShapeBuilder(refs).build(schema.doc, schema.pointer), label, schema.pointer)


def _as_operation(selector: Selector) -> Selector | None:
    """``#/paths/<route>/<method>/responses/<status>`` or ``.../requestBody`` as an operation selector."""
    try:
        parts = pointer_parts(selector.pointer)
    except ValueError:
        return None
    if len(parts) == 5 and parts[0] == "paths" and parts[3] == "responses":
        return Selector(selector.text, selector.path, "operation", method=parts[2].upper(), route=parts[1],
                        part=parts[4])
    if len(parts) == 4 and parts[0] == "paths" and parts[3] == "requestBody":
        return Selector(selector.text, selector.path, "operation", method=parts[2].upper(), route=parts[1],
                        part="request")
    return None

def _json_media(content: tuple) -> object | None:
    """The JSON media type of a body: ``application/json``, else ``*+json``, else ``*/*``, else the only one."""
    by_name = {m.name.split(";")[0].strip().lower(): m for m in content}
    for name in _JSON_MEDIA:
        if name in by_name:
            return by_name[name]
    for name, media in by_name.items():
        if name.endswith("+json"):
            return media
    if "*/*" in by_name:
        return by_name["*/*"]
    return content[0] if len(content) == 1 else None

