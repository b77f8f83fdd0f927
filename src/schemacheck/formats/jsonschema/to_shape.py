"""JSON Schema document → shape model (``schemacheck.shape``), the input of the shape engine.

Maintainers: this is where JSON Schema's quirks are absorbed so the engine compares like with
like. ``type: [a, b]`` becomes a synthetic union with one node per type (keywords apply per
type, so the split is exact); ``type`` + ``enum`` becomes one :class:`EnumShape` holding the
values the type admits; a schema mixing a type with ``allOf``/``anyOf``/``oneOf``/``not``/
``$ref`` (2019-09+) becomes an :class:`AllOfShape` of its parts; draft 4's boolean
``exclusiveMaximum`` becomes the numeric form; ``items: [...]`` + ``additionalItems`` (before
2020-12) and ``prefixItems`` + ``items`` (2020-12) both become ``prefix_items`` + ``items``, the
dialect (``doc.dialect``, see ``dialect.py``) saying which pair applies; ``dependencies`` is split
into ``dependentRequired``/``dependentSchemas``. ``$ref`` becomes a lazy :class:`RefShape`
whose target is built once per (file, pointer), so recursive schemas are finite graphs.
Constructs the engine cannot decide (``if``/``then``/``else``, ``$dynamicRef``,
``$recursiveRef``, unresolved ``$ref``) become :class:`UnknownShape`. An untyped schema with
keywords of one kind (``properties`` without ``type``) is read as that kind: an approximation,
since JSON Schema would also accept other types there.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction
from typing import Any
from urllib.parse import urljoin

from ...model import Location
from ...shape.meta import NO_ANNOTATIONS
from ...shape.nodes import (
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
from ...shape.values import accepts
from .dialect import LEGACY_DIALECTS, tuple_keywords
from .document import JsonDocument, pointer_join
from .refs import RefResolver, Unresolved

__all__ = ["ShapeBuilder", "document_shape"]

_KIND_KEYWORDS: dict[str, frozenset[str]] = {
    "string": frozenset({"minLength", "maxLength", "pattern", "format"}),
    "number": frozenset({"minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"}),
    "object": frozenset({"properties", "required", "additionalProperties", "patternProperties",
                         "unevaluatedProperties", "propertyNames", "minProperties", "maxProperties",
                         "dependentRequired", "dependentSchemas", "dependencies"}),
    "array": frozenset({"items", "prefixItems", "additionalItems", "unevaluatedItems", "minItems", "maxItems",
                        "uniqueItems", "contains", "minContains", "maxContains"}),
}
_TYPES = ("null", "boolean", "object", "array", "string", "number", "integer")
_UNSET: Any = object()


def document_shape(doc: JsonDocument, refs: RefResolver) -> Shape:
    """The shape of a whole document (its root schema)."""
    return ShapeBuilder(refs).build(doc, "")


class ShapeBuilder:
    """Builds shapes from documents of one revision, sharing ``$ref`` targets.

    Args:
        refs: The resolver of that revision.
    """

    def __init__(self, refs: RefResolver) -> None:
        self._refs = refs
        self._cache: dict[tuple[str, str], Shape] = {}
        self._locators: dict[str, Callable[[str], Location | None]] = {}

    def _origin(self, doc: JsonDocument, pointer: str) -> Origin:
        """Where ``pointer`` of ``doc`` is; one shared lazy locator per document."""
        locate = self._locators.get(doc.path)
        if locate is None:
            def locate(p: str) -> Location | None:
                return doc.nearest_location(p) if doc.positions is not None else Location(doc.path, 1, 1, 1, 1)

            self._locators[doc.path] = locate
        return Origin(doc.path, pointer, locate)

    def build(self, doc: JsonDocument, pointer: str, value: Any = _UNSET) -> Shape:
        """The shape of the schema at ``pointer`` of ``doc`` (cached per file and pointer).

        ``value`` is the node at ``pointer`` when the caller already holds it.
        """
        key = (doc.path, pointer)
        found = self._cache.get(key)
        if found is None:
            node = doc.get(pointer) if value is _UNSET else value
            found = self._cache[key] = self._schema(doc, pointer, node)
        return found

    # -- one schema object ------------------------------------------------------------------
    def _schema(self, doc: JsonDocument, ptr: str, value: Any) -> Shape:
        origin = self._origin(doc, ptr)
        if value is True or (isinstance(value, dict) and not value):
            return AnyShape(origin=origin)
        if value is False:
            return NeverShape(origin=origin)
        if not isinstance(value, dict):
            return AnyShape(origin=origin)
        ann = _annotations(value)
        parts: list[Shape] = []
        ref_part = self._ref(doc, ptr, value, origin, ann)
        if ref_part is not None:
            if doc.dialect in LEGACY_DIALECTS:
                return ref_part  # draft 4-7: siblings of $ref are ignored
            parts.append(ref_part)
        base = self._typed(doc, ptr, value, origin, ann)
        if base is not None:
            parts.append(base)
        parts += self._combinators(doc, ptr, value, ann)
        if not parts:
            return AnyShape(origin=origin, annotations=ann)
        if len(parts) == 1:
            return parts[0]
        return AllOfShape(branches=tuple(parts), origin=origin, annotations=ann)

    def _combinators(self, doc: JsonDocument, ptr: str, value: dict[str, Any], ann: Annotations) -> list[Shape]:
        """``allOf`` members, ``anyOf``/``oneOf`` unions, ``not`` and ``if``/``then``/``else``."""
        out = [self.build(doc, pointer_join(ptr, "allOf", i), sub) for i, sub in enumerate(_list(value.get("allOf")))]
        for kw in ("anyOf", "oneOf"):
            subs = _list(value.get(kw))
            if subs:
                branches = tuple(self.build(doc, pointer_join(ptr, kw, i), sub) for i, sub in enumerate(subs))
                out.append(UnionShape(branches=branches, one_of=kw == "oneOf", annotations=ann,
                                      origin=self._origin(doc, pointer_join(ptr, kw))))
        if "not" in value:
            out.append(NotShape(inner=self.build(doc, pointer_join(ptr, "not"), value["not"]), annotations=ann,
                                origin=self._origin(doc, pointer_join(ptr, "not"))))
        if "if" in value:
            raw = canonical_json({k: value[k] for k in ("if", "then", "else") if k in value})
            out.append(UnknownShape(keyword="if/then/else", raw=raw, reason="if/then/else is not compared",
                                    origin=self._origin(doc, pointer_join(ptr, "if")), annotations=ann))
        return out

    def _ref(self, doc: JsonDocument, ptr: str, value: dict[str, Any], origin: Origin, ann: Annotations
             ) -> Shape | None:
        for kw in ("$dynamicRef", "$recursiveRef"):
            if kw in value:
                return UnknownShape(keyword=kw, raw=canonical_json(value[kw]), annotations=ann,
                                    origin=self._origin(doc, pointer_join(ptr, kw)),
                                    reason=f"{kw} depends on the evaluation path and is not compared")
        ref = value.get("$ref")
        if not isinstance(ref, str):
            return None
        result = self._refs.resolve(doc, ref, ptr)
        if isinstance(result, Unresolved):  # equal when they name the same absolute target
            target = urljoin(self._refs.base_uri(doc, ptr), ref.strip())
            return UnknownShape(keyword="$ref", raw=canonical_json(target), reason=result.reason, annotations=ann,
                                origin=self._origin(doc, pointer_join(ptr, "$ref")))
        target_doc, target_ptr = result.document, result.pointer
        return RefShape(ref=ref, target=lambda: self.build(target_doc, target_ptr), origin=origin, annotations=ann)

    # -- type-specific keywords ----------------------------------------------------------------
    def _typed(self, doc: JsonDocument, ptr: str, value: dict[str, Any], origin: Origin, ann: Annotations
               ) -> Shape | None:
        declared = value.get("type")
        if not isinstance(declared, (str, list)):
            declared = None  # an invalid `type` constrains nothing we can rely on
        if isinstance(declared, str):
            types = [declared] if declared in _TYPES else []
        elif isinstance(declared, list):
            types = [t for t in declared if t in _TYPES]
        else:
            types = [k for k, kws in _KIND_KEYWORDS.items() if kws & value.keys()]
        if "integer" in types and "number" in types:
            types.remove("integer")
        nodes = [self._one_type(doc, ptr, value, t, origin, ann) for t in dict.fromkeys(types)]
        base: Shape | None
        if not nodes:
            base = NeverShape(origin=origin, annotations=ann) if declared is not None and not types else None
        elif len(nodes) == 1:
            base = nodes[0]
        else:
            base = UnionShape(branches=tuple(nodes), synthetic=True, origin=origin, annotations=ann)
        return self._enum(doc, ptr, value, base, origin, ann)

    def _enum(self, doc: JsonDocument, ptr: str, value: dict[str, Any], base: Shape | None, origin: Origin,
              ann: Annotations) -> Shape | None:
        if "const" in value:
            values, const = [value["const"]], True
        elif isinstance(value.get("enum"), list):
            values, const = list(value["enum"]), False
        else:
            return base
        if base is not None:
            values = [v for v in values if accepts(base, v) is not False]
        texts = tuple(dict.fromkeys(canonical_json(v) for v in values))
        return EnumShape(values=texts, const=const, origin=origin, annotations=ann)

    def _one_type(self, doc: JsonDocument, ptr: str, v: dict[str, Any], t: str, origin: Origin,
                  ann: Annotations) -> Shape:
        if t == "null":
            return NullShape(origin=origin, annotations=ann)
        if t == "boolean":
            return BooleanShape(origin=origin, annotations=ann)
        if t == "string":
            return StringShape(min_length=_int(v.get("minLength")), max_length=_int(v.get("maxLength")),
                               pattern=_str(v.get("pattern")), format=_str(v.get("format")),
                               origin=origin, annotations=ann)
        if t in ("number", "integer"):
            return self._number(doc, ptr, v, t == "integer", origin, ann)
        if t == "object":
            return self._object(doc, ptr, v, origin, ann)
        return self._array(doc, ptr, v, origin, ann)

    def _number(self, doc: JsonDocument, ptr: str, v: dict[str, Any], integer: bool, origin: Origin,
                ann: Annotations) -> NumberShape:
        def num(kw: str) -> Decimal | None:
            exact = doc.exact_number(pointer_join(ptr, kw))
            return None if exact is None else Decimal(exact)

        minimum, maximum = num("minimum"), num("maximum")
        ex_min, ex_max = num("exclusiveMinimum"), num("exclusiveMaximum")
        if v.get("exclusiveMinimum") is True:  # draft 4
            minimum, ex_min = None, minimum
        if v.get("exclusiveMaximum") is True:
            maximum, ex_max = None, maximum
        step = num("multipleOf")
        if integer and step is not None and step > 0 and (1 / Fraction(step)).denominator == 1:
            step = None  # every integer is a multiple of 1, 0.5, 0.25, ...
        return NumberShape(integer=integer, minimum=minimum, maximum=maximum, exclusive_minimum=ex_min,
                           exclusive_maximum=ex_max, multiple_of=step if step is not None and step > 0 else None,
                           origin=origin, annotations=ann)

    def _object(self, doc: JsonDocument, ptr: str, v: dict[str, Any], origin: Origin, ann: Annotations
                ) -> ObjectShape:
        required = [r for r in _list(v.get("required")) if isinstance(r, str)]
        props = _dict(v.get("properties"))
        properties = tuple(Property(name=name, shape=self.build(doc, pointer_join(ptr, "properties", name), sub),
                                    required=name in required) for name, sub in props.items())
        dep_required: list[tuple[str, tuple[str, ...]]] = []
        dep_schemas: list[tuple[str, Shape]] = []
        for kw in ("dependencies", "dependentRequired", "dependentSchemas"):
            for name, dep in _dict(v.get(kw)).items():
                if isinstance(dep, list):
                    dep_required.append((name, tuple(sorted(str(d) for d in dep))))
                else:
                    dep_schemas.append((name, self.build(doc, pointer_join(ptr, kw, name), dep)))
        return ObjectShape(
            properties=properties,
            extra_required=tuple(r for r in dict.fromkeys(required) if r not in props),
            additional=self._opt(doc, ptr, v, "additionalProperties"),
            pattern_properties=tuple((pat, self.build(doc, pointer_join(ptr, "patternProperties", pat), sub))
                                     for pat, sub in _dict(v.get("patternProperties")).items()),
            unevaluated=self._opt(doc, ptr, v, "unevaluatedProperties"),
            property_names=self._opt(doc, ptr, v, "propertyNames"),
            min_properties=_int(v.get("minProperties")),
            max_properties=_int(v.get("maxProperties")),
            dependent_required=tuple(sorted(dep_required)),
            dependent_schemas=tuple(dep_schemas),
            origin=origin,
            annotations=ann,
        )

    def _array(self, doc: JsonDocument, ptr: str, v: dict[str, Any], origin: Origin, ann: Annotations
               ) -> ArrayShape:
        prefix_kw, rest_kw = tuple_keywords(doc.dialect)
        if not isinstance(v.get(prefix_kw), list):
            prefix_kw, rest_kw = "", "items"
        prefix = tuple(self.build(doc, pointer_join(ptr, prefix_kw, i), sub)
                       for i, sub in enumerate(_list(v.get(prefix_kw))))
        return ArrayShape(
            prefix_items=prefix,
            items=self._opt(doc, ptr, v, rest_kw),
            unevaluated_items=self._opt(doc, ptr, v, "unevaluatedItems"),
            min_items=_int(v.get("minItems")),
            max_items=_int(v.get("maxItems")),
            unique_items=v.get("uniqueItems") is True,
            contains=self._opt(doc, ptr, v, "contains"),
            min_contains=_int(v.get("minContains")),
            max_contains=_int(v.get("maxContains")),
            origin=origin,
            annotations=ann,
        )

    def _opt(self, doc: JsonDocument, ptr: str, v: dict[str, Any], kw: str) -> Shape | None:
        if kw not in v or isinstance(v[kw], list):
            return None
        return self.build(doc, pointer_join(ptr, kw), v[kw])


_ANNOTATION_KEYS = frozenset({"default", "deprecated", "readOnly", "writeOnly", "title"})


def _annotations(value: dict[str, Any]) -> Annotations:
    if _ANNOTATION_KEYS.isdisjoint(value):
        return NO_ANNOTATIONS
    return Annotations(
        default=canonical_json(value["default"]) if "default" in value else None,
        deprecated=value.get("deprecated") is True,
        read_only=value.get("readOnly") is True,
        write_only=value.get("writeOnly") is True,
        title=value["title"] if isinstance(value.get("title"), str) else "",
    )


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _int(value: Any) -> int | None:
    """An integer keyword value (``2.0`` counts), else ``None``; booleans are not integers.

    An int is taken as it is: converting it to a float to ask whether it is whole overflows past
    1e308 (``minProperties: 222...2`` with 400 digits, a fuzz finding)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    return int(value) if isinstance(value, float) and value.is_integer() else None


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) else None
