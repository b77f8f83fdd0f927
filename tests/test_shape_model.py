"""The shape model on its own: value questions, and shapes built by hand as another front end would.

A Python DTO or OpenAPI front end builds shapes directly (no JSON Schema text); the engine must
give it the same verdicts and the locations its own locator computes.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from schemacheck.compat.shape.jsonschema_pair import compare_shapes, diffs_to_findings
from schemacheck.model import Location
from schemacheck.shape import (
    AnyShape,
    ArrayShape,
    EnumShape,
    NeverShape,
    NumberShape,
    ObjectShape,
    Origin,
    Property,
    StringShape,
    UnionShape,
    canonical_json,
)
from schemacheck.shape.values import accepts, kinds, lower_bound, upper_bound

D = Decimal


@pytest.mark.parametrize(("shape", "value", "expected"), [
    (NumberShape(integer=True, exclusive_maximum=D(10)), 9, True),
    (NumberShape(integer=True, exclusive_maximum=D(10)), 10, False),
    (NumberShape(integer=True), 1.0, True),
    (NumberShape(integer=True), 1.5, False),
    (NumberShape(multiple_of=D("0.1")), 0.3, True),
    (NumberShape(multiple_of=D("0.1")), 0.35, False),
    (NumberShape(minimum=D(0)), True, False),
    (StringShape(max_length=2), "abc", False),
    (StringShape(pattern="^a"), "abc", True),
    (StringShape(pattern="(unclosed"), "abc", None),
    (EnumShape(values=(canonical_json(1), canonical_json("a"))), 1.0, True),
    (EnumShape(values=(canonical_json({"b": 1, "a": 2}),)), {"a": 2, "b": 1}, True),
    (UnionShape(branches=(StringShape(), StringShape(max_length=3)), one_of=True), "ab", False),
    (UnionShape(branches=(StringShape(), StringShape(max_length=3)), one_of=True), "abcd", True),
    (ObjectShape(properties=(Property(name="a", shape=StringShape(), required=True),)), {}, False),
    (ObjectShape(additional=NeverShape()), {"x": 1}, False),
    (ArrayShape(prefix_items=(StringShape(),), items=NeverShape()), ["a", "b"], False),
    # dependentRequired / dependentSchemas / propertyNames / patternProperties are answered too.
    (ObjectShape(dependent_required=(("a", ("b",)),)), {"a": 1}, False),
    (ObjectShape(dependent_required=(("a", ("b",)),)), {"b": 1}, True),
    (ObjectShape(dependent_schemas=(("a", ObjectShape(properties=(Property(name="b", shape=NeverShape()),))),)),
     {"a": 1, "b": 2}, False),
    (ObjectShape(dependent_schemas=(("a", ObjectShape(properties=(Property(name="b", shape=NeverShape()),))),)),
     {"b": 2}, True),
    (ObjectShape(property_names=StringShape(pattern="^[0-9]+$")), {"12": 1}, True),
    (ObjectShape(property_names=StringShape(pattern="^[0-9]+$")), {"x": 1}, False),
    (ObjectShape(pattern_properties=(("^x", StringShape()),), additional=NeverShape()), {"xa": "s"}, True),
    (ObjectShape(pattern_properties=(("^x", StringShape()),), additional=NeverShape()), {"xa": 1}, False),
    (ObjectShape(pattern_properties=(("^x", StringShape()),), additional=NeverShape()), {"y": "s"}, False),
    (ObjectShape(pattern_properties=(("(", StringShape()),)), {"y": "s"}, None),
    (AnyShape(), {"anything": [1]}, True),
])
def test_accepts(shape: Any, value: Any, expected: bool | None) -> None:
    assert accepts(shape, value) is expected


def test_bounds_are_normalised_for_integers() -> None:
    assert upper_bound(NumberShape(integer=True, exclusive_maximum=D("10"))) == (D(9), False)
    assert lower_bound(NumberShape(integer=True, minimum=D("0.5"))) == (D(1), False)
    assert upper_bound(NumberShape(maximum=D(10), exclusive_maximum=D(10))) == (D(10), True)
    assert lower_bound(NumberShape()) is None


def test_kinds() -> None:
    assert kinds(NumberShape()) == {"number", "integer"}
    assert kinds(EnumShape(values=("1", "1.5", '"x"', "null"))) == {"integer", "number", "string", "null"}
    assert kinds(NeverShape()) == frozenset()


def _locator(path: str) -> Any:
    lines = {"/properties/total_amount": 3, "/properties/total_cents": 7, "": 1}
    return lambda pointer: Location(path, lines.get(pointer, 1), 5)


def _dto(path: str, name: str) -> ObjectShape:
    origin = Origin(path, "", _locator(path))
    field = Property(name=name, shape=NumberShape(integer=True, origin=Origin(path, f"/properties/{name}",
                                                                              _locator(path))), required=True)
    return ObjectShape(properties=(field,), origin=origin)


def test_hand_built_shapes_get_the_same_verdicts_and_their_own_locations() -> None:
    producer = _dto("producer.json", "total_amount")  # what is written
    consumer = _dto("models/order.py", "total_cents")  # what a consumer DTO reads
    findings = diffs_to_findings(compare_shapes(producer, consumer, mode="backward"), format="python")
    assert [(f.rule_id, str(f.location), f.format) for f in findings] == [
        ("PROPERTY_RENAMED", "models/order.py:7:5", "python")]


def test_selection_keeps_only_selected_rules() -> None:
    old = ObjectShape(properties=(Property(name="a", shape=StringShape(max_length=5)),))
    new = ObjectShape(properties=(Property(name="a", shape=StringShape(max_length=2, pattern="^x")),))
    diffs = compare_shapes(old, new)
    assert sorted(d.rule_id for d in diffs) == ["MAX_LENGTH_DECREASED", "PATTERN_ADDED"]
    assert [f.rule_id for f in diffs_to_findings(diffs, frozenset({"PATTERN_ADDED"}))] == ["PATTERN_ADDED"]
