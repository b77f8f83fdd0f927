"""Top-level definitions as comparison roots of their own (a bundle's ``$defs`` are its API).

Maintainers: the shape engine compares what the root schema reaches. Definitions of a bundle
are referenced from elsewhere (``bundle.json#/$defs/Name``), so each one whose text changed,
and that the root does not reach in both versions, is compared on its own. Cost follows the
change: unchanged definitions are skipped by a data comparison, reachable ones by a walk of
local ``$ref``s.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...formats.jsonschema.document import JsonDocument
from ...model import Finding

if TYPE_CHECKING:
    from ...formats.jsonschema.refs import RefResolver

__all__ = ["changed_definitions", "reachable_definitions", "definition_findings"]


def changed_definitions(old_doc: JsonDocument, new_doc: JsonDocument) -> list[str]:
    """Pointers of top-level ``$defs``/``definitions`` entries present in both versions whose text differs."""
    from ...formats.jsonschema.document import pointer_join

    out: list[str] = []
    if not isinstance(old_doc.data, dict) or not isinstance(new_doc.data, dict):
        return out
    for keyword in ("$defs", "definitions"):
        before, after = old_doc.data.get(keyword), new_doc.data.get(keyword)
        if not isinstance(before, dict) or not isinstance(after, dict):
            continue
        out.extend(pointer_join("", keyword, name) for name, schema in after.items()
                   if name in before and before[name] != schema)
    return out


def reachable_definitions(doc: JsonDocument) -> set[str]:
    """Pointers of the top-level definitions the root schema reaches through local ``$ref``s.

    The root comparison already covers these, so they need no comparison of their own.
    """
    from urllib.parse import unquote

    from ...formats.jsonschema.document import pointer_join, pointer_parts

    data = doc.data
    if not isinstance(data, dict):
        return set()
    reached: set[str] = set()
    stack: list[object] = [v for k, v in data.items() if k not in ("$defs", "definitions")]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(node)
            continue
        if not isinstance(node, dict):
            continue
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/"):
            try:
                parts = pointer_parts(unquote(ref[1:]))
            except ValueError:
                parts = ()
            if len(parts) >= 2 and parts[0] in ("$defs", "definitions"):
                pointer = pointer_join("", parts[0], parts[1])
                if pointer not in reached:
                    reached.add(pointer)
                    stack.append(doc.get(pointer))
        stack.extend(v for v in node.values() if isinstance(v, (dict, list)))
    return reached


def definition_findings(old_doc: JsonDocument, new_doc: JsonDocument, old_refs: RefResolver, new_refs: RefResolver,
                         mode: str, policy: str, selected: frozenset[str]) -> list[Finding]:
    """Compare each changed definition as a root of its own.

    A bundle's definitions are its API (other files and repositories refer to
    ``bundle.json#/$defs/Name``), so a change in one must be found even when the root schema
    does not reach it. Definitions the root reaches (in both versions) are skipped: the root
    comparison already covered them; any repeat that remains is dropped by the checker.
    """
    pointers = changed_definitions(old_doc, new_doc)
    if pointers:
        covered = reachable_definitions(old_doc) & reachable_definitions(new_doc)
        pointers = [p for p in pointers if p not in covered]
    if not pointers:
        return []
    from ...formats.jsonschema.to_shape import ShapeBuilder
    from ..shape.jsonschema_pair import compare_shapes, diffs_to_findings

    old_builder, new_builder = ShapeBuilder(old_refs), ShapeBuilder(new_refs)
    diffs = []
    for pointer in pointers:
        diffs.extend(compare_shapes(old_builder.build(old_doc, pointer), new_builder.build(new_doc, pointer),
                                    mode=mode, policy=policy))
    return diffs_to_findings(diffs, selected)
