"""ProtoJSON value forms: one protobuf scalar, enum or well-known type -> a shape node.

Maintainers: the JSON mapping (https://protobuf.dev/programming-guides/json/) differs between
what a serializer *writes* (one canonical form) and what a parser *reads* (every accepted
form), so each function takes the view. Written forms: 32-bit integers as JSON integers
within their range, 64-bit integers as decimal strings, float/double as numbers or the strings
``"NaN"``/``"Infinity"``/``"-Infinity"``, bytes as padded standard base64, enums as value names
(plus the bare number for an open enum, which is how a value unknown to the writer comes out).
Read forms add what parsers accept besides: integers as decimal strings too, 64-bit integers
as numbers too, floats as numeric strings, bytes in URL-safe base64 without padding, enums by
number (in a string too; a closed enum only its declared numbers). Decimal strings are read
as ``^[+-]?[0-9]+$``: the Python runtime also takes ``"1.0"`` or ``"1e3"`` for an integer,
which a pattern cannot tell from ``"1.5"``, so those are left out.
Message-valued well-known types are keyed by full name in :data:`WKT_NAMES`; the builder asks
:func:`wkt_shape` before walking a message.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from google.protobuf.descriptor import FieldDescriptor as F

from ...shape.nodes import (
    AnyShape,
    ArrayShape,
    BooleanShape,
    EnumShape,
    NeverShape,
    NullShape,
    NumberShape,
    ObjectShape,
    Origin,
    Property,
    Shape,
    StringShape,
    UnionShape,
    canonical_json,
)

__all__ = ["scalar_shape", "enum_shape", "wkt_shape", "map_key_shape", "nullable", "WKT_NAMES", "WRITE", "READ"]

WRITE, READ = "write", "read"

_I32 = (Decimal(-(2**31)), Decimal(2**31 - 1))
_U32 = (Decimal(0), Decimal(2**32 - 1))
_I64 = (Decimal(-(2**63)), Decimal(2**63 - 1))
_U64 = (Decimal(0), Decimal(2**64 - 1))
_FLT_MAX = Decimal("3.4028234663852886e38")

#: field type -> (numeric range, written as a string)
_INTEGERS: dict[int, tuple[tuple[Decimal, Decimal], bool]] = {
    F.TYPE_INT32: (_I32, False), F.TYPE_SINT32: (_I32, False), F.TYPE_SFIXED32: (_I32, False),
    F.TYPE_UINT32: (_U32, False), F.TYPE_FIXED32: (_U32, False),
    F.TYPE_INT64: (_I64, True), F.TYPE_SINT64: (_I64, True), F.TYPE_SFIXED64: (_I64, True),
    F.TYPE_UINT64: (_U64, True), F.TYPE_FIXED64: (_U64, True),
}
_SPECIAL_FLOATS = ("NaN", "Infinity", "-Infinity")
_FLOAT_TEXT = r"^(NaN|-?Infinity|[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?)$"
_READ_INT_TEXT = r"^[+-]?[0-9]+$"
_BASE64_WRITE = r"^[A-Za-z0-9+/]*={0,2}$"
_BASE64_READ = r"^[A-Za-z0-9+/_-]*={0,2}$"
_TIMESTAMP_WRITE = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?Z$"
_TIMESTAMP_READ = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?([Zz]|[+-][0-9]{2}:[0-9]{2})$"
_DURATION = r"^-?[0-9]+(\.[0-9]+)?s$"


def _integer(kind: int, view: str, origin: Origin) -> Shape:
    (low, high), as_string = _INTEGERS[kind]
    number = NumberShape(integer=True, minimum=low, maximum=high, origin=origin)
    if view == WRITE:
        if as_string:
            return StringShape(pattern=r"^[0-9]+$" if low == 0 else r"^-?[0-9]+$", origin=origin)
        return number
    # Parsers take a number or a decimal string for every integer type.
    return UnionShape(branches=(number, StringShape(pattern=_READ_INT_TEXT, origin=origin)), synthetic=True,
                      origin=origin)


def _float(kind: int, view: str, origin: Origin) -> Shape:
    bounded = kind == F.TYPE_FLOAT
    number = NumberShape(minimum=-_FLT_MAX if bounded else None, maximum=_FLT_MAX if bounded else None, origin=origin)
    text: Shape = (EnumShape(values=tuple(canonical_json(v) for v in _SPECIAL_FLOATS), origin=origin)
                   if view == WRITE else StringShape(pattern=_FLOAT_TEXT, origin=origin))
    return UnionShape(branches=(number, text), synthetic=view == READ, origin=origin)


def scalar_shape(kind: int, view: str, origin: Origin) -> Shape:
    """The JSON form of a scalar field type (``FieldDescriptor.TYPE_*``, not enum or message)."""
    if kind in _INTEGERS:
        return _integer(kind, view, origin)
    if kind in (F.TYPE_FLOAT, F.TYPE_DOUBLE):
        return _float(kind, view, origin)
    if kind == F.TYPE_BOOL:
        return BooleanShape(origin=origin)
    if kind == F.TYPE_BYTES:
        return StringShape(pattern=_BASE64_WRITE if view == WRITE else _BASE64_READ, format="byte", origin=origin)
    return StringShape(origin=origin)


def enum_shape(names: tuple[str, ...], numbers: tuple[int, ...], closed: bool, full_name: str, view: str,
               origin: Origin) -> Shape:
    """An enum field: value names; numbers where the writer may emit them or the parser takes them.

    An open enum holds values the writer does not know (from a newer peer) and writes them as
    numbers; a closed enum keeps those in unknown fields, so only names come out.
    ``google.protobuf.NullValue`` is JSON ``null``.
    """
    if full_name == "google.protobuf.NullValue":
        if view == WRITE:
            return NullShape(origin=origin)
        return UnionShape(branches=(NullShape(origin=origin), EnumShape(values=(canonical_json("NULL_VALUE"),),
                                                                        origin=origin)), origin=origin)
    named = EnumShape(values=tuple(canonical_json(n) for n in names), origin=origin)
    if closed and view == WRITE:
        return named
    number: Shape = (EnumShape(values=tuple(canonical_json(n) for n in sorted(set(numbers))), origin=origin)
                     if closed else NumberShape(integer=True, minimum=_I32[0], maximum=_I32[1], origin=origin))
    if view == WRITE:
        return UnionShape(branches=(named, number), origin=origin)
    # Parsers (Java, Python) also take a number in a string when no value has that name.
    text: Shape = (EnumShape(values=tuple(canonical_json(str(n)) for n in sorted(set(numbers))), origin=origin)
                   if closed else StringShape(pattern=_READ_INT_TEXT, origin=origin))
    return UnionShape(branches=(named, number, text), origin=origin)


def map_key_shape(kind: int, view: str, origin: Origin) -> Shape:
    """The object keys of a ``map<K, V>``: keys are always strings, integers in decimal."""
    if kind == F.TYPE_BOOL:
        return EnumShape(values=(canonical_json("true"), canonical_json("false")), origin=origin)
    if kind in _INTEGERS:
        unsigned = _INTEGERS[kind][0][0] == 0
        pattern = (r"^[0-9]+$" if unsigned else r"^-?[0-9]+$") if view == WRITE else _READ_INT_TEXT
        return StringShape(pattern=pattern, origin=origin)
    return StringShape(origin=origin)


def nullable(shape: Shape, origin: Origin) -> Shape:
    """``shape`` or ``null`` (what a parser accepts for any field: null means "not set")."""
    if isinstance(shape, (AnyShape, NullShape)):
        return shape
    if isinstance(shape, UnionShape) and any(isinstance(b, NullShape) for b in shape.branches):
        return shape
    return UnionShape(branches=(shape, NullShape(origin=origin)), origin=origin)


_WRAPPERS: dict[str, int] = {
    "google.protobuf.DoubleValue": F.TYPE_DOUBLE, "google.protobuf.FloatValue": F.TYPE_FLOAT,
    "google.protobuf.Int64Value": F.TYPE_INT64, "google.protobuf.UInt64Value": F.TYPE_UINT64,
    "google.protobuf.Int32Value": F.TYPE_INT32, "google.protobuf.UInt32Value": F.TYPE_UINT32,
    "google.protobuf.BoolValue": F.TYPE_BOOL, "google.protobuf.StringValue": F.TYPE_STRING,
    "google.protobuf.BytesValue": F.TYPE_BYTES,
}


def _any_message(view: str, origin: Origin) -> Shape:
    # "@type" names the packed message; its fields (or "value" for a well-known type) sit beside
    # it. An empty Any (no type URL) is written as {}, so "@type" is not guaranteed.
    return ObjectShape(properties=(Property(name="@type", shape=StringShape(origin=origin)),),
                       additional=AnyShape(origin=origin), origin=origin)


_WKT: dict[str, Callable[[str, Origin], Shape]] = {
    "google.protobuf.Timestamp": lambda view, o: StringShape(
        format="date-time", pattern=_TIMESTAMP_WRITE if view == WRITE else _TIMESTAMP_READ, origin=o),
    "google.protobuf.Duration": lambda view, o: StringShape(pattern=_DURATION, origin=o),
    "google.protobuf.FieldMask": lambda view, o: StringShape(origin=o),
    "google.protobuf.Struct": lambda view, o: ObjectShape(additional=AnyShape(origin=o), origin=o),
    "google.protobuf.Value": lambda view, o: AnyShape(origin=o),
    "google.protobuf.ListValue": lambda view, o: ArrayShape(items=AnyShape(origin=o), origin=o),
    "google.protobuf.Empty": lambda view, o: ObjectShape(additional=NeverShape(origin=o), origin=o, policy="strict"),
    "google.protobuf.Any": _any_message,
}
for _name, _kind in _WRAPPERS.items():
    _WKT[_name] = lambda view, o, _kind=_kind: scalar_shape(_kind, view, o)

#: Full names of the message types with a special JSON form.
WKT_NAMES = frozenset(_WKT)


def wkt_shape(full_name: str, view: str, origin: Origin) -> Shape | None:
    """The special JSON form of a well-known message type, or ``None`` for any other message."""
    make = _WKT.get(full_name)
    return None if make is None else make(view, origin)
