"""Message-level rules: required fields, JSON support and the standard descriptor accessor.

Required-ness is the proto2 ``required`` label, as in buf (editions ``LEGACY_REQUIRED`` fields
are reported by ``FIELD_*_CARDINALITY`` instead); JSON support is the resolved ``json_format``
feature, so a proto3 file moving to proto2 counts, as in buf.
"""

from __future__ import annotations

from collections.abc import Iterator

from google.protobuf import descriptor_pb2 as pb

from ...compat.protobuf.elements import Message
from ...compat.protobuf.features import feature_name, message_features
from ...compat.protobuf.image import CheckContext, Pair
from ...model import Location
from ...registry import Violation, rule
from ._common import PROTOBUF, violation
from ._fieldinfo import message_span

MESSAGE_OPTIONS, NO_STANDARD_DESCRIPTOR_ACCESSOR, FEATURES, JSON_FORMAT = 7, 2, 12, 6


def _required(message: Message) -> dict[int, str]:
    # buf counts the proto2 label only; editions LEGACY_REQUIRED is left to the cardinality rules.
    return {f.number: f.name for f in message.fields() if f.proto.label == pb.FieldDescriptorProto.LABEL_REQUIRED}


@rule("MESSAGE_SAME_REQUIRED_FIELDS", format=PROTOBUF, subject="message",
      categories=("FILE", "PACKAGE", "WIRE_JSON", "WIRE", "CSR"))
def message_same_required_fields(pair: Pair[Message], ctx: CheckContext) -> Iterator[Violation]:
    """Flags a required field added to, or removed from, an existing message.

    ## What it does
    Compares the numbers of the proto2 `required` fields of each message. A removed
    required field is reported at the message; an added one (new, or made required) at the
    field. Editions fields with `field_presence = LEGACY_REQUIRED` are not counted here, as in
    buf; `FIELD_SAME_CARDINALITY` and the wire cardinality rules report them.

    ## Why is this breaking?
    Parsers reject a message that lacks a required field. Writers on the old schema do not
    send a newly required field, and readers on the old schema reject messages from writers
    that no longer send a field it still requires.

    ## Example
    Before:
    ```proto
    message Shipment { required string tracking_id = 1; }
    ```
    After:
    ```proto
    message Shipment { required string tracking_id = 1; required string carrier = 2; }
    ```

    ## How to change this safely
    Do not add or remove required fields. Add optional fields and validate in application
    code; to drop `required`, first make every writer always set the field, then relax it
    in a coordinated release.

    ## References
    - buf breaking rule `MESSAGE_SAME_REQUIRED_FIELDS`.
    - https://protobuf.dev/programming-guides/proto2/#field-labels
    """
    old_required, new_required = _required(pair.old), _required(pair.new)
    for number, name in old_required.items():
        if number not in new_required:
            yield violation(
                f'Message "{pair.new.full_name}" no longer requires field {number} "{name}": readers on the old '
                "schema reject messages from writers that omit it.",
                message_span(pair.new), message_span(pair.old),
                hint="Keep the field required until every reader is on the new schema.",
                subject=f"{pair.new.full_name}.{name}")
    for field in pair.new.fields():
        if field.number in new_required and field.number not in old_required:
            yield violation(
                f'Message "{pair.new.full_name}" gained required field {field.number} "{field.name}": readers on '
                "the new schema reject messages from writers on the old one.",
                field.location, None,
                hint="Make the field optional and validate its presence in application code.",
                subject=field.full_name)


def _option_or_message(message: Message, *path: int) -> Location:
    return message_span(message, *path)


@rule("MESSAGE_SAME_JSON_FORMAT", format=PROTOBUF, subject="message", categories=("FILE", "PACKAGE", "WIRE_JSON", "CSR"))
def message_same_json_format(pair: Pair[Message], ctx: CheckContext) -> Iterator[Violation]:
    """Flags a message that lost full JSON support (`json_format` went from `ALLOW` to something else).

    ## What it does
    Resolves the editions `json_format` feature of each message (`ALLOW` in proto3,
    `LEGACY_BEST_EFFORT` in proto2, inherited from the file and enclosing messages) and
    reports a change away from `ALLOW`.

    ## Why is this breaking?
    With `ALLOW`, protoc guarantees that the message has a valid, conflict-free JSON
    mapping. Once that guarantee is gone, later changes may introduce JSON name clashes that
    break JSON consumers, and tools that rely on the guarantee may reject the schema.

    ## Example
    Before:
    ```proto
    edition = "2023";
    message Order { string id = 1; }
    ```
    After:
    ```proto
    edition = "2023";
    message Order { option features.json_format = LEGACY_BEST_EFFORT; string id = 1; }
    ```

    ## How to change this safely
    Keep `json_format = ALLOW`; when converting a proto3 file to proto2 or editions, pin it
    explicitly.

    ## References
    - buf breaking rule `MESSAGE_SAME_JSON_FORMAT`.
    """
    was = message_features(pair.old).json_format
    now = message_features(pair.new).json_format
    if was != pb.FeatureSet.ALLOW or now == pb.FeatureSet.ALLOW:
        return
    path = (MESSAGE_OPTIONS, FEATURES, JSON_FORMAT)
    yield violation(
        f'Message "{pair.new.full_name}" changed JSON format support from "ALLOW" to '
        f'"{feature_name("json_format", now)}": its JSON mapping is no longer guaranteed to be valid.',
        _option_or_message(pair.new, *path), _option_or_message(pair.old, *path),
        hint="Set `option features.json_format = ALLOW;` on the message or file.",
        subject=pair.new.full_name)


@rule("MESSAGE_NO_REMOVE_STANDARD_DESCRIPTOR_ACCESSOR", format=PROTOBUF, subject="message",
      categories=("FILE", "PACKAGE", "CSR"))
def message_no_remove_standard_descriptor_accessor(pair: Pair[Message], ctx: CheckContext) -> Iterator[Violation]:
    """Flags a message that turned on `no_standard_descriptor_accessor`.

    ## What it does
    Reports a message whose `no_standard_descriptor_accessor` option went from unset or
    `false` to `true`.

    ## Why is this breaking?
    The option removes the generated `descriptor()` accessor (in C++ and Java), so code
    that reflects over the message through it no longer compiles.

    ## Example
    Before:
    ```proto
    message Order { string id = 1; }
    ```
    After:
    ```proto
    message Order { option no_standard_descriptor_accessor = true; string id = 1; }
    ```

    ## How to change this safely
    Leave the option off on existing messages.

    ## References
    - buf breaking rule `MESSAGE_NO_REMOVE_STANDARD_DESCRIPTOR_ACCESSOR`.
    """
    if pair.old.proto.options.no_standard_descriptor_accessor or not pair.new.proto.options.no_standard_descriptor_accessor:
        return
    path = (MESSAGE_OPTIONS, NO_STANDARD_DESCRIPTOR_ACCESSOR)
    yield violation(
        f'Message "{pair.new.full_name}" turned on option "no_standard_descriptor_accessor": code calling its '
        "generated descriptor() accessor no longer compiles.",
        _option_or_message(pair.new, *path), _option_or_message(pair.old, *path),
        hint="Remove `option no_standard_descriptor_accessor = true;`.",
        subject=pair.new.full_name)
