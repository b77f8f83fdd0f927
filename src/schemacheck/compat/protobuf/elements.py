"""Read-only views over linked ``FileDescriptorProto``s that rules compare in pairs.

Maintainers: parsers produce plain descriptors; this module wraps them with what rules need
and descriptors lack: the repository path, the full name, the source-info path of each
element (to find its span) and its parent. Nothing here knows about rules or git.
Descriptor field numbers used as source-info path components are named in ``SourcePath``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field

from google.protobuf import descriptor_pb2 as pb

from ...formats.protobuf import native
from ...model import Location

__all__ = [
    "SourcePath",
    "ProtoFile",
    "Message",
    "Field",
    "Oneof",
    "Enum",
    "EnumValue",
    "Service",
    "Method",
    "Extension",
]


class SourcePath:
    """Field numbers of descriptor.proto, as used in ``SourceCodeInfo.Location.path``."""

    FILE_PACKAGE = 2
    FILE_DEPENDENCY = 3
    FILE_MESSAGE = 4
    FILE_ENUM = 5
    FILE_SERVICE = 6
    FILE_EXTENSION = 7
    FILE_OPTIONS = 8
    FILE_SYNTAX = 12
    FILE_EDITION = 14
    MESSAGE_NAME = 1
    MESSAGE_FIELD = 2
    MESSAGE_NESTED = 3
    MESSAGE_ENUM = 4
    MESSAGE_EXTENSION_RANGE = 5
    MESSAGE_EXTENSION = 6
    MESSAGE_OPTIONS = 7
    MESSAGE_ONEOF = 8
    MESSAGE_RESERVED_RANGE = 9
    MESSAGE_RESERVED_NAME = 10
    FIELD_NAME = 1
    FIELD_EXTENDEE = 2
    FIELD_NUMBER = 3
    FIELD_LABEL = 4
    FIELD_TYPE = 5
    FIELD_TYPE_NAME = 6
    FIELD_DEFAULT = 7
    FIELD_OPTIONS = 8
    FIELD_ONEOF_INDEX = 9
    FIELD_JSON_NAME = 10
    FIELD_PROTO3_OPTIONAL = 17
    ONEOF_NAME = 1
    ENUM_NAME = 1
    ENUM_VALUE = 2
    ENUM_OPTIONS = 3
    ENUM_RESERVED_RANGE = 4
    ENUM_RESERVED_NAME = 5
    ENUM_VALUE_NAME = 1
    ENUM_VALUE_NUMBER = 2
    SERVICE_NAME = 1
    SERVICE_METHOD = 2
    SERVICE_OPTIONS = 3
    METHOD_NAME = 1
    METHOD_INPUT = 2
    METHOD_OUTPUT = 3
    METHOD_OPTIONS = 4
    METHOD_CLIENT_STREAMING = 5
    METHOD_SERVER_STREAMING = 6


#: Key of the file's split lines in ``ProtoFile._spans`` (never a source path: those are tuples of ints).
_LINES = ("lines",)
#: Key of the native span table in ``ProtoFile._spans`` (spans not converted yet stay in Rust).
_TABLE = ("table",)


def _span_to_location(path: str, span: tuple[int, ...], lines: list[str] | None = None) -> Location:
    # SourceCodeInfo spans are 0-based [line, col, end_line?, end_col], end column exclusive, and
    # their columns are protoc's: bytes of UTF-8, a tab advancing to the next multiple of 8.
    # Findings carry character columns (what SARIF, editors and GitHub expect), so convert
    # when the source text is at hand.
    if len(span) == 3:
        line, col, end_col = span
        end_line = line
    else:
        line, col, end_line, end_col = span
    if lines is not None:
        col = char_column(lines[line] if line < len(lines) else "", col)
        end_col = char_column(lines[end_line] if end_line < len(lines) else "", end_col)
    return Location(path, line + 1, col + 1, end_line + 1, end_col + 1)


def char_column(text: str, protoc_column: int) -> int:
    """The 0-based character index on ``text`` of protoc's 0-based column ``protoc_column``."""
    if text.isascii() and "\t" not in text:
        return protoc_column
    column = 0
    for index, char in enumerate(text):
        if column >= protoc_column:
            return index
        column += 8 - column % 8 if char == "\t" else len(char.encode("utf-8"))
    return len(text) + max(0, protoc_column - column)


@dataclass(frozen=True, slots=True)
class ProtoFile:
    """One linked file and where it lives.

    Attributes:
        path: Repository-relative path (what findings report).
        name: Import name (``FileDescriptorProto.name``, relative to its import root).
        proto: The linked descriptor, with ``source_code_info``.
    """

    path: str
    name: str
    proto: pb.FileDescriptorProto = field(compare=False, repr=False)
    _spans: dict[tuple[int, ...], Location] = field(default_factory=dict, compare=False, repr=False)
    source: Callable[[], bytes] | None = field(default=None, compare=False, repr=False)
    # Elements by kind, walked once: the engine and many rules each ask for every message, enum
    # and extension of a file (about 60 walks per file in an every-file-changed run).
    _walked: dict[str, tuple] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def from_descriptor(cls, path: str, proto: pb.FileDescriptorProto,
                        source: Callable[[], bytes] | None = None) -> ProtoFile:
        """Wrap a linked descriptor; ``source`` reads the file's text (for character columns)."""
        # Spans are indexed on first use: most files of a run produce no finding and never need them.
        return cls(path=path, name=proto.name, proto=proto, source=source)

    def _lines(self) -> list[str] | None:
        if self.source is None:
            return None
        try:
            text = self.source().decode("utf-8", errors="replace")
        except (FileNotFoundError, OSError):
            return None
        return None if text.isascii() and "\t" not in text else text.split("\n")

    def _index(self) -> dict[tuple[int, ...], object]:
        """Source path -> protoc span (a tuple), replaced by its Location on first use.

        Converting every span of a large file (a 4 MB file has ~100,000) to a character-column
        Location up front cost more than all the rules together; findings need a handful.
        """
        spans = self._spans
        if not spans and len(self.proto.source_code_info.location):
            mod = native.module()
            if not self._native_spans(mod):
                if mod is not None:
                    native.FALLBACKS["span index"] += 1  # bytes the Rust decoder refused: counted
                for loc in reversed(self.proto.source_code_info.location):
                    spans[tuple(loc.path)] = loc.span  # reversed: the first location of a path wins
            if self._raw_span(()) is None:
                spans[()] = Location(self.path, 1, 1, 1, 1)
        return spans

    def _native_spans(self, mod) -> bool:
        """Index the spans in Rust: a ``SpanTable`` kept there (a lookup converts one span; a
        4 MB file: ~5 ms, not ~40), or, from an older build without it, the whole dict decoded
        there; False when there is no extension or it refuses the bytes."""
        if mod is None:
            return False
        data = self.proto.source_code_info.SerializeToString()
        table = getattr(mod, "SpanTable", None)
        if table is not None:
            try:
                self._spans[_TABLE] = table(data)
            except ValueError:
                return False
            return True
        built = mod.span_index(data)
        if built is not None:
            self._spans.update(built)
        return built is not None

    def _raw_span(self, key: tuple[int, ...]):
        """The span of ``key`` as indexed (a tuple, or its Location once converted), or None."""
        found = self._spans.get(key)
        if found is None:
            table = self._spans.get(_TABLE)
            found = table.get(key) if table is not None else None
        return found

    def _located(self, key: tuple[int, ...]) -> Location | None:
        self._index()
        found = self._raw_span(key)
        if found is None or isinstance(found, Location):
            return found
        lines = self._lines_cache()
        location = _span_to_location(self.path, tuple(found), lines)
        self._spans[key] = location
        return location

    def _lines_cache(self) -> list[str] | None:
        cached = self._spans.get(_LINES)
        if cached is None:
            cached = (self._lines(),)
            self._spans[_LINES] = cached  # type: ignore[assignment]
        return cached[0]  # type: ignore[index]

    @property
    def package(self) -> str:
        return self.proto.package

    @property
    def syntax(self) -> str:
        """``proto2``, ``proto3`` or ``editions``."""
        return self.proto.syntax or "proto2"

    def span(self, source_path: tuple[int, ...]) -> Location:
        """The span of ``source_path``, or of its nearest ancestor that has one."""
        key = tuple(source_path)
        while key:
            found = self._located(key)
            if found is not None:
                return found
            key = key[:-1]
        return self._located(()) or Location(self.path, 1, 1, 1, 1)

    def has_span(self, source_path: tuple[int, ...]) -> bool:
        self._index()
        return self._raw_span(tuple(source_path)) is not None

    def location(self) -> Location:
        """Where buf reports file-level findings: the syntax (or edition) statement, else line 1."""
        for key in ((SourcePath.FILE_SYNTAX,), (SourcePath.FILE_EDITION,)):
            found = self._located(key)
            if found is not None:
                return found
        return self._located(()) or Location(self.path, 1, 1, 1, 1)

    def messages(self) -> Iterator[Message]:
        """Every message in the file, nested ones included, depth first."""
        found = self._walked.get("messages")
        if found is None:
            found = self._walked["messages"] = tuple(
                m for i, msg in enumerate(self.proto.message_type)
                for m in Message(self, msg, (SourcePath.FILE_MESSAGE, i), self.proto.package, None).walk())
        return iter(found)

    def enums(self) -> Iterator[Enum]:
        """Every enum in the file, nested ones included."""
        found = self._walked.get("enums")
        if found is None:
            top = (Enum(self, en, (SourcePath.FILE_ENUM, i), _join(self.package, en.name), None)
                   for i, en in enumerate(self.proto.enum_type))
            found = self._walked["enums"] = (*top, *(e for msg in self.messages() for e in msg.enums()))
        return iter(found)

    def services(self) -> Iterator[Service]:
        for i, svc in enumerate(self.proto.service):
            yield Service(self, svc, (SourcePath.FILE_SERVICE, i), _join(self.package, svc.name))

    def extensions(self) -> Iterator[Extension]:
        """Every extension declared in the file, top level and nested in messages."""
        found = self._walked.get("extensions")
        if found is None:
            top = (Extension(self, ext, (SourcePath.FILE_EXTENSION, i), None)
                   for i, ext in enumerate(self.proto.extension))
            nested = (Extension(self, ext, msg.source_path + (SourcePath.MESSAGE_EXTENSION, i), msg)
                      for msg in self.messages() for i, ext in enumerate(msg.proto.extension))
            found = self._walked["extensions"] = (*top, *nested)
        return iter(found)


def _join(prefix: str, name: str) -> str:
    return f"{prefix}.{name}" if prefix else name


@dataclass(frozen=True, slots=True)
class _Element:
    file: ProtoFile = field(compare=False, repr=False)
    proto: object = field(compare=False, repr=False)
    source_path: tuple[int, ...] = field(compare=False)

    def span(self, *sub: int) -> Location:
        """The span of this element, or of one of its parts (``SourcePath.FIELD_TYPE`` …)."""
        return self.file.span(self.source_path + tuple(sub))

    @property
    def location(self) -> Location:
        return self.file.span(self.source_path)

    @property
    def name(self) -> str:
        return self.proto.name  # type: ignore[attr-defined]


@dataclass(frozen=True, slots=True)
class Message(_Element):
    full_name: str = ""
    parent: Message | None = field(default=None, compare=False, repr=False)

    def __init__(self, file: ProtoFile, proto: pb.DescriptorProto, source_path: tuple[int, ...],
                 scope: str, parent: Message | None) -> None:
        object.__setattr__(self, "file", file)
        object.__setattr__(self, "proto", proto)
        object.__setattr__(self, "source_path", source_path)
        object.__setattr__(self, "full_name", _join(scope, proto.name))
        object.__setattr__(self, "parent", parent)

    def walk(self) -> Iterator[Message]:
        yield self
        for i, nested in enumerate(self.proto.nested_type):
            yield from Message(self.file, nested, self.source_path + (SourcePath.MESSAGE_NESTED, i),
                               self.full_name, self).walk()

    def fields(self) -> Iterator[Field]:
        for i, fld in enumerate(self.proto.field):
            yield Field(self.file, fld, self.source_path + (SourcePath.MESSAGE_FIELD, i), self)

    def oneofs(self) -> Iterator[Oneof]:
        for i, oneof in enumerate(self.proto.oneof_decl):
            yield Oneof(self.file, oneof, self.source_path + (SourcePath.MESSAGE_ONEOF, i), self, i)

    def enums(self) -> Iterator[Enum]:
        for i, en in enumerate(self.proto.enum_type):
            yield Enum(self.file, en, self.source_path + (SourcePath.MESSAGE_ENUM, i),
                       _join(self.full_name, en.name), self)

    @property
    def is_map_entry(self) -> bool:
        return self.proto.options.map_entry


@dataclass(frozen=True, slots=True)
class Field(_Element):
    message: Message | None = field(default=None, compare=False, repr=False)

    def __init__(self, file: ProtoFile, proto: pb.FieldDescriptorProto, source_path: tuple[int, ...],
                 message: Message | None) -> None:
        object.__setattr__(self, "file", file)
        object.__setattr__(self, "proto", proto)
        object.__setattr__(self, "source_path", source_path)
        object.__setattr__(self, "message", message)

    @property
    def number(self) -> int:
        return self.proto.number

    @property
    def full_name(self) -> str:
        scope = self.message.full_name if self.message is not None else self.file.package
        return _join(scope, self.proto.name)

    @property
    def oneof(self) -> str | None:
        """Name of the real (non-synthetic) oneof holding this field, if any."""
        if self.message is None or not self.proto.HasField("oneof_index") or self.proto.proto3_optional:
            return None
        return self.message.proto.oneof_decl[self.proto.oneof_index].name


@dataclass(frozen=True, slots=True)
class Extension(Field):
    """An extension field; ``message`` is the message it is declared in (``None``: top level)."""

    def __init__(self, file: ProtoFile, proto: pb.FieldDescriptorProto, source_path: tuple[int, ...],
                 message: Message | None) -> None:
        Field.__init__(self, file, proto, source_path, message)

    @property
    def extendee(self) -> str:
        return self.proto.extendee.lstrip(".")


@dataclass(frozen=True, slots=True)
class Oneof(_Element):
    message: Message | None = field(default=None, compare=False, repr=False)
    index: int = 0

    def __init__(self, file: ProtoFile, proto: pb.OneofDescriptorProto, source_path: tuple[int, ...],
                 message: Message, index: int) -> None:
        object.__setattr__(self, "file", file)
        object.__setattr__(self, "proto", proto)
        object.__setattr__(self, "source_path", source_path)
        object.__setattr__(self, "message", message)
        object.__setattr__(self, "index", index)

    @property
    def is_synthetic(self) -> bool:
        """proto3 ``optional`` fields get a synthetic oneof of their own."""
        assert self.message is not None
        members = [f for f in self.message.proto.field if f.HasField("oneof_index") and f.oneof_index == self.index]
        return len(members) == 1 and members[0].proto3_optional


@dataclass(frozen=True, slots=True)
class Enum(_Element):
    full_name: str = ""
    parent: Message | None = field(default=None, compare=False, repr=False)

    def __init__(self, file: ProtoFile, proto: pb.EnumDescriptorProto, source_path: tuple[int, ...],
                 full_name: str, parent: Message | None) -> None:
        object.__setattr__(self, "file", file)
        object.__setattr__(self, "proto", proto)
        object.__setattr__(self, "source_path", source_path)
        object.__setattr__(self, "full_name", full_name)
        object.__setattr__(self, "parent", parent)

    def values(self) -> Iterator[EnumValue]:
        for i, val in enumerate(self.proto.value):
            yield EnumValue(self.file, val, self.source_path + (SourcePath.ENUM_VALUE, i), self)


@dataclass(frozen=True, slots=True)
class EnumValue(_Element):
    enum: Enum | None = field(default=None, compare=False, repr=False)

    def __init__(self, file: ProtoFile, proto: pb.EnumValueDescriptorProto, source_path: tuple[int, ...],
                 enum: Enum) -> None:
        object.__setattr__(self, "file", file)
        object.__setattr__(self, "proto", proto)
        object.__setattr__(self, "source_path", source_path)
        object.__setattr__(self, "enum", enum)

    @property
    def number(self) -> int:
        return self.proto.number


@dataclass(frozen=True, slots=True)
class Service(_Element):
    full_name: str = ""

    def __init__(self, file: ProtoFile, proto: pb.ServiceDescriptorProto, source_path: tuple[int, ...],
                 full_name: str) -> None:
        object.__setattr__(self, "file", file)
        object.__setattr__(self, "proto", proto)
        object.__setattr__(self, "source_path", source_path)
        object.__setattr__(self, "full_name", full_name)

    def methods(self) -> Iterator[Method]:
        for i, method in enumerate(self.proto.method):
            yield Method(self.file, method, self.source_path + (SourcePath.SERVICE_METHOD, i), self)


@dataclass(frozen=True, slots=True)
class Method(_Element):
    service: Service | None = field(default=None, compare=False, repr=False)

    def __init__(self, file: ProtoFile, proto: pb.MethodDescriptorProto, source_path: tuple[int, ...],
                 service: Service) -> None:
        object.__setattr__(self, "file", file)
        object.__setattr__(self, "proto", proto)
        object.__setattr__(self, "source_path", source_path)
        object.__setattr__(self, "service", service)

    @property
    def full_name(self) -> str:
        assert self.service is not None
        return f"{self.service.full_name}.{self.proto.name}"
