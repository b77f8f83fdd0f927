"""Resolved editions features of protobuf elements, for proto2, proto3 and editions files alike.

Maintainers: since editions, behaviour that used to follow from the syntax (presence, open or
closed enums, packed encoding, UTF-8 checks, JSON support, groups) is a *feature* resolved along
file -> message -> oneof -> field (and file/message -> enum). proto2 and proto3 files behave as
the legacy editions ``EDITION_PROTO2`` / ``EDITION_PROTO3`` plus their legacy syntax (``required``,
groups, ``[packed]``, proto3 ``optional``, ``ctype``, ``java_string_check_utf8``), which
:func:`field_features` folds in so that rules compare one value whatever the syntax.

The defaults table mirrors the ``edition_defaults`` of ``google/protobuf/descriptor.proto``
(``tests/test_proto_features.py`` checks it against the installed runtime) and of
``cpp_features.proto`` / ``java_features.proto``. Those two language features are extensions
1000 (``pb.cpp``) and 1001 (``pb.java``) of ``FeatureSet``; the Python runtime does not ship
their generated modules, so they are read from the serialized bytes. Nothing here knows about
rules; ``*_PATH`` constants give the source-info paths where each feature is spelled, so rules
can point at the option the way buf does.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, replace

from google.protobuf import descriptor_pb2 as pb

from ...formats.protobuf.wire import records
from .elements import Enum, Field, Message, Oneof, ProtoFile

__all__ = [
    "Features",
    "EDITION_PROTO2",
    "EDITION_PROTO3",
    "EDITION_2023",
    "EDITION_2024",
    "edition_of",
    "edition_label",
    "defaults_for",
    "file_features",
    "message_features",
    "oneof_features",
    "enum_features",
    "field_features",
    "feature_name",
    "CPP_STRING_TYPE_NAMES",
    "JAVA_UTF8_NAMES",
    "has_presence",
    "is_map",
    "cardinality",
    "kind",
    "kind_label",
    "Cardinality",
    "DEFAULTS",
    "CPP_EXTENSION",
    "JAVA_EXTENSION",
    "CPP_STRING_TYPE_FIELD",
    "JAVA_UTF8_FIELD",
    "JAVA_VERIFY",
]

EDITION_PROTO2 = pb.EDITION_PROTO2
EDITION_PROTO3 = pb.EDITION_PROTO3
EDITION_2023 = pb.EDITION_2023
EDITION_2024 = pb.EDITION_2024

FS = pb.FeatureSet
#: ``pb.CppFeatures.StringType`` and ``pb.JavaFeatures.Utf8Validation`` values (not in the runtime).
CPP_STRING_TYPE_NAMES = {0: "STRING_TYPE_UNKNOWN", 1: "VIEW", 2: "CORD", 3: "STRING"}
CPP_VIEW, CPP_CORD, CPP_STRING = 1, 2, 3
JAVA_UTF8_NAMES = {0: "UTF8_VALIDATION_UNKNOWN", 1: "DEFAULT", 2: "VERIFY"}
JAVA_DEFAULT, JAVA_VERIFY = 1, 2
CPP_EXTENSION, JAVA_EXTENSION = 1000, 1001
CPP_STRING_TYPE_FIELD, JAVA_UTF8_FIELD = 2, 2

#: FeatureSet field numbers of the standard features, and the language extensions' ones.
_BY_NUMBER = {1: "field_presence", 2: "enum_type", 3: "repeated_field_encoding", 4: "utf8_validation",
              5: "message_encoding", 6: "json_format"}
_LANGUAGE = (CPP_EXTENSION, JAVA_EXTENSION)
_LANGUAGE_FEATURES = {(CPP_EXTENSION, CPP_STRING_TYPE_FIELD): "cpp_string_type",
                      (JAVA_EXTENSION, JAVA_UTF8_FIELD): "java_utf8_validation"}

_ENUMS = {
    "field_presence": FS.FieldPresence,
    "enum_type": FS.EnumType,
    "repeated_field_encoding": FS.RepeatedFieldEncoding,
    "utf8_validation": FS.Utf8Validation,
    "message_encoding": FS.MessageEncoding,
    "json_format": FS.JsonFormat,
}


@dataclass(frozen=True, slots=True)
class Features:
    """The resolved value of every feature the breaking rules consult (enum numbers)."""

    field_presence: int
    enum_type: int
    repeated_field_encoding: int
    utf8_validation: int
    message_encoding: int
    json_format: int
    cpp_string_type: int
    java_utf8_validation: int

    def merged(self, features: pb.FeatureSet) -> Features:
        """These features overridden by the fields explicitly set in ``features``."""
        data = features.SerializePartialToString()
        if not data:
            return self
        changes: dict[str, int] = {}
        for number, value in records(data):
            if isinstance(value, int) and number in _BY_NUMBER:
                changes[_BY_NUMBER[number]] = value
            elif isinstance(value, bytes) and number in _LANGUAGE:
                for sub, sub_value in records(value):
                    if isinstance(sub_value, int) and (number, sub) in _LANGUAGE_FEATURES:
                        changes[_LANGUAGE_FEATURES[(number, sub)]] = sub_value
        return replace(self, **changes) if changes else self


def feature_name(feature: str, value: int) -> str:
    """The enum value name of a resolved feature (``EXPLICIT``, ``VERIFY``, ``CORD`` …)."""
    if feature == "cpp_string_type":
        return CPP_STRING_TYPE_NAMES.get(value, str(value))
    if feature == "java_utf8_validation":
        return JAVA_UTF8_NAMES.get(value, str(value))
    return _ENUMS[feature].Name(value)


_LEGACY = Features(FS.EXPLICIT, FS.CLOSED, FS.EXPANDED, FS.NONE, FS.LENGTH_PREFIXED, FS.LEGACY_BEST_EFFORT,
                   CPP_STRING, JAVA_DEFAULT)
_PROTO3 = Features(FS.IMPLICIT, FS.OPEN, FS.PACKED, FS.VERIFY, FS.LENGTH_PREFIXED, FS.ALLOW, CPP_STRING, JAVA_DEFAULT)
_2023 = replace(_PROTO3, field_presence=FS.EXPLICIT)
_2024 = replace(_2023, cpp_string_type=CPP_VIEW)
#: Edition -> defaults, oldest first; an edition uses the last entry not newer than itself.
DEFAULTS: tuple[tuple[int, Features], ...] = (
    (pb.EDITION_LEGACY, _LEGACY), (EDITION_PROTO3, _PROTO3), (EDITION_2023, _2023), (EDITION_2024, _2024))


def defaults_for(edition: int) -> Features:
    """Feature defaults of an edition (``EDITION_PROTO2`` and older get the legacy ones)."""
    found = DEFAULTS[0][1]
    for since, features in DEFAULTS:
        if edition >= since:
            found = features
    return found


def edition_of(file: ProtoFile) -> int:
    """``EDITION_PROTO2``, ``EDITION_PROTO3`` or the file's edition."""
    if file.proto.syntax == "editions":
        return file.proto.edition
    return EDITION_PROTO3 if file.proto.syntax == "proto3" else EDITION_PROTO2


def edition_label(file: ProtoFile) -> str:
    """``proto2``, ``proto3`` or ``edition 2023`` for messages."""
    edition = edition_of(file)
    if edition in (EDITION_PROTO2, EDITION_PROTO3):
        return "proto2" if edition == EDITION_PROTO2 else "proto3"
    return "edition " + pb.Edition.Name(edition).removeprefix("EDITION_")


#: Resolved features of recently seen files and messages, by ``id`` of their descriptor. The
#: entry keeps the descriptor alive, so its id cannot be reused while cached; bounded LRU.
_MEMO: OrderedDict[int, tuple[object, Features]] = OrderedDict()
_MEMO_SIZE = 4096


def _memo(proto: object, compute: Callable[[], Features]) -> Features:
    entry = _MEMO.get(id(proto))
    if entry is not None and entry[0] is proto:
        _MEMO.move_to_end(id(proto))
        return entry[1]
    value = compute()
    _MEMO[id(proto)] = (proto, value)
    if len(_MEMO) > _MEMO_SIZE:
        _MEMO.popitem(last=False)
    return value


def file_features(file: ProtoFile) -> Features:
    """The edition's defaults overridden by ``option features.… ;`` of the file."""
    return _memo(file.proto, lambda: defaults_for(edition_of(file)).merged(file.proto.options.features))


def message_features(message: Message) -> Features:
    """Features of a message: its own over its enclosing messages' over the file's."""
    def compute() -> Features:
        parent = message_features(message.parent) if message.parent is not None else file_features(message.file)
        return parent.merged(message.proto.options.features)

    return _memo(message.proto, compute)


def oneof_features(oneof: Oneof) -> Features:
    """Features of a oneof: its own over its message's (its fields inherit them)."""
    assert oneof.message is not None
    return message_features(oneof.message).merged(oneof.proto.options.features)


def enum_features(enum: Enum) -> Features:
    """Features of an enum: its own over its enclosing messages' over the file's."""
    parent = message_features(enum.parent) if enum.parent is not None else file_features(enum.file)
    return parent.merged(enum.proto.options.features)


def field_features(field: Field) -> Features:
    """Resolved features of a field or extension, legacy proto2/proto3 syntax folded in."""
    proto = field.proto
    if field.message is None:
        parent = file_features(field.file)
    elif proto.HasField("oneof_index") and not proto.extendee:
        message = field.message
        oneof = message.proto.oneof_decl[proto.oneof_index]
        parent = message_features(message).merged(oneof.options.features)  # as oneof_features()
    else:
        parent = message_features(field.message)
    resolved = parent.merged(proto.options.features)
    changes: dict[str, int] = {}
    if proto.options.HasField("ctype"):  # allowed up to edition 2023
        changes["cpp_string_type"] = CPP_CORD if proto.options.ctype == pb.FieldOptions.CORD else CPP_STRING
    if field.file.proto.syntax == "editions":
        return replace(resolved, **changes) if changes else resolved
    if proto.label == pb.FieldDescriptorProto.LABEL_REQUIRED:
        changes["field_presence"] = FS.LEGACY_REQUIRED
    elif proto.proto3_optional:
        changes["field_presence"] = FS.EXPLICIT
    if proto.type == pb.FieldDescriptorProto.TYPE_GROUP:
        changes["message_encoding"] = FS.DELIMITED
    if proto.options.HasField("packed"):
        changes["repeated_field_encoding"] = FS.PACKED if proto.options.packed else FS.EXPANDED
    if field.file.proto.options.java_string_check_utf8:
        changes["java_utf8_validation"] = JAVA_VERIFY
    return replace(resolved, **changes) if changes else resolved


class Cardinality:
    """buf's five cardinalities of a field (what ``FIELD_*_CARDINALITY`` compare)."""

    EXPLICIT = "optional with explicit presence"
    IMPLICIT = "optional with implicit presence"
    REQUIRED = "required"
    REPEATED = "repeated"
    MAP = "map"


def is_map(field: Field) -> bool:
    """A ``map<K, V>`` field: repeated, typed by a map-entry message nested in the same message."""
    proto = field.proto
    if proto.label != pb.FieldDescriptorProto.LABEL_REPEATED or proto.type != pb.FieldDescriptorProto.TYPE_MESSAGE:
        return False
    if field.message is None:
        return False
    for nested in field.message.proto.nested_type:
        if proto.type_name.lstrip(".") == f"{field.message.full_name}.{nested.name}":
            return nested.options.map_entry
    return False


def has_presence(field: Field, features: Features | None = None) -> bool:
    """Whether "not set" is distinguishable from the default (``has_x()`` exists)."""
    proto = field.proto
    if proto.label == pb.FieldDescriptorProto.LABEL_REPEATED:
        return False
    if proto.type in (pb.FieldDescriptorProto.TYPE_MESSAGE, pb.FieldDescriptorProto.TYPE_GROUP):
        return True
    if proto.extendee or proto.HasField("oneof_index"):
        return True
    resolved = features if features is not None else field_features(field)
    return resolved.field_presence != FS.IMPLICIT


def cardinality(field: Field) -> str:
    """One of :class:`Cardinality`'s values, from the label and the resolved presence."""
    proto = field.proto
    if proto.label == pb.FieldDescriptorProto.LABEL_REPEATED:
        return Cardinality.MAP if is_map(field) else Cardinality.REPEATED
    features = field_features(field)
    if features.field_presence == FS.LEGACY_REQUIRED:
        return Cardinality.REQUIRED
    return Cardinality.EXPLICIT if has_presence(field, features) else Cardinality.IMPLICIT


_SCALAR_KINDS = {number: name.removeprefix("TYPE_").lower() for name, number in pb.FieldDescriptorProto.Type.items()}


def kind(field: Field) -> str:
    """The wire kind: the scalar type name, ``enum``, ``message`` or ``group`` (delimited message)."""
    proto = field.proto
    if proto.type == pb.FieldDescriptorProto.TYPE_GROUP:
        return "group"
    if proto.type == pb.FieldDescriptorProto.TYPE_MESSAGE:
        if not is_map(field) and field_features(field).message_encoding == FS.DELIMITED:
            return "group"
        return "message"
    return _SCALAR_KINDS[proto.type]


def kind_label(field: Field) -> str:
    """:func:`kind` as people say it: a delimited message outside proto2 is not called a group."""
    found = kind(field)
    if found == "group" and edition_of(field.file) != EDITION_PROTO2:
        return "message (delimited encoding)"
    return found
