"""Mutations and generation of Python DTO modules (the ``python`` target).

Maintainers: three kinds of (base, head) pairs, so that libcst, the class reader, the type and
``Field(...)`` readers, ``to_shape`` and the engine all see plenty of inputs:

- *generated*: a random model of one to five classes (pydantic v2 / v1 ``BaseModel``,
  ``RootModel``, ``@dataclass``, pydantic dataclasses, ``attrs``, ``msgspec.Struct``,
  ``TypedDict``, ``Enum``) whose fields have random annotations (``Optional``, ``Union``,
  ``|``, ``Literal``, ``Annotated``, containers, forward references, constrained types) and
  ``Field(...)`` / ``attrs.field`` / ``msgspec.field`` arguments (defaults, aliases, bounds,
  discriminators), rendered as valid Python; the head is the same model after one to three
  edits a developer makes (a field added, removed, renamed, retyped, made optional, realiased,
  given a default; a class renamed, rebased, redecorated, reconfigured);
- *seed edits*: the same kind of edits made with regular expressions on the fixtures (class
  bases, decorators, annotations, ``Field`` arguments, ``Optional``/``Union``/``Literal``);
- token and byte edits (:func:`fuzz.mutate.havoc`, with :data:`DICTIONARY`) of a seed, which
  mostly stop at libcst's syntax errors (chosen by :class:`fuzz.targets.Target`).
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field, replace

__all__ = ["mutate_python", "generate_module", "DICTIONARY"]

_WORDS = ("class ", "def ", "BaseModel", "RootModel", "TypedDict", "Field(", "Field(default=None)", "alias=",
          "validation_alias=", "serialization_alias=", "default_factory=list", "Optional[", "Union[", "Literal[",
          "Annotated[", "List[", "Dict[str, ", "| None", "None", "...", "@dataclass", "@dataclass(frozen=True)",
          "@attrs.define", "@attr.s", "attr.ib(", "msgspec.Struct", "model_config = ConfigDict(extra='forbid')",
          "class Config:", "extra = 'forbid'", "ge=0", "le=10", "min_length=1", "discriminator='kind'", "=", ":",
          "(", ")", "[", "]", ",", "\n", "    ", "\t", "#", "'", '"', '"""', "\\", "lambda", "from __future__ import "
          "annotations\n", "import pydantic\n", "total=False", "Required[", "NotRequired[", "ClassVar[", "Enum",
          "int", "str", "float", "bool", "bytes", "datetime", "UUID", "Decimal", "Any", "'Order'", "Self")
DICTIONARY = tuple(w.encode() for w in _WORDS)

_HEADER = '''from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass
from decimal import Decimal
from typing import Annotated, Any, ClassVar, Dict, List, Literal, Optional, Set, Tuple, TypedDict, Union
from uuid import UUID

import attrs
import msgspec
import pydantic
from pydantic import AliasChoices, BaseModel, ConfigDict, Field, RootModel, conint, constr
from typing_extensions import NotRequired, Required
'''
_SCALARS = ("int", "str", "float", "bool", "bytes", "Decimal", "UUID", "dt.datetime", "dt.date", "Any", "None",
            "conint(ge=0, le=10)", "constr(min_length=1)", "object")
_KINDS = ("pydantic", "pydantic", "pydantic", "pydantic1", "root", "dataclass", "pydantic_dataclass", "attrs",
          "msgspec", "typeddict", "enum")


@dataclass(frozen=True)
class _Field:
    name: str
    annotation: str
    default: str | None = None  # source text of the default (or None)
    args: tuple[str, ...] = ()  # Field(...) keyword arguments


@dataclass(frozen=True)
class _Class:
    name: str
    kind: str
    fields: tuple[_Field, ...] = ()
    config: str = ""  # extra policy: "", "forbid", "ignore", "allow"
    base: str = ""  # another class of the module to inherit from
    flags: tuple[str, ...] = field(default=())  # kind-specific options: frozen, total=False, rename=camel


def _annotation(rng: random.Random, names: list[str], depth: int = 0) -> str:
    if depth > 2 or rng.random() < 0.45:
        return rng.choice(_SCALARS + tuple(names) + tuple(f"'{n}'" for n in names[:1]))
    inner = _annotation(rng, names, depth + 1)
    choice = rng.randrange(10)
    if choice == 0:
        return f"Optional[{inner}]"
    if choice == 1:
        return f"Union[{inner}, {_annotation(rng, names, depth + 1)}]"
    if choice == 2:
        return f"{inner} | None"
    if choice == 3:
        values = rng.sample(("'a'", "'b'", "'cat'", "1", "2", "True", "None"), rng.randint(1, 3))
        return f"Literal[{', '.join(values)}]"
    if choice == 4:
        constraint = rng.choice(("ge=0", "max_length=3", "alias='x'", "gt=1.5"))
        return f"Annotated[{inner}, Field({constraint})]"
    if choice == 5:
        return f"List[{inner}]"
    if choice == 6:
        return f"Dict[str, {inner}]"
    if choice == 7:
        return f"Tuple[{inner}, ...]" if rng.random() < 0.5 else f"Tuple[{inner}, int]"
    if choice == 8:
        return f"Set[{inner}]"
    return f"list[{inner}]"


def _field(rng: random.Random, names: list[str], taken: set[str]) -> _Field:
    name = rng.choice(("id", "name", "total_amount", "items", "kind", "created_at", "note", "parent", "tags", "x",
                       "_private", "model_config_", "schema", "class_", "Ünicode"))
    while name in taken:
        name += "_"
    taken.add(name)
    default = rng.choice((None, None, "None", "0", "''", "[]", "...", "'web'", "1.5", "True"))
    args: tuple[str, ...] = ()
    if rng.random() < 0.4:
        args = tuple(rng.sample(("alias='Name'", "alias='name'", "ge=0", "le=100", "min_length=1", "max_length=5",
                                 "default_factory=list", "discriminator='kind'", "validation_alias='n'",
                                 "serialization_alias='N'", "exclude=True", "frozen=True", "pattern='^a'",
                                 "validation_alias=AliasChoices('a', 'b')", "multiple_of=2", "strict=True"),
                                rng.randint(1, 3)))
    return _Field(name, _annotation(rng, names), default, args)


def generate_model(rng: random.Random) -> list[_Class]:
    names = [rng.choice(("Order", "Item", "Customer", "Pet", "Cat", "Dog", "Money")) + str(i)
             for i in range(rng.randint(1, 5))]
    classes = []
    for i, name in enumerate(names):
        taken: set[str] = set()
        kind = rng.choice(_KINDS)
        fields = tuple(_field(rng, names, taken) for _ in range(rng.randint(0, 6)))
        base = names[rng.randrange(i)] if i and rng.random() < 0.2 else ""
        flags = tuple(f for f in ("frozen", "total=False", "rename='camel'", "kw_only") if rng.random() < 0.15)
        classes.append(_Class(name, kind, fields, rng.choice(("", "", "forbid", "ignore", "allow")), base, flags))
    return classes


def _render_field(cls: _Class, f: _Field) -> str:
    if cls.kind == "enum":
        return f"    {f.name.upper() or 'X'} = {f.default or repr(f.name)}\n"
    if f.args and cls.kind in ("pydantic", "pydantic1", "pydantic_dataclass", "root"):
        args = ([f"default={f.default}"] if f.default is not None else []) + list(f.args)
        return f"    {f.name}: {f.annotation} = Field({', '.join(args)})\n"
    if f.args and cls.kind == "attrs":
        return f"    {f.name}: {f.annotation} = attrs.field({'default=' + f.default if f.default else ''})\n"
    if f.args and cls.kind == "msgspec":
        return f"    {f.name}: {f.annotation} = msgspec.field(name='{f.name.upper()}')\n"
    if cls.kind == "typeddict":
        wrap = "NotRequired" if f.default is not None else "Required" if f.args else ""
        return f"    {f.name}: {wrap}[{f.annotation}]\n" if wrap else f"    {f.name}: {f.annotation}\n"
    if f.default is not None:
        return f"    {f.name}: {f.annotation} = {f.default}\n"
    return f"    {f.name}: {f.annotation}\n"


def _render_class(cls: _Class) -> str:
    decorator, bases, extra = "", cls.base, ""
    own = {"pydantic": "BaseModel", "pydantic1": "pydantic.v1.BaseModel", "root": "RootModel[List[int]]",
           "msgspec": "msgspec.Struct", "typeddict": "TypedDict", "enum": "str, enum.Enum"}.get(cls.kind, "")
    if cls.kind == "dataclass":
        decorator = "@dataclass(frozen=True)\n" if "frozen" in cls.flags else "@dataclass\n"
    elif cls.kind == "pydantic_dataclass":
        decorator = "@pydantic.dataclasses.dataclass\n"
    elif cls.kind == "attrs":
        decorator = "@attrs.frozen\n" if "frozen" in cls.flags else "@attrs.define\n"
    if not bases:
        bases = own
    if cls.kind == "msgspec" and ("rename='camel'" in cls.flags or cls.config == "forbid"):
        bases += ", rename='camel'" if "rename='camel'" in cls.flags else ", forbid_unknown_fields=True"
    if cls.kind == "typeddict" and "total=False" in cls.flags:
        bases += ", total=False"
    if cls.config and cls.kind == "pydantic":
        extra = f"    model_config = ConfigDict(extra='{cls.config}', populate_by_name=True)\n"
    elif cls.config and cls.kind == "pydantic1":
        extra = f"    class Config:\n        extra = '{cls.config}'\n"
    body = extra + "".join(_render_field(cls, f) for f in cls.fields)
    if cls.kind == "root":
        body = "    root: List[int]\n" if not body else body
    head = f"class {cls.name}({bases}):\n" if bases else f"class {cls.name}:\n"
    return decorator + head + (body or "    pass\n")


def render(classes: list[_Class]) -> bytes:
    return (_HEADER + "\n\n" + "\n\n".join(_render_class(c) for c in classes)).encode()


def _edit_model(rng: random.Random, classes: list[_Class]) -> list[_Class]:
    classes = list(classes)
    i = rng.randrange(len(classes))
    cls = classes[i]
    names = [c.name for c in classes]
    fields = list(cls.fields)
    choice = rng.randrange(11)
    if choice == 0:
        fields.insert(rng.randrange(len(fields) + 1), _field(rng, names, {f.name for f in fields}))
    elif choice == 1 and fields:
        del fields[rng.randrange(len(fields))]
    elif choice == 2 and fields:  # renamed
        j = rng.randrange(len(fields))
        fields[j] = replace(fields[j], name=fields[j].name + rng.choice(("_v2", "s", "Id")))
    elif choice == 3 and fields:  # retyped
        j = rng.randrange(len(fields))
        fields[j] = replace(fields[j], annotation=_annotation(rng, names))
    elif choice == 4 and fields:  # made optional / required
        j = rng.randrange(len(fields))
        f = fields[j]
        fields[j] = replace(f, annotation=f"Optional[{f.annotation}]", default="None") if rng.random() < 0.5 \
            else replace(f, default=None, args=tuple(a for a in f.args if not a.startswith("default")))
    elif choice == 5 and fields:  # an alias or a bound changed
        j = rng.randrange(len(fields))
        f = fields[j]
        fields[j] = replace(f, args=tuple(a for a in f.args if rng.random() < 0.5)
                            + (rng.choice(("alias='renamed'", "ge=1", "max_length=2", "serialization_alias='S'")),))
    elif choice == 6:
        cls = replace(cls, name=cls.name + "Renamed")
    elif choice == 7:
        cls = replace(cls, kind=rng.choice(_KINDS))
    elif choice == 8:
        cls = replace(cls, config=rng.choice(("", "forbid", "ignore", "allow")))
    elif choice == 9:
        cls = replace(cls, flags=tuple(rng.sample(("frozen", "total=False", "rename='camel'"), rng.randint(0, 2))))
    elif choice == 10 and len(classes) > 1:
        del classes[i]
        return classes
    classes[i] = replace(cls, fields=tuple(fields))
    return classes


def generate_module(rng: random.Random) -> tuple[bytes, bytes]:
    """A random valid DTO module and the same module after one to three edits."""
    model = generate_model(rng)
    head = model
    for _ in range(rng.choice((1, 1, 2, 3))):
        head = _edit_model(rng, head)
    return render(model), render(head)


# -- edits of the seeds, by regular expression ------------------------------------------------------------
_CLASS = re.compile(rb"^class (\w+)(\([^)\n]*\))?:", re.M)
_DECORATOR = re.compile(rb"^@[\w.]+(\([^)\n]*\))?\n", re.M)
_ANNOTATED = re.compile(rb"^(    \w+): ([^=\n]+?)( = |\n)", re.M)
_FIELD_CALL = re.compile(rb"Field\(([^()\n]*)\)")
_BASES = (b"(BaseModel)", b"(ApiModel)", b"(TypedDict)", b"(TypedDict, total=False)", b"(msgspec.Struct)",
          b"(RootModel[int])", b"(pydantic.v1.BaseModel)", b"(BaseModel, frozen=True)", b"()", b"(enum.Enum)",
          b"(msgspec.Struct, forbid_unknown_fields=True)", b"(Generic[T], BaseModel)", b"")
_DECORATORS = (b"@dataclass\n", b"@dataclass(frozen=True)\n", b"@attrs.define\n", b"@attr.s\n",
               b"@pydantic.dataclasses.dataclass\n", b"@dataclasses.dataclass(kw_only=True)\n", b"@final\n")
_TYPES = (b"int", b"str", b"Optional[int]", b"int | None", b"Union[str, int]", b"Literal['a', 'b']", b"List[str]",
          b"Annotated[int, Field(ge=0)]", b"'Order'", b"Dict[str, Any]", b"float", b"None")


def _sub_one(rng: random.Random, pattern: re.Pattern[bytes], data: bytes, make) -> bytes:
    matches = list(pattern.finditer(data))
    if not matches:
        return data
    m = rng.choice(matches)
    return data[: m.start()] + make(m) + data[m.end():]


def edit_source(rng: random.Random, data: bytes) -> bytes:
    """One edit of a seed module: a class's bases or decorator, an annotation, ``Field`` arguments, a line."""
    choice = rng.randrange(7)
    if choice == 0:
        return _sub_one(rng, _CLASS, data, lambda m: b"class " + m.group(1) + rng.choice(_BASES) + b":")
    if choice == 1:
        if rng.random() < 0.5:
            return _sub_one(rng, _DECORATOR, data, lambda m: b"")
        return _sub_one(rng, _CLASS, data, lambda m: rng.choice(_DECORATORS) + m.group(0))
    if choice == 2:
        return _sub_one(rng, _ANNOTATED, data, lambda m: m.group(1) + b": " + rng.choice(
            (rng.choice(_TYPES), b"Optional[" + m.group(2) + b"]", m.group(2) + b" | None",
             b"Annotated[" + m.group(2) + b", Field(alias='a')]")) + m.group(3))
    if choice == 3:
        return _sub_one(rng, _FIELD_CALL, data, lambda m: b"Field(" + b", ".join(
            [a for a in m.group(1).split(b", ") if a and rng.random() < 0.6]
            + [rng.choice((b"alias='x'", b"default=None", b"ge=5", b"max_length=1", b"discriminator='kind'",
                           b"default_factory=dict", b"validation_alias='v'"))]) + b")")
    if choice == 4:  # a field's default removed or added
        return _sub_one(rng, _ANNOTATED, data, lambda m: m.group(1) + b": " + m.group(2)
                        + (b"\n" if m.group(3) == b" = " else b" = None\n"))
    lines = data.splitlines(keepends=True)
    if not lines:
        return data
    i = rng.randrange(len(lines))
    if choice == 5:
        del lines[i]
    else:
        lines.insert(rng.randrange(len(lines) + 1), lines[i])
    return b"".join(lines)


def mutate_python(rng: random.Random, seeds: list[bytes]) -> tuple[bytes, bytes]:
    """Half generated modules, half edited seeds (both sides sometimes edited)."""
    if rng.random() < 0.5:
        return generate_module(rng)
    base = rng.choice(seeds)
    head = base
    for _ in range(rng.choice((1, 1, 2, 3))):
        head = edit_source(rng, head)
    if rng.random() < 0.1:
        base = edit_source(rng, base)
    return base, head
