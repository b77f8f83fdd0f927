"""File option rules (part 1): the shared comparison, Go, C++ and the optimisation mode.

Maintainers: every ``FILE_SAME_<OPTION>`` rule is a thin function over
:func:`option_changed`, which compares the *effective* value (an unset option equals its
declared default, e.g. ``cc_enable_arenas`` is true by default, ``optimize_for`` is ``SPEED``)
and reports at the option statement in the new file, or at the file's start when the option
was removed — where buf reports it. The other language families live in
``file_options_java.py``, ``file_options_lang.py`` and ``file_options_php.py``.
"""

from __future__ import annotations

from collections.abc import Iterator

from google.protobuf import descriptor_pb2 as pb

from ...compat.protobuf.elements import ProtoFile, SourcePath
from ...compat.protobuf.image import CheckContext, Pair
from ...model import Location
from ...registry import Violation, rule
from ._common import PROTOBUF, violation
from ._scope import file_location

__all__ = ["option_changed", "SOURCE_ONLY"]

#: File options only affect generated code: source-compatibility categories.
SOURCE_ONLY = ("FILE", "PACKAGE")


def _value(file: ProtoFile, option: str) -> str:
    """The effective value as buf prints it: ``true``/``false``, enum names, raw strings."""
    value = getattr(file.proto.options, option)
    field = pb.FileOptions.DESCRIPTOR.fields_by_name[option]
    if field.enum_type is not None:
        return field.enum_type.values_by_number[value].name
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _literal(file: ProtoFile, option: str) -> str:
    """The value as it is written in a ``.proto`` file (strings quoted and escaped)."""
    field = pb.FileOptions.DESCRIPTOR.fields_by_name[option]
    value = _value(file, option)
    if field.type != field.TYPE_STRING:
        return value
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _shown(value: str) -> str:
    return f'"{value}"' if value else "unset"


def _at(file: ProtoFile, option: str) -> Location:
    path = (SourcePath.FILE_OPTIONS, pb.FileOptions.DESCRIPTOR.fields_by_name[option].number)
    return file.span(path) if file.has_span(path) else file_location(file)


def option_changed(pair: Pair[ProtoFile], option: str, consequence: str) -> Iterator[Violation]:
    """Report when file option ``option`` has another effective value in the new file.

    Args:
        pair: The file in both revisions.
        option: ``FileOptions`` field name (``go_package``).
        consequence: What breaks, for whom (completes the message after a colon).
    """
    old, new = pair.old, pair.new
    before, after = _value(old, option), _value(new, option)
    if before == after:
        return
    if old.proto.options.HasField(option):
        hint = f"Restore `option {option} = {_literal(old, option)};` in {new.name}, or regenerate and migrate all consumers."
    else:
        meaning = f", meaning {before}" if before else ""
        hint = f"Remove `option {option}` from {new.name} (it was unset{meaning}), or migrate all consumers."
    yield violation(
        f'File option "{option}" of "{new.name}" changed from {_shown(before)} to {_shown(after)}: {consequence}.',
        _at(new, option), _at(old, option), hint=hint, subject=f"{new.name}#{option}",
    )


@rule("FILE_SAME_GO_PACKAGE", format=PROTOBUF, subject="file", categories=SOURCE_ONLY)
def file_same_go_package(pair: Pair[ProtoFile], ctx: CheckContext) -> Iterator[Violation]:
    """Flags a file whose `go_package` option changed.

    ## What it does
    Compares the `go_package` file option (import path and optional `;name`).

    ## Why is this breaking?
    Generated Go code moves to another import path or package name: every Go program that
    imports the old path stops compiling, and two copies of the same file registered under
    different paths conflict at init time.

    ## Example
    Before: `option go_package = "example.com/shop/gen/orderv1";`
    After: `option go_package = "example.com/shop/gen/orders/v1;ordersv1";`

    ## How to change this safely
    Change it together with a new package version (`orders.v2`), or move every Go consumer
    in the same release.

    ## References
    - buf breaking rule `FILE_SAME_GO_PACKAGE`.
    """
    yield from option_changed(pair, "go_package", "Go code importing the generated package no longer compiles")


@rule("FILE_SAME_OPTIMIZE_FOR", format=PROTOBUF, subject="file", categories=SOURCE_ONLY)
def file_same_optimize_for(pair: Pair[ProtoFile], ctx: CheckContext) -> Iterator[Violation]:
    """Flags a file whose `optimize_for` option changed (`SPEED` when unset).

    ## What it does
    Compares the effective `optimize_for` mode: `SPEED`, `CODE_SIZE` or `LITE_RUNTIME`.

    ## Why is this breaking?
    C++ and Java code generated with `LITE_RUNTIME` derives from `MessageLite` and lacks
    descriptors and reflection; switching in either direction changes the generated API and
    the runtime library consumers must link, and lite files cannot import non-lite ones.

    ## Example
    Before: no `optimize_for` option (`SPEED`).
    After: `option optimize_for = LITE_RUNTIME;`

    ## How to change this safely
    Keep the mode; if a lite build is needed, generate it separately (e.g. a build flag)
    rather than changing the schema.

    ## References
    - buf breaking rule `FILE_SAME_OPTIMIZE_FOR`.
    """
    yield from option_changed(pair, "optimize_for", "C++ and Java code generated from it changes base class and API")


@rule("FILE_SAME_CC_ENABLE_ARENAS", format=PROTOBUF, subject="file", categories=SOURCE_ONLY)
def file_same_cc_enable_arenas(pair: Pair[ProtoFile], ctx: CheckContext) -> Iterator[Violation]:
    """Flags a file whose `cc_enable_arenas` option changed (true when unset).

    ## What it does
    Compares the effective `cc_enable_arenas` value; an unset option equals `true`.

    ## Why is this breaking?
    Generated C++ code with arenas disabled cannot be allocated on an arena: C++ code that
    uses `Arena::Create` for these messages stops compiling or changes ownership semantics.

    ## Example
    Before: no option (arenas enabled).
    After: `option cc_enable_arenas = false;`

    ## How to change this safely
    Leave it unset (or `true`); disabling arenas is almost never needed.

    ## References
    - buf breaking rule `FILE_SAME_CC_ENABLE_ARENAS`.
    """
    yield from option_changed(pair, "cc_enable_arenas", "C++ code that allocates these messages on arenas breaks")


@rule("FILE_SAME_CC_GENERIC_SERVICES", format=PROTOBUF, subject="file", categories=SOURCE_ONLY)
def file_same_cc_generic_services(pair: Pair[ProtoFile], ctx: CheckContext) -> Iterator[Violation]:
    """Flags a file whose `cc_generic_services` option changed.

    ## What it does
    Compares the effective `cc_generic_services` value (false when unset).

    ## Why is this breaking?
    It decides whether protoc emits the abstract C++ `Service` classes for the file's
    services; C++ code deriving from or calling them stops compiling when they disappear.

    ## Example
    Before: `option cc_generic_services = true;`
    After: the option is removed.

    ## How to change this safely
    Keep the option until no C++ code uses the generic service classes (gRPC does not).

    ## References
    - buf breaking rule `FILE_SAME_CC_GENERIC_SERVICES`.
    """
    yield from option_changed(pair, "cc_generic_services", "the generated C++ generic service classes appear or vanish")
