"""Grammar-aware edits of .proto files: changes a schema author makes, so most mutants still compile.

Maintainers: byte and token mutations of a .proto mostly stop at a syntax error (about 9 in 10);
the pairing and the rules see only files that compile. These edits are one or two of the
changes the rules are about (a field's type, number, label, name, options; a deleted, moved or
duplicated line; a renamed identifier; a reserved range), so most mutants compile and are
compared with their seed.
"""

from __future__ import annotations

import random
import re

__all__ = ["mutate_proto"]

_SCALARS = ("double", "float", "int32", "int64", "uint32", "uint64", "sint32", "sint64", "fixed32", "fixed64",
            "sfixed32", "sfixed64", "bool", "string", "bytes")
_LABELS = ("optional ", "repeated ", "required ", "")
_OPTIONS = ("deprecated = true", 'json_name = "renamed"', "packed = false", "lazy = true", 'default = "x"',
            "features.field_presence = IMPLICIT", "features.enum_type = CLOSED", "ctype = CORD", "jstype = JS_STRING",
            "retention = RETENTION_SOURCE", "debug_redact = true", "(custom) = 1")
_NUMBER = re.compile(rb"(?<![\w.])\d+(?![\w.])")
_SCALAR = re.compile(rb"\b(" + b"|".join(s.encode() for s in _SCALARS) + rb")\b")
_LABEL = re.compile(rb"\b(optional|repeated|required) ")
_FIELD_END = re.compile(rb"(=\s*\d+)\s*;")
_IDENT = re.compile(rb"\b[A-Za-z_]\w*\b")
_KEYWORDS = {b"syntax", b"package", b"import", b"option", b"message", b"enum", b"service", b"rpc", b"returns",
             b"oneof", b"map", b"reserved", b"extensions", b"extend", b"to", b"max", b"stream", b"edition",
             b"true", b"false", b"public", b"weak", *(_SCALARS_B := tuple(s.encode() for s in _SCALARS)),
             b"optional", b"repeated", b"required", b"group"}


def _sub_one(rng: random.Random, pattern: re.Pattern[bytes], data: bytes, replace) -> bytes:
    matches = list(pattern.finditer(data))
    if not matches:
        return data
    m = rng.choice(matches)
    return data[: m.start()] + replace(m) + data[m.end():]


def _edit(rng: random.Random, data: bytes) -> bytes:
    choice = rng.randrange(10)
    lines = data.splitlines(keepends=True)
    if choice == 0:  # a field's scalar type
        return _sub_one(rng, _SCALAR, data, lambda m: rng.choice(_SCALARS_B))
    if choice == 1:  # a number: field / enum value number, reserved bound
        return _sub_one(rng, _NUMBER, data, lambda m: str(rng.choice(
            (_number(m) + 1, max(0, _number(m) - 1), 0, 1, 15, 16, 19000, 19999, 536870911, 536870912,
             2**31, rng.randrange(1, 100)))).encode())
    if choice == 2:  # a label added, removed or changed
        if rng.random() < 0.5:
            return _sub_one(rng, _LABEL, data, lambda m: rng.choice(_LABELS).encode())
        return _sub_one(rng, _SCALAR, data, lambda m: rng.choice(_LABELS).encode() + m.group())
    if choice == 3:  # a field option
        return _sub_one(rng, _FIELD_END, data, lambda m: m.group(1) + b" [" + rng.choice(_OPTIONS).encode() + b"];")
    if choice == 4 and lines:  # a line deleted
        del lines[rng.randrange(len(lines))]
    elif choice == 5 and lines:  # a line duplicated or moved
        line = lines[rng.randrange(len(lines))]
        if rng.random() < 0.5:
            lines.remove(line)
        lines.insert(rng.randrange(len(lines) + 1), line)
    elif choice == 6:  # an identifier renamed, everywhere or once
        names = sorted({m.group() for m in _IDENT.finditer(data)} - _KEYWORDS)
        if names:
            old = rng.choice(names)
            new = old + rng.choice((b"2", b"_v2", b"X")) if rng.random() < 0.7 else rng.choice(names)
            pattern = re.compile(rb"\b" + re.escape(old) + rb"\b")
            return pattern.sub(new, data) if rng.random() < 0.5 else pattern.sub(new, data, count=1)
    elif choice == 7 and lines:  # a reserved range or name
        i = rng.randrange(len(lines))
        if lines[i].rstrip().endswith(b";"):
            lines.insert(i + 1, rng.choice((b"  reserved 2, 15, 9 to 11;\n", b'  reserved "old_name";\n',
                                            b"  reserved 100 to max;\n", b"  extensions 1000 to 2000;\n")))
    elif choice == 8 and lines:  # a new field / value at the end of a block
        i = rng.randrange(len(lines))
        if lines[i].strip() == b"}":
            lines.insert(i, rng.choice((b"  string added = 99;\n", b"  int32 added = 1;\n", b"  ADDED = 77;\n",
                                        b"  map<string, int64> m = 98;\n", b"  oneof choice { bool b = 97; }\n")))
    elif choice == 9:  # syntax / edition switched
        return re.sub(rb'(syntax|edition)\s*=\s*"[^"]*"', rng.choice(
            (b'syntax = "proto2"', b'syntax = "proto3"', b'edition = "2023"', b'edition = "2024"')), data, count=1)
    return b"".join(lines)


_IMPORT = re.compile(rb'import\s+(?:public\s+|weak\s+)?"([^"]*)"')
_STANDALONE: dict[int, list[bytes]] = {}


def _standalone(seeds: list[bytes]) -> list[bytes]:
    """Seeds that import only well-known types: alone in a snapshot, they can compile."""
    key = id(seeds)
    if key not in _STANDALONE:
        _STANDALONE[key] = [s for s in seeds if all(m.group(1).startswith(b"google/protobuf/")
                                                   for m in _IMPORT.finditer(s))] or seeds
    return _STANDALONE[key]


def mutate_proto(rng: random.Random, seeds: list[bytes]) -> tuple[bytes, bytes]:
    """A seed (one that can compile alone) and the seed after one to three edits."""
    base = rng.choice(_standalone(seeds))
    head = base
    for _ in range(rng.choice((1, 1, 2, 3))):
        head = _edit(rng, head)
    return base, head


def _number(match: re.Match[bytes]) -> int:
    """The matched literal as an int; a literal too long for ``int()`` (over 4,300 digits, which
    Python refuses) counts as 10**40, still far out of any field-number range."""
    digits = match.group()
    return int(digits) if len(digits) <= 40 else 10**40
