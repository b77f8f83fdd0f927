"""File option rules (part 2): the Java options."""

from __future__ import annotations

from collections.abc import Iterator

from ...compat.protobuf.elements import ProtoFile
from ...compat.protobuf.image import CheckContext, Pair
from ...registry import Violation, rule
from ._common import PROTOBUF
from .file_options import SOURCE_ONLY, option_changed


@rule("FILE_SAME_JAVA_PACKAGE", format=PROTOBUF, subject="file", categories=SOURCE_ONLY)
def file_same_java_package(pair: Pair[ProtoFile], ctx: CheckContext) -> Iterator[Violation]:
    """Flags a file whose `java_package` option changed.

    ## What it does
    Compares the `java_package` file option (empty when unset: the proto package is used).

    ## Why is this breaking?
    Generated Java and Kotlin classes move to another package: every `import
    com.example.shop.v1.Order;` in consumers stops compiling.

    ## Example
    Before: `option java_package = "com.example.shop.v1";`
    After: `option java_package = "com.example.orders.v1";`

    ## How to change this safely
    Keep it; when a new Java package is needed, introduce it with a new proto package
    version and migrate consumers.

    ## References
    - buf breaking rule `FILE_SAME_JAVA_PACKAGE`.
    """
    yield from option_changed(pair, "java_package", "Java and Kotlin code importing the generated classes no longer compiles")


@rule("FILE_SAME_JAVA_OUTER_CLASSNAME", format=PROTOBUF, subject="file", categories=SOURCE_ONLY)
def file_same_java_outer_classname(pair: Pair[ProtoFile], ctx: CheckContext) -> Iterator[Violation]:
    """Flags a file whose `java_outer_classname` option changed.

    ## What it does
    Compares the `java_outer_classname` file option (empty when unset: derived from the
    file name).

    ## Why is this breaking?
    The outer class holds the file descriptor and, without `java_multiple_files`, every
    message class: Java code referring to `OrderProtos.Order` stops compiling.

    ## Example
    Before: `option java_outer_classname = "OrderProtos";`
    After: `option java_outer_classname = "OrdersProto";`

    ## How to change this safely
    Keep the outer class name stable for the life of the file.

    ## References
    - buf breaking rule `FILE_SAME_JAVA_OUTER_CLASSNAME`.
    """
    yield from option_changed(pair, "java_outer_classname", "Java code referring to the outer class no longer compiles")


@rule("FILE_SAME_JAVA_MULTIPLE_FILES", format=PROTOBUF, subject="file", categories=SOURCE_ONLY)
def file_same_java_multiple_files(pair: Pair[ProtoFile], ctx: CheckContext) -> Iterator[Violation]:
    """Flags a file whose `java_multiple_files` option changed.

    ## What it does
    Compares the effective `java_multiple_files` value (false when unset).

    ## Why is this breaking?
    It decides whether message classes are top-level (`com.example.Order`) or nested in the
    outer class (`com.example.OrderProtos.Order`): every Java import of them breaks.

    ## Example
    Before: no option (nested classes).
    After: `option java_multiple_files = true;`

    ## How to change this safely
    Decide once, when the file is created; otherwise migrate all Java consumers together.

    ## References
    - buf breaking rule `FILE_SAME_JAVA_MULTIPLE_FILES`.
    """
    yield from option_changed(pair, "java_multiple_files", "generated Java classes moved in or out of the outer class")


@rule("FILE_SAME_JAVA_GENERIC_SERVICES", format=PROTOBUF, subject="file", categories=SOURCE_ONLY)
def file_same_java_generic_services(pair: Pair[ProtoFile], ctx: CheckContext) -> Iterator[Violation]:
    """Flags a file whose `java_generic_services` option changed.

    ## What it does
    Compares the effective `java_generic_services` value (false when unset).

    ## Why is this breaking?
    It decides whether protoc emits the abstract Java `Service` classes; Java code using them
    stops compiling when they disappear.

    ## Example
    Before: `option java_generic_services = true;`
    After: the option is removed.

    ## How to change this safely
    Keep the option until no Java code uses the generic service classes (gRPC does not).

    ## References
    - buf breaking rule `FILE_SAME_JAVA_GENERIC_SERVICES`.
    """
    yield from option_changed(pair, "java_generic_services", "the generated Java generic service classes appear or vanish")
