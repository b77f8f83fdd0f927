"""Unions, intersections and ``not``: which branch of one side stands for which of the other.

Maintainers: the order of distribution is the classic one for subtyping: a writer union needs
*every* branch read by the reader; a reader union needs *some* branch to read it; a reader
``allOf`` needs every conjunct to hold; a writer ``allOf`` needs some conjunct to imply the
reader. Branch order never matters. When no branch matches, the differences of the *closest*
branch (same JSON type, fewest differences, each reader branch used once) are reported instead
of a vague "branches changed"; only when no branch of a compatible type exists does a
``COMBINED`` (or, for ``type: [..]`` lists, a ``TYPE``) rule speak. A reader ``oneOf`` also
needs *exactly one* branch: writer branches that may match a second reader branch are flagged
(an added overlapping branch, ``anyOf`` → ``oneOf``, a ``oneOf`` collapsed in FORWARD), unless
the writer had the same overlap already. Object conjuncts of an ``allOf`` are merged first
when that keeps the meaning (inheritance through ``allOf: [{$ref: Base}, {...}]``).
"""

from __future__ import annotations

from ...shape.nodes import (
    AllOfShape,
    EnumShape,
    NotShape,
    NumberShape,
    ObjectShape,
    Property,
    Shape,
    StringShape,
    UnionShape,
)
from ...shape.values import accepts, deref, kinds, lower_bound, upper_bound
from .pair import Comparer, Diff, Direction

__all__ = ["sum_pair", "product_pair", "not_pair", "overlaps", "disjoint", "merge_objects"]


def _branches(shape: Shape, cls: type) -> list[Shape]:
    """The branches as written (a ``$ref`` branch keeps its own pointer for messages)."""
    shape = deref(shape)
    return list(shape.branches) if isinstance(shape, cls) else [shape]  # type: ignore[attr-defined]


def _same_type(a: Shape, b: Shape) -> bool:
    return bool(kinds(a) & kinds(b))


def sum_pair(engine: Comparer, old: Shape, new: Shape) -> tuple[Diff, ...]:
    """A union on either side: every writer branch must be read by some reader branch."""
    writer, reader = engine.old_new(old, new)
    wbs, rbs = _branches(writer, UnionShape), _branches(reader, UnionShape)
    explicit = any(isinstance(x, UnionShape) and not x.synthetic for x in (writer, reader))
    tried: dict[tuple[int, int], tuple[Diff, ...]] = {}
    matched: set[int] = set()
    unmatched: list[int] = []
    for i, wb in enumerate(wbs):
        if not kinds(wb):
            continue  # a branch that accepts nothing needs no counterpart
        for j in sorted(range(len(rbs)), key=lambda j: (rbs[j] != wb, j != i)):  # identical branches first
            rb = rbs[j]
            if not _same_type(wb, rb):
                continue
            tried[i, j] = engine.compare(*engine.old_new(wb, rb))
            if not tried[i, j]:
                matched.add(j)
                break
        else:
            unmatched.append(i)
    out: list[Diff] = []
    free = [j for j in range(len(rbs)) if j not in matched]
    type_change = False
    for i in unmatched:
        cands = [j for j in (free if explicit else range(len(rbs))) if (i, j) in tried]
        if cands:
            best = min(cands, key=lambda j: (len(tried[i, j]), j))
            out += tried[i, best]
            if explicit:
                free.remove(best)
        elif explicit:
            out += engine.run("COMBINED", old, new, context="sum", branch=wbs[i])
        else:
            type_change = True
    if type_change:
        out += engine.run("TYPE", old, new)
    out += _oneof_overlaps(engine, old, new, writer, reader, wbs, rbs)
    return tuple(out)


def _oneof_overlaps(engine: Comparer, old: Shape, new: Shape, writer: Shape, reader: Shape, wbs: list[Shape],
                    rbs: list[Shape]) -> list[Diff]:
    """A reader ``oneOf`` rejects values matching two branches: flag writer branches that may.

    Each writer branch is assigned one reader branch that reads it (identical ones first). It
    breaks if it may also match another reader branch, unless the writer is a ``oneOf`` with
    the same two branches unchanged (those values were already invalid for the writer).
    """
    if not (isinstance(reader, UnionShape) and reader.one_of and not reader.synthetic):
        return []
    writer_one_of = isinstance(writer, UnionShape) and writer.one_of and not writer.synthetic
    assigned: dict[int, int] = {}
    for i, wb in enumerate(wbs):
        for j in sorted(range(len(rbs)), key=lambda j: (rbs[j] != wb, j != i)):
            if j not in assigned.values() and _same_type(wb, rbs[j]) and engine.reads(wb, rbs[j]):
                assigned[i] = j
                break
    unchanged = {j for i, j in assigned.items() if wbs[i] == rbs[j]} if writer_one_of else set()
    out: list[Diff] = []
    seen: set[frozenset[int]] = set()
    for i, j in assigned.items():
        for k, rb in enumerate(rbs):
            if k == j or (j in unchanged and k in unchanged) or frozenset((j, k)) in seen or not overlaps(wbs[i], rb):
                continue
            seen.add(frozenset((j, k)))
            if engine.direction is Direction.BACKWARD:
                out += engine.run("COMBINED", old, new, context="overlap", branch=rb, peer=rbs[j])
            else:
                out += engine.run("COMBINED", old, new, context="overlap", branch=wbs[i], peer=rb)
            break
    return out


def _mergeable(shape: Shape) -> bool:
    """An object conjunct whose keywords mean the same after merging (no per-conjunct catch-all)."""
    return (isinstance(shape, ObjectShape) and shape.additional is None and not shape.pattern_properties
            and shape.property_names is None and shape.min_properties is None and shape.max_properties is None
            and not shape.dependent_required and not shape.dependent_schemas)


def merge_objects(engine: Comparer, owner: Shape, conjuncts: list[Shape]) -> list[Shape]:
    """Fold object conjuncts of an ``allOf`` into one object (``allOf: [Base, {properties}]``).

    Only conjuncts without ``additionalProperties``/``patternProperties`` (which would apply to
    their own properties only) and with at most one ``unevaluatedProperties`` are merged, so the
    merged object accepts exactly what the conjunction did. A property declared twice becomes
    the ``allOf`` of both schemas.
    """
    objects = [deref(c) for c in conjuncts if _mergeable(deref(c))]
    if len(objects) < 2 or sum(o.unevaluated is not None for o in objects) > 1:  # type: ignore[attr-defined]
        return conjuncts
    props: dict[str, Property] = {}
    for obj in objects:
        for prop in obj.properties:  # type: ignore[attr-defined]
            seen = props.get(prop.name)
            if seen is None:
                props[prop.name] = prop
            else:
                both = AllOfShape(branches=(seen.shape, prop.shape), origin=prop.shape.origin)
                props[prop.name] = Property(name=prop.name, shape=both, required=seen.required or prop.required)
    required = {r for o in objects for r in o.extra_required} | {  # type: ignore[attr-defined]
        r for o in objects for p in o.properties if p.required for r in (p.name,)}  # type: ignore[attr-defined]
    merged = ObjectShape(
        properties=tuple(Property(name=p.name, shape=p.shape, required=p.name in required) for p in props.values()),
        extra_required=tuple(sorted(r for r in required if r not in props)),
        unevaluated=next((o.unevaluated for o in objects  # type: ignore[attr-defined]
                          if o.unevaluated is not None), None),  # type: ignore[attr-defined]
        origin=owner.origin, annotations=owner.annotations)
    engine.keep(merged)
    return [merged] + [c for c in conjuncts if not _mergeable(deref(c))]


def product_pair(engine: Comparer, old: Shape, new: Shape) -> tuple[Diff, ...]:
    """An ``allOf`` on either side: each reader conjunct must follow from some writer conjunct."""
    writer, reader = engine.old_new(old, new)
    wcs = merge_objects(engine, writer, _branches(writer, AllOfShape))
    rcs = merge_objects(engine, reader, _branches(reader, AllOfShape))
    out: list[Diff] = []
    for rc in rcs:
        twin = _place(rc, reader)
        best: tuple[Diff, ...] | None = None
        best_twin = False
        for wc in wcs:
            if not _same_type(wc, rc):
                continue
            diffs = engine.compare(*engine.old_new(wc, rc))
            if not diffs:
                best = diffs
                break
            # No conjunct implies it: explain against the conjunct at the same place (what the
            # author edited), else against the closest one.
            is_twin = twin is not None and _place(wc, writer) == twin
            if best is None or (is_twin and not best_twin) or (is_twin == best_twin and len(diffs) < len(best)):
                best, best_twin = diffs, is_twin
        if best is None:
            out += engine.run("COMBINED", old, new, context="product", branch=rc)
        else:
            out += best
    return tuple(out)


def _place(conjunct: Shape, owner: Shape) -> str | None:
    """Where a conjunct sits below its ``allOf`` (``/allOf/1``; ``""`` for merged objects), ``None`` if elsewhere."""
    inner, outer = conjunct.origin.pointer, owner.origin.pointer
    if inner == outer or inner.startswith(outer + "/"):
        return inner[len(outer):]
    return None


def not_pair(engine: Comparer, old: Shape, new: Shape) -> tuple[Diff, ...]:
    """``not`` on either side: compared contravariantly, or by disjointness."""
    writer, reader = engine.old_new(old, new)
    if isinstance(writer, NotShape) and isinstance(reader, NotShape):
        ok = engine.reads(reader.inner, writer.inner)
    elif isinstance(reader, NotShape):
        ok = disjoint(writer, reader.inner)
    else:
        ok = False
    return () if ok else engine.run("COMBINED", old, new, context="not")


def disjoint(a: Shape, b: Shape) -> bool:
    """Whether no value can be accepted by both (``False`` when unsure)."""
    a, b = deref(a), deref(b)
    if not kinds(a) & kinds(b):
        return True
    for x, y in ((a, b), (b, a)):
        if isinstance(x, EnumShape) and all(accepts(y, v) is False for v in x.decoded()):
            return True
    if isinstance(a, StringShape) and isinstance(b, StringShape):
        return _ranges_apart(a.min_length, a.max_length, b.min_length, b.max_length)
    if isinstance(a, NumberShape) and isinstance(b, NumberShape):
        lo_a, hi_a, lo_b, hi_b = lower_bound(a), upper_bound(a), lower_bound(b), upper_bound(b)
        return bool((hi_a and lo_b and hi_a[0] < lo_b[0]) or (hi_b and lo_a and hi_b[0] < lo_a[0]))
    if isinstance(a, ObjectShape) and isinstance(b, ObjectShape):
        return _discriminated(a, b)
    return False


def _ranges_apart(lo_a: int | None, hi_a: int | None, lo_b: int | None, hi_b: int | None) -> bool:
    return (hi_a is not None and lo_b is not None and hi_a < lo_b) or (hi_b is not None and lo_a is not None
                                                                       and hi_b < lo_a)


def _discriminated(a: ObjectShape, b: ObjectShape) -> bool:
    for prop in a.properties:
        other = b.prop(prop.name)
        if other is None or not (prop.required and other.required):
            continue
        if disjoint(prop.shape, other.shape):
            return True
    return False


def overlaps(a: Shape, b: Shape) -> bool:
    """Whether some value may match both branches (conservative: ``True`` when unsure)."""
    return not disjoint(a, b)
