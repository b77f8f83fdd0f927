"""Oneof rules: a oneof survives, and a field stays in (or out of) the same oneof.

Synthetic oneofs (the ones protoc makes for proto3 ``optional`` fields) are ignored: that is a
presence change, which the cardinality rules report.
"""

from __future__ import annotations

from collections.abc import Iterator

from ...compat.protobuf.elements import Field, Message
from ...compat.protobuf.image import CheckContext, Pair
from ...registry import Violation, rule
from ._common import PROTOBUF, violation
from ._fieldinfo import describe


@rule("ONEOF_NO_DELETE", format=PROTOBUF, subject="message", categories=("FILE", "PACKAGE", "CSR"))
def oneof_no_delete(pair: Pair[Message], ctx: CheckContext) -> Iterator[Violation]:
    """Flags a oneof that was deleted from a message that still exists.

    ## What it does
    Compares the (non-synthetic) oneofs of each message by name and reports the ones that
    are gone. The finding points at the message.

    ## Why is this breaking?
    Generated code loses the oneof's case enum and accessors (`payment_case()`,
    `WhichOneof("payment")`), so consumers that switch on it stop compiling. If its members
    survive as plain fields, setting one no longer clears the others, and readers that
    assumed at most one is set see several.

    ## Example
    Before:
    ```proto
    message Order { oneof payment { string card_token = 8; string voucher_code = 9; } }
    ```
    After:
    ```proto
    message Order { string card_token = 8; string voucher_code = 9; }
    ```

    ## How to change this safely
    Keep the oneof. To retire it, deprecate its members, stop reading them, and only then
    delete the fields and reserve their numbers and names.

    ## References
    - buf breaking rule `ONEOF_NO_DELETE`.
    """
    remaining = {o.name for o in pair.new.oneofs()}
    for oneof in pair.old.oneofs():
        if oneof.is_synthetic or oneof.name in remaining:
            continue
        members = [f.name for f in pair.old.fields() if f.proto.HasField("oneof_index")
                   and f.proto.oneof_index == oneof.index]
        listed = ", ".join(f'"{m}"' for m in members)
        yield violation(
            f'Oneof "{oneof.name}" on message "{pair.new.full_name}" was deleted: code that switches on '
            f'its case no longer compiles, and its members ({listed}) no longer exclude each other.',
            pair.new.location, oneof.location,
            hint=f'Restore oneof "{oneof.name}"; deprecate its members first if it must go.',
            subject=f"{pair.new.full_name}.{oneof.name}")


def _real_oneof(field: Field) -> str | None:
    return None if field.proto.extendee else field.oneof


@rule("FIELD_SAME_ONEOF", format=PROTOBUF, subject="field", categories=("FILE", "PACKAGE", "WIRE_JSON", "WIRE", "CSR"))
def field_same_oneof(pair: Pair[Field], ctx: CheckContext) -> Iterator[Violation]:
    """Flags a field that moved into, out of, or between oneofs.

    ## What it does
    Compares the oneof each paired field belongs to (ignoring the synthetic oneofs of proto3
    `optional` fields) and reports any difference. Extensions are never in a oneof.

    ## Why is this breaking?
    Oneof membership decides which fields clear each other. A writer on one version may set
    two fields that a reader on the other version treats as mutually exclusive: the reader
    keeps only the last one and silently drops the other. Generated code changes as well.

    ## Example
    Before:
    ```proto
    message Order { string card_token = 8; }
    ```
    After:
    ```proto
    message Order { oneof payment { string card_token = 8; string voucher_code = 9; } }
    ```

    ## How to change this safely
    Add new fields (new numbers) inside the oneof and migrate to them; leave existing fields
    where they are.

    ## References
    - buf breaking rule `FIELD_SAME_ONEOF`.
    """
    old, new = pair.old, pair.new
    was, now = _real_oneof(old), _real_oneof(new)
    if was == now:
        return
    if was is not None and now is not None:
        change = f'moved from oneof "{was}" to oneof "{now}"'
    elif now is not None:
        change = f'moved into oneof "{now}"'
    else:
        change = f'moved out of oneof "{was}"'
    yield violation(
        f"{describe(new)} {change}: readers on the other version disagree about which fields "
        "clear each other and drop values.",
        new.location, old.location,
        hint="Leave the field where it was and add a new field (new number) in the intended place.",
        subject=new.full_name)
