"""Which JSON types a shape may accept, in time linear in the shape graph however it recurses.

Maintainers: ``$ref`` makes shapes graphs, and a union may reach itself without a property or
item in between (``anyOf: [{$ref: '#'}, {type: string}]``). Such recursion is read as the
least fixed point: a union accepts the types of the non-union nodes its branches reach, so the
example is a string, and a union of nothing but self-references accepts nothing. Unions are
computed per strongly connected component of the "branch is a union" graph (Tarjan, iterative),
so a mesh of unions referring to each other costs one walk, not one per union. An ``allOf``
met again while it is computed counts as every type (an over-approximation, which every caller
treats as "unsure"). Results are memoised by node id in a caller-owned dict that also holds the
node, so an id is never reused while its entry lives.
"""

from __future__ import annotations

from .nodes import AllOfShape, AnyShape, EnumShape, NeverShape, NotShape, NumberShape, RefShape, Shape, UnionShape, \
    UnknownShape

__all__ = ["ALL_KINDS", "deref", "kinds", "text_kind", "KindsMemo"]

ALL_KINDS = frozenset({"null", "boolean", "object", "array", "string", "number", "integer"})
_MAX_HOPS = 64

#: node id -> (node, its kinds); the node is kept so that the id stays its own.
KindsMemo = dict[int, tuple[Shape, frozenset[str]]]


def deref(shape: Shape) -> Shape:
    """Follow :class:`RefShape` targets (bounded; a ref-only cycle becomes :class:`AnyShape`)."""
    for _ in range(_MAX_HOPS):
        if not isinstance(shape, RefShape):
            return shape
        shape = shape.target()
    return AnyShape()


def text_kind(text: str) -> str:
    """The JSON type of a canonical JSON text (``integer`` for integral numbers), without parsing it."""
    first = text[:1]
    if first == '"':
        return "string"
    if first in "tf":
        return "boolean"
    if first == "n":
        return "null"
    if first == "[":
        return "array"
    if first == "{":
        return "object"
    return "number" if any(c in text for c in ".eE") else "integer"


def kinds(shape: Shape, memo: KindsMemo | None = None) -> frozenset[str]:
    """The JSON types a shape may accept (an over-approximation for ``not`` and unknowns).

    Args:
        shape: Any node.
        memo: Reused across calls on the same graphs (the engine keeps one per comparison).
    """
    shape = deref(shape)
    simple = _simple(shape)
    if simple is not None:
        return simple
    if memo is not None and (hit := memo.get(id(shape))) is not None:
        return hit[1]
    return _Kinds({} if memo is None else memo).of(shape)


def _simple(shape: Shape) -> frozenset[str] | None:
    """The types of a node that needs no recursion (``None`` for unions and ``allOf``)."""
    if isinstance(shape, (AnyShape, NotShape, UnknownShape)):
        return ALL_KINDS
    if isinstance(shape, NeverShape):
        return frozenset()
    if isinstance(shape, NumberShape):
        return frozenset({"integer"} if shape.integer else {"number", "integer"})
    if isinstance(shape, EnumShape):
        return frozenset(text_kind(v) for v in shape.values)
    if isinstance(shape, (UnionShape, AllOfShape)):
        return None
    return frozenset({shape.kind})


class _Kinds:
    """One :func:`kinds` question: the shared memo and the ``allOf`` nodes in progress."""

    __slots__ = ("memo", "stack")

    def __init__(self, memo: KindsMemo) -> None:
        self.memo = memo
        self.stack: set[int] = set()

    def of(self, shape: Shape) -> frozenset[str]:
        shape = deref(shape)
        simple = _simple(shape)
        if simple is not None:
            return simple
        hit = self.memo.get(id(shape))
        if hit is not None:
            return hit[1]
        if isinstance(shape, UnionShape):
            self._unions(shape)
            return self.memo[id(shape)][1]
        if id(shape) in self.stack:
            return ALL_KINDS
        self.stack.add(id(shape))
        try:
            result = ALL_KINDS
            for branch in shape.branches:  # type: ignore[attr-defined]
                result = result & self.of(branch)
        finally:
            self.stack.discard(id(shape))
        self.memo[id(shape)] = (shape, result)
        return result

    def _unions(self, root: UnionShape) -> None:
        """Memoise every union reachable from ``root`` through union branches (Tarjan's SCCs)."""
        index: dict[int, int] = {}
        low: dict[int, int] = {}
        on_stack: set[int] = set()
        scc_stack: list[UnionShape] = []
        leaves: dict[int, set[str]] = {}
        work: list[tuple[UnionShape, int]] = [(root, 0)]
        index[id(root)] = low[id(root)] = 0
        scc_stack.append(root)
        on_stack.add(id(root))
        leaves[id(root)] = set()
        while work:
            node, pos = work[-1]
            branches = node.branches
            if pos < len(branches):
                work[-1] = (node, pos + 1)
                child = deref(branches[pos])
                if not isinstance(child, UnionShape):
                    leaves[id(node)] |= self.of(child)
                    continue
                hit = self.memo.get(id(child))
                if hit is not None:
                    leaves[id(node)] |= hit[1]
                elif id(child) not in index:
                    index[id(child)] = low[id(child)] = len(index)
                    scc_stack.append(child)
                    on_stack.add(id(child))
                    leaves[id(child)] = set()
                    work.append((child, 0))
                elif id(child) in on_stack:
                    low[id(node)] = min(low[id(node)], index[id(child)])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[id(parent)] = min(low[id(parent)], low[id(node)])
            if low[id(node)] != index[id(node)]:
                continue
            component: list[UnionShape] = []
            while True:  # node is the root of a component: every member has the same types
                member = scc_stack.pop()
                on_stack.discard(id(member))
                component.append(member)
                if member is node:
                    break
            result = frozenset().union(*(leaves[id(m)] for m in component))
            for member in component:
                self.memo[id(member)] = (member, result)
            if work:
                leaves[id(work[-1][0])] |= result
