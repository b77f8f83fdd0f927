"""Unpaired UTF-16 surrogates in JSON strings: valid JSON syntax, but not Unicode text.

Maintainers: JSON writes characters outside the BMP as an escaped surrogate pair
(``"\\ud83d\\ude00"``), and the grammar lets a lone half through (``"\\ud800"``); Python's
``json`` keeps it as a lone surrogate code point. Such a string cannot be encoded as UTF-8,
so a property named with one could be compared but never reported (every output format
failed with an internal error). RFC 8259 §8.2 leaves the behaviour undefined and I-JSON
(RFC 7493) forbids it; the loader refuses it with a position (YAML's composer already does).
Raw UTF-8 input cannot hold a surrogate (``decode_utf8`` is strict), so only escapes can, and
the data is walked only when the text holds an escape in the surrogate range.
"""

from __future__ import annotations

import re
from typing import Any

from .document import pointer_join

__all__ = ["unpaired_surrogate", "refuse_unpaired_surrogates"]

_CANDIDATE = re.compile(r"\\u[dD][89a-fA-F]")


def unpaired_surrogate(text: str, data: Any) -> str | None:
    """JSON pointer of the first value whose string (or one of whose keys) holds an unpaired surrogate."""
    if not _CANDIDATE.search(text):
        return None
    stack: list[tuple[str, Any]] = [("", data)]
    while stack:
        pointer, node = stack.pop()
        if isinstance(node, dict):  # children pushed in reverse: the first one in the file is found first
            for key in node:
                if _unencodable(key):
                    return pointer_join(pointer, key)
            stack.extend((pointer_join(pointer, k), v) for k, v in reversed(node.items()))
        elif isinstance(node, list):
            stack.extend((pointer_join(pointer, str(i)), node[i]) for i in reversed(range(len(node))))
        elif isinstance(node, str) and _unencodable(node):
            return pointer
    return None


def _unencodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def refuse_unpaired_surrogates(path: str, text: str, data: Any, positions: Any) -> None:
    """Raise ``ParseError`` at the first string holding an unpaired surrogate escape."""
    from ...errors import ParseError

    pointer = unpaired_surrogate(text, data)
    if pointer is None:
        return
    span = positions.span(pointer)
    line, column = (span.line, span.column) if span else (0, 0)
    raise ParseError(path, line, column, "a string (or property name) holds an unpaired UTF-16 surrogate escape "
                                         "such as \\ud800: it is not Unicode text (RFC 8259 section 8.2)",
                     tip="Write the character itself, or a complete surrogate pair such as \\ud83d\\ude00.")
