"""Extension rules: an extension declared in a file stays in that file."""

from __future__ import annotations

from collections.abc import Iterator

from ...compat.protobuf.elements import ProtoFile
from ...compat.protobuf.image import CheckContext, Pair
from ...registry import Violation, rule
from ._common import PROTOBUF, violation
from ._scope import deleted_at, nested_extensions, nested_messages


@rule("EXTENSION_NO_DELETE", format=PROTOBUF, subject="file", categories=("FILE",))
def extension_no_delete(pair: Pair[ProtoFile], ctx: CheckContext) -> Iterator[Violation]:
    """Flags an extension, top level or declared inside a message, that disappeared from its file.

    ## What it does
    Compares the extensions each file declares, by name within the file (`gift_wrap`,
    `OrderExtensions.gift_wrap`), and reports each one no longer declared there. The finding
    points at the enclosing message when it still exists, else at the file.

    ## Why is this breaking?
    Code that reads or sets the extension (`order.Extensions[gift_wrap]`) stops compiling, and
    readers on the new schema keep its data as unknown fields instead of a typed value.
    Custom options defined as extensions stop being recognised in the files that use them.

    ## Example
    Before:
    ```proto
    extend Order { optional bool gift_wrap = 100; }
    ```
    After: the `extend` block is gone.

    ## How to change this safely
    Keep the extension, marked `[deprecated = true]`, until no one reads or writes it; when it
    is finally removed, keep its number unused in the extended message's range.

    ## References
    - buf breaking rule `EXTENSION_NO_DELETE`.
    """
    old, new = pair.old, pair.new
    remaining = nested_extensions(new)
    parents = nested_messages(new)
    for name, ext in sorted(nested_extensions(old).items()):
        if name in remaining:
            continue
        yield violation(
            f'Extension "{ext.full_name}" (field {ext.number} of "{ext.extendee}") was deleted from file "{new.name}": '
            f'code that reads or sets it no longer compiles.',
            deleted_at(new, name, parents),
            ext.location,
            hint=f'Keep "{name}" marked [deprecated = true] until no one uses it, and never reuse number {ext.number}.',
            subject=ext.full_name,
        )
