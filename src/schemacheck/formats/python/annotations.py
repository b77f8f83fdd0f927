"""Annotation wrappers and constraint metadata: ``Annotated``, ``Required``, ``ClassVar``, markers.

Maintainers: shared by :mod:`.fields` (field-level reading) and :mod:`.types` (constraints
inside ``Annotated`` anywhere in a type).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from . import names as N
from .classes import literal_value
from .syntax import Expr, ModuleInfo

if TYPE_CHECKING:
    from .classes import Extractor

__all__ = ["unwrap", "nullable", "constraints_from", "py_value", "CONSTRAINT_KEYS"]

#: Field/Meta keywords kept as constraints (pydantic v1 spellings included).
CONSTRAINT_KEYS = frozenset({"gt", "ge", "lt", "le", "multiple_of", "min_length", "max_length", "pattern", "regex",
                             "min_items", "max_items", "unique_items", "const", "discriminator"})

def unwrap(extractor: Extractor, mod: ModuleInfo, annotation: Expr) -> tuple[Expr, set[str], list[Expr]]:
    """Strip ``Annotated``/``Required``/``NotRequired``/``ReadOnly``/``ClassVar``/``InitVar``.

    Returns the inner type, the wrapper names seen, and ``Annotated`` metadata.
    """
    wrappers: set[str] = set()
    meta: list[Expr] = []
    while annotation.kind == "sub" and annotation.items:
        name = extractor.project.qualify(annotation.text, mod)
        short = name.rsplit(".", 1)[-1]
        if N.is_name(name, "Annotated"):
            meta.extend(annotation.items[1:])
        elif N.is_name(name, "Required", "NotRequired", "ReadOnly", "ClassVar", "Final") or name == "dataclasses.InitVar":
            wrappers.add(short)
        else:
            break
        annotation = annotation.items[0]
    if annotation.kind == "name":
        name = extractor.project.qualify(annotation.text, mod)
        if N.is_name(name, "ClassVar") or name in ("dataclasses.InitVar", "dataclasses.KW_ONLY"):
            wrappers.add(name.rsplit(".", 1)[-1])
    return annotation, wrappers, meta


def nullable(extractor: Extractor, mod: ModuleInfo, annotation: Expr) -> bool:
    """Whether the annotation admits ``None`` (``Optional``, ``Union[..., None]``, ``X | None``, ``Any``)."""
    annotation, _, _ = unwrap(extractor, mod, annotation)
    if annotation.kind == "const" and annotation.value is None:
        return True
    if annotation.kind == "or":
        return any(nullable(extractor, mod, e) for e in annotation.items)
    if annotation.kind == "name":
        return N.is_name(extractor.project.qualify(annotation.text, mod), "Any", "NoneType")
    if annotation.kind == "sub":
        name = extractor.project.qualify(annotation.text, mod)
        if N.is_name(name, "Optional"):
            return True
        if N.is_name(name, "Union"):
            return any(nullable(extractor, mod, e) for e in annotation.items)
    return False


def py_value(expr: Expr) -> Any:
    ok, value = literal_value(expr)
    return value if ok else f"<{expr.text or expr.kind}>"


def constraints_from(meta: list[Expr], extractor: Extractor, mod: ModuleInfo) -> dict[str, Any]:
    """Constraints of ``Annotated`` metadata: ``Field(...)``, annotated_types markers, ``msgspec.Meta``."""
    out: dict[str, Any] = {}
    markers = {"Gt": "gt", "Ge": "ge", "Lt": "lt", "Le": "le", "MultipleOf": "multiple_of", "MinLen": "min_length",
               "MaxLen": "max_length"}
    for item in meta:
        if item.kind != "call":
            continue
        name = extractor.project.qualify(item.text, mod)
        short = name.rsplit(".", 1)[-1]
        if short in markers and name.startswith("annotated_types") and item.items:
            out[markers[short]] = py_value(item.items[0])
        elif short in ("Interval", "Len") and name.startswith("annotated_types"):
            if short == "Len":
                keys = ("min_length", "max_length")
                for key, arg in zip(keys, item.items):
                    out[key] = py_value(arg)
            out.update({k if short == "Interval" else {"min_length": "min_length"}.get(k, k): py_value(v)
                        for k, v in item.kwargs})
        elif name in N.FIELD_CALLS or short == "Meta" and name.startswith("msgspec"):
            out.update({k: py_value(v) for k, v in item.kwargs if k in CONSTRAINT_KEYS})
    return out
