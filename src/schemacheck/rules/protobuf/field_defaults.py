"""FIELD_SAME_DEFAULT: the value a reader sees for an absent field must not change.

Maintainers: defaults are compared as values, not text — ``1.0`` equals ``1``, a ``float``
default is compared at float precision, ``bytes`` and ``string`` compare by content, and an enum
without an explicit default defaults to its first value. A type change alone is
``FIELD_SAME_TYPE``'s business; here only the value matters. The reported column assumes the
canonical ``default = value`` spelling (see ``_default_span``).
"""

from __future__ import annotations

import math
import struct
from collections.abc import Iterator
from dataclasses import dataclass, replace

from google.protobuf import descriptor_pb2 as pb
from google.protobuf import text_encoding

from ...compat.protobuf.elements import Field, SourcePath
from ...compat.protobuf.features import is_map, kind
from ...compat.protobuf.image import CheckContext, Image, Pair
from ...model import Location
from ...registry import Violation, rule
from ._common import PROTOBUF, violation
from ._fieldinfo import describe, field_span

_FLOATS = ("float", "double")


@dataclass(frozen=True, slots=True)
class _Default:
    value: object  # int, float, bool, str or bytes
    shown: str  # as written in a .proto file

    @property
    def is_zero(self) -> bool:
        return not self.value and not (isinstance(self.value, float) and math.isnan(self.value))


def _default(field: Field, image: Image) -> _Default | None:
    """The effective default of a singular scalar or enum field (None: it cannot have one)."""
    found = kind(field)
    text = field.proto.default_value if field.proto.HasField("default_value") else None
    if found == "enum":
        enum = image.enums.get(field.proto.type_name.lstrip("."))
        if enum is None or not enum.proto.value:
            return None
        values = {v.name: v.number for v in enum.proto.value}
        name = text if text in values else enum.proto.value[0].name
        return _Default(values[name], name)
    if found == "string":
        return _Default(text or "", f'"{text or ""}"')
    if found == "bytes":
        return _Default(text_encoding.CUnescape(text or ""), f'"{text or ""}"')
    if found == "bool":
        return _Default(text == "true", text or "false")
    if found in _FLOATS:
        number = float(text) if text else 0.0
        return _Default(number, text or "0")
    return _Default(_integer(text) if text else 0, text or "0")


def _integer(text: str) -> int:
    """A protobuf integer literal: decimal, ``0x`` hex or leading-zero octal, optionally negative."""
    sign, digits = (-1, text[1:]) if text.startswith("-") else (1, text)
    if digits.lower().startswith("0x"):
        return sign * int(digits, 16)
    if len(digits) > 1 and digits.startswith("0"):
        return sign * int(digits, 8)
    return sign * int(digits)


def _equal(old: _Default, new: _Default, old_kind: str, new_kind: str) -> bool:
    a, b = old.value, new.value
    if isinstance(a, (str, bytes)) or isinstance(b, (str, bytes)):
        as_bytes = [v.encode() if isinstance(v, str) else v for v in (a, b)]
        return as_bytes[0] == as_bytes[1]
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    if "float" in (old_kind, new_kind) and isinstance(a, float) and isinstance(b, float):
        return struct.unpack("f", struct.pack("f", a)) == struct.unpack("f", struct.pack("f", b))
    return a == b


def _default_span(field: Field) -> Location:
    """Where ``default = ...`` starts, as buf reports it.

    protoc's source info spans only the value; the option name is not recorded. We assume
    the canonical spelling ``default = value`` (what ``buf format`` writes) and step back over
    it, never before the field itself.
    """
    path = field.source_path + (SourcePath.FIELD_DEFAULT,)
    if not field.file.has_span(path):
        return field_span(field)
    value = field.file.span(path)
    start = max(value.column - len("default = "), 1)
    if value.line == field.location.line:
        start = max(start, field.location.column)
    return replace(value, column=start)


def _can_have_default(field: Field) -> bool:
    return (field.proto.label != pb.FieldDescriptorProto.LABEL_REPEATED and not is_map(field)
            and kind(field) not in ("message", "group"))


@rule("FIELD_SAME_DEFAULT", format=PROTOBUF, subject="field", categories=("FILE", "PACKAGE", "WIRE_JSON", "WIRE", "CSR"))
def field_same_default(pair: Pair[Field], ctx: CheckContext) -> Iterator[Violation]:
    """Flags a field whose default value changed.

    ## What it does
    Compares the effective default of paired singular scalar and enum fields — the explicit
    `[default = ...]` (proto2 and editions) or the type's zero value; for enums, the first
    value — whenever either side has a non-zero default. Values are compared, not spelling.

    ## Why is this breaking?
    Defaults are not sent on the wire: each reader substitutes its own when the field is
    absent. After the change, old and new readers see different values for the very same
    bytes — a shipment without a carrier is "post" for one service and "courier" for another.

    ## Example
    Before:
    ```proto
    message Shipment { optional string carrier = 3 [default = "post"]; }
    ```
    After:
    ```proto
    message Shipment { optional string carrier = 3 [default = "courier"]; }
    ```

    ## How to change this safely
    Keep the default. If the meaning must change, add a new field with the new default and
    have writers set the value explicitly.

    ## References
    - buf breaking rule `FIELD_SAME_DEFAULT`.
    """
    old, new = pair.old, pair.new
    if not _can_have_default(old) or not _can_have_default(new):
        return
    try:
        was, now = _default(old, ctx.old), _default(new, ctx.new)
    except ValueError:  # a literal the parser accepted but we cannot read: say nothing rather than guess
        return
    if was is None or now is None or (was.is_zero and now.is_zero) or _equal(was, now, kind(old), kind(new)):
        return
    yield violation(
        f"{describe(new)} changed its default from {was.shown} to {now.shown}: readers on the old and "
        "new schema see different values when the field is absent.",
        _default_span(new), _default_span(old),
        hint=f"Restore [default = {was.shown}], or add a new field and have writers set it explicitly.",
        subject=new.full_name)
