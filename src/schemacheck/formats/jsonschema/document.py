"""A loaded JSON Schema file: plain JSON data plus positions by JSON pointer.

Maintainers: this is the interface between the loader (``loader.py``) and the shape engine.
The data is plain JSON (``dict``/``list``/``str``/``int``/``float``/``bool``/``None``; integers
stay ``int``, ``True`` is never ``1``). Positions are *not* stored per node: a
:class:`PositionIndex` (JSON: a lazy scanner over the text; YAML: a walk over the composed
node tree) answers :meth:`JsonDocument.location` on demand, because only reported pointers
need one. Exact decimals (``multipleOf: 0.1``) come from the source text through
:meth:`JsonDocument.exact_number`, so the data can stay plain floats.

Pointers are RFC 6901 JSON pointers *without* the leading ``#``: ``""`` is the root,
``"/properties/a~1b"`` is property ``a/b``. Use :func:`pointer_join` / :func:`pointer_parts`
rather than string concatenation.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, Protocol

from ...model import Location

__all__ = [
    "JsonDocument",
    "PositionIndex",
    "Span",
    "DIALECTS",
    "DEFAULT_DIALECT",
    "dialect_of",
    "pointer_join",
    "pointer_parts",
    "pointer_parent",
    "pointer_from_parts",
]

#: Canonical dialect names by the ``$schema`` URIs that name them (trailing ``#`` and
#: ``http``/``https`` are normalised away before lookup).
DIALECTS: dict[str, str] = {
    "json-schema.org/draft-04/schema": "draft4",
    "json-schema.org/draft-06/schema": "draft6",
    "json-schema.org/draft-07/schema": "draft7",
    "json-schema.org/draft/2019-09/schema": "2019-09",
    "json-schema.org/draft/2020-12/schema": "2020-12",
}

#: The dialect of a schema without ``$schema`` (or with one we do not know) whose keywords do
#: not point to an older one (see ``dialect.infer_dialect``).
DEFAULT_DIALECT = "2020-12"


def dialect_of(schema_uri: object) -> str | None:
    """The canonical dialect (``draft4`` … ``2020-12``) named by a ``$schema`` value, or ``None``."""
    if not isinstance(schema_uri, str):
        return None
    uri = schema_uri.strip().rstrip("#")
    for prefix in ("https://", "http://"):
        if uri.startswith(prefix):
            uri = uri[len(prefix):]
            break
    return DIALECTS.get(uri)


def pointer_parts(pointer: str) -> tuple[str, ...]:
    """Split a JSON pointer (``""``, ``"/a/b"``; a leading ``#`` is tolerated) into unescaped tokens."""
    if pointer.startswith("#"):
        pointer = pointer[1:]
    if not pointer:
        return ()
    if pointer[0] != "/":
        raise ValueError(f"not a JSON pointer: {pointer!r}")
    if "~" not in pointer:
        return tuple(pointer[1:].split("/"))
    return tuple(t.replace("~1", "/").replace("~0", "~") for t in pointer[1:].split("/"))


def pointer_join(pointer: str, *tokens: str | int) -> str:
    """Append tokens (property names or array indexes) to a pointer, escaping ``~`` and ``/``."""
    out = pointer
    for token in tokens:
        out += "/" + str(token).replace("~", "~0").replace("/", "~1")
    return out


def pointer_from_parts(parts: tuple[str | int, ...] | list[str | int]) -> str:
    """The pointer for a sequence of tokens."""
    return pointer_join("", *parts)


def pointer_parent(pointer: str) -> str:
    """The pointer of the enclosing node (the root is its own parent)."""
    return pointer[: pointer.rfind("/")] if pointer else ""


@dataclass(frozen=True, slots=True)
class Span:
    """Character offsets and 1-based positions of one node.

    Attributes:
        line, column: Start of the member (the key for an object member, else the value).
        end_line, end_column: End of the value; ``end_column`` is exclusive.
        value_line, value_column: Start of the value itself.
        raw: The source text of a scalar value (for exact numbers); ``""`` for containers.
    """

    line: int
    column: int
    end_line: int
    end_column: int
    value_line: int
    value_column: int
    raw: str = ""


class PositionIndex(Protocol):
    """Answers where a pointer is in the source text (implemented in ``positions.py``)."""

    def span(self, pointer: str) -> Span | None:
        """The span of the node at ``pointer``, or ``None`` if the pointer does not exist."""
        ...


@dataclass(frozen=True, slots=True)
class JsonDocument:
    """One parsed JSON Schema file (JSON or YAML) at one revision.

    Attributes:
        path: Repository-relative POSIX path.
        data: The schema as plain JSON values (non-integers are ``float``; see
            :meth:`exact_number` for exact decimals).
        dialect: ``draft4``, ``draft6``, ``draft7``, ``2019-09`` or ``2020-12`` (from the root
            ``$schema``; inferred from the keywords used when absent or unknown).
        syntax: ``json`` or ``yaml``.
        positions: Where each pointer is in the text (computed lazily).
        schema_uri: The raw root ``$schema`` value (``""`` when absent).
        size: Size of the file in bytes.
        dialect_reason: Why ``dialect`` was chosen when no known ``$schema`` names it
            (``""`` when ``$schema`` decided); see :mod:`.dialect`.
    """

    path: str
    data: Any
    dialect: str = DEFAULT_DIALECT
    syntax: str = "json"
    positions: PositionIndex | None = field(default=None, compare=False, repr=False)
    schema_uri: str = ""
    size: int = 0
    dialect_reason: str = ""

    def get(self, pointer: str, default: Any = None) -> Any:
        """The value at ``pointer`` (``default`` when it does not exist)."""
        node = self.data
        for token in pointer_parts(pointer):
            if isinstance(node, dict):
                if token not in node:
                    return default
                node = node[token]
            elif isinstance(node, list):
                if not token.isdigit() or int(token) >= len(node):
                    return default
                node = node[int(token)]
            else:
                return default
        return node

    def has(self, pointer: str) -> bool:
        """Whether ``pointer`` names a node of the document."""
        marker = object()
        return self.get(pointer, marker) is not marker

    def span(self, pointer: str) -> Span | None:
        """The :class:`Span` of the node at ``pointer`` (``None`` if it does not exist)."""
        if self.positions is None:
            return None
        return self.positions.span(pointer)

    def location(self, pointer: str) -> Location:
        """Where the node at ``pointer`` is: for an object member, its key through its value.

        Raises:
            KeyError: ``pointer`` does not exist in this document.
        """
        span = self.span(pointer)
        if span is None:
            raise KeyError(pointer)
        return Location(self.path, span.line, span.column, span.end_line, span.end_column)

    def value_location(self, pointer: str) -> Location:
        """Like :meth:`location` but starting at the value, not the key."""
        span = self.span(pointer)
        if span is None:
            raise KeyError(pointer)
        return Location(self.path, span.value_line, span.value_column, span.end_line, span.end_column)

    def nearest_location(self, pointer: str) -> Location:
        """The location of ``pointer`` or of its nearest existing ancestor (the root at worst).

        Use it for removals: point at the enclosing element that survives in this document.
        """
        current = pointer
        while True:
            span = self.span(current)
            if span is not None:
                return Location(self.path, span.line, span.column, span.end_line, span.end_column)
            if not current:
                return Location(self.path, 1, 1, 1, 1)
            current = pointer_parent(current)

    def exact_number(self, pointer: str) -> int | Decimal | None:
        """The number at ``pointer`` exactly as written (``Decimal`` for non-integers).

        ``None`` when the node is missing or not a number. Numbers of up to 15 significant
        digits come from the float itself (exactly); longer ones from the source text, or
        ``Decimal(repr(x))`` when no text is available.
        """
        value = self.get(pointer)
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return None
        if isinstance(value, int):
            return value
        shortest = repr(value)
        if len(shortest.split("e")[0].replace("-", "").replace(".", "").lstrip("0")) <= 15:
            # Any decimal of at most 15 significant digits survives the float round trip, so
            # the shortest repr equals what was written: no need to look at the text.
            return Decimal(shortest)
        span = self.span(pointer)
        if span is not None and span.raw:
            try:
                return Decimal(span.raw.replace("_", ""))
            except InvalidOperation:
                pass
        return Decimal(repr(value))
