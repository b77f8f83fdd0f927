"""Positions of chosen libcst nodes, exactly as libcst's ``PositionProvider`` gives them, for less.

Maintainers: ``MetadataWrapper(tree).resolve(PositionProvider)`` cost about three times the
parse itself: it visits the whole tree once for nothing (the batched visit of metadata
providers) and runs a code generation that, for every token, splits the token on newlines
and, for every node, enters a generator-based context manager and builds two
``CodePosition`` values and a ``CodeRange``. DTO extraction needs the positions of a few
nodes only (classes, class names, statements, decorated functions and the expressions read
into :class:`~.syntax.Expr`).

:func:`node_spans` runs the same libcst code generation (``Module._codegen``, so the code
and the rules of which node owns which token stay libcst's) with a state that, only for the
wanted nodes, notes the *token index* where a node starts and ends, in the same two ways
``PositionProvider`` does: the syntactic range a node records itself
(``record_syntactic_position``, including a range hoisted from a first or last child, whose
node is then wanted too), else the range of all its tokens (``before_codegen`` /
``after_codegen``, first one kept). Token indices become character offsets by a cumulative
sum and offsets become (line, column) by bisecting the newline ends, counted per token with
``PositionProvider``'s own pattern (so ``\\r`` ending one token and ``\\n`` starting the next
count as two newlines, as there). Columns are characters, not UTF-8 bytes, as there.
``tests/test_python_spans.py`` compares every span with ``PositionProvider``'s.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from itertools import accumulate
from typing import Any, Iterable

from .syntax import Span

__all__ = ["node_spans"]

_NEWLINE = re.compile(r"\r\n?|\n")  # libcst.metadata.position_provider.NEWLINE_RE


def node_spans(tree: Any, wanted: Iterable[int]) -> dict[int, Span]:
    """Span (1-based line and column, end exclusive) of each node of ``tree`` whose ``id`` is in ``wanted``.

    Keyed by ``id`` (nodes hash by identity anyway; ``id`` is cheaper). A wanted id of no node in
    the tree has no entry; some ids not asked for may have one (a range libcst hoists from a child).
    """
    state = _state_class()(tree.default_indent, tree.default_newline, set(wanted))
    tree._codegen(state)
    tokens = state.tokens
    offsets = list(accumulate(map(len, tokens), initial=0))
    ends = _newline_ends(tokens, offsets)
    out: dict[int, Span] = {}
    for key, (start, end) in state.found.items():
        out[key] = (*_line_column(offsets[start], ends), *_line_column(offsets[end], ends))
    return out


def _line_column(offset: int, ends: list[int]) -> tuple[int, int]:
    """1-based line and column of a character offset, given the offsets just after each newline."""
    index = bisect_right(ends, offset)
    return index + 1, offset - (ends[index - 1] if index else 0) + 1


def _newline_ends(tokens: list[str], offsets: list[int]) -> list[int]:
    """Offsets just after each newline, newlines counted within each token as libcst does."""
    text = "".join(tokens)
    if "\r" not in text:  # a lone "\n" cannot straddle two tokens: the whole text counts the same
        return [found.end() for found in _NEWLINE.finditer(text)]
    ends: list[int] = []
    for index, token in enumerate(tokens):
        if "\n" in token or "\r" in token:
            base = offsets[index]
            ends += [base + found.end() for found in _NEWLINE.finditer(token)]
    return ends


class _Null:
    """The context of a node whose position nobody asked for."""

    __slots__ = ()

    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None


_NULL = _Null()


class _Syntactic:
    """``record_syntactic_position`` of a wanted node: its token range, hoisted like libcst's."""

    __slots__ = ("state", "key", "start_key", "end_key", "start")

    def __init__(self, state: Any, key: int, start_key: int | None, end_key: int | None) -> None:
        self.state, self.key, self.start_key, self.end_key = state, key, start_key, end_key

    def __enter__(self) -> None:
        self.start = len(self.state.tokens)

    def __exit__(self, *exc: object) -> None:
        found = self.state.found
        start = found[self.start_key][0] if self.start_key is not None else self.start
        end = found[self.end_key][1] if self.end_key is not None else len(self.state.tokens)
        found[self.key] = (start, end)


_STATE: Any = None


def _state_class() -> Any:
    """The codegen state class (built on first use: libcst is imported lazily)."""
    global _STATE
    if _STATE is None:
        from libcst._nodes.internal import CodegenState

        class _SpanState(CodegenState):
            __slots__ = ("wanted", "found", "stack")

            def __init__(self, default_indent: str, default_newline: str, wanted: set[int]) -> None:
                super().__init__(default_indent=default_indent, default_newline=default_newline)
                self.wanted, self.found, self.stack = wanted, {}, []

            def before_codegen(self, node: Any) -> None:
                if id(node) in self.wanted:
                    self.stack.append(len(self.tokens))

            def after_codegen(self, node: Any) -> None:
                key = id(node)
                if key in self.wanted:
                    start = self.stack.pop()
                    if key not in self.found:  # a syntactic range, recorded inside, wins
                        self.found[key] = (start, len(self.tokens))

            def pop_trailing_newline(self) -> None:
                """Keep the token: the offsets noted so far count it, as PositionProvider's lines do."""

            def record_syntactic_position(self, node: Any, *, start_node: Any = None, end_node: Any = None) -> Any:
                key = id(node)
                if key not in self.wanted:
                    return _NULL
                start_key = end_key = None
                if start_node is not None:
                    start_key = id(start_node)
                    self.wanted.add(start_key)
                if end_node is not None:
                    end_key = id(end_node)
                    self.wanted.add(end_key)
                return _Syntactic(self, key, start_key, end_key)

        _STATE = _SpanState
    return _STATE
