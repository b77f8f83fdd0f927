"""Schema properties paired across revisions, for the rules about keywords the shape engine ignores.

Maintainers: the shape engine compares what a schema accepts; annotations (``deprecated``,
``x-sunset``, ``x-stability-level``) and the string-content keywords (``contentEncoding``,
``contentMediaType``, ``contentSchema``) are not part of that. This walk pairs the schema nodes
of both revisions instead: from every body, parameter and header schema of the operations
compared, down ``properties`` (those of ``allOf`` members too), ``items`` and
``additionalProperties``, through ``$ref``s (with the revision's resolver, so other files of the
repository count). Each node pair is visited once however many operations reach it, so a
``$ref`` mesh costs one walk; only node pairs whose watched keywords differ become
:class:`PropertyPair` values, and only for those are the operations that reach them collected
(backwards along the walk's edges), so a component shared by many operations is reported once,
naming them. A ``$ref`` node's own siblings (3.1: ``deprecated`` next to ``$ref``) win over its
target's.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ...formats.jsonschema.document import JsonDocument, pointer_join
from ...model import Location

if TYPE_CHECKING:
    from ...formats.jsonschema.refs import RefResolver
    from ...formats.openapi.model import SchemaRef

__all__ = ["PropertyPair", "Root", "walk_properties", "WATCHED", "may_have_watched"]

#: Keywords whose changes this walk reports.
WATCHED = frozenset({"deprecated", "x-sunset", "x-stability-level", "contentEncoding", "contentMediaType",
                     "contentSchema"})
_MAX_HOPS = 32
_ALL_OF_DEPTH = 8


@dataclass(frozen=True, slots=True)
class Root:
    """A schema of one operation: ``side`` is the data side after swapping for webhooks/callbacks."""

    operation: str
    where: str
    side: str
    old: SchemaRef
    new: SchemaRef


@dataclass(frozen=True, slots=True)
class PropertyPair:
    """A schema node in both revisions whose watched keywords differ (subject ``property``).

    Attributes:
        operations: Labels of the operations that reach it.
        where: The element of the first of them (``response 200 application/json``).
        side: ``request`` or ``response``.
        path: The property path (``total``, ``lines[].price``); ``""`` for the body itself.
        old: The old node (``$ref`` siblings merged over the target).
        new: The new node.
    """

    operations: tuple[str, ...]
    where: str
    side: str
    path: str
    old: dict[str, Any]
    new: dict[str, Any]
    location: Location | None
    base_location: Location | None
    subject: str

    @property
    def label(self) -> str:
        """``GET /a: response 200 application/json: property total`` (``... and N more operations``)."""
        ops = " and ".join(self.operations) if len(self.operations) <= 2 else \
            f"{self.operations[0]} and {len(self.operations) - 1} more operations"
        return f"{ops}: {self.where}" + (f": property {self.path}" if self.path else "")


#: document, pointer of the node as written, the node ($ref followed, own siblings kept), and
#: where its children are written (its $ref target's place, else its own)
_Side = tuple[JsonDocument, str, dict[str, Any], tuple[JsonDocument, str]]
_Key = tuple[str, str, str, str, str]


class _Walk:
    def __init__(self, refs: tuple[RefResolver | None, RefResolver | None]) -> None:
        self.refs = refs
        self.nodes: dict[_Key, tuple[_Side, _Side, str]] = {}
        self.parents: dict[_Key, set[_Key]] = {}
        self.roots: dict[_Key, list[tuple[str, str]]] = {}
        self.order: dict[tuple[str, str], int] = {}  # (operation, where) -> registration order
        self._children: dict[_Key, list[tuple[_Key, _Side, _Side, str]]] = {}

    def deref(self, which: int, doc: JsonDocument, pointer: str, value: Any) -> _Side | None:
        """The node at ``pointer`` with ``$ref``s followed, its own siblings kept over the target's."""
        if not isinstance(value, dict):
            return None
        if not isinstance(value.get("$ref"), str):
            return (doc, pointer, value, (doc, pointer))
        own = {k: v for k, v in value.items() if k != "$ref"}
        target_doc, target_ptr, target = doc, pointer, value
        seen: set[tuple[str, str]] = set()
        for _ in range(_MAX_HOPS):
            ref = target.get("$ref") if isinstance(target, dict) else None
            if not isinstance(ref, str):
                break
            found = self._resolve(which, target_doc, ref, target_ptr)
            if found is None or (found[0].path, found[1]) in seen:
                return (doc, pointer, own, (doc, pointer))
            seen.add((found[0].path, found[1]))
            target_doc, target_ptr, target = found
        if not isinstance(target, dict) or isinstance(target.get("$ref"), str):
            return (doc, pointer, own, (doc, pointer))
        return (doc, pointer, {**{k: v for k, v in target.items() if k != "$ref"}, **own}, (target_doc, target_ptr))

    def _resolve(self, which: int, doc: JsonDocument, ref: str, pointer: str) -> tuple[JsonDocument, str, Any] | None:
        refs = self.refs[which]
        if refs is not None:
            from ...formats.jsonschema.refs import Unresolved

            found = refs.resolve(doc, ref, pointer)
            return None if isinstance(found, Unresolved) else (found.document, found.pointer, found.value)
        if ref.startswith("#"):
            from urllib.parse import unquote

            target = unquote(ref[1:])
            return doc, target, doc.get(target)
        return None

    def add(self, key: _Key, old: _Side, new: _Side, path: str, parent: _Key | None, queue: deque[_Key]) -> None:
        if parent is not None:
            self.parents.setdefault(key, set()).add(parent)
        if key not in self.nodes:
            self.nodes[key] = (old, new, path)
            queue.append(key)

    def children(self, side: str, key: _Key) -> Iterator[tuple[_Key, _Side, _Side, str]]:
        """The paired child nodes (properties, ``items``, ``additionalProperties``) of ``key``.

        Computed once per pair of places the children are written (a component reached from
        many ``$ref``s is expanded once), then only the property path differs."""
        old, new, path = self.nodes[key]
        o_at, n_at = _home(old), _home(new)
        home = (side, o_at[0].path, o_at[1], n_at[0].path, n_at[1])
        found = self._children.get(home)
        if found is None:
            found = self._children[home] = list(self._expand(side, old, new, o_at, n_at))
        for child, o, n, step in found:
            yield child, o, n, (f"{path}.{step}" if path and step[0] not in "[{" else path + step)

    def _expand(self, side: str, old: _Side, new: _Side, o_at: tuple[JsonDocument, str],
                n_at: tuple[JsonDocument, str]) -> Iterator[tuple[_Key, _Side, _Side, str]]:
        old_props, new_props = self._properties(0, old), self._properties(1, new)
        for name, before in old_props.items():
            if name in new_props:
                yield from self._pair(side, before, new_props[name], name)
        for keyword, step in (("items", "[]"), ("additionalProperties", "{}")):
            if isinstance(old[2].get(keyword), dict) and isinstance(new[2].get(keyword), dict):
                yield from self._pair(side, (o_at[0], pointer_join(o_at[1], keyword), old[2][keyword]),
                                      (n_at[0], pointer_join(n_at[1], keyword), new[2][keyword]), step)

    def _pair(self, side: str, old: tuple[JsonDocument, str, Any], new: tuple[JsonDocument, str, Any], step: str
              ) -> Iterator[tuple[_Key, _Side, _Side, str]]:
        o, n = self.deref(0, *old), self.deref(1, *new)
        if o is not None and n is not None:
            yield (side, o[0].path, o[1], n[0].path, n[1]), o, n, step

    def _properties(self, which: int, node: _Side, depth: int = 0, seen: set[tuple[str, str]] | None = None
                    ) -> dict[str, tuple[JsonDocument, str, Any]]:
        """A node's properties with those of its ``allOf`` members (each member place read once)."""
        doc, ptr = _home(node)
        seen = seen if seen is not None else set()
        seen.add((doc.path, ptr))
        value = node[2]
        out: dict[str, tuple[JsonDocument, str, Any]] = {}
        for i, member in enumerate(value.get("allOf") if isinstance(value.get("allOf"), list) else ()):
            resolved = self.deref(which, doc, pointer_join(ptr, "allOf", i), member) if depth < _ALL_OF_DEPTH else None
            if resolved is not None and (resolved[3][0].path, resolved[3][1]) not in seen:
                out.update(self._properties(which, resolved, depth + 1, seen))
        props = value.get("properties")
        if isinstance(props, dict):
            out.update((name, (doc, pointer_join(ptr, "properties", name), v)) for name, v in props.items())
        return out

    def operations_of(self, key: _Key) -> list[tuple[str, str]]:
        """The (operation, where) roots that reach ``key``, backwards along the walk's edges."""
        seen, stack, out = {key}, [key], []
        while stack:
            current = stack.pop()
            out.extend(self.roots.get(current, ()))
            for parent in self.parents.get(current, ()):
                if parent not in seen:
                    seen.add(parent)
                    stack.append(parent)
        return sorted(dict.fromkeys(out), key=self.order.__getitem__)


def _home(node: _Side) -> tuple[JsonDocument, str]:
    """Where a node's children are written: its ``$ref`` target's place, else its own."""
    return node[3]


def _watched(value: dict[str, Any]) -> dict[str, Any]:
    return {k: value[k] for k in WATCHED if k in value}


def walk_properties(roots: list[Root], refs: tuple[RefResolver | None, RefResolver | None]) -> list[PropertyPair]:
    """Node pairs (reached from ``roots``) whose watched keywords differ between the revisions."""
    walk = _Walk(refs)
    queue: deque[_Key] = deque()
    for root in roots:
        old = walk.deref(0, root.old.doc, root.old.pointer, root.old.doc.get(root.old.pointer))
        new = walk.deref(1, root.new.doc, root.new.pointer, root.new.doc.get(root.new.pointer))
        if old is None or new is None:
            continue
        key = (root.side, old[0].path, old[1], new[0].path, new[1])
        walk.roots.setdefault(key, []).append((root.operation, root.where))
        walk.order.setdefault((root.operation, root.where), len(walk.order))
        walk.add(key, old, new, "", None, queue)
    changed: list[_Key] = []
    while queue:
        key = queue.popleft()
        old, new, _ = walk.nodes[key]
        if _watched(old[2]) != _watched(new[2]):
            changed.append(key)
        for child, o, n, path in list(walk.children(key[0], key)):
            walk.add(child, o, n, path, key, queue)
    out = []
    for key in changed:
        (odoc, optr, oval, _), (ndoc, nptr, nval, _), path = walk.nodes[key]
        reached = walk.operations_of(key)
        if not reached:
            continue
        operations = tuple(dict.fromkeys(op for op, _ in reached))
        out.append(PropertyPair(operations, reached[0][1], key[0], path, oval, nval,
                                ndoc.nearest_location(nptr), odoc.nearest_location(optr), nptr))
    return out


def may_have_watched(data: Any) -> bool:
    """Whether a document may hold a watched keyword: one of them appears in it, or a ``$ref``
    leads to another file (which may). When neither revision may, the walk is skipped: a scan
    of a 4 MB spec costs milliseconds, the walk of its ``$ref`` mesh a large fraction of a second."""
    stack = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            ref = node.get("$ref")
            if not WATCHED.isdisjoint(node) or (isinstance(ref, str) and not ref.startswith("#")):
                return True
            stack.extend(v for v in node.values() if isinstance(v, (dict, list)))
        elif isinstance(node, list):
            stack.extend(v for v in node if isinstance(v, (dict, list)))
    return False
