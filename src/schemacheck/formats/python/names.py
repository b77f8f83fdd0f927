"""Qualified names the front end recognises, and the known alias generators.

Maintainers: names are compared after :meth:`Project.qualify`, so ``from pydantic import
BaseModel as M`` and ``import pydantic as pd; pd.BaseModel`` both arrive as
``pydantic.BaseModel``. The alias generators here are re-implementations of the library
functions (pydantic's ``to_camel``/``to_pascal``/``to_snake``, msgspec's ``rename`` styles),
checked against pydantic itself by the oracle test; any other generator is opaque.
"""

from __future__ import annotations

import re

__all__ = ["PYDANTIC2_BASES", "PYDANTIC1_BASES", "ROOT_MODELS", "TYPEDDICT", "MSGSPEC_STRUCT", "ENUM_BASES",
           "DATACLASS_DECORATORS", "PYDANTIC_DATACLASS_DECORATORS", "ATTRS_DECORATORS", "FIELD_CALLS",
           "ALIAS_GENERATORS", "MSGSPEC_RENAMES", "VALIDATOR_DECORATORS", "is_name", "to_camel", "to_pascal",
           "to_snake"]

PYDANTIC2_BASES = frozenset({"pydantic.BaseModel", "pydantic.main.BaseModel"})
PYDANTIC1_BASES = frozenset({"pydantic.v1.BaseModel", "pydantic.v1.main.BaseModel"})
ROOT_MODELS = frozenset({"pydantic.RootModel", "pydantic.root_model.RootModel"})
TYPEDDICT = frozenset({"typing.TypedDict", "typing_extensions.TypedDict"})
MSGSPEC_STRUCT = frozenset({"msgspec.Struct"})
ENUM_BASES = frozenset({"enum.Enum", "enum.IntEnum", "enum.StrEnum", "enum.Flag", "enum.IntFlag"})
DATACLASS_DECORATORS = frozenset({"dataclasses.dataclass"})
PYDANTIC_DATACLASS_DECORATORS = frozenset({"pydantic.dataclasses.dataclass", "pydantic.v1.dataclasses.dataclass"})
ATTRS_DECORATORS = frozenset({"attr.s", "attr.attrs", "attr.define", "attr.frozen", "attr.mutable",
                              "attr.dataclass", "attrs.define", "attrs.frozen", "attrs.mutable"})
#: Calls that declare a field (their keywords are read): pydantic, dataclasses, attrs, msgspec.
FIELD_CALLS = frozenset({"pydantic.Field", "pydantic.fields.Field", "pydantic.v1.Field", "pydantic.v1.fields.Field",
                         "dataclasses.field", "attr.ib", "attr.attrib", "attr.field", "attrs.field", "msgspec.field"})
VALIDATOR_DECORATORS = frozenset({"field_validator", "validator", "root_validator", "model_validator"})


def is_name(qualified: str, *names: str) -> bool:
    """Whether ``qualified`` is ``typing.X``/``typing_extensions.X`` (or builtins) for one of ``names``."""
    for prefix in ("typing.", "typing_extensions.", "builtins.", "collections.abc.", "types."):
        if qualified.startswith(prefix) and qualified[len(prefix):] in names:
            return True
    return False


def to_pascal(snake: str) -> str:
    """pydantic's ``to_pascal``."""
    camel = snake.title()
    return re.sub("([0-9A-Za-z])_(?=[0-9A-Z])", lambda m: m.group(1), camel)


def to_camel(snake: str) -> str:
    """pydantic's ``to_camel``."""
    if re.match("^[a-z]+[A-Za-z0-9]*$", snake) and not re.search(r"\d[a-z]", snake):
        return snake
    camel = to_pascal(snake)
    return re.sub("(^_*[A-Z])", lambda m: m.group(1).lower(), camel)


def to_snake(camel: str) -> str:
    """pydantic's ``to_snake``."""
    snake = re.sub(r"([A-Z]+)([A-Z][a-z])", lambda m: f"{m.group(1)}_{m.group(2)}", camel)
    snake = re.sub(r"([a-z])([A-Z])", lambda m: f"{m.group(1)}_{m.group(2)}", snake)
    snake = re.sub(r"([0-9])([A-Z])", lambda m: f"{m.group(1)}_{m.group(2)}", snake)
    snake = re.sub(r"([a-z])([0-9])", lambda m: f"{m.group(1)}_{m.group(2)}", snake)
    return snake.replace("-", "_").lower()


ALIAS_GENERATORS = {
    "pydantic.alias_generators.to_camel": to_camel,
    "pydantic.alias_generators.to_pascal": to_pascal,
    "pydantic.alias_generators.to_snake": to_snake,
}


def _msgspec_words(name: str) -> tuple[str, list[str]]:
    stripped = name.lstrip("_")
    lead = name[: len(name) - len(stripped)]
    return lead, [w for w in stripped.split("_") if w]


def _msgspec_camel(name: str) -> str:
    lead, words = _msgspec_words(name)
    if not words:
        return name
    return lead + words[0] + "".join(w[:1].upper() + w[1:] for w in words[1:])


def _msgspec_pascal(name: str) -> str:
    lead, words = _msgspec_words(name)
    return lead + "".join(w[:1].upper() + w[1:] for w in words) if words else name


MSGSPEC_RENAMES = {
    "lower": str.lower,
    "upper": str.upper,
    "camel": _msgspec_camel,
    "pascal": _msgspec_pascal,
    "kebab": lambda name: "-".join(name.strip("_").split("_")) if name.strip("_") else name,
}
