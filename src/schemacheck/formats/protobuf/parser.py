"""Recursive-descent ``.proto`` parser: tokens -> unlinked ``FileDescriptorProto`` + locations.

Maintainers: the structure mirrors protoc's ``compiler/parser.cc`` on purpose, because the
order in which ``SourceCodeInfo`` locations are *created* (a location is appended when a
``LocationRecorder`` starts and closed when it ends) is part of the output we must match.
``self._loc(path)`` is a recorder start, ``self._end(loc)`` its end. Type names are left as
written; options are kept as :class:`PendingOption` lists for :mod:`.options` to interpret
after linking. The first syntax error raises :class:`ParseError`. Statement parsers live in
the ``parse_*.py`` mixins; this module has the file level and the entry point.
"""

from __future__ import annotations

from google.protobuf import descriptor_pb2 as d

from . import native
from .comments import next_with_comments
from .lexer import END, IDENT, MAX_LINES, MAX_TOKENS, STRING, Tokens, tokenize
from .parse_base import EDITIONS, ParsedFile, PendingOption, PendingOptions, TypeRef
from .parse_fields import FieldsMixin
from .parse_messages import MessagesMixin
from .parse_options import OptionsMixin
from .parse_services import EnumsServicesMixin

__all__ = ["ParsedFile", "PendingOption", "PendingOptions", "TypeRef", "parse", "parse_data", "NATIVE_DECLINED"]


class _Parser(FieldsMixin, OptionsMixin, MessagesMixin, EnumsServicesMixin):
    """File-level statements: syntax/edition, package, imports, top-level definitions."""

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
        return ParsedFile(self.path, fd, self.syntax, self.locs, self.options, self.refs,
                          self.import_pos + self.option_import_pos)

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
        name = self.text_string("a string naming the file to import")
        pos = (self.tk.line[start] + 1, self.tk.col[start] + 1)
        if option:
            fd.option_dependency.append(name)
            self.option_import_pos.append(pos)
        else:
            fd.dependency.append(name)
            self.import_pos.append(pos)
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


#: ``native.FALLBACKS`` keys of files the Rust parser handed back, by its answer code.
NATIVE_DECLINED = {0: "parse (input error)", 1: "parse (input error)", 2: "parse (unsupported)"}


def parse_data(data: bytes, path: str, name: str) -> ParsedFile:
    """Tokenize and parse ``data`` (already accepted by :func:`.lexer.check_text`).

    With the native extension the whole file is lexed and parsed in Rust in one call
    (:func:`from_native`); where the Rust parser would raise (an input error: the message
    comes from here) or meets a construct it does not handle, the Python parser runs and
    the file is counted in ``native.FALLBACKS``.
    """
    mod = native.module()
    if mod is not None:
        out = mod.parse(data, name, MAX_TOKENS, MAX_LINES)
        if type(out) is tuple:
            return from_native(path, out)
        native.FALLBACKS[NATIVE_DECLINED[out]] += 1
    return parse(tokenize(data, path), path, name)


def from_native(path: str, packed: tuple) -> ParsedFile:
    """The :class:`ParsedFile` of the Rust parser's compact answer.

    Options and type references come with the source path of the element they belong to;
    the elements are found again in the descriptor read back from the bytes (each path
    prefix once).
    """
    fd_bytes, syntax, locs, options, refs, import_pos = packed
    fd = d.FileDescriptorProto.FromString(fd_bytes)
    found: dict[tuple[int, ...], object] = {(): fd}

    def at(p: tuple[int, ...]) -> object:
        obj = found.get(p)
        if obj is None:
            parent = at(p[:-2])
            obj = getattr(parent, _FIELD_NAMES[type(parent).__name__][p[-2]])[p[-1]]
            found[p] = obj
        return obj

    pending = [PendingOptions(at(opath[:-1]), options_type, opath, scope, [PendingOption(*item) for item in items])
               for options_type, opath, scope, items in options]
    type_refs = [TypeRef(at(rpath), attr, scope, line, col, rpath) for attr, scope, line, col, rpath in refs]
    return ParsedFile(path, fd, syntax, locs, pending, type_refs, import_pos)


_FIELD_NAMES = {
    message.name: {f.number: f.name for f in message.fields}
    for message in (d.FileDescriptorProto.DESCRIPTOR, d.DescriptorProto.DESCRIPTOR,
                    d.DescriptorProto.ExtensionRange.DESCRIPTOR, d.EnumDescriptorProto.DESCRIPTOR,
                    d.ServiceDescriptorProto.DESCRIPTOR)
}
