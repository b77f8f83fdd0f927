"""The Python DTO model: classes and fields as the wire sees them, before types become shapes.

Maintainers: :mod:`.classes` builds these from parsed modules; :mod:`.to_shape` turns a
:class:`DtoClass` into shape nodes (one *view* for reading, one for writing), and the
Python-specific rules compare :class:`DtoClass` pairs directly (alias and unknown-key policy
changes). Everything is frozen; a field keeps the module its annotation must be resolved in
(an inherited field's annotation belongs to the base class's module).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .source import Expr, ModuleInfo, Span

__all__ = ["DtoField", "DtoClass", "Note", "KINDS"]

#: Kinds of DTO classes, as named in messages and docs.
KINDS = {
    "pydantic2": "pydantic v2 model",
    "pydantic1": "pydantic v1 model",
    "pydantic-dataclass": "pydantic dataclass",
    "dataclass": "dataclass",
    "typeddict": "TypedDict",
    "attrs": "attrs class",
    "msgspec": "msgspec Struct",
    "root": "pydantic RootModel",
}


@dataclass(frozen=True, slots=True)
class DtoField:
    """One field of a DTO.

    Attributes:
        attr: The Python attribute name.
        read_name: The key accepted on input (validation alias, alias, generated alias, name).
        write_name: The key written on output (serialization alias, alias, ...; by alias).
        annotation: The type expression (``None``: unannotated, e.g. ``attr.ib()``).
        constraints: Field-level constraints (``ge``, ``max_length``, ``pattern``,
            ``discriminator``, ...), as Python values.
        required_in: Input must contain the key.
        required_out: Output always contains the key.
        default: Canonical JSON of the default (``None``: no default).
        read: The key is accepted on input (``init=False`` fields are not).
        written: The key is written on output (``Field(exclude=True)`` fields are not).
        opaque_out: A custom serializer decides what is written for this field.
        module: The module the annotation is resolved in.
        span: The field's statement.
    """

    attr: str
    read_name: str
    write_name: str
    annotation: Expr | None
    constraints: tuple[tuple[str, Any], ...]
    required_in: bool
    required_out: bool
    default: str | None
    read: bool
    written: bool
    opaque_out: bool
    module: ModuleInfo
    span: Span


@dataclass(frozen=True, slots=True)
class DtoClass:
    """One DTO class (or functional ``TypedDict``).

    Attributes:
        qualname: Module path + class name (``app.api.orders.Order``): how revisions are paired.
        name: The class name.
        kind: One of :data:`KINDS`.
        fields: Its fields, inherited ones included.
        extra: Unknown-key policy of a reader: ``ignore``, ``forbid`` or ``allow``.
        extra_items: The type of undeclared keys (TypedDict ``extra_items``), if any.
        opaque: Why the whole class cannot be read statically ('' when it can).
        opaque_out: Why its output cannot be read statically (a model serializer).
        module: The module it is defined in.
        span: The class statement; ``name_span`` its name.
    """

    qualname: str
    name: str
    kind: str
    fields: tuple[DtoField, ...]
    extra: str
    module: ModuleInfo
    span: Span
    name_span: Span
    extra_items: Expr | None = None
    opaque: str = ""
    opaque_out: str = ""

    @property
    def path(self) -> str:
        return self.module.path

    def field(self, attr: str) -> DtoField | None:
        return next((f for f in self.fields if f.attr == attr), None)


@dataclass(frozen=True, slots=True)
class Note:
    """Something the front end could not read statically (an info diagnostic at its position)."""

    path: str
    span: Span
    message: str
