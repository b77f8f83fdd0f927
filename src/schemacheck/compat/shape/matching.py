"""Intersections and ``not``: which conjunct of one side stands for which of the other; disjointness.

Maintainers: unions live in :mod:`.unions`. The order of distribution is the classic one for
subtyping: a reader ``allOf`` needs every conjunct to hold; a writer ``allOf`` needs some
conjunct to imply the reader. Conjunct order never matters. When no conjunct matches, the
differences of the *closest* one (the same place, else the fewest differences) are reported;
only when no conjunct of a compatible type exists does a ``COMBINED`` rule speak. Object
conjuncts of an ``allOf`` are merged first when that keeps the meaning (inheritance through
``allOf: [{$ref: Base}, {...}]``). :func:`disjoint` decides (conservatively) that two shapes
share no value, for ``not`` and for ``oneOf`` overlaps. When the engine's step budget is spent,
only the conjunct at the same place is tried (see :mod:`.unions`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from ...shape.nodes import (
    AllOfShape,
    EnumShape,
    NotShape,
    NumberShape,
    ObjectShape,
    Property,
    Shape,
    StringShape,
)
from ...shape.values import accepts, deref, kinds, lower_bound, upper_bound
from .pair import Comparer, Diff

__all__ = ["product_pair", "not_pair", "overlaps", "disjoint", "merge_objects", "same_type", "Candidates"]


def _conjuncts(shape: Shape) -> list[Shape]:
    """The conjuncts as written (a ``$ref`` conjunct keeps its own pointer for messages)."""
    shape = deref(shape)
    return list(shape.branches) if isinstance(shape, AllOfShape) else [shape]


class Candidates:
    """The branches of one side to try for a branch of the other: identical ones, then the one at
    the same place, then the rest (only while the engine's step budget lasts).

    Identical branches are found by hash and places by a dict, so ``n`` unchanged branches cost
    ``O(n)``, not ``O(n^2)`` (a mesh of unions or ``allOf``s referring to each other stays fast).

    Args:
        items: The branches to choose from.
        places: A key per branch (its position, or where it sits below its ``allOf``).
    """

    def __init__(self, items: list[Shape], places: list[object] | None = None) -> None:
        self.items = items
        self.places: dict[object, list[int]] = {}
        for j, place in enumerate(range(len(items)) if places is None else places):
            self.places.setdefault(place, []).append(j)
        self.index: dict[Shape, list[int]] | None = {}
        try:
            for j, item in enumerate(items):
                self.index.setdefault(item, []).append(j)
        except (TypeError, ValueError):  # an unhashable value somewhere: compare one by one
            self.index = None

    def __call__(self, probe: Shape, place: object, engine: Comparer) -> Iterator[int]:
        """Indices of ``items`` to try for ``probe`` (at ``place``), best first."""
        try:
            same = self.index.get(probe, []) if self.index is not None else None
        except (TypeError, ValueError):
            same = None
        if same is None:
            same = [j for j, item in enumerate(self.items) if item == probe]
        at_place = self.places.get(place, []) if place is not None else []
        first = sorted(same, key=lambda j: j not in at_place) + [j for j in at_place if j not in same]
        yield from first
        if len(first) == len(self.items):
            return
        tried = set(first)
        for j in range(len(self.items)):
            if j in tried:
                continue
            if not engine.spend():
                engine.skipped()
                return
            yield j


def same_type(engine: Comparer, a: Shape, b: Shape) -> bool:
    """Whether two shapes share a JSON type (only then can one read the other)."""
    return bool(engine.kinds(a) & engine.kinds(b))


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
    wcs = merge_objects(engine, writer, _conjuncts(writer))
    rcs = merge_objects(engine, reader, _conjuncts(reader))
    order = Candidates(wcs, [_place(wc, writer) for wc in wcs])
    out: list[Diff] = []
    for rc in rcs:
        twin = _place(rc, reader)
        best: tuple[Diff, ...] | None = None
        best_twin = False
        for k in order(rc, twin, engine):
            wc = wcs[k]
            if not same_type(engine, wc, rc):
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
        ok = disjoint(writer, reader.inner, engine.kinds)
    else:
        ok = False
    return () if ok else engine.run("COMBINED", old, new, context="not")


def disjoint(a: Shape, b: Shape, kinds_of: Callable[[Shape], frozenset[str]] = kinds,
             _seen: set[tuple[int, int]] | None = None) -> bool:
    """Whether no value can be accepted by both (``False`` when unsure).

    ``kinds_of`` is the engine's memoised :func:`kinds`. A pair met again below itself (two
    recursive objects discriminated by a recursive property) is "unsure".
    """
    a, b = deref(a), deref(b)
    seen = set() if _seen is None else _seen
    if (id(a), id(b)) in seen:
        return False
    seen.add((id(a), id(b)))
    if not kinds_of(a) & kinds_of(b):
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
        return any(disjoint(prop.shape, other.shape, kinds_of, seen) for prop, other in _both_required(a, b))
    return False


def _ranges_apart(lo_a: int | None, hi_a: int | None, lo_b: int | None, hi_b: int | None) -> bool:
    return (hi_a is not None and lo_b is not None and hi_a < lo_b) or (hi_b is not None and lo_a is not None
                                                                       and hi_b < lo_a)


def _both_required(a: ObjectShape, b: ObjectShape) -> list[tuple[Property, Property]]:
    """Properties both objects require (a discriminator is among them)."""
    out = []
    for prop in a.properties:
        other = b.prop(prop.name)
        if other is not None and prop.required and other.required:
            out.append((prop, other))
    return out


def overlaps(a: Shape, b: Shape, kinds_of: Callable[[Shape], frozenset[str]] = kinds) -> bool:
    """Whether some value may match both branches (conservative: ``True`` when unsure)."""
    return not disjoint(a, b, kinds_of)
