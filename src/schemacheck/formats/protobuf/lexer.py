"""Tokenizer for ``.proto`` source, byte-compatible with protoc's ``io::Tokenizer``.

Maintainers: one compiled master regex walks the raw bytes (columns are byte offsets, tabs
advance to the next multiple of 8, exactly as protoc counts them, 0-based like
``SourceCodeInfo`` spans). Tokens are stored in parallel lists for speed. Newlines and
comments between two tokens are kept as "trivia" so that :mod:`.comments` can replay
protoc's ``NextWithComments`` attachment rules only where the parser asks for them.
Errors raise :class:`~schemacheck.errors.ParseError` with 1-based line and column.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ...errors import ParseError

__all__ = ["Tokens", "tokenize", "IDENT", "INT", "FLOAT", "STRING", "SYMBOL", "END"]

IDENT, INT, FLOAT, STRING, SYMBOL, END = "ident", "int", "float", "string", "symbol", "end"

_MASTER = re.compile(
    rb"(?P<ws>[ \t\r\f\v]+)"
    rb"|(?P<nl>\n)"
    rb"|(?P<lc>//[^\n]*\n?)"
    rb"|(?P<bc>/\*)"
    rb"|(?P<ident>[A-Za-z_][A-Za-z0-9_]*)"
    rb"|(?P<float>(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?|[0-9]+[eE][+-]?[0-9]+)"
    rb"|(?P<int>0[xX][0-9A-Fa-f]+|[0-9]+)"
    rb"|(?P<string>\"(?:[^\"\\\n]|\\[^\n])*\"|'(?:[^'\\\n]|\\[^\n])*')"
    rb"|(?P<symbol>.)",
    re.S,
)
_AFTER_NUMBER = re.compile(rb"[A-Za-z_0-9.]")
_WS_PREFIX = re.compile(rb"[ \t\r\f\v]*")


@dataclass(slots=True)
class Tokens:
    """The tokens of one file in parallel lists (index ``n`` is the END token).

    Attributes:
        kind: Token kinds (``IDENT``, ``INT``, ``FLOAT``, ``STRING``, ``SYMBOL``, ``END``).
        text: Token text as written (strings keep their quotes).
        line: 0-based line of the token start.
        col: 0-based column of the token start.
        end: 0-based column just after the token.
        pre: Index into ``trivia`` of the first newline/comment before each token.
        trivia: ``("n",)`` newlines, ``("l", text, line)`` line comments and
            ``("b", text, first_line, last_line)`` block comments.
    """

    kind: list[str]
    text: list[str]
    line: list[int]
    col: list[int]
    end: list[int]
    pre: list[int]
    trivia: list[tuple]


def _column(data: bytes, line_start: int, pos: int) -> int:
    if data.find(b"\t", line_start, pos) < 0:
        return pos - line_start
    col = 0
    for byte in data[line_start:pos]:
        col = col + 8 - col % 8 if byte == 9 else col + 1
    return col


def _block_text(raw: bytes) -> str:
    lines = raw.split(b"\n")
    out = [lines[0]]
    for part in lines[1:]:
        part = part[_WS_PREFIX.match(part).end():]
        if part.startswith(b"*"):
            part = part[1:]
        out.append(part)
    return b"\n".join(out).decode("utf-8", "replace")


def tokenize(data: bytes, path: str) -> Tokens:
    """Split ``data`` into tokens.

    Args:
        data: The file content (already checked to be UTF-8 without NUL bytes).
        path: Repository path, for error messages.

    Raises:
        ParseError: Unterminated comment or string, bad number, invalid character.
    """
    kind: list[str] = []
    text: list[str] = []
    lines: list[int] = []
    cols: list[int] = []
    ends: list[int] = []
    pre: list[int] = []
    trivia: list[tuple] = []
    line = 0
    line_start = 0
    pos = 0
    if data.startswith(b"\xef\xbb\xbf"):
        pos = 3
    size = len(data)
    match = _MASTER.match
    while pos < size:
        m = match(data, pos)
        group = m.lastgroup
        start = pos
        pos = m.end()
        if group == "ws":
            continue
        if group == "nl":
            trivia.append(("n",))
            line += 1
            line_start = pos
            continue
        if group == "lc":
            trivia.append(("l", data[start + 2 : pos].decode("utf-8", "replace"), line))
            if data[pos - 1 : pos] == b"\n":
                line += 1
                line_start = pos
            continue
        if group == "bc":
            close = data.find(b"*/", pos)
            if close < 0:
                raise ParseError(path, line + 1, _column(data, line_start, start) + 1,
                                 "unterminated block comment (missing '*/')")
            raw = data[pos:close]
            nested = raw.find(b"/*")
            if nested >= 0:
                at = pos + nested
                nl = data.rfind(b"\n", 0, at) + 1
                raise ParseError(path, line + raw.count(b"\n", 0, nested) + 1, _column(data, nl, at) + 1,
                                 "'/*' inside block comment; block comments cannot be nested")
            first_line = line
            newlines = raw.count(b"\n")
            if newlines:
                line += newlines
                line_start = data.rfind(b"\n", 0, close) + 1
            pos = close + 2
            trivia.append(("b", _block_text(raw), first_line, line))
            continue
        col = _column(data, line_start, start)
        if group == "symbol":
            ch = data[start]
            if ch < 32 or ch == 127:
                raise ParseError(path, line + 1, col + 1, f"invalid control character 0x{ch:02x} in text")
            if ch == 34 or ch == 39:
                raise ParseError(path, line + 1, col + 1, "unterminated string literal (strings cannot span lines)")
            if ch >= 128:
                raise ParseError(path, line + 1, col + 1,
                                 f"unexpected character {data[start:start + 4].decode('utf-8', 'replace')[:1]!r}")
            kind.append(SYMBOL)
        elif group == "ident":
            kind.append(IDENT)
        elif group == "string":
            kind.append(STRING)
        else:
            nxt = data[pos : pos + 1]
            if nxt and _AFTER_NUMBER.match(nxt):
                raise ParseError(path, line + 1, _column(data, line_start, pos) + 1,
                                 "need space between number and identifier")
            num = data[start:pos]
            if group == "int" and len(num) > 1 and num[0] == 48 and num[1] not in b"xX" \
                    and (b"8" in num or b"9" in num):
                raise ParseError(path, line + 1, col + 1, "numbers starting with leading zero must be in octal")
            kind.append(INT if group == "int" else FLOAT)
        text.append(data[start:pos].decode("utf-8"))
        lines.append(line)
        cols.append(col)
        ends.append(_column(data, line_start, pos) if group == "string" else col + (pos - start))
        pre.append(len(trivia))
    kind.append(END)
    text.append("")
    lines.append(line)
    cols.append(_column(data, line_start, pos))
    ends.append(cols[-1])
    pre.append(len(trivia))
    return Tokens(kind, text, lines, cols, ends, pre, trivia)
