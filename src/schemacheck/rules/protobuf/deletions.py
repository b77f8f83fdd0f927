"""File-scope deletion rules: a message, enum or service declared in a file stays in that file."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping

from ...compat.protobuf.elements import ProtoFile
from ...compat.protobuf.image import CheckContext, Pair
from ...registry import Violation, rule
from ._common import PROTOBUF, violation
from ._scope import deleted_at, nested_enums, nested_messages, services_by_name


def deleted_from_file(pair: Pair[ProtoFile], ctx: CheckContext, kind: str,
                      table: Callable[[ProtoFile], Mapping[str, object]], readers: str) -> Iterator[Violation]:
    """Shared body of the ``*_NO_DELETE`` file-scope rules: names in the old file, gone from the new."""
    old, new = pair.old, pair.new
    new_names = table(new)
    parents = nested_messages(new)
    for name, element in sorted(table(old).items()):
        if name in new_names:
            continue
        full_name = getattr(element, "full_name", name)
        moved = _moved_to(ctx, kind, full_name, new)
        if moved:
            text = (f'{kind.capitalize()} "{full_name}" moved from file "{new.name}" to "{moved}": code that '
                    f'imports "{new.name}" for it no longer compiles.')
        elif getattr(element, "is_map_entry", False):
            text = (f'Map entry "{full_name}" was deleted from file "{new.name}": its field is no longer a map, '
                    f'so map accessors and the JSON object form are gone.')
        else:
            text = f'{kind.capitalize()} "{full_name}" was deleted from file "{new.name}": {readers}.'
        yield violation(
            text,
            deleted_at(new, name, parents),
            element.location,  # type: ignore[attr-defined]
            hint=_hint(kind, name, moved),
            subject=full_name,
        )


def _moved_to(ctx: CheckContext, kind: str, full_name: str, new: ProtoFile) -> str:
    index = {"message": ctx.new.messages, "enum": ctx.new.enums, "service": ctx.new.services}.get(kind, {})
    found = index.get(full_name)
    return found.file.path if found is not None and found.file.path != new.path else ""  # type: ignore[attr-defined]


def _hint(kind: str, name: str, moved: str) -> str:
    if moved:
        return (f'Moving a {kind} between files breaks code generated per file; keep "{name}" where it was, '
                f'or select the PACKAGE category if only package-level compatibility matters.')
    return f'Keep the {kind} "{name}" and mark it deprecated (option deprecated = true) until no consumer uses it.'


@rule("MESSAGE_NO_DELETE", format=PROTOBUF, subject="file", categories=("FILE", "CSR"))
def message_no_delete(pair: Pair[ProtoFile], ctx: CheckContext) -> Iterator[Violation]:
    """Flags a message, top level or nested, that disappeared from its file.

    ## What it does
    Compares the messages each file declares, by name within the file (`Order`,
    `Order.Line`), and reports each one that is no longer declared in that file — deleted, or
    moved to another file. The finding points at the nearest enclosing message that still
    exists, else at the file.

    ## Why is this breaking?
    Fields of other messages, RPC signatures and generated code refer to the message by name;
    they stop compiling. Data already serialised with the message can no longer be decoded
    with the new schema, and `Any` values naming it cannot be resolved.

    ## Example
    Before:
    ```proto
    message Order { message Line { string sku = 1; } }
    message Refund { string order_id = 1; }
    ```
    After:
    ```proto
    message Order {}
    ```

    ## How to change this safely
    Mark the message `option deprecated = true;`, stop using it, and delete it only once no
    consumer refers to it. To move it to another file of the same package, use the `PACKAGE`
    category (which allows moves) instead of `FILE`.

    ## References
    - buf breaking rule `MESSAGE_NO_DELETE`.
    """
    yield from deleted_from_file(pair, ctx, "message", nested_messages,
                                 "code and schemas that refer to it no longer compile")


@rule("ENUM_NO_DELETE", format=PROTOBUF, subject="file", categories=("FILE", "CSR"))
def enum_no_delete(pair: Pair[ProtoFile], ctx: CheckContext) -> Iterator[Violation]:
    """Flags an enum, top level or nested in a message, that disappeared from its file.

    ## What it does
    Compares the enums each file declares, by name within the file (`Status`,
    `Order.Status`), and reports each one no longer declared there — deleted, or moved to
    another file. The finding points at the nearest enclosing message that still exists,
    else at the file.

    ## Why is this breaking?
    Fields typed with the enum and generated code that names it stop compiling; JSON readers
    can no longer map value names to numbers.

    ## Example
    Before:
    ```proto
    enum PaymentStatus { PAYMENT_STATUS_UNSPECIFIED = 0; PAYMENT_STATUS_PAID = 1; }
    ```
    After: the enum is gone.

    ## How to change this safely
    Keep the enum, deprecated, until nothing refers to it. To move it within its package,
    select the `PACKAGE` category instead of `FILE`.

    ## References
    - buf breaking rule `ENUM_NO_DELETE`.
    """
    yield from deleted_from_file(pair, ctx, "enum", nested_enums,
                                 "fields and code that refer to it no longer compile")


@rule("SERVICE_NO_DELETE", format=PROTOBUF, subject="file", categories=("FILE",))
def service_no_delete(pair: Pair[ProtoFile], ctx: CheckContext) -> Iterator[Violation]:
    """Flags a service that disappeared from its file.

    ## What it does
    Compares the services each file declares, by name, and reports each one no longer
    declared there — deleted, or moved to another file. The finding points at the file.

    ## Why is this breaking?
    Clients generated from the old file call methods the server no longer serves
    (`UNIMPLEMENTED`), and generated stubs and server interfaces disappear from the module
    named after the file.

    ## Example
    Before:
    ```proto
    service RefundService { rpc Refund(RefundRequest) returns (RefundResponse); }
    ```
    After: the service is gone.

    ## How to change this safely
    Keep the service (its methods may return `UNIMPLEMENTED` with a deprecation notice) until
    no client calls it; mark it `option deprecated = true;` meanwhile.

    ## References
    - buf breaking rule `SERVICE_NO_DELETE`.
    """
    yield from deleted_from_file(pair, ctx, "service", services_by_name,
                                 "its clients now get UNIMPLEMENTED and its generated stubs are gone")
