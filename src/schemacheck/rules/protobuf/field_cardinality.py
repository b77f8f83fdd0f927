"""Field cardinality rules: optional (explicit or implicit presence), required, repeated, map.

Cardinality comes from ``compat.protobuf.features.cardinality``: the label plus the resolved
``field_presence`` feature, so proto2 ``required``, proto3 ``optional``, oneof membership and
editions ``LEGACY_REQUIRED`` / ``IMPLICIT`` all compare as one value. Fields of synthetic map
entry messages are skipped: their presence follows the file but never changes behaviour.
"""

from __future__ import annotations

from collections.abc import Iterator

from ...compat.protobuf.elements import Field
from ...compat.protobuf.features import Cardinality, cardinality
from ...compat.protobuf.image import CheckContext, Pair
from ...registry import Violation, rule
from ._common import PROTOBUF, violation
from ._fieldinfo import describe, field_span

C = Cardinality
#: Cardinalities that share a binary encoding.
WIRE_GROUPS = {C.EXPLICIT: 1, C.IMPLICIT: 1, C.REQUIRED: 2, C.REPEATED: 3, C.MAP: 3}
#: ... and a JSON encoding too (a map is a JSON object, a repeated field an array).
WIRE_JSON_GROUPS = {C.EXPLICIT: 1, C.IMPLICIT: 1, C.REQUIRED: 2, C.REPEATED: 3, C.MAP: 4}


def _consequence(old: str, new: str) -> str:
    if C.REQUIRED in (old, new):
        return "a reader that requires the field rejects messages from a writer that may omit it"
    if {old, new} == {C.REPEATED, C.MAP}:
        return "its JSON changes between an array and an object, and generated code changes shape"
    if C.REPEATED in (old, new) or C.MAP in (old, new):
        return "a singular reader keeps only the last of several values, and generated code changes shape"
    return "generated code gains or loses its has-accessor and unset values read differently"


def _check(pair: Pair[Field], groups: dict[str, int] | None) -> Iterator[Violation]:
    old, new = pair.old, pair.new
    if old.message is not None and new.message is not None and old.message.is_map_entry and new.message.is_map_entry:
        return
    was, now = cardinality(old), cardinality(new)
    if was == now or (groups is not None and groups[was] == groups[now]):
        return
    yield violation(
        f'{describe(new)} changed cardinality from "{was}" to "{now}": {_consequence(was, now)}.',
        field_span(new), field_span(old),
        hint="Add a new field with the new cardinality under a new number and migrate readers to it.",
        subject=new.full_name)


@rule("FIELD_SAME_CARDINALITY", format=PROTOBUF, subject="field", categories=("FILE", "PACKAGE"))
def field_same_cardinality(pair: Pair[Field], ctx: CheckContext) -> Iterator[Violation]:
    """Flags any change among optional (explicit or implicit presence), required, repeated and map.

    ## What it does
    Resolves each paired field's cardinality — `optional with explicit presence`,
    `optional with implicit presence`, `required`, `repeated`, `map` — from its label and
    the editions `field_presence` feature (proto2 `required`, proto3 `optional`, oneofs,
    `LEGACY_REQUIRED` included) and reports any change.

    ## Why is this breaking?
    Generated code differs per cardinality: `has_note()` exists only with explicit presence,
    repeated fields become lists and maps dictionaries. Consumers stop compiling, and an
    implicit-presence field can no longer tell "unset" from zero.

    ## Example
    Before:
    ```proto
    message Order { string note = 4; }
    ```
    After:
    ```proto
    message Order { repeated string note = 4; }
    ```

    ## How to change this safely
    Add a new field with the wanted cardinality under a new number, migrate consumers, then
    deprecate the old field.

    ## References
    - buf breaking rule `FIELD_SAME_CARDINALITY` (replaces `FIELD_SAME_LABEL`).
    """
    yield from _check(pair, None)


@rule("FIELD_WIRE_COMPATIBLE_CARDINALITY", format=PROTOBUF, subject="field", categories=("WIRE",))
def field_wire_compatible_cardinality(pair: Pair[Field], ctx: CheckContext) -> Iterator[Violation]:
    """Flags a cardinality change that changes the binary encoding.

    ## What it does
    Groups cardinalities by binary encoding — optional (either presence), required, and
    repeated or map — and reports a field that moved between groups.

    ## Why is this breaking?
    A required field missing from a message makes strict readers reject it; a repeated
    field read as singular keeps only the last element (and packed scalars are misread
    by old parsers). Switching between optional flavours, or between repeated and map, keeps
    the bytes readable.

    ## Example
    Before:
    ```proto
    message Shipment { optional string carrier = 3; }
    ```
    After:
    ```proto
    message Shipment { required string carrier = 3; }
    ```

    ## How to change this safely
    Never add or remove `required`; validate in application code instead. For singular to
    repeated, add a new repeated field.

    ## References
    - buf breaking rule `FIELD_WIRE_COMPATIBLE_CARDINALITY` (replaces `FIELD_SAME_LABEL`).
    """
    yield from _check(pair, WIRE_GROUPS)


@rule("FIELD_WIRE_JSON_COMPATIBLE_CARDINALITY", format=PROTOBUF, subject="field", categories=("WIRE_JSON", "CSR"))
def field_wire_json_compatible_cardinality(pair: Pair[Field], ctx: CheckContext) -> Iterator[Violation]:
    """Flags a cardinality change that changes the binary or the JSON encoding.

    ## What it does
    Like `FIELD_WIRE_COMPATIBLE_CARDINALITY`, but repeated and map are separate groups as
    well, because JSON writes a map as an object and a repeated field as an array.

    ## Why is this breaking?
    Besides the binary-encoding breaks, a JSON reader expecting an array fails on an object
    (and the other way round), even though the binary bytes of `map<K, V>` and
    `repeated Entry` are identical.

    ## Example
    Before:
    ```proto
    message Product { repeated Attribute attributes = 5; }
    ```
    After:
    ```proto
    message Product { map<string, string> attributes = 5; }
    ```

    ## How to change this safely
    Add the map as a new field, fill both during a migration, then retire the repeated one.

    ## References
    - buf breaking rule `FIELD_WIRE_JSON_COMPATIBLE_CARDINALITY` (replaces `FIELD_SAME_LABEL`).
    """
    yield from _check(pair, WIRE_JSON_GROUPS)
