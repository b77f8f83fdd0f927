"""The request and response views of a document: ``readOnly`` / ``writeOnly`` properties applied.

Maintainers: OpenAPI gives ``readOnly: true`` properties to responses only (a client never sends
them, and "required" does not apply to requests) and ``writeOnly: true`` properties to requests
only (a password is never returned). Rather than teaching the shape engine about directions,
each revision gets two views of its documents: the *request* view drops properties whose
schema says ``readOnly: true`` (and their ``required`` entries), the *response* view those that
say ``writeOnly: true``. Views are copy-on-write (unchanged subtrees are shared) and keep every
remaining node at its pointer, so positions stay exact. Only a property's own schema object is
looked at (a ``$ref`` to a read-only schema is not followed).
"""

from __future__ import annotations

import dataclasses
from typing import Any

from ...formats.jsonschema.document import JsonDocument

__all__ = ["VIEW_KEYWORD", "document_view"]

#: Data side -> the annotation whose properties that side never carries.
VIEW_KEYWORD = {"request": "readOnly", "response": "writeOnly"}


def document_view(doc: JsonDocument, side: str) -> JsonDocument:
    """``doc`` as the ``side`` (``request``/``response``) sees it (``doc`` itself when nothing is dropped)."""
    data = _without(doc.data, VIEW_KEYWORD[side])
    return doc if data is doc.data else dataclasses.replace(doc, data=data)


def _without(node: Any, keyword: str) -> Any:
    """``node`` minus properties marked ``keyword: true``; the same object when nothing changes."""
    if isinstance(node, list):
        items = [_without(v, keyword) for v in node]
        return node if all(a is b for a, b in zip(items, node)) else items
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] | None = None
    for key, value in node.items():
        new = _without(value, keyword)
        if new is not value:
            out = dict(node) if out is None else out
            out[key] = new
    props = (out or node).get("properties")
    if isinstance(props, dict):
        dropped = {name for name, schema in props.items() if isinstance(schema, dict) and schema.get(keyword) is True}
        if dropped:
            out = dict(node) if out is None else out
            # keep the dropped keys' slots out of the map but leave every other node in place
            out["properties"] = {k: v for k, v in props.items() if k not in dropped}
            if isinstance(out.get("required"), list):
                # an invalid document may list non-strings (unhashable ones too): they stay
                out["required"] = [r for r in out["required"] if not (isinstance(r, str) and r in dropped)]
    return node if out is None else out
