"""The semantic checks protoc applies after linking, for the errors people actually make.

Maintainers: not every protoc validation is here; these are the ones a schema edit commonly
trips (duplicate or out-of-range field numbers, numbers or names that are reserved, proto3
restrictions, enum zero values and aliases). Each raises :class:`LinkError` at the source
position protoc reports.
"""

from __future__ import annotations

from bisect import bisect_right

from google.protobuf import descriptor_pb2 as d

from ...errors import LinkError
from .linker import json_name
from .parser import ParsedFile

__all__ = ["validate"]

F = d.FieldDescriptorProto
MAX_FIELD = 536870911
_BAD_KEYS = frozenset((F.TYPE_FLOAT, F.TYPE_DOUBLE, F.TYPE_BYTES, F.TYPE_MESSAGE, F.TYPE_ENUM, F.TYPE_GROUP))


class _Checker:
    def __init__(self, pf: ParsedFile) -> None:
        self.pf = pf

    def error(self, path: tuple[int, ...], msg: str) -> LinkError:
        for loc in self.pf.locs:
            if loc[0] == path:
                return LinkError(self.pf.path, loc[1][0] + 1, loc[1][1] + 1, msg)
        return LinkError(self.pf.path, 0, 0, msg)

    def run(self) -> None:
        fd = self.pf.fd
        for i, msg in enumerate(fd.message_type):
            self.message(msg, (4, i))
        for i, en in enumerate(fd.enum_type):
            self.enum(en, (5, i))
        self.extensions(fd.extension, (7,))

    def extensions(self, extensions, path: tuple[int, ...]) -> None:
        for i, ext in enumerate(extensions):
            self.number(ext, path + (i,))

    def number(self, fld: F, path: tuple[int, ...]) -> None:
        num = fld.number
        if num <= 0:
            raise self.error(path + (3,), "field numbers must be positive integers")
        if num > MAX_FIELD:
            raise self.error(path + (3,), f"field numbers cannot be greater than {MAX_FIELD}")
        if 19000 <= num <= 19999:
            raise self.error(path + (3,), f"field numbers 19000 through 19999 are reserved for the protocol "
                                          f"buffer library implementation (field \"{fld.name}\" uses {num})")

    def message(self, msg: d.DescriptorProto, path: tuple[int, ...]) -> None:
        proto3 = self.pf.syntax == "proto3"
        used: dict[int, str] = {}
        # most messages reserve nothing and declare no extension range: no _Ranges to build
        reserved = _Ranges((r.start, r.end) for r in msg.reserved_range) if len(msg.reserved_range) else _NONE
        names = set(msg.reserved_name) if len(msg.reserved_name) else _NONE
        ranges = _Ranges((r.start, r.end) for r in msg.extension_range) if len(msg.extension_range) else _NONE
        for i, fld in enumerate(msg.field):
            number = fld.number
            name = fld.name
            if number <= 0 or number > MAX_FIELD or 19000 <= number <= 19999:
                self.number(fld, path + (2, i))
            if number in used:
                raise self.error(path + (2, i, 3), f"field number {number} has already been used in "
                                                   f"\"{msg.name}\" by field \"{used[number]}\"")
            used[number] = name
            if number in reserved:
                raise self.error(path + (2, i, 3), f"field \"{name}\" uses reserved number {number}")
            if name in names:
                raise self.error(path + (2, i, 1), f"field name \"{name}\" is reserved")
            if number in ranges:
                raise self.error(path + (2, i, 3), f"field \"{name}\" uses number {number}, which is in "
                                                   f"an extension range")
            if proto3:
                if fld.label == F.LABEL_REQUIRED:
                    raise self.error(path + (2, i, 4), "required fields are not allowed in proto3")
                if fld.HasField("default_value"):
                    raise self.error(path + (2, i, 7), "explicit default values are not allowed in proto3")
        if self.json_strict(msg):
            self.json_names(msg, path)
        self.extensions(msg.extension, path + (6,))
        if proto3 and len(msg.extension_range):
            raise self.error(path + (5,), "extension ranges are not allowed in proto3")
        entries = None
        for i, fld in enumerate(msg.field):
            if fld.label == F.LABEL_REPEATED and fld.type == F.TYPE_MESSAGE and fld.type_name.endswith("Entry"):
                if entries is None:  # by name, once per message (a scan per map field was quadratic)
                    entries = {}
                    for nested in msg.nested_type:
                        if nested.options.map_entry:
                            entries.setdefault(nested.name, nested)
                self.map_key(entries, fld, path + (2, i))
        for i, nested in enumerate(msg.nested_type):
            self.message(nested, path + (3, i))
        for i, en in enumerate(msg.enum_type):
            self.enum(en, path + (4, i))

    def json_strict(self, msg: d.DescriptorProto) -> bool:
        syntax = self.pf.syntax
        if syntax == "proto3":
            return True
        if syntax != "editions":
            return False
        legacy = d.FeatureSet.LEGACY_BEST_EFFORT
        return (self.pf.fd.options.features.json_format != legacy
                and msg.options.features.json_format != legacy)

    def json_names(self, msg: d.DescriptorProto, path: tuple[int, ...]) -> None:
        seen: dict[str, str] = {}
        for i, fld in enumerate(msg.field):
            other = seen.get(fld.json_name)
            if other is not None:
                kind = "default" if fld.json_name == json_name(fld.name) else "custom"
                other_kind = "default" if fld.json_name == json_name(other) else "custom"
                raise self.error(path + (2, i, 1), f"the {kind} JSON name of field \"{fld.name}\" "
                                                   f"(\"{fld.json_name}\") conflicts with the {other_kind} JSON name "
                                                   f"of field \"{other}\"")
            seen[fld.json_name] = fld.name

    def map_key(self, entries: dict[str, d.DescriptorProto], fld: F, path: tuple[int, ...]) -> None:
        nested = entries.get(fld.type_name.rsplit(".", 1)[-1])
        if nested is not None and nested.field[0].type in _BAD_KEYS:
            raise self.error(path + (6,), "map keys cannot be float, double, bytes, enum or message types")

    def enum(self, en: d.EnumDescriptorProto, path: tuple[int, ...]) -> None:
        if not len(en.value):
            raise self.error(path + (1,), f"enum \"{en.name}\" must contain at least one value")
        if self.pf.syntax == "proto3" and en.value[0].number != 0:
            raise self.error(path + (2, 0, 2), "the first enum value must be zero in proto3")
        if en.options.HasField("allow_alias"):
            numbers = [v.number for v in en.value]
            if not en.options.allow_alias:
                raise self.error(path + (1,), f"\"{en.name}\" declares 'option allow_alias = false;', which has "
                                              "no effect; remove it")
            if len(set(numbers)) == len(numbers):
                raise self.error(path + (1,), f"\"{en.name}\" allows aliases but no two values share a number; "
                                              "remove 'option allow_alias = true;'")
        if not en.options.allow_alias:
            seen: dict[int, str] = {}
            for i, value in enumerate(en.value):
                if value.number in seen:
                    raise self.error(path + (2, i, 2),
                                     f"\"{value.name}\" uses the same enum value as \"{seen[value.number]}\"; "
                                     "set option allow_alias = true to allow this")
                seen[value.number] = value.name
        # enum ranges are inclusive
        reserved = _Ranges((r.start, r.end + 1) for r in en.reserved_range) if len(en.reserved_range) else _NONE
        names = set(en.reserved_name) if len(en.reserved_name) else _NONE
        for i, value in enumerate(en.value):
            if value.number in reserved:
                raise self.error(path + (2, i, 2), f"enum value \"{value.name}\" uses reserved number "
                                                   f"{value.number}")
            if value.name in names:
                raise self.error(path + (2, i, 1), f"enum value name \"{value.name}\" is reserved")


_NONE: frozenset = frozenset()


class _Ranges:
    """Half-open number ranges, merged and sorted once, for membership tests by bisection (a scan
    of every range for every field was quadratic in files with thousands of each)."""

    __slots__ = ("starts", "ends")

    def __init__(self, ranges) -> None:
        merged: list[list[int]] = []
        for start, end in sorted(ranges):
            if merged and start <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], end)
            else:
                merged.append([start, end])
        self.starts = [r[0] for r in merged]
        self.ends = [r[1] for r in merged]

    def __contains__(self, number: int) -> bool:
        i = bisect_right(self.starts, number) - 1
        return i >= 0 and number < self.ends[i]


def validate(pf: ParsedFile) -> None:
    """Check ``pf`` (linked, options interpreted, locations still attached).

    Raises:
        LinkError: The first problem found.
    """
    _Checker(pf).run()
