"""Linker: register a parsed file's definitions, then resolve its type references.

Maintainers: files are linked in import order, so every dependency's symbols are already in
the shared :class:`SymbolTable`. Resolution sets fully-qualified ``.pkg.Type`` names and
``TYPE_MESSAGE``/``TYPE_ENUM``, fills ``json_name`` and normalises default values the way
protoc's ``FieldDescriptor::CopyTo`` prints them. Errors raise :class:`LinkError` at the
type token.
"""

from __future__ import annotations

import functools

from google.protobuf import descriptor_pb2 as d

from ...errors import LinkError
from .parser import ParsedFile
from .strings import simple_dtoa, simple_ftoa
from .symbols import (ENUM, EXTENSION, FIELD, MESSAGE, METHOD, ONEOF, PACKAGE, SERVICE, VALUE, Symbol,
                      SymbolTable)

__all__ = ["register", "resolve", "json_name", "file_visibility", "placeholder_name"]

F = d.FieldDescriptorProto
_VIS = d.FeatureSet.VisibilityFeature
_SCALARS = ("double", "float", "int64", "uint64", "int32", "fixed64", "fixed32", "bool", "string", "bytes",
            "uint32", "sfixed32", "sfixed64", "sint32", "sint64")
_INTEGERS = frozenset((F.TYPE_INT32, F.TYPE_INT64, F.TYPE_UINT32, F.TYPE_UINT64, F.TYPE_SINT32, F.TYPE_SINT64,
                       F.TYPE_FIXED32, F.TYPE_FIXED64, F.TYPE_SFIXED32, F.TYPE_SFIXED64))


@functools.lru_cache(maxsize=1 << 16)
def json_name(name: str) -> str:
    """protoc's ToJsonName: drop underscores, upper-case the letter after each.

    Memoised: field names repeat across a tree (``id``, ``name``, ``create_time``), and every
    field of every compiled file comes here (170,000 calls when 2,000 files changed)."""
    if "_" not in name:
        return name
    out = []
    upper = False
    for ch in name:
        if ch == "_":
            upper = True
        elif upper:
            out.append(ch.upper())
            upper = False
        else:
            out.append(ch)
    return "".join(out)


def _fields_json(fields) -> None:
    for fld in fields:
        if not fld.HasField("json_name"):
            fld.json_name = json_name(fld.name)


def _first_line(pf: ParsedFile, path: tuple[int, ...]) -> tuple[int, int]:
    for loc in pf.locs:
        if loc[0] == path:
            return loc[1][0] + 1, loc[1][1] + 1
    return 0, 0


def register(pf: ParsedFile, table: SymbolTable) -> None:
    """Add every definition of ``pf`` to ``table``.

    Raises:
        LinkError: A name is defined twice.
    """
    fd = pf.fd
    name = fd.name
    table.files[name] = fd
    table.visibility[name] = file_visibility(pf)
    symbols = table.symbols

    def add(kind: str, full: str, proto: object, path: tuple[int, ...]) -> None:
        old = table.add(Symbol(kind, name, proto, full))
        if old is not None:
            line, col = _first_line(pf, path + (1,)) if path else (0, 0)
            where = "" if old.file == name else f" in \"{old.file}\""
            raise LinkError(pf.path, line, col, f"\"{full}\" is already defined{where}")

    if fd.package:
        parts = fd.package.split(".")
        for i in range(1, len(parts) + 1):
            add(PACKAGE, ".".join(parts[:i]), None, ())
    prefix = fd.package + "." if fd.package else ""

    def enum(en: d.EnumDescriptorProto, scope: str, path: tuple[int, ...]) -> None:
        add(ENUM, scope + en.name, en, path)
        for i, value in enumerate(en.value):
            full = scope + value.name
            if full in symbols:
                add(VALUE, full, value, path + (2, i))
            symbols[full] = Symbol(VALUE, name, value, full)

    def message(msg: d.DescriptorProto, scope: str, path: tuple[int, ...]) -> None:
        full = scope + msg.name
        add(MESSAGE, full, msg, path)
        inner = full + "."
        for i, fld in enumerate(msg.field):
            field_full = inner + fld.name
            if field_full in symbols:  # the slow path reports the clash
                add(FIELD, field_full, fld, path + (2, i))
            symbols[field_full] = Symbol(FIELD, name, fld, field_full)
        for i, ext in enumerate(msg.extension):
            add(EXTENSION, inner + ext.name, ext, path + (6, i))
        for i, oneof in enumerate(msg.oneof_decl):
            add(ONEOF, inner + oneof.name, oneof, path + (8, i))
        for i, nested in enumerate(msg.nested_type):
            message(nested, inner, path + (3, i))
        for i, en in enumerate(msg.enum_type):
            enum(en, inner, path + (4, i))

    for i, msg in enumerate(fd.message_type):
        message(msg, prefix, (4, i))
    for i, en in enumerate(fd.enum_type):
        enum(en, prefix, (5, i))
    for i, ext in enumerate(fd.extension):
        add(EXTENSION, prefix + ext.name, ext, (7, i))
    for i, svc in enumerate(fd.service):
        full = prefix + svc.name
        add(SERVICE, full, svc, (6, i))
        for j, method in enumerate(svc.method):
            add(METHOD, full + "." + method.name, method, (6, i, 2, j))


def file_visibility(pf: ParsedFile) -> int:
    """The file's ``option features.default_symbol_visibility`` (0: not set), read from the
    options as written and remembered on ``pf``: protoc strips this source-retention option
    from the descriptor, so it cannot be read back from a linked file."""
    if pf.visibility < 0:
        pf.visibility = 0
        for pending in pf.options:
            if pending.options_type != "FileOptions":
                continue
            for item in pending.items:
                if item.name == [("features", False), ("default_symbol_visibility", False)] and item.kind == "ident" \
                        and item.value in _VIS.DefaultSymbolVisibility.keys():
                    pf.visibility = _VIS.DefaultSymbolVisibility.Value(item.value)
    return pf.visibility


def _not_found(pf: ParsedFile, ref_name: str, line: int, col: int, hidden: list[Symbol],
               table: SymbolTable, visible: frozenset[str]) -> LinkError:
    tip = None
    for sym in hidden:
        if sym.kind != PACKAGE and sym.file != pf.fd.name:
            tip = f"\"{sym.full}\" is defined in \"{sym.file}\", which is not imported; add the import"
            break
    if tip is None:
        tip = _suggest(ref_name, table, visible)
    return LinkError(pf.path, line, col, f"unknown type \"{ref_name}\"", tip)


def _suggest(name: str, table: SymbolTable, visible: frozenset[str]) -> str | None:
    """A "did you mean" for a misspelt type: a scalar or a visible message/enum name."""
    import difflib

    candidates = set(_SCALARS)
    for sym in table.symbols.values():
        if sym.kind in (MESSAGE, ENUM) and sym.file in visible:
            candidates.add(sym.full)
            candidates.add(sym.full.rsplit(".", 1)[-1])
    match = difflib.get_close_matches(name.lstrip("."), sorted(candidates), n=1, cutoff=0.75)
    return f"did you mean \"{match[0]}\"?" if match else None


def _local_reason(sym: Symbol, table: SymbolTable) -> str | None:
    """Why an edition 2024+ type may not be used outside its file (None: it may)."""
    fd = table.files.get(sym.file)
    if fd is None or fd.edition < d.EDITION_2024 or sym.kind not in (MESSAGE, ENUM):
        return None
    if sym.proto.visibility == d.VISIBILITY_LOCAL:
        return "it is marked 'local'"
    if sym.proto.visibility == d.VISIBILITY_EXPORT:
        return None
    default = table.visibility.get(sym.file, 0) or fd.options.features.default_symbol_visibility
    if default == _VIS.EXPORT_ALL:
        return None
    rel = sym.full[len(fd.package) + 1:] if fd.package else sym.full
    if default in (0, _VIS.EXPORT_TOP_LEVEL) and "." not in rel:
        return None
    return "nested types default to local in edition 2024; mark it 'export'" if "." in rel \
        else "the file defaults to local visibility; mark it 'export'"


def placeholder_name(written: str, scope: tuple[str, ...], table: SymbolTable, visible: frozenset[str]) -> str:
    """The name a reference to an undefined type links to when an import is missing.

    protoc's rule binds a compound name to the innermost scope where its *first* component
    exists; if that component exists somewhere (``google`` in ``google.type.Date`` when any
    ``google.*`` package is visible), the full name is unambiguous and gets a leading dot.
    Otherwise it could live in any enclosing scope, so it stays as written, without a dot
    (protoc's "unqualified placeholder")."""
    if written.startswith("."):
        return written
    first = written.partition(".")[0]
    for k in range(len(scope), 0, -1):
        prefix = ".".join(scope[:k])
        if table.find(prefix + "." + first, visible, []) is not None:
            return "." + prefix + "." + written
    if "." in written and table.find(first, visible, []) is not None:
        return "." + written
    return written


def resolve(pf: ParsedFile, table: SymbolTable, visible: frozenset[str], placeholders: bool = False) -> None:
    """Resolve type names, fill json_name and normalise defaults of ``pf`` in place.

    Args:
        pf: The parsed file; its imports' definitions are in ``table``.
        table: Symbols of the compile.
        visible: Files whose definitions ``pf`` may use.
        placeholders: An import of ``pf`` is missing: a type name that does not resolve is
            linked to a placeholder (:func:`placeholder_name`; a message, or an enum when the
            field has a default value, as protoc's ``AllowUnknownDependencies``) instead of
            being an error.

    Raises:
        LinkError: Unknown type, a non-type used as a type, or a bad default value.
    """
    for ref in pf.refs:
        written = getattr(ref.proto, ref.attr)
        hidden: list[Symbol] = []
        sym = table.lookup(written, ref.scope, visible, True, hidden)
        if sym is None and placeholders:
            if ref.attr == "type_name" and not ref.proto.HasField("type"):
                ref.proto.type = F.TYPE_ENUM if ref.proto.HasField("default_value") else F.TYPE_MESSAGE
            setattr(ref.proto, ref.attr, placeholder_name(written, ref.scope, table, visible))
            continue
        if sym is None:
            raise _not_found(pf, written, ref.line, ref.col, hidden, table, visible)
        if ref.attr == "type_name":
            fld = ref.proto
            if sym.kind == MESSAGE:
                if not fld.HasField("type"):
                    fld.type = F.TYPE_MESSAGE
            elif sym.kind == ENUM:
                if fld.HasField("type") and fld.type == F.TYPE_GROUP:
                    raise LinkError(pf.path, ref.line, ref.col, f"\"{written}\" is not a message type")
                fld.type = F.TYPE_ENUM
            else:
                raise LinkError(pf.path, ref.line, ref.col, f"\"{written}\" is not a type")
        elif sym.kind != MESSAGE:
            raise LinkError(pf.path, ref.line, ref.col, f"\"{written}\" is not a message type")
        if sym.file != pf.fd.name:
            why = _local_reason(sym, table)
            if why:
                raise LinkError(pf.path, ref.line, ref.col, f"\"{sym.full}\", defined in \"{sym.file}\", is not "
                                                            f"visible from here: {why}")
        setattr(ref.proto, ref.attr, "." + sym.full)
    fd = pf.fd
    _fields_json(fd.extension)
    _defaults(pf, fd.extension, (7,), table)
    _extendees(pf, fd.extension, (7,), table)
    stack = [(msg, (4, i)) for i, msg in enumerate(fd.message_type)]
    while stack:
        msg, path = stack.pop()
        _fields_json(msg.field)
        _fields_json(msg.extension)
        _defaults(pf, msg.field, path + (2,), table)
        _defaults(pf, msg.extension, path + (6,), table)
        _extendees(pf, msg.extension, path + (6,), table)
        stack.extend((nested, path + (3, i)) for i, nested in enumerate(msg.nested_type))


def _position(pf: ParsedFile, path: tuple[int, ...]) -> tuple[int, int]:
    for loc in pf.locs:
        if loc[0] == path:
            return loc[1][0] + 1, loc[1][1] + 1
    return 0, 0


def _extendees(pf: ParsedFile, extensions, path: tuple[int, ...], table: SymbolTable) -> None:
    for i, ext in enumerate(extensions):
        if pf.syntax == "proto3" and not (ext.extendee.startswith(".google.protobuf.")
                                          and ext.extendee.endswith("Options")):
            raise LinkError(pf.path, *_position(pf, path + (i, 2)),
                            "extensions in proto3 are only allowed for defining options")
        sym = table.symbols.get(ext.extendee[1:])
        if sym is None or sym.kind != MESSAGE:
            continue
        if not any(r.start <= ext.number < r.end for r in sym.proto.extension_range):
            line, col = _position(pf, path + (i, 3))
            raise LinkError(pf.path, line, col, f"\"{sym.full}\" does not declare {ext.number} as an extension "
                                                f"number (extension \"{ext.name}\")")


def _defaults(pf: ParsedFile, fields, path: tuple[int, ...], table: SymbolTable) -> None:
    for i, fld in enumerate(fields):
        if not fld.HasField("default_value"):
            continue
        typ = fld.type
        if typ in _INTEGERS:
            fld.default_value = str(int(fld.default_value))
        elif typ == F.TYPE_FLOAT:
            fld.default_value = simple_ftoa(float(fld.default_value))
        elif typ == F.TYPE_DOUBLE:
            fld.default_value = simple_dtoa(float(fld.default_value))
        elif typ == F.TYPE_ENUM:
            sym = table.symbols.get(fld.type_name[1:])
            if sym is None:  # resolved names always have a symbol: a placeholder of a missing import
                continue
            names = {v.name for v in sym.proto.value} if sym is not None else set()
            if fld.default_value not in names:
                raise LinkError(pf.path, *_position(pf, path + (i, 7)), f"enum type \"{fld.type_name[1:]}\" has no value named "
                                f"\"{fld.default_value}\" (default of field \"{fld.name}\")")
        elif typ in (F.TYPE_MESSAGE, F.TYPE_GROUP):
            raise LinkError(pf.path, *_position(pf, path + (i, 7)),
                            f"messages can't have default values (field \"{fld.name}\")")
