"""Editions feature resolution (compat/protobuf/features.py) and the part-A rules' extras.

Files are compiled by the real front ends — protoc (grpcio-tools) and the pure-Python parser —
so what is resolved here is what the rules see. The defaults table is checked against the
``edition_defaults`` that protoc and the protobuf runtime themselves carry.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from google.protobuf import descriptor_pb2 as pb

from gitrepo import GitRepo
from schemacheck.compat.protobuf import features as F
from schemacheck.compat.protobuf.elements import Field, ProtoFile
from schemacheck.snapshot import DirectorySnapshot

FS = pb.FeatureSet
BACKENDS = ["protoc", "python"]
EDITIONS = [F.EDITION_PROTO2, F.EDITION_PROTO3, F.EDITION_2023, F.EDITION_2024]


def _compile(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, backend: str, files: dict[str, str]) -> dict[str, ProtoFile]:
    if backend == "python":
        pytest.importorskip("schemacheck.formats.protobuf.compiler")
    monkeypatch.setenv("SCHEMACHECK_PROTO_PARSER", backend)
    from schemacheck.formats.protobuf import compile_protos

    for name, text in files.items():
        (tmp_path / name).write_text(text)
    result = compile_protos(DirectorySnapshot(tmp_path), list(files))
    assert not result.errors, result.errors
    return {n: ProtoFile.from_descriptor(cf.path, cf.descriptor) for n, cf in result.files.items()}


def _fields(file: ProtoFile) -> dict[str, Field]:
    found: dict[str, Field] = {}
    for msg in file.messages():
        for fld in msg.fields():
            found[fld.full_name] = fld
    for ext in file.extensions():
        found[ext.full_name] = ext
    return found


def _expected_default(options: pb.FieldOptions, edition: int) -> str:
    best = None
    for entry in options.edition_defaults:
        if entry.edition <= edition and (best is None or entry.edition >= best.edition):
            best = entry
    assert best is not None
    return best.value


@pytest.mark.parametrize("edition", EDITIONS, ids=[pb.Edition.Name(e) for e in EDITIONS])
def test_defaults_table_matches_descriptor_proto(edition: int) -> None:
    resolved = F.defaults_for(edition)
    for name in ("field_presence", "enum_type", "repeated_field_encoding", "utf8_validation", "message_encoding",
                 "json_format"):
        field = FS.DESCRIPTOR.fields_by_name[name]
        options = pb.FieldOptions.FromString(field.GetOptions().SerializeToString())
        expected = _expected_default(options, edition)
        assert F.feature_name(name, getattr(resolved, name)) == expected, (name, pb.Edition.Name(edition))


@pytest.mark.parametrize("edition", EDITIONS, ids=[pb.Edition.Name(e) for e in EDITIONS])
def test_language_defaults_match_cpp_and_java_features_proto(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                             edition: int) -> None:
    files = _compile(tmp_path, monkeypatch, "protoc", {"uses.proto": (
        'edition = "2023";\nimport "google/protobuf/cpp_features.proto";\n'
        'import "google/protobuf/java_features.proto";\n')})
    by_message = {m.full_name: m for f in files.values() for m in f.messages()}
    cpp = {f.name: f for f in by_message["pb.CppFeatures"].proto.field}["string_type"]
    java = {f.name: f for f in by_message["pb.JavaFeatures"].proto.field}["utf8_validation"]
    resolved = F.defaults_for(edition)
    assert F.feature_name("cpp_string_type", resolved.cpp_string_type) == _expected_default(cpp.options, edition)
    assert F.feature_name("java_utf8_validation", resolved.java_utf8_validation) == _expected_default(java.options, edition)


PROTO2 = """syntax = "proto2";
package p2;
option java_string_check_utf8 = true;
enum Kind { KIND_A = 1; }
message Box {
  required int32 id = 1;
  optional group Size = 2 { optional int32 w = 1; }
  repeated int32 codes = 3 [packed = true];
  repeated int32 plain = 4;
  optional string label = 5 [ctype = CORD];
  optional Kind kind = 6;
  optional string note = 7;
  map<string, int32> counts = 8;
  extensions 100 to 110;
}
extend Box { optional int32 extra = 100; }
"""


@pytest.mark.parametrize("backend", BACKENDS)
def test_proto2_legacy_syntax_folds_into_features(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, backend: str) -> None:
    file = _compile(tmp_path, monkeypatch, backend, {"box.proto": PROTO2})["box.proto"]
    fields = _fields(file)
    assert F.cardinality(fields["p2.Box.id"]) == F.Cardinality.REQUIRED
    assert F.kind(fields["p2.Box.size"]) == "group" and F.kind_label(fields["p2.Box.size"]) == "group"
    assert F.field_features(fields["p2.Box.codes"]).repeated_field_encoding == FS.PACKED
    assert F.field_features(fields["p2.Box.plain"]).repeated_field_encoding == FS.EXPANDED
    assert F.field_features(fields["p2.Box.label"]).cpp_string_type == 2  # CORD
    assert F.field_features(fields["p2.Box.note"]).cpp_string_type == 3  # STRING
    assert F.field_features(fields["p2.Box.note"]).java_utf8_validation == 2  # java_string_check_utf8
    assert F.field_features(fields["p2.Box.note"]).utf8_validation == FS.NONE
    assert F.cardinality(fields["p2.Box.note"]) == F.Cardinality.EXPLICIT
    assert F.cardinality(fields["p2.Box.counts"]) == F.Cardinality.MAP
    assert F.cardinality(fields["p2.extra"]) == F.Cardinality.EXPLICIT
    assert F.enum_features(next(file.enums())).enum_type == FS.CLOSED
    assert F.message_features(next(file.messages())).json_format == FS.LEGACY_BEST_EFFORT


PROTO3 = """syntax = "proto3";
package p3;
enum Color { COLOR_UNSPECIFIED = 0; }
message Item {
  int32 qty = 1;
  optional int32 limit = 2;
  repeated int32 sizes = 3;
  Item parent = 4;
  oneof pick { string a = 5; }
  string name = 6;
}
"""


@pytest.mark.parametrize("backend", BACKENDS)
def test_proto3_presence_packing_and_open_enums(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, backend: str) -> None:
    file = _compile(tmp_path, monkeypatch, backend, {"item.proto": PROTO3})["item.proto"]
    fields = _fields(file)
    assert F.cardinality(fields["p3.Item.qty"]) == F.Cardinality.IMPLICIT
    assert F.cardinality(fields["p3.Item.limit"]) == F.Cardinality.EXPLICIT
    assert F.cardinality(fields["p3.Item.parent"]) == F.Cardinality.EXPLICIT
    assert F.cardinality(fields["p3.Item.a"]) == F.Cardinality.EXPLICIT
    assert F.field_features(fields["p3.Item.sizes"]).repeated_field_encoding == FS.PACKED
    assert F.field_features(fields["p3.Item.name"]).utf8_validation == FS.VERIFY
    assert F.enum_features(next(file.enums())).enum_type == FS.OPEN
    assert F.message_features(next(file.messages())).json_format == FS.ALLOW


EDITION_2023 = """edition = "2023";
package e;
import "google/protobuf/cpp_features.proto";
import "google/protobuf/java_features.proto";
option features.field_presence = IMPLICIT;
option features.enum_type = CLOSED;
option features.(pb.cpp).string_type = CORD;
message Outer {
  option features.json_format = LEGACY_BEST_EFFORT;
  int32 a = 1;
  int32 b = 2 [features.field_presence = EXPLICIT];
  string c = 3 [features.(pb.cpp).string_type = VIEW, features.(pb.java).utf8_validation = VERIFY];
  Outer child = 4 [features.message_encoding = DELIMITED];
  oneof choice { int32 d = 5; }
  message Inner { int32 x = 1; enum Mode { MODE_A = 0; } }
  int32 r = 6 [features.field_presence = LEGACY_REQUIRED];
  string s = 7;
}
message Plain { int32 y = 1; }
enum Level { option features.enum_type = OPEN; LEVEL_A = 0; }
"""


@pytest.mark.parametrize("backend", BACKENDS)
def test_editions_features_inherit_file_message_field(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                      backend: str) -> None:
    file = _compile(tmp_path, monkeypatch, backend, {"e.proto": EDITION_2023})["e.proto"]
    fields = _fields(file)
    assert F.cardinality(fields["e.Plain.y"]) == F.Cardinality.IMPLICIT  # from the file
    assert F.cardinality(fields["e.Outer.a"]) == F.Cardinality.IMPLICIT  # from the file
    assert F.cardinality(fields["e.Outer.b"]) == F.Cardinality.EXPLICIT  # on the field
    messages = {m.full_name: m for m in file.messages()}
    assert F.message_features(messages["e.Plain"]).json_format == FS.ALLOW
    assert F.message_features(messages["e.Outer.Inner"]).json_format == FS.LEGACY_BEST_EFFORT  # enclosing message
    assert F.cardinality(fields["e.Outer.d"]) == F.Cardinality.EXPLICIT  # oneof members always have presence
    assert F.cardinality(fields["e.Outer.r"]) == F.Cardinality.REQUIRED
    assert F.kind(fields["e.Outer.child"]) == "group"
    assert F.kind_label(fields["e.Outer.child"]) == "message (delimited encoding)"
    assert F.field_features(fields["e.Outer.s"]).cpp_string_type == 2  # CORD from the file extension
    c = F.field_features(fields["e.Outer.c"])
    assert (c.cpp_string_type, c.java_utf8_validation) == (1, 2)  # VIEW, VERIFY on the field
    enums = {en.full_name: en for en in file.enums()}
    assert F.enum_features(enums["e.Level"]).enum_type == FS.OPEN
    mode = F.enum_features(enums["e.Outer.Inner.Mode"])
    assert (mode.enum_type, mode.json_format) == (FS.CLOSED, FS.LEGACY_BEST_EFFORT)  # file, then messages


@pytest.mark.parametrize("backend", BACKENDS)
def test_edition_2024_defaults_to_view_strings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, backend: str) -> None:
    text = 'edition = "2024";\npackage f;\nmessage M { string s = 1; bytes b = 2; }\n'
    file = _compile(tmp_path, monkeypatch, backend, {"f.proto": text})["f.proto"]
    assert F.edition_label(file) == "edition 2024"
    assert {F.field_features(f).cpp_string_type for f in _fields(file).values()} == {1}


def _check_json(repo: GitRepo, rule_id: str) -> list[dict]:
    proc = subprocess.run([sys.executable, "-m", "schemacheck", "check", "--format", "json", "--select", rule_id],
                          cwd=repo.root, env=repo.env(), capture_output=True, text=True)
    assert proc.returncode == 1, proc.stderr
    return json.loads(proc.stdout)["findings"]


def test_field_deletion_messages_name_reservations_and_moves(tmp_path: Path) -> None:
    repo = GitRepo(tmp_path)
    repo.write("api/order.proto", 'syntax = "proto3";\npackage shop;\n'
               "message Order {\n  string id = 1;\n  string note = 4;\n  string coupon = 5;\n}\n")
    repo.write("api/item.proto", 'edition = "2023";\npackage shop;\nmessage Item {\n  string sku = 1;\n  int32 weight = 2;\n}\n')
    repo.commit("base")
    repo.write("api/order.proto", 'syntax = "proto3";\npackage shop;\n'
               "message Order {\n  reserved 5;\n  string id = 1;\n  string note = 7;\n}\n")
    repo.write("api/item.proto", 'edition = "2023";\npackage shop;\nmessage Item {\n  string sku = 1;\n}\n')
    by_subject = {f["subject"]: f for f in _check_json(repo, "FIELD_NO_DELETE")}
    note = by_subject["shop.Order.note"]
    assert 'moved from number 4 to 7, but old binaries still write 4' in note["message"]
    assert "`reserved 4; reserved \"note\";`" in note["hint"]
    coupon = by_subject["shop.Order.coupon"]
    assert "number reserved" in coupon["message"] and '`reserved "coupon";`' in coupon["hint"]
    weight = by_subject["shop.Item.weight"]
    assert "`reserved 2; reserved weight;`" in weight["hint"]  # editions: identifiers, not strings
    assert (note["location"]["line"], note["location"]["column"]) == (3, 1)
    assert note["base_location"]["line"] == 5


def test_field_type_change_names_both_types_in_proto_syntax(tmp_path: Path) -> None:
    repo = GitRepo(tmp_path)
    base = 'syntax = "proto3";\npackage pkg;\nmessage Money { int64 u = 1; }\nmessage Amount { int64 u = 1; }\n'
    repo.write("p.proto", base + "message Order {\n  int64 total = 1;\n  Money price = 2;\n}\n")
    repo.commit("base")
    repo.write("p.proto", base + "message Order {\n  string total = 1;\n  Amount price = 2;\n}\n")
    messages = sorted(f["message"] for f in _check_json(repo, "FIELD_SAME_TYPE"))
    assert 'changed type from "int64" to "string"' in messages[0]
    assert 'changed type from ".pkg.Money" to ".pkg.Amount"' in messages[1]


def test_deprecated_ids_select_their_replacements() -> None:
    from schemacheck.registry import REGISTRY, load_rules

    load_rules()
    assert REGISTRY.expand(["FIELD_SAME_LABEL"], "protobuf") == {
        "FIELD_SAME_CARDINALITY", "FIELD_WIRE_COMPATIBLE_CARDINALITY", "FIELD_WIRE_JSON_COMPATIBLE_CARDINALITY"}
    assert REGISTRY.expand(["FIELD_SAME_CTYPE"], "protobuf") == {"FIELD_SAME_CPP_STRING_TYPE"}
    assert REGISTRY.expand(["FILE_SAME_JAVA_STRING_CHECK_UTF8"], "protobuf") == {"FIELD_SAME_JAVA_UTF8_VALIDATION"}
    assert REGISTRY.expand(["MESSAGE_SAME_MESSAGE_SET_WIRE_FORMAT"], "protobuf") == set()


def _findings(tmp_path: Path, rule_id: str, before: str, after: str) -> list[str]:
    from fixture_harness import run_fixture

    for side, text in (("before", before), ("after", after)):
        (tmp_path / side).mkdir()
        (tmp_path / side / "d.proto").write_text(text)
    result = run_fixture(tmp_path, "protobuf", rule_id)
    assert not result.diagnostics, result.diagnostics
    return [f.message for f in result.findings]


DEFAULT_CASES = [
    ("int32", "010", "int32", "8", False),  # octal literal
    ("int64", "-0x10", "int64", "-16", False),
    ("double", "inf", "double", "inf", False),
    ("double", "nan", "double", "nan", False),
    ("float", "0.1", "double", "0.1", False),  # compared at float precision
    ("double", "0.1", "double", "0.10000001", True),
    ("bytes", "\\001", "bytes", "\\x01", False),
    ("bool", "true", "bool", "false", True),
    ("string", "a", "bytes", "a", False),  # same content; the type change is FIELD_SAME_TYPE's
    ("uint32", "7", "uint32", "0", True),
]


@pytest.mark.parametrize(("old_type", "old_value", "new_type", "new_value", "fires"), DEFAULT_CASES)
def test_field_same_default_compares_values_not_spelling(tmp_path: Path, old_type: str, old_value: str,
                                                        new_type: str, new_value: str, fires: bool) -> None:
    def proto(kind: str, value: str) -> str:
        literal = f'"{value}"' if kind in ("string", "bytes") else value
        return f'syntax = "proto2";\npackage d;\nmessage M {{ optional {kind} v = 1 [default = {literal}]; }}\n'

    found = _findings(tmp_path, "FIELD_SAME_DEFAULT", proto(old_type, old_value), proto(new_type, new_value))
    assert bool(found) == fires, found


@pytest.mark.parametrize(("start", "end", "current", "missing"), [
    (7, 9, [(7, 8)], [(9, 9)]),
    (20, 30, [(20, 24), (26, 30)], [(25, 25)]),
    (2, 5, [(2, 2), (3, 4), (5, 5)], []),  # split differently, same numbers
    (10, 19, [(5, 29)], []),  # widened
    (1, 10, [], [(1, 10)]),
    (1, 10, [(3, 4), (8, 20)], [(1, 2), (5, 7)]),
])
def test_missing_ranges(start: int, end: int, current: list[tuple[int, int]], missing: list[tuple[int, int]]) -> None:
    from schemacheck.rules.protobuf.reserved import missing_ranges

    assert missing_ranges(start, end, current) == missing
