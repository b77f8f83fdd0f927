"""Enum value deletion rules: a number an enum had keeps a value, unless reserved (by number or name)."""

from __future__ import annotations

from collections.abc import Iterator

from ...compat.protobuf.elements import Enum, EnumValue
from ...compat.protobuf.image import CheckContext, Pair
from ...registry import Violation, rule
from ._common import PROTOBUF, violation
from ._scope import quoted, reserved_name_line, reserved_number_line

_NEITHER, _NUMBER, _NAME = "", "number", "name"


def _by_number(enum: Enum) -> dict[int, list[EnumValue]]:
    out: dict[int, list[EnumValue]] = {}
    for value in enum.values():
        out.setdefault(value.number, []).append(value)
    return out


def number_reserved(enum: Enum, number: int) -> bool:
    """Whether ``number`` lies in a reserved range of ``enum`` (enum ranges are inclusive)."""
    return any(r.start <= number <= r.end for r in enum.proto.reserved_range)


def names_unreserved(enum: Enum, names: list[str]) -> list[str]:
    """The names among ``names`` that ``enum`` does not reserve."""
    reserved = set(enum.proto.reserved_name)
    return [n for n in names if n not in reserved]


def deleted_values(pair: Pair[Enum], unless: str) -> Iterator[Violation]:
    """Shared body of the ``ENUM_VALUE_NO_DELETE*`` rules.

    Args:
        pair: The enum in both revisions.
        unless: ``number``/``name``: a deletion is allowed when the number / all names are
            reserved in the new enum; ``""``: every deletion fires.
    """
    old, new = pair.old, pair.new
    remaining = _by_number(new)
    for number, values in sorted(_by_number(old).items()):
        if number in remaining:
            continue
        names = sorted(v.name for v in values)
        number_ok = number_reserved(new, number)
        free_names = names_unreserved(new, names)
        if (unless == _NUMBER and number_ok) or (unless == _NAME and not free_names):
            continue
        yield violation(
            f'Enum value {number} ({quoted(names)}) of enum "{new.full_name}" was deleted {_state(number_ok, names, free_names)}: '
            f'readers on the new schema treat {number} as unknown and JSON readers reject {quoted(names)}.',
            new.location,
            values[0].location,
            hint=_hint(new, number, number_ok, free_names),
            subject=f"{new.full_name}.{names[0]}",
        )


def _state(number_ok: bool, names: list[str], free_names: list[str]) -> str:
    name_part = "name" if len(names) == 1 else "names"
    if len(free_names) not in (0, len(names)):
        kept = quoted(n for n in names if n not in free_names)
        return f"with only {kept} of its names reserved" + (" and its number" if number_ok else ", not its number")
    if number_ok and not free_names:
        return f"with its number and {name_part} reserved"
    if number_ok:
        return f"with its number reserved but not its {name_part}"
    if not free_names:
        return f"with its {name_part} reserved but not its number"
    return f"without reserving its number or {name_part}"


def _hint(enum: Enum, number: int, number_ok: bool, free_names: list[str]) -> str:
    editions = enum.file.syntax not in ("proto2", "proto3")
    lines = [] if number_ok else [reserved_number_line(number)]
    if free_names:
        lines.append(reserved_name_line(free_names, identifiers=editions))
    if not lines:
        return ("Number and name are reserved: if the deletion is intended, select the "
                "ENUM_VALUE_NO_DELETE_UNLESS_NUMBER_RESERVED rule (or the WIRE_JSON category) instead of this one.")
    return f'Add `{" ".join(lines)}` to enum "{enum.name}" so the number and name can never be reused.'


@rule("ENUM_VALUE_NO_DELETE", format=PROTOBUF, subject="enum", categories=("FILE", "PACKAGE", "CSR"))
def enum_value_no_delete(pair: Pair[Enum], ctx: CheckContext) -> Iterator[Violation]:
    """Flags an enum number that no longer has any value, reserved or not.

    ## What it does
    Compares enum values by number; reports each number the enum had that no value (and no
    alias) uses any more. Reserving the number and name does not silence this rule (use the
    `..._UNLESS_NUMBER_RESERVED` / `..._UNLESS_NAME_RESERVED` variants for that). The message
    says what is reserved and the hint gives the exact `reserved` lines still missing.

    ## Why is this breaking?
    Generated code loses the constant (`PaymentStatus.PAYMENT_STATUS_REFUNDED` no longer
    compiles). Readers on the new schema see stored or in-flight data with that number as an
    unknown value (closed enums in proto2 even move it to unknown fields), and JSON readers
    reject the name.

    ## Example
    Before:
    ```proto
    enum PaymentStatus { PAYMENT_STATUS_UNSPECIFIED = 0; PAYMENT_STATUS_REFUNDED = 2; }
    ```
    After:
    ```proto
    enum PaymentStatus { PAYMENT_STATUS_UNSPECIFIED = 0; }
    ```

    ## How to change this safely
    Keep the value and mark it `[deprecated = true]`. If it must go, reserve both:
    `reserved 2; reserved "PAYMENT_STATUS_REFUNDED";`, and select the reserved-aware variants
    instead of this rule.

    ## References
    - buf breaking rule `ENUM_VALUE_NO_DELETE`.
    """
    yield from deleted_values(pair, _NEITHER)


@rule("ENUM_VALUE_NO_DELETE_UNLESS_NUMBER_RESERVED", format=PROTOBUF, subject="enum",
      categories=("WIRE_JSON", "WIRE", "CSR"))
def enum_value_no_delete_unless_number_reserved(pair: Pair[Enum], ctx: CheckContext) -> Iterator[Violation]:
    """Flags an enum value deleted without reserving its number.

    ## What it does
    Like `ENUM_VALUE_NO_DELETE`, but a deletion is accepted when the number lies in one of the
    enum's `reserved` ranges. The hint gives the exact `reserved N;` line to add.

    ## Why is this breaking?
    An unreserved number can be reused by a later value with another meaning: data written
    with the old meaning is then read as the new one, silently. Reserving the number makes
    protoc reject such reuse.

    ## Example
    Before:
    ```proto
    enum PaymentStatus { PAYMENT_STATUS_UNSPECIFIED = 0; PAYMENT_STATUS_REFUNDED = 2; }
    ```
    After (fires):
    ```proto
    enum PaymentStatus { PAYMENT_STATUS_UNSPECIFIED = 0; }
    ```
    After (accepted):
    ```proto
    enum PaymentStatus { PAYMENT_STATUS_UNSPECIFIED = 0; reserved 2; }
    ```

    ## How to change this safely
    Add `reserved 2;` to the enum when deleting the value (and `reserved "NAME";` for JSON).

    ## References
    - buf breaking rule `ENUM_VALUE_NO_DELETE_UNLESS_NUMBER_RESERVED`.
    """
    yield from deleted_values(pair, _NUMBER)


@rule("ENUM_VALUE_NO_DELETE_UNLESS_NAME_RESERVED", format=PROTOBUF, subject="enum", categories=("WIRE_JSON", "CSR"))
def enum_value_no_delete_unless_name_reserved(pair: Pair[Enum], ctx: CheckContext) -> Iterator[Violation]:
    """Flags an enum value deleted without reserving its name (all its names, for aliases).

    ## What it does
    Like `ENUM_VALUE_NO_DELETE`, but a deletion is accepted when every name the number had is
    listed in the enum's reserved names. The hint gives the exact `reserved "NAME";` line
    (`reserved NAME;` in editions files).

    ## Why is this breaking?
    JSON carries enum values by name. If the name is free, a later value may take it with
    another number, and JSON written by old producers is then read as the wrong value.

    ## Example
    Before:
    ```proto
    enum PaymentStatus { PAYMENT_STATUS_UNSPECIFIED = 0; PAYMENT_STATUS_REFUNDED = 2; }
    ```
    After (accepted):
    ```proto
    enum PaymentStatus { PAYMENT_STATUS_UNSPECIFIED = 0; reserved "PAYMENT_STATUS_REFUNDED"; }
    ```

    ## How to change this safely
    Reserve the name (and the number) when deleting a value: `reserved 2; reserved "PAYMENT_STATUS_REFUNDED";`.

    ## References
    - buf breaking rule `ENUM_VALUE_NO_DELETE_UNLESS_NAME_RESERVED`.
    """
    yield from deleted_values(pair, _NAME)
