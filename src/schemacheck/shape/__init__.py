"""The shape model shared by JSON Schema, OpenAPI bodies and Python DTOs.

Maintainers: :mod:`.nodes` holds the frozen node types, :mod:`.values` pure questions about
one node (types, bounds, does it accept this value). Front ends build shapes; the engine in
``schemacheck.compat.shape`` compares two of them.
"""

from __future__ import annotations

from .nodes import (
    AllOfShape,
    Annotations,
    AnyShape,
    ArrayShape,
    BooleanShape,
    EnumShape,
    NeverShape,
    NotShape,
    NullShape,
    NumberShape,
    ObjectShape,
    Origin,
    Property,
    RefShape,
    Shape,
    StringShape,
    UnionShape,
    UnknownShape,
    canonical_json,
)

__all__ = [
    "AllOfShape",
    "Annotations",
    "AnyShape",
    "ArrayShape",
    "BooleanShape",
    "EnumShape",
    "NeverShape",
    "NotShape",
    "NullShape",
    "NumberShape",
    "ObjectShape",
    "Origin",
    "Property",
    "RefShape",
    "Shape",
    "StringShape",
    "UnionShape",
    "UnknownShape",
    "canonical_json",
]
