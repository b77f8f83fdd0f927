"""protoc's comment attachment rules (``Tokenizer::NextWithComments``), replayed on trivia.

Maintainers: the lexer records newlines and comments between tokens; when the parser
consumes the end of a declaration (``;``, ``{``, ``}``) it asks this module which comments
trail the previous declaration, which are detached and which lead the next one. Keep the
branches in the same order as protoc's tokenizer: the results must match it exactly.
"""

from __future__ import annotations

__all__ = ["next_with_comments"]

_CLOSERS = frozenset(("}", "]", ")"))


class _Collector:
    __slots__ = ("buf", "is_line", "can_attach", "has_trailing", "count", "trailing", "detached")

    def __init__(self, can_attach: bool) -> None:
        self.buf: str | None = None
        self.is_line = False
        self.can_attach = can_attach
        self.has_trailing = False
        self.count = 0
        self.trailing = ""
        self.detached: list[str] = []

    def flush(self) -> None:
        if self.buf is not None:
            if self.can_attach:
                self.trailing += self.buf
                self.has_trailing = True
                self.can_attach = False
            else:
                self.detached.append(self.buf)
            self.buf = None
            self.count += 1

    def maybe_detach(self) -> None:
        count = self.count + (1 if self.buf is not None else 0)
        if count == 1:
            if self.has_trailing:
                self.detached.insert(0, self.trailing)
                self.trailing = ""
            self.can_attach = False
            self.flush()


def next_with_comments(items: list[tuple], start: bool, prev_line: int, next_line: int,
                       next_text: str, next_is_end: bool) -> tuple[str, list[str], str]:
    """Split the comments between two tokens into (trailing, detached, leading).

    Args:
        items: Trivia between the previous token and the next one (see ``lexer.Tokens``).
        start: True before the first token of the file (nothing to trail).
        prev_line: Line of the previous token.
        next_line: Line of the next token.
        next_text: Text of the next token.
        next_is_end: Whether the next token is the end of the file.
    """
    n = len(items)
    if not n:
        return "", [], ""
    col = _Collector(not start)
    i = 0
    trailing_end_line = -1
    if not start:
        first = items[0]
        tag = first[0]
        if tag == "l":
            trailing_end_line = first[2]
            col.buf = first[1]
            col.is_line = True
            col.flush()
            i = 1
        elif tag == "b":
            trailing_end_line = first[3]
            col.buf = first[1]
            col.is_line = False
            if n > 1 and items[1][0] == "n":
                col.flush()
                i = 2
            else:
                i = 1
        else:
            i = 1
    while i < n:
        item = items[i]
        i += 1
        tag = item[0]
        if tag == "l":
            if col.buf is not None and not col.is_line:
                col.flush()
            # A run of line comments is one comment: join it at once (adding one line at a time
            # was quadratic in the length of the run).
            j = i
            while j < n and items[j][0] == "l":
                j += 1
            text = item[1] if j == i else "".join([item[1], *(it[1] for it in items[i:j])])
            i = j
            col.buf = text if col.buf is None else col.buf + text
            col.is_line = True
        elif tag == "b":
            if col.buf is not None:
                col.flush()
            col.buf = item[1]
            col.is_line = False
            if i < n and items[i][0] == "n":
                i += 1
        else:
            col.flush()
            col.can_attach = False
    if next_is_end or next_text in _CLOSERS:
        col.flush()
    if not start and not next_is_end and (prev_line == next_line or trailing_end_line == next_line):
        col.maybe_detach()
    leading = col.buf if col.buf is not None else ""
    return col.trailing, col.detached, leading
