"""Field type rules: the same type (source), a wire-compatible type, a wire+JSON-compatible type.

Kinds come from ``compat.protobuf.features.kind`` so that a message field switched to
delimited (group) encoding in an editions file counts as a kind change, as in buf. Types are
named in protobuf syntax: ``int64``, ``.shop.v1.Money``.
"""

from __future__ import annotations

from collections.abc import Iterator

from google.protobuf import descriptor_pb2 as pb

from ...compat.protobuf.elements import Field, SourcePath
from ...compat.protobuf.features import kind
from ...compat.protobuf.image import CheckContext, Image, Pair
from ...model import Location
from ...registry import Violation, rule
from ._common import PROTOBUF, violation
from ._fieldinfo import describe, field_span

#: Kinds whose binary encodings read each other (protobuf "Updating a message type").
WIRE_GROUPS: dict[str, int] = {
    "int32": 1, "int64": 1, "uint32": 1, "uint64": 1, "bool": 1, "sint32": 2, "sint64": 2,
    "string": 3, "bytes": 4, "fixed32": 5, "sfixed32": 5, "fixed64": 6, "sfixed64": 6,
    "double": 7, "float": 8, "group": 9, "message": 10, "enum": 11,
}
#: Kinds compatible in both the binary and the JSON encoding.
WIRE_JSON_GROUPS: dict[str, int] = {
    "int32": 1, "uint32": 1, "int64": 2, "uint64": 2, "fixed32": 3, "sfixed32": 3, "fixed64": 4,
    "sfixed64": 4, "bool": 5, "sint32": 6, "sint64": 7, "string": 8, "bytes": 9, "double": 10,
    "float": 11, "group": 12, "message": 13, "enum": 14,
}
_NAMED = ("message", "group", "enum")


def type_label(field: Field) -> str:
    """The field's type as written in a .proto file (``int64``, ``.shop.v1.Money``)."""
    found = kind(field)
    if found not in _NAMED:
        return found
    name = field.proto.type_name
    if found == "group" and field.proto.type == pb.FieldDescriptorProto.TYPE_GROUP:
        return f"group {name}"
    if found == "group":
        return f"{name} (delimited encoding)"
    return name


def _type_location(field: Field) -> Location:
    part = SourcePath.FIELD_TYPE_NAME if kind(field) in _NAMED else SourcePath.FIELD_TYPE
    return field_span(field, part)


def _changed(pair: Pair[Field], consequence: str) -> Violation:
    old, new = pair.old, pair.new
    return violation(
        f'{describe(new)} changed type from "{type_label(old)}" to "{type_label(new)}": {consequence}.',
        _type_location(new), _type_location(old),
        hint="Add a new field with the new type under a new number, migrate readers, then deprecate the old one.",
        subject=new.full_name)


@rule("FIELD_SAME_TYPE", format=PROTOBUF, subject="field", categories=("FILE", "PACKAGE", "CSR"))
def field_same_type(pair: Pair[Field], ctx: CheckContext) -> Iterator[Violation]:
    """Flags a field whose declared type changed at all.

    ## What it does
    Compares the type of paired fields (same message, same number; extensions by extendee and
    number): the scalar kind, or the full name of the message or enum type. A message field
    switched between length-prefixed and delimited (group) encoding also counts.

    ## Why is this breaking?
    Generated code changes type: `order.total` was an `int64` and now is a `string`, so every
    consumer stops compiling. Most type changes also change the binary or JSON encoding;
    see `FIELD_WIRE_COMPATIBLE_TYPE` for the ones that do not.

    ## Example
    Before:
    ```proto
    message Order { .shop.v1.Money total = 2; }
    ```
    After:
    ```proto
    message Order { .shop.v1.Amount total = 2; }
    ```

    ## How to change this safely
    Add a field with the new type under a new number, write both during a migration, then
    deprecate and finally delete (and reserve) the old one.

    ## Known false positives
    Renaming a message or enum type is reported even if its structure is unchanged: types
    are compared by full name, as buf does.

    ## References
    - buf breaking rule `FIELD_SAME_TYPE`.
    """
    old, new = pair.old, pair.new
    kinds = {kind(old), kind(new)}
    if kinds == {"message", "group"} and old.proto.type_name == new.proto.type_name:
        yield _changed(pair, "its encoding switched between length-prefixed and delimited, which the other "
                             "version cannot parse")
    elif len(kinds) > 1 or (kind(new) in _NAMED and old.proto.type_name != new.proto.type_name):
        yield _changed(pair, "code generated for it changes type and its callers stop compiling")


def _wire_check(pair: Pair[Field], ctx: CheckContext, groups: dict[str, int], consequence: str,
                allow_string_to_bytes: bool) -> Iterator[Violation]:
    old, new = pair.old, pair.new
    old_kind, new_kind = kind(old), kind(new)
    if groups[old_kind] != groups[new_kind]:
        if allow_string_to_bytes and (old_kind, new_kind) == ("string", "bytes"):
            return
        if (old_kind, new_kind) == ("bytes", "string"):
            consequence = "bytes that are not valid UTF-8 are rejected by new readers"
        yield _changed(pair, consequence)
        return
    if old.proto.type_name == new.proto.type_name or new_kind not in _NAMED:
        return
    if new_kind == "enum" and _enum_compatible(ctx.old, old.proto.type_name, ctx.new, new.proto.type_name):
        return
    yield _changed(pair, f"it now holds a different {'enum' if new_kind == 'enum' else 'message'}")


def _enum_compatible(old_image: Image, old_name: str, new_image: Image, new_name: str) -> bool:
    """Same short name and every old value (name and number) still present: a move or superset."""
    old_enum = old_image.enums.get(old_name.lstrip("."))
    new_enum = new_image.enums.get(new_name.lstrip("."))
    if old_enum is None or new_enum is None or old_enum.name != new_enum.name:
        return False
    new_values = {(v.name, v.number) for v in new_enum.proto.value}
    return all((v.name, v.number) in new_values for v in old_enum.proto.value)


@rule("FIELD_WIRE_COMPATIBLE_TYPE", format=PROTOBUF, subject="field", categories=("WIRE",))
def field_wire_compatible_type(pair: Pair[Field], ctx: CheckContext) -> Iterator[Violation]:
    """Flags a field type change that old and new binaries cannot read from each other.

    ## What it does
    Allows type changes inside the binary-compatible groups — `int32`, `int64`, `uint32`,
    `uint64` and `bool`; `sint32` and `sint64`; `fixed32` and `sfixed32`; `fixed64` and
    `sfixed64` — and `string` to `bytes`. Reports every other kind change, a message type
    replaced by another, and an enum replaced by one with another short name or without all
    old values.

    ## Why is this breaking?
    The binary encoding of a value depends on its type: a zigzag `sint64` read as `int64`
    turns -1 into a huge positive number, a `fixed32` read as `int32` is a parse error.
    Readers on the other version of the schema misread or drop the value.

    ## Example
    Before:
    ```proto
    message Payment { int64 amount_cents = 2; }
    ```
    After:
    ```proto
    message Payment { sint64 amount_cents = 2; }
    ```

    ## How to change this safely
    Add a field with the new type under a new number and migrate; widening within a group
    (`int32` to `int64`) is safe for the binary encoding but may truncate in old readers.

    ## References
    - buf breaking rule `FIELD_WIRE_COMPATIBLE_TYPE`.
    - https://protobuf.dev/programming-guides/proto3/#updating
    """
    yield from _wire_check(pair, ctx, WIRE_GROUPS, "binary payloads written with the old type are misread", True)


@rule("FIELD_WIRE_JSON_COMPATIBLE_TYPE", format=PROTOBUF, subject="field", categories=("WIRE_JSON", "CSR"))
def field_wire_json_compatible_type(pair: Pair[Field], ctx: CheckContext) -> Iterator[Violation]:
    """Flags a field type change that breaks the binary or the JSON encoding.

    ## What it does
    Like `FIELD_WIRE_COMPATIBLE_TYPE`, but with the narrower groups that are compatible in
    both encodings: `int32` and `uint32`; `int64` and `uint64`; `fixed32` and `sfixed32`;
    `fixed64` and `sfixed64`. `string` and `bytes` are not interchangeable (bytes are base64
    in JSON).

    ## Why is this breaking?
    The JSON mapping writes 64-bit integers as strings and 32-bit ones as numbers, bytes as
    base64 and enums by name, so a change that is harmless on the wire still breaks JSON
    readers (an `int32` becoming `int64` turns `5` into `"5"`).

    ## Example
    Before:
    ```proto
    message Stock { int32 on_hand = 3; }
    ```
    After:
    ```proto
    message Stock { int64 on_hand = 3; }
    ```

    ## How to change this safely
    Add a new field with the new type and migrate JSON consumers before deleting the old one.

    ## References
    - buf breaking rule `FIELD_WIRE_JSON_COMPATIBLE_TYPE`.
    - https://protobuf.dev/programming-guides/json/
    """
    yield from _wire_check(pair, ctx, WIRE_JSON_GROUPS, "binary or JSON payloads written with the old type are misread",
                           False)
