"""The derived shapes agree with pydantic's own JSON Schema for every pydantic fixture model.

The tool never imports user code; this test does, on purpose, for the fixture corpus only
(``fixtures/python/corpus``): pydantic's ``model_json_schema()`` (validation mode for names and
the required set, serialization mode for the written names) and ``TypeAdapter`` for stdlib
dataclasses and TypedDicts are the oracle. Both sides are reduced to the same signature:
property names, required set, and per property its JSON types with constraints (bounds,
lengths, pattern, format, enum values, items, nested model names).
"""

from __future__ import annotations

import importlib
import inspect
import json
import sys
from decimal import Decimal
from typing import Any

import pytest

pydantic = pytest.importorskip("pydantic")

from schemacheck.formats.python.classes import Extractor  # noqa: E402
from schemacheck.formats.python.project import Project  # noqa: E402
from schemacheck.formats.python.to_shape import READ, WRITE, ShapeBuilder  # noqa: E402
from schemacheck.shape.nodes import (AnyShape, ArrayShape, BooleanShape, EnumShape, NeverShape, NullShape,  # noqa: E402
                                     NumberShape, ObjectShape, RefShape, StringShape, UnionShape)
from schemacheck.snapshot import DirectorySnapshot  # noqa: E402
from tools import FIXTURES  # noqa: E402

CORPUS = FIXTURES / "python" / "corpus"
MODULES = {"shop.models": "shop/models.py", "shop.base": "shop/base.py"}
#: pydantic's own pattern for Decimal strings (not a user constraint).
_DECIMAL_PATTERN = r"^(?!^[-+.]*$)[+-]?0*\d*\.?\d*$"


def _num(value: Any) -> str | None:
    return None if value is None else str(Decimal(str(value)).normalize())


def sig_json(node: dict, defs: dict) -> Any:
    """Signature of a pydantic JSON Schema node."""
    if "$ref" in node:
        name = node["$ref"].rsplit("/", 1)[-1]
        target = defs[name]
        return ("model", name) if "properties" in target else sig_json(target, defs)
    for key in ("anyOf", "oneOf"):
        if key in node:
            return ("union", frozenset(sig_json(b, defs) for b in node[key]))
    if "enum" in node:
        return ("enum", frozenset(json.dumps(v) for v in node["enum"]))
    if "const" in node:
        return ("enum", frozenset([json.dumps(node["const"])]))
    kind = node.get("type")
    if kind == "string":
        pattern = node.get("pattern")
        return ("string", node.get("minLength"), node.get("maxLength"),
                None if pattern == _DECIMAL_PATTERN else pattern, node.get("format"))
    if kind in ("integer", "number"):
        return (kind, _num(node.get("minimum")), _num(node.get("maximum")), _num(node.get("exclusiveMinimum")),
                _num(node.get("exclusiveMaximum")), _num(node.get("multipleOf")))
    if kind == "array":
        items = node.get("items")
        return ("array", tuple(sig_json(p, defs) for p in node.get("prefixItems", ())),
                sig_json(items, defs) if isinstance(items, dict) else None, node.get("minItems"),
                node.get("maxItems"), bool(node.get("uniqueItems")))
    if kind == "object":
        extra = node.get("additionalProperties")
        return ("map", ("any",) if extra in (True, None, {}) else sig_json(extra, defs))
    if kind in ("boolean", "null"):
        return (kind,)
    return ("any",)


def sig_shape(shape: Any) -> Any:
    """Signature of one of our shape nodes (same layout as :func:`sig_json`)."""
    if isinstance(shape, RefShape):
        return ("model", shape.ref.rsplit(".", 1)[-1])
    if isinstance(shape, UnionShape):
        return ("union", frozenset(sig_shape(b) for b in shape.branches))
    if isinstance(shape, EnumShape):
        return ("enum", frozenset(json.dumps(v) for v in shape.decoded()))
    if isinstance(shape, StringShape):
        return ("string", shape.min_length, shape.max_length, shape.pattern, shape.format)
    if isinstance(shape, NumberShape):
        return (shape.type_name, _num(shape.minimum), _num(shape.maximum), _num(shape.exclusive_minimum),
                _num(shape.exclusive_maximum), _num(shape.multiple_of))
    if isinstance(shape, ArrayShape):
        items = None if shape.items is None or isinstance(shape.items, NeverShape) else sig_shape(shape.items)
        return ("array", tuple(sig_shape(p) for p in shape.prefix_items), items, shape.min_items, shape.max_items,
                shape.unique_items)
    if isinstance(shape, ObjectShape):
        return ("map", ("any",) if shape.additional is None or isinstance(shape.additional, AnyShape)
                else sig_shape(shape.additional))
    if isinstance(shape, BooleanShape):
        return ("boolean",)
    if isinstance(shape, NullShape):
        return ("null",)
    return ("any",)


def _ours(path: str) -> dict[str, tuple[Any, Any]]:
    x = Extractor(Project(DirectorySnapshot(CORPUS)), 2)
    builder = ShapeBuilder(x)
    return {dto.name: (builder.shape(dto, READ), builder.shape(dto, WRITE))
            for dto in x.module_dtos(x.project.load(path))}


def _schema_sig(schema: dict) -> tuple[dict, frozenset]:
    defs = schema.get("$defs", {})
    if "$ref" in schema:  # a recursive model is a reference to its own definition
        schema = defs[schema["$ref"].rsplit("/", 1)[-1]]
    props = {name: sig_json(node, defs) for name, node in schema.get("properties", {}).items()}
    return props, frozenset(schema.get("required", ()))


def _shape_sig(shape: ObjectShape) -> tuple[dict, frozenset]:
    return ({p.name: sig_shape(p.shape) for p in shape.properties},
            frozenset(p.name for p in shape.properties if p.required))


def _models() -> list[tuple[str, str]]:
    sys.path.insert(0, str(CORPUS))
    try:
        out = []
        for module in MODULES:
            mod = importlib.import_module(module)
            out += [(module, name) for name, obj in vars(mod).items()
                    if inspect.isclass(obj) and issubclass(obj, pydantic.BaseModel) and obj.__module__ == module]
        return out
    finally:
        sys.path.remove(str(CORPUS))


MODELS = _models()


def test_the_corpus_has_pydantic_models() -> None:
    assert len(MODELS) >= 6


@pytest.mark.parametrize(("module", "name"), MODELS, ids=[f"{m}.{n}" for m, n in MODELS])
def test_model_matches_model_json_schema(module: str, name: str) -> None:
    model = getattr(sys.modules[module], name)
    read, write = _ours(MODULES[module])[name]
    validation = model.model_json_schema(mode="validation")
    serialization = model.model_json_schema(mode="serialization")
    props, required = _shape_sig(read)
    expected_props, expected_required = _schema_sig(validation)
    assert required == expected_required
    assert set(props) == set(expected_props)
    written, _ = _shape_sig(write)
    assert set(written) == set(_schema_sig(serialization)[0])
    assert written == _schema_sig(serialization)[0]
    if "$ref" in validation:
        validation = validation["$defs"][name]
    assert isinstance(read.additional, NeverShape) == (validation.get("additionalProperties") is False)


def test_dataclasses_and_typeddicts_match_type_adapter() -> None:
    sys.path.insert(0, str(CORPUS))
    try:
        others = importlib.import_module("others")
    finally:
        sys.path.remove(str(CORPUS))
    ours = _ours("others.py")
    for name in ("Point", "Movie", "Series", "Frozen", "Headers"):
        schema = pydantic.TypeAdapter(getattr(others, name)).json_schema()
        expected, expected_required = _schema_sig(schema)
        props, required = _shape_sig(ours[name][0])
        written, _ = _shape_sig(ours[name][1])
        # pydantic's schema lists an init=False field as input (validation ignores it) and an
        # InitVar as output (serialization drops it); ours says what happens at run time.
        assert (props, required) == ({k: v for k, v in expected.items() if k != "computed"}, expected_required), name
        assert written == {k: v for k, v in expected.items() if k != "seed"}, name


def test_pydantic_v1_models_match_their_schema() -> None:
    sys.path.insert(0, str(CORPUS))
    try:
        v1models = importlib.import_module("v1models")
    finally:
        sys.path.remove(str(CORPUS))
    ours = _ours("v1models.py")
    for name in ("Address", "Person"):
        schema = getattr(v1models, name).schema()  # pydantic.v1: by alias
        props, required = _shape_sig(ours[name][0])
        assert set(props) == set(schema["properties"]), name
        assert required == frozenset(schema.get("required", ())), name
    zip_code = getattr(v1models, "Address").schema()["properties"]["zipCode"]
    assert sig_shape(next(p for p in ours["Address"][0].properties if p.name == "zipCode").shape) == \
        ("string", None, None, zip_code["pattern"], None)
