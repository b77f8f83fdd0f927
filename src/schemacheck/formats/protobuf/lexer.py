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
import sys
from dataclasses import dataclass

from ...errors import ParseError
from ...snapshot import MAX_FILE_BYTES
from . import native

__all__ = ["Tokens", "tokenize", "tokenize_python", "check_text", "IDENT", "INT", "FLOAT", "STRING", "SYMBOL", "END",
           "MAX_PROTO_BYTES", "MAX_TOKENS", "MAX_LINES"]

#: Size limits of one .proto file, so that any file is checked, or refused with a clear error,
#: within the time and memory promised (5 s, 500 MB for both revisions on two cores). The
#: compiler spends ~10 microseconds per token on the densest input (one-line messages,
#: reserved numbers) and ~7 on real files; the largest real file we know of, googleapis'
#: compute.proto (4 MB, long comments), has far fewer tokens than the limit, and
#: bench/big_proto.py's denser 4 MB look-alike has ~140,000. Block comments count as tokens
#: (their text is kept for source info); newlines and line comments are cheap and have
#: their own, higher limit.
MAX_PROTO_BYTES = 16 * 1024 * 1024
MAX_TOKENS = 200_000
MAX_LINES = 500_000
_TIP = "split the file; schemacheck refuses .proto files this large (see docs/usage.md, 'Limits')"

IDENT, INT, FLOAT, STRING, SYMBOL, END = "ident", "int", "float", "string", "symbol", "end"

_PATTERN = (
    r"[ \t\r\f\v]*(?:"
    r"(\n)"                                                   # 1 newline
    r"|(//[^\n]*\n?)"                                         # 2 line comment
    r"|(/\*)"                                                 # 3 block comment start
    r"|([A-Za-z_][A-Za-z0-9_]*)"                              # 4 identifier
    r"|((?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?|[0-9]+[eE][+-]?[0-9]+)"  # 5 float
    r"|(0[xX][0-9A-Fa-f]+|[0-9]+)"                            # 6 integer
    r"|(\"[^\"\\\n]*+(?:\\[^\n][^\"\\\n]*+)*+\"|'[^'\\\n]*+(?:\\[^\n][^'\\\n]*+)*+')"  # 7 string
    r"|([^ \t\r\f\v]))"                                    # 8 symbol (never blank: no backtracking into it)
)
if sys.version_info < (3, 11):  # no possessive quantifiers: the same language, backtracking
    _PATTERN = _PATTERN.replace("*+", "*")
_MASTER_STR = re.compile(_PATTERN, re.S)
_MASTER_BYTES = re.compile(_PATTERN.encode(), re.S)
_KINDS = (None, None, None, None, "ident", "float", "int", "string", "symbol")
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
    """Split ``data`` into tokens (with the native extension when it is in use).

    Args:
        data: The file content (already checked to be UTF-8 without NUL bytes).
        path: Repository path, for error messages.

    Raises:
        ParseError: Unterminated comment or string, bad number, invalid character.
    """
    mod = native.module()
    if mod is not None:
        # The Rust twin returns None wherever this module would raise: the error then comes
        # from the Python lexer below, so messages never depend on the path taken.
        out = mod.tokenize(data, _KIND_OBJECTS, MAX_TOKENS, MAX_LINES)
        if out is not None:
            return Tokens(*out)
        native.FALLBACKS["tokenize"] += 1
    return tokenize_python(data, path)


_KIND_OBJECTS = (IDENT, INT, FLOAT, STRING, SYMBOL, END)


def tokenize_python(data: bytes, path: str) -> Tokens:
    """The pure-Python lexer: the reference the native one must match token for token."""
    kind: list[str] = []
    text: list[str] = []
    lines: list[int] = []
    cols: list[int] = []
    ends: list[int] = []
    pre: list[int] = []
    trivia: list[tuple] = []
    ascii_only = data.isascii()
    src = data.decode("ascii") if ascii_only else data
    match = (_MASTER_STR if ascii_only else _MASTER_BYTES).match
    tabs = (b"\t" in data)
    nl_char = "\n" if ascii_only else b"\n"
    line = 0
    line_start = 0
    pos = 3 if data.startswith(b"\xef\xbb\xbf") else 0
    size = len(src)
    kinds = _KINDS
    budget = MAX_TOKENS + 1  # tokens and block comments still allowed
    while pos < size:
        m = match(src, pos)
        if m is None:
            break
        li = m.lastindex
        pos = m.end()
        if li == 1:
            trivia.append(("n",))
            line += 1
            line_start = pos
            if line >= MAX_LINES:
                raise ParseError(path, line + 1, 1, f"file has more than {MAX_LINES:,} lines", _TIP)
            continue
        start = m.start(li)
        if li == 2:
            body = src[start + 2 : pos]
            trivia.append(("l", body if ascii_only else body.decode("utf-8", "replace"), line))
            if src[pos - 1 : pos] == nl_char:
                line += 1
                line_start = pos
            continue
        if li == 3:
            raw_all = data  # the bytes (never re-encode the text per comment: that was quadratic)
            close = raw_all.find(b"*/", pos)
            if close < 0:
                raise ParseError(path, line + 1, _column(raw_all, line_start, start) + 1,
                                 "unterminated block comment (missing '*/')")
            raw = raw_all[pos:close]
            nested = raw.find(b"/*")
            if nested >= 0:
                at = pos + nested
                nl = raw_all.rfind(b"\n", 0, at) + 1
                raise ParseError(path, line + raw.count(b"\n", 0, nested) + 1, _column(raw_all, nl, at) + 1,
                                 "'/*' inside block comment; block comments cannot be nested")
            first_line = line
            newlines = raw.count(b"\n")
            if newlines:
                line += newlines
                line_start = raw_all.rfind(b"\n", 0, close) + 1
            pos = close + 2
            trivia.append(("b", _block_text(raw), first_line, line))
            budget -= 1
            if budget <= 0:
                raise _too_many(path, line, start - line_start)
            continue
        col = _column(data, line_start, start) if tabs else start - line_start
        k = kinds[li]
        if li == 8:
            ch = data[start] if not ascii_only else ord(src[start])
            if ch < 32 or ch == 127:
                raise ParseError(path, line + 1, col + 1, f"invalid control character 0x{ch:02x} in text")
            if ch == 34 or ch == 39:
                raise ParseError(path, line + 1, col + 1, "unterminated string literal (strings cannot span lines)")
            if ch >= 128:
                raise ParseError(path, line + 1, col + 1,
                                 f"unexpected character {data[start:start + 4].decode('utf-8', 'replace')[:1]!r}")
        elif li == 5 or li == 6:
            nxt = src[pos : pos + 1]
            if nxt and _AFTER_NUMBER.match(nxt if not ascii_only else nxt.encode()):
                raise ParseError(path, line + 1, (_column(data, line_start, pos) if tabs else pos - line_start) + 1,
                                 "need space between number and identifier")
            num = src[start:pos]
            if li == 6 and len(num) > 1 and num[0] in ("0", 48) and num[1] not in ("x", "X", 120, 88) \
                    and any(c in num for c in (("8", "9") if ascii_only else (b"8", b"9"))):
                raise ParseError(path, line + 1, col + 1, "numbers starting with leading zero must be in octal")
        tok = src[start:pos]
        budget -= 1
        if budget <= 0:
            raise _too_many(path, line, col)
        text.append(tok if ascii_only else tok.decode("utf-8"))
        kind.append(k)
        lines.append(line)
        cols.append(col)
        ends.append((_column(data, line_start, pos) if tabs else pos - line_start) if li == 7
                    else col + (pos - start))
        pre.append(len(trivia))
    kind.append(END)
    text.append("")
    lines.append(line)
    end_col = _column(data, line_start, size) if tabs else size - line_start
    cols.append(end_col)
    ends.append(end_col)
    pre.append(len(trivia))
    return Tokens(kind, text, lines, cols, ends, pre, trivia)


def _too_many(path: str, line: int, col: int) -> ParseError:
    return ParseError(path, line + 1, col + 1, f"file has more than {MAX_TOKENS:,} tokens", _TIP)


def check_text(data: bytes, path: str) -> None:
    """Refuse binary, oversized and non-UTF-8 content with a positioned error."""
    limit = min(MAX_FILE_BYTES, MAX_PROTO_BYTES)
    if len(data) > limit:
        raise ParseError(path, 0, 0, f"file is larger than {limit:,} bytes; refusing to parse it", _TIP)
    nul = data.find(b"\0")
    if nul >= 0:
        line = data.count(b"\n", 0, nul) + 1
        col = nul - (data.rfind(b"\n", 0, nul) + 1) + 1
        raise ParseError(path, line, col, "file contains NUL bytes: this is a binary file, not .proto text")
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise ParseError(path, line, col, f"file is not valid UTF-8 (byte 0x{data[exc.start]:02x})") from None
