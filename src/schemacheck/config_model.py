"""The base of every configuration model: kebab-case keys, unknown keys rejected, frozen.

Maintainers: ``config.py`` builds ``[tool.schemacheck]`` from the shared keys plus one section
per format; each format defines its section's model on :class:`ConfigModel` in its own package
(``compat/<format>/settings.py``) and names it in ``formats/registry.py FORMATS``. This module imports
nothing of schemacheck, so a format's settings module can import it without a cycle.

It is deliberately not pydantic: every run builds the settings (defaults at least), and
importing pydantic and building its validators cost more than a whole one-file check. A model
is a class with annotated fields (defaults, or :func:`Field` for a description or a
factory); the field types a configuration needs are validated here: ``str``, ``bool``,
``int``, ``Literal[...]``, an ``Enum``, ``X | None``, ``tuple[X, ...]``, ``dict[str, X]`` and
nested models. The interface is the pydantic one the code used (``model_validate``,
``model_copy(update=)``, ``model_fields``), and a validation error lists pydantic-style
``{"loc", "type", "msg"}`` records, which ``config.py`` turns into one-line messages.
"""

from __future__ import annotations

import enum
import types
import typing
from collections.abc import Callable, Mapping
from typing import Any, ClassVar, Literal

__all__ = ["ConfigModel", "Field", "FieldInfo", "ConfigValidationError", "make_model"]

_MISSING: Any = object()


def _kebab(name: str) -> str:
    return name.replace("_", "-")


class FieldInfo:
    """One field of a model: its default (or factory), description, alias and resolved type."""

    __slots__ = ("default", "default_factory", "description", "exclude", "ge", "le", "name", "alias", "annotation")

    def __init__(self, default: Any = _MISSING, *, default_factory: Callable[[], Any] | None = None,
                 description: str = "", exclude: bool = False, ge: Any = None, le: Any = None) -> None:
        self.default, self.default_factory = default, default_factory
        self.description, self.exclude, self.ge, self.le = description, exclude, ge, le
        self.name = self.alias = ""
        self.annotation: Any = Any

    def is_required(self) -> bool:
        return self.default is _MISSING and self.default_factory is None

    def get_default(self) -> Any:
        return self.default_factory() if self.default_factory is not None else self.default


def Field(default: Any = _MISSING, *, default_factory: Callable[[], Any] | None = None, description: str = "",
          exclude: bool = False, ge: Any = None, le: Any = None) -> Any:
    """A field's default with a description and bounds (the ``pydantic.Field`` arguments this project uses)."""
    return FieldInfo(default, default_factory=default_factory, description=description, exclude=exclude, ge=ge, le=le)


class ConfigValidationError(ValueError):
    """Values that do not fit a model; :meth:`errors` lists them as ``{"loc", "type", "msg"}``."""

    def __init__(self, errors: list[dict[str, Any]]) -> None:
        super().__init__(errors[0]["msg"] if errors else "invalid configuration")
        self._errors = errors

    def errors(self) -> list[dict[str, Any]]:
        return list(self._errors)


class _Invalid(Exception):
    def __init__(self, loc: tuple[Any, ...], kind: str, msg: str) -> None:
        super().__init__(msg)
        self.record = {"loc": loc, "type": kind, "msg": msg}


def _choices(values: tuple[Any, ...]) -> str:
    shown = [repr(v) for v in values]
    return shown[0] if len(shown) == 1 else f"{', '.join(shown[:-1])} or {shown[-1]}"


def _validate(tp: Any, value: Any, loc: tuple[Any, ...]) -> Any:
    """``value`` checked (and tuples/models built) against type ``tp``; raises :class:`_Invalid`."""
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if tp is Any:
        return value
    if isinstance(tp, type) and issubclass(tp, ConfigModel):
        if isinstance(value, tp):
            return value
        if not isinstance(value, Mapping):
            raise _Invalid(loc, "model_type", "Input should be a valid dictionary or instance of " + tp.__name__)
        return tp._from_mapping(value, loc)
    if origin is Literal:
        if not any(type(value) is type(a) and value == a for a in args):
            raise _Invalid(loc, "literal_error", f"Input should be {_choices(args)}")
        return value
    if origin in (typing.Union, types.UnionType):
        if value is None and type(None) in args:
            return None
        options = [a for a in args if a is not type(None)]
        for option in options[:-1]:
            try:
                return _validate(option, value, loc)
            except _Invalid:
                continue
        return _validate(options[-1], value, loc)
    if origin is tuple:
        if not isinstance(value, (list, tuple)):
            raise _Invalid(loc, "tuple_type", "Input should be a valid tuple")
        return tuple(_validate(args[0], item, (*loc, i)) for i, item in enumerate(value))
    if origin is dict:
        if not isinstance(value, Mapping):
            raise _Invalid(loc, "dict_type", "Input should be a valid dictionary")
        return {_validate(args[0], k, (*loc, k)): _validate(args[1], v, (*loc, k)) for k, v in value.items()}
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        for member in tp:
            if value is member or (type(value) is type(member.value) and value == member.value):
                return member
        raise _Invalid(loc, "enum", f"Input should be {_choices(tuple(m.value for m in tp))}")
    if tp is bool:
        if not isinstance(value, bool):
            raise _Invalid(loc, "bool_type", "Input should be a valid boolean")
        return value
    if tp is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise _Invalid(loc, "int_type", "Input should be a valid integer")
        return value
    if tp is str:
        if not isinstance(value, str):
            raise _Invalid(loc, "string_type", "Input should be a valid string")
        return value
    raise TypeError(f"configuration field type {tp!r} is not supported by ConfigModel")


def _from_pydantic(raw: Any) -> Any:
    """A ``pydantic.Field(...)`` default (a section written the pydantic way) as a :class:`FieldInfo`."""
    if type(raw).__name__ != "FieldInfo" or isinstance(raw, FieldInfo) or not hasattr(raw, "is_required"):
        return raw
    default = _MISSING if raw.is_required() or raw.default_factory is not None else raw.default
    bounds = {name: getattr(m, name) for m in getattr(raw, "metadata", ()) for name in ("ge", "le") if hasattr(m, name)}
    return FieldInfo(default, default_factory=raw.default_factory, description=raw.description or "", **bounds)


def _bounded(info: FieldInfo, value: Any, loc: tuple[Any, ...]) -> Any:
    if info.ge is not None and value < info.ge:
        raise _Invalid(loc, "greater_than_equal", f"Input should be greater than or equal to {info.ge}")
    if info.le is not None and value > info.le:
        raise _Invalid(loc, "less_than_equal", f"Input should be less than or equal to {info.le}")
    return value


class ConfigModel:
    """A configuration table: keys are kebab-case in files and snake_case in Python; frozen;
    unknown keys are rejected."""

    model_fields: ClassVar[dict[str, FieldInfo]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        hints = typing.get_type_hints(cls)  # each class's annotations in its own module
        fields: dict[str, FieldInfo] = {}
        for name, annotation in hints.items():
            if typing.get_origin(annotation) is ClassVar or name.startswith("_") or name == "model_fields":
                continue
            inherited = next((base.model_fields[name] for base in cls.__mro__[1:]
                              if name in getattr(base, "model_fields", {})), None)
            raw = _from_pydantic(cls.__dict__.get(name, _MISSING))
            info = raw if isinstance(raw, FieldInfo) else (
                FieldInfo(raw) if raw is not _MISSING or inherited is None else inherited)
            if name in cls.__dict__:
                delattr(cls, name)  # the instance attribute, not the class default, is read
            info.name, info.alias, info.annotation = name, _kebab(name), annotation
            fields[name] = info
        cls.model_fields = fields

    def __init__(self, **data: Any) -> None:
        try:
            values = self._values(data, ())
        except _Invalid as exc:
            raise ConfigValidationError([exc.record]) from None
        for name, value in values.items():
            object.__setattr__(self, name, value)

    @classmethod
    def _values(cls, data: Mapping[str, Any], loc: tuple[Any, ...]) -> dict[str, Any]:
        by_key = {key: info for info in cls.model_fields.values() for key in (info.alias, info.name)}
        given: dict[str, Any] = {}
        for key, value in data.items():
            info = by_key.get(key) if isinstance(key, str) else None
            if info is None:
                raise _Invalid((*loc, key), "extra_forbidden", "Extra inputs are not permitted")
            given[info.name] = _bounded(info, _validate(info.annotation, value, (*loc, key)), (*loc, key))
        for name, info in cls.model_fields.items():
            if name not in given:
                if info.is_required():
                    raise _Invalid((*loc, info.alias), "missing", "Field required")
                given[name] = info.get_default()
        return {name: given[name] for name in cls.model_fields}

    @classmethod
    def _from_mapping(cls, data: Mapping[str, Any], loc: tuple[Any, ...]) -> ConfigModel:
        instance = cls.__new__(cls)
        for name, value in cls._values(data, loc).items():
            object.__setattr__(instance, name, value)
        return instance

    @classmethod
    def model_validate(cls, data: Any) -> ConfigModel:
        """A model from a mapping (a TOML table); raises :class:`ConfigValidationError`."""
        try:
            return _validate(cls, data, ())
        except _Invalid as exc:
            raise ConfigValidationError([exc.record]) from None

    def model_copy(self, *, update: Mapping[str, Any] | None = None) -> ConfigModel:
        """A copy with ``update`` (field names) applied, unvalidated, as pydantic does."""
        copy = self.__class__.__new__(self.__class__)
        for name in self.model_fields:
            object.__setattr__(copy, name, (update or {}).get(name, getattr(self, name)))
        return copy

    def __setattr__(self, name: str, value: Any) -> None:
        raise TypeError(f"{type(self).__name__} is frozen")

    def __delattr__(self, name: str) -> None:
        raise TypeError(f"{type(self).__name__} is frozen")

    def _key(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in self.model_fields)

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and self._key() == other._key()  # type: ignore[attr-defined]

    def __hash__(self) -> int:
        return hash((type(self), self._key()))

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.model_fields)
        return f"{type(self).__name__}({shown})"


def make_model(name: str, base: type[ConfigModel], module: str, doc: str, **fields: tuple[Any, Any]) -> type:
    """A subclass of ``base`` with extra ``fields`` (``name=(type, default)``), like pydantic's ``create_model``."""
    namespace: dict[str, Any] = {"__module__": module, "__doc__": doc,
                                 "__annotations__": {key: tp for key, (tp, _) in fields.items()}}
    namespace.update({key: default for key, (_, default) in fields.items()})
    return type(name, (base,), namespace)
