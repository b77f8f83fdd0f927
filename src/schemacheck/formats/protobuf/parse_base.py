"""Parser foundations: result records, token helpers and protoc's location/comment recording.

Maintainers: :class:`ParserBase` holds the cursor over :class:`~.lexer.Tokens` and mirrors
protoc's ``LocationRecorder``: ``_loc(path)`` appends a location when a construct starts and
``_end(loc)`` closes its span at the previous token, so locations come out in protoc's
order. ``try_end_decl`` is protoc's ``TryConsumeEndOfDeclaration``, where comments attach.
The statement parsers are mixins in ``parse_*.py``; :mod:`.parser` assembles them.
"""


from __future__ import annotations

from dataclasses import dataclass, field

from google.protobuf import descriptor_pb2 as d

from ...errors import ParseError
from .comments import next_with_comments
from .lexer import END, IDENT, INT, STRING, Tokens
from .strings import EscapeError, parse_int, unescape

__all__ = ["ParsedFile", "PendingOption", "PendingOptions", "TypeRef", "ParserBase", "TYPES", "EDITIONS",
           "INT32_MAX", "MAX_FIELD", "SIGNED", "UNSIGNED"]

F = d.FieldDescriptorProto
TYPES = {
    "double": F.TYPE_DOUBLE, "float": F.TYPE_FLOAT, "int64": F.TYPE_INT64, "uint64": F.TYPE_UINT64,
    "int32": F.TYPE_INT32, "fixed64": F.TYPE_FIXED64, "fixed32": F.TYPE_FIXED32, "bool": F.TYPE_BOOL,
    "string": F.TYPE_STRING, "group": F.TYPE_GROUP, "bytes": F.TYPE_BYTES, "uint32": F.TYPE_UINT32,
    "sfixed32": F.TYPE_SFIXED32, "sfixed64": F.TYPE_SFIXED64, "sint32": F.TYPE_SINT32,
    "sint64": F.TYPE_SINT64,
}
EDITIONS = {"2023": d.EDITION_2023, "2024": d.EDITION_2024}
INT32_MAX = 2**31 - 1
MAX_FIELD = 536870911
SIGNED = {F.TYPE_INT32: INT32_MAX, F.TYPE_SINT32: INT32_MAX, F.TYPE_SFIXED32: INT32_MAX,
          F.TYPE_INT64: 2**63 - 1, F.TYPE_SINT64: 2**63 - 1, F.TYPE_SFIXED64: 2**63 - 1}
UNSIGNED = {F.TYPE_UINT32: 2**32 - 1, F.TYPE_FIXED32: 2**32 - 1, F.TYPE_UINT64: 2**64 - 1,
            F.TYPE_FIXED64: 2**64 - 1}


@dataclass(slots=True)
class PendingOption:
    """One ``name = value`` option as written (protoc's ``UninterpretedOption``)."""

    name: list[tuple[str, bool]]
    kind: str  # "ident", "pos", "neg", "double", "string", "aggregate"
    value: object
    line: int
    col: int
    vline: int = 0
    vcol: int = 0


@dataclass(slots=True)
class PendingOptions:
    """The options written on one element, interpreted after linking."""

    owner: object
    options_type: str
    path: tuple[int, ...]
    scope: tuple[str, ...]
    items: list[PendingOption] = field(default_factory=list)


@dataclass(slots=True)
class TypeRef:
    """A type name to resolve: ``proto.<attr>`` as written, looked up from ``scope``."""

    proto: object
    attr: str
    scope: tuple[str, ...]
    line: int
    col: int
    path: tuple[int, ...] = ()  # source path of ``proto`` (to find it again after a process hop)


@dataclass(slots=True)
class ParsedFile:
    """Parser output for one file."""

    path: str
    fd: d.FileDescriptorProto
    syntax: str
    # ``[path, span, leading, trailing, detached]`` in creation order; from the Rust parser a
    # ``schemacheck_native.Locations`` that iterates as the same lists and is encoded in Rust
    locs: list[list]
    options: list[PendingOptions]
    refs: list[TypeRef]
    import_pos: list[tuple[int, int]]  # ``import`` keywords: dependency, then option_dependency
    # ``features.default_symbol_visibility`` of the file, -1 until read from its options (the
    # option is source-retention: it is gone from the descriptor once options are interpreted)
    visibility: int = -1


class ParserBase:
    """Cursor, error helpers and location/comment recording shared by the statement parsers."""

    def __init__(self, tokens: Tokens, path: str, name: str) -> None:
        self.tk = tokens
        self.kind = tokens.kind
        self.text = tokens.text
        self.lines = tokens.line
        self.cols = tokens.col
        self.ends = tokens.end
        self.path = path
        self.i = 0
        self.locs: list[list] = []
        self.options: list[PendingOptions] = []
        self.pending_by_owner: dict[tuple[int, tuple[int, ...]], PendingOptions] = {}
        self.refs: list[TypeRef] = []
        self.import_pos: list[tuple[int, int]] = []
        self.option_import_pos: list[tuple[int, int]] = []
        self.doc = ""
        self.detached: list[str] = []
        self.syntax = "proto2"
        self.fd = d.FileDescriptorProto(name=name)
        self.package: tuple[str, ...] = ()
        self.depth = 0  # messages and groups being parsed (see MAX_MESSAGE_DEPTH)

    def error(self, msg: str, i: int | None = None) -> ParseError:
        i = self.i if i is None else i
        return ParseError(self.path, self.tk.line[i] + 1, self.tk.col[i] + 1, msg)

    def found(self) -> str:
        return "end of file" if self.kind[self.i] == END else repr(self.text[self.i])

    # String tokens keep their quotes, so comparing the text alone never confuses a
    # keyword or symbol with a string literal.

    def at(self, text: str) -> bool:
        return self.text[self.i] == text

    def try_consume(self, text: str) -> bool:
        if self.text[self.i] == text:
            self.i += 1
            return True
        return False

    def consume(self, text: str, what: str = "") -> None:
        if not self.try_consume(text):
            raise self.error(f"expected '{text}'{what}, found {self.found()}")

    def ident(self, what: str) -> str:
        if self.kind[self.i] != IDENT:
            raise self.error(f"expected {what}, found {self.found()}")
        self.i += 1
        return self.text[self.i - 1]

    def integer(self, what: str, limit: int = INT32_MAX) -> int:
        if self.kind[self.i] != INT:
            raise self.error(f"expected {what}, found {self.found()}")
        value = parse_int(self.text[self.i])
        if value > limit:
            raise self.error("integer out of range")
        self.i += 1
        return value

    def signed(self, what: str) -> int:
        neg = self.try_consume("-")
        value = self.integer(what, INT32_MAX + 1 if neg else INT32_MAX)
        return -value if neg else value

    def string(self, what: str) -> bytes:
        if self.kind[self.i] != STRING:
            raise self.error(f"expected {what}, found {self.found()}")
        parts = []  # adjacent literals are concatenated; joined once (+= was quadratic)
        while self.kind[self.i] == STRING:
            try:
                parts.append(unescape(self.text[self.i]))
            except EscapeError as exc:
                raise self.error(f"invalid escape sequence {exc.args[0]!r} in string literal") from None
            self.i += 1
        return parts[0] if len(parts) == 1 else b"".join(parts)

    def text_string(self, what: str) -> str:
        i = self.i
        raw = self.string(what)
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            raise self.error("string is not valid UTF-8", i) from None

    def _loc(self, path: tuple[int, ...]) -> list:
        i = self.i
        loc = [path, [self.lines[i], self.cols[i]], "", "", None]
        self.locs.append(loc)
        return loc

    def _end(self, loc: list, tok: int | None = None) -> None:
        span = loc[1]
        if len(span) <= 2:
            j = self.i - 1 if tok is None else tok
            if j < 0:
                line, end = 0, 0
            else:
                line, end = self.lines[j], self.ends[j]
            if line != span[0]:
                span.append(line)
            span.append(end)

    def _start_at(self, loc: list, tok: int) -> None:
        loc[1][0] = self.tk.line[tok]
        loc[1][1] = self.tk.col[tok]

    def _comments(self, start: bool) -> tuple[str, list[str], str]:
        tk = self.tk
        i = self.i
        lo = tk.pre[i - 1] if i > 0 else 0
        items = tk.trivia[lo : tk.pre[i]]
        prev_line = tk.line[i - 1] if i > 0 else 0
        return next_with_comments(items, start, prev_line, tk.line[i], tk.text[i], tk.kind[i] == END)

    def end_decl(self, text: str, loc: list | None, what: str = "") -> None:
        if not self.try_end_decl(text, loc):
            raise self.error(f"expected '{text}'{what}, found {self.found()}")

    def try_end_decl(self, text: str, loc: list | None) -> bool:
        i = self.i
        if self.text[i] != text:
            return False
        self.i = i + 1
        pre = self.tk.pre
        if pre[i] == pre[i + 1]:
            trailing, detached, leading = "", [], ""
        else:
            trailing, detached, leading = self._comments(False)
        leading, self.doc = self.doc, leading
        if loc is not None:
            detached, self.detached = self.detached, detached
            loc[2] = leading
            loc[3] = trailing
            loc[4] = detached or None
        elif text == "}":
            self.detached = detached
        else:
            self.detached.extend(detached)
        return True
