"""The shape model: what a JSON-shaped value may look like, independent of the source format.

Maintainers: JSON Schema (``formats/jsonschema/to_shape.py``), OpenAPI bodies and Python DTOs
all produce these nodes, and the compatibility engine (``compat/shape``) compares two of them.
Every node is a frozen dataclass carrying an :class:`Origin` (file path + JSON pointer + a lazy
locator, so positions are computed only for reported nodes) and :class:`Annotations`
(default, deprecated, readOnly, writeOnly). Both are excluded from equality: two nodes are
equal when they accept the same documents *structurally*, which is what rename detection and
"unchanged" checks need. Numbers are exact (:class:`~decimal.Decimal`); enum values are kept as
canonical JSON text so nodes stay hashable-by-value and comparisons are exact (``1`` vs
``1.0`` vs ``true`` stay distinct the way JSON Schema's equality wants, except that integral
floats are written as integers).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, ClassVar

from .meta import NO_ANNOTATIONS, NO_ORIGIN, Annotations, Origin, canonical_json

__all__ = [
    "Origin",
    "Annotations",
    "Shape",
    "AnyShape",
    "NeverShape",
    "NullShape",
    "BooleanShape",
    "StringShape",
    "NumberShape",
    "Property",
    "ObjectShape",
    "ArrayShape",
    "EnumShape",
    "UnionShape",
    "AllOfShape",
    "NotShape",
    "RefShape",
    "UnknownShape",
    "canonical_json",
]

@dataclass(frozen=True, slots=True, kw_only=True)
class Shape:
    """Base of every node; never instantiated itself."""

    origin: Origin = field(default=NO_ORIGIN, compare=False, repr=False)
    annotations: Annotations = field(default=NO_ANNOTATIONS, compare=False, repr=False)

    @property
    def pointer(self) -> str:
        return self.origin.pointer

    #: Short name of the node kind used in messages.
    kind: ClassVar[str] = "shape"


@dataclass(frozen=True, slots=True, kw_only=True)
class AnyShape(Shape):
    """Accepts every value (``true``, ``{}``, an absent schema)."""

    kind: ClassVar[str] = "any"


@dataclass(frozen=True, slots=True, kw_only=True)
class NeverShape(Shape):
    """Accepts nothing (``false``)."""

    kind: ClassVar[str] = "nothing"


@dataclass(frozen=True, slots=True, kw_only=True)
class NullShape(Shape):
    kind: ClassVar[str] = "null"


@dataclass(frozen=True, slots=True, kw_only=True)
class BooleanShape(Shape):
    kind: ClassVar[str] = "boolean"


@dataclass(frozen=True, slots=True, kw_only=True)
class StringShape(Shape):
    """A string with optional length bounds, ``pattern`` (ECMA 262 regex) and ``format``."""

    min_length: int | None = None
    max_length: int | None = None
    pattern: str | None = None
    format: str | None = None
    kind: ClassVar[str] = "string"


@dataclass(frozen=True, slots=True, kw_only=True)
class NumberShape(Shape):
    """A number (or an integer when ``integer``), bounds in numeric (draft 6+) form.

    Draft 4's boolean ``exclusiveMaximum: true`` is normalised by the front end into
    ``exclusive_maximum = maximum`` with ``maximum = None``.
    """

    integer: bool = False
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    exclusive_minimum: Decimal | None = None
    exclusive_maximum: Decimal | None = None
    multiple_of: Decimal | None = None
    kind: ClassVar[str] = "number"

    @property
    def type_name(self) -> str:
        return "integer" if self.integer else "number"


@dataclass(frozen=True, slots=True, kw_only=True)
class Property:
    """One declared property of an object.

    Attributes:
        name: The property name (JSON key, pydantic alias, ...).
        shape: Its schema.
        required: Whether the object must contain it.
    """

    name: str
    shape: Shape
    required: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class ObjectShape(Shape):
    """An object and its content model.

    ``additional``/``unevaluated`` are ``None`` when the keyword is absent, :class:`AnyShape`
    for ``true``, :class:`NeverShape` for ``false``, else the schema. Required names without
    a declared property are kept in ``extra_required``.
    """

    properties: tuple[Property, ...] = ()
    extra_required: tuple[str, ...] = ()
    additional: Shape | None = None
    pattern_properties: tuple[tuple[str, Shape], ...] = ()
    unevaluated: Shape | None = None
    property_names: Shape | None = None
    min_properties: int | None = None
    max_properties: int | None = None
    dependent_required: tuple[tuple[str, tuple[str, ...]], ...] = ()
    dependent_schemas: tuple[tuple[str, Shape], ...] = ()
    #: The reader policy of this object when it differs from the comparison's (``"strict"`` or
    #: ``"lenient"``): a Python DTO's ``extra='forbid'`` vs ``'ignore'``. ``None``: the comparison's.
    policy: str | None = field(default=None, compare=False)
    #: ``name -> property``, built once: lookups stay O(1) for objects with thousands of properties.
    _by_name: dict[str, Property] = field(init=False, default_factory=dict, compare=False, repr=False, hash=False)
    kind: ClassVar[str] = "object"

    def __post_init__(self) -> None:
        by_name = self._by_name
        for p in self.properties:
            by_name.setdefault(p.name, p)  # the first wins, as a scan would find it

    def prop(self, name: str) -> Property | None:
        """The declared property ``name`` or ``None``."""
        return self._by_name.get(name)


@dataclass(frozen=True, slots=True, kw_only=True)
class ArrayShape(Shape):
    """An array: a tuple part (``prefix_items``) then ``items`` for every further position.

    ``items`` is ``None`` when absent (any value). Each child keeps its own origin, so
    messages name ``/prefixItems/0`` or ``/items/0`` and ``/items`` or ``/additionalItems``
    as written.
    """

    prefix_items: tuple[Shape, ...] = ()
    items: Shape | None = None
    unevaluated_items: Shape | None = None
    min_items: int | None = None
    max_items: int | None = None
    unique_items: bool = False
    contains: Shape | None = None
    min_contains: int | None = None
    max_contains: int | None = None
    kind: ClassVar[str] = "array"


@dataclass(frozen=True, slots=True, kw_only=True)
class EnumShape(Shape):
    """A finite set of values (``enum``; ``const`` when ``const``), as canonical JSON texts."""

    values: tuple[str, ...] = ()
    const: bool = False
    kind: ClassVar[str] = "enum"

    def decoded(self) -> list[Any]:
        return [json.loads(v) for v in self.values]


@dataclass(frozen=True, slots=True, kw_only=True)
class UnionShape(Shape):
    """``anyOf`` (or ``oneOf`` when ``one_of``); ``synthetic`` for a ``type: [a, b]`` list."""

    branches: tuple[Shape, ...] = ()
    one_of: bool = False
    synthetic: bool = False
    kind: ClassVar[str] = "union"

    @property
    def keyword(self) -> str:
        return "type" if self.synthetic else ("oneOf" if self.one_of else "anyOf")


@dataclass(frozen=True, slots=True, kw_only=True)
class AllOfShape(Shape):
    """``allOf``: every branch must hold. Also built for a schema mixing a type and ``$ref``."""

    branches: tuple[Shape, ...] = ()
    kind: ClassVar[str] = "allOf"


@dataclass(frozen=True, slots=True, kw_only=True)
class NotShape(Shape):
    """``not``: everything the inner schema rejects."""

    inner: Shape = field(default_factory=AnyShape)
    kind: ClassVar[str] = "not"


@dataclass(frozen=True, slots=True, kw_only=True)
class RefShape(Shape):
    """A reference resolved lazily (``target()``), so recursive schemas stay finite.

    Equality compares the reference text only: two ``$ref: '#/$defs/Node'`` are equal.
    """

    ref: str = ""
    target: Callable[[], Shape] = field(default=lambda: AnyShape(), compare=False, repr=False)
    kind: ClassVar[str] = "ref"


@dataclass(frozen=True, slots=True, kw_only=True)
class UnknownShape(Shape):
    """A construct the engine cannot decide: unresolved ``$ref``, ``if``/``then``/``else``,
    ``$dynamicRef``. ``raw`` is the canonical JSON of the keywords, so an unchanged construct
    compares equal and causes no finding."""

    keyword: str = ""
    raw: str = ""
    reason: str = field(default="", compare=False)
    kind: ClassVar[str] = "unknown"
