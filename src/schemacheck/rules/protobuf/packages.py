"""Package-scope deletion rules (category ``PACKAGE``): moving declarations between files of a
package is fine, removing them from the package is not.

Maintainers: only changed files are compiled. A declaration of a changed base file can only
survive in a changed (hence loaded) head file, because an unchanged file is identical on
both sides; whether a *package* survives also depends on unchanged files, whose package
statements come from the checker's lazy scan (``Image.packages()``).
"""

from __future__ import annotations

from collections.abc import Iterator

from ...compat.protobuf.elements import ProtoFile
from ...compat.protobuf.image import CheckContext, Image, Pair
from ...model import Location
from ...registry import Violation, rule
from ._common import PROTOBUF, violation
from ._scope import deleted_at, file_location, nested_messages, new_counterpart, package_decls

_CONSEQUENCE = {
    "message": "fields, RPCs and code that refer to it no longer compile",
    "enum": "fields and code that refer to it no longer compile",
    "service": "its clients now get UNIMPLEMENTED and its generated stubs are gone",
    "extension": "code that reads or sets it no longer compiles",
}


def _new_files(new: Image) -> list[ProtoFile]:
    return [f for f in new.files.values() if f.name in new.all_names]


def deleted_from_package(ctx: CheckContext, kind: str) -> Iterator[Violation]:
    """Shared body: declarations of changed base files that no file of their package declares any more."""
    surviving_packages = ctx.new.packages()
    new_files = _new_files(ctx.new)
    present = {(pkg, name) for pkg, name, _ in package_decls(new_files, kind)}
    for old_file in ctx.old.target_files():
        if old_file.package not in surviving_packages:
            continue  # the whole package is gone: PACKAGE_NO_DELETE reports it once
        for pkg, name, element in package_decls([old_file], kind):
            if (pkg, name) in present:
                continue
            full_name = f"{pkg}.{name}" if pkg else name
            yield violation(
                f'{kind.capitalize()} "{full_name}" was deleted from package "{pkg}": {_CONSEQUENCE[kind]}.',
                _where(ctx, old_file, kind, name, new_files),
                element.location,  # type: ignore[attr-defined]
                hint=f'Keep "{name}" in some file of package "{pkg}" (moving it between files is fine), '
                     f'deprecated, until no consumer uses it.',
                subject=full_name,
            )


def _where(ctx: CheckContext, old_file: ProtoFile, kind: str, name: str, new_files: list[ProtoFile]) -> Location | None:
    new_file = new_counterpart(old_file, ctx.new)
    if new_file is None:
        return None  # the file is gone too: only the base location is known
    if kind == "service":
        return file_location(new_file)
    if kind == "message":
        package_messages = {}
        for f in new_files:
            if f.package == old_file.package:
                package_messages.update(nested_messages(f))
        return deleted_at(new_file, name, package_messages)
    return deleted_at(new_file, name)


@rule("PACKAGE_NO_DELETE", format=PROTOBUF, subject="image", categories=("PACKAGE",))
def package_no_delete(pair: Pair[Image], ctx: CheckContext) -> Iterator[Violation]:
    """Flags a package that no file declares any more.

    ## What it does
    Collects the packages of the base revision's changed and deleted files and reports each
    one that no file of the new revision declares (unchanged files count: their package is
    read with a quick scan). It is reported without a head location, with the first
    (alphabetical) base file of the package as base location.

    ## Why is this breaking?
    Everything in the package is gone at once: its messages and enums (no longer decodable or
    referable), its services (clients get `UNIMPLEMENTED`), and the generated packages or
    modules that consumers import.

    ## Example
    Before: `refunds/v1/refund.proto` with `package refunds.v1;`.
    After: the file is deleted, and no other file says `package refunds.v1;`.

    ## How to change this safely
    Publish the replacement package first, migrate every consumer, and delete the old package
    only when nothing depends on it. If the package is unstable (`v1alpha1`, `v1beta1`), say
    so in its name so that unstable packages can be ignored.

    ## References
    - buf breaking rule `PACKAGE_NO_DELETE`.
    """
    old, new = pair.old, pair.new
    surviving = new.packages()
    by_package: dict[str, list[str]] = {}
    for file in old.target_files():
        by_package.setdefault(file.package, []).append(file.path)
    for package, paths in sorted(by_package.items()):
        if package in surviving:
            continue
        label = f'"{package}"' if package else "(the empty package)"
        yield violation(
            f"Package {label} was deleted: no file declares it any more, so all of its types and services "
            f"vanished for the consumers that use them.",
            None,
            Location(sorted(paths)[0]),
            hint=f"Keep at least one file with `package {package};` and its declarations until no consumer uses it."
            if package else "Keep the files without a package statement until no consumer uses them.",
            subject=package,
        )


@rule("PACKAGE_MESSAGE_NO_DELETE", format=PROTOBUF, subject="image", categories=("PACKAGE",))
def package_message_no_delete(pair: Pair[Image], ctx: CheckContext) -> Iterator[Violation]:
    """Flags a message that no file of its package declares any more.

    ## What it does
    Compares the messages of each package that still exists, by name within the package
    (`Order`, `Order.Line`). Moving a message to another file of the same package does not
    fire. The finding points at the nearest surviving enclosing message in the old file,
    else at the old file's start, else (file deleted) it has only a base location.

    ## Why is this breaking?
    Fields, RPC signatures and generated code that refer to the message stop compiling, and
    data or `Any` values carrying it can no longer be decoded.

    ## Example
    Before: `shop.v1.Refund` in `shop/v1/refund.proto`.
    After: no file of `shop.v1` declares `Refund`.

    ## How to change this safely
    Mark the message deprecated, migrate its users, and delete it only when nothing refers
    to it. Moving it to another file of the package is fine under `PACKAGE`.

    ## References
    - buf breaking rule `PACKAGE_MESSAGE_NO_DELETE`.
    """
    yield from deleted_from_package(ctx, "message")


@rule("PACKAGE_ENUM_NO_DELETE", format=PROTOBUF, subject="image", categories=("PACKAGE",))
def package_enum_no_delete(pair: Pair[Image], ctx: CheckContext) -> Iterator[Violation]:
    """Flags an enum that no file of its package declares any more.

    ## What it does
    Compares the enums of each package that still exists, by name within the package
    (`Status`, `Order.Status`); moving one between files of the package does not fire. The
    finding points at the nearest surviving enclosing message of the old file, else at the
    old file's start, else (file deleted) it has only a base location.

    ## Why is this breaking?
    Fields typed with the enum and code that names it stop compiling; JSON readers can no
    longer map its value names.

    ## Example
    Before: `enum RefundReason` in package `shop.v1`.
    After: no file of `shop.v1` declares it.

    ## How to change this safely
    Keep the enum, deprecated, until nothing uses it; moving it within the package is fine.

    ## References
    - buf breaking rule `PACKAGE_ENUM_NO_DELETE`.
    """
    yield from deleted_from_package(ctx, "enum")


@rule("PACKAGE_SERVICE_NO_DELETE", format=PROTOBUF, subject="image", categories=("PACKAGE",))
def package_service_no_delete(pair: Pair[Image], ctx: CheckContext) -> Iterator[Violation]:
    """Flags a service that no file of its package declares any more.

    ## What it does
    Compares the services of each package that still exists, by name; moving one between
    files of the package does not fire. The finding points at the start of the service's old
    file, or has only a base location when that file is gone too.

    ## Why is this breaking?
    The gRPC path of every method (`/shop.v1.RefundService/Refund`) stops being served:
    clients get `UNIMPLEMENTED`, and generated stubs disappear.

    ## Example
    Before: `service RefundService` in package `shop.v1`.
    After: no file of `shop.v1` declares it.

    ## How to change this safely
    Keep the service (methods may return `UNIMPLEMENTED` with a deprecation notice) until no
    client calls it; moving it within the package is fine.

    ## References
    - buf breaking rule `PACKAGE_SERVICE_NO_DELETE`.
    """
    yield from deleted_from_package(ctx, "service")


@rule("PACKAGE_EXTENSION_NO_DELETE", format=PROTOBUF, subject="image", categories=("PACKAGE",))
def package_extension_no_delete(pair: Pair[Image], ctx: CheckContext) -> Iterator[Violation]:
    """Flags an extension that no file of its package declares any more.

    ## What it does
    Compares the extensions of each package that still exists, by name within the package
    (`gift_wrap`, `OrderExtensions.gift_wrap`); moving one between files of the package does
    not fire. The finding points at the surviving enclosing message of the old file, else
    at the old file's start, else (file deleted) it has only a base location.

    ## Why is this breaking?
    Code that reads or sets the extension stops compiling, readers keep its data as unknown
    fields, and custom options defined by it are no longer recognised.

    ## Example
    Before: `extend Order { optional bool gift_wrap = 100; }` in package `shop.v1`.
    After: no file of `shop.v1` declares `gift_wrap`.

    ## How to change this safely
    Keep the extension, deprecated, until nobody uses it, and never reuse its number.

    ## References
    - buf breaking rule `PACKAGE_EXTENSION_NO_DELETE`.
    """
    yield from deleted_from_package(ctx, "extension")
