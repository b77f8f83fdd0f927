"""File option rules (part 4): the PHP options."""

from __future__ import annotations

from collections.abc import Iterator

from ...compat.protobuf.elements import ProtoFile
from ...compat.protobuf.image import CheckContext, Pair
from ...registry import Violation, rule
from ._common import PROTOBUF
from .file_options import SOURCE_ONLY, option_changed


@rule("FILE_SAME_PHP_NAMESPACE", format=PROTOBUF, subject="file", categories=SOURCE_ONLY)
def file_same_php_namespace(pair: Pair[ProtoFile], ctx: CheckContext) -> Iterator[Violation]:
    """Flags a file whose `php_namespace` option changed.

    ## What it does
    Compares the `php_namespace` file option (empty when unset: derived from the package).

    ## Why is this breaking?
    Generated PHP classes move to another namespace; `use Shop\\V1\\Order;` no longer finds
    them and autoloading fails.

    ## Example
    Before: `option php_namespace = "Shop\\V1";`
    After: `option php_namespace = "Orders\\V1";`

    ## How to change this safely
    Keep it; introduce new namespaces with a new package version.

    ## References
    - buf breaking rule `FILE_SAME_PHP_NAMESPACE`.
    """
    yield from option_changed(pair, "php_namespace", "PHP code using the generated classes no longer finds them")


@rule("FILE_SAME_PHP_METADATA_NAMESPACE", format=PROTOBUF, subject="file", categories=SOURCE_ONLY)
def file_same_php_metadata_namespace(pair: Pair[ProtoFile], ctx: CheckContext) -> Iterator[Violation]:
    """Flags a file whose `php_metadata_namespace` option changed.

    ## What it does
    Compares the `php_metadata_namespace` file option.

    ## Why is this breaking?
    The generated PHP metadata class (which registers the file descriptor) moves; code and
    other generated files that initialise it by name fail at run time.

    ## Example
    Before: `option php_metadata_namespace = "GPBMetadata\\Shop\\V1";`
    After: the option is removed.

    ## How to change this safely
    Keep it for the life of the file.

    ## References
    - buf breaking rule `FILE_SAME_PHP_METADATA_NAMESPACE`.
    """
    yield from option_changed(pair, "php_metadata_namespace", "PHP code that loads the generated metadata class breaks")


@rule("FILE_SAME_PHP_CLASS_PREFIX", format=PROTOBUF, subject="file", categories=SOURCE_ONLY)
def file_same_php_class_prefix(pair: Pair[ProtoFile], ctx: CheckContext) -> Iterator[Violation]:
    """Flags a file whose `php_class_prefix` option changed.

    ## What it does
    Compares the `php_class_prefix` file option.

    ## Why is this breaking?
    Every generated PHP class name carries the prefix: code using the old class names fails
    to autoload them.

    ## Example
    Before: `option php_class_prefix = "Shop";`
    After: `option php_class_prefix = "Ord";`

    ## How to change this safely
    Keep the prefix for the life of the package.

    ## References
    - buf breaking rule `FILE_SAME_PHP_CLASS_PREFIX`.
    """
    yield from option_changed(pair, "php_class_prefix", "PHP code using the generated class names no longer finds them")
