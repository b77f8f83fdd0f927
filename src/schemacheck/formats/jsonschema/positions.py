"""Where a JSON pointer is in the source text: lazy for JSON, node marks for YAML.

Maintainers: positions are asked for only for reported pointers, so JSON keeps just its text
and scans a container the first time a pointer goes through it; each child's offsets are then
cached. Skipping a child value uses the C JSON scanner (``raw_decode``), so even a lookup at
the end of a 5 MB bundle costs about one ``json.loads``. YAML keeps the composed node tree
(it is built anyway) and walks it by pointer. Lines and columns are 1-based; columns count
characters; ``end_column`` is exclusive.
"""

from __future__ import annotations

import bisect
import json
import re
from typing import Any

from .document import Span, pointer_join, pointer_parts

__all__ = ["JsonPositions", "YamlPositions", "LineMap"]

_WS = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()


class LineMap:
    """Turns character offsets into 1-based (line, column)."""

    def __init__(self, text: str) -> None:
        self._starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def line_col(self, offset: int) -> tuple[int, int]:
        """The 1-based line and column of ``offset``."""
        index = bisect.bisect_right(self._starts, offset) - 1
        return index + 1, offset - self._starts[index] + 1

    def end_line_col(self, end: int) -> tuple[int, int]:
        """Line and exclusive column of a span ending just before ``end``."""
        if end <= 0:
            return 1, 1
        line, col = self.line_col(end - 1)
        return line, col + 1


class JsonPositions:
    """Lazy pointer → span index over JSON text that is known to be valid."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._lines: LineMap | None = None
        # pointer -> (member start, value start, value end)
        self._nodes: dict[str, tuple[int, int, int]] = {}
        self._scanned: set[str] = set()

    @property
    def lines(self) -> LineMap:
        if self._lines is None:
            self._lines = LineMap(self._text)
        return self._lines

    def _value_end(self, start: int) -> int:
        return _DECODER.raw_decode(self._text, start)[1]

    def _root(self) -> tuple[int, int, int]:
        if "" not in self._nodes:
            start = _WS.match(self._text, 0).end()
            self._nodes[""] = (start, start, self._value_end(start))
        return self._nodes[""]

    def _scan(self, pointer: str) -> None:
        """Record the offsets of every child of the container at ``pointer``."""
        self._scanned.add(pointer)
        text = self._text
        _, start, _end = self._nodes[pointer]
        opener = text[start]
        if opener not in "{[":
            return
        closer = "}" if opener == "{" else "]"
        i = _WS.match(text, start + 1).end()
        index = 0
        while text[i] != closer:
            member = i
            if opener == "{":
                key, i = json.decoder.scanstring(text, i + 1)
                i = _WS.match(text, i).end() + 1  # the colon
                i = _WS.match(text, i).end()
                token: str = key
            else:
                token = str(index)
                index += 1
            end = self._value_end(i)
            self._nodes[pointer_join(pointer, token)] = (member, i, end)
            i = _WS.match(text, end).end()
            if text[i] == ",":
                i = _WS.match(text, i + 1).end()

    def offsets(self, pointer: str) -> tuple[int, int, int] | None:
        """``(member start, value start, value end)`` of ``pointer``, or ``None``."""
        self._root()
        if pointer in self._nodes:
            return self._nodes[pointer]
        current = ""
        for token in pointer_parts(pointer):
            child = pointer_join(current, token)
            if child not in self._nodes:
                if current in self._scanned:
                    return None
                self._scan(current)
                if child not in self._nodes:
                    return None
            current = child
        return self._nodes[current]

    def span(self, pointer: str) -> Span | None:
        found = self.offsets(pointer)
        if found is None:
            return None
        member, start, end = found
        line, col = self.lines.line_col(member)
        vline, vcol = self.lines.line_col(start)
        eline, ecol = self.lines.end_line_col(end)
        raw = self._text[start:end] if self._text[start] not in "{[" else ""
        return Span(line, col, eline, ecol, vline, vcol, raw)


_MERGE_TAG = "tag:yaml.org,2002:merge"


class YamlPositions:
    """Pointer → span by walking a composed YAML node tree (``yaml.compose`` nodes)."""

    def __init__(self, root: Any, text: str = "") -> None:
        self._root = root
        self._lines = text.split("\n") if text else []

    def _child(self, node: Any, token: str) -> tuple[Any, Any] | None:
        """``(key node or None, value node)`` of ``token`` under ``node``."""
        import yaml

        if isinstance(node, yaml.SequenceNode):
            if token.isdigit() and int(token) < len(node.value):
                return None, node.value[int(token)]
            return None
        if not isinstance(node, yaml.MappingNode):
            return None
        merged = []
        for key, value in node.value:
            if key.tag == _MERGE_TAG:
                merged.extend(value.value if isinstance(value, yaml.SequenceNode) else [value])
            elif isinstance(key, yaml.ScalarNode) and key.value == token:
                return key, value
        for source in merged:
            found = self._child(source, token)
            if found is not None:
                return found
        return None

    def span(self, pointer: str) -> Span | None:
        import yaml

        key_node, node = None, self._root
        for token in pointer_parts(pointer):
            found = self._child(node, token)
            if found is None:
                return None
            key_node, node = found
        first = key_node if key_node is not None else node
        raw = node.value if isinstance(node, yaml.ScalarNode) else ""
        if key_node is not None and node.start_mark.index < key_node.start_mark.index:
            node = key_node  # an alias: its target lies elsewhere, so point at the key alone
        end_line, end_col = node.end_mark.line + 1, node.end_mark.column + 1
        start_line = first.start_mark.line + 1
        while end_line > start_line and self._lines and not self._lines[end_line - 1][: end_col - 1].strip():
            # A block node ends where the next token starts: point at its last text instead.
            end_line -= 1
            end_col = len(self._lines[end_line - 1].rstrip()) + 1
        return Span(start_line, first.start_mark.column + 1, end_line, end_col,
                    node.start_mark.line + 1, node.start_mark.column + 1, raw)
