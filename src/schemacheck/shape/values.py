"""Questions about one shape: its JSON types, its numeric bounds, whether it accepts a value.

Maintainers: pure functions over :mod:`.nodes`, used by the engine and by rules. ``accepts``
is a small validator for the values of ``enum``/``const``/``default``; it answers ``None``
when it cannot decide (a regex it cannot run, an unknown construct) so callers never guess.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any

from .kinds import ALL_KINDS, deref, kinds, text_kind
from .nodes import (
    AllOfShape,
    AnyShape,
    ArrayShape,
    BooleanShape,
    EnumShape,
    NeverShape,
    NotShape,
    NullShape,
    NumberShape,
    ObjectShape,
    RefShape,
    Shape,
    StringShape,
    UnionShape,
    UnknownShape,
    canonical_json,
)

__all__ = [
    "ALL_KINDS",
    "deref",
    "kinds",
    "text_kind",
    "type_names",
    "kinds_covered",
    "json_kind",
    "accepts",
    "lower_bound",
    "upper_bound",
    "describe",
    "is_any",
    "is_never",
    "is_multiple",
]

def is_any(shape: Shape | None) -> bool:
    """Absent, ``true`` or ``{}``."""
    return shape is None or isinstance(deref(shape), AnyShape)


def is_never(shape: Shape | None) -> bool:
    return shape is not None and isinstance(deref(shape), NeverShape)


def json_kind(value: Any) -> str:
    """The JSON Schema type name of a plain JSON value (integers, incl. ``1.0``, are ``integer``)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int) or (isinstance(value, float) and value.is_integer()):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def kinds_covered(writer: frozenset[str], reader: frozenset[str]) -> bool:
    """Whether every type the writer may produce is a type the reader accepts."""
    return writer <= reader


def type_names(k: frozenset[str]) -> str:
    """``integer``/``number`` folded: ``"number, string"``."""
    names = set(k)
    if "number" in names:
        names.discard("integer")
    return ", ".join(sorted(names)) or "nothing"


def describe(shape: Shape) -> str:
    """A short description for messages: ``string``, ``any value``, ``one of 3 values``."""
    shape = deref(shape)
    if isinstance(shape, AnyShape):
        return "any value"
    if isinstance(shape, NeverShape):
        return "no value"
    if isinstance(shape, EnumShape):
        return f"const {shape.values[0]}" if shape.const and shape.values else f"enum [{', '.join(shape.values)}]"
    if isinstance(shape, NumberShape):
        return shape.type_name
    if isinstance(shape, UnionShape) and shape.synthetic:
        return type_names(kinds(shape))
    return shape.kind


def lower_bound(shape: NumberShape) -> tuple[Decimal, bool] | None:
    """``(value, exclusive)`` of the tightest lower bound; integers get inclusive bounds."""
    return _bound(shape.minimum, shape.exclusive_minimum, shape.integer, lower=True)


def upper_bound(shape: NumberShape) -> tuple[Decimal, bool] | None:
    """``(value, exclusive)`` of the tightest upper bound; integers get inclusive bounds."""
    return _bound(shape.maximum, shape.exclusive_maximum, shape.integer, lower=False)


def _bound(inclusive: Decimal | None, exclusive: Decimal | None, integer: bool, *, lower: bool
           ) -> tuple[Decimal, bool] | None:
    cands: list[tuple[Decimal, bool]] = []
    if inclusive is not None:
        cands.append((Decimal(inclusive), False))
    if exclusive is not None:
        cands.append((Decimal(exclusive), True))
    if integer:
        cands = [_int_bound(v, ex, lower) for v, ex in cands]
    if not cands:
        return None

    def tight(c: tuple[Decimal, bool]) -> tuple[Decimal, int]:
        # Lower: larger value is tighter, exclusive beats inclusive at the same value.
        return (c[0], 1 if c[1] else 0) if lower else (-c[0], 1 if c[1] else 0)

    return max(cands, key=tight)


def _int_bound(value: Decimal, exclusive: bool, lower: bool) -> tuple[Decimal, bool]:
    if lower:
        whole = value.to_integral_value(rounding="ROUND_FLOOR")
        return (whole + 1 if exclusive or whole < value else whole, False)
    whole = value.to_integral_value(rounding="ROUND_CEILING")
    return (whole - 1 if exclusive or whole > value else whole, False)


def _num(value: Any) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    try:
        return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    except InvalidOperation:
        return None


def _number_accepts(shape: NumberShape, value: Any) -> bool:
    num = _num(value)
    if num is None or (shape.integer and num != num.to_integral_value()):
        return False
    low, high = lower_bound(shape), upper_bound(shape)
    if low and (num < low[0] or (low[1] and num == low[0])):
        return False
    if high and (num > high[0] or (high[1] and num == high[0])):
        return False
    return not (shape.multiple_of and is_multiple(num, shape.multiple_of) is False)


def is_multiple(value: Decimal, divisor: Decimal) -> bool | None:
    """Whether ``value`` is an exact multiple of ``divisor`` (``None``: not a finite number, or 0).

    Exact, and bounded by the digits written: ``Decimal``'s ``%`` fails (``DivisionImpossible``)
    once the quotient outgrows its context (``1e308 % 1e-308``), and expanding ``1e999999999``
    into an integer would not fit in memory. With ``value = a·10^p`` and ``divisor = b·10^q``
    the quotient is ``(a/b)·10^(p-q)``: for ``p ≥ q`` it is whole when the reduced ``b`` has no
    prime factors but 2 and 5, each at most ``p-q`` times; for ``p < q`` it is below 1 (so not
    whole) once ``10^(q-p)`` exceeds ``a``, and small enough to compute exactly otherwise.
    """
    if not (value.is_finite() and divisor.is_finite()) or divisor == 0:
        return None
    if value == 0:
        return True
    a_sign, a_digits, p = value.as_tuple()
    b_sign, b_digits, q = divisor.as_tuple()
    ratio = Fraction(int("".join(map(str, a_digits))), int("".join(map(str, b_digits))))
    shift = int(p) - int(q)
    if shift >= 0:
        den = ratio.denominator
        for prime in (2, 5):
            count = 0
            while den % prime == 0:
                den //= prime
                count += 1
            if count > shift:
                return False
        return den == 1
    if -shift > len(str(ratio.numerator)):
        return False  # 0 < |quotient| < 1
    return (ratio / 10 ** -shift).denominator == 1


def _string_accepts(shape: StringShape, value: Any) -> bool | None:
    if not isinstance(value, str):
        return False
    if shape.min_length is not None and len(value) < shape.min_length:
        return False
    if shape.max_length is not None and len(value) > shape.max_length:
        return False
    if shape.pattern is not None:
        try:
            return re.search(shape.pattern, value) is not None
        except re.error:
            return None
    return True


def _object_accepts(shape: ObjectShape, value: Any, run: _Run) -> bool | None:
    if not isinstance(value, dict):
        return False
    for prop in shape.properties:
        if prop.name in value:
            ok = run.accepts(prop.shape, value[prop.name])
            if ok is not True:
                return ok
        elif prop.required:
            return False
    if any(name not in value for name in shape.extra_required):
        return False
    if any(n in value and any(r not in value for r in req) for n, req in shape.dependent_required):
        return False
    results = [run.accepts(dep, value) for n, dep in shape.dependent_schemas if n in value]
    if shape.property_names is not None:
        results += [run.accepts(shape.property_names, k) for k in value]
    if False in results:
        return False
    undecided = None in results
    declared = {p.name for p in shape.properties}
    extra = [k for k in value if k not in declared]
    if extra and shape.unevaluated is not None:
        return None
    if extra and shape.pattern_properties:
        try:
            matched = [(k, s) for k in extra for pattern, s in shape.pattern_properties if re.search(pattern, k)]
        except re.error:
            return None
        results = [run.accepts(s, value[k]) for k, s in matched]
        if False in results:
            return False
        undecided = undecided or None in results
        extra = [k for k in extra if all(k != m for m, _ in matched)]
    if extra and shape.additional is not None:
        results = [run.accepts(shape.additional, value[k]) for k in extra]
        if False in results:
            return False
        undecided = undecided or None in results
    return None if undecided else True


def _array_accepts(shape: ArrayShape, value: Any, run: _Run) -> bool | None:
    if not isinstance(value, list):
        return False
    if (shape.min_items is not None and len(value) < shape.min_items) or (
            shape.max_items is not None and len(value) > shape.max_items):
        return False
    if shape.contains is not None or shape.unique_items:
        return None
    rest = shape.items if shape.items is not None else shape.unevaluated_items
    results = [run.accepts(shape.prefix_items[i] if i < len(shape.prefix_items) else (rest or AnyShape()), v)
               for i, v in enumerate(value)]
    return False if False in results else (None if None in results else True)


#: Nodes :func:`accepts` may visit for one value before it answers "undecided".
ACCEPTS_BUDGET = 10_000


def accepts(shape: Shape, value: Any) -> bool | None:
    """Whether ``shape`` accepts the plain JSON ``value``; ``None`` when undecidable here.

    Undecidable includes a union or ``allOf`` that comes back to itself for the same value
    (a ``$ref`` cycle without a property or item in between) and a check that would visit
    more than :data:`ACCEPTS_BUDGET` nodes: the answer stays bounded in time however the
    schema is shaped.
    """
    return _Run().accepts(shape, value)


class _Run:
    """One :func:`accepts` question: its remaining budget and the (node, value) pairs in progress."""

    __slots__ = ("budget", "active")

    def __init__(self) -> None:
        self.budget = ACCEPTS_BUDGET
        self.active: set[tuple[int, int]] = set()

    def accepts(self, shape: Shape, value: Any) -> bool | None:
        shape = deref(shape)
        self.budget -= 1
        if self.budget < 0 or isinstance(shape, UnknownShape):
            return None
        if isinstance(shape, (NotShape, UnionShape, AllOfShape)):
            key = (id(shape), id(value))
            if key in self.active:
                return None
            self.active.add(key)
            try:
                return self._combined(shape, value)
            finally:
                self.active.discard(key)
        return self._plain(shape, value)

    def _combined(self, shape: Shape, value: Any) -> bool | None:
        if isinstance(shape, NotShape):
            inner = self.accepts(shape.inner, value)
            return None if inner is None else not inner
        results = [self.accepts(b, value) for b in shape.branches]  # type: ignore[attr-defined]
        if isinstance(shape, AllOfShape):
            return False if False in results else (None if None in results else True)
        hits = results.count(True)
        if None in results:
            return None
        return hits == 1 if shape.one_of else hits >= 1  # type: ignore[attr-defined]

    def _plain(self, shape: Shape, value: Any) -> bool | None:
        if isinstance(shape, AnyShape):
            return True
        if isinstance(shape, NeverShape):
            return False
        if isinstance(shape, NullShape):
            return value is None
        if isinstance(shape, BooleanShape):
            return isinstance(value, bool)
        if isinstance(shape, NumberShape):
            return _number_accepts(shape, value)
        if isinstance(shape, StringShape):
            return _string_accepts(shape, value)
        if isinstance(shape, EnumShape):
            return canonical_json(value) in shape.values
        if isinstance(shape, ObjectShape):
            return _object_accepts(shape, value, self)
        if isinstance(shape, ArrayShape):
            return _array_accepts(shape, value, self)
        return None
