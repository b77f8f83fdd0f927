"""Field deletion rules: a field number that existed in a message must survive (or be reserved).

The three variants share :func:`_deleted_fields`, as buf's ``checkFieldNoDeleteWithRules``
does; they differ only in what excuses a deletion. Extensions are not fields of a message
here: deleting one is ``EXTENSION_NO_DELETE``'s business.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from ...compat.protobuf.elements import Field, Message
from ...compat.protobuf.features import EDITION_2023, edition_of
from ...compat.protobuf.image import CheckContext, Pair
from ...registry import Violation, rule
from ._common import PROTOBUF, violation


@dataclass(frozen=True, slots=True)
class _Deleted:
    field: Field
    number_reserved: bool
    name_reserved: bool
    moved_to: int | None  # number of a new field with the same name, if any


def _deleted_fields(pair: Pair[Message]) -> Iterator[_Deleted]:
    new_numbers = {f.number for f in pair.new.fields()}
    new_by_name = {f.name: f.number for f in pair.new.fields()}
    ranges = [(r.start, r.end) for r in pair.new.proto.reserved_range]  # end exclusive
    names = set(pair.new.proto.reserved_name)
    for old in pair.old.fields():
        if old.number in new_numbers:
            continue
        yield _Deleted(old, any(lo <= old.number < hi for lo, hi in ranges), old.name in names,
                       new_by_name.get(old.name))


def reserved_lines(message: Message, deleted: _Deleted) -> str:
    """The ``reserved`` statements still missing for a deleted field, in the file's syntax."""
    lines = []
    if not deleted.number_reserved:
        lines.append(f"reserved {deleted.field.number};")
    if not deleted.name_reserved:
        name = deleted.field.name if edition_of(message.file) >= EDITION_2023 else f'"{deleted.field.name}"'
        lines.append(f"reserved {name};")
    return " ".join(lines)


def _describe(pair: Pair[Message], deleted: _Deleted) -> str:
    old = deleted.field
    text = f'Field {old.number} "{old.name}" on message "{pair.new.full_name}" was deleted'
    if deleted.number_reserved and deleted.name_reserved:
        return text + " (number and name reserved)"
    if deleted.number_reserved:
        return text + f' (number reserved, name "{old.name}" not)'
    if deleted.name_reserved:
        return text + f" (name reserved, number {old.number} not)"
    return text + " without reserving its number or name"


def _moved(deleted: _Deleted) -> str:
    old = deleted.field
    return (f'field "{old.name}" moved from number {old.number} to {deleted.moved_to}, '
            f"but old binaries still write {old.number}")


def _hint(pair: Pair[Message], deleted: _Deleted) -> str:
    missing = reserved_lines(pair.new, deleted)
    if not missing:
        return ("Its number and name are reserved; if no consumer uses the field any more, run "
                "FIELD_NO_DELETE_UNLESS_NUMBER_RESERVED instead of FIELD_NO_DELETE.")
    if not deleted.number_reserved and not deleted.name_reserved:
        what = "its number and name"
    else:
        what = "its name" if deleted.number_reserved else "its number"
    return f'Add `{missing}` to message "{pair.new.name}" so that {what} can never be reused.'


def _finding(pair: Pair[Message], deleted: _Deleted, consequence: str) -> Violation:
    if deleted.moved_to is not None:
        consequence = _moved(deleted)
    return violation(f"{_describe(pair, deleted)}: {consequence}.", pair.new.location,
                     deleted.field.location, hint=_hint(pair, deleted), subject=deleted.field.full_name)


@rule("FIELD_NO_DELETE", format=PROTOBUF, subject="message", categories=("FILE", "PACKAGE", "CSR"))
def field_no_delete(pair: Pair[Message], ctx: CheckContext) -> Iterator[Violation]:
    """Flags a field that was deleted from a message that still exists.

    ## What it does
    Compares the field numbers of each message in the base and head revisions and reports
    every number that disappeared, reserved or not. The finding points at the message.

    ## Why is this breaking?
    Generated code loses the field's accessors, so every consumer that reads or writes it
    stops compiling. Old binaries keep sending the number; new readers skip it silently, so
    the value is lost in transit. If the number or name is not reserved, a later field can
    reuse it with another type and old data is misread.

    ## Example
    Before:
    ```proto
    message Order { string id = 1; string note = 4; }
    ```
    After:
    ```proto
    message Order { string id = 1; }
    ```

    ## How to change this safely
    Mark the field `[deprecated = true]` first and wait until no consumer reads it. Then
    delete it and reserve both its number and its name (`reserved 4; reserved "note";`),
    and select `FIELD_NO_DELETE_UNLESS_NUMBER_RESERVED` instead of this rule if reserved
    deletions are acceptable for your consumers.

    ## References
    - buf breaking rule `FIELD_NO_DELETE`.
    - https://protobuf.dev/programming-guides/proto3/#deleting
    """
    for deleted in _deleted_fields(pair):
        yield _finding(pair, deleted, "code that uses it no longer compiles")


@rule("FIELD_NO_DELETE_UNLESS_NUMBER_RESERVED", format=PROTOBUF, subject="message",
      categories=("WIRE_JSON", "WIRE", "CSR"))
def field_no_delete_unless_number_reserved(pair: Pair[Message], ctx: CheckContext) -> Iterator[Violation]:
    """Flags a field deleted without reserving its number.

    ## What it does
    Reports a field number that disappeared from a message unless the head message lists it
    in a `reserved` range.

    ## Why is this breaking?
    Old binaries keep writing the number. Without a reservation a later change can give the
    number to a new field of another type, and every reader then misparses old payloads —
    or fails on them — without any error at the schema level.

    ## Example
    Before:
    ```proto
    message Payment { string id = 1; int64 fee_cents = 3; }
    ```
    After:
    ```proto
    message Payment { string id = 1; }
    ```

    ## How to change this safely
    Delete the field and reserve its number in the same change: `reserved 3;`. Reserve the
    name too (`reserved "fee_cents";`) so JSON payloads cannot be read into a new field.

    ## References
    - buf breaking rule `FIELD_NO_DELETE_UNLESS_NUMBER_RESERVED`.
    """
    for deleted in _deleted_fields(pair):
        if not deleted.number_reserved:
            yield _finding(pair, deleted, f"a later field could reuse {deleted.field.number} and misread old data")


@rule("FIELD_NO_DELETE_UNLESS_NAME_RESERVED", format=PROTOBUF, subject="message", categories=("WIRE_JSON", "CSR"))
def field_no_delete_unless_name_reserved(pair: Pair[Message], ctx: CheckContext) -> Iterator[Violation]:
    """Flags a field deleted without reserving its name.

    ## What it does
    Reports a field number that disappeared from a message unless the head message lists the
    old field's name in its reserved names.

    ## Why is this breaking?
    The JSON mapping (and text format) identifies fields by name. Without a reservation a
    later field can take the name with another number or type, and JSON written by old
    producers is then read into the wrong field.

    ## Example
    Before:
    ```proto
    message User { string id = 1; string nickname = 2; }
    ```
    After:
    ```proto
    message User { string id = 1; }
    ```

    ## How to change this safely
    Reserve the name when deleting the field: `reserved "nickname";` (in editions files
    `reserved nickname;`), and reserve the number as well.

    ## References
    - buf breaking rule `FIELD_NO_DELETE_UNLESS_NAME_RESERVED`.
    """
    for deleted in _deleted_fields(pair):
        if not deleted.name_reserved:
            yield _finding(pair, deleted, f'a later field could reuse "{deleted.field.name}" and read old JSON')
