"""The shape engine as a table: (old schema, new schema, mode, policy) -> the rule IDs that fire.

Schemas go through the real loader (positions, exact numbers) and the real ``$ref`` resolver,
then ``compare_documents``. Rows expecting nothing are as important as the others.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from schemacheck.compat.shape.jsonschema_pair import compare_documents
from schemacheck.formats.jsonschema import RefResolver, load_document
from schemacheck.model import Finding


def _missing(path: str):
    raise FileNotFoundError(path)


def check(old: Any, new: Any, mode: str = "backward", policy: str = "strict",
          files: dict[str, Any] | None = None, new_files: dict[str, Any] | None = None) -> list[Finding]:
    """Compare two inline schemas (plus optional side files per revision)."""

    def revision(root: Any, extra: dict[str, Any]) -> tuple[Any, RefResolver]:
        docs = {"s.json": load_document("s.json", json.dumps(root, indent=2).encode())}
        for path, data in extra.items():
            docs[path] = load_document(path, json.dumps(data, indent=2).encode())
        return docs["s.json"], RefResolver(lambda p: docs[p] if p in docs else _missing(p), tuple(docs.values()))

    old_doc, old_refs = revision(old, files or {})
    new_doc, new_refs = revision(new, new_files if new_files is not None else (files or {}))
    return compare_documents(old_doc, new_doc, old_refs, new_refs, mode=mode, policy=policy)


S = {"type": "string"}
I = {"type": "integer"}
N = {"type": "number"}


def obj(props: dict[str, Any], required: list[str] | None = None, **kw: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"type": "object", "properties": props}
    if required:
        out["required"] = required
    out.update(kw)
    return out


CLOSED = {"additionalProperties": False}

ROWS: list[tuple[str, Any, Any, str, str, set[str]]] = [
    # --- types
    ("same", S, S, "full", "strict", set()),
    ("integer to number backward ok", I, N, "backward", "strict", set()),
    ("integer to number forward", I, N, "forward", "strict", {"TYPE_EXTENDED"}),
    ("number to integer", N, I, "backward", "strict", {"TYPE_NARROWED"}),
    ("string to integer full", S, I, "full", "strict", {"TYPE_CHANGED"}),
    ("nullable dropped", {"type": ["string", "null"]}, S, "backward", "strict", {"TYPE_NARROWED"}),
    ("nullable added backward ok", S, {"type": ["string", "null"]}, "backward", "strict", set()),
    ("type list reordered", {"type": ["null", "string"]}, {"type": ["string", "null"]}, "full", "strict", set()),
    ("type list to anyOf", {"type": ["string", "null"]}, {"anyOf": [{"type": "null"}, S]}, "full", "strict", set()),
    ("any to string", {}, S, "backward", "strict", {"TYPE_NARROWED"}),
    ("string to any backward ok", S, True, "backward", "strict", set()),
    ("false to string backward ok", False, S, "backward", "strict", set()),
    # --- string bounds, pattern, format
    ("maxLength decreased", {**S, "maxLength": 10}, {**S, "maxLength": 5}, "backward", "strict", {"MAX_LENGTH_DECREASED"}),
    ("maxLength decreased forward ok", {**S, "maxLength": 10}, {**S, "maxLength": 5}, "forward", "strict", set()),
    ("maxLength added", S, {**S, "maxLength": 5}, "backward", "strict", {"MAX_LENGTH_DECREASED"}),
    ("maxLength increased forward", {**S, "maxLength": 5}, {**S, "maxLength": 9}, "forward", "strict",
     {"MAX_LENGTH_INCREASED"}),
    ("maxLength increased backward ok", {**S, "maxLength": 5}, {**S, "maxLength": 9}, "backward", "strict", set()),
    ("minLength increased", {**S, "minLength": 1}, {**S, "minLength": 2}, "backward", "strict", {"MIN_LENGTH_INCREASED"}),
    ("minLength removed forward", {**S, "minLength": 1}, S, "forward", "strict", {"MIN_LENGTH_DECREASED"}),
    ("pattern added", S, {**S, "pattern": "^a"}, "full", "strict", {"PATTERN_ADDED"}),
    ("pattern removed", {**S, "pattern": "^a"}, S, "full", "strict", {"PATTERN_REMOVED"}),
    ("pattern changed", {**S, "pattern": "^a"}, {**S, "pattern": "^b"}, "backward", "strict", {"PATTERN_NARROWED"}),
    ("pattern widened", {**S, "pattern": "^a$"}, {**S, "pattern": "^a+$"}, "full", "strict", {"PATTERN_EXTENDED"}),
    ("pattern undecided", {**S, "pattern": "^(a)\\1"}, {**S, "pattern": "^(b)\\1"}, "backward", "strict",
     {"PATTERN_CHANGED"}),
    ("pattern same", {**S, "pattern": "^a"}, {**S, "pattern": "^a"}, "full", "strict", set()),
    ("format changed", {**S, "format": "date"}, {**S, "format": "date-time"}, "backward", "strict", {"FORMAT_CHANGED"}),
    ("format added", S, {**S, "format": "uuid"}, "backward", "strict", {"FORMAT_ADDED"}),
    # --- numbers
    ("maximum decreased", {**N, "maximum": 10}, {**N, "maximum": 5}, "backward", "strict", {"MAXIMUM_DECREASED"}),
    ("maximum to exclusive same value", {**N, "maximum": 10}, {**N, "exclusiveMaximum": 10}, "backward", "strict",
     {"MAXIMUM_DECREASED"}),
    ("integer exclusive 10 equals max 9", {**I, "maximum": 9}, {**I, "exclusiveMaximum": 10}, "full", "strict", set()),
    ("draft4 boolean exclusive equals numeric", {"$schema": "http://json-schema.org/draft-04/schema#", **N,
                                                 "maximum": 5, "exclusiveMaximum": True},
     {"$schema": "http://json-schema.org/draft-04/schema#", **N, "maximum": 5, "exclusiveMaximum": True},
     "full", "strict", set()),
    ("minimum lowered backward ok", {**N, "minimum": 0}, {**N, "minimum": -1}, "backward", "strict", set()),
    ("minimum lowered forward", {**N, "minimum": 0}, {**N, "minimum": -1}, "forward", "strict", {"MINIMUM_DECREASED"}),
    ("exclusiveMinimum added", N, {**N, "exclusiveMinimum": 0}, "backward", "strict", {"MINIMUM_INCREASED"}),
    ("multipleOf 2 to 4", {**N, "multipleOf": 2}, {**N, "multipleOf": 4}, "backward", "strict", {"MULTIPLE_OF_EXPANDED"}),
    ("multipleOf 4 to 2 backward ok", {**N, "multipleOf": 4}, {**N, "multipleOf": 2}, "backward", "strict", set()),
    ("multipleOf 4 to 2 forward", {**N, "multipleOf": 4}, {**N, "multipleOf": 2}, "forward", "strict",
     {"MULTIPLE_OF_REDUCED"}),
    ("multipleOf 0.1 to 0.01 exact", {**N, "multipleOf": 0.1}, {**N, "multipleOf": 0.01}, "backward", "strict", set()),
    ("multipleOf 0.5 vs 0.50", {**N, "multipleOf": 0.5}, {**N, "multipleOf": 0.50}, "full", "strict", set()),
    ("multipleOf 2 to 3", {**I, "multipleOf": 2}, {**I, "multipleOf": 3}, "full", "strict", {"MULTIPLE_OF_CHANGED"}),
    ("integer multipleOf 1 is no constraint", {**I, "multipleOf": 1}, I, "full", "strict", set()),
    ("unevaluatedItems narrowed", {"type": "array", "prefixItems": [S]},
     {"type": "array", "prefixItems": [S], "unevaluatedItems": False}, "backward", "strict", {"TYPE_NARROWED"}),
    ("multipleOf added", N, {**N, "multipleOf": 3}, "backward", "strict", {"MULTIPLE_OF_EXPANDED"}),
    # --- enums and const
    ("enum narrowed", {"enum": ["a", "b"]}, {"enum": ["a"]}, "backward", "strict", {"ENUM_ARRAY_NARROWED"}),
    ("enum extended backward ok", {"enum": ["a"]}, {"enum": ["a", "b"]}, "backward", "strict", set()),
    ("enum extended forward", {"enum": ["a"]}, {"enum": ["a", "b"]}, "forward", "strict", {"ENUM_ARRAY_EXTENDED"}),
    ("enum reordered", {"enum": ["a", "b"]}, {"enum": ["b", "a"]}, "full", "strict", set()),
    ("typed enum changed", {**S, "enum": ["a", "b"]}, {**S, "enum": ["a", "c"]}, "full", "strict", {"ENUM_ARRAY_CHANGED"}),
    ("const changed", {"const": "v1"}, {"const": "v2"}, "backward", "strict", {"ENUM_ARRAY_CHANGED"}),
    ("enum dropped backward ok", {**S, "enum": ["a"]}, S, "backward", "strict", set()),
    ("enum dropped forward", {**S, "enum": ["a"]}, S, "forward", "strict", {"ENUM_ARRAY_EXTENDED"}),
    ("enum added to string", S, {**S, "enum": ["a"]}, "backward", "strict", {"ENUM_ARRAY_NARROWED"}),
    ("enum 1 equals 1.0", {"enum": [1]}, {"enum": [1.0]}, "full", "strict", set()),
    ("enum to oneOf of consts", {"enum": ["a", "b"]}, {"oneOf": [{"const": "a"}, {"const": "b"}]}, "full", "strict",
     set()),
    ("oneOf of consts loses one", {"oneOf": [{"const": "a"}, {"const": "b"}]}, {"enum": ["a"]}, "backward", "strict",
     {"SUM_TYPE_NARROWED"}),
    ("nullable enum", {"enum": ["a", None]}, {"type": ["string", "null"]}, "backward", "strict", set()),
    # --- object content models
    ("optional added to open", obj({"a": S}), obj({"a": S, "b": I}), "backward", "strict",
     {"PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL"}),
    ("optional added to open lenient", obj({"a": S}), obj({"a": S, "b": I}), "backward", "lenient", set()),
    ("empty-schema property added to open", obj({"a": S}), obj({"a": S, "b": {}}), "backward", "strict", set()),
    ("optional added to closed", obj({"a": S}, **CLOSED), obj({"a": S, "b": I}, **CLOSED), "backward", "strict", set()),
    ("optional added to closed forward", obj({"a": S}, **CLOSED), obj({"a": S, "b": I}, **CLOSED), "forward", "strict",
     {"PROPERTY_ADDED_TO_CLOSED_CONTENT_MODEL"}),
    ("optional added to closed forward lenient", obj({"a": S}, **CLOSED), obj({"a": S, "b": I}, **CLOSED), "forward",
     "lenient", set()),
    ("required added", obj({"a": S}, **CLOSED), obj({"a": S, "b": I}, ["b"], **CLOSED), "backward", "lenient",
     {"REQUIRED_PROPERTY_ADDED"}),
    ("required with default added to closed", obj({"a": S}, **CLOSED),
     obj({"a": S, "b": {**I, "default": 0}}, ["b"], **CLOSED), "backward", "strict", set()),
    ("required with default added to open", obj({"a": S}), obj({"a": S, "b": {**I, "default": 0}}, ["b"]), "backward",
     "strict", {"PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL"}),
    ("removed from closed", obj({"a": S, "b": I}, **CLOSED), obj({"a": S}, **CLOSED), "backward", "strict",
     {"PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL"}),
    ("removed from closed lenient", obj({"a": S, "b": I}, **CLOSED), obj({"a": S}, **CLOSED), "backward", "lenient", set()),
    ("false property removed from closed", obj({"a": S, "b": False}, **CLOSED), obj({"a": S}, **CLOSED), "backward",
     "strict", set()),
    ("removed from open backward ok", obj({"a": S, "b": I}), obj({"a": S}), "backward", "strict", set()),
    ("removed from open forward", obj({"a": S, "b": I}), obj({"a": S}), "forward", "strict",
     {"PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL"}),
    ("required removed forward", obj({"a": S, "b": I}, ["b"], **CLOSED), obj({"a": S}, **CLOSED), "forward", "strict",
     {"REQUIRED_PROPERTY_REMOVED"}),
    ("removed covered by partial", obj({"a": S, "b": S}, additionalProperties=S), obj({"a": S}, additionalProperties=S),
     "full", "strict", set()),
    ("removed not covered by partial", obj({"a": S, "b": I}, additionalProperties=S),
     obj({"a": S}, additionalProperties=S), "backward", "strict",
     {"PROPERTY_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL"}),
    ("added covered by pattern", obj({"a": S}, patternProperties={"^x_": S}, **CLOSED),
     obj({"a": S, "x_b": S}, patternProperties={"^x_": S}, **CLOSED), "full", "strict", set()),
    ("added not covered by pattern", obj({"a": S}, patternProperties={"^x_": S}, **CLOSED),
     obj({"a": S, "x_b": I}, patternProperties={"^x_": S}, **CLOSED), "backward", "strict",
     {"PROPERTY_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL"}),
    ("became required", obj({"a": S}), obj({"a": S}, ["a"]), "backward", "strict", {"PROPERTY_BECAME_REQUIRED"}),
    ("became required with default", obj({"a": S}), obj({"a": {**S, "default": ""}}, ["a"]), "backward", "strict",
     set()),
    ("became optional forward", obj({"a": S}, ["a"]), obj({"a": S}), "forward", "strict", {"PROPERTY_BECAME_OPTIONAL"}),
    ("became optional backward ok", obj({"a": S}, ["a"]), obj({"a": S}), "backward", "strict", set()),
    ("undeclared name became required", obj({}), obj({}, ["a"]), "backward", "strict", {"REQUIRED_PROPERTY_ADDED"}),
    ("undeclared required name dropped", obj({}, ["a"]), obj({}), "forward", "strict", {"REQUIRED_PROPERTY_REMOVED"}),
    ("declared, then only required", obj({"a": S}), obj({}, ["a"]), "backward", "strict", {"PROPERTY_BECAME_REQUIRED"}),
    ("required undeclared, then declared optional", obj({}, ["a"]), obj({"a": S}), "forward", "strict",
     {"PROPERTY_BECAME_OPTIONAL"}),
    ("rename", obj({"total_amount": I}), obj({"total_cents": I}), "backward", "strict", {"PROPERTY_RENAMED"}),
    ("not a rename (different schema)", obj({"a": I}, **CLOSED), obj({"b": S}, **CLOSED), "backward", "strict",
     {"PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL"}),
    ("closed model added", obj({"a": S}), obj({"a": S}, **CLOSED), "backward", "strict", {"ADDITIONAL_PROPERTIES_NARROWED"}),
    ("closed model added lenient", obj({"a": S}), obj({"a": S}, **CLOSED), "backward", "lenient", set()),
    ("closed model removed forward", obj({"a": S}, **CLOSED), obj({"a": S}), "forward", "strict",
     {"ADDITIONAL_PROPERTIES_EXTENDED"}),
    ("patternProperties added to open object", obj({}), obj({}, patternProperties={"^x": I}), "backward", "strict",
     {"ADDITIONAL_PROPERTIES_NARROWED"}),
    ("patternProperties added to open object forward ok", obj({}), obj({}, patternProperties={"^x": I}), "forward",
     "strict", set()),
    ("patternProperties removed from open object", obj({}, patternProperties={"^x": I}), obj({}), "forward", "strict",
     {"ADDITIONAL_PROPERTIES_EXTENDED"}),
    ("patternProperties added to closed object", obj({}, **CLOSED), obj({}, patternProperties={"^x": I}, **CLOSED),
     "full", "lenient", set()),
    ("additionalProperties schema narrowed", obj({}, additionalProperties=N), obj({}, additionalProperties=I), "backward",
     "strict", {"TYPE_NARROWED"}),
    ("maxProperties added", obj({}), obj({}, maxProperties=3), "backward", "strict", {"MAX_PROPERTIES_DECREASED"}),
    ("minProperties removed forward", obj({}, minProperties=1), obj({}), "forward", "strict", {"MIN_PROPERTIES_DECREASED"}),
    ("dependentRequired added", obj({"a": S, "b": S}), obj({"a": S, "b": S}, dependentRequired={"a": ["b"]}), "backward",
     "strict", {"DEPENDENCY_ARRAY_EXTENDED"}),
    ("draft7 dependencies array same as dependentRequired", obj({"a": S}, dependencies={"a": ["b"]}),
     obj({"a": S}, dependentRequired={"a": ["b"]}), "full", "strict", set()),
    ("dependentSchemas removed forward", obj({}, dependentSchemas={"a": {"required": ["b"]}}), obj({}), "forward",
     "strict", {"DEPENDENCY_SCHEMA_REMOVED"}),
    ("propertyNames maxLength added", obj({}), obj({}, propertyNames={"maxLength": 5}), "backward", "strict",
     {"MAX_LENGTH_DECREASED"}),
    ("nested property type changed", obj({"a": obj({"b": S})}), obj({"a": obj({"b": I})}), "backward", "strict",
     {"TYPE_CHANGED"}),
    # --- arrays and tuples
    ("items type changed", {"type": "array", "items": S}, {"type": "array", "items": I}, "backward", "strict",
     {"TYPE_CHANGED"}),
    ("maxItems added", {"type": "array"}, {"type": "array", "maxItems": 3}, "backward", "strict", {"MAX_ITEMS_DECREASED"}),
    ("uniqueItems added", {"type": "array"}, {"type": "array", "uniqueItems": True}, "backward", "strict",
     {"UNIQUE_ITEMS_ADDED"}),
    ("uniqueItems false is absent", {"type": "array"}, {"type": "array", "uniqueItems": False}, "full", "strict", set()),
    ("contains added", {"type": "array"}, {"type": "array", "contains": S}, "backward", "strict", {"CONTAINS_ADDED"}),
    ("tuple item added to open", {"type": "array", "prefixItems": [S]}, {"type": "array", "prefixItems": [S, I]},
     "backward", "strict", {"ITEM_ADDED_TO_OPEN_CONTENT_MODEL"}),
    ("tuple item added to closed backward ok", {"type": "array", "prefixItems": [S], "items": False},
     {"type": "array", "prefixItems": [S, I], "items": False}, "backward", "strict", set()),
    ("tuple item added to closed forward", {"type": "array", "prefixItems": [S], "items": False},
     {"type": "array", "prefixItems": [S, I], "items": False}, "forward", "strict", {"ITEM_ADDED_TO_CLOSED_CONTENT_MODEL"}),
    ("tuple item removed from closed", {"type": "array", "prefixItems": [S, I], "items": False},
     {"type": "array", "prefixItems": [S], "items": False}, "backward", "strict",
     {"ITEM_REMOVED_FROM_CLOSED_CONTENT_MODEL"}),
    ("draft7 items array equals prefixItems", {"$schema": "http://json-schema.org/draft-07/schema#", "type": "array",
                                               "items": [S, I], "additionalItems": False},
     {"type": "array", "prefixItems": [S, I], "items": False}, "full", "strict", set()),
    # --- combined
    ("anyOf reordered", {"anyOf": [S, I]}, {"anyOf": [I, S]}, "full", "strict", set()),
    ("anyOf branch removed", {"anyOf": [S, I]}, {"anyOf": [S]}, "backward", "strict", {"SUM_TYPE_NARROWED"}),
    ("anyOf branch added backward ok", {"anyOf": [S]}, {"anyOf": [S, I]}, "backward", "strict", set()),
    ("anyOf branch added forward", {"anyOf": [S]}, {"anyOf": [S, I]}, "forward", "strict", {"SUM_TYPE_EXTENDED"}),
    ("closest branch reported", {"anyOf": [obj({"a": S}, ["a"]), I]}, {"anyOf": [I, obj({"a": {**S, "maxLength": 3}}, ["a"])]},
     "backward", "strict", {"MAX_LENGTH_DECREASED"}),
    ("oneOf overlapping branch added", {"oneOf": [S]}, {"oneOf": [S, {**S, "format": "email"}]}, "backward", "strict",
     {"ONEOF_BRANCHES_OVERLAP"}),
    ("oneOf disjoint branch added", {"oneOf": [S]}, {"oneOf": [S, I]}, "backward", "strict", set()),
    ("oneOf discriminated branch added", {"oneOf": [obj({"kind": {"const": "a"}}, ["kind"])]},
     {"oneOf": [obj({"kind": {"const": "a"}}, ["kind"]), obj({"kind": {"const": "b"}}, ["kind"])]}, "backward",
     "strict", set()),
    ("single to union", S, {"anyOf": [S, I]}, "backward", "strict", set()),
    ("allOf conjunct added", {"allOf": [S]}, {"allOf": [S, {"maxLength": 3}]}, "backward", "strict",
     {"MAX_LENGTH_DECREASED"}),
    ("allOf conjunct removed backward ok", {"allOf": [S, {"maxLength": 3}]}, {"allOf": [S]}, "backward", "strict", set()),
    ("not widened", {"not": {"const": "a"}}, {"not": {"enum": ["a", "b"]}}, "backward", "strict", {"NOT_TYPE_EXTENDED"}),
    ("not narrowed backward ok", {"not": {"enum": ["a", "b"]}}, {"not": {"const": "a"}}, "backward", "strict", set()),
    ("not narrowed forward", {"not": {"enum": ["a", "b"]}}, {"not": {"const": "a"}}, "forward", "strict",
     {"NOT_TYPE_NARROWED"}),
    # --- undecidable
    ("if/then/else changed", {"if": {"required": ["a"]}, "then": {"required": ["b"]}},
     {"if": {"required": ["a"]}, "then": {"required": ["c"]}}, "backward", "strict", {"SCHEMA_CHANGE_UNDECIDABLE"}),
    ("if/then/else unchanged", {"if": {"required": ["a"]}, "then": {"required": ["b"]}},
     {"if": {"required": ["a"]}, "then": {"required": ["b"]}}, "full", "strict", set()),
    ("dynamicRef changed", {"$dynamicRef": "#a"}, {"$dynamicRef": "#b"}, "backward", "strict",
     {"SCHEMA_CHANGE_UNDECIDABLE"}),
]


@pytest.mark.parametrize(("old", "new", "mode", "policy", "expected"), [r[1:] for r in ROWS], ids=[r[0] for r in ROWS])
def test_engine_table(old: Any, new: Any, mode: str, policy: str, expected: set[str]) -> None:
    found = check(old, new, mode, policy)
    assert {f.rule_id for f in found} == expected, [f"{f.rule_id}: {f.message}" for f in found]


def test_recursive_refs_terminate_and_report_inside_the_cycle() -> None:
    def tree(leaf: dict[str, Any]) -> dict[str, Any]:
        node = obj({"value": leaf, "children": {"type": "array", "items": {"$ref": "#/$defs/node"}}})
        return {"$defs": {"node": node}, "$ref": "#/$defs/node"}

    assert check(tree(S), tree(S), "full") == []
    found = check(tree(I), tree(N), "full")
    assert [(f.rule_id, f.subject) for f in found] == [("TYPE_EXTENDED", "#/$defs/node/properties/value")]


def test_mutual_recursion_across_files() -> None:
    a_old = {"type": "object", "properties": {"b": {"$ref": "b.json"}, "n": I}}
    b = {"type": "object", "properties": {"a": {"$ref": "s.json"}}}
    a_new = {"type": "object", "properties": {"b": {"$ref": "b.json"}, "n": S}}
    found = check(a_old, a_new, "backward", files={"b.json": b})
    assert [f.rule_id for f in found] == ["TYPE_CHANGED"]


def test_change_in_referenced_file_is_found_and_located_there() -> None:
    root = {"type": "object", "properties": {"price": {"$ref": "defs.json#/$defs/money"}}}
    old_defs = {"$defs": {"money": {"type": "number", "maximum": 100}}}
    new_defs = {"$defs": {"money": {"type": "number", "maximum": 50}}}
    found = check(root, root, "backward", files={"defs.json": old_defs}, new_files={"defs.json": new_defs})
    assert [(f.rule_id, f.path) for f in found] == [("MAXIMUM_DECREASED", "defs.json")]


def test_unresolved_ref_is_undecidable_only_when_changed() -> None:
    old = obj({"a": {"$ref": "https://example.com/x.json"}})
    assert check(old, old, "full") == []
    new = obj({"a": {"$ref": "https://example.com/y.json"}})
    assert [f.rule_id for f in check(old, new)] == ["SCHEMA_CHANGE_UNDECIDABLE"]


def test_finding_points_at_keyword_in_new_and_old_documents() -> None:
    old = obj({"name": {**S, "maxLength": 10}})
    new = obj({"name": {**S, "maxLength": 5}})
    [finding] = check(old, new)
    assert (finding.location.line, finding.location.column) == (6, 7)  # the "maxLength" member of the new file
    assert finding.base_location is not None and finding.base_location.path == "s.json"
    assert finding.severity.value == "error" and finding.format == "jsonschema"
    assert finding.subject == "#/properties/name" and finding.hint


def test_removal_points_at_surviving_parent() -> None:
    old = obj({"a": S, "gone": I}, **CLOSED)
    new = obj({"a": S}, **CLOSED)
    [finding] = check(old, new)
    assert finding.rule_id == "PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL"
    assert finding.subject == "#/properties/gone"
    assert (finding.location.line, finding.location.column) == (3, 3)  # "properties" of the surviving root
    assert finding.base_location.line > 1  # the property in the old file


def test_full_mode_reports_a_two_way_change_once() -> None:
    found = check({"const": "a"}, {"const": "b"}, "full")
    assert [f.rule_id for f in found] == ["ENUM_ARRAY_CHANGED"]
    assert "readers on either version" in found[0].message
    [backward] = check({"const": "a"}, {"const": "b"}, "backward")
    assert "readers on the new schema" in backward.message


def test_wide_union_nesting_stays_fast() -> None:
    import time

    def nest(depth: int, leaf: Any) -> Any:
        return leaf if depth == 0 else {"oneOf": [obj({f"k{i}": nest(depth - 1, leaf)}, [f"k{i}"]) for i in range(4)]}

    start = time.perf_counter()
    found = check(nest(4, S), nest(4, I), "full")
    assert found and time.perf_counter() - start < 10


INHERIT_ROWS: list[tuple[str, Any, Any, str, set[str]]] = [
    ("allOf inheritance flattened is compatible",
     {"$defs": {"base": obj({"id": S}, ["id"])}, "allOf": [{"$ref": "#/$defs/base"}, obj({"name": S})],
      "unevaluatedProperties": False},
     obj({"id": S, "name": S}, ["id"], unevaluatedProperties=False), "full", set()),
    ("property added to base of closed allOf",
     {"$defs": {"base": obj({"id": S})}, "allOf": [{"$ref": "#/$defs/base"}, obj({"name": S})],
      "unevaluatedProperties": False},
     {"$defs": {"base": obj({"id": S, "extra": I})}, "allOf": [{"$ref": "#/$defs/base"}, obj({"name": S})],
      "unevaluatedProperties": False}, "forward", {"PROPERTY_ADDED_TO_CLOSED_CONTENT_MODEL"}),
    ("additionalProperties in a conjunct is not merged",
     {"allOf": [obj({"id": S}), obj({"name": S}, **CLOSED)]},
     {"allOf": [obj({"id": S}), obj({"name": S}, **CLOSED)]}, "full", set()),
]


@pytest.mark.parametrize(("old", "new", "mode", "expected"), [r[1:] for r in INHERIT_ROWS],
                         ids=[r[0] for r in INHERIT_ROWS])
def test_allof_object_conjuncts_are_merged(old: Any, new: Any, mode: str, expected: set[str]) -> None:
    assert {f.rule_id for f in check(old, new, mode)} == expected


def test_shared_definitions_report_once_and_stay_linear() -> None:
    """A chain of definitions each referenced twice has 2**40 paths; the walk must not follow them."""
    import time

    def chain(leaf: dict[str, Any]) -> dict[str, Any]:
        defs: dict[str, Any] = {f"d{i}": obj({"l": {"$ref": f"#/$defs/d{i + 1}"}, "r": {"$ref": f"#/$defs/d{i + 1}"}})
                                for i in range(40)}
        defs["d40"] = obj({"v": leaf})
        return {"$defs": defs, "$ref": "#/$defs/d0"}

    start = time.perf_counter()
    found = check(chain(I), chain(S), "full")
    assert [(f.rule_id, f.subject) for f in found] == [("TYPE_CHANGED", "#/$defs/d40/properties/v")]
    assert time.perf_counter() - start < 5


def test_union_branch_messages_name_the_branch_title() -> None:
    cat = {**obj({"meow": S}, ["meow"]), "title": "Cat"}
    dog = {**obj({"bark": S}, ["bark"]), "title": "Dog"}
    [finding] = check({"oneOf": [cat, dog, I]}, {"oneOf": [cat, I]}, "backward")
    assert finding.rule_id == "SUM_TYPE_NARROWED" and "#/oneOf/1 (object 'Dog')" in finding.message
