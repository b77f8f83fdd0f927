"""A DTO class to the shape model, in one of two views: what it reads, and what it writes.

Maintainers: the *read* view is the class as a validator (input names, input requiredness,
the unknown-key policy: ``forbid`` closes the object, ``allow`` admits anything); the *write*
view is the class as a serializer (output names, keys always written, no undeclared keys
unless ``extra='allow'``). The checker compares read views for BACKWARD (new code reads old
data) and the old read view against the new write view for FORWARD (old readers read new
output). Each object node carries its reader policy (``forbid``/``allow``: strict;
``ignore``: lenient, unknown keys are dropped). Pointers are ``/<Class>/properties/<wire
name>/...``; the locator maps them back to the field's statement, so findings point at the
field's line. A nested class defined in an unchanged file (``stable``) is built once and
shared by both revisions' builders, so comparisons stop at it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from ...model import Location
from ...shape.meta import Annotations, canonical_json
from ...shape.nodes import AnyShape, NeverShape, ObjectShape, Origin, Property, RefShape, Shape, UnknownShape
from .dto import DtoClass
from .source import ClassDef, ModuleInfo, Span
from .types import TypeMapper, apply_constraints, expr_text

if TYPE_CHECKING:
    from .classes import Extractor

__all__ = ["ShapeBuilder", "READ", "WRITE", "escape"]

READ, WRITE = "read", "write"


def escape(name: str) -> str:
    return name.replace("~", "~0").replace("/", "~1")


class _Locator:
    """Pointer -> the span of the nearest registered ancestor (field, class) in one file."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.spans: dict[str, Span] = {}

    def __call__(self, pointer: str) -> Location | None:
        probe = pointer
        while True:
            span = self.spans.get(probe)
            if span is not None:
                return Location(self.path, *span)
            if not probe:
                return None
            probe = probe.rsplit("/", 1)[0]


class ShapeBuilder:
    """Shapes of one revision's DTO classes, built once per (class, view)."""

    def __init__(self, extractor: Extractor, stable: Callable[[str], bool] | None = None,
                 shared: dict[tuple[str, str], Shape] | None = None) -> None:
        self.x = extractor
        self.stable = stable
        self.shared = shared if shared is not None else {}
        self._locators: dict[str, _Locator] = {}
        self._shapes: dict[tuple[str, str], Shape] = {}
        self.mapper_read = TypeMapper(extractor, lambda *a: self._ref(READ, *a))
        self.mapper_write = TypeMapper(extractor, lambda *a: self._ref(WRITE, *a))

    def locator(self, path: str) -> _Locator:
        if path not in self._locators:
            self._locators[path] = _Locator(path)
        return self._locators[path]

    def _ref(self, view: str, mod: ModuleInfo, cls: ClassDef, qual: str, origin: Origin) -> Shape:
        dto = self.x.dto(mod, cls, qual)
        if self.stable is None or not self.stable(dto.path):
            return RefShape(ref=dto.qualname, target=lambda: self.shape(dto, view), origin=origin)

        def same_on_both_sides() -> Shape:
            # A class in an unchanged file is one node for both revisions and both views: the
            # engine stops there (a change it inherits is reported where it was made, in a
            # changed file; a class that cannot read its own output is not this change's doing).
            key = (dto.qualname, "")
            if key not in self.shared:
                self.shared[key] = self.shape(dto, READ)
            return self.shared[key]

        return RefShape(ref=dto.qualname, target=same_on_both_sides, origin=origin)

    def shape(self, dto: DtoClass, view: str) -> Shape:
        """The class's shape in ``view`` (``read`` or ``write``)."""
        key = (dto.qualname, view)
        if key not in self._shapes:
            self._shapes[key] = self._build(dto, view)
        return self._shapes[key]

    def _build(self, dto: DtoClass, view: str) -> Shape:
        locator = self.locator(dto.path)
        root = "/" + escape(dto.name)
        locator.spans.setdefault(root, dto.name_span)
        origin = Origin(dto.path, root, locator)
        opaque = dto.opaque or (dto.opaque_out if view == WRITE else "")
        if opaque:
            raw = canonical_json([dto.kind, dto.extra] + [[f.attr, f.read_name, f.write_name, expr_text(f.annotation),
                                                           f.required_in, f.default] for f in dto.fields])
            return UnknownShape(keyword="python-class", raw=raw, reason=opaque, origin=origin)
        mapper = self.mapper_read if view == READ else self.mapper_write
        if dto.kind == "root":  # a RootModel is its ``root`` field's type on the wire
            root_field = dto.field("root")
            if root_field is None:
                return UnknownShape(keyword="python-class", raw=canonical_json(dto.qualname),
                                    reason="a RootModel without a root field", origin=origin)
            return apply_constraints(mapper.shape(root_field.annotation, root_field.module, origin),
                                     dict(root_field.constraints), origin)
        props: list[Property] = []
        for f in dto.fields:
            if (view == READ and not f.read) or (view == WRITE and not f.written):
                continue
            name = f.read_name if view == READ else f.write_name
            pointer = f"{root}/properties/{escape(name)}"
            if f.module.path == dto.path:
                locator.spans.setdefault(pointer, f.span)
            else:  # inherited from another file: point at the class
                locator.spans.setdefault(pointer, dto.name_span)
            field_origin = Origin(dto.path, pointer, locator)
            if view == WRITE and f.opaque_out:
                shape: Shape = UnknownShape(keyword="field_serializer", raw=canonical_json(expr_text(f.annotation)),
                                            reason="a custom field serializer", origin=field_origin)
            else:
                shape = mapper.shape(f.annotation, f.module, field_origin)
                shape = apply_constraints(shape, dict(f.constraints), field_origin)
            if f.default is not None:
                shape = _with_default(shape, f.default)
            props.append(Property(name=name, shape=shape, required=f.required_in if view == READ else f.required_out))
        additional: Shape | None
        if dto.extra == "forbid":
            additional = NeverShape(origin=Origin(dto.path, root + "/additionalProperties", locator))
        elif dto.extra == "allow":
            extra_origin = Origin(dto.path, root + "/additionalProperties", locator)
            additional = mapper.shape(dto.extra_items, dto.module, extra_origin) if dto.extra_items is not None \
                else AnyShape(origin=extra_origin)
        else:  # ignore: a reader drops unknown keys; a writer writes none
            additional = None if view == READ else NeverShape(origin=Origin(dto.path, root + "/additionalProperties",
                                                                            locator))
        policy = "lenient" if dto.extra == "ignore" else "strict"
        return ObjectShape(properties=tuple(props), additional=additional, origin=origin, policy=policy)


def _with_default(shape: Shape, default: str) -> Shape:
    """The same node with ``default`` annotated (which makes an added required field safe)."""
    from dataclasses import replace

    return replace(shape, annotations=Annotations(default=default, deprecated=shape.annotations.deprecated,
                                                  read_only=shape.annotations.read_only,
                                                  write_only=shape.annotations.write_only,
                                                  title=shape.annotations.title))
