"""Comparing document pairs: shared shape builders per revision, definitions as extra roots.

Maintainers: the shape engine compares what a root schema reaches. One :class:`PairComparer`
serves a whole check, so each revision's :class:`ShapeBuilder` builds a shape once per
(file, pointer) however many changed files and dependents reach it (the equivalent of
``compare_documents`` per file, without rebuilding shared targets). Besides the root, each
top-level ``$defs``/``definitions`` entry whose text changed, and that the root does not reach
in both versions, is compared as a root of its own: a bundle's definitions are its API
(``bundle.json#/$defs/Name``) even when its root does not use them. Unchanged definitions are
skipped by a data comparison, reachable ones by a walk of local ``$ref``s.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...formats.jsonschema.document import JsonDocument
from ...model import Finding

if TYPE_CHECKING:
    from ...formats.jsonschema.refs import RefResolver
    from .file_changes import RemovedDefinition

__all__ = ["PairComparer", "changed_definitions", "reachable_definitions", "definition_roots",
           "removed_definitions"]


class PairComparer:
    """Compares (old, new) document pairs of one check.

    Args:
        old_refs: Resolver of the base revision.
        new_refs: Resolver of the head revision.
        selected: Rule IDs to report; empty means none (``--select`` naming only other formats' rules).
    """

    def __init__(self, old_refs: RefResolver, new_refs: RefResolver, selected: frozenset[str]) -> None:
        from ...formats.jsonschema.to_shape import ShapeBuilder

        self._old = ShapeBuilder(old_refs)
        self._new = ShapeBuilder(new_refs)
        self._selected = selected

    def compare(self, old_doc: JsonDocument, new_doc: JsonDocument, mode: str, policy: str, *,
                definitions: bool = True) -> list[Finding]:
        """Findings between two versions of one document (root, plus changed definitions)."""
        from ..shape.jsonschema_pair import compare_shapes, diffs_to_findings

        roots = [""] + (definition_roots(old_doc, new_doc) if definitions else [])
        diffs = []
        for pointer in roots:
            diffs.extend(compare_shapes(self._old.build(old_doc, pointer), self._new.build(new_doc, pointer),
                                        mode=mode, policy=policy))
        # diffs_to_findings reads an empty selection as "every rule" (its default for library
        # callers); in a check an empty selection means no rule, so filter here too.
        return [f for f in diffs_to_findings(diffs, self._selected) if f.rule_id in self._selected]


    def resolve_new(self, new_doc: JsonDocument) -> None:
        """Build a new file's shapes (root and top-level definitions) so that its ``$ref``s are resolved.

        A new file has nothing to be compared with, but a dangling reference in it is still an
        input error: building records it in the head resolver's ``unresolved``.
        """
        pointers = [""]
        if isinstance(new_doc.data, dict):
            from ...formats.jsonschema.document import pointer_join

            pointers += [pointer_join("", keyword, name) for keyword in ("$defs", "definitions")
                         if isinstance(new_doc.data.get(keyword), dict) for name in new_doc.data[keyword]]
        for pointer in pointers:
            self._new.build(new_doc, pointer)


def definition_roots(old_doc: JsonDocument, new_doc: JsonDocument) -> list[str]:
    """Changed definitions the root does not reach in both versions."""
    pointers = changed_definitions(old_doc, new_doc)
    if pointers:
        covered = reachable_definitions(old_doc) & reachable_definitions(new_doc)
        pointers = [p for p in pointers if p not in covered]
    return pointers


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


def removed_definitions(old_doc: JsonDocument, new_doc: JsonDocument) -> list[RemovedDefinition]:
    """Top-level definitions of ``old_doc`` that ``new_doc`` has under neither ``$defs`` nor ``definitions``."""
    from ...formats.jsonschema.document import pointer_join
    from .file_changes import RemovedDefinition

    if not isinstance(old_doc.data, dict):
        return []
    after = new_doc.data if isinstance(new_doc.data, dict) else {}
    kept = {name for keyword in ("$defs", "definitions") if isinstance(after.get(keyword), dict)
            for name in after[keyword]}
    out: list[RemovedDefinition] = []
    for keyword in ("$defs", "definitions"):
        before = old_doc.data.get(keyword)
        if not isinstance(before, dict):
            continue
        for name in before:
            if name in kept:
                continue
            pointer = pointer_join("", keyword, name)
            here = new_doc.nearest_location(pointer_join("", keyword)) if isinstance(after.get(keyword), dict) \
                else new_doc.nearest_location("")
            there = old_doc.location(pointer) if old_doc.span(pointer) is not None else None
            out.append(RemovedDefinition(new_doc.path, pointer, here, there))
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
