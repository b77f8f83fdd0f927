"""File identity rules: a file is not deleted and keeps its package and syntax."""

from __future__ import annotations

from collections.abc import Iterator

from ...compat.protobuf.elements import ProtoFile, SourcePath
from ...compat.protobuf.image import CheckContext, Image, Pair
from ...model import Location
from ...registry import Violation, rule
from ._common import PROTOBUF, violation
from ._scope import file_location


@rule("FILE_NO_DELETE", format=PROTOBUF, subject="image", categories=("FILE", "CSR"))
def file_no_delete(pair: Pair[Image], ctx: CheckContext) -> Iterator[Violation]:
    """Flags a `.proto` file that existed in the base revision and is gone.

    ## What it does
    Compares the import paths of every `.proto` file of both revisions and reports each one
    that no longer exists. A file that git saw as renamed is still a deletion (buf pairs
    files by path), but the message names the new path.

    ## Why is this breaking?
    Other schemas and generated code import the file by its path: `import "shop/v1/order.proto";`
    stops compiling, and every generated module named after the file (`order_pb2`,
    `OrderOuterClass`) disappears.

    ## Example
    Before: `shop/v1/order.proto` and `shop/v1/refund.proto`.
    After: only `shop/v1/order.proto`.

    ## How to change this safely
    Keep the file, even empty but for its `package` line, until no consumer imports it. To move
    declarations, keep the old file importing the new one (`import public "…";`) for a release.
    If only whole-package compatibility matters, use the `PACKAGE` category instead of `FILE`.

    ## Known false positives
    A pure rename or move is reported: protobuf identifies files by path.

    ## References
    - buf breaking rule `FILE_NO_DELETE`.
    """
    old, new = pair.old, pair.new
    for name in sorted(old.all_names - new.all_names):
        file = old.files.get(name)
        path = file.path if file is not None else name
        renamed = ctx.renames.get(path)
        fate = f'renamed to "{renamed}"' if renamed else "deleted"
        imported_as = "it" if name == path else f'"{name}"'
        yield violation(
            f'File "{path}" was {fate}: schemas and code that import {imported_as} no longer compile.',
            None,
            Location(path),
            hint=f'Restore "{name}" (it may `import public` the new file) until no consumer imports it.',
            subject=name,
        )


def _file_value_changed(pair: Pair[ProtoFile], what: str, old_value: str, new_value: str,
                        part: int, consequence: str, hint: str) -> Iterator[Violation]:
    if old_value == new_value:
        return
    new = pair.new
    at = new.span((part,)) if new.has_span((part,)) else file_location(new)
    was = pair.old.span((part,)) if pair.old.has_span((part,)) else file_location(pair.old)
    def shown(value: str) -> str:
        return f'"{value}"' if value else "none"

    yield violation(f'File "{new.name}" changed its {what} from {shown(old_value)} to {shown(new_value)}: {consequence}',
                    at, was, hint=hint, subject=new.name)


@rule("FILE_SAME_PACKAGE", format=PROTOBUF, subject="file", categories=("FILE", "PACKAGE", "WIRE_JSON", "WIRE", "CSR"))
def file_same_package(pair: Pair[ProtoFile], ctx: CheckContext) -> Iterator[Violation]:
    """Flags a file whose `package` declaration changed.

    ## What it does
    Compares the `package` statement of a file that exists in both revisions (no statement
    counts as the empty package).

    ## Why is this breaking?
    The package is part of every full name the file declares. `shop.v1.Order` becomes
    `sales.v1.Order`: `google.protobuf.Any` type URLs no longer resolve, gRPC method paths
    (`/shop.v1.OrderService/Get`) change so old clients get `UNIMPLEMENTED`, and every
    reference from other files and generated code breaks.

    ## Example
    Before:
    ```proto
    package shop.v1;
    ```
    After:
    ```proto
    package sales.v1;
    ```

    ## How to change this safely
    Create the new package in new files, copy the declarations there, migrate consumers and
    servers to the new names, and delete the old files only when nothing uses them.

    ## References
    - buf breaking rule `FILE_SAME_PACKAGE`.
    """
    yield from _file_value_changed(
        pair, "package", pair.old.package, pair.new.package, SourcePath.FILE_PACKAGE,
        "every full name it declares changed, which breaks Any type URLs, RPC paths and references.",
        "Keep the package; put the declarations in a new file under the new package and migrate consumers.",
    )


def _syntax(file: ProtoFile) -> str:
    return file.syntax if file.syntax in ("proto2", "proto3") else "editions"


def _syntax_label(file: ProtoFile) -> str:
    """``"proto3"`` or ``edition "2023"``."""
    if _syntax(file) != "editions":
        return f'"{_syntax(file)}"'
    from google.protobuf import descriptor_pb2 as pb

    edition = pb.Edition.Name(file.proto.edition).removeprefix("EDITION_") if file.proto.edition else "?"
    return f'edition "{edition}"'


@rule("FILE_SAME_SYNTAX", format=PROTOBUF, subject="file", categories=("FILE", "PACKAGE", "CSR"))
def file_same_syntax(pair: Pair[ProtoFile], ctx: CheckContext) -> Iterator[Violation]:
    """Flags a file that switched between `proto2`, `proto3` and editions.

    ## What it does
    Compares the file's syntax: `proto2` (also when no `syntax` line is present), `proto3`,
    or `editions` (any `edition = "…";`). Moving from one edition to another is left to the
    feature rules, which compare the resolved behaviour.

    ## Why is this breaking?
    Syntax decides field presence, default values, enum openness, UTF-8 validation and the
    generated API (`has_` methods, required fields, extensions). Switching it changes what
    readers see for unset fields and which enum values are accepted, and can break
    generated code that relied on proto2-only features.

    ## Example
    Before:
    ```proto
    syntax = "proto2";
    ```
    After:
    ```proto
    syntax = "proto3";
    ```

    ## How to change this safely
    Prefer editions with features that reproduce the old behaviour exactly
    (`features.field_presence = EXPLICIT`, `features.enum_type = CLOSED`, …): `buf` and
    schemacheck then compare the resolved features, not the syntax name. Otherwise create
    new files with the new syntax and migrate consumers.

    ## References
    - buf breaking rule `FILE_SAME_SYNTAX`.
    """
    old, new = pair.old, pair.new
    if _syntax(old) == _syntax(new):
        return
    part = SourcePath.FILE_EDITION if new.has_span((SourcePath.FILE_EDITION,)) else SourcePath.FILE_SYNTAX
    at = new.span((part,)) if new.has_span((part,)) else file_location(new)
    was = old.location()
    yield violation(
        f'File "{new.name}" changed syntax from {_syntax_label(old)} to {_syntax_label(new)}: presence, '
        f'defaults and enum semantics changed for every reader.',
        at, was,
        hint="Keep the syntax, or move to editions with features that reproduce the old behaviour.",
        subject=new.name,
    )
