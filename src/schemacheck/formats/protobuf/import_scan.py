"""Find the imports of a ``.proto`` file without parsing it.

Maintainers: the shallow compile (see :mod:`.compiler`) links a target against the
declarations of its direct imports only, but it still walks the target's whole import
graph: to key caches by everything the linked result may depend on, and to notice a missing
import or an import cycle (then the compiler falls back to a full build, which reports the
error exactly). Parsing every file of that graph is what the shallow compile avoids, so this
module reads imports with two regular expressions.

It is conservative: strings and comments are skipped whole, and every other ``import`` word
must start a plain ``import [public|weak|option] "name";`` statement. Anything else (an
escape or a concatenation in the name, a field or package part named ``import``) returns
None and the caller parses the file instead.
"""

from __future__ import annotations

import re

__all__ = ["scan_imports", "may_use_custom_options"]

# Strings and comments are matched whole, so an ``import`` inside them is skipped with them.
_TOKENS = re.compile(rb'"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|//[^\n]*|/\*.*?\*/|\bimport\b', re.S)
_STATEMENT = re.compile(rb'import\s+(?:(public|weak|option)\s+)?"([^"\\\n]*)"\s*;')


def scan_imports(data: bytes) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
    """The ``(dependency, option_dependency)`` import names of ``data``, in file order.

    Returns:
        The two tuples, or None when the text is not plain enough to be sure (parse it).
    """
    if b"import" not in data:
        return (), ()
    deps: list[str] = []
    option_deps: list[str] = []
    for token in _TOKENS.finditer(data):
        if token[0] != b"import":
            continue
        match = _STATEMENT.match(data, token.start())
        if match is None:
            return None
        try:
            name = match[2].decode("utf-8")
        except UnicodeDecodeError:
            return None
        (option_deps if match[1] == b"option" else deps).append(name)
    return tuple(deps), tuple(option_deps)


# With strings and comments blanked, a parenthesis opens a custom option name exactly when it
# follows ``option``, ``[`` or ``,`` (field, value and method options) or ``.`` (a path into an
# option: ``features.(pkg.ext)``); rpc signatures follow an identifier or ``returns``.
_BLANKED = re.compile(rb'"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|//[^\n]*|/\*.*?\*/', re.S)
_CUSTOM = re.compile(rb'(?:\boption|[\[,.])\s*\(')


def may_use_custom_options(data: bytes) -> bool:
    """Whether ``data`` may set a custom option (``(my.ext) = ...``): conservative (a ``(`` after
    ``option``, ``[``, ``,`` or ``.`` outside strings and comments); False means it sets none."""
    if b"(" not in data:
        return False
    return _CUSTOM.search(_BLANKED.sub(b" ", data)) is not None
