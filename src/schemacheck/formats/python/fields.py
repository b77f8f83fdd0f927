"""Read the fields of one DTO class: wire names, requiredness, defaults, field-level constraints.

Maintainers: the rules differ per kind and are written down in docs/python.md; in short:
pydantic v2 (and pydantic dataclasses) require a field iff it has no default, v1 also lets
``Optional``/``Any`` fields be omitted; dataclasses and attrs require fields without default
or factory; msgspec likewise; a TypedDict key is required by ``total`` unless wrapped in
``Required``/``NotRequired``. ``ClassVar``, ``KW_ONLY`` and private pydantic attributes are
not fields; an ``InitVar`` is read but never written, an ``init=False`` field written but never
read. Output always carries every
field (by alias, as FastAPI serialises responses) except msgspec ``omit_defaults`` fields with
a default and pydantic ``exclude=True`` fields.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable

from . import names as N
from .annotations import CONSTRAINT_KEYS, constraints_from, nullable, py_value, unwrap
from .classes import default_json, literal_value
from .dto import DtoField
from .source import ClassDef, Expr, ModuleInfo, Span

if TYPE_CHECKING:
    from .classes import Extractor, _Config

__all__ = ["FieldReader", "typeddict_field", "CONSTRAINT_KEYS"]

_PYDANTIC = ("pydantic2", "pydantic1", "pydantic-dataclass", "root")
_MISSING = object()


def typeddict_field(extractor: Extractor, mod: ModuleInfo, key: str, annotation: Expr, total: bool,
                    span: Span) -> DtoField:
    """One TypedDict key."""
    inner, wrappers, meta = unwrap(extractor, mod, annotation)
    required = ("Required" in wrappers) or (total and "NotRequired" not in wrappers)
    constraints = constraints_from(meta, extractor, mod)
    return DtoField(key, key, key, annotation, tuple(constraints.items()), required, required, None, True, True,
                    False, mod, span)


class FieldReader:
    """Reads the fields a class declares itself, under its kind and merged configuration."""

    def __init__(self, extractor: Extractor, kind: str, config: _Config) -> None:
        self.x = extractor
        self.kind = kind
        self.config = config
        self.opaque = ""
        self.read_gen, self.write_gen = self._generators()

    # -- names -----------------------------------------------------------------------------
    def _generators(self) -> tuple[Callable[[str], str] | None, Callable[[str], str] | None]:
        if self.kind == "msgspec":
            return self._msgspec_rename()
        value = self.config.get("alias_generator")
        if value is None:
            return None, None
        expr, cmod = value
        if expr.kind == "const" and expr.value is None:
            return None, None
        if expr.kind == "call" and self.x.project.qualify(expr.text, cmod).endswith("AliasGenerator"):
            v, s = expr.kwarg("validation_alias"), expr.kwarg("serialization_alias")
            gen_v = self._known(v, cmod) if v is not None else None
            gen_s = self._known(s, cmod) if s is not None else None
            return gen_v, gen_s
        gen = self._known(expr, cmod)
        return gen, gen

    def _known(self, expr: Expr, cmod: ModuleInfo) -> Callable[[str], str] | None:
        func = N.ALIAS_GENERATORS.get(self.x.project.qualify(expr.text, cmod)) if expr.kind == "name" else None
        if func is None:
            self.opaque = f"alias_generator {expr.text or expr.kind} is not a known function"
            self.x.note(cmod, expr.span, f"{self.opaque}: the class's wire names cannot be derived statically; "
                                         "it is compared as opaque")
        return func

    def _msgspec_rename(self) -> tuple[Callable[[str], str] | None, Callable[[str], str] | None]:
        value = self.config.get("rename")
        if value is None or (value[0].kind == "const" and value[0].value is None):
            return None, None
        expr, cmod = value
        if expr.kind == "str" and expr.value in N.MSGSPEC_RENAMES:
            func = N.MSGSPEC_RENAMES[expr.value]
            return func, func
        ok, mapping = literal_value(expr)
        if ok and isinstance(mapping, dict):
            def rename(name: str) -> str:
                return mapping.get(name, name)
            return rename, rename
        self.opaque = f"rename={expr.text or expr.kind} is not a literal style or mapping"
        self.x.note(cmod, expr.span, f"{self.opaque}: the struct's wire names cannot be derived statically; "
                                     "it is compared as opaque")
        return None, None

    def _v1_alias(self, attr: str) -> str | None:
        value = self.config.get("fields")
        if value is None:
            return None
        ok, mapping = literal_value(value[0])
        if not ok or not isinstance(mapping, dict):
            return None
        entry = mapping.get(attr)
        if isinstance(entry, str):
            return entry
        if isinstance(entry, dict) and isinstance(entry.get("alias"), str):
            return entry["alias"]
        return None

    # -- class-level opacity -----------------------------------------------------------------
    def class_opacity(self, mod: ModuleInfo, cls: ClassDef) -> tuple[str, str]:
        opaque, opaque_out = self.opaque, ""
        for stmt in cls.body:
            if stmt.kind != "def":
                continue
            if stmt.target == "__get_pydantic_core_schema__":
                opaque = "it defines __get_pydantic_core_schema__"
                self.x.note(mod, stmt.span, f"class {cls.name}: {opaque}; it is compared as opaque")
            for deco in stmt.decorators:
                short = deco.text.rsplit(".", 1)[-1]
                if short == "model_serializer":
                    opaque_out = "a custom model serializer decides its output"
                    self.x.note(mod, deco.span, f"class {cls.name}: {opaque_out}; its output is compared as opaque")
                elif short in N.VALIDATOR_DECORATORS:
                    self.x.note(mod, deco.span, f"class {cls.name}: validator {stmt.target} runs custom code; "
                                                "checks beyond the annotations are not compared")
                elif short == "computed_field":
                    self.x.note(mod, deco.span, f"class {cls.name}: computed field {stmt.target} is written on "
                                                "output but not compared")
        array_like = self.config.get("array_like")
        if self.kind == "msgspec" and array_like is not None and array_like[0].value is True:
            opaque = "array_like=True encodes it as a JSON array"
            self.x.note(mod, array_like[0].span, f"struct {cls.name}: {opaque}; it is compared as opaque")
        return opaque, opaque_out

    def _serialized_by_code(self, cls: ClassDef) -> set[str]:
        out: set[str] = set()
        for stmt in cls.body:
            for deco in stmt.decorators:
                if deco.text.rsplit(".", 1)[-1] == "field_serializer":
                    out.update(e.value for e in deco.items if e.kind == "str")
        return out

    # -- fields ----------------------------------------------------------------------------
    def own_fields(self, mod: ModuleInfo, cls: ClassDef) -> list[DtoField]:
        serialized = self._serialized_by_code(cls)
        auto_attribs = self._auto_attribs(mod, cls)
        out: list[DtoField] = []
        for stmt in cls.body:
            if stmt.kind == "ann" and stmt.annotation is not None:
                if self.kind == "attrs" and not auto_attribs and not self._is_field_call(stmt.value, mod):
                    continue
                field = self._field(mod, stmt.target, stmt.annotation, stmt.value, stmt.span, serialized)
            elif stmt.kind == "assign" and self.kind == "attrs" and self._is_field_call(stmt.value, mod):
                assert stmt.value is not None
                field = self._field(mod, stmt.target, stmt.value.kwarg("type"), stmt.value, stmt.span, serialized)
            else:
                continue
            if field is not None:
                out.append(field)
        return out

    def _auto_attribs(self, mod: ModuleInfo, cls: ClassDef) -> bool:
        for deco in cls.decorators:
            name = self.x.project.qualify(deco.text, mod)
            if name in ("attr.s", "attr.attrs"):
                value = deco.kwarg("auto_attribs")
                return value is not None and value.value is True
        return True

    def _is_field_call(self, value: Expr | None, mod: ModuleInfo) -> bool:
        return value is not None and value.kind == "call" and self.x.project.qualify(value.text, mod) in N.FIELD_CALLS

    def _field(self, mod: ModuleInfo, attr: str, annotation: Expr | None, value: Expr | None, span: Span,
               serialized: set[str]) -> DtoField | None:
        inner, wrappers, meta = unwrap(self.x, mod, annotation) if annotation is not None else (None, set(), [])
        if wrappers & {"ClassVar", "KW_ONLY"}:
            return None
        init_only = "InitVar" in wrappers  # an __init__ argument: read, never written
        if self.kind in _PYDANTIC and (attr.startswith("_") or attr == "model_config"):
            return None
        if value is not None and value.kind == "call" and value.text.rsplit(".", 1)[-1] == "PrivateAttr":
            return None
        calls = [m for m in meta if m.kind == "call" and self.x.project.qualify(m.text, mod) in N.FIELD_CALLS]
        if self._is_field_call(value, mod):
            calls.append(value)  # type: ignore[arg-type]
            default: Any = self._call_default(value)  # type: ignore[arg-type]
        elif value is not None:
            default = value
        else:
            default = _MISSING
        for call in calls[:-1]:  # Annotated[..., Field(default)] also sets a default
            found = self._call_default(call)
            if default is _MISSING and found is not _MISSING:
                default = found
        kw: dict[str, Expr] = {}
        for call in calls:
            kw.update(call.kwargs)
        # init=False: not an __init__ argument, so input cannot set it; it is still written.
        not_init = kw.get("init") is not None and kw["init"].value is False
        has_default = default is not _MISSING and not (isinstance(default, Expr) and default.value is Ellipsis
                                                       and default.kind == "const")
        if self.kind == "pydantic1" and default is _MISSING and annotation is not None \
                and nullable(self.x, mod, annotation):
            has_default, default = True, Expr("const", "None", value=None)
        required_in = not has_default
        if self.kind == "typeddict":
            total = self.config.get("total")
            is_total = not (total is not None and total[0].value is False)
            required_in = ("Required" in wrappers) or (is_total and "NotRequired" not in wrappers)
        read_name, write_name = self._names(attr, kw)
        omit = self.config.get("omit_defaults")
        omits = self.kind == "msgspec" and omit is not None and omit[0].value is True
        required_out = required_in if (self.kind == "typeddict" or omits) else True
        constraints = constraints_from(meta, self.x, mod)
        constraints.update({k: py_value(v) for k, v in kw.items() if k in CONSTRAINT_KEYS})
        if "discriminator" in kw and kw["discriminator"].kind != "str":
            constraints["discriminator"] = None
            self.x.note(mod, kw["discriminator"].span, f"field {attr}: a callable discriminator cannot be read "
                                                       "statically; the union is compared as opaque")
        exclude = kw.get("exclude")
        written = not (exclude is not None and exclude.value is True)
        default_text = None
        if has_default:
            default_text = default_json(default) if isinstance(default, Expr) else '"<factory>"'
        return DtoField(attr, read_name, write_name, annotation, tuple(sorted(constraints.items())),
                        required_in and not not_init, required_out and not init_only, default_text, not not_init,
                        written and not init_only, attr in serialized, mod, span)

    def _call_default(self, call: Expr) -> Any:
        for key in ("default_factory", "factory"):
            if call.kwarg(key) is not None:
                return "factory"
        found = call.kwarg("default")
        if found is not None:
            if found.kind == "call" and found.text.rsplit(".", 1)[-1] == "Factory":
                return "factory"
            return found
        short = call.text.rsplit(".", 1)[-1]
        if call.items and short == "Field":
            return call.items[0]
        return _MISSING

    def _names(self, attr: str, kw: dict[str, Expr]) -> tuple[str, str]:
        def text(key: str) -> str | None:
            value = kw.get(key)
            if value is None:
                return None
            if value.kind == "str":
                return value.value
            if value.kind == "call" and value.text.rsplit(".", 1)[-1] == "AliasChoices":
                first = next((e.value for e in value.items if e.kind == "str"), None)
                return first
            return None

        if self.kind == "msgspec":
            name = text("name")
            if name is None and self.read_gen is not None:
                name = self.read_gen(attr)
            return name or attr, name or attr
        if self.kind not in _PYDANTIC:
            return attr, attr
        alias = text("alias")
        if self.kind == "pydantic1":
            name = alias or self._v1_alias(attr) or (self.read_gen(attr) if self.read_gen else None) or attr
            return name, name
        read = text("validation_alias") or alias or (self.read_gen(attr) if self.read_gen else None) or attr
        write = text("serialization_alias") or alias or (self.write_gen(attr) if self.write_gen else None) or attr
        return read, write
