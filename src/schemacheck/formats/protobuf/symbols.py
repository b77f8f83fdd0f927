"""Symbol tables and protoc's name lookup rules.

Maintainers: one dict maps every fully-qualified name (no leading dot) of a compile to a
:class:`Symbol`; packages are symbols too. :func:`lookup` is protoc's
``DescriptorBuilder::LookupSymbol``: try the first name component in the innermost scope,
then outwards; a compound name binds to the first scope where its *first* component exists.
Visibility (only the file, its imports and their public imports) is checked on every hit,
so an unimported definition reads as "not found" and is named in the error hint.
"""

from __future__ import annotations

from typing import NamedTuple

__all__ = ["Symbol", "SymbolTable", "MESSAGE", "ENUM", "VALUE", "FIELD", "EXTENSION", "ONEOF",
           "SERVICE", "METHOD", "PACKAGE"]

MESSAGE, ENUM, VALUE, FIELD, EXTENSION, ONEOF, SERVICE, METHOD, PACKAGE = (
    "message", "enum", "enum value", "field", "extension", "oneof", "service", "method", "package")
_AGGREGATE = frozenset((MESSAGE, ENUM, SERVICE, PACKAGE))
_TYPES = frozenset((MESSAGE, ENUM))


class Symbol(NamedTuple):
    """A named definition: what it is, the file defining it and its descriptor proto.

    A named tuple rather than a frozen dataclass: tens of thousands are made per compile.
    """

    kind: str
    file: str
    proto: object
    full: str


class SymbolTable:
    """All definitions of the files compiled so far."""

    def __init__(self) -> None:
        self.symbols: dict[str, Symbol] = {}
        self.packages: dict[str, set[str]] = {}
        self.files: dict[str, object] = {}  # file name -> its FileDescriptorProto
        self.visibility: dict[str, int] = {}  # file name -> its default_symbol_visibility (0: unset)

    def add(self, sym: Symbol) -> Symbol | None:
        """Register ``sym``; returns the clashing earlier symbol, if any."""
        old = self.symbols.get(sym.full)
        if old is not None:
            if old.kind == PACKAGE and sym.kind == PACKAGE:
                self.packages[sym.full].add(sym.file)
                return None
            return old
        self.symbols[sym.full] = sym
        if sym.kind == PACKAGE:
            self.packages.setdefault(sym.full, set()).add(sym.file)
        return None

    def find(self, full: str, visible: frozenset[str], hidden: list[Symbol]) -> Symbol | None:
        sym = self.symbols.get(full)
        if sym is None:
            return None
        if sym.kind == PACKAGE:
            if self.packages[full] & visible:
                return sym
        elif sym.file in visible:
            return sym
        hidden.append(sym)
        return None

    def lookup(self, name: str, scope: tuple[str, ...], visible: frozenset[str], types_only: bool,
               hidden: list[Symbol]) -> Symbol | None:
        """protoc's relative name resolution of ``name`` from inside ``scope``."""
        if name.startswith("."):
            return self.find(name[1:], visible, hidden)
        first, dot, _ = name.partition(".")
        for k in range(len(scope), 0, -1):
            prefix = ".".join(scope[:k])
            sym = self.find(prefix + "." + first, visible, hidden)
            if sym is None:
                continue
            if dot:
                if sym.kind in _AGGREGATE:
                    return self.find(prefix + "." + name, visible, hidden)
                continue
            if types_only and sym.kind not in _TYPES:
                continue
            return sym
        return self.find(name, visible, hidden)
