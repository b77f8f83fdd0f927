"""Minimal protobuf wire-format reading: split a serialized message into its records.

Maintainers: used to put the records of an options message in protoc's order (by field
number, stable), and to read the varint and length-delimited values of options and features
that have no generated class here (``records``, ``varints``).
"""

from __future__ import annotations

from collections.abc import Iterator

__all__ = ["sort_fields", "read_varint", "records", "varints"]


def read_varint(data: bytes, pos: int) -> tuple[int, int]:
    """Decode the base-128 varint at ``pos``; returns (value, position after it)."""
    result = shift = 0
    while True:
        byte = data[pos]
        pos += 1
        result |= (byte & 0x7F) << shift
        if byte < 0x80:
            return result, pos
        shift += 7


def records(data: bytes) -> Iterator[tuple[int, int | bytes]]:
    """Top-level (field number, value) records: varints as ``int``, length-delimited values as
    ``bytes``. Fixed-width values are skipped (no caller reads one); a group or truncated data
    ends the walk rather than being misread."""
    pos, size = 0, len(data)
    try:
        while pos < size:
            key, pos = read_varint(data, pos)
            number, wire = key >> 3, key & 7
            if wire == 0:
                value, pos = read_varint(data, pos)
                yield number, value
            elif wire == 2:
                length, pos = read_varint(data, pos)
                yield number, data[pos:pos + length]
                pos += length
            elif wire in (1, 5):
                pos += 8 if wire == 1 else 4
            else:
                return
    except IndexError:
        return


def varints(data: bytes) -> Iterator[int]:
    """The values of a packed repeated varint field."""
    pos = 0
    while pos < len(data):
        value, pos = read_varint(data, pos)
        yield value


def _skip(data: bytes, pos: int, wire: int) -> int:
    if wire == 0:
        return read_varint(data, pos)[1]
    if wire == 1:
        return pos + 8
    if wire == 5:
        return pos + 4
    if wire == 2:
        size, pos = read_varint(data, pos)
        return pos + size
    if wire == 3:
        while True:
            tag, pos = read_varint(data, pos)
            if tag & 7 == 4:
                return pos
            pos = _skip(data, pos, tag & 7)
    raise ValueError(f"bad wire type {wire}")


def sort_fields(data: bytes) -> bytes:
    """Re-order the top-level records of a serialized message by field number (stable),
    as protoc writes them (upb emits extensions in reverse order)."""
    records = []
    pos = 0
    size = len(data)
    while pos < size:
        start = pos
        tag, pos = read_varint(data, pos)
        pos = _skip(data, pos, tag & 7)
        records.append((tag >> 3, data[start:pos]))
    records.sort(key=lambda r: r[0])
    return b"".join(r[1] for r in records)
