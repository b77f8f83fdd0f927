"""Recursive-descent ``.proto`` parser: tokens -> unlinked ``FileDescriptorProto`` + locations.

Maintainers: the structure mirrors protoc's ``compiler/parser.cc`` on purpose, because the
order in which ``SourceCodeInfo`` locations are *created* (a location is appended when a
``LocationRecorder`` starts and closed when it ends) is part of the output we must match.
``self._loc(path)`` is a recorder start, ``self._end(loc)`` its end. Type names are left as
written; options are kept as :class:`PendingOption` lists for :mod:`.options` to interpret
after linking. The first syntax error raises :class:`ParseError`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from google.protobuf import descriptor_pb2 as d

from ...errors import ParseError
from .comments import next_with_comments
from .lexer import END, FLOAT, IDENT, INT, STRING, Tokens
from .strings import EscapeError, c_escape, parse_int, simple_dtoa, unescape

__all__ = ["ParsedFile", "PendingOptions", "TypeRef", "parse"]

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


@dataclass(slots=True)
class ParsedFile:
    """Parser output for one file."""

    path: str
    fd: d.FileDescriptorProto
    syntax: str
    locs: list[list]
    options: list[PendingOptions]
    refs: list[TypeRef]
    import_pos: list[tuple[int, int]]


class _Parser:
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
        self.refs: list[TypeRef] = []
        self.import_pos: list[tuple[int, int]] = []
        self.doc = ""
        self.detached: list[str] = []
        self.syntax = "proto2"
        self.fd = d.FileDescriptorProto(name=name)
        self.package: tuple[str, ...] = ()

    # -- token helpers -------------------------------------------------------------------
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
        out = b""
        while self.kind[self.i] == STRING:
            try:
                out += unescape(self.text[self.i])
            except EscapeError as exc:
                raise self.error(f"invalid escape sequence {exc.args[0]!r} in string literal") from None
            self.i += 1
        return out

    def text_string(self, what: str) -> str:
        i = self.i
        raw = self.string(what)
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            raise self.error("string is not valid UTF-8", i) from None

    # -- locations -----------------------------------------------------------------------
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

    # -- file ----------------------------------------------------------------------------
    def parse(self) -> ParsedFile:
        _, self.detached, self.doc = next_with_comments(
            self.tk.trivia[: self.tk.pre[0]], True, 0, self.tk.line[0], self.text[0], self.kind[0] == END)
        root = self._loc(())
        fd = self.fd
        if self.at("syntax") or self.at("edition"):
            self.parse_syntax()
        while self.kind[self.i] != END:
            self.top_level()
        self._end(root)
        return ParsedFile(self.path, fd, self.syntax, self.locs, self.options, self.refs, self.import_pos)

    def parse_syntax(self) -> None:
        loc = self._loc((12,))
        edition = self.at("edition")
        self.i += 1
        self.consume("=")
        tok = self.i
        value = self.text_string("a syntax string such as \"proto3\"")
        self.end_decl(";", loc, " after the syntax statement")
        self._end(loc)
        if edition:
            if value not in EDITIONS:
                raise self.error(f"unknown edition \"{value}\" (supported: 2023, 2024)", tok)
            self.syntax = "editions"
            self.fd.syntax = "editions"
            self.fd.edition = EDITIONS[value]
        else:
            if value not in ("proto2", "proto3"):
                raise self.error(f"unrecognized syntax \"{value}\" (expected \"proto2\" or \"proto3\")", tok)
            self.syntax = value
            if value == "proto3":
                self.fd.syntax = "proto3"

    def top_level(self) -> None:
        fd = self.fd
        if self.try_end_decl(";", None):
            return
        text = self.text[self.i]
        if text in ("export", "local") and self.kind[self.i + 1] == IDENT \
                and self.text[self.i + 1] in ("message", "enum"):
            vis = d.VISIBILITY_EXPORT if text == "export" else d.VISIBILITY_LOCAL
            self.i += 1
            text = self.text[self.i]
        else:
            vis = None
        if text == "message":
            loc = self._loc((4, len(fd.message_type)))
            msg = fd.message_type.add()
            self.message(msg, loc, self.package)
            if vis is not None:
                msg.visibility = vis
            self._end(loc)
        elif text == "enum":
            loc = self._loc((5, len(fd.enum_type)))
            en = fd.enum_type.add()
            self.enum(en, loc, self.package)
            if vis is not None:
                en.visibility = vis
            self._end(loc)
        elif text == "service":
            loc = self._loc((6, len(fd.service)))
            self.service(fd.service.add(), loc)
            self._end(loc)
        elif text == "extend":
            loc = self._loc((7,))
            self.extend(fd.extension, fd.message_type, (), 4, loc, self.package)
            self._end(loc)
        elif text == "import":
            self.parse_import()
        elif text == "package":
            self.parse_package()
        elif text == "option":
            loc = self._loc((8,))
            self.option(fd, "FileOptions", loc, self.package + ("dummy",), statement=True)
            self._end(loc)
        else:
            raise self.error(f"expected a top-level statement (message, enum, service, extend, import, "
                             f"package, option), found {self.found()}")

    def parse_import(self) -> None:
        fd = self.fd
        start = self.i
        self.i += 1
        option = self.at("option") and self.kind[self.i + 1] == STRING
        self.i = start
        if option:
            loc = self._loc((15, len(fd.option_dependency)))
        else:
            loc = self._loc((3, len(fd.dependency)))
        self.consume("import")
        if option:
            self.consume("option")
        elif self.at("public"):
            sub = self._loc((10, len(fd.public_dependency)))
            self.i += 1
            self._end(sub)
            fd.public_dependency.append(len(fd.dependency))
        elif self.at("weak"):
            sub = self._loc((11, len(fd.weak_dependency)))
            self.i += 1
            self._end(sub)
            fd.weak_dependency.append(len(fd.dependency))
        tok = self.i
        name = self.text_string("a string naming the file to import")
        if option:
            fd.option_dependency.append(name)
        else:
            fd.dependency.append(name)
            self.import_pos.append((self.tk.line[start] + 1, self.tk.col[start] + 1))
        self.end_decl(";", loc, " after the import")
        self._end(loc)

    def parse_package(self) -> None:
        if self.fd.HasField("package"):
            raise self.error("multiple package definitions")
        loc = self._loc((2,))
        self.consume("package")
        parts = [self.ident("a package name")]
        while self.try_consume("."):
            parts.append(self.ident("an identifier after '.'"))
        self.fd.package = ".".join(parts)
        self.package = tuple(parts)
        self.end_decl(";", loc, " after the package name")
        self._end(loc)

    # -- messages ------------------------------------------------------------------------
    def message(self, msg: d.DescriptorProto, loc: list, scope: tuple[str, ...]) -> None:
        self.consume("message")
        name_loc = self._loc(loc[0] + (1,))
        msg.name = self.ident("a message name")
        self._end(name_loc)
        self.message_block(msg, loc, scope + (msg.name,))
        if self.syntax == "proto3":
            self.synthetic_oneofs(msg)

    def synthetic_oneofs(self, msg: d.DescriptorProto) -> None:
        names = {o.name for o in msg.oneof_decl}
        names.update(f.name for f in msg.field)
        for fld in msg.field:
            if fld.proto3_optional:
                name = fld.name if fld.name.startswith("_") else "_" + fld.name
                while name in names:
                    name = "X" + name
                names.add(name)
                fld.oneof_index = len(msg.oneof_decl)
                msg.oneof_decl.add(name=name)

    def message_block(self, msg: d.DescriptorProto, loc: list, scope: tuple[str, ...]) -> None:
        self.end_decl("{", loc, " to open the message body")
        while not self.try_end_decl("}", None):
            if self.kind[self.i] == END:
                raise self.error("reached end of file in message definition (missing '}')")
            self.message_statement(msg, loc, scope)
        opts = [p for p in self.options if p.owner is msg]
        limit = INT32_MAX if any(
            len(o.name) == 1 and o.name[0][0] == "message_set_wire_format" and o.value == "true"
            for p in opts for o in p.items) else MAX_FIELD + 1
        for rng in msg.extension_range:
            if rng.end == -1:
                rng.end = limit
        for rng in msg.reserved_range:
            if rng.end == -1:
                rng.end = limit

    def message_statement(self, msg: d.DescriptorProto, loc: list, scope: tuple[str, ...]) -> None:
        path = loc[0]
        if self.try_end_decl(";", None):
            return
        text = self.text[self.i]
        vis = None
        if text in ("export", "local") and self.kind[self.i + 1] == IDENT \
                and self.text[self.i + 1] in ("message", "enum"):
            vis = d.VISIBILITY_EXPORT if text == "export" else d.VISIBILITY_LOCAL
            self.i += 1
            text = self.text[self.i]
        if text == "message":
            sub = self._loc(path + (3, len(msg.nested_type)))
            nested = msg.nested_type.add()
            self.message(nested, sub, scope)
            if vis is not None:
                nested.visibility = vis
            self._end(sub)
        elif text == "enum":
            sub = self._loc(path + (4, len(msg.enum_type)))
            en = msg.enum_type.add()
            self.enum(en, sub, scope)
            if vis is not None:
                en.visibility = vis
            self._end(sub)
        elif text == "extensions":
            sub = self._loc(path + (5,))
            self.extensions(msg, sub, scope)
            self._end(sub)
        elif text == "reserved":
            self.reserved(msg, path, 9, 10, message=True)
        elif text == "extend":
            sub = self._loc(path + (6,))
            self.extend(msg.extension, msg.nested_type, path, 3, sub, scope)
            self._end(sub)
        elif text == "option":
            sub = self._loc(path + (7,))
            self.option(msg, "MessageOptions", sub, scope, statement=True)
            self._end(sub)
        elif text == "oneof":
            index = len(msg.oneof_decl)
            sub = self._loc(path + (8, index))
            self.oneof(msg.oneof_decl.add(), msg, index, sub, loc, scope)
            self._end(sub)
        else:
            sub = self._loc(path + (2, len(msg.field)))
            self.field(msg.field.add(), msg.nested_type, path, 3, sub, scope, scope)
            self._end(sub)

    def label(self, fld: F, loc: list) -> None:
        text = self.text[self.i]
        if text in ("optional", "repeated", "required") and self.kind[self.i] == IDENT:
            if self.syntax == "editions" and text != "repeated":
                raise self.error(f"label '{text}' is not allowed in editions; use features instead")
            sub = self._loc(loc[0] + (4,))
            self.i += 1
            self._end(sub)
            if text == "optional":
                fld.label = F.LABEL_OPTIONAL
                if self.syntax == "proto3":
                    fld.proto3_optional = True
            elif text == "repeated":
                fld.label = F.LABEL_REPEATED
            else:
                fld.label = F.LABEL_REQUIRED

    def field(self, fld: F, nested, parent_path: tuple[int, ...], nested_no: int, loc: list,
              scope: tuple[str, ...], type_scope: tuple[str, ...]) -> None:
        self.label(fld, loc)
        self.field_no_label(fld, nested, parent_path, nested_no, loc, scope, type_scope)

    def field_no_label(self, fld: F, nested, parent_path: tuple[int, ...], nested_no: int, loc: list,
                       scope: tuple[str, ...], type_scope: tuple[str, ...]) -> None:
        path = loc[0]
        tloc = self._loc(path)
        type_tok = self.i
        is_map = False
        typ = None
        key = value = None
        if self.at("map") and self.text[self.i + 1] == "<":
            is_map = True
            if fld.HasField("oneof_index"):
                raise self.error("map fields are not allowed in oneofs")
            if fld.HasField("label"):
                raise self.error("field labels (required/optional/repeated) are not allowed on map fields")
            if fld.HasField("extendee"):
                raise self.error("map fields are not allowed to be extensions")
            fld.label = F.LABEL_REPEATED
            self.i += 2
            key = self.parse_type()
            self.consume(",", " between map key and value types")
            value = self.parse_type()
            self.consume(">", " to close the map type")
            tloc[0] = path + (6,)
        else:
            if not fld.HasField("label"):
                if self.syntax == "proto2":
                    raise self.error(f"expected 'required', 'optional' or 'repeated', found {self.found()}")
                fld.label = F.LABEL_OPTIONAL
            typ, name, _ = self.parse_type()
            if typ is not None:
                if typ == F.TYPE_GROUP and self.syntax != "proto2":
                    raise self.error("groups are not allowed in proto3 or editions; use a message field", type_tok)
                tloc[0] = path + (5,)
                fld.type = typ
            else:
                tloc[0] = path + (6,)
                fld.type_name = name
                self.refs.append(TypeRef(fld, "type_name", type_scope, self.tk.line[type_tok] + 1,
                                         self.tk.col[type_tok] + 1))
        self._end(tloc)
        name_tok = self.i
        nloc = self._loc(path + (1,))
        fld.name = self.ident("a field name")
        self._end(nloc)
        if not self.try_consume("="):
            raise self.error(f"expected '=' after field name '{fld.name}', found {self.found()}")
        num_loc = self._loc(path + (3,))
        fld.number = self.integer("a field number")
        self._end(num_loc)
        if self.at("["):
            self.field_options(fld, loc, scope)
        if typ == F.TYPE_GROUP:
            gloc = self._loc(parent_path)
            gloc[1][0], gloc[1][1] = loc[1][0], loc[1][1]
            gloc[0] = parent_path + (nested_no, len(nested))
            group = nested.add(name=fld.name)
            sub = self._loc(gloc[0] + (1,))
            self._start_at(sub, name_tok)
            self._end(sub, name_tok)
            sub = self._loc(path + (6,))
            self._start_at(sub, name_tok)
            self._end(sub, name_tok)
            if not ("A" <= group.name[0] <= "Z"):
                raise self.error("group names must start with a capital letter", name_tok)
            fld.name = fld.name.lower()
            fld.type_name = group.name
            self.refs.append(TypeRef(fld, "type_name", type_scope, self.tk.line[name_tok] + 1,
                                     self.tk.col[name_tok] + 1))
            if not self.at("{"):
                raise self.error(f"expected '{{' to open the group body, found {self.found()}")
            self.message_block(group, gloc, scope + (group.name,) if fld.HasField("extendee") else
                               type_scope + (group.name,))
            self._end(gloc)
        else:
            if not self.try_end_decl(";", loc):
                raise self.error("expected ';' after field " + ("options" if self.text[self.i - 1] == "]"
                                                                else "number") + f", found {self.found()}")
        if is_map:
            self.map_entry(fld, nested, key, value, type_scope)

    def parse_type(self) -> tuple[int | None, str, int]:
        tok = self.i
        typ = TYPES.get(self.text[self.i]) if self.kind[self.i] == IDENT else None
        if typ is not None:
            self.i += 1
            return typ, "", tok
        return None, self.type_name(), tok

    def type_name(self) -> str:
        if self.kind[self.i] == IDENT and self.text[self.i] in TYPES:
            raise self.error("expected a message type, found a scalar type")
        parts = []
        if self.try_consume("."):
            parts.append("")
        parts.append(self.ident("a type name"))
        while self.try_consume("."):
            parts.append(self.ident("an identifier after '.'"))
        return ".".join(parts)

    def map_entry(self, fld: F, nested, key, value, type_scope) -> None:
        name = "".join(p[:1].upper() + p[1:] for p in fld.name.split("_")) + "Entry"
        if fld.name.endswith("_"):
            pass
        entry = nested.add(name=name)
        fld.type_name = name
        self.refs.append(TypeRef(fld, "type_name", type_scope, 0, 0))
        entry.options.map_entry = True
        for number, fname, (typ, tname, tok) in ((1, "key", key), (2, "value", value)):
            sub = entry.field.add(name=fname, number=number, label=F.LABEL_OPTIONAL)
            if typ is not None:
                sub.type = typ
            else:
                sub.type_name = tname
                self.refs.append(TypeRef(sub, "type_name", type_scope, self.tk.line[tok] + 1,
                                         self.tk.col[tok] + 1))

    def field_options(self, fld: F, loc: list, scope: tuple[str, ...]) -> None:
        oloc = self._loc(loc[0] + (8,))
        self.consume("[")
        while True:
            if self.at("default") and self.text[self.i + 1] == "=":
                self.default(fld, loc)
            elif self.at("json_name") and self.text[self.i + 1] == "=":
                if fld.HasField("json_name"):
                    raise self.error("option 'json_name' is already set")
                jloc = self._loc(loc[0] + (10,))
                self.i += 2
                vloc = self._loc(loc[0] + (10,))
                fld.json_name = self.text_string("a string for the JSON name")
                self._end(vloc)
                self._end(jloc)
            else:
                self.option(fld, "FieldOptions", oloc, scope + (fld.name,), statement=False)
            if not self.try_consume(","):
                break
        self.consume("]", " to close the field options")
        self._end(oloc)

    def default(self, fld: F, loc: list) -> None:
        if fld.HasField("default_value"):
            raise self.error("option 'default' is already set")
        self.i += 2
        dloc = self._loc(loc[0] + (7,))
        tok = self.i
        if not fld.HasField("type"):
            fld.default_value = self.text[self.i]
            self.i += 1
        else:
            typ = fld.type
            if typ in SIGNED:
                neg = self.try_consume("-")
                value = self.integer("an integer default value", SIGNED[typ] + neg)
                fld.default_value = ("-" if neg else "") + str(value)
            elif typ in UNSIGNED:
                if self.at("-"):
                    raise self.error("unsigned field can't have a negative default value")
                fld.default_value = str(self.integer("an integer default value", UNSIGNED[typ]))
            elif typ in (F.TYPE_FLOAT, F.TYPE_DOUBLE):
                neg = self.try_consume("-")
                kind, text = self.kind[self.i], self.text[self.i]
                if kind == FLOAT:
                    value = float(text)
                elif kind == INT:
                    value = float(parse_int(text))
                elif text in ("inf", "nan") and kind == IDENT:
                    value = float(text)
                else:
                    raise self.error(f"expected a number default value, found {self.found()}")
                self.i += 1
                fld.default_value = simple_dtoa(-value if neg else value)
            elif typ == F.TYPE_BOOL:
                if self.text[self.i] not in ("true", "false") or self.kind[self.i] != IDENT:
                    raise self.error(f"expected 'true' or 'false', found {self.found()}")
                fld.default_value = self.text[self.i]
                self.i += 1
            elif typ == F.TYPE_STRING:
                fld.default_value = self.text_string("a string default value")
            elif typ == F.TYPE_BYTES:
                fld.default_value = c_escape(self.string("a string default value"))
            else:
                raise self.error("messages can't have default values", tok)
        self._end(dloc)

    # -- options -------------------------------------------------------------------------
    def _pending(self, owner: object, options_type: str, path: tuple[int, ...],
                 scope: tuple[str, ...]) -> PendingOptions:
        for p in reversed(self.options):
            if p.owner is owner and p.path == path:
                return p
        p = PendingOptions(owner, options_type, path, scope)
        self.options.append(p)
        return p

    def option(self, owner: object, options_type: str, oloc: list, scope: tuple[str, ...],
               statement: bool) -> None:
        pending = self._pending(owner, options_type, oloc[0], scope[:-1])
        loc = self._loc(oloc[0] + (999, len(pending.items)))
        if statement:
            self.consume("option")
        start = self.i
        name_loc = self._loc(loc[0] + (2,))
        parts = []
        while True:
            part_loc = self._loc(name_loc[0] + (len(parts),))
            if self.try_consume("("):
                inner = self._loc(part_loc[0] + (1,))
                pieces = []
                if self.kind[self.i] == IDENT:
                    pieces.append(self.ident("an identifier"))
                while self.try_consume("."):
                    pieces.append("." + self.ident("an identifier after '.'"))
                self._end(inner)
                self.consume(")", " to close the extension name")
                parts.append(("".join(pieces), True))
            else:
                inner = self._loc(part_loc[0] + (1,))
                parts.append((self.ident("an option name"), False))
                self._end(inner)
            self._end(part_loc)
            if not self.try_consume("."):
                break
        self._end(name_loc)
        self.consume("=", " after the option name")
        vloc = self._loc(loc[0])
        neg = self.try_consume("-")
        kind = self.kind[self.i]
        text = self.text[self.i]
        if kind == END:
            raise self.error("unexpected end of file while parsing option value")
        if kind == IDENT:
            if neg:
                if text not in ("inf", "nan"):
                    raise self.error("identifier after '-' must be inf or nan")
                value = float("nan") if text == "nan" else -float(text)
                item = PendingOption(parts, "double", value, self.tk.line[start], self.tk.col[start])
            else:
                item = PendingOption(parts, "ident", text, self.tk.line[start], self.tk.col[start])
            self.i += 1
        elif kind == INT:
            value = self.integer("an integer", 2**63 if neg else 2**64 - 1)
            item = PendingOption(parts, "neg" if neg else "pos", -value if neg else value,
                                 self.tk.line[start], self.tk.col[start])
        elif kind == FLOAT:
            value = float(text)
            self.i += 1
            item = PendingOption(parts, "double", -value if neg else value, self.tk.line[start], self.tk.col[start])
        elif kind == STRING:
            if neg:
                raise self.error("invalid '-' before a string")
            item = PendingOption(parts, "string", self.string("a string"), self.tk.line[start], self.tk.col[start])
        elif text == "{":
            item = PendingOption(parts, "aggregate", self.aggregate(), self.tk.line[start], self.tk.col[start])
        else:
            raise self.error(f"expected an option value, found {self.found()}")
        self._end(vloc)
        item.vline, item.vcol = vloc[1][0], vloc[1][1]
        pending.items.append(item)
        if statement:
            self.end_decl(";", loc, " after the option")
        self._end(loc)

    def aggregate(self) -> str:
        self.consume("{")
        depth = 1
        out = []
        while self.kind[self.i] != END:
            text = self.text[self.i]
            if text == "{" and self.kind[self.i] != STRING:
                depth += 1
            elif text == "}" and self.kind[self.i] != STRING:
                depth -= 1
                if depth == 0:
                    self.i += 1
                    return " ".join(out)
            if out and out[-1] == "-" and self.kind[self.i - 1] != STRING:
                out[-1] = "-" + text
            else:
                out.append(text)
            self.i += 1
        raise self.error("unexpected end of file while parsing aggregate value")

    # -- ranges --------------------------------------------------------------------------
    def extensions(self, msg: d.DescriptorProto, loc: list, scope: tuple[str, ...]) -> None:
        self.consume("extensions")
        old = len(msg.extension_range)
        while True:
            rloc = self._loc(loc[0] + (len(msg.extension_range),))
            rng = msg.extension_range.add()
            sloc = self._loc(rloc[0] + (1,))
            start_tok = self.i
            start = self.integer("a field number range")
            self._end(sloc)
            if self.try_consume("to"):
                eloc = self._loc(rloc[0] + (2,))
                end = -2 if self.try_consume("max") else self.integer("an integer")
                self._end(eloc)
            else:
                eloc = self._loc(rloc[0] + (2,))
                self._start_at(eloc, start_tok)
                self._end(eloc, start_tok)
                end = start
            self._end(rloc)
            rng.start = start
            rng.end = end + 1
            if not self.try_consume(","):
                break
        if self.at("["):
            saved = self.locs
            self.locs = info = []
            index = len(loc[0])
            iloc = self._loc(loc[0] + (0,))
            oloc = self._loc(iloc[0] + (3,))
            first = msg.extension_range[old]
            self.consume("[")
            while True:
                self.option(first, "ExtensionRangeOptions", oloc, scope + ("dummy",), statement=False)
                if not self.try_consume(","):
                    break
            self.consume("]", " to close the extension range options")
            self._end(oloc)
            self._end(iloc)
            self.locs = saved
            pend = self.options[-1]
            pend.path = pend.path[:index] + (old,) + pend.path[index + 1:]
            for i in range(old + 1, len(msg.extension_range)):
                other = msg.extension_range[i]
                other.options.SetInParent()
                self.options.append(PendingOptions(other, pend.options_type,
                                                   pend.path[:index] + (i,) + pend.path[index + 1:],
                                                   pend.scope, list(pend.items)))
            first.options.SetInParent()
            for i in range(old, len(msg.extension_range)):
                for item in info:
                    if len(item[0]) == index + 1:
                        continue
                    path = item[0][:index] + (i,) + item[0][index + 1:]
                    self.locs.append([path, list(item[1]), item[2], item[3], item[4]])
        self.end_decl(";", loc, " after the extension range")

    def reserved(self, msg, path: tuple[int, ...], range_no: int, name_no: int, message: bool) -> None:
        start_tok = self.i
        self.consume("reserved")
        if self.kind[self.i] in (STRING, IDENT):
            loc = self._loc(path + (name_no,))
            self._start_at(loc, start_tok)
            while True:
                sub = self._loc(loc[0] + (len(msg.reserved_name),))
                if self.kind[self.i] == IDENT:
                    if self.syntax != "editions":
                        raise self.error("reserved names must be string literals before editions "
                                         f"(write \"{self.text[self.i]}\")")
                    msg.reserved_name.append(self.text[self.i])
                    self.i += 1
                else:
                    if self.syntax == "editions":
                        raise self.error("reserved names must be identifiers in editions, not strings")
                    msg.reserved_name.append(self.text_string("a field name"))
                self._end(sub)
                if not self.try_consume(","):
                    break
        else:
            loc = self._loc(path + (range_no,))
            self._start_at(loc, start_tok)
            first = True
            while True:
                rloc = self._loc(loc[0] + (len(msg.reserved_range),))
                rng = msg.reserved_range.add()
                sloc = self._loc(rloc[0] + (1,))
                tok = self.i
                what = ("a field name or number range" if first else "a field number range") if message \
                    else ("an enum value or number range" if first else "an enum number range")
                start = self.integer(what) if message else self.signed(what)
                self._end(sloc)
                if self.try_consume("to"):
                    eloc = self._loc(rloc[0] + (2,))
                    if self.try_consume("max"):
                        end = -2 if message else INT32_MAX
                    else:
                        end = self.integer("an integer") if message else self.signed("an integer")
                else:
                    eloc = self._loc(rloc[0] + (2,))
                    self._start_at(eloc, tok)
                    self._end(eloc, tok)
                    end = start
                self._end(eloc)
                self._end(rloc)
                rng.start = start
                rng.end = end + 1 if message else end
                first = False
                if not self.try_consume(","):
                    break
        self.end_decl(";", loc, " after the reserved statement")
        self._end(loc)

    # -- extend / oneof ------------------------------------------------------------------
    def extend(self, extensions, nested, parent_path: tuple[int, ...], nested_no: int, loc: list,
               scope: tuple[str, ...]) -> None:
        self.consume("extend")
        first_tok = self.i
        extendee = self.type_name()
        last_tok = self.i - 1
        self.end_decl("{", loc, " to open the extend block")
        while True:
            if self.kind[self.i] == END:
                raise self.error("reached end of file in extend definition (missing '}')")
            floc = self._loc(loc[0] + (len(extensions),))
            fld = extensions.add()
            eloc = self._loc(floc[0] + (2,))
            self._start_at(eloc, first_tok)
            self._end(eloc, last_tok)
            fld.extendee = extendee
            self.refs.append(TypeRef(fld, "extendee", scope, self.tk.line[first_tok] + 1,
                                     self.tk.col[first_tok] + 1))
            self.field(fld, nested, parent_path, nested_no, floc, scope, scope)
            self._end(floc)
            if self.try_end_decl("}", None):
                break

    def oneof(self, oneof: d.OneofDescriptorProto, msg: d.DescriptorProto, index: int, loc: list,
              msg_loc: list, scope: tuple[str, ...]) -> None:
        self.consume("oneof")
        nloc = self._loc(loc[0] + (1,))
        oneof.name = self.ident("a oneof name")
        self._end(nloc)
        self.end_decl("{", loc, " to open the oneof body")
        while True:
            if self.kind[self.i] == END:
                raise self.error("reached end of file in oneof definition (missing '}')")
            if self.at("option"):
                oloc = self._loc(loc[0] + (2,))
                self.option(oneof, "OneofOptions", oloc, scope + (oneof.name,), statement=True)
                self._end(oloc)
            elif self.try_end_decl(";", None):
                pass
            else:
                if self.text[self.i] in ("required", "optional", "repeated"):
                    raise self.error("fields in oneofs must not have labels (required / optional / repeated)")
                floc = self._loc(msg_loc[0] + (2, len(msg.field)))
                fld = msg.field.add(label=F.LABEL_OPTIONAL, oneof_index=index)
                self.field_no_label(fld, msg.nested_type, msg_loc[0], 3, floc, scope, scope)
                self._end(floc)
            if self.try_end_decl("}", None):
                break

    # -- enums ---------------------------------------------------------------------------
    def enum(self, en: d.EnumDescriptorProto, loc: list, scope: tuple[str, ...]) -> None:
        self.consume("enum")
        nloc = self._loc(loc[0] + (1,))
        en.name = self.ident("an enum name")
        self._end(nloc)
        self.end_decl("{", loc, " to open the enum body")
        inner = scope + (en.name,)
        while not self.try_end_decl("}", None):
            if self.kind[self.i] == END:
                raise self.error("reached end of file in enum definition (missing '}')")
            if self.try_end_decl(";", None):
                continue
            if self.at("option"):
                oloc = self._loc(loc[0] + (3,))
                self.option(en, "EnumOptions", oloc, inner, statement=True)
                self._end(oloc)
            elif self.at("reserved"):
                self.reserved(en, loc[0], 4, 5, message=False)
            else:
                vloc = self._loc(loc[0] + (2, len(en.value)))
                self.enum_value(en.value.add(), vloc, scope)
                self._end(vloc)

    def enum_value(self, value: d.EnumValueDescriptorProto, loc: list, scope: tuple[str, ...]) -> None:
        nloc = self._loc(loc[0] + (1,))
        value.name = self.ident("an enum constant name")
        self._end(nloc)
        if not self.try_consume("="):
            raise self.error(f"expected '=' after enum constant name '{value.name}', found {self.found()}")
        num = self._loc(loc[0] + (2,))
        value.number = self.signed("an integer")
        self._end(num)
        if self.at("["):
            oloc = self._loc(loc[0] + (3,))
            self.consume("[")
            while True:
                self.option(value, "EnumValueOptions", oloc, scope + (value.name,), statement=False)
                if not self.try_consume(","):
                    break
            self.consume("]", " to close the enum value options")
            self._end(oloc)
        self.end_decl(";", loc, " after the enum value")

    # -- services ------------------------------------------------------------------------
    def service(self, svc: d.ServiceDescriptorProto, loc: list) -> None:
        self.consume("service")
        nloc = self._loc(loc[0] + (1,))
        svc.name = self.ident("a service name")
        self._end(nloc)
        scope = self.package + (svc.name,)
        self.end_decl("{", loc, " to open the service body")
        while not self.try_end_decl("}", None):
            if self.kind[self.i] == END:
                raise self.error("reached end of file in service definition (missing '}')")
            if self.try_end_decl(";", None):
                continue
            if self.at("option"):
                oloc = self._loc(loc[0] + (3,))
                self.option(svc, "ServiceOptions", oloc, scope, statement=True)
                self._end(oloc)
            else:
                mloc = self._loc(loc[0] + (2, len(svc.method)))
                self.method(svc.method.add(), mloc, scope)
                self._end(mloc)

    def method(self, method: d.MethodDescriptorProto, loc: list, scope: tuple[str, ...]) -> None:
        path = loc[0]
        self.consume("rpc", " to start a method")
        nloc = self._loc(path + (1,))
        method.name = self.ident("a method name")
        self._end(nloc)
        for attr, stream_no, type_no in (("input_type", 5, 2), ("output_type", 6, 3)):
            if attr == "output_type":
                self.consume("returns", " after the method input")
            self.consume("(")
            if self.at("stream"):
                sloc = self._loc(path + (stream_no,))
                self.i += 1
                self._end(sloc)
                setattr(method, "client_streaming" if stream_no == 5 else "server_streaming", True)
            tloc = self._loc(path + (type_no,))
            tok = self.i
            setattr(method, attr, self.type_name())
            self.refs.append(TypeRef(method, attr, scope, self.tk.line[tok] + 1, self.tk.col[tok] + 1))
            self._end(tloc)
            self.consume(")")
        if self.at("{"):
            method.options.SetInParent()
            self.end_decl("{", loc)
            while not self.try_end_decl("}", None):
                if self.kind[self.i] == END:
                    raise self.error("reached end of file in method options (missing '}')")
                if self.try_end_decl(";", None):
                    continue
                oloc = self._loc(path + (4,))
                self.option(method, "MethodOptions", oloc, scope + (method.name,), statement=True)
                self._end(oloc)
        else:
            self.end_decl(";", loc, " after the method")


def parse(tokens: Tokens, path: str, name: str) -> ParsedFile:
    """Parse one tokenized file.

    Args:
        tokens: Output of :func:`.lexer.tokenize`.
        path: Repository path (for errors).
        name: Import name (``FileDescriptorProto.name``).

    Raises:
        ParseError: On the first syntax error.
    """
    return _Parser(tokens, path, name).parse()
