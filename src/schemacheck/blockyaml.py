"""A reader for the plain block-style YAML that small configuration files use (``buf.yaml``).

Maintainers: importing PyYAML costs more than the rest of reading a buf.yaml, and a one-file
protobuf check reads one on every run. :func:`load` reads only a subset whose meaning is the
same in every YAML version and in PyYAML: block mappings and sequences (indentless sequences
included), keys and plain scalars made of letters, digits and ``_ . / -`` that start with a
letter or ``_`` and are no YAML 1.1 boolean or null word, quoted scalars without escapes or
quotes inside, one-line flow sequences of such plain words (``use: [FILE]``), comments.
Anything else (flow mappings, anchors, tags, block scalars,
multi-line scalars, numbers, duplicate keys, tabs, non-ASCII text, several documents) raises
:class:`Unsupported`, and the caller reads the file with PyYAML as before: the answer is
PyYAML's either way (``tests/test_blockyaml.py`` compares them on generated and mutated files).
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["Unsupported", "load"]

#: Printable ASCII and newlines: nothing YAML would read as another line break, a tab or a BOM.
_TEXT = re.compile(r"[\x20-\x7e\n]*")
_WORD = r"[A-Za-z_][A-Za-z0-9_./-]*"
_KEY = re.compile(rf"({_WORD}):(?: +(.*))?")
_PLAIN = re.compile(_WORD)
_DOUBLE = re.compile(r'"([^"\\]*)"(?: +#.*)?')
_SINGLE = re.compile(r"'([^']*)'(?: +#.*)?")
_FLOW = re.compile(rf"\[ *((?:{_WORD})(?: *, *{_WORD})*)? *\](?: +#.*)?")
#: Plain words YAML 1.1 (PyYAML) reads as booleans or null, in any case, plus y/n of YAML 1.1's spec.
_SPECIAL = frozenset({"yes", "no", "true", "false", "on", "off", "null", "y", "n"})


class Unsupported(ValueError):
    """The text is outside the subset: read it with a full YAML parser."""


def load(text: str) -> Any:
    """The value of a YAML document in the subset (``None`` for an empty one).

    Raises:
        Unsupported: The text uses YAML this reader does not take on.
    """
    if not _TEXT.fullmatch(text):
        raise Unsupported("not plain ASCII text")
    lines: list[tuple[int, str]] = []
    for raw in text.split("\n"):
        body = raw.strip(" ")
        if not body or body.startswith("#"):
            continue
        if body.startswith(("---", "...", "%", "?")):
            raise Unsupported("document markers, directives or complex keys")
        lines.append((len(raw) - len(raw.lstrip(" ")), body))
    if not lines:
        return None
    value, pos = _block(lines, 0, lines[0][0])
    if pos != len(lines):
        raise Unsupported(f"indentation at line {pos + 1} of the content")
    return value


def _block(lines: list[tuple[int, str]], pos: int, indent: int) -> tuple[Any, int]:
    body = lines[pos][1]
    if body == "-" or body.startswith("- "):
        return _sequence(lines, pos, indent)
    return _mapping(lines, pos, indent)


def _sequence(lines: list[tuple[int, str]], pos: int, indent: int) -> tuple[list[Any], int]:
    items: list[Any] = []
    while pos < len(lines) and lines[pos][0] == indent and (lines[pos][1] == "-" or lines[pos][1].startswith("- ")):
        rest = lines[pos][1][1:]
        content = rest.lstrip(" ")
        if not content:  # "-" alone: the item is the block below, or null
            if pos + 1 < len(lines) and lines[pos + 1][0] > indent:
                value, pos = _block(lines, pos + 1, lines[pos + 1][0])
            else:
                value, pos = None, pos + 1
        elif _KEY.fullmatch(content):  # "- key: value": a mapping whose first key is on this line
            column = indent + 1 + len(rest) - len(content)
            lines[pos] = (column, content)
            value, pos = _mapping(lines, pos, column)
        else:
            value, pos = _scalar(content), pos + 1
        items.append(value)
    return items, pos


def _mapping(lines: list[tuple[int, str]], pos: int, indent: int) -> tuple[dict[str, Any], int]:
    entries: dict[str, Any] = {}
    while pos < len(lines) and lines[pos][0] == indent:
        match = _KEY.fullmatch(lines[pos][1])
        if match is None:
            raise Unsupported("a line that is no `key: value`")
        key, rest = _plain(match[1]), (match[2] or "").strip(" ")
        if key in entries:
            raise Unsupported("a duplicate key")
        pos += 1
        if rest and not rest.startswith("#"):
            entries[key] = _scalar(rest)
        elif pos < len(lines) and lines[pos][0] > indent:
            entries[key], pos = _block(lines, pos, lines[pos][0])
        elif pos < len(lines) and lines[pos][0] == indent and (lines[pos][1] == "-" or lines[pos][1].startswith("- ")):
            entries[key], pos = _sequence(lines, pos, indent)  # an indentless sequence
        else:
            entries[key] = None
    return entries, pos


def _scalar(text: str) -> str | list[str]:
    flow = _FLOW.fullmatch(text)
    if flow is not None:  # [A, B]: a flow sequence of plain words
        return [_plain(word.strip(" ")) for word in flow[1].split(",")] if flow[1] else []
    for quoted in (_DOUBLE, _SINGLE):
        match = quoted.fullmatch(text)
        if match is not None:
            return match[1]
    if " #" in text:
        text = text[:text.index(" #")].rstrip(" ")
    return _plain(text)


def _plain(text: str) -> str:
    if not _PLAIN.fullmatch(text) or text.lower() in _SPECIAL:
        raise Unsupported(f"the scalar {text[:40]!r}")
    return text
