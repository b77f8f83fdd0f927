"""Which operations may differ between two revisions of a spec, so only those are compared.

Maintainers: a real API has hundreds of operations and a change touches a few. An operation
is *dirty* when its path item's JSON differs, or when it references (transitively, through
local ``$ref``s) a component whose JSON differs. Components are the named entries of
``components/*`` (3.x) or ``definitions``/``parameters``/``responses`` (2.0). A change to any
other top-level key (``security``, ``consumes``, ``servers``...) makes every operation dirty,
and so does any path item defined in another file (its target may have changed). Cost: one
walk over both documents; no shapes are built.
"""

from __future__ import annotations

from typing import Any

from ...formats.jsonschema.document import pointer_join, pointer_parent, pointer_parts
from ...formats.openapi.model import Api

__all__ = ["dirty_operations"]

#: Top-level keys whose changes are handled per component or per path, or never matter.
_LOCAL_KEYS = frozenset({"paths", "components", "definitions", "parameters", "responses", "info", "tags",
                         "externalDocs", "webhooks", "openapi", "swagger", "jsonSchemaDialect"})
_LEGACY_SECTIONS = ("definitions", "parameters", "responses")


def dirty_operations(old: Api, new: Api) -> set[tuple[str, str]] | None:
    """Keys of operations (in both revisions) that may differ; ``None`` means all of them."""
    if old.doc is None or new.doc is None:
        return None
    before, after = old.doc.data, new.doc.data
    for key in set(before) | set(after):
        if key not in _LOCAL_KEYS and not key.startswith("x-") and before.get(key) != after.get(key):
            return None
    old_components, new_components = _components(before), _components(after)
    changed = {p for p in set(old_components) | set(new_components)
               if _semantic(old_components.get(p)) != _semantic(new_components.get(p))}
    users: dict[str, set[str]] = {}
    for components in (old_components, new_components):
        for pointer, value in components.items():
            for target in _local_refs(value):
                users.setdefault(target, set()).add(pointer)
    dirty = set(changed)
    stack = list(changed)
    while stack:
        for user in users.get(stack.pop(), ()):
            if user not in dirty:
                dirty.add(user)
                stack.append(user)
    out: set[tuple[str, str]] = set()
    for key, op in new.operations.items():
        old_op = old.operations.get(key)
        if old_op is None:
            continue
        if op.at.doc.path != new.path or old_op.at.doc.path != old.path:
            out.add(key)
            continue
        old_item = old.doc.get(pointer_parent(old_op.at.pointer))
        new_item = new.doc.get(pointer_parent(op.at.pointer))
        if _semantic(old_item) != _semantic(new_item) or _local_refs(new_item) & dirty or _local_refs(old_item) & dirty:
            out.add(key)
    return out


def _components(data: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    sections = data.get("components")
    if isinstance(sections, dict):
        for section, entries in sections.items():
            if isinstance(entries, dict):
                out.update((pointer_join("/components", section, name), v) for name, v in entries.items())
    for section in _LEGACY_SECTIONS:
        entries = data.get(section)
        if isinstance(entries, dict):
            out.update((pointer_join("", section, name), v) for name, v in entries.items())
    return out


#: Keys that only document (never change what is sent or accepted), and the keys whose values are
#: maps of *names* (where a property may well be called "description").
_DOC_KEYS = frozenset({"description", "summary", "title", "example", "examples", "externalDocs", "$comment"})
_NAME_MAPS = frozenset({"properties", "patternProperties", "$defs", "definitions", "schemas", "responses",
                        "parameters", "headers", "content", "paths", "callbacks", "webhooks", "securitySchemes",
                        "dependentSchemas", "dependentRequired", "requestBodies", "links", "encoding"})


def _semantic(value: Any, names: bool = False) -> Any:
    """``value`` without documentation keys, for "did it change" tests (a description edit must
    not make every operation that reaches the component dirty)."""
    if isinstance(value, list):
        return [_semantic(v) for v in value]
    if not isinstance(value, dict):
        return value
    return {k: _semantic(v, k in _NAME_MAPS and not names) for k, v in value.items()
            if names or k not in _DOC_KEYS or k.startswith("x-")}


def _local_refs(value: Any) -> set[str]:
    """Component pointers referenced by local ``$ref``s anywhere under ``value``."""
    from urllib.parse import unquote

    out: set[str] = set()
    stack = [value]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(node)
        elif isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/"):
                try:
                    parts = pointer_parts(unquote(ref[1:]))
                except ValueError:
                    parts = ()
                depth = 3 if parts[:1] == ("components",) else 2
                if len(parts) >= depth:
                    out.add(pointer_join("", *parts[:depth]))
            stack.extend(v for v in node.values() if isinstance(v, (dict, list)))
    return out
