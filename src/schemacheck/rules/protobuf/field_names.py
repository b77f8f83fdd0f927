"""Field identity rules: a field keeps its name and its JSON name."""

from __future__ import annotations

from collections.abc import Iterator

from ...compat.protobuf.elements import Field, SourcePath
from ...compat.protobuf.image import CheckContext, Pair
from ...model import Location
from ...registry import Violation, rule
from ._common import PROTOBUF, field_label, owner_label, sentence, violation


@rule("FIELD_SAME_NAME", format=PROTOBUF, subject="field", categories=("FILE", "PACKAGE", "WIRE_JSON", "CSR"))
def field_same_name(pair: Pair[Field], ctx: CheckContext) -> Iterator[Violation]:
    """Flags a field whose number stayed but whose name changed.

    ## What it does
    Pairs fields by number within the same message (or extensions by extendee and number) and
    reports when the field's name differs. Extensions are compared by full name, so moving
    one into (or out of) a message's scope counts as a rename.

    ## Why is this breaking?
    The binary encoding uses only the number, but everything else uses the name: generated
    code (`order.total_amount` no longer compiles), the JSON mapping (readers look for
    `totalAmount` and silently get the default), field masks, and text format. A consumer that
    reads JSON gets `None`/`0` instead of the value — the `total_amount` → `total_cents`
    incident that schemacheck exists for.

    ## Example
    Before:
    ```proto
    message Order { int64 total_amount = 2; }
    ```
    After:
    ```proto
    message Order { int64 total_cents = 2; }
    ```

    ## How to change this safely
    Add the new field under a new number, populate both during a migration window, mark the
    old one `[deprecated = true]`, and only delete it (reserving its number and name) once no
    consumer reads it.

    ## References
    - buf breaking rule `FIELD_SAME_NAME`.
    """
    old, new = pair.old, pair.new
    if _identity(old) == _identity(new):
        return
    was, now = _identity(old), _identity(new)
    same_json = _json_name(old) == _json_name(new) and not new.proto.extendee
    readers = "source consumers" if same_json else "JSON and source consumers"
    what = f'Extension {old.number} "{was}" of' if new.proto.extendee else f'Field {old.number} "{was}" on'
    yield violation(
        f'{what} {owner_label(new).removeprefix("extension of ")} was renamed to "{now}": '
        f'{readers} still read "{was}".',
        new.span(SourcePath.FIELD_NAME),
        old.span(SourcePath.FIELD_NAME),
        hint=f'Keep "{old.name}" and add "{new.name}" as a new field with a new number; deprecate, then reserve, the old one.',
        subject=new.full_name,
    )


def _identity(field: Field) -> str:
    """Extensions are known by their full name (moving one into a message renames it)."""
    return field.full_name if field.proto.extendee else field.name


def _json_name(field: Field) -> str:
    return field.proto.json_name or field.name


def _json_name_location(field: Field) -> Location:
    """The explicit ``json_name`` option if spelled out, else the whole field (as buf reports)."""
    if field.file.has_span(field.source_path + (SourcePath.FIELD_JSON_NAME,)):
        return field.span(SourcePath.FIELD_JSON_NAME)
    return field.location


@rule("FIELD_SAME_JSON_NAME", format=PROTOBUF, subject="field", categories=("FILE", "PACKAGE", "WIRE_JSON", "CSR"))
def field_same_json_name(pair: Pair[Field], ctx: CheckContext) -> Iterator[Violation]:
    """Flags a field whose JSON name changed.

    ## What it does
    Compares the effective JSON name of paired fields (the explicit `json_name` option, or the
    lowerCamelCase name protoc derives from the field name). Extensions are skipped: their JSON
    name is their full name in brackets.

    ## Why is this breaking?
    The protobuf JSON mapping writes and reads fields by their JSON name. A consumer on the old
    schema looks for the old key and finds nothing, so it reads the default value — with no
    error anywhere.

    ## Example
    Before:
    ```proto
    message Order { int64 total_amount = 2; }   // JSON: "totalAmount"
    ```
    After:
    ```proto
    message Order { int64 total_cents = 2; }    // JSON: "totalCents"
    ```

    ## How to change this safely
    If only the protobuf name must change, pin the JSON name with
    `[json_name = "totalAmount"]`. Otherwise add a new field and migrate consumers first.

    ## References
    - buf breaking rule `FIELD_SAME_JSON_NAME`.
    """
    old, new = pair.old, pair.new
    if old.proto.extendee or new.proto.extendee:
        return
    if _json_name(old) == _json_name(new):
        return
    yield violation(
        f'{sentence(field_label(new))} changed its JSON name from "{_json_name(old)}" to "{_json_name(new)}": '
        f'JSON readers on the old schema no longer find it.',
        _json_name_location(new),
        _json_name_location(old),
        hint=f'Pin the old JSON name with [json_name = "{_json_name(old)}"], or add a new field instead of renaming.',
        subject=new.full_name,
    )
