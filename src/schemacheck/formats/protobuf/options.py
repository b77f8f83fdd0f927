"""Option interpretation: ``name = value`` statements -> fields of the ``*Options`` messages.

Maintainers: protoc resolves each option name (``deprecated``, ``(my.ext)``, ``(ext).sub``,
``features.x``), converts the value to the field's type, sets it on an options message that
knows the custom extensions, then serialises it; custom options end up as unknown fields of
``descriptor_pb2`` messages, in field-number order, packed when the extension is packed.
We do the same with the ``google.protobuf`` runtime: built-in options on the generated
classes, custom ones on dynamic classes from a pool holding the defining files. We also
record protoc's ``interpreted_paths`` (source path of each statement -> path of the field it
set) and strip ``retention = RETENTION_SOURCE`` options as protoc does when writing output.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from google.protobuf import descriptor_pb2 as d
from google.protobuf import text_format
from google.protobuf.descriptor import FieldDescriptor as FD

from ...errors import LinkError
from .parser import ParsedFile, PendingOption, PendingOptions
from .pools import MissingDefinitions
from .symbols import EXTENSION, Symbol, SymbolTable
from .wire import sort_fields

__all__ = ["interpret_options"]

_INT_RANGES = {
    FD.TYPE_INT32: (-(2**31), 2**31 - 1), FD.TYPE_SINT32: (-(2**31), 2**31 - 1),
    FD.TYPE_SFIXED32: (-(2**31), 2**31 - 1), FD.TYPE_INT64: (-(2**63), 2**63 - 1),
    FD.TYPE_SINT64: (-(2**63), 2**63 - 1), FD.TYPE_SFIXED64: (-(2**63), 2**63 - 1),
    FD.TYPE_UINT32: (0, 2**32 - 1), FD.TYPE_FIXED32: (0, 2**32 - 1),
    FD.TYPE_UINT64: (0, 2**64 - 1), FD.TYPE_FIXED64: (0, 2**64 - 1),
}
_SOURCE = d.FieldOptions.RETENTION_SOURCE
_T = d.FieldOptions
_TARGETS = {
    "FileOptions": _T.TARGET_TYPE_FILE, "ExtensionRangeOptions": _T.TARGET_TYPE_EXTENSION_RANGE,
    "MessageOptions": _T.TARGET_TYPE_MESSAGE, "FieldOptions": _T.TARGET_TYPE_FIELD,
    "OneofOptions": _T.TARGET_TYPE_ONEOF, "EnumOptions": _T.TARGET_TYPE_ENUM,
    "EnumValueOptions": _T.TARGET_TYPE_ENUM_ENTRY, "ServiceOptions": _T.TARGET_TYPE_SERVICE,
    "MethodOptions": _T.TARGET_TYPE_METHOD,
}
_TARGET_NAMES = {
    "FileOptions": "file", "ExtensionRangeOptions": "extension range", "MessageOptions": "message",
    "FieldOptions": "field", "OneofOptions": "oneof", "EnumOptions": "enum", "EnumValueOptions": "enum entry",
    "ServiceOptions": "service", "MethodOptions": "method",
}


def _option_name(item: PendingOption) -> str:
    return ".".join(f"({n})" if ext else n for n, ext in item.name)


class _Interpreter:
    def __init__(self, pf: ParsedFile, table: SymbolTable, visible: frozenset[str],
                 pool_for: Callable[[set[str] | None], object], lenient: bool = False) -> None:
        self.pf = pf
        self.lenient = lenient
        self.opaque: dict[int, frozenset[int]] = {}  # id(pending) -> indexes of items left uninterpreted
        self.table = table
        self.visible = visible
        self.pool_for = pool_for
        self.paths: dict[tuple[int, ...], tuple[int, ...]] = {}
        self.stripped: list[tuple[int, ...]] = []
        self.extensions: dict[tuple, object] = {}  # (name, scope, pool) -> resolved extension

    def error(self, item: PendingOption, msg: str) -> LinkError:
        return LinkError(self.pf.path, item.line + 1, item.col + 1, msg)

    def value_error(self, item: PendingOption, msg: str) -> LinkError:
        return LinkError(self.pf.path, item.vline + 1, item.vcol + 1, msg)

    def run(self) -> None:
        custom = []
        for pending in self.pf.options:
            if any(ext for item in pending.items for _, ext in item.name):
                if self.lenient:
                    self.opaque[id(pending)] = frozenset(i for i, item in enumerate(pending.items)
                                                         if self.unresolvable(item, pending))
                custom.append(pending)
            else:
                self.one(pending, None)
        if custom:
            try:
                pool = self.pool_for(self.defining_files(custom)) if self.needs_pool(custom) else None
            except MissingDefinitions:
                # The files defining these options import something missing: keep them all as written.
                self.opaque.update({id(p): frozenset(i for i, item in enumerate(p.items)
                                                     if any(ext for _, ext in item.name)) for p in custom})
                pool = None
            for pending in custom:
                self.one(pending, pool)

    def unresolvable(self, item: PendingOption, pending: PendingOptions) -> bool:
        """A custom option whose extension is not defined in any visible file (its defining
        import is missing): it stays an ``uninterpreted_option``, as written."""
        for name, is_ext in item.name:
            if is_ext:
                sym = self.table.lookup(name, pending.scope, self.visible, False, [])
                if sym is None or sym.kind != EXTENSION:
                    return True
        return False

    def interpreted(self, pending: PendingOptions) -> list[PendingOption]:
        skip = self.opaque.get(id(pending), frozenset())
        return [item for i, item in enumerate(pending.items) if i not in skip]

    def needs_pool(self, custom: list[PendingOptions]) -> bool:
        return any(ext for pending in custom for item in self.interpreted(pending) for _, ext in item.name)

    def defining_files(self, custom: list[PendingOptions]) -> set[str] | None:
        """Files defining the extensions named in ``custom``; None when an aggregate value
        may name more (``[ext]`` inside braces), so every import must be loaded."""
        files: set[str] = set()
        for pending in custom:
            for item in self.interpreted(pending):
                if item.kind == "aggregate" and "[" in item.value:
                    return None
                for name, is_ext in item.name:
                    if is_ext:
                        sym = self.table.lookup(name, pending.scope, self.visible, False, [])
                        if sym is None:
                            return None
                        files.add(sym.file)
        return files

    def one(self, pending: PendingOptions, pool) -> None:
        owner = pending.owner
        current = owner.options
        skip = self.opaque.get(id(pending), frozenset())
        needs_pool = any(ext for item in self.interpreted(pending) for _, ext in item.name)
        if needs_pool:
            try:
                cls = _message_class(pool, "google.protobuf." + pending.options_type)
            except KeyError:
                # descriptor.proto is not in the closure, so no extension of the options type
                # can be: report the first custom option as unknown, where protoc does.
                self.unknown_custom(pending)
                raise
            msg = cls.FromString(current.SerializeToString())
        else:
            msg = current
        counts: dict[tuple[int, ...], int] = {}
        seen: set[tuple[int, ...]] = set()
        for index, item in enumerate(pending.items):
            if index in skip:
                continue
            dest = self.set_one(msg, item, pending, pool)
            if not dest[1]:
                numbers = dest[0]
                if numbers in seen:  # set before, or a sub-field of it was
                    raise self.error(item, f"option \"{_option_name(item)}\" was already set")
                seen.update(numbers[:n] for n in range(1, len(numbers) + 1))
            full = pending.path + dest[0]
            if dest[1]:
                n = counts.get(full, 0)
                counts[full] = n + 1
                full = full + (n,)
            self.paths[pending.path + (999, index)] = full
        stripped = _strip_source(msg, pending.path)
        if needs_pool:
            _require_initialized(self, pending, msg)
            current.Clear()
            current.MergeFromString(sort_fields(msg.SerializeToString(deterministic=True)))
        for k, index in enumerate(sorted(skip)):
            owner.options.uninterpreted_option.append(_uninterpreted(pending.items[index]))
            self.paths[pending.path + (999, index)] = pending.path + (999, k)
        if stripped:
            if current.ByteSize() == 0:
                owner.ClearField("options")
                self.stripped.append(pending.path)
            else:
                self.stripped.extend(stripped)

    def check_feature_support(self, item: PendingOption, field) -> None:
        """protoc refuses features outside the editions that define them."""
        support = field.GetOptions().feature_support
        edition = self.pf.fd.edition
        name = f"{field.containing_type.full_name}.{field.name}"
        if support.HasField("edition_introduced") and edition < support.edition_introduced:
            raise self.error(item, f"{name} wasn't introduced until edition "
                                   f"{_edition(support.edition_introduced)} and can't be used in edition "
                                   f"{_edition(edition)}")
        if support.HasField("edition_removed") and edition >= support.edition_removed:
            raise self.error(item, f"{name} has been removed in edition {_edition(support.edition_removed)}")

    def unknown_custom(self, pending: PendingOptions) -> None:
        """Raise protoc's "unknown option" error for the first custom option of ``pending``
        whose extension does not resolve (its definition is not imported)."""
        for item in pending.items:
            for name, is_ext in item.name:
                if is_ext:
                    sym = self.table.lookup(name, pending.scope, self.visible, False, [])
                    if sym is None or sym.kind != EXTENSION:
                        raise self.error(item, f"option \"({name})\" is unknown; import the file that defines it")
        item = pending.items[0]
        raise self.error(item, "custom options need google/protobuf/descriptor.proto among the imports")

    def resolve_ext(self, item: PendingOption, name: str, pending: PendingOptions, pool):
        # A file sets the same few custom options on hundreds of elements of one scope (a
        # 4 MB API: 2,385 options, 7,392 name lookups): resolved once per (name, scope).
        key = (name, pending.scope, id(pool))
        found = self.extensions.get(key)
        if found is None:
            hidden: list[Symbol] = []
            sym = self.table.lookup(name, pending.scope, self.visible, False, hidden)
            if sym is None or sym.kind != EXTENSION:
                raise self.error(item, f"option \"({name})\" is unknown; import the file that defines it")
            found = self.extensions[key] = pool.FindExtensionByName(sym.full)
        return found

    def set_one(self, msg, item: PendingOption, pending: PendingOptions, pool):
        if item.name[0] == ("features", False) and self.pf.syntax != "editions":
            raise self.error(item, "features are only valid under editions (edition = \"2023\" or later)")
        desc = msg.DESCRIPTOR
        numbers: list[int] = []
        target = msg
        last = len(item.name) - 1
        field = None
        for i, (name, is_ext) in enumerate(item.name):
            if is_ext:
                field = self.resolve_ext(item, name, pending, pool)
                if field.containing_type.full_name != desc.full_name:
                    raise self.error(item, f"\"({name})\" extends \"{field.containing_type.full_name}\", "
                                           f"not \"{desc.full_name}\"")
            else:
                field = desc.fields_by_name.get(name)
                if field is None:
                    import difflib

                    close = difflib.get_close_matches(name, list(desc.fields_by_name), n=1, cutoff=0.75)
                    err = self.error(item, f"option \"{name}\" is unknown for {desc.full_name}")
                    err.tip = f"did you mean \"{close[0]}\"?" if close else (
                        "custom options are written in parentheses, e.g. (my.option)")
                    raise err
            numbers.append(field.number)
            targets = field.GetOptions().targets
            if targets and _TARGETS[pending.options_type] not in targets:
                raise self.error(item, f"option {field.full_name} cannot be set on an entity of type "
                                       f"`{_TARGET_NAMES[pending.options_type]}`")
            if i < last:
                if field.type not in (FD.TYPE_MESSAGE, FD.TYPE_GROUP):
                    raise self.error(item, f"option \"{_option_name(item)}\": \"{name}\" is not a message")
                if _repeated(field):
                    raise self.error(item, f"option \"{name}\" is a repeated message; set it with an "
                                           "aggregate value {...}")
                target = target.Extensions[field] if field.is_extension else getattr(target, field.name)
                desc = field.message_type
        repeated = _repeated(field)
        if item.name[0] == ("features", False) and len(item.name) > 1:
            self.check_feature_support(item, field)
        self.assign(target, field, item, repeated, pool)
        return tuple(numbers), repeated

    def assign(self, target, field, item: PendingOption, repeated: bool, pool) -> None:
        ext = field.is_extension
        if field.type in (FD.TYPE_MESSAGE, FD.TYPE_GROUP):
            if item.kind != "aggregate":
                raise self.value_error(item, f"option \"{_option_name(item)}\" is a message; "
                                       "use an aggregate value {...}")
            if repeated:
                sub = (target.Extensions[field] if ext else getattr(target, field.name)).add()
            else:
                sub = target.Extensions[field] if ext else getattr(target, field.name)
            try:
                text_format.Merge(item.value, sub, descriptor_pool=pool)
            except text_format.ParseError as exc:
                raise self.value_error(item, f"error in aggregate value of option \"{_option_name(item)}\": {exc}") \
                    from None
            return
        value = self.convert(field, item)
        if repeated:
            (target.Extensions[field] if ext else getattr(target, field.name)).append(value)
        elif ext:
            target.Extensions[field] = value
        else:
            setattr(target, field.name, value)

    def convert(self, field, item: PendingOption):
        name = _option_name(item)
        kind, value = item.kind, item.value
        typ = field.type
        if typ in _INT_RANGES:
            lo, hi = _INT_RANGES[typ]
            if kind not in ("pos", "neg") or not lo <= value <= hi:
                raise self.value_error(item, f"value of option \"{name}\" must be an integer in [{lo}, {hi}]")
            return value
        if typ in (FD.TYPE_FLOAT, FD.TYPE_DOUBLE):
            if kind in ("pos", "neg", "double"):
                return float(value)
            if kind == "ident" and value in ("inf", "nan"):
                return math.inf if value == "inf" else math.nan
            raise self.value_error(item, f"value of option \"{name}\" must be a number")
        if typ == FD.TYPE_BOOL:
            if kind == "ident" and value in ("true", "false"):
                return value == "true"
            raise self.value_error(item, f"value of option \"{name}\" must be \"true\" or \"false\"")
        if typ == FD.TYPE_STRING:
            if kind != "string":
                raise self.value_error(item, f"value of option \"{name}\" must be a string")
            try:
                return value.decode("utf-8")
            except UnicodeDecodeError:
                raise self.value_error(item, f"value of option \"{name}\" is not valid UTF-8") from None
        if typ == FD.TYPE_BYTES:
            if kind != "string":
                raise self.value_error(item, f"value of option \"{name}\" must be a string")
            return value
        if typ == FD.TYPE_ENUM:
            if kind != "ident":
                raise self.value_error(item, f"value of option \"{name}\" must be an identifier of enum "
                                       f"\"{field.enum_type.full_name}\"")
            ev = field.enum_type.values_by_name.get(value)
            if ev is None:
                raise self.value_error(item, f"enum \"{field.enum_type.full_name}\" has no value named "
                                       f"\"{value}\" for option \"{name}\"")
            return ev.number
        raise self.value_error(item, f"option \"{name}\" has an unsupported type")


def _edition(value: int) -> str:
    try:
        return d.Edition.Name(value).removeprefix("EDITION_")
    except ValueError:
        return str(value)


def _repeated(field) -> bool:
    return field.is_repeated


def _message_class(pool, full_name: str):
    from google.protobuf import message_factory

    return message_factory.GetMessageClass(pool.FindMessageTypeByName(full_name))


def _strip_source(msg, path: tuple[int, ...]) -> list[tuple[int, ...]]:
    stripped: list[tuple[int, ...]] = []
    for field, value in msg.ListFields():
        opts = field.GetOptions()
        if opts.HasField("retention") and opts.retention == _SOURCE:
            if field.is_extension:
                msg.ClearExtension(field)
            else:
                msg.ClearField(field.name)
            stripped.append(path + (field.number,))
        elif field.type in (FD.TYPE_MESSAGE, FD.TYPE_GROUP):
            if _repeated(field):
                if field.message_type.GetOptions().map_entry:
                    continue
                for i, sub in enumerate(value):
                    stripped += _strip_source(sub, path + (field.number, i))
            else:
                stripped += _strip_source(value, path + (field.number,))
    return stripped


def _uninterpreted(item: PendingOption) -> d.UninterpretedOption:
    """``item`` as protoc keeps an option it cannot interpret (``UninterpretedOption``)."""
    opt = d.UninterpretedOption()
    for name, is_ext in item.name:
        opt.name.add(name_part=name, is_extension=is_ext)
    value = item.value
    if item.kind == "ident":
        opt.identifier_value = str(value)
    elif item.kind == "pos":
        opt.positive_int_value = int(value)
    elif item.kind == "neg":
        opt.negative_int_value = int(value)
    elif item.kind == "double":
        opt.double_value = float(value)
    elif item.kind == "string":
        opt.string_value = value if isinstance(value, bytes) else str(value).encode()
    else:
        opt.aggregate_value = str(value)
    return opt


def interpret_options(pf: ParsedFile, table: SymbolTable, visible: frozenset[str],
                      pool_for: Callable[[set[str] | None], object], lenient: bool = False) -> tuple[dict, list]:
    """Interpret every option of ``pf`` in place.

    Args:
        pf: The parsed, resolved file.
        table: Symbols of the compile.
        visible: Files whose symbols ``pf`` may use.
        pool_for: Given the files defining the extensions used (None: unknown), returns a
            ``DescriptorPool`` holding them (and ``pf`` itself when it defines them);
            only called when a custom option is used.
        lenient: An import of ``pf`` is missing: a custom option whose extension is not
            defined (or whose definitions cannot be loaded) is kept in ``uninterpreted_option``
            as written instead of being an error; rules comparing such options see nothing.

    Returns:
        (interpreted paths: source path -> option field path, stripped option paths).

    Raises:
        LinkError: Unknown option, wrong value type, bad aggregate value.
    """
    interp = _Interpreter(pf, table, visible, pool_for, lenient)
    interp.run()
    return interp.paths, interp.stripped


def _require_initialized(interp: _Interpreter, pending: PendingOptions, msg) -> None:
    """A custom option of a message type with ``required`` fields must set them (protoc:
    "Message missing required fields"); an unset one is an error at the option that set the
    message, not an ``EncodeError`` when the options are serialised."""
    if msg.IsInitialized():
        return
    missing = msg.FindInitializationErrors()
    top = missing[0].lstrip("(").split(")")[0].split("[")[0].split(".")[-1] if missing else ""
    item = next((it for it in reversed(pending.items) if it.name and it.name[0][0].split(".")[-1] == top),
                pending.items[0])
    where = interp.value_error if item.kind == "aggregate" else interp.error  # protoc's column for {...}
    raise where(item, f"option \"{_option_name(item)}\" is missing required fields: {', '.join(missing)}")
