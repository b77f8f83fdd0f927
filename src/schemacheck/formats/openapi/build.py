"""A loaded OpenAPI document → :class:`~.model.Api` (operations, parameters, bodies, responses).

Maintainers: non-schema ``$ref``s (parameters, request bodies, responses, headers, path items)
are followed with the revision's :class:`RefResolver`, the same one the shape builder uses for
schemas, so cross-file references, remote refs (never fetched) and cycles behave the same way;
an unresolved one leaves the element out here and is reported by the checker from
``resolver.unresolved``. Version differences are absorbed here: 2.0 ``body`` parameters become
a request body with one media type per ``consumes``, 2.0 response ``schema`` one media type per
``produces``, 2.0 non-body parameters and headers *are* their schema; 3.x parameters with
``content`` use that media type's schema. Path-level parameters apply unless the operation
redefines the same (in, name).
"""

from __future__ import annotations

from typing import Any

from ...formats.jsonschema.document import JsonDocument, pointer_join
from ...formats.jsonschema.refs import RefResolver, Unresolved
from .details import encodings, extension_text, legacy_servers, servers_of
from .model import (Api, Header, MediaType, Node, Operation, Parameter, RequestBody, Requirement,
                    Response, SchemaRef, Servers, template_key)

__all__ = ["build_api", "METHODS"]

#: HTTP methods a path item may hold (3.x and 2.0).
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_MAX_HOPS = 32
_DEFAULT_STYLE = {"query": "form", "cookie": "form", "path": "simple", "header": "simple"}


class _Builder:
    def __init__(self, doc: JsonDocument, version: str, refs: RefResolver) -> None:
        self.doc, self.version, self.refs = doc, version, refs
        data = doc.data if isinstance(doc.data, dict) else {}
        self.legacy = version == "2.0"
        self.consumes = _strings(data.get("consumes")) or ("application/json",)
        self.produces = _strings(data.get("produces")) or ("application/json",)
        self.security = _security(data.get("security"))
        self.servers = legacy_servers(doc, data) if self.legacy else servers_of(doc, "", data, "root")
        self._visiting: set[tuple[str, str]] = set()  # path items on the callback chain being read

    def deref(self, doc: JsonDocument, pointer: str, value: Any) -> tuple[JsonDocument, str, Any] | None:
        """Follow ``$ref`` (a chain of them) from a non-schema object; ``None`` if it does not resolve."""
        seen: set[tuple[str, str]] = set()
        for _ in range(_MAX_HOPS):
            if not (isinstance(value, dict) and isinstance(value.get("$ref"), str)):
                return doc, pointer, value
            found = self.refs.resolve(doc, value["$ref"], pointer)
            if isinstance(found, Unresolved) or found.key in seen:
                return None
            seen.add(found.key)
            doc, pointer, value = found.document, found.pointer, found.value
        return None

    # -- operations ------------------------------------------------------------------------
    def api(self) -> Api:
        data = self.doc.data
        operations: dict[tuple[str, str], Operation] = {}
        paths: dict[str, tuple[str, Node]] = {}
        for path, item in _dict(data.get("paths")).items():
            if not path.startswith("/"):
                continue  # x- extensions
            pointer = pointer_join("/paths", path)
            paths[template_key(path)] = (path, Node(self.doc, pointer))
            self._path_item(path, pointer, item, operations, reversed_=False)
        webhooks: dict[str, Node] = {}
        for name, item in _dict(data.get("webhooks")).items():
            pointer = pointer_join("/webhooks", name)
            webhooks[name] = Node(self.doc, pointer)
            self._path_item(f"webhook {name}", pointer, item, operations, reversed_=True)
        return Api(self.doc.path, self.version, self.doc, operations, paths, webhooks, self.servers)

    def _path_item(self, path: str, pointer: str, item: Any, out: dict[tuple[str, str], Operation],
                   reversed_: bool, doc: JsonDocument | None = None) -> None:
        found = self.deref(doc or self.doc, pointer, item)
        if found is None or not isinstance(found[2], dict) or (found[0].path, found[1]) in self._visiting:
            return  # unresolved, or a callback that leads back to a path item being read (a cycle)
        doc, pointer, item = found
        self._visiting.add((doc.path, pointer))
        shared = self._parameters(doc, pointer, item.get("parameters"))
        servers = servers_of(doc, pointer, item, "path") or self.servers
        for method in METHODS:
            op = item.get(method)
            if not isinstance(op, dict):
                continue
            op_ptr = pointer_join(pointer, method)
            operation = self._operation(doc, op_ptr, op, method.upper(), path, shared, reversed_,
                                        servers_of(doc, op_ptr, op, "operation") or servers)
            out.setdefault(operation.key, operation)
            for name, callback in _dict(op.get("callbacks")).items():
                cb = self.deref(doc, pointer_join(op_ptr, "callbacks", name), callback)
                if cb is None or not isinstance(cb[2], dict):
                    continue
                for expression, cb_item in cb[2].items():
                    self._path_item(f"{path} callback {name} {expression}", pointer_join(cb[1], expression),
                                    cb_item, out, reversed_=not reversed_, doc=cb[0])
        self._visiting.discard((doc.path, pointer))

    def _operation(self, doc: JsonDocument, ptr: str, op: dict[str, Any], method: str, path: str,
                   shared: dict[tuple[str, str], Parameter | _Body], reversed_: bool,
                   servers: Servers | None = None) -> Operation:
        own = self._parameters(doc, ptr, op.get("parameters"))
        merged = {**shared, **own}
        params = tuple(p for p in merged.values() if isinstance(p, Parameter))
        body: RequestBody | None = None
        legacy_body = next((b for b in merged.values() if isinstance(b, _Body)), None)
        if legacy_body is not None:
            consumes = _strings(op.get("consumes")) or self.consumes
            body = RequestBody(legacy_body.required, tuple(MediaType(m, legacy_body.schema, legacy_body.at)
                                                           for m in consumes), legacy_body.at)
        elif "requestBody" in op:
            found = self.deref(doc, pointer_join(ptr, "requestBody"), op["requestBody"])
            if found is not None and isinstance(found[2], dict):
                bdoc, bptr, bval = found
                body = RequestBody(bval.get("required") is True, self._content(bdoc, bptr, bval),
                                   Node(bdoc, bptr))
        security = _security(op["security"]) if "security" in op else self.security
        return Operation(method, path, params, body, self._responses(doc, ptr, op), security, Node(doc, ptr),
                         op.get("operationId") if isinstance(op.get("operationId"), str) else "",
                         op.get("deprecated") is True, reversed_, extension_text(op.get("x-sunset")),
                         extension_text(op.get("x-stability-level")), servers)

    # -- parameters ------------------------------------------------------------------------
    def _parameters(self, doc: JsonDocument, ptr: str, values: Any) -> dict[tuple[str, str], Parameter | _Body]:
        out: dict[tuple[str, str], Parameter | _Body] = {}
        for i, value in enumerate(_list(values)):
            found = self.deref(doc, pointer_join(ptr, "parameters", i), value)
            if found is None or not isinstance(found[2], dict):
                continue
            pdoc, pptr, p = found
            where, name = p.get("in"), p.get("name")
            if not isinstance(where, str) or not isinstance(name, str):
                continue
            at = Node(pdoc, pptr)
            if where == "body":
                schema = SchemaRef(pdoc, pointer_join(pptr, "schema")) if "schema" in p else None
                out[("body", "")] = _Body(p.get("required") is True, schema, at)
                continue
            schema = self._param_schema(pdoc, pptr, p)
            param = Parameter(where, name, p.get("required") is True or where == "path", schema,
                              at, *self._style(where, p), deprecated=p.get("deprecated") is True,
                              default=self._default(schema), sunset=extension_text(p.get("x-sunset")),
                              stability=extension_text(p.get("x-stability-level")))
            out[param.key] = param
        return out

    def _param_schema(self, doc: JsonDocument, ptr: str, p: dict[str, Any]) -> SchemaRef | None:
        if self.legacy:
            return SchemaRef(doc, ptr)  # a 2.0 parameter is its own schema (type, format, enum, items...)
        if "schema" in p:
            return SchemaRef(doc, pointer_join(ptr, "schema"))
        media = self._content(doc, ptr, p)
        return media[0].schema if media else None

    def _default(self, schema: SchemaRef | None) -> str | None:
        """Canonical JSON of the ``default`` of a parameter's schema, through ``$ref``s (``None``
        when it has none)."""
        from ...shape.meta import canonical_json

        if schema is None:
            return None
        found = self.deref(schema.doc, schema.pointer, schema.doc.get(schema.pointer))
        value = found[2] if found is not None else None
        return canonical_json(value["default"]) if isinstance(value, dict) and "default" in value else None

    def _style(self, where: str, p: dict[str, Any]) -> tuple[str, bool | None]:
        if self.legacy:
            fmt = p.get("collectionFormat")
            return (fmt if isinstance(fmt, str) else "csv") if p.get("type") == "array" else "", None
        style = p.get("style") if isinstance(p.get("style"), str) else _DEFAULT_STYLE.get(where, "")
        explode = p.get("explode") if isinstance(p.get("explode"), bool) else style == "form"
        return style, explode

    # -- bodies and responses --------------------------------------------------------------
    def _content(self, doc: JsonDocument, ptr: str, value: dict[str, Any]) -> tuple[MediaType, ...]:
        out = []
        for name, media in _dict(value.get("content")).items():
            mptr = pointer_join(ptr, "content", name)
            schema = SchemaRef(doc, pointer_join(mptr, "schema")) if isinstance(media, dict) and "schema" in media \
                else None
            out.append(MediaType(name, schema, Node(doc, mptr), encodings(doc, mptr, media)))
        return tuple(out)

    def _responses(self, doc: JsonDocument, ptr: str, op: dict[str, Any]) -> tuple[Response, ...]:
        out = []
        produces = _strings(op.get("produces")) or self.produces
        for key, value in _dict(op.get("responses")).items():
            status = str(key).upper()
            if status.startswith("X-"):
                continue
            found = self.deref(doc, pointer_join(ptr, "responses", key), value)
            if found is None or not isinstance(found[2], dict):
                continue
            rdoc, rptr, r = found
            if self.legacy:
                content = tuple(MediaType(m, SchemaRef(rdoc, pointer_join(rptr, "schema")), Node(rdoc, rptr))
                                for m in produces) if "schema" in r else ()
            else:
                content = self._content(rdoc, rptr, r)
            out.append(Response(status.lower() if status == "DEFAULT" else status, content,
                                self._headers(rdoc, rptr, r), Node(rdoc, rptr)))
        return tuple(out)

    def _headers(self, doc: JsonDocument, ptr: str, response: dict[str, Any]) -> tuple[Header, ...]:
        out = []
        for name, value in _dict(response.get("headers")).items():
            found = self.deref(doc, pointer_join(ptr, "headers", name), value)
            if found is None or not isinstance(found[2], dict):
                continue
            hdoc, hptr, h = found
            if self.legacy:
                schema: SchemaRef | None = SchemaRef(hdoc, hptr)
            elif "schema" in h:
                schema = SchemaRef(hdoc, pointer_join(hptr, "schema"))
            else:
                media = self._content(hdoc, hptr, h)
                schema = media[0].schema if media else None
            out.append(Header(name, h.get("required") is True, schema, Node(hdoc, hptr)))
        return tuple(out)


class _Body:
    """A 2.0 ``in: body`` parameter on its way to becoming a :class:`RequestBody`."""

    __slots__ = ("required", "schema", "at")

    def __init__(self, required: bool, schema: SchemaRef | None, at: Node) -> None:
        self.required, self.schema, self.at = required, schema, at


def build_api(doc: JsonDocument, version: str, refs: RefResolver) -> Api:
    """The API model of one loaded spec (``refs``: the resolver of the same revision)."""
    return _Builder(doc, version, refs).api()


def _security(value: Any) -> tuple[Requirement, ...]:
    out = []
    for alternative in _list(value):
        if isinstance(alternative, dict):
            out.append(frozenset((str(k), frozenset(s for s in _list(v) if isinstance(s, str)))
                                 for k, v in alternative.items()))
    return tuple(out)


def _strings(value: Any) -> tuple[str, ...]:
    return tuple(v for v in _list(value) if isinstance(v, str))


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}
