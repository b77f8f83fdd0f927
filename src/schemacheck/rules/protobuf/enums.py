"""Enum rules: a value number keeps its names, and reservations are never taken back."""

from __future__ import annotations

from collections.abc import Iterator

from ...compat.protobuf.elements import Enum, SourcePath
from ...compat.protobuf.image import CheckContext, EnumValueGroup, Pair
from ...registry import Violation, rule
from ._common import PROTOBUF, violation
from ._scope import quoted, reserved_name_line
from .reserved import missing_ranges

_ENUM_MAX = 2**31 - 1


@rule("ENUM_VALUE_SAME_NAME", format=PROTOBUF, subject="enum_value", categories=("FILE", "PACKAGE", "WIRE_JSON", "CSR"))
def enum_value_same_name(pair: Pair[EnumValueGroup], ctx: CheckContext) -> Iterator[Violation]:
    """Flags an enum number that lost one of its names (a rename); adding an alias is fine.

    ## What it does
    Groups enum values by number (aliases share a number under `allow_alias`) and reports
    when a name the number had is no longer among its names. Adding an alias keeps every old
    name and does not fire. Each value now carrying the number is reported, at its number.

    ## Why is this breaking?
    JSON and text formats carry enum values by name: readers on the new schema reject
    `"PAYMENT_STATUS_SETTLED"` written by old producers, and old readers reject the new name.
    Generated constants are renamed, so code using the old one stops compiling.

    ## Example
    Before:
    ```proto
    enum PaymentStatus { PAYMENT_STATUS_UNSPECIFIED = 0; PAYMENT_STATUS_SETTLED = 1; }
    ```
    After:
    ```proto
    enum PaymentStatus { PAYMENT_STATUS_UNSPECIFIED = 0; PAYMENT_STATUS_PAID = 1; }
    ```

    ## How to change this safely
    Add the new name as an alias (`option allow_alias = true;`, `PAYMENT_STATUS_PAID = 1;`
    next to the old one), migrate readers and writers, and only then consider removing the
    old name (reserving it).

    ## References
    - buf breaking rule `ENUM_VALUE_SAME_NAME`.
    """
    old_names, new_names = sorted(pair.old.names), sorted(pair.new.names)
    lost = [n for n in old_names if n not in new_names]
    if not lost:
        return
    old_by_name = {v.name: v for v in pair.old.values}
    for value in pair.new.values:
        was = old_by_name.get(value.name, pair.old.values[0])
        yield violation(
            f'Enum value {value.number} of enum "{pair.new.enum.full_name}" changed name from {quoted(old_names)} '
            f'to {quoted(new_names)}: JSON readers and code still using {quoted(lost)} break.',
            value.span(SourcePath.ENUM_VALUE_NUMBER),
            was.span(SourcePath.ENUM_VALUE_NUMBER),
            hint=f'Keep {quoted(lost)} and add the new name as an alias (option allow_alias = true;) '
                 f'until every reader knows it.',
            subject=f"{pair.new.enum.full_name}.{value.name}",
        )


def _range_text(start: int, end: int) -> str:
    upper = "max" if end == _ENUM_MAX else str(end)
    return str(start) if start == end else f"{start} to {upper}"


def _ranges(enum: Enum) -> list[tuple[int, int]]:
    return [(r.start, r.end) for r in enum.proto.reserved_range]


@rule("RESERVED_ENUM_NO_DELETE", format=PROTOBUF, subject="enum",
      categories=("FILE", "PACKAGE", "WIRE_JSON", "WIRE", "CSR"))
def reserved_enum_no_delete(pair: Pair[Enum], ctx: CheckContext) -> Iterator[Violation]:
    """Flags a reserved number or name that an enum no longer reserves.

    ## What it does
    Checks that every number covered by the old enum's `reserved` ranges is still covered by
    the new ranges (they may be split or merged freely) and that every reserved name is
    still reserved. Each old range with uncovered numbers is reported once, naming them.

    ## Why is this breaking?
    Reservations exist because stored data or old clients still use those numbers and names.
    Dropping one allows a new value to reuse it, and old data is then read with the new
    meaning — silently, on the wire and in JSON.

    ## Example
    Before:
    ```proto
    enum OrderState { ORDER_STATE_UNSPECIFIED = 0; reserved 3 to 5; reserved "ORDER_STATE_HELD"; }
    ```
    After:
    ```proto
    enum OrderState { ORDER_STATE_UNSPECIFIED = 0; reserved 3; }
    ```

    ## How to change this safely
    Never remove reservations. Rewriting them is fine as long as the same numbers and names
    stay covered (`reserved 3 to 5;` may become `reserved 3, 4 to 5;`).

    ## References
    - buf breaking rule `RESERVED_ENUM_NO_DELETE`.
    """
    old, new = pair.old, pair.new
    covered = _ranges(new)
    for start, end in _ranges(old):
        gaps = missing_ranges(start, end, covered)
        if not gaps:
            continue
        freed = ", ".join(_range_text(a, b) for a, b in gaps)
        part = "" if gaps == [(start, end)] else f' (part of "reserved {_range_text(start, end)}")'
        yield violation(
            f'Enum "{new.full_name}" no longer reserves {freed}{part}: '
            f'a new value may reuse a number that old data still carries.',
            new.location, old.location,
            hint=f'Restore `reserved {", ".join(_range_text(a, b) for a, b in gaps)};` in enum "{new.name}".',
            subject=new.full_name,
        )
    still = set(new.proto.reserved_name)
    editions = new.file.syntax not in ("proto2", "proto3")
    for name in old.proto.reserved_name:
        if name in still:
            continue
        yield violation(
            f'Enum "{new.full_name}" no longer reserves the name "{name}": a new value may reuse a name that old '
            f'JSON data still carries.',
            new.location, old.location,
            hint=f'Restore `{reserved_name_line([name], identifiers=editions)}` in enum "{new.name}".',
            subject=new.full_name,
        )
