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
import itertools
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
        # Line i+1 starts one past the end of line i; all in C (no per-line Python code).
        self._starts = list(itertools.accumulate(map((1).__add__, map(len, text.split("\n"))), initial=0))

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
    """Lazy pointer → span index over JSON text that is known to be valid.

    A container is scanned only as far as the wanted child: earlier siblings are skipped with
    the C decoder, and the scan resumes there for the next lookup. A node's end is computed
    only when its span is asked for.
    """

    def __init__(self, text: str) -> None:
        self._text = text
        self._lines: LineMap | None = None
        # pointer -> [member start, value start, value end (-1: not computed yet)]
        self._nodes: dict[str, list[int]] = {}
        # container pointer -> (resume after this child pointer | offset to resume at, next index);
        # absent: not started; None: fully scanned
        self._progress: dict[str, tuple[str | int, int] | None] = {}

    @property
    def lines(self) -> LineMap:
        if self._lines is None:
            self._lines = LineMap(self._text)
        return self._lines

    def _end(self, pointer: str) -> int:
        node = self._nodes[pointer]
        if node[2] < 0:
            node[2] = _DECODER.raw_decode(self._text, node[1])[1]
        return node[2]

    def _root(self) -> None:
        if "" not in self._nodes:
            start = _WS.match(self._text, 0).end()
            self._nodes[""] = [start, start, -1]

    def _scan_for(self, pointer: str, want: str) -> None:
        """Scan the container at ``pointer`` forward until child ``want`` is recorded or the end."""
        text = self._text
        if pointer not in self._progress:
            start = self._nodes[pointer][1]
            if text[start] not in "{[":
                self._progress[pointer] = None
                return
            self._progress[pointer] = (_WS.match(text, start + 1).end(), 0)
        state = self._progress[pointer]
        if state is None:
            return
        resume, index = state
        i = resume if isinstance(resume, int) else self._after(self._end(resume))
        is_object = text[self._nodes[pointer][1]] == "{"
        closer = "}" if is_object else "]"
        while text[i] != closer:
            member = i
            if is_object:
                token, i = json.decoder.scanstring(text, i + 1)
                i = _WS.match(text, _WS.match(text, i).end() + 1).end()  # past the colon
            else:
                token = str(index)
            index += 1
            child = pointer_join(pointer, token)
            self._nodes[child] = [member, i, -1]
            if token == want:
                self._progress[pointer] = (child, index)
                return
            i = self._after(self._end(child))
        self._progress[pointer] = None

    def _after(self, end: int) -> int:
        """The offset of the next member after a value ending at ``end`` (past any comma)."""
        text = self._text
        i = _WS.match(text, end).end()
        if text[i] == ",":
            i = _WS.match(text, i + 1).end()
        return i

    def offsets(self, pointer: str) -> tuple[int, int, int] | None:
        """``(member start, value start, value end)`` of ``pointer``, or ``None``."""
        self._root()
        if pointer not in self._nodes:
            current = ""
            for token in pointer_parts(pointer):
                child = pointer_join(current, token)
                if child not in self._nodes:
                    self._scan_for(current, token)
                    if child not in self._nodes:
                        return None
                current = child
        member, start, _ = self._nodes[pointer]
        return member, start, self._end(pointer)

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
    """Pointer → span by walking a composed YAML node tree (``yaml.compose`` nodes).

    Ends come from the marks' character offsets (``mark.index``), not their line/column: a
    block node "ends" where the next token starts, which at the end of a file without a
    trailing newline is a line past the last one. The end is moved back over trailing
    whitespace to the node's last character, so it always lies inside the text.
    """

    def __init__(self, root: Any, text: str = "") -> None:
        self._root = root
        self._text = text
        self._lines: LineMap | None = None
        # id(mapping node) -> (first (key, value) of each scalar key, merged sources): a lookup per
        # finding in a mapping of N keys was a scan of N (5,000 findings x 5,000 keys: 7 s)
        self._members: dict[int, tuple[dict[str, tuple[Any, Any]], list[Any]]] = {}

    @property
    def lines(self) -> LineMap:
        if self._lines is None:
            self._lines = LineMap(self._text)
        return self._lines

    def _child(self, node: Any, token: str) -> tuple[Any, Any] | None:
        """``(key node or None, value node)`` of ``token`` under ``node``."""
        import yaml

        if isinstance(node, yaml.SequenceNode):
            if token.isdigit() and int(token) < len(node.value):
                return None, node.value[int(token)]
            return None
        if not isinstance(node, yaml.MappingNode):
            return None
        members = self._members.get(id(node))  # the tree outlives this object: ids are stable
        if members is None:
            direct: dict[str, tuple[Any, Any]] = {}
            merged: list[Any] = []
            for key, value in node.value:
                if key.tag == _MERGE_TAG:
                    merged.extend(value.value if isinstance(value, yaml.SequenceNode) else [value])
                elif isinstance(key, yaml.ScalarNode):
                    direct.setdefault(key.value, (key, value))
            members = self._members[id(node)] = (direct, merged)
        direct, merged = members
        if token in direct:
            return direct[token]
        for source in merged:
            found = self._child(source, token)
            if found is not None:
                return found
        return None

    def _end(self, start: int, end: int) -> int:
        """``end`` clamped to the text and moved back over whitespace, never before ``start + 1``."""
        end = min(end, len(self._text))
        while end > start + 1 and self._text[end - 1] in " \t\r\n":
            end -= 1
        return max(end, start + 1)

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
        if not self._text:
            return Span(first.start_mark.line + 1, first.start_mark.column + 1, node.end_mark.line + 1,
                        node.end_mark.column + 1, node.start_mark.line + 1, node.start_mark.column + 1, raw)
        lines = self.lines
        line, column = lines.line_col(first.start_mark.index)
        value_line, value_column = lines.line_col(node.start_mark.index)
        end_line, end_column = lines.end_line_col(self._end(node.start_mark.index, node.end_mark.index))
        return Span(line, column, end_line, end_column, value_line, value_column, raw)
