"""Protobuf findings carry character columns, whatever protoc's column convention.

protoc (and so SourceCodeInfo) counts UTF-8 bytes and advances tabs to multiples of 8; buf
reports tabs as 4. SARIF (columnKind unicodeCodePoints), GitHub and editors want characters,
so findings convert; a line of plain ASCII without tabs is the same in every convention.
"""

from __future__ import annotations

import pytest

from schemacheck.compat.protobuf.elements import char_column


@pytest.mark.parametrize(("text", "protoc", "expected"), [
    ("  int64 x = 1;", 2, 2),                    # ASCII: unchanged
    ("\tint64 x = 1;", 8, 1),                    # tab to column 8
    ("\t\tint64 x = 1;", 16, 2),
    ("  \tint64 x = 1;", 8, 3),                  # a tab after two spaces still stops at 8
    ("/* €€ */ int64 x;", 12, 8),                # each € is 3 bytes
    ("/* é */ int64 x;", 9, 8),
    ("\t/* 名 */ int64", 8 + 9, 8),
    ("\tx", 10, 3),                              # past the end: keep the distance
])
def test_char_column(text: str, protoc: int, expected: int) -> None:
    assert char_column(text, protoc) == expected
