"""JSON Schema loading: data, dialects, positions by pointer, exact numbers, detection, $ref resolution."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from schemacheck.formats.jsonschema import RefResolver, ResolvedRef, Unresolved, load_document
from schemacheck.formats.jsonschema.detect import is_json_schema, looks_like_schema
from schemacheck.formats.jsonschema.document import pointer_join, pointer_parts
from schemacheck.formats.jsonschema.refs import is_ref_cycle
from schemacheck.snapshot import DirectorySnapshot

ORDER_JSON = """{
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "type": "object",
  "properties": {
    "id": {"type": "string"},
    "a/b": {"type": "number", "multipleOf": 0.1},
    "tags": ["x", {"y": 1.50}]
  }
}
"""

ORDER_YAML = """\
$schema: http://json-schema.org/draft-07/schema#
type: object
properties:
  id:
    type: string
  on:
    type: number
    multipleOf: 0.01
  when:
    default: 2024-01-01
"""


def _load(path: str, text: str):
    return load_document(path, text.encode())


# -- data and dialects -------------------------------------------------------------------

@pytest.mark.parametrize("schema, dialect", [
    ("http://json-schema.org/draft-04/schema#", "draft4"),
    ("http://json-schema.org/draft-06/schema#", "draft6"),
    ("http://json-schema.org/draft-07/schema", "draft7"),
    ("https://json-schema.org/draft/2019-09/schema", "2019-09"),
    ("https://json-schema.org/draft/2020-12/schema", "2020-12"),
    ("https://example.com/my-meta", "2020-12"),
])
def test_dialect_from_schema_keyword(schema: str, dialect: str) -> None:
    doc = _load("s.json", json.dumps({"$schema": schema}))
    assert doc.dialect == dialect
    assert doc.schema_uri == schema


def test_dialect_defaults_to_2020_12() -> None:
    assert _load("s.json", "{}").dialect == "2020-12"
    assert _load("s.json", "true").data is True


def test_json_data_keeps_ints_bools_and_floats_apart() -> None:
    doc = _load("s.json", '{"a": 1, "b": 1.0, "c": true, "d": null}')
    assert [type(doc.data[k]) for k in "abcd"] == [int, float, bool, type(None)]


def test_yaml_data_is_plain_json() -> None:
    doc = _load("s.yaml", ORDER_YAML)
    assert doc.syntax == "yaml" and doc.dialect == "draft7"
    assert list(doc.data["properties"]) == ["id", "on", "when"]  # `on` stays a string key
    assert doc.data["properties"]["when"]["default"] == "2024-01-01"  # a timestamp stays text
    assert doc.data["properties"]["on"]["multipleOf"] == 0.01


def test_yaml_aliases_and_merge_keys_expand() -> None:
    doc = _load("s.yml", "base: &b\n  type: string\n  minLength: 1\nother:\n  <<: *b\n  minLength: 2\ncopy: *b\n")
    assert doc.data["other"] == {"type": "string", "minLength": 2}
    assert doc.data["copy"] == {"type": "string", "minLength": 1}


# -- positions ---------------------------------------------------------------------------

def test_json_locations_span_key_to_value() -> None:
    doc = _load("api/order.json", ORDER_JSON)
    loc = doc.location("/properties/id")
    assert (loc.path, loc.line, loc.column, loc.end_line, loc.end_column) == ("api/order.json", 5, 5, 5, 29)
    assert doc.value_location("/properties/id").column == 11
    root = doc.location("")
    assert (root.line, root.column, root.end_line, root.end_column) == (1, 1, 9, 2)


def test_json_locations_escaped_pointer_and_array_items() -> None:
    doc = _load("s.json", ORDER_JSON)
    assert doc.location(pointer_join("/properties", "a/b")).line == 6
    item = doc.location("/properties/tags/1/y")
    assert (item.line, item.column, item.end_column) == (7, 20, 29)
    assert doc.span("/properties/tags/5") is None
    assert doc.span("/properties/nope") is None
    with pytest.raises(KeyError):
        doc.location("/nope")


def test_nearest_location_falls_back_to_enclosing_node() -> None:
    doc = _load("s.json", ORDER_JSON)
    assert doc.nearest_location("/properties/gone/type") == doc.location("/properties")


def test_yaml_locations() -> None:
    doc = _load("s.yaml", ORDER_YAML)
    loc = doc.location("/properties/on")
    assert (loc.line, loc.column, loc.end_line, loc.end_column) == (6, 3, 8, 21)
    mult = doc.value_location("/properties/on/multipleOf")
    assert (mult.line, mult.column) == (8, 17)
    assert doc.span("/properties/missing") is None


def test_yaml_alias_location_points_at_the_alias_key() -> None:
    doc = _load("s.yaml", "a: &x\n  type: string\nb: *x\n")
    loc = doc.location("/b")
    assert (loc.line, loc.column) == (3, 1)


def test_exact_numbers_come_from_the_source_text() -> None:
    doc = _load("s.json", ORDER_JSON)
    assert doc.exact_number("/properties/a~1b/multipleOf") == Decimal("0.1")
    assert doc.exact_number("/properties/tags/1/y") == Decimal("1.5")
    long = _load("l.json", '{"m": 0.12345678901234567890123, "e": 1.5e-7, "i": 10}')
    assert long.exact_number("/m") == Decimal("0.12345678901234567890123")  # more digits than a float holds
    assert long.exact_number("/e") == Decimal("1.5e-7") and long.exact_number("/i") == 10
    assert doc.exact_number("/properties/id/type") is None
    ydoc = _load("s.yaml", ORDER_YAML)
    assert ydoc.exact_number("/properties/on/multipleOf") == Decimal("0.01")


def test_large_json_location_lookup_is_lazy_and_correct() -> None:
    defs = {f"D{i}": {"type": "object", "properties": {"v": {"type": "integer", "minimum": i}}} for i in range(3000)}
    text = json.dumps({"$defs": defs}, indent=1)
    doc = _load("big.json", text)
    loc = doc.value_location("/$defs/D2999/properties/v/minimum")
    line = text.splitlines()[loc.line - 1]
    assert line[loc.column - 1:loc.end_column - 1] == "2999"


def test_pointer_helpers_round_trip() -> None:
    ptr = pointer_join("", "a/b", "c~d", 3)
    assert ptr == "/a~1b/c~0d/3"
    assert pointer_parts(ptr) == ("a/b", "c~d", "3")
    assert pointer_parts("#/x") == ("x",)


# -- detection ---------------------------------------------------------------------------

@pytest.mark.parametrize("head, expected", [
    (b'{"$schema": "http://json-schema.org/draft-07/schema#", "type": "object"}', True),
    (b'{\n  "$schema" : "https://json-schema.org/draft/2020-12/schema"}', True),
    (b"$schema: 'http://json-schema.org/draft-04/schema#'\n", True),
    (b"$schema: https://json-schema.org/draft/2019-09/schema\n", True),
    (b'{"$schema": "https://json.schemastore.org/tsconfig"}', False),
    (b'{"name": "pkg", "version": "1.0.0"}', False),
    (b'{"description": "mentions http://json-schema.org/draft-07/schema"}', False),
])
def test_sniffing_recognises_dialect_uris_only(head: bytes, expected: bool) -> None:
    assert looks_like_schema(head) is expected


def test_detection_by_name_glob_and_content(tmp_path) -> None:
    (tmp_path / "a.schema.json").write_text("{}")
    (tmp_path / "b.json").write_text('{"$schema": "http://json-schema.org/draft-07/schema#"}')
    (tmp_path / "package.json").write_text('{"name": "x"}')
    (tmp_path / "conf").mkdir()
    (tmp_path / "conf" / "c.json").write_text("{}")
    (tmp_path / "notes.txt").write_text('"$schema": "http://json-schema.org/draft-07/schema#"')
    snap = DirectorySnapshot(tmp_path)
    claimed = {p for p in snap.paths() if is_json_schema(p, snap, ("conf/*.json",))}
    assert claimed == {"a.schema.json", "b.json", "conf/c.json"}
    assert is_json_schema("x.schema.yaml", None)
    assert not is_json_schema("b.json", None)


def test_sniff_reads_only_the_start(tmp_path) -> None:
    late = '{"description": "' + "x" * 20000 + '", "$schema": "http://json-schema.org/draft-07/schema#"}'
    (tmp_path / "late.json").write_text(late)
    assert not is_json_schema("late.json", DirectorySnapshot(tmp_path))


# -- $ref resolution ---------------------------------------------------------------------

def _resolver(files: dict[str, str]) -> tuple[RefResolver, list[str]]:
    requested: list[str] = []

    def load(path: str):
        requested.append(path)
        if path not in files:
            raise FileNotFoundError(path)
        return _load(path, files[path])

    return RefResolver(load), requested


def test_local_pointer_refs() -> None:
    resolver, _ = _resolver({})
    doc = _load("s.json", '{"$defs": {"a b": {"type": "string"}}, "definitions": {"x": {"type": "integer"}}}')
    result = resolver.resolve(doc, "#/$defs/a%20b", "/properties/p")
    assert isinstance(result, ResolvedRef) and result.value == {"type": "string"} and result.pointer == "/$defs/a b"
    assert resolver.resolve(doc, "#/definitions/x", "").value == {"type": "integer"}
    assert resolver.resolve(doc, "#", "/x").pointer == ""
    missing = resolver.resolve(doc, "#/$defs/nope", "")
    assert isinstance(missing, Unresolved) and missing.kind == "missing"


def test_cross_file_refs_are_read_from_the_same_loader() -> None:
    files = {
        "api/order.json": '{"properties": {"c": {"$ref": "common/types.json#/$defs/Money"}}}',
        "api/common/types.json": '{"$defs": {"Money": {"type": "integer"}}}',
    }
    resolver, requested = _resolver(files)
    doc = resolver.document("api/order.json")
    result = resolver.resolve(doc, "common/types.json#/$defs/Money", "/properties/c")
    assert isinstance(result, ResolvedRef)
    assert result.document.path == "api/common/types.json" and result.value == {"type": "integer"}
    assert result.key == ("api/common/types.json", "/$defs/Money")
    assert requested == ["api/order.json", "api/common/types.json"]


def test_ids_anchors_and_embedded_base_uris() -> None:
    schema = {
        "$id": "https://example.com/schemas/order.json",
        "$defs": {
            "money": {"$anchor": "money", "type": "integer"},
            "inner": {"$id": "nested/inner.json", "$defs": {"q": {"type": "boolean"}},
                      "properties": {"q": {"$ref": "#/$defs/q"}}},
        },
    }
    resolver, _ = _resolver({})
    doc = _load("schemas/order.json", json.dumps(schema))
    assert resolver.resolve(doc, "#money", "").value == {"$anchor": "money", "type": "integer"}
    assert resolver.resolve(doc, "https://example.com/schemas/order.json#/$defs/money", "").pointer == "/$defs/money"
    # inside the embedded resource, "#/..." is relative to that resource
    inner = resolver.resolve(doc, "#/$defs/q", "/$defs/inner/properties/q")
    assert inner.pointer == "/$defs/inner/$defs/q"
    assert resolver.resolve(doc, "https://example.com/schemas/nested/inner.json", "").pointer == "/$defs/inner"


def test_draft7_id_fragment_is_an_anchor() -> None:
    schema = {"$schema": "http://json-schema.org/draft-07/schema#",
              "definitions": {"a": {"$id": "#thing", "type": "string"}}}
    resolver, _ = _resolver({})
    doc = _load("s.json", json.dumps(schema))
    assert resolver.resolve(doc, "#thing", "").pointer == "/definitions/a"


def test_sibling_file_found_through_its_http_id() -> None:
    files = {
        "s/a.json": '{"$id": "https://example.com/s/a.json", "properties": {"b": {"$ref": "b.json"}}}',
        "s/b.json": '{"$id": "https://example.com/s/b.json", "type": "string"}',
    }
    resolver, requested = _resolver(files)
    doc = resolver.document("s/a.json")
    result = resolver.resolve(doc, "b.json", "/properties/b")
    assert isinstance(result, ResolvedRef) and result.document.path == "s/b.json"


def test_remote_refs_are_unresolved_and_reported_once() -> None:
    resolver, requested = _resolver({})
    doc = _load("s.json", '{"properties": {"a": {"$ref": "https://example.com/x.json"},'
                          ' "b": {"$ref": "https://example.com/x.json"}}}')
    first = resolver.resolve(doc, "https://example.com/x.json", "/properties/a")
    second = resolver.resolve(doc, "https://example.com/x.json", "/properties/b")
    assert isinstance(first, Unresolved) and first.kind == "remote" and second is first
    assert len(resolver.unresolved) == 1
    assert first.location is not None and first.location.line == 1 and first.location.column == 23
    assert requested == []


@pytest.mark.parametrize("ref", ["../../etc/passwd", "../../outside.json#/x", "/etc/passwd", "file:///etc/passwd",
                                 "a/../../../x.json"])
def test_refs_leaving_the_repository_are_never_read(ref: str) -> None:
    resolver, requested = _resolver({})
    doc = _load("api/s.json", "{}")
    result = resolver.resolve(doc, ref, "")
    assert isinstance(result, Unresolved) and result.kind == "outside", result
    assert "outside the repository" in result.reason
    assert requested == []


def test_ref_cycles_terminate() -> None:
    resolver, _ = _resolver({})
    doc = _load("s.json", '{"$defs": {"a": {"$ref": "#/$defs/b"}, "b": {"$ref": "#/$defs/a"},'
                          ' "tree": {"type": "object", "properties": {"kids": {"items": {"$ref": "#/$defs/tree"}}}}}}')
    assert is_ref_cycle(resolver, doc, "#/$defs/a", "")
    chained = resolver.resolve_chain(doc, "#/$defs/a", "/x")
    assert isinstance(chained, Unresolved) and chained.kind == "cycle"
    # a recursive (but real) schema is not a cycle: one hop reaches a schema
    assert not is_ref_cycle(resolver, doc, "#/$defs/tree", "")


def test_unreadable_target_file_is_unresolved_with_its_error() -> None:
    resolver, _ = _resolver({"bad.json": "{not json"})
    doc = _load("s.json", "{}")
    result = resolver.resolve(doc, "bad.json", "")
    assert isinstance(result, Unresolved) and result.kind == "unreadable" and "bad.json:1:2" in result.reason


# -- property: every pointer's span is exactly its value's text ---------------------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_SCALARS = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(
    alphabet=st.characters(blacklist_categories=("Cs",)), max_size=6)
_JSON = st.recursive(_SCALARS, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
    st.text(max_size=4), inner, max_size=4), max_leaves=25)


def _all_pointers(value, pointer=""):
    yield pointer, value
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _all_pointers(item, pointer_join(pointer, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _all_pointers(item, pointer_join(pointer, i))


@settings(max_examples=150, deadline=None)
@given(data=st.dictionaries(st.text(max_size=4), _JSON, max_size=4), indent=st.sampled_from([None, 0, 2]),
       order=st.randoms(use_true_random=False))
def test_json_spans_cover_exactly_the_value(data, indent, order) -> None:
    text = json.dumps(data, indent=indent, ensure_ascii=bool(indent))
    doc = _load("p.json", text)
    pointers = list(_all_pointers(data))
    order.shuffle(pointers)  # lookups in any order must agree (the scanner resumes lazily)
    lines = text.split("\n")
    for pointer, value in pointers:
        loc = doc.value_location(pointer)
        if loc.line == loc.end_line:
            fragment = lines[loc.line - 1][loc.column - 1:loc.end_column - 1]
        else:
            fragment = "\n".join([lines[loc.line - 1][loc.column - 1:], *lines[loc.line:loc.end_line - 1],
                                  lines[loc.end_line - 1][:loc.end_column - 1]])
        assert json.loads(fragment) == value


_YAML_SCALARS = st.none() | st.booleans() | st.integers(-10**6, 10**6) | st.text(
    alphabet="abcxyz -_:#{}[]'\"\\", max_size=8)
_YAML = st.recursive(_YAML_SCALARS, lambda inner: st.lists(inner, min_size=1, max_size=3) | st.dictionaries(
    st.text(alphabet="abkey", min_size=1, max_size=3), inner, min_size=1, max_size=3), max_leaves=15)


@settings(max_examples=100, deadline=None)
@given(data=st.dictionaries(st.text(alphabet="abkey", min_size=1, max_size=3), _YAML, min_size=1, max_size=4),
       flow=st.sampled_from([False, None]))
def test_yaml_scalar_spans_hold_their_text(data, flow) -> None:
    import yaml

    text = yaml.safe_dump(data, default_flow_style=flow, width=10_000, sort_keys=False)
    doc = _load("p.yaml", text)
    assert doc.data == data
    lines = text.split("\n")
    for pointer, value in _all_pointers(data):
        span = doc.span(pointer)
        assert span is not None
        if isinstance(value, (dict, list)):
            continue
        loc = doc.value_location(pointer)
        assert loc.line == loc.end_line, (pointer, text)
        assert yaml.safe_load(lines[loc.line - 1][loc.column - 1:loc.end_column - 1]) == value


def test_yaml_scalars_follow_the_yaml_1_2_core_schema() -> None:
    doc = _load("s.yaml", "enum: [yes, no, on, off, true, False, 010, 0x1F, 1.5, 1e3, ~, '', 1:30, 1_000]\n")
    assert doc.data["enum"] == ["yes", "no", "on", "off", True, False, 10, 31, 1.5, 1000.0, None, "", "1:30", "1_000"]


def test_cross_file_anchor_and_id_lookup() -> None:
    files = {
        "a.json": '{"properties": {"m": {"$ref": "lib/b.json#money"}, "n": {"$ref": "urn:example:name"}}}',
        "lib/b.json": '{"$defs": {"m": {"$anchor": "money", "type": "integer"},'
                      ' "n": {"$id": "urn:example:name", "type": "string"}}}',
    }
    resolver, _ = _resolver(files)
    doc = resolver.document("a.json")
    money = resolver.resolve(doc, "lib/b.json#money", "/properties/m")
    assert isinstance(money, ResolvedRef) and (money.document.path, money.pointer) == ("lib/b.json", "/$defs/m")
    # a URN is found once the file declaring it is loaded
    assert resolver.resolve(doc, "urn:example:name", "/properties/n").pointer == "/$defs/n"
    missing = resolver.resolve(doc, "lib/b.json#nothing", "")
    assert isinstance(missing, Unresolved) and "no anchor named 'nothing'" in missing.reason
    unknown = resolver.resolve(doc, "urn:example:other", "")
    assert isinstance(unknown, Unresolved) and unknown.kind == "unsupported"


def test_http_ids_map_to_repository_files_in_other_directories() -> None:
    files = {
        "api/a.json": '{"$id": "https://example.com/schemas/a.json"}',
        "common/t.json": '{"$id": "https://example.com/common/t.json", "type": "string"}',
        "api/wrong.json": '{"$id": "https://example.com/schemas/not-wrong.json"}',
    }
    resolver, requested = _resolver(files)
    doc = resolver.document("api/a.json")
    found = resolver.resolve(doc, "../common/t.json", "")
    assert isinstance(found, ResolvedRef) and found.document.path == "common/t.json"
    # a file whose own $id says it is something else is not used
    wrong = resolver.resolve(doc, "wrong.json", "")
    assert isinstance(wrong, Unresolved) and wrong.kind == "remote"
    # a URI without such a file stays remote, and no tried path ever leaves the repository
    escape = resolver.resolve(doc, "https://example.com/x.json", "")
    assert isinstance(escape, Unresolved) and escape.kind == "remote"
    assert not any(p.startswith("..") or p.startswith("/") for p in requested), requested
    other_host = resolver.resolve(doc, "https://other.example/common/t.json", "")
    assert isinstance(other_host, Unresolved) and other_host.kind == "remote"
