"""Python type annotations to shape nodes: builtins, typing constructs, pydantic types, DTOs, enums.

Maintainers: :class:`TypeMapper` turns one annotation (an :class:`~.source.Expr` resolved in
its module) into a shape, the way pydantic's JSON Schema (serialization mode) describes it:
``datetime``/``UUID``/``Decimal`` are strings, ``Literal`` and ``Enum`` are enums of values,
``set`` is an array of unique items, a fixed ``tuple`` a closed array. A nested DTO becomes a
:class:`~schemacheck.shape.RefShape` to that class's shape (built lazily, so recursive models
stay finite). A type that cannot be read (a class outside the repository, a call) becomes an
:class:`~schemacheck.shape.UnknownShape` compared by its text, with a note.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any, Callable

from ...shape.meta import canonical_json
from ...shape.nodes import (AnyShape, ArrayShape, BooleanShape, EnumShape, NeverShape, NullShape, NumberShape,
                            ObjectShape, Origin, RefShape, Shape, StringShape, UnionShape, UnknownShape)
from . import names as N
from .source import Expr, ModuleInfo, parse_annotation_text

if TYPE_CHECKING:
    from .classes import Extractor

__all__ = ["TypeMapper", "apply_constraints", "expr_text"]

_FORMATS = {
    "datetime.datetime": "date-time", "datetime.date": "date", "datetime.time": "time", "datetime.timedelta": "duration",
    "uuid.UUID": "uuid", "pydantic.EmailStr": "email", "pydantic.NameEmail": "name-email", "pydantic.AnyUrl": "uri",
    "pydantic.HttpUrl": "uri", "pydantic.AnyHttpUrl": "uri", "pathlib.Path": "path", "pydantic.UUID4": "uuid4",
    "pydantic.UUID1": "uuid1", "ipaddress.IPv4Address": "ipv4", "ipaddress.IPv6Address": "ipv6",
}
_NUMBERS = {"PositiveInt": (True, "gt", 0), "NonNegativeInt": (True, "ge", 0), "NegativeInt": (True, "lt", 0),
            "NonPositiveInt": (True, "le", 0), "PositiveFloat": (False, "gt", 0), "NonNegativeFloat": (False, "ge", 0),
            "NegativeFloat": (False, "lt", 0), "NonPositiveFloat": (False, "le", 0)}
_ARRAYS = ("list", "List", "Sequence", "MutableSequence", "Iterable", "Collection", "Deque", "deque")
_SETS = ("set", "Set", "frozenset", "FrozenSet", "AbstractSet", "MutableSet")
_MAPS = ("dict", "Dict", "Mapping", "MutableMapping", "DefaultDict", "defaultdict", "OrderedDict")


def expr_text(expr: Expr | None) -> str:
    """A position-free text of an expression (for opaque comparisons and messages)."""
    if expr is None:
        return ""
    if expr.kind in ("name", "other", "num"):
        return expr.text
    if expr.kind == "str":
        return repr(expr.value)
    if expr.kind == "const":
        return expr.text
    if expr.kind == "or":
        return " | ".join(expr_text(e) for e in expr.items)
    if expr.kind == "sub":
        return f"{expr.text}[{', '.join(expr_text(e) for e in expr.items)}]"
    if expr.kind == "call":
        args = [expr_text(e) for e in expr.items] + [f"{k}={expr_text(v)}" for k, v in expr.kwargs]
        return f"{expr.text}({', '.join(args)})"
    inner = ", ".join(expr_text(e) for e in expr.items)
    return {"list": f"[{inner}]", "tuple": f"({inner})", "set": f"{{{inner}}}", "dict": f"{{{inner}}}"}[expr.kind]


def _num(value: Any) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def apply_constraints(shape: Shape, constraints: dict[str, Any], origin: Origin) -> Shape:
    """``shape`` with field-level constraints (on the non-null branches of an ``Optional``)."""
    if not constraints:
        return shape
    if isinstance(shape, UnionShape):
        branches = tuple(b if isinstance(b, NullShape) else apply_constraints(b, constraints, b.origin)
                         for b in shape.branches)
        one_of = shape.one_of or bool(constraints.get("discriminator"))
        return UnionShape(branches=branches, one_of=one_of, origin=shape.origin, annotations=shape.annotations)
    if "const" in constraints and constraints["const"] is not None and not isinstance(constraints["const"], bool):
        return EnumShape(values=(canonical_json(constraints["const"]),), const=True, origin=origin)
    if isinstance(shape, StringShape):
        return StringShape(min_length=_int(constraints.get("min_length"), shape.min_length),
                           max_length=_int(constraints.get("max_length"), shape.max_length),
                           pattern=constraints.get("pattern") or constraints.get("regex") or shape.pattern,
                           format=shape.format, origin=shape.origin, annotations=shape.annotations)
    if isinstance(shape, NumberShape):
        return NumberShape(integer=shape.integer,
                           minimum=_num(constraints.get("ge")) if "ge" in constraints else shape.minimum,
                           maximum=_num(constraints.get("le")) if "le" in constraints else shape.maximum,
                           exclusive_minimum=_num(constraints["gt"]) if "gt" in constraints else shape.exclusive_minimum,
                           exclusive_maximum=_num(constraints["lt"]) if "lt" in constraints else shape.exclusive_maximum,
                           multiple_of=_num(constraints["multiple_of"]) if "multiple_of" in constraints
                           else shape.multiple_of, origin=shape.origin, annotations=shape.annotations)
    if isinstance(shape, ArrayShape):
        low = constraints.get("min_length", constraints.get("min_items"))
        high = constraints.get("max_length", constraints.get("max_items"))
        return ArrayShape(prefix_items=shape.prefix_items, items=shape.items, min_items=_int(low, shape.min_items),
                          max_items=_int(high, shape.max_items),
                          unique_items=shape.unique_items or constraints.get("unique_items") is True,
                          origin=shape.origin, annotations=shape.annotations)
    return shape


def _int(value: Any, fallback: int | None) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else fallback


class TypeMapper:
    """Maps annotations of one revision to shapes.

    Args:
        extractor: The revision's extractor (classes, notes).
        class_ref: ``(module, class def, qual) -> Shape`` for a nested DTO (a lazy reference).
    """

    def __init__(self, extractor: Extractor, class_ref: Callable[..., Shape]) -> None:
        self.x = extractor
        self.class_ref = class_ref
        self._depth = 0

    def shape(self, expr: Expr | None, mod: ModuleInfo, origin: Origin) -> Shape:
        if expr is None:
            return AnyShape(origin=origin)
        self._depth += 1
        try:
            if self._depth > 60:
                return self._unknown(expr, mod, origin, "is nested too deeply")
            return self._shape(expr, mod, origin)
        finally:
            self._depth -= 1

    def _child(self, origin: Origin, suffix: str) -> Origin:
        return Origin(origin.path, origin.pointer + suffix, origin.locator)

    def _unknown(self, expr: Expr, mod: ModuleInfo, origin: Origin, why: str) -> Shape:
        text = expr_text(expr)
        self.x.note(mod, expr.span, f"type {text} {why}; it is compared by its text")
        return UnknownShape(keyword="python-type", raw=canonical_json(text), reason=why, origin=origin)

    def _shape(self, expr: Expr, mod: ModuleInfo, origin: Origin) -> Shape:
        if expr.kind == "const":
            return NullShape(origin=origin) if expr.value is None else AnyShape(origin=origin)
        if expr.kind == "str":
            parsed = parse_annotation_text(expr.value, expr.span)
            return self.shape(parsed, mod, origin) if parsed is not None else \
                self._unknown(expr, mod, origin, "is a string that is no type expression")
        if expr.kind == "or":
            return self._union(list(expr.items), mod, origin)
        if expr.kind == "name":
            return self._name(expr, mod, origin)
        if expr.kind == "sub":
            return self._subscript(expr, mod, origin)
        if expr.kind == "call":
            return self._call(expr, mod, origin)
        return self._unknown(expr, mod, origin, "cannot be read statically")

    def _union(self, items: list[Expr], mod: ModuleInfo, origin: Origin) -> Shape:
        flat: list[Shape] = []
        for i, item in enumerate(items):
            branch = self.shape(item, mod, self._child(origin, f"/anyOf/{i}"))
            flat.extend(branch.branches if isinstance(branch, UnionShape) and not branch.one_of else (branch,))
        unique: list[Shape] = []
        for branch in flat:
            if branch not in unique:
                unique.append(branch)
        return unique[0] if len(unique) == 1 else UnionShape(branches=tuple(unique), origin=origin)

    def _name(self, expr: Expr, mod: ModuleInfo, origin: Origin) -> Shape:
        q = self.x.project.qualify(expr.text, mod)
        short = q.rsplit(".", 1)[-1]
        simple = {"builtins.int": NumberShape(integer=True, origin=origin), "builtins.float": NumberShape(origin=origin),
                  "builtins.bool": BooleanShape(origin=origin), "builtins.str": StringShape(origin=origin),
                  "builtins.bytes": StringShape(format="binary", origin=origin),
                  "decimal.Decimal": StringShape(origin=origin), "builtins.object": AnyShape(origin=origin)}
        if q in simple:
            return simple[q]
        if q in _FORMATS:
            return StringShape(format=_FORMATS[q], origin=origin)
        if N.is_name(q, "Any") or q.startswith("typing.TypeVar"):
            return AnyShape(origin=origin)
        if N.is_name(q, "NoneType"):
            return NullShape(origin=origin)
        if q.startswith("pydantic.") and short in _NUMBERS:
            integer, key, bound = _NUMBERS[short]
            return apply_constraints(NumberShape(integer=integer, origin=origin), {key: bound}, origin)
        if q.startswith("pydantic.") and short.startswith("Strict"):
            return self._name(Expr("name", short[len("Strict"):].lower(), span=expr.span), mod, origin)
        if N.is_name(q, *_ARRAYS) or q in ("builtins.tuple", "typing.Tuple"):
            return ArrayShape(origin=origin)
        if N.is_name(q, *_SETS):
            return ArrayShape(unique_items=True, origin=origin)
        if N.is_name(q, *_MAPS):
            return ObjectShape(origin=origin)
        return self._repository_name(expr, q, mod, origin)

    def _repository_name(self, expr: Expr, q: str, mod: ModuleInfo, origin: Origin) -> Shape:
        found = self.x.resolve_class(q, mod)
        if found is not None and found.cls is not None:
            kind = self.x.kind_of(found.module, found.cls, found.name)
            if kind == "enum":
                return self._enum(found, origin)
            if kind is not None:
                return self.class_ref(found.module, found.cls, found.name, origin)
            return self._unknown(expr, mod, origin, "is a class that is no DTO")
        found = self.x.project.find(q, mod.path) if not q.startswith(mod.module + ".") else None
        stmt = mod.assigns.get(q[len(mod.module) + 1:]) if q.startswith(mod.module + ".") else None
        where = mod
        if found is not None and found.stmt is not None:
            stmt, where = found.stmt, found.module
        if stmt is not None and stmt.value is not None:
            value = stmt.value
            if value.kind == "call" and value.text.rsplit(".", 1)[-1] == "NewType" and len(value.items) == 2:
                return self.shape(value.items[1], where, origin)
            if value.kind == "call" and value.text.rsplit(".", 1)[-1] == "TypeVar":
                return AnyShape(origin=origin)
            return self.shape(value, where, origin)
        return self._unknown(expr, mod, origin, "is not defined in the repository")

    def _enum(self, found: Any, origin: Origin) -> Shape:
        values: list[str] = []
        is_str = any(b.text.rsplit(".", 1)[-1] == "StrEnum" for b in found.cls.bases)
        counter = 0
        for stmt in found.cls.body:
            if stmt.kind != "assign" or stmt.target.startswith("_") or stmt.value is None:
                continue
            value = stmt.value
            if value.kind == "call" and value.text.rsplit(".", 1)[-1] == "auto":
                counter += 1
                values.append(canonical_json(stmt.target.lower() if is_str else counter))
            elif value.is_literal:
                values.append(canonical_json(value.value))
                if value.kind == "num" and isinstance(value.value, int):
                    counter = value.value
            elif value.kind == "tuple" and value.items and value.items[0].is_literal:
                values.append(canonical_json(value.items[0].value))
            else:
                self.x.note(found.module, stmt.span, f"enum member {found.name}.{stmt.target} has no literal value; "
                                                     "it is compared by its text")
                values.append(canonical_json(f"<{expr_text(value)}>"))
        return EnumShape(values=tuple(dict.fromkeys(values)), origin=origin)

    def _subscript(self, expr: Expr, mod: ModuleInfo, origin: Origin) -> Shape:
        q = self.x.project.qualify(expr.text, mod)
        items = list(expr.items)
        if N.is_name(q, "Optional"):
            return self._union([*items, Expr("const", "None", value=None)], mod, origin)
        if N.is_name(q, "Union"):
            return self._union(items, mod, origin)
        if N.is_name(q, "Literal"):
            return self._literal(items, mod, origin)
        if N.is_name(q, "Annotated"):
            from .annotations import constraints_from

            inner = self.shape(items[0], mod, origin)
            return apply_constraints(inner, constraints_from(items[1:], self.x, mod), origin)
        if N.is_name(q, "Required", "NotRequired", "ReadOnly", "ClassVar", "Final") or q == "dataclasses.InitVar":
            return self.shape(items[0], mod, origin)
        if N.is_name(q, *_ARRAYS):
            return ArrayShape(items=self.shape(items[0], mod, self._child(origin, "/items")), origin=origin)
        if N.is_name(q, *_SETS):
            return ArrayShape(items=self.shape(items[0], mod, self._child(origin, "/items")), unique_items=True,
                              origin=origin)
        if q in ("builtins.tuple", "typing.Tuple"):
            if len(items) == 2 and items[1].kind == "const" and items[1].value is Ellipsis:
                return ArrayShape(items=self.shape(items[0], mod, self._child(origin, "/items")), origin=origin)
            if len(items) == 1 and items[0].kind == "tuple" and not items[0].items:
                items = []
            prefix = tuple(self.shape(e, mod, self._child(origin, f"/prefixItems/{i}")) for i, e in enumerate(items))
            return ArrayShape(prefix_items=prefix, items=NeverShape(origin=self._child(origin, "/items")),
                              min_items=len(prefix), max_items=len(prefix), origin=origin)
        if N.is_name(q, *_MAPS) and len(items) == 2:
            value = self.shape(items[1], mod, self._child(origin, "/additionalProperties"))
            return ObjectShape(additional=value, origin=origin)
        if N.is_name(q, "Type"):
            return self._unknown(expr, mod, origin, "is a class object")
        found = self.x.resolve_class(q, mod)
        if found is not None and found.cls is not None and self.x.kind_of(found.module, found.cls, found.name):
            self.x.note(mod, expr.span, f"generic {expr_text(expr)}: type parameters are read as Any")
            return self.class_ref(found.module, found.cls, found.name, origin)
        return self._unknown(expr, mod, origin, "cannot be read statically")

    def _literal(self, items: list[Expr], mod: ModuleInfo, origin: Origin) -> Shape:
        values: list[str] = []
        for item in items:
            if item.is_literal:
                values.append(canonical_json(item.value))
                continue
            member = self._enum_member(item, mod)
            if member is None:
                return self._unknown(Expr("sub", "Literal", tuple(items), span=item.span), mod, origin,
                                     "has a value that is not a literal")
            values.append(member)
        unique = tuple(dict.fromkeys(values))
        return EnumShape(values=unique, const=len(unique) == 1, origin=origin)

    def _enum_member(self, item: Expr, mod: ModuleInfo) -> str | None:
        if item.kind != "name" or "." not in item.text:
            return None
        owner, _, member = item.text.rpartition(".")
        found = self.x.resolve_class(self.x.project.qualify(owner, mod), mod)
        if found is None or found.cls is None:
            return None
        stmt = next((s for s in found.cls.body if s.target == member and s.value is not None), None)
        return canonical_json(stmt.value.value) if stmt is not None and stmt.value.is_literal else None  # type: ignore[union-attr]

    def _call(self, expr: Expr, mod: ModuleInfo, origin: Origin) -> Shape:
        q = self.x.project.qualify(expr.text, mod)
        short = q.rsplit(".", 1)[-1]
        if not q.startswith("pydantic"):
            return self._unknown(expr, mod, origin, "is a call")
        kw = {k: v.value if v.is_literal else None for k, v in expr.kwargs}
        if short in ("conint", "confloat", "condecimal"):
            base = NumberShape(integer=short == "conint", origin=origin) if short != "condecimal" \
                else StringShape(origin=origin)
            return apply_constraints(base, {k: v for k, v in kw.items() if v is not None}, origin)
        if short in ("constr", "conbytes"):
            base = StringShape(format="binary" if short == "conbytes" else None, origin=origin)
            kw = {k: v for k, v in kw.items() if v is not None}
            if kw.get("to_lower") or kw.get("to_upper") or kw.get("strip_whitespace"):
                kw = {k: v for k, v in kw.items() if k not in ("to_lower", "to_upper", "strip_whitespace")}
            return apply_constraints(base, kw, origin)
        if short in ("conlist", "conset", "confrozenset"):
            item = expr.items[0] if expr.items else expr.kwarg("item_type")
            array = ArrayShape(items=self.shape(item, mod, self._child(origin, "/items")),
                               unique_items=short != "conlist", origin=origin)
            return apply_constraints(array, {k: v for k, v in kw.items() if v is not None}, origin)
        return self._unknown(expr, mod, origin, "is a call")
