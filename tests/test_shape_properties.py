"""Properties of the shape engine, checked on generated schemas against the ``jsonschema`` validator.

- Reflexive: a schema compared with itself yields nothing, in every mode and policy.
- Sound in BACKWARD/STRICT: when the engine reports nothing, every generated document that
  the old schema accepts is accepted by the new one (``jsonschema`` is the oracle). A
  counter-example is a missed breaking change.
- Sound in FORWARD/STRICT, symmetrically.

The grammar always writes ``type`` (untyped keyword schemas are read as typed, a documented
approximation) and avoids ``pattern``/``format``, which the engine flags without deciding.
"""

from __future__ import annotations

import json
from typing import Any

import jsonschema
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from schemacheck.compat.shape.jsonschema_pair import compare_documents
from schemacheck.formats.jsonschema import RefResolver, load_document

NAMES = st.sampled_from(["a", "b", "c"])
SMALL = st.integers(min_value=0, max_value=3)
NUMS = st.sampled_from([-1, 0, 0.5, 1, 2, 2.5, 3])


def _scalar() -> st.SearchStrategy[dict[str, Any]]:
    string = st.fixed_dictionaries({"type": st.just("string")},
                                   optional={"minLength": SMALL, "maxLength": SMALL,
                                             "enum": st.lists(st.sampled_from(["", "x", "xy", "xyz"]), min_size=1,
                                                              max_size=3, unique=True)})
    number = st.fixed_dictionaries({"type": st.sampled_from(["number", "integer"])},
                                   optional={"minimum": NUMS, "maximum": NUMS, "exclusiveMinimum": NUMS,
                                             "exclusiveMaximum": NUMS, "multipleOf": st.sampled_from([0.5, 1, 2, 3])})
    other = st.sampled_from([{"type": "boolean"}, {"type": "null"}, {"type": ["string", "null"]}, {"const": "x"},
                             {"enum": [1, "x", None]}, {}])
    return st.one_of(string, number, other)


def _compound(children: st.SearchStrategy[dict[str, Any]]) -> st.SearchStrategy[dict[str, Any]]:
    obj = st.fixed_dictionaries(
        {"type": st.just("object"), "properties": st.dictionaries(NAMES, children, max_size=3)},
        optional={"required": st.lists(NAMES, max_size=2, unique=True),
                  "additionalProperties": st.one_of(st.booleans(), children),
                  "patternProperties": st.dictionaries(st.sampled_from(["^a", "^b", "c$"]), children, max_size=1),
                  "dependentRequired": st.dictionaries(NAMES, st.lists(NAMES, max_size=2, unique=True), max_size=1),
                  "propertyNames": st.sampled_from([{"maxLength": 1}, {"enum": ["a", "b"]}]),
                  "maxProperties": SMALL, "minProperties": SMALL})
    arr = st.fixed_dictionaries({"type": st.just("array")},
                                optional={"items": st.one_of(st.booleans(), children),
                                          "prefixItems": st.lists(children, max_size=2),
                                          "contains": children, "minItems": SMALL, "maxItems": SMALL,
                                          "uniqueItems": st.booleans()})
    union = st.builds(lambda kw, bs: {kw: bs}, st.sampled_from(["anyOf", "oneOf", "allOf"]),
                      st.lists(children, min_size=1, max_size=3))
    negation = st.builds(lambda s: {"not": s}, children)
    return st.one_of(obj, arr, union, negation)


SCHEMAS = st.recursive(_scalar(), _compound, max_leaves=6)
VALUES = st.recursive(
    st.one_of(st.none(), st.booleans(), st.sampled_from([-1, 0, 0.5, 1, 2, 3, 2.5, 4]),
              st.sampled_from(["", "x", "xy", "xyz", "xyzw"])),
    lambda kids: st.one_of(st.lists(kids, max_size=3), st.dictionaries(NAMES, kids, max_size=3)),
    max_leaves=6)


def _findings(old: Any, new: Any, mode: str, policy: str = "strict") -> list[str]:
    old_doc = load_document("s.json", json.dumps(old).encode())
    new_doc = load_document("s.json", json.dumps(new).encode())
    found = compare_documents(old_doc, new_doc, RefResolver(_none, (old_doc,)), RefResolver(_none, (new_doc,)),
                              mode=mode, policy=policy)
    return [f"{f.rule_id}: {f.message}" for f in found]


def _none(path: str):
    raise FileNotFoundError(path)


def _valid(schema: Any, value: Any) -> bool:
    return jsonschema.Draft202012Validator(schema).is_valid(value)


FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(SCHEMAS, st.sampled_from(["backward", "forward", "full"]), st.sampled_from(["strict", "lenient"]))
def test_a_schema_is_compatible_with_itself(schema: Any, mode: str, policy: str) -> None:
    assert _findings(schema, schema, mode, policy) == []


@FAST
@given(SCHEMAS, SCHEMAS, st.lists(VALUES, min_size=1, max_size=8))
def test_backward_silence_means_new_accepts_old_documents(old: Any, new: Any, values: list[Any]) -> None:
    for value in values:
        if _valid(old, value) and not _valid(new, value):
            assert _findings(old, new, "backward"), f"missed: {value!r} valid under old only"
            return


@FAST
@given(SCHEMAS, SCHEMAS, st.lists(VALUES, min_size=1, max_size=8))
def test_forward_silence_means_old_accepts_new_documents(old: Any, new: Any, values: list[Any]) -> None:
    for value in values:
        if _valid(new, value) and not _valid(old, value):
            assert _findings(old, new, "forward"), f"missed: {value!r} valid under new only"
            return


OBJECTS = st.fixed_dictionaries(
    {"type": st.just("object"), "properties": st.dictionaries(NAMES, _scalar(), max_size=3)},
    optional={"required": st.lists(NAMES, max_size=2, unique=True),
              "additionalProperties": st.one_of(st.booleans(), _scalar()),
              "patternProperties": st.dictionaries(st.sampled_from(["^a", "^b", "c$"]), _scalar(), max_size=2),
              "dependentRequired": st.dictionaries(NAMES, st.lists(NAMES, max_size=2, unique=True), max_size=1),
              "minProperties": SMALL, "maxProperties": SMALL})
OBJECT_VALUES = st.dictionaries(NAMES, st.one_of(st.none(), st.booleans(), st.sampled_from([0, 1, 2.5, "", "x", "xyz"])),
                                max_size=3)


@FAST
@given(OBJECTS, OBJECTS, st.lists(OBJECT_VALUES, min_size=1, max_size=12), st.sampled_from(["backward", "forward"]))
def test_object_content_models_are_sound(old: Any, new: Any, values: list[Any], mode: str) -> None:
    writer, reader = (old, new) if mode == "backward" else (new, old)
    for value in values:
        if _valid(writer, value) and not _valid(reader, value):
            assert _findings(old, new, mode), f"missed: {value!r}"
            return


KEYWORDS = ["type", "properties", "required", "additionalProperties", "patternProperties", "items", "prefixItems",
            "additionalItems", "enum", "const", "anyOf", "oneOf", "allOf", "not", "minimum", "exclusiveMaximum",
            "multipleOf", "maxLength", "pattern", "format", "dependencies", "dependentSchemas", "propertyNames",
            "contains", "minContains", "if", "then", "$ref", "$dynamicRef", "default", "uniqueItems"]
JUNK = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(-3, 3), st.floats(allow_nan=False, allow_infinity=False, width=32),
              st.sampled_from(["string", "object", "array", "integer", "#", "#/properties", "[", "a"])),
    lambda kids: st.one_of(st.lists(kids, max_size=3), st.dictionaries(st.sampled_from(KEYWORDS + ["a", "b"]), kids,
                                                                       max_size=4)),
    max_leaves=12)


@FAST
@given(JUNK, JUNK, st.sampled_from(["backward", "forward", "full"]))
def test_malformed_schemas_never_crash_the_engine(old: Any, new: Any, mode: str) -> None:
    old = old if isinstance(old, dict) else {"items": old}
    new = new if isinstance(new, dict) else {"items": new}
    _findings(old, new, mode)


def _recursive(leaf: Any) -> dict[str, Any]:
    node = {"type": "object", "properties": {"v": leaf, "next": {"$ref": "#/$defs/node"}}}
    return {"$defs": {"node": node}, "$ref": "#/$defs/node"}


NESTED_VALUES = st.recursive(VALUES, lambda kids: st.fixed_dictionaries({"v": VALUES}, optional={"next": kids}),
                             max_leaves=4)


@FAST
@given(SCHEMAS, SCHEMAS, st.lists(NESTED_VALUES, min_size=1, max_size=6), st.sampled_from(["backward", "forward"]))
def test_recursive_schemas_are_sound(old_leaf: Any, new_leaf: Any, values: list[Any], mode: str) -> None:
    old, new = _recursive(old_leaf), _recursive(new_leaf)
    assert _findings(old, old, "full") == []
    writer, reader = (old, new) if mode == "backward" else (new, old)
    for value in values:
        if _valid(writer, value) and not _valid(reader, value):
            assert _findings(old, new, mode), f"missed: {value!r}"
            return


def _walk(schema: Any, fn: Any) -> Any:
    """Apply ``fn`` bottom-up to every schema object of a generated schema."""
    if not isinstance(schema, dict):
        return schema
    out: dict[str, Any] = {}
    for key, value in schema.items():
        if key in ("items", "not", "contains", "additionalProperties"):
            out[key] = _walk(value, fn)
        elif key in ("properties", "patternProperties") and isinstance(value, dict):
            out[key] = {name: _walk(sub, fn) for name, sub in value.items()}
        elif key in ("anyOf", "oneOf", "allOf", "prefixItems") and isinstance(value, list):
            out[key] = [_walk(sub, fn) for sub in value]
        else:
            out[key] = value
    return fn(out)


def _closed(schema: dict[str, Any]) -> dict[str, Any]:
    """LENIENT's producer: never sends an undeclared property."""
    if schema.get("type") != "object":
        return schema
    return {**{k: v for k, v in schema.items() if k != "patternProperties"}, "additionalProperties": False}


def _opened(schema: dict[str, Any]) -> dict[str, Any]:
    """LENIENT's reader: ignores undeclared properties."""
    if schema.get("type") != "object":
        return schema
    return {k: v for k, v in schema.items() if k not in ("patternProperties", "additionalProperties")}


NO_ALLOF = st.recursive(_scalar(), lambda kids: _compound(kids).filter(lambda s: "allOf" not in s), max_leaves=6)


@FAST
@given(NO_ALLOF, NO_ALLOF, st.lists(VALUES, min_size=1, max_size=10), st.sampled_from(["backward", "forward"]))
def test_lenient_silence_is_sound_for_closed_producers_and_ignoring_readers(old: Any, new: Any, values: list[Any],
                                                                          mode: str) -> None:
    # (allOf is left out: closing each conjunct separately would change what the conjunction accepts.)
    writer, reader = (old, new) if mode == "backward" else (new, old)
    producer, consumer = _walk(writer, _closed), _walk(reader, _opened)
    for value in values:
        if _valid(producer, value) and not _valid(consumer, value):
            assert _findings(old, new, mode, "lenient"), f"missed: {value!r}"
            return
