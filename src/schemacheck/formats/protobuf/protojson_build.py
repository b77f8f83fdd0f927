"""Protobuf messages -> shape model objects, as a ProtoJSON writer emits or a parser accepts them.

Maintainers: one :class:`MessageShapes` per (compiled files, view, key spelling); each message
is built once and referred to through a lazy :class:`RefShape` from fields, so recursive
messages are finite graphs (as ``$ref`` cycles are for JSON Schema). Descriptors come from a
``DescriptorPool`` (which resolves editions features: presence, closed enums); positions come
from the ``FileDescriptorProto``'s source info through :class:`ProtoFile`, looked up lazily per
pointer ``/<message full name>/properties/<key>``, so a finding lands on the field's line.

Presence: the *write* view marks a property required only for proto2 ``required`` and editions
``LEGACY_REQUIRED`` fields. Every other field may be absent: default values of implicit-presence
fields, empty repeated fields and maps, and unset message or explicit-presence fields are all
omitted by serializers with default options. The *read* view lists each field under its
``json_name`` and, when it differs, under its proto name too (parsers accept both), each as an
optional property that also accepts ``null`` (a parser reads ``null`` as "not set"). A required
field with two spellings cannot be required in the shape model ("one of these two keys") without
combinators the engine would report poorly, so it is optional there; with one spelling it is
required. Both views are closed: a writer emits no undeclared key, and parsers reject unknown
fields by default (``ignore_unknown_fields`` is an opt-in of the reading code that a schema does
not show). A oneof becomes ``dependent_schemas``: with one member's key present, the other
members' keys are absent (write) or absent or ``null`` (read). Parsers ignore a ``null`` member
altogether, so ``{"a": null, "b": 1}`` is accepted by them and rejected by the read view: the
shape model has no "present and not null" trigger. Extendable messages also accept
``"[full.extension.name]"`` keys of any value.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from google.protobuf.descriptor import Descriptor, FieldDescriptor

from ...compat.protobuf.elements import ProtoFile, SourcePath
from ...model import Location
from ...shape.meta import Annotations
from ...shape.nodes import AnyShape, ArrayShape, NeverShape, NullShape, ObjectShape, Origin, Property, RefShape, \
    Shape
from . import CompiledFile
from .protojson_values import READ, WRITE, enum_shape, map_key_shape, nullable, scalar_shape, wkt_shape

__all__ = ["MessageShapes", "escape"]

_MESSAGES = (FieldDescriptor.TYPE_MESSAGE, FieldDescriptor.TYPE_GROUP)


def escape(name: str) -> str:
    """A JSON pointer token."""
    return name.replace("~", "~0").replace("/", "~1")


class _Locator:
    """Pointer -> the span of the nearest registered element (field, message) of one file."""

    def __init__(self, file: ProtoFile) -> None:
        self.file = file
        self.spans: dict[str, tuple[int, ...]] = {}

    def __call__(self, pointer: str) -> Location | None:
        probe = pointer
        while True:
            found = self.spans.get(probe)
            if found is not None:
                return self.file.span(found)
            if not probe:
                return self.file.location()
            probe = probe.rsplit("/", 1)[0]


class MessageShapes:
    """Shapes of the messages of one compile, in one view.

    Args:
        files: The compiled files by import name (their descriptors carry source info).
        read_source: Reads a repository file (for character columns); ``None``: byte columns.
        view: ``"write"`` (what a serializer emits) or ``"read"`` (what a parser accepts).
        proto_names: Keys are proto field names (a writer with ``preserving_proto_field_name``)
            instead of ``json_name``s; write view only.
    """

    def __init__(self, files: Mapping[str, CompiledFile], read_source: Callable[[str], bytes] | None = None,
                 view: str = WRITE,
                 proto_names: bool = False) -> None:
        if view not in (READ, WRITE):
            raise ValueError(f"view must be 'read' or 'write', not {view!r}")
        self.view = view
        self.proto_names = proto_names
        self._files = files
        self._read_source = read_source
        self._locators: dict[str, _Locator] = {}
        self._paths: dict[str, tuple[str, tuple[int, ...]]] = {}  # message full name -> (import name, source path)
        self._shapes: dict[str, Shape] = {}

    # -- positions ---------------------------------------------------------------------------
    def _index(self, import_name: str) -> None:
        fd = self._files[import_name].descriptor

        def walk(messages, scope: str, prefix: tuple[int, ...], kind: int) -> None:
            for i, msg in enumerate(messages):
                full = f"{scope}.{msg.name}" if scope else msg.name
                path = prefix + (kind, i)
                self._paths.setdefault(full, (import_name, path))
                walk(msg.nested_type, full, path, SourcePath.MESSAGE_NESTED)

        walk(fd.message_type, fd.package, (), SourcePath.FILE_MESSAGE)

    def _locator(self, desc: Descriptor) -> tuple[_Locator | None, tuple[int, ...]]:
        name = desc.file.name
        if name not in self._files:
            return None, ()
        if desc.full_name not in self._paths:
            self._index(name)
        compiled = self._files[name]
        locator = self._locators.get(name)
        if locator is None:
            path = compiled.path
            reader = self._read_source
            source = (lambda: reader(path)) if reader is not None else None
            locator = self._locators[name] = _Locator(ProtoFile.from_descriptor(path, compiled.descriptor, source))
        return locator, self._paths.get(desc.full_name, ("", ()))[1]

    # -- shapes ------------------------------------------------------------------------------
    def message(self, desc: Descriptor) -> Shape:
        """The shape of message ``desc`` (built once)."""
        found = self._shapes.get(desc.full_name)
        if found is None:
            found = self._shapes[desc.full_name] = self._build(desc)
        return found

    def _build(self, desc: Descriptor) -> Shape:
        locator, msg_path = self._locator(desc)
        root = "/" + escape(desc.full_name)
        file_path = self._files[desc.file.name].path if desc.file.name in self._files else desc.file.name
        if locator is not None:
            locator.spans.setdefault(root, msg_path)
        origin = Origin(file_path, root, locator)
        special = wkt_shape(desc.full_name, self.view, origin)
        if special is not None:
            return special
        props: list[Property] = []
        for index, fd in enumerate(desc.fields):
            keys = self._keys(fd)
            for key in keys:
                pointer = f"{root}/properties/{escape(key)}"
                if locator is not None:
                    locator.spans.setdefault(pointer, msg_path + (SourcePath.MESSAGE_FIELD, index))
                field_origin = Origin(file_path, pointer, locator)
                shape = self._field(fd, field_origin)
                required = fd.is_required and len(keys) == 1
                props.append(Property(name=key, shape=shape, required=required))
        never = NeverShape(origin=Origin(file_path, root + "/additionalProperties", locator))
        patterns: tuple[tuple[str, Shape], ...] = ()
        if desc.is_extendable:
            patterns = ((r"^\[.+\]$", AnyShape(origin=origin)),)
        return ObjectShape(properties=tuple(props), additional=never, pattern_properties=patterns,
                           dependent_schemas=self._oneofs(desc, origin), origin=origin, policy="strict")

    def _keys(self, fd: FieldDescriptor) -> tuple[str, ...]:
        if self.view == WRITE:
            return (fd.name if self.proto_names else fd.json_name,)
        return (fd.json_name,) if fd.json_name == fd.name else (fd.json_name, fd.name)

    def _oneofs(self, desc: Descriptor, origin: Origin) -> tuple[tuple[str, Shape], ...]:
        """At most one member of each oneof: ``key -> the other members' keys are absent``.

        Both views list every spelling of every member (json_name and proto name), as keys and
        inside each dependent schema, with ``never`` (write) or ``null`` (read: a parser counts
        a member only when it is not null) as the others' shape: the engine compares dependent
        schemas key by key and property by property, so a message compared with itself (old
        write view, new read view) must line up. A spelling a writer never emits costs nothing
        (the object is closed).
        """
        out: list[tuple[str, Shape]] = []
        for oneof in desc.oneofs:
            if len(oneof.fields) < 2:
                continue  # a proto3 ``optional`` field's synthetic oneof constrains nothing
            every = list(dict.fromkeys(k for f in oneof.fields for k in (f.json_name, f.name)))
            for key in every:  # the same member's other spelling too: parsers count it twice
                others = [k for k in every if k != key]
                rest = tuple(Property(name=o, shape=NeverShape(origin=origin) if self.view == WRITE
                                      else NullShape(origin=origin)) for o in others)
                out.append((key, ObjectShape(properties=rest, origin=origin)))
        return tuple(out)

    def _field(self, fd: FieldDescriptor, origin: Origin) -> Shape:
        if fd.type in _MESSAGES and fd.message_type.GetOptions().map_entry:
            entry = fd.message_type
            value = self._single(entry.fields_by_name["value"], Origin(origin.path, origin.pointer +
                                                                       "/additionalProperties", origin.locator))
            shape: Shape = ObjectShape(additional=value, property_names=map_key_shape(entry.fields_by_name["key"].type,
                                                                                     self.view, origin),
                                       origin=origin, policy="strict")
        elif fd.is_repeated:
            item = self._single(fd, Origin(origin.path, origin.pointer + "/items", origin.locator))
            shape = ArrayShape(items=item, origin=origin)
        else:
            shape = self._single(fd, origin)
        if self.view == READ:
            shape = nullable(shape, origin)
        if fd.GetOptions().deprecated:
            shape = _deprecated(shape)
        return shape

    def _single(self, fd: FieldDescriptor, origin: Origin) -> Shape:
        if fd.type in _MESSAGES:
            target = fd.message_type
            special = wkt_shape(target.full_name, self.view, origin)
            if special is not None:
                return special
            return RefShape(ref=target.full_name, target=lambda: self.message(target), origin=origin)
        if fd.type == FieldDescriptor.TYPE_ENUM:
            enum = fd.enum_type
            return enum_shape(tuple(v.name for v in enum.values), tuple(v.number for v in enum.values),
                              enum.is_closed, enum.full_name, self.view, origin)
        return scalar_shape(fd.type, self.view, origin)


def _deprecated(shape: Shape) -> Shape:
    from dataclasses import replace

    a = shape.annotations
    return replace(shape, annotations=Annotations(default=a.default, deprecated=True, read_only=a.read_only,
                                                  write_only=a.write_only, title=a.title))
