"""Field option and feature rules that change generated code or validation: C++ string type,
Java UTF-8 checking, JS type of 64-bit integers, UTF-8 validation.

Values are resolved through ``compat.protobuf.features`` (legacy options folded in), so a
proto2 ``[ctype = CORD]`` and an editions ``features.(pb.cpp).string_type = CORD`` compare
equal. Findings point at the option when it is spelled on the field, as buf does.
"""

from __future__ import annotations

from collections.abc import Iterator

from google.protobuf import descriptor_pb2 as pb

from ...compat.protobuf.elements import Field
from ...compat.protobuf.features import (
    CPP_EXTENSION,
    CPP_STRING_TYPE_FIELD,
    EDITION_2024,
    JAVA_EXTENSION,
    JAVA_UTF8_FIELD,
    JAVA_VERIFY,
    edition_of,
    feature_name,
    field_features,
    kind,
)
from ...compat.protobuf.image import CheckContext, Pair
from ...model import Location
from ...registry import Violation, rule
from ._common import PROTOBUF, violation
from ._fieldinfo import describe, field_span

FIELD_OPTIONS, CTYPE, JSTYPE, FEATURES = 8, 1, 6, 21
FILE_OPTIONS, JAVA_STRING_CHECK_UTF8 = 8, 27
UTF8_VALIDATION = 4
_INT64 = (pb.FieldDescriptorProto.TYPE_INT64, pb.FieldDescriptorProto.TYPE_SINT64, pb.FieldDescriptorProto.TYPE_UINT64,
          pb.FieldDescriptorProto.TYPE_FIXED64, pb.FieldDescriptorProto.TYPE_SFIXED64)


def _first_span(field: Field, *paths: tuple[int, ...]) -> Location:
    """The first option path spelled on the field, else the field itself."""
    for path in paths:
        if field.file.has_span(field.source_path + path):
            return field.file.span(field.source_path + path)
    return field_span(field)


def _both_map_entries(pair: Pair[Field]) -> bool:
    old, new = pair.old.message, pair.new.message
    return old is not None and new is not None and old.is_map_entry and new.is_map_entry


def _cpp_string_type(field: Field) -> str:
    opts = field.proto.options
    if edition_of(field.file) < EDITION_2024 and opts.HasField("ctype") and opts.ctype == pb.FieldOptions.STRING_PIECE:
        return "STRING_PIECE"
    return feature_name("cpp_string_type", field_features(field).cpp_string_type)


@rule("FIELD_SAME_CPP_STRING_TYPE", format=PROTOBUF, subject="field", categories=("FILE", "PACKAGE"))
def field_same_cpp_string_type(pair: Pair[Field], ctx: CheckContext) -> Iterator[Violation]:
    """Flags a string or bytes field whose C++ representation changed.

    ## What it does
    Resolves the C++ string type of string and bytes fields — the `ctype` option (up to
    edition 2023) or the `(pb.cpp).string_type` feature, whose default is `STRING`, and
    `VIEW` from edition 2024 — and reports a change. Moving from `STRING_PIECE` to `STRING`
    is allowed. Map keys and values cannot be configured and are skipped.

    ## Why is this breaking?
    The generated C++ accessors change type (`std::string`, `absl::Cord`,
    `absl::string_view`), so C++ code using the field stops compiling. Other languages
    are not affected.

    ## Example
    Before:
    ```proto
    message Document { bytes body = 2; }
    ```
    After:
    ```proto
    message Document { bytes body = 2 [ctype = CORD]; }
    ```

    ## How to change this safely
    Update C++ callers in the same change, or add a new field with the new representation.
    When migrating a file to edition 2024, pin `features.(pb.cpp).string_type = STRING` on
    the file to keep the old accessors.

    ## References
    - buf breaking rule `FIELD_SAME_CPP_STRING_TYPE` (replaces `FIELD_SAME_CTYPE`).
    """
    old, new = pair.old, pair.new
    if _both_map_entries(pair) or kind(old) not in ("string", "bytes") or kind(new) not in ("string", "bytes"):
        return
    was, now = _cpp_string_type(old), _cpp_string_type(new)
    if was == now or (was == "STRING_PIECE" and now == "STRING"):
        return
    paths = ((FIELD_OPTIONS, CTYPE), (FIELD_OPTIONS, FEATURES, CPP_EXTENSION, CPP_STRING_TYPE_FIELD))
    yield violation(
        f'{describe(new)} changed C++ string type from "{was}" to "{now}": C++ code using its accessors no longer compiles.',
        _first_span(new, *paths), _first_span(old, *paths),
        hint=_cpp_hint(new, was),
        subject=new.full_name)


def _cpp_hint(field: Field, was: str) -> str:
    if field.file.proto.syntax != "editions" or (edition_of(field.file) < EDITION_2024 and was != "VIEW"):
        return f"Restore [ctype = {was}] on the field to keep the C++ API."
    return f"Restore [features.(pb.cpp).string_type = {was}] on the field (or the file) to keep the C++ API."


def _java_utf8(field: Field) -> str:
    features = field_features(field)
    if features.java_utf8_validation == JAVA_VERIFY:  # (pb.java).utf8_validation, or java_string_check_utf8
        return "VERIFY"
    return feature_name("utf8_validation", features.utf8_validation)


def _java_location(field: Field) -> Location:
    file_path = (FILE_OPTIONS, JAVA_STRING_CHECK_UTF8)
    if field.file.has_span(file_path):
        return field.file.span(file_path)
    return _first_span(field, (FIELD_OPTIONS, FEATURES, JAVA_EXTENSION, JAVA_UTF8_FIELD))


@rule("FIELD_SAME_JAVA_UTF8_VALIDATION", format=PROTOBUF, subject="field", categories=("FILE", "PACKAGE"))
def field_same_java_utf8_validation(pair: Pair[Field], ctx: CheckContext) -> Iterator[Violation]:
    """Flags a string field whose UTF-8 checking in Java changed.

    ## What it does
    Resolves whether generated Java code verifies UTF-8 for each string field: the
    `java_string_check_utf8` file option (proto2/proto3), the `(pb.java).utf8_validation`
    feature (editions), else the field's `utf8_validation` feature. Reports a change.

    ## Why is this breaking?
    With verification on, Java parsers throw on invalid UTF-8 that they used to accept, so
    messages from existing producers start failing; turning it off lets invalid strings
    through to code that assumed validity.

    ## Example
    Before:
    ```proto
    syntax = "proto2";
    message Review { optional string text = 1; }
    ```
    After:
    ```proto
    syntax = "proto2";
    option java_string_check_utf8 = true;
    message Review { optional string text = 1; }
    ```

    ## How to change this safely
    Verify that every producer writes valid UTF-8 before enabling checks; roll the change
    out to Java consumers deliberately.

    ## References
    - buf breaking rule `FIELD_SAME_JAVA_UTF8_VALIDATION` (replaces `FILE_SAME_JAVA_STRING_CHECK_UTF8`).
    """
    old, new = pair.old, pair.new
    if kind(old) != "string" or kind(new) != "string":
        return
    was, now = _java_utf8(old), _java_utf8(new)
    if was == now:
        return
    yield violation(
        f'{describe(new)} changed Java UTF-8 validation from "{was}" to "{now}": Java parsers now '
        f'{"reject" if now == "VERIFY" else "accept"} invalid UTF-8 in it.',
        _java_location(new), _java_location(old),
        hint="Keep the Java validation setting, or confirm every producer and consumer handles the new behaviour.",
        subject=new.full_name)


@rule("FIELD_SAME_JSTYPE", format=PROTOBUF, subject="field", categories=("FILE", "PACKAGE"))
def field_same_jstype(pair: Pair[Field], ctx: CheckContext) -> Iterator[Violation]:
    """Flags a 64-bit integer field whose `jstype` option changed.

    ## What it does
    Compares the `jstype` option (`JS_NORMAL`, `JS_STRING`, `JS_NUMBER`) of paired fields
    whose type is a 64-bit integer on both sides.

    ## Why is this breaking?
    Generated JavaScript and TypeScript code represents the field as a string or as a number
    depending on `jstype`; callers doing arithmetic or comparisons break, and `JS_NUMBER`
    loses precision above 2^53.

    ## Example
    Before:
    ```proto
    message Order { int64 id = 1 [jstype = JS_STRING]; }
    ```
    After:
    ```proto
    message Order { int64 id = 1; }
    ```

    ## How to change this safely
    Keep the option; if JavaScript callers need another representation, add a new field.

    ## References
    - buf breaking rule `FIELD_SAME_JSTYPE`.
    """
    old, new = pair.old, pair.new
    if old.proto.type not in _INT64 or new.proto.type not in _INT64:
        return
    was, now = old.proto.options.jstype, new.proto.options.jstype
    if was == now:
        return
    names = pb.FieldOptions.JSType
    yield violation(
        f'{describe(new)} changed option "jstype" from "{names.Name(was)}" to "{names.Name(now)}": '
        "generated JavaScript code changes the field's type.",
        _first_span(new, (FIELD_OPTIONS, JSTYPE)), _first_span(old, (FIELD_OPTIONS, JSTYPE)),
        hint=f"Restore [jstype = {names.Name(was)}].",
        subject=new.full_name)


@rule("FIELD_SAME_UTF8_VALIDATION", format=PROTOBUF, subject="field", categories=("FILE", "PACKAGE"))
def field_same_utf8_validation(pair: Pair[Field], ctx: CheckContext) -> Iterator[Violation]:
    """Flags a string field whose UTF-8 validation (`NONE` or `VERIFY`) changed.

    ## What it does
    Resolves the `utf8_validation` feature of string fields — `NONE` in proto2, `VERIFY` in
    proto3 and editions unless overridden on the field, message or file — and reports a
    change, such as a proto2 file moving to proto3.

    ## Why is this breaking?
    With `VERIFY`, parsers reject strings that are not valid UTF-8; data that producers on
    the old schema could send is now refused. With `NONE`, invalid bytes flow into code that
    expected text.

    ## Example
    Before:
    ```proto
    edition = "2023";
    message Review { string text = 1 [features.utf8_validation = NONE]; }
    ```
    After:
    ```proto
    edition = "2023";
    message Review { string text = 1; }
    ```

    ## How to change this safely
    Pin the old behaviour with `features.utf8_validation` on the field (or file) when
    changing syntax or edition.

    ## References
    - buf breaking rule `FIELD_SAME_UTF8_VALIDATION`.
    """
    old, new = pair.old, pair.new
    if kind(old) != "string" or kind(new) != "string":
        return
    was = feature_name("utf8_validation", field_features(old).utf8_validation)
    now = feature_name("utf8_validation", field_features(new).utf8_validation)
    if was == now:
        return
    path = (FIELD_OPTIONS, FEATURES, UTF8_VALIDATION)
    yield violation(
        f'{describe(new)} changed UTF-8 validation from "{was}" to "{now}": parsers now '
        f'{"reject" if now == "VERIFY" else "accept"} strings that are not valid UTF-8.',
        _first_span(new, path), _first_span(old, path),
        hint=(f"Pin the old behaviour with [features.utf8_validation = {was}]." if new.file.proto.syntax == "editions"
              else "Keep the old syntax, or move to editions and pin features.utf8_validation."),
        subject=new.full_name)
