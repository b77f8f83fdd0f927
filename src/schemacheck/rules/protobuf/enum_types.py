"""Enum-level feature rules: open vs closed semantics, and JSON support.

Both read the resolved editions features (``enum_type``, ``json_format``): proto2 enums are
closed with best-effort JSON, proto3 enums open with full JSON, editions inherit from the file
and enclosing messages.
"""

from __future__ import annotations

from collections.abc import Iterator

from google.protobuf import descriptor_pb2 as pb

from ...compat.protobuf.elements import Enum
from ...compat.protobuf.features import enum_features, feature_name
from ...compat.protobuf.image import CheckContext, Pair
from ...model import Location
from ...registry import Violation, rule
from ._common import PROTOBUF, violation

ENUM_OPTIONS, FEATURES, ENUM_TYPE, JSON_FORMAT = 3, 7, 2, 6


def _feature_or_enum(enum: Enum, feature: int) -> Location:
    path = enum.source_path + (ENUM_OPTIONS, FEATURES, feature)
    return enum.file.span(path) if enum.file.has_span(path) else enum.location


@rule("ENUM_SAME_TYPE", format=PROTOBUF, subject="enum", categories=("FILE", "PACKAGE"))
def enum_same_type(pair: Pair[Enum], ctx: CheckContext) -> Iterator[Violation]:
    """Flags an enum that switched between open and closed semantics.

    ## What it does
    Resolves each enum's `enum_type` feature — `CLOSED` for proto2 enums, `OPEN` for proto3
    and editions unless overridden — and reports a change, for example when a file moves
    from proto2 to proto3.

    ## Why is this breaking?
    A closed enum field stores unknown numbers among the unknown fields, so the field reads
    as its default; an open enum keeps the unknown number in the field. Code generated for
    the two differs (Java, C++ and others), and readers on either side treat values added
    later differently.

    ## Example
    Before:
    ```proto
    edition = "2023";
    enum Priority { PRIORITY_UNSPECIFIED = 0; PRIORITY_HIGH = 1; }
    ```
    After:
    ```proto
    edition = "2023";
    enum Priority { option features.enum_type = CLOSED; PRIORITY_UNSPECIFIED = 0; PRIORITY_HIGH = 1; }
    ```

    ## How to change this safely
    Pin the old behaviour with `option features.enum_type = ...;` on the enum when changing
    the file's syntax or edition.

    ## References
    - buf breaking rule `ENUM_SAME_TYPE`.
    - https://protobuf.dev/programming-guides/enum/
    """
    was, now = enum_features(pair.old).enum_type, enum_features(pair.new).enum_type
    if was == now:
        return
    old_name, new_name = feature_name("enum_type", was).lower(), feature_name("enum_type", now).lower()
    yield violation(
        f'Enum "{pair.new.full_name}" changed from {old_name} to {new_name}: readers on the two schemas handle '
        "unknown values differently and generated code changes.",
        _feature_or_enum(pair.new, ENUM_TYPE), _feature_or_enum(pair.old, ENUM_TYPE),
        hint=f"Pin the old semantics with `option features.enum_type = {feature_name('enum_type', was)};`.",
        subject=pair.new.full_name)


@rule("ENUM_SAME_JSON_FORMAT", format=PROTOBUF, subject="enum", categories=("FILE", "PACKAGE", "WIRE_JSON", "CSR"))
def enum_same_json_format(pair: Pair[Enum], ctx: CheckContext) -> Iterator[Violation]:
    """Flags an enum that lost full JSON support (`json_format` went from `ALLOW` to something else).

    ## What it does
    Resolves the `json_format` feature of each enum (`ALLOW` in proto3 and editions,
    `LEGACY_BEST_EFFORT` in proto2) and reports a change away from `ALLOW`.

    ## Why is this breaking?
    With `ALLOW`, protoc guarantees that the enum's values map to distinct JSON names.
    Without it, value names may later clash in JSON, so JSON consumers can no longer rely on
    reading back the value that was written.

    ## Example
    Before:
    ```proto
    syntax = "proto3";
    enum Channel { CHANNEL_UNSPECIFIED = 0; CHANNEL_WEB = 1; }
    ```
    After:
    ```proto
    syntax = "proto2";
    enum Channel { CHANNEL_UNSPECIFIED = 0; CHANNEL_WEB = 1; }
    ```

    ## How to change this safely
    Keep `json_format = ALLOW`; when converting a file, pin it with
    `option features.json_format = ALLOW;`.

    ## References
    - buf breaking rule `ENUM_SAME_JSON_FORMAT`.
    """
    was, now = enum_features(pair.old).json_format, enum_features(pair.new).json_format
    if was != pb.FeatureSet.ALLOW or now == pb.FeatureSet.ALLOW:
        return
    yield violation(
        f'Enum "{pair.new.full_name}" changed JSON format support from "ALLOW" to '
        f'"{feature_name("json_format", now)}": its JSON mapping is no longer guaranteed to be valid.',
        _feature_or_enum(pair.new, JSON_FORMAT), _feature_or_enum(pair.old, JSON_FORMAT),
        hint="Set `option features.json_format = ALLOW;` on the enum or file.",
        subject=pair.new.full_name)
