"""JSON Schema files: loading (JSON/YAML with positions), ``$ref`` resolution, detection.

Maintainers: parsers only; nothing here knows about rules or git. ``loader.load_document``
turns bytes into a :class:`~.document.JsonDocument` (or raises ``ParseError`` with file, line
and column); ``refs.RefResolver`` follows ``$ref``; ``detect`` says which files are schemas.
Modules import lazily from here so that ``import schemacheck`` stays cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .document import DEFAULT_DIALECT, DIALECTS, JsonDocument, Span, dialect_of, pointer_join, pointer_parts
    from .refs import RefResolver, ResolvedRef, Unresolved

_LAZY = {**dict.fromkeys(("DEFAULT_DIALECT", "DIALECTS", "JsonDocument", "Span", "dialect_of", "pointer_join",
                          "pointer_parts"), "document"),
         **dict.fromkeys(("RefResolver", "ResolvedRef", "Unresolved"), "refs")}


def __getattr__(name: str) -> Any:
    """The re-exported names, imported on first use: ``detect`` (asked of every changed file)
    must not pull in the document model and the resolver."""
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(f"{__name__}.{_LAZY[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

__all__ = [
    "JsonDocument",
    "Span",
    "DIALECTS",
    "DEFAULT_DIALECT",
    "dialect_of",
    "pointer_join",
    "pointer_parts",
    "RefResolver",
    "ResolvedRef",
    "Unresolved",
    "load_document",
]


def load_document(path: str, raw: bytes) -> JsonDocument:
    """Parse ``raw`` (the bytes of repository file ``path``) into a :class:`JsonDocument`.

    JSON or YAML is chosen by extension (``.yaml``/``.yml`` are YAML). Raises
    :class:`~schemacheck.errors.ParseError` with line and column on bad input.
    """
    from .loader import load_document as _load

    return _load(path, raw)
