"""Find DTO classes in a module and read their fields, names, defaults and unknown-key policy.

Maintainers: a class's *kind* comes from its decorators and bases, followed through the
repository (a project-local ``ApiModel(BaseModel)`` makes its subclasses pydantic models);
configuration (``model_config``, ``class Config``, class keywords, decorator arguments) and
fields are merged along the bases, the subclass winning. The pydantic major version is v1
for ``pydantic.v1`` imports, else the project's (:mod:`.version`), else a hint from the class
(``class Config`` means v1). What cannot be read statically (a custom alias generator, a
serializer, a callable discriminator) becomes a :class:`~.dto.Note` and is treated as opaque.
"""

from __future__ import annotations

from typing import Any

from ...shape.meta import canonical_json
from . import names as N
from .dto import DtoClass, DtoField, Note
from .project import Found, Project
from .source import ClassDef, Expr, ModuleInfo, Span, Stmt

__all__ = ["Extractor", "literal_value", "default_json"]

_Config = dict[str, tuple[Expr, ModuleInfo]]

#: (names, kind) in the order they are tried: a decorator or base class names the DTO's kind.
_DECORATOR_KINDS = ((N.PYDANTIC_DATACLASS_DECORATORS, "pydantic-dataclass"), (N.DATACLASS_DECORATORS, "dataclass"),
                    (N.ATTRS_DECORATORS, "attrs"))
_BASE_KINDS = ((N.PYDANTIC1_BASES, "pydantic1"), (N.ROOT_MODELS, "root"), (N.TYPEDDICT, "typeddict"),
               (N.MSGSPEC_STRUCT, "msgspec"), (N.ENUM_BASES, "enum"))


def _first_kind(name: str, table: tuple[tuple[Any, str], ...]) -> str | None:
    return next((kind for names, kind in table if name in names), None)


class Extractor:
    """Builds :class:`DtoClass` values for one revision.

    Args:
        project: The revision's modules.
        pydantic_version: The project's pydantic major version (``None``: unknown).
    """

    def __init__(self, project: Project, pydantic_version: int | None = None) -> None:
        self.project = project
        self.pydantic_version = pydantic_version
        self.notes: dict[tuple[str, Span, str], Note] = {}
        self._kinds: dict[tuple[str, str], str | None] = {}
        self._dtos: dict[tuple[str, str], DtoClass] = {}
        self._building: set[tuple[str, str]] = set()  # DTOs being built: a base among them is a cycle
        self._configs: dict[tuple[str, int, str], _Config] = {}

    def note(self, mod: ModuleInfo, span: Span, message: str) -> None:
        self.notes.setdefault((mod.path, span, message), Note(mod.path, span, message))

    # -- discovery ---------------------------------------------------------------------------
    def module_dtos(self, mod: ModuleInfo) -> list[DtoClass]:
        """Every DTO class of ``mod`` (top-level and nested classes, functional ``TypedDict``s)."""
        out: list[DtoClass] = []
        stack: list[tuple[str, ClassDef]] = [(c.name, c) for c in mod.classes.values()]
        while stack:
            qual, cls = stack.pop(0)
            if self.kind_of(mod, cls, qual) not in (None, "enum"):
                out.append(self.dto(mod, cls, qual))
            stack.extend((f"{qual}.{inner.name}", inner) for inner in cls.inner)
        for stmt in mod.assigns.values():
            if stmt.value is not None and stmt.value.kind == "call" \
                    and self.project.qualify(stmt.value.text, mod) in N.TYPEDDICT:
                out.append(self.functional_typeddict(mod, stmt))
        return out

    def kind_of(self, mod: ModuleInfo, cls: ClassDef, qual: str | None = None, depth: int = 0) -> str | None:
        """``pydantic2``, ``pydantic1``, ``pydantic-dataclass``, ``dataclass``, ``typeddict``,
        ``attrs``, ``msgspec``, ``enum``, ``root`` or ``None``."""
        key = (mod.path, qual or cls.name)
        if key in self._kinds:
            return self._kinds[key]
        self._kinds[key] = None  # a cycle through bases is no DTO
        kind = self._kind(mod, cls, depth)
        self._kinds[key] = kind
        return kind

    def _kind(self, mod: ModuleInfo, cls: ClassDef, depth: int) -> str | None:
        for deco in cls.decorators:
            kind = _first_kind(self.project.qualify(deco.text, mod), _DECORATOR_KINDS)
            if kind is not None:
                return kind
        for base in cls.bases:
            name = self.project.qualify(base.text, mod)
            if name in N.PYDANTIC2_BASES:
                return self._pydantic_major(mod, cls)
            kind = _first_kind(name, _BASE_KINDS)
            if kind is not None:
                return kind
            found = self.resolve_class(name, mod)
            if found is not None and depth < 20:
                kind = self.kind_of(found.module, found.cls, found.name, depth + 1)  # type: ignore[arg-type]
                if kind is not None:
                    return kind
        return None

    def _pydantic_major(self, mod: ModuleInfo, cls: ClassDef) -> str:
        if self.pydantic_version is not None:
            return f"pydantic{self.pydantic_version}"
        if cls.inner_class("Config") is not None and not any(s.target == "model_config" for s in cls.body):
            return "pydantic1"
        return "pydantic2"

    def resolve_class(self, qualified: str, mod: ModuleInfo) -> Found | None:
        """A class of the repository named ``qualified`` (seen from ``mod``)."""
        if qualified.startswith(mod.module + "."):
            local = qualified[len(mod.module) + 1:]
            cls = mod.classes.get(local.split(".")[0])
            for inner in local.split(".")[1:]:
                cls = cls.inner_class(inner) if cls is not None else None
            if cls is not None:
                return Found(mod, local, cls=cls)
        found = self.project.find(qualified, mod.path)
        return found if found is not None and found.cls is not None else None

    def bases_of(self, mod: ModuleInfo, cls: ClassDef) -> list[Found]:
        out = []
        for base in cls.bases:
            found = self.resolve_class(self.project.qualify(base.text, mod), mod)
            if found is not None:
                out.append(found)
        return out

    # -- one class -----------------------------------------------------------------------------
    def dto(self, mod: ModuleInfo, cls: ClassDef, qual: str | None = None) -> DtoClass:
        """The DTO of a class whose :meth:`kind_of` is a DTO kind (cached)."""
        qual = qual or cls.name
        key = (mod.path, qual)
        if key not in self._dtos:
            self._building.add(key)
            try:
                self._dtos[key] = self._build(mod, cls, qual)
            finally:
                self._building.discard(key)
        return self._dtos[key]

    def _build(self, mod: ModuleInfo, cls: ClassDef, qual: str) -> DtoClass:
        from .fields import FieldReader

        kind = self.kind_of(mod, cls, qual) or "dataclass"
        config = self.config(mod, cls, kind)
        reader = FieldReader(self, kind, config)
        fields: dict[str, DtoField] = {}
        for base in reversed(self.bases_of(mod, cls)):
            if (base.module.path, base.name) in self._building:  # class A(A), or A(B) with B(A): adds nothing
                continue
            if self.kind_of(base.module, base.cls, base.name) not in (None, "enum"):  # type: ignore[arg-type]
                for f in self.dto(base.module, base.cls, base.name).fields:  # type: ignore[arg-type]
                    fields[f.attr] = f
        fields.update((f.attr, f) for f in reader.own_fields(mod, cls))
        opaque, opaque_out = reader.class_opacity(mod, cls)
        extra, extra_items = self.extra_policy(mod, cls, kind, config)
        return DtoClass(f"{mod.module}.{qual}", qual, kind, tuple(fields.values()), extra, mod, cls.span,
                        cls.name_span, extra_items, opaque, opaque_out)

    def config(self, mod: ModuleInfo, cls: ClassDef, kind: str, depth: int = 0) -> _Config:
        """Class configuration merged along the bases (pydantic ``model_config``/``Config``, keywords).

        Memoised per class: bases that repeat (``class A(B, B)``, chains of such) would otherwise
        cost 2**depth; a cycle through the bases ends at ``depth`` 20."""
        memo = (mod.path, id(cls), kind)
        if memo in self._configs:
            return dict(self._configs[memo])
        merged: _Config = {}
        if depth < 20:
            for base in reversed(self.bases_of(mod, cls)):
                merged.update(self.config(base.module, base.cls, kind, depth + 1))  # type: ignore[arg-type]
        for stmt in cls.body:
            if stmt.target in ("model_config", "__pydantic_config__") and stmt.value is not None:
                merged.update(_mapping(stmt.value, mod))
        inner = cls.inner_class("Config")
        if inner is not None:
            merged.update((s.target, (s.value, mod)) for s in inner.body if s.value is not None)
        merged.update((k, (v, mod)) for k, v in cls.keywords)
        for deco in cls.decorators:
            if deco.kind == "call":
                merged.update((k, (v, mod)) for k, v in deco.kwargs)
                cfg = deco.kwarg("config")
                if cfg is not None:
                    merged.update(_mapping(cfg, mod))
        if kind == "typeddict":  # total/closed are per class, not inherited
            for key in ("total", "closed", "extra_items"):
                if cls.keyword(key) is None:
                    merged.pop(key, None)
        self._configs[memo] = merged
        return dict(merged)

    def extra_policy(self, mod: ModuleInfo, cls: ClassDef, kind: str, config: _Config) -> tuple[str, Expr | None]:
        if kind == "msgspec":
            value = config.get("forbid_unknown_fields")
            return ("forbid" if value is not None and value[0].value is True else "ignore"), None
        if kind == "typeddict":
            if "extra_items" in config:
                return "allow", config["extra_items"][0]
            closed = config.get("closed")
            return ("forbid" if closed is not None and closed[0].value is True else "ignore"), None
        if kind in ("dataclass", "attrs"):
            return "ignore", None
        value = config.get("extra")
        if value is None:
            return "ignore", None
        expr = value[0]
        text = expr.value if expr.kind == "str" else expr.text.rsplit(".", 1)[-1] if expr.kind == "name" else ""
        if text in ("forbid", "ignore", "allow"):
            return text, None
        self.note(mod, expr.span, f"class {cls.name}: unknown-key policy {expr.text or expr.kind!r} is not a literal; "
                                  "treated as 'ignore'")
        return "ignore", None

    # -- functional TypedDict ------------------------------------------------------------------
    def functional_typeddict(self, mod: ModuleInfo, stmt: Stmt) -> DtoClass:
        from .fields import typeddict_field

        call = stmt.value
        assert call is not None
        total_expr = call.kwarg("total")
        total = not (total_expr is not None and total_expr.value is False)
        pairs: list[tuple[Expr, Expr]] = []
        if len(call.items) >= 2 and call.items[1].kind == "dict":
            items = call.items[1].items
            pairs = [(items[i], items[i + 1]) for i in range(0, len(items) - 1, 2)]
        else:
            pairs = [(Expr("str", k, value=k, span=v.span), v) for k, v in call.kwargs if k not in ("total", "closed")]
        fields = []
        for key, annotation in pairs:
            if key.kind != "str":
                self.note(mod, key.span, f"TypedDict {stmt.target}: a key that is not a string literal was skipped")
                continue
            fields.append(typeddict_field(self, mod, key.value, annotation, total, stmt.span))
        closed = call.kwarg("closed")
        extra = "forbid" if closed is not None and closed.value is True else "ignore"
        return DtoClass(f"{mod.module}.{stmt.target}", stmt.target, "typeddict", tuple(fields), extra, mod,
                        stmt.span, stmt.span)


def _mapping(expr: Expr, mod: ModuleInfo) -> _Config:
    """``ConfigDict(a=1)``, ``dict(a=1)`` or ``{"a": 1}`` as a mapping of expressions."""
    if expr.kind == "call":
        return {k: (v, mod) for k, v in expr.kwargs}
    if expr.kind == "dict":
        items = expr.items
        return {items[i].value: (items[i + 1], mod) for i in range(0, len(items) - 1, 2) if items[i].kind == "str"}
    return {}


def literal_value(expr: Expr | None) -> tuple[bool, Any]:
    """``(True, value)`` when ``expr`` is a JSON-able literal (numbers, strings, lists, dicts)."""
    if expr is None:
        return False, None
    if expr.kind in ("str", "num") or (expr.kind == "const" and expr.value is not Ellipsis):
        return True, expr.value
    if expr.kind in ("list", "tuple", "set"):
        values = [literal_value(e) for e in expr.items]
        return (all(ok for ok, _ in values), [v for _, v in values])
    if expr.kind == "dict":
        keys = [literal_value(e) for e in expr.items[0::2]]
        vals = [literal_value(e) for e in expr.items[1::2]]
        ok = all(k[0] and isinstance(k[1], str) for k in keys) and all(v[0] for v in vals)
        return ok, {k[1]: v[1] for k, v in zip(keys, vals)} if ok else None
    return False, None


def default_json(expr: Expr) -> str:
    """Canonical JSON of a default value (its source text, quoted, when it is not a literal)."""
    ok, value = literal_value(expr)
    if ok:
        try:
            return canonical_json(value)
        except (TypeError, ValueError):
            pass
    return canonical_json(f"<{expr.text or expr.kind}>")
