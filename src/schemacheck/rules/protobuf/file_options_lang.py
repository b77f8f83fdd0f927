"""File option rules (part 3): C#, Objective-C, Swift, Ruby and Python."""

from __future__ import annotations

from collections.abc import Iterator

from ...compat.protobuf.elements import ProtoFile
from ...compat.protobuf.image import CheckContext, Pair
from ...registry import Violation, rule
from ._common import PROTOBUF
from .file_options import SOURCE_ONLY, option_changed


@rule("FILE_SAME_CSHARP_NAMESPACE", format=PROTOBUF, subject="file", categories=SOURCE_ONLY)
def file_same_csharp_namespace(pair: Pair[ProtoFile], ctx: CheckContext) -> Iterator[Violation]:
    """Flags a file whose `csharp_namespace` option changed.

    ## What it does
    Compares the `csharp_namespace` file option (empty when unset: derived from the package).

    ## Why is this breaking?
    Generated C# types move to another namespace; `using Example.Shop.V1;` in consumers no
    longer finds them.

    ## Example
    Before: `option csharp_namespace = "Example.Shop.V1";`
    After: `option csharp_namespace = "Example.Orders.V1";`

    ## How to change this safely
    Keep it; introduce new namespaces with a new package version.

    ## References
    - buf breaking rule `FILE_SAME_CSHARP_NAMESPACE`.
    """
    yield from option_changed(pair, "csharp_namespace", "C# code using the generated types no longer compiles")


@rule("FILE_SAME_OBJC_CLASS_PREFIX", format=PROTOBUF, subject="file", categories=SOURCE_ONLY)
def file_same_objc_class_prefix(pair: Pair[ProtoFile], ctx: CheckContext) -> Iterator[Violation]:
    """Flags a file whose `objc_class_prefix` option changed.

    ## What it does
    Compares the `objc_class_prefix` file option.

    ## Why is this breaking?
    Every generated Objective-C class name carries the prefix (`SHPOrder`): code using the old
    names stops compiling.

    ## Example
    Before: `option objc_class_prefix = "SHP";`
    After: `option objc_class_prefix = "ORD";`

    ## How to change this safely
    Keep the prefix for the life of the package.

    ## References
    - buf breaking rule `FILE_SAME_OBJC_CLASS_PREFIX`.
    """
    yield from option_changed(pair, "objc_class_prefix", "Objective-C code using the generated class names no longer compiles")


@rule("FILE_SAME_SWIFT_PREFIX", format=PROTOBUF, subject="file", categories=SOURCE_ONLY)
def file_same_swift_prefix(pair: Pair[ProtoFile], ctx: CheckContext) -> Iterator[Violation]:
    """Flags a file whose `swift_prefix` option changed.

    ## What it does
    Compares the `swift_prefix` file option (empty when unset: derived from the package).

    ## Why is this breaking?
    Generated Swift type names carry the prefix (`Shop_V1_Order`): Swift code using the old
    names stops compiling.

    ## Example
    Before: no option.
    After: `option swift_prefix = "Shop";`

    ## How to change this safely
    Keep the prefix for the life of the package.

    ## References
    - buf breaking rule `FILE_SAME_SWIFT_PREFIX`.
    """
    yield from option_changed(pair, "swift_prefix", "Swift code using the generated type names no longer compiles")


@rule("FILE_SAME_RUBY_PACKAGE", format=PROTOBUF, subject="file", categories=SOURCE_ONLY)
def file_same_ruby_package(pair: Pair[ProtoFile], ctx: CheckContext) -> Iterator[Violation]:
    """Flags a file whose `ruby_package` option changed.

    ## What it does
    Compares the `ruby_package` file option (empty when unset: derived from the package).

    ## Why is this breaking?
    Generated Ruby classes move to another module (`Shop::V1::Order`): Ruby code referring to
    the old constants fails at load or call time.

    ## Example
    Before: `option ruby_package = "Shop::V1";`
    After: `option ruby_package = "Orders::V1";`

    ## How to change this safely
    Keep it; introduce new modules with a new package version.

    ## References
    - buf breaking rule `FILE_SAME_RUBY_PACKAGE`.
    """
    yield from option_changed(pair, "ruby_package", "Ruby code referring to the generated module breaks")


@rule("FILE_SAME_PY_GENERIC_SERVICES", format=PROTOBUF, subject="file", categories=SOURCE_ONLY)
def file_same_py_generic_services(pair: Pair[ProtoFile], ctx: CheckContext) -> Iterator[Violation]:
    """Flags a file whose `py_generic_services` option changed.

    ## What it does
    Compares the effective `py_generic_services` value (false when unset).

    ## Why is this breaking?
    It decides whether protoc emits the generic Python `Service` classes; Python code using
    them fails with `AttributeError` when they disappear.

    ## Example
    Before: `option py_generic_services = true;`
    After: the option is removed.

    ## How to change this safely
    Keep the option until no Python code uses the generic service classes (gRPC does not).

    ## References
    - buf breaking rule `FILE_SAME_PY_GENERIC_SERVICES`.
    """
    yield from option_changed(pair, "py_generic_services", "the generated Python generic service classes appear or vanish")
