"""Inline suppressions in JSON Schema files: the ``x-schemacheck-ignore`` keyword (and YAML comments).

Maintainers: JSON has no comments, so a suppression is a keyword on the schema object it
covers; the value is a directive string or a list of them, in the grammar of
:func:`schemacheck.suppress.parse_directive` without the ``schemacheck:ignore`` prefix::

    "x-schemacheck-ignore": "REQUIRED_PROPERTY_ADDED -- backfilled in migration 42"
    "x-schemacheck-ignore": ["TYPE_CHANGED: v1 readers are gone", "ENUM_ARRAY_NARROWED -- ..."]

It covers every line of the object that holds it (so the whole subschema, and, for findings
about a removed child, the parent where they are reported). YAML files additionally accept
``# schemacheck:ignore RULE -- reason`` comments, which cover their own line and the next. The
scanner is registered for the ``jsonschema`` format by the checker module.
"""

from __future__ import annotations

from typing import Any

from ...errors import SchemacheckError
from ...model import Location
from .document import JsonDocument, pointer_join

__all__ = ["KEYWORD", "scan_suppressions"]

#: The suppression keyword.
KEYWORD = "x-schemacheck-ignore"


def scan_suppressions(path: str, text: str) -> list:
    """Every suppression directive of one JSON Schema file (``[]`` when it does not load)."""
    from ...suppress import Suppression, comment_scanner, parse_directive
    from .loader import is_yaml_path, load_document

    found: list[Suppression] = []
    if is_yaml_path(path) and "schemacheck" in text:
        found.extend(comment_scanner(("#",))(path, text))
    if KEYWORD not in text:
        return found
    try:
        doc = load_document(path, text.encode("utf-8"))
    except SchemacheckError:
        return found
    for pointer, value in _keyword_uses(doc):
        holder = doc.value_location(pointer)
        member = doc.location(pointer_join(pointer, KEYWORD))
        covers = tuple(range(holder.line, holder.end_line + 1))
        for directive in value if isinstance(value, list) else [value]:
            parsed = parse_directive(f"schemacheck:ignore {directive}") if isinstance(directive, str) else None
            if parsed is None:
                parsed = ((str(directive),), "")  # reported as an unknown rule by the meta rules
            where = Location(path, member.line, member.column, member.end_line, member.end_column)
            found.append(Suppression(parsed[0], parsed[1], where, covers))
    return found


def _keyword_uses(doc: JsonDocument) -> list[tuple[str, Any]]:
    """``(pointer of the holding object, keyword value)`` for each use, in document order."""
    out: list[tuple[str, Any]] = []
    stack: list[tuple[str, Any]] = [("", doc.data)]
    while stack:
        pointer, node = stack.pop()
        if isinstance(node, dict):
            if KEYWORD in node:
                out.append((pointer, node[KEYWORD]))
            stack.extend((pointer_join(pointer, k), v) for k, v in node.items()
                         if isinstance(v, (dict, list)) and k != KEYWORD)
        elif isinstance(node, list):
            stack.extend((pointer_join(pointer, i), v) for i, v in enumerate(node) if isinstance(v, (dict, list)))
    out.sort(key=lambda item: doc.location(item[0]).line if item[0] else 0)
    return out
