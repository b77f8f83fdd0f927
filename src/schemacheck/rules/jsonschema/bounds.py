"""Bound keywords (lengths, ranges, counts): one rule per keyword and direction, from a table.

Maintainers: every bound follows one law (reference §1.7): adding a bound or moving it inward
narrows what is accepted (breaks readers on the new schema = BACKWARD); removing it or moving
it outward widens (breaks readers still on the old schema = FORWARD). The twenty rules share
:func:`_declare`; each still has its own ID, docstring and fixture. Numeric ranges compare
``maximum`` and ``exclusiveMaximum`` together as one bound (10 inclusive → 10 exclusive is a
decrease), with integer bounds normalised (``exclusiveMaximum: 10`` on an integer = 9).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from ...compat.shape.pair import Issue, ShapePair
from ...shape.values import lower_bound, upper_bound
from ._common import BACK, FWD, shape_rule

_DOC = """{summary}

## What it does
Flags a change of `{keyword}` on a {kind} schema that {effect}, including {edge}.

## Why is this breaking?
{why}

## Example
Before: `{before}`. After: `{after}`.

## How to change this safely
{safe}
"""

_NARROW_WHY = ("Documents valid under the old schema may fall outside the new bound, so readers "
               "validating with the new schema reject data written with the old one (BACKWARD).")
_WIDEN_WHY = ("Documents written with the new schema may fall outside the old bound, so readers still "
              "validating with the old schema reject them (FORWARD).")
_NARROW_SAFE = ("Keep the old bound in the schema and enforce the stricter one in the producer only, or "
                "migrate existing data first and release the narrower bound as a new major version.")
_WIDEN_SAFE = ("Upgrade every reader to the new schema before producers write values beyond the old bound; "
               "under BACKWARD-only compatibility this change is allowed.")


def _fmt(value: Any) -> str:
    if value is None:
        return "unset"
    if isinstance(value, tuple):
        return f"{value[0]} ({'exclusive' if value[1] else 'inclusive'})"
    return str(value)


def _tighter_upper(old: Any, new: Any) -> int:
    """+1 if ``new`` is a tighter upper bound than ``old``, -1 if looser, 0 if the same."""
    if old == new:
        return 0
    if old is None or new is None:
        return 1 if old is None else -1
    old_key = (old[0], -1 if old[1] else 0) if isinstance(old, tuple) else (old, 0)
    new_key = (new[0], -1 if new[1] else 0) if isinstance(new, tuple) else (new, 0)
    return 1 if new_key < old_key else (-1 if new_key > old_key else 0)


def _tighter_lower(old: Any, new: Any) -> int:
    if old == new:
        return 0
    if old is None or new is None:
        return 1 if old is None else -1
    old_key = (old[0], 1 if old[1] else 0) if isinstance(old, tuple) else (old, 0)
    new_key = (new[0], 1 if new[1] else 0) if isinstance(new, tuple) else (new, 0)
    return 1 if new_key > old_key else (-1 if new_key < old_key else 0)


def _declare(rule_id: str, *, family: str, kind: str, keyword: str, get: Callable[[Any], Any], upper: bool,
             narrows: bool, aliases: tuple[str, ...], before: str, after: str) -> None:
    verb = rule_id.rsplit("_", 1)[1].lower()
    effect = "narrows the accepted range" if narrows else "widens the accepted range"
    edge = f"adding `{keyword}`" if narrows else f"removing `{keyword}`"
    doc = _DOC.format(summary=f"The `{keyword}` bound {verb} (or was {'added' if narrows else 'removed'}).",
                      keyword=keyword, kind=kind, effect=effect, edge=edge,
                      why=_NARROW_WHY if narrows else _WIDEN_WHY, before=before, after=after,
                      safe=_NARROW_SAFE if narrows else _WIDEN_SAFE)
    tighter = _tighter_upper if upper else _tighter_lower
    keywords = tuple(keyword.split("/"))
    want = 1 if narrows else -1

    def check(pair: ShapePair) -> Iterator[Issue]:
        old, new = get(pair.old), get(pair.new)
        if tighter(old, new) != want:
            return
        change = f"{verb} from {_fmt(old)} to {_fmt(new)}" if old is not None and new is not None else (
            f"was added ({_fmt(new)})" if old is None else f"was removed (was {_fmt(old)})")
        yield pair.issue(f"The {keyword} of {pair.where} {change}; {pair.direction.victims}.", keywords=keywords)

    check.__doc__ = doc
    check.__name__ = check.__qualname__ = rule_id.lower()
    shape_rule(rule_id, family=family, breaks=BACK if narrows else FWD, aliases=aliases)(check)


def _attr(name: str) -> Callable[[Any], Any]:
    return lambda shape: getattr(shape, name)


def _contains_bound(name: str) -> Callable[[Any], Any]:
    return lambda shape: getattr(shape, name) if shape.contains is not None else None


_S, _N, _O, _A = '{"type": "string"', '{"type": "number"', '{"type": "object"', '{"type": "array"'
_TABLE: list[tuple[str, str, str, str, Callable[[Any], Any], bool, bool, tuple[str, ...], str, str]] = [
    ("MAX_LENGTH_DECREASED", "STRING", "string", "maxLength", _attr("max_length"), True, True,
     ("MAX_LENGTH_ADDED",), _S + ', "maxLength": 20}', _S + ', "maxLength": 10}'),
    ("MAX_LENGTH_INCREASED", "STRING", "string", "maxLength", _attr("max_length"), True, False,
     ("MAX_LENGTH_REMOVED",), _S + ', "maxLength": 10}', _S + ', "maxLength": 20}'),
    ("MIN_LENGTH_INCREASED", "STRING", "string", "minLength", _attr("min_length"), False, True,
     ("MIN_LENGTH_ADDED",), _S + ', "minLength": 1}', _S + ', "minLength": 3}'),
    ("MIN_LENGTH_DECREASED", "STRING", "string", "minLength", _attr("min_length"), False, False,
     ("MIN_LENGTH_REMOVED",), _S + ', "minLength": 3}', _S + ', "minLength": 1}'),
    ("MAXIMUM_DECREASED", "NUMBER", "number or integer", "maximum/exclusiveMaximum", upper_bound, True, True,
     ("MAXIMUM_ADDED", "EXCLUSIVE_MAXIMUM_ADDED", "EXCLUSIVE_MAXIMUM_DECREASED"),
     _N + ', "maximum": 100}', _N + ', "exclusiveMaximum": 100}'),
    ("MAXIMUM_INCREASED", "NUMBER", "number or integer", "maximum/exclusiveMaximum", upper_bound, True, False,
     ("MAXIMUM_REMOVED", "EXCLUSIVE_MAXIMUM_REMOVED", "EXCLUSIVE_MAXIMUM_INCREASED"),
     _N + ', "maximum": 100}', _N + ', "maximum": 1000}'),
    ("MINIMUM_INCREASED", "NUMBER", "number or integer", "minimum/exclusiveMinimum", lower_bound, False, True,
     ("MINIMUM_ADDED", "EXCLUSIVE_MINIMUM_ADDED", "EXCLUSIVE_MINIMUM_INCREASED"),
     _N + ', "minimum": 0}', _N + ', "exclusiveMinimum": 0}'),
    ("MINIMUM_DECREASED", "NUMBER", "number or integer", "minimum/exclusiveMinimum", lower_bound, False, False,
     ("MINIMUM_REMOVED", "EXCLUSIVE_MINIMUM_REMOVED", "EXCLUSIVE_MINIMUM_DECREASED"),
     _N + ', "minimum": 0}', _N + ', "minimum": -10}'),
    ("MAX_ITEMS_DECREASED", "ARRAY", "array", "maxItems", _attr("max_items"), True, True,
     ("MAX_ITEMS_ADDED",), _A + ', "maxItems": 10}', _A + ', "maxItems": 5}'),
    ("MAX_ITEMS_INCREASED", "ARRAY", "array", "maxItems", _attr("max_items"), True, False,
     ("MAX_ITEMS_REMOVED",), _A + ', "maxItems": 5}', _A + ', "maxItems": 10}'),
    ("MIN_ITEMS_INCREASED", "ARRAY", "array", "minItems", _attr("min_items"), False, True,
     ("MIN_ITEMS_ADDED",), _A + '}', _A + ', "minItems": 1}'),
    ("MIN_ITEMS_DECREASED", "ARRAY", "array", "minItems", _attr("min_items"), False, False,
     ("MIN_ITEMS_REMOVED",), _A + ', "minItems": 2}', _A + ', "minItems": 1}'),
    ("MAX_CONTAINS_DECREASED", "ARRAY", "array", "maxContains", _contains_bound("max_contains"), True, True,
     ("MAX_CONTAINS_ADDED",), _A + ', "contains": {...}, "maxContains": 3}', _A + ', "contains": {...}, "maxContains": 2}'),
    ("MAX_CONTAINS_INCREASED", "ARRAY", "array", "maxContains", _contains_bound("max_contains"), True, False,
     ("MAX_CONTAINS_REMOVED",), _A + ', "contains": {...}, "maxContains": 2}', _A + ', "contains": {...}}'),
    ("MIN_CONTAINS_INCREASED", "ARRAY", "array", "minContains", _contains_bound("min_contains"), False, True,
     ("MIN_CONTAINS_ADDED",), _A + ', "contains": {...}}', _A + ', "contains": {...}, "minContains": 2}'),
    ("MIN_CONTAINS_DECREASED", "ARRAY", "array", "minContains", _contains_bound("min_contains"), False, False,
     ("MIN_CONTAINS_REMOVED",), _A + ', "contains": {...}, "minContains": 2}', _A + ', "contains": {...}, "minContains": 1}'),
    ("MAX_PROPERTIES_DECREASED", "OBJECT", "object", "maxProperties", _attr("max_properties"), True, True,
     ("MAX_PROPERTIES_ADDED",), _O + ', "maxProperties": 10}', _O + ', "maxProperties": 5}'),
    ("MAX_PROPERTIES_INCREASED", "OBJECT", "object", "maxProperties", _attr("max_properties"), True, False,
     ("MAX_PROPERTIES_REMOVED",), _O + ', "maxProperties": 5}', _O + '}'),
    ("MIN_PROPERTIES_INCREASED", "OBJECT", "object", "minProperties", _attr("min_properties"), False, True,
     ("MIN_PROPERTIES_ADDED",), _O + '}', _O + ', "minProperties": 1}'),
    ("MIN_PROPERTIES_DECREASED", "OBJECT", "object", "minProperties", _attr("min_properties"), False, False,
     ("MIN_PROPERTIES_REMOVED",), _O + ', "minProperties": 2}', _O + ', "minProperties": 1}'),
]

for _row in _TABLE:
    _declare(_row[0], family=_row[1], kind=_row[2], keyword=_row[3], get=_row[4], upper=_row[5], narrows=_row[6],
             aliases=_row[7], before=_row[8], after=_row[9])

__all__: list[str] = []
