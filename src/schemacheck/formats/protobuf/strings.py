"""protoc's literal conventions: string unescaping, C escaping and number formatting.

Maintainers: ``unescape`` follows ``Tokenizer::ParseStringAppend`` (octal, ``\\x``, ``\\u``,
``\\U`` escapes; the result is bytes). ``c_escape`` is absl ``CEscape`` as used for bytes
defaults, ``simple_dtoa``/``simple_ftoa`` the shortest round-tripping ``%g`` forms protoc
writes for float and double defaults.
"""

from __future__ import annotations

import math
import re
import struct

__all__ = ["unescape", "c_escape", "simple_dtoa", "simple_ftoa", "parse_int", "parse_float"]

_ESCAPE = re.compile(
    rb"\\(?:([0-7]{1,3})|[xX]([0-9A-Fa-f]{1,2})|u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))", re.S)
_SIMPLE = {
    b"a": b"\a", b"b": b"\b", b"f": b"\f", b"n": b"\n", b"r": b"\r", b"t": b"\t", b"v": b"\v",
    b"\\": b"\\", b"?": b"?", b"'": b"'", b'"': b'"',
}


class EscapeError(ValueError):
    """An unknown escape sequence; ``args[0]`` is the offending text."""


def _replace(m: re.Match[bytes]) -> bytes:
    octal, hexa, u4, u8, other = m.groups()
    if octal is not None:
        return bytes((int(octal, 8) & 0xFF,))
    if hexa is not None:
        return bytes((int(hexa, 16),))
    if u4 is not None or u8 is not None:
        code = int(u4 or u8, 16)
        try:
            return chr(code).encode("utf-8", "surrogatepass")
        except (ValueError, OverflowError):
            raise EscapeError(m.group(0).decode("latin-1")) from None
    simple = _SIMPLE.get(other)
    if simple is None:
        raise EscapeError(m.group(0).decode("latin-1"))
    return simple


def unescape(token: str) -> bytes:
    """The bytes a quoted string token stands for."""
    body = token[1:-1].encode("utf-8")
    if b"\\" not in body:
        return body
    return _ESCAPE.sub(_replace, body)


def c_escape(data: bytes) -> str:
    """absl::CEscape: C escapes, octal for non-printable bytes."""
    out = []
    for b in data:
        if b == 0x0A:
            out.append("\\n")
        elif b == 0x0D:
            out.append("\\r")
        elif b == 0x09:
            out.append("\\t")
        elif b == 0x22:
            out.append('\\"')
        elif b == 0x27:
            out.append("\\'")
        elif b == 0x5C:
            out.append("\\\\")
        elif b < 0x20 or b >= 0x7F:
            out.append("\\%03o" % b)
        else:
            out.append(chr(b))
    return "".join(out)


def _g(value: float, digits: int) -> str:
    return "%.*g" % (digits, value)


def simple_dtoa(value: float) -> str:
    """protoc's SimpleDtoa: ``%.15g`` unless it does not round-trip, then ``%.17g``."""
    if math.isnan(value):
        return "nan"
    if math.isinf(value):
        return "inf" if value > 0 else "-inf"
    text = _g(value, 15)
    return text if float(text) == value else _g(value, 17)


def _to_float32(value: float) -> float:
    try:
        return struct.unpack("<f", struct.pack("<f", value))[0]
    except OverflowError:
        return math.inf if value > 0 else -math.inf


def simple_ftoa(value: float) -> str:
    """protoc's SimpleFtoa: ``%.6g`` unless it does not round-trip as a float, then ``%.9g``."""
    value = _to_float32(value)
    if math.isnan(value):
        return "nan"
    if math.isinf(value):
        return "inf" if value > 0 else "-inf"
    text = _g(value, 6)
    return text if _to_float32(float(text)) == value else _g(value, 9)


def parse_int(text: str) -> int:
    """Value of an integer token: decimal, ``0x`` hex or leading-zero octal."""
    if text[:2] in ("0x", "0X"):
        return int(text[2:], 16)
    if len(text) > 1 and text[0] == "0":
        return int(text, 8)
    if len(text) > _MAX_DECIMAL_DIGITS:
        # beyond every protobuf range (uint64 has 20 digits), and Python refuses to convert
        # more than 4,300 digits: any value this long is simply out of range for the caller
        return _TOO_LARGE
    return int(text)


#: Longer decimal literals are out of every range; their exact value is never needed.
_MAX_DECIMAL_DIGITS = 40
_TOO_LARGE = 10 ** _MAX_DECIMAL_DIGITS


def parse_float(text: str) -> float:
    """Value of a float token (``1.``, ``.5``, ``1e5``)."""
    return float(text)
