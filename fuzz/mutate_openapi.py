"""Structure-aware mutations of OpenAPI documents (the ``openapi`` target).

Maintainers: byte and token edits of an OpenAPI document mostly stop at the YAML parser or at
detection (a document without its ``openapi:`` / ``swagger:`` key is not OpenAPI). These edits
work on the parsed tree and are the changes the OpenAPI rules are about: paths and operations
added, removed or renamed; parameters (``in``, ``required``, ``style``/``explode``, ``$ref``s to
``components.parameters``); request bodies and responses (status codes, media types, headers);
``$ref``s retargeted (to another component, a missing one, the root, another file, a URL);
components dropped or renamed; the version switched between 2.0, 3.0 and 3.1 (and nonsense);
and the JSON Schema edits of :mod:`fuzz.mutate_json` applied to a schema inside. The result is
written back as block YAML, PyYAML's YAML or JSON (which is YAML too).
"""

from __future__ import annotations

import copy
import random
from typing import Any

from .mutate_json import _nodes, dump_json, dump_yaml, mutate_tree

__all__ = ["mutate_openapi", "DICTIONARY"]

_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_WHERE = ("query", "path", "header", "cookie", "body", "formData", "matrix")
_STYLES = ("form", "simple", "matrix", "label", "spaceDelimited", "pipeDelimited", "deepObject", "csv")
_MEDIA = ("application/json", "application/xml", "text/plain", "multipart/form-data", "*/*",
          "application/x-www-form-urlencoded", "application/problem+json", "application/json; charset=utf-8")
_STATUSES = ("200", "201", "204", "2XX", "400", "404", "default", "500", 200, "1XX", "999", "")
_VERSIONS = ("3.0.3", "3.1.0", "3.0.0", "3.1.1", "3.2.0", "3.0", 3.0, "4.0.0", "2.0", "")
_REFS = ("#/components/schemas/Order", "#/components/schemas/Missing", "#", "#/paths", "other.yaml#/Order",
         "https://example.com/schemas/order.json", "#/components/parameters/Limit", "#/definitions/Order",
         "#/components/responses/NotFound", "#/components/schemas/Order/properties/id", "../../etc/passwd",
         "#/components/requestBodies/Body", "#/components/headers/Trace", "#/x~1y~0z")
_TEMPLATES = ("/v2/orders/{id}", "/v1/orders/{orderId}", "/", "/{a}/{b}", "/v1/orders/{id}/items/{id}", "v1/bad",
              "/v1/orders/{", "/é/ünïcode", "/v1/orders", "/v1/orders/")
DICTIONARY = tuple(w.encode() for w in (
    "openapi", "swagger", "paths", "components", "schemas", "parameters", "requestBody", "responses", "content",
    "schema", "required", "in", "name", "style", "explode", "headers", "$ref", "definitions", "produces",
    "consumes", "servers", "security", "callbacks", "links", "webhooks", "discriminator", "nullable",
    "readOnly", "writeOnly", "deprecated", "operationId", "3.0.3", "3.1.0", '"2.0"', "application/json",
    "query", "path", "header", "cookie", "get", "post", "put", "delete", "patch", "/{id}", "'200'", "default",
    "#/components/schemas/", "#/definitions/", "allOf", "oneOf", "anyOf", "additionalProperties", "items",
    "type", "format", "enum"))


def _ops(tree: dict) -> list[tuple[dict, str]]:
    """(path item, method) of every operation."""
    paths = tree.get("paths")
    out = []
    if isinstance(paths, dict):
        for item in paths.values():
            if isinstance(item, dict):
                out.extend((item, m) for m in item if m in _METHODS and isinstance(item[m], dict))
    return out


def _schema(rng: random.Random) -> Any:
    return rng.choice(({"type": "string"}, {"type": "integer", "maximum": 100}, {"$ref": rng.choice(_REFS)},
                       {"type": "array", "items": {"type": "string"}}, {"enum": ["a", "b"]}, True, {},
                       {"type": "object", "properties": {"x": {"type": "string"}}, "required": ["x"]}))


def _parameter(rng: random.Random) -> dict:
    param = {"name": rng.choice(("id", "limit", "region", "X-Trace", "q", "")), "in": rng.choice(_WHERE)}
    if rng.random() < 0.5:
        param["required"] = rng.random() < 0.5
    if rng.random() < 0.8:
        param["schema"] = _schema(rng)
    else:
        param["type"] = rng.choice(("string", "integer", "array"))  # 2.0 style
    if rng.random() < 0.2:
        param["style"], param["explode"] = rng.choice(_STYLES), rng.random() < 0.5
    return param


def _edit_parameters(rng: random.Random, tree: dict, holder: dict) -> None:
    params = holder.setdefault("parameters", [])
    if not isinstance(params, list):
        return
    choice = rng.randrange(6)
    if choice == 0 or not params:
        params.insert(rng.randrange(len(params) + 1), _parameter(rng))
    elif choice == 1:
        del params[rng.randrange(len(params))]
    elif choice == 2:  # a $ref to components.parameters (sometimes a missing one)
        comp = tree.setdefault("components", {})
        if isinstance(comp, dict) and rng.random() < 0.7:
            comp.setdefault("parameters", {})
            if isinstance(comp["parameters"], dict):
                comp["parameters"]["Limit"] = _parameter(rng)
        params[rng.randrange(len(params))] = {"$ref": rng.choice(("#/components/parameters/Limit",
                                                                   "#/components/parameters/None", "#/parameters/P"))}
    else:
        param = params[rng.randrange(len(params))]
        if isinstance(param, dict):
            key = rng.choice(("required", "in", "name", "style", "explode", "schema", "allowEmptyValue",
                              "deprecated"))
            value = {"required": rng.random() < 0.5, "in": rng.choice(_WHERE), "name": rng.choice(("id", "ID", "q")),
                     "style": rng.choice(_STYLES), "explode": rng.random() < 0.5, "schema": _schema(rng),
                     "allowEmptyValue": True, "deprecated": True}[key]
            if rng.random() < 0.3:
                param.pop(key, None)
            else:
                param[key] = value


def _edit_body(rng: random.Random, op: dict) -> None:
    body = op.get("requestBody")
    if not isinstance(body, dict) or rng.random() < 0.2:
        op["requestBody"] = {"content": {rng.choice(_MEDIA): {"schema": _schema(rng)}}, "required": rng.random() < 0.5}
        return
    content = body.get("content")
    choice = rng.randrange(4)
    if choice == 0:
        body["required"] = not body.get("required", False)
    elif choice == 1:
        del op["requestBody"]
    elif isinstance(content, dict) and content and choice == 2:
        del content[rng.choice(list(content))]
    elif isinstance(content, dict):
        content[rng.choice(_MEDIA)] = {"schema": _schema(rng)}


def _edit_responses(rng: random.Random, op: dict) -> None:
    responses = op.setdefault("responses", {})
    if not isinstance(responses, dict):
        return
    codes = list(responses)
    choice = rng.randrange(6)
    if choice == 0 and codes:
        del responses[rng.choice(codes)]
    elif choice == 1 and codes:  # a status code changed
        responses[rng.choice(_STATUSES)] = responses.pop(rng.choice(codes))
    elif choice == 2 or not codes:
        responses[rng.choice(_STATUSES)] = {"description": "x",
                                            "content": {rng.choice(_MEDIA): {"schema": _schema(rng)}}}
    else:
        response = responses[rng.choice(codes)]
        if not isinstance(response, dict):
            return
        if choice == 3:  # a media type removed or added
            content = response.setdefault("content", {})
            if isinstance(content, dict) and content and rng.random() < 0.5:
                del content[rng.choice(list(content))]
            elif isinstance(content, dict):
                content[rng.choice(_MEDIA)] = {"schema": _schema(rng)}
        else:  # headers
            headers = response.setdefault("headers", {})
            if isinstance(headers, dict) and headers and rng.random() < 0.5:
                header = headers[rng.choice(list(headers))]
                if isinstance(header, dict):
                    header["required"] = not header.get("required", False)
                else:
                    headers.clear()
            elif isinstance(headers, dict):
                headers[rng.choice(("X-Rate-Limit", "X-Trace", "Content-Type"))] = {
                    "schema": _schema(rng), "required": rng.random() < 0.5}


def _edit_paths(rng: random.Random, tree: dict) -> None:
    paths = tree.setdefault("paths", {})
    if not isinstance(paths, dict):
        return
    names = list(paths)
    choice = rng.randrange(4)
    if choice == 0 and names:
        del paths[rng.choice(names)]
    elif choice == 1 and names:  # renamed (a template parameter renamed, a version bumped)
        paths[rng.choice(_TEMPLATES)] = paths.pop(rng.choice(names))
    elif choice == 2 and names:
        paths[rng.choice(_TEMPLATES)] = copy.deepcopy(paths[rng.choice(names)])
    else:
        paths[rng.choice(_TEMPLATES)] = {rng.choice(_METHODS): {"responses": {"200": {"description": "ok"}}}}


def _edit_ops(rng: random.Random, tree: dict) -> None:
    ops = _ops(tree)
    if not ops:
        _edit_paths(rng, tree)
        return
    item, method = rng.choice(ops)
    op = item[method]
    choice = rng.randrange(7)
    if choice == 0:
        del item[method]
    elif choice == 1:
        item[rng.choice(_METHODS)] = copy.deepcopy(op)
    elif choice == 2:
        _edit_parameters(rng, tree, op if rng.random() < 0.8 else item)
    elif choice == 3:
        _edit_body(rng, op)
    elif choice == 4:
        _edit_responses(rng, op)
    elif choice == 5:
        op["deprecated"] = rng.random() < 0.8
    else:
        op["operationId"] = rng.choice(("getOrder", "listOrders", "", "x" * 300))


def _edit_refs(rng: random.Random, tree: dict) -> None:
    nodes: list = []
    _nodes(tree, nodes)
    with_ref = [n for n in nodes if isinstance(n, dict) and "$ref" in n]
    dicts = [n for n in nodes if isinstance(n, dict)]
    if with_ref and rng.random() < 0.6:
        node = rng.choice(with_ref)
        node["$ref"] = rng.choice(_REFS)
        if rng.random() < 0.2:
            node["description"] = "siblings of $ref"  # 3.1 allows them, 3.0 ignores them
    elif dicts:
        node = rng.choice(dicts)
        key = rng.choice(list(node) or ["schema"])
        node[key] = {"$ref": rng.choice(_REFS)}


def _edit_components(rng: random.Random, tree: dict) -> None:
    section = "definitions" if "swagger" in tree else "components"
    holder = tree.setdefault(section, {})
    if not isinstance(holder, dict):
        return
    schemas = holder if section == "definitions" else holder.setdefault("schemas", {})
    if not isinstance(schemas, dict):
        return
    names = list(schemas)
    choice = rng.randrange(4)
    if choice == 0 and names:
        del schemas[rng.choice(names)]
    elif choice == 1 and names:
        schemas[rng.choice(names) + "V2"] = schemas.pop(rng.choice(names))
    elif choice == 2:  # a recursive component
        name = rng.choice(names or ["Order"])
        prefix = "#/definitions/" if section == "definitions" else "#/components/schemas/"
        schemas[name] = {"type": "object", "properties": {"self": {"$ref": prefix + name}},
                         "anyOf": [{"$ref": prefix + name}, {"type": "null"}]}
    elif names:  # a JSON Schema edit inside
        name = rng.choice(names)
        schemas[name] = mutate_tree(rng, schemas[name], [])


def _edit_version(rng: random.Random, tree: dict) -> None:
    version = rng.choice(_VERSIONS)
    tree.pop("openapi", None)
    tree.pop("swagger", None)
    tree["swagger" if version == "2.0" and rng.random() < 0.8 else "openapi"] = version


def _edit_schema(rng: random.Random, tree: dict) -> None:
    """A JSON Schema edit of a schema somewhere in the document (``schema`` values, components)."""
    nodes: list = []
    _nodes(tree, nodes)
    holders = [n for n in nodes if isinstance(n, dict) and isinstance(n.get("schema"), (dict, bool))]
    if holders:
        holder = rng.choice(holders)
        holder["schema"] = mutate_tree(rng, holder["schema"], [])
    else:
        _edit_components(rng, tree)


_EDITS = (_edit_paths, _edit_ops, _edit_ops, _edit_ops, _edit_refs, _edit_components, _edit_version, _edit_schema,
          _edit_schema)


def mutate_spec(rng: random.Random, tree: Any) -> Any:
    """One to three edits of a parsed document (a deep copy; ``tree`` is untouched)."""
    tree = copy.deepcopy(tree)
    if not isinstance(tree, dict):
        tree = {"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {}}
    for _ in range(rng.choice((1, 1, 2, 3))):
        rng.choice(_EDITS)(rng, tree)
    if rng.random() < 0.05:  # wrong types anywhere
        nodes: list = []
        _nodes(tree, nodes)
        node = rng.choice([n for n in nodes if isinstance(n, dict)] or [tree])
        if node:
            node[rng.choice(list(node))] = rng.choice((None, 1, "x", [], {}, [1], True))
    return tree


_PARSED: dict[bytes, Any] = {}


def _load(seeds: list[bytes], i: int) -> Any:
    key = seeds[i]
    if key not in _PARSED:
        import yaml

        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        try:
            _PARSED[key] = yaml.load(key, Loader=loader)  # noqa: S506 - a safe loader
        except Exception:  # noqa: BLE001 - a seed that does not parse is used only by byte mutations
            _PARSED[key] = None
    return _PARSED[key]


def mutate_openapi(rng: random.Random, seeds: list[bytes]) -> tuple[bytes, bytes]:
    """A seed document and an edited copy, both written out in the same style (YAML or JSON)."""
    i = rng.randrange(len(seeds))
    base_tree = _load(seeds, i)
    if not isinstance(base_tree, dict):
        return seeds[i], seeds[i]
    head_tree = mutate_spec(rng, base_tree)
    if rng.random() < 0.15:
        base_tree = mutate_spec(rng, base_tree)
    dump = dump_json if rng.random() < 0.25 else dump_yaml
    state = rng.getstate()
    try:
        base = dump(rng, base_tree)
        rng.setstate(state)  # the same layout on both sides: the diff is the edit
        return base, dump(rng, head_tree)
    except (ValueError, RecursionError, TypeError):
        return seeds[i], seeds[i]
