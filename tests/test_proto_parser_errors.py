"""Bad .proto input gives one positioned ParseError/LinkError, never a traceback.

Each case is a small tree of files written to a temporary directory; the Python compiler's
error must name the file, 1-based line and column and say what was expected or missing.
Where protoc reports the same problem, its line and column must agree with ours.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from schemacheck.errors import LinkError, ParseError
from schemacheck.formats.protobuf.compiler import compile_with_python
from schemacheck.snapshot import DirectorySnapshot

P3 = 'syntax = "proto3";\n'

# (id, files, target, error class, line, column, substrings of the message, protoc agrees on position)
CASES = [
    ("missing-semicolon", {"a.proto": P3 + "message A { int32 x = 1 foo; }\n"}, "a.proto", ParseError,
     2, 25, ["expected ';'", "found 'foo'"], True),
    ("missing-field-number", {"a.proto": P3 + 'message A { int32 x = "s"; }\n'}, "a.proto", ParseError,
     2, 23, ["expected a field number", "found '\"s\"'"], True),
    ("missing-brace", {"a.proto": P3 + "message A {\n  int32 x = 1;\n"}, "a.proto", ParseError,
     4, 1, ["missing '}'"], True),
    ("bad-syntax", {"a.proto": 'syntax = "proto4";\n'}, "a.proto", ParseError, 1, 10, ["proto4"], True),
    ("unknown-import", {"a.proto": P3 + 'import "nope.proto";\n'}, "a.proto", LinkError, 2, 1,
     ["nope.proto", "not found"], True),
    ("unknown-type", {"a.proto": P3 + "message A { Unknown x = 1; }\n"}, "a.proto", LinkError, 2, 13,
     ["unknown type", "Unknown"], True),
    ("duplicate-number", {"a.proto": P3 + "message A { int32 x = 1; int32 y = 1; }\n"}, "a.proto", LinkError,
     2, 36, ["field number 1", "already been used"], True),
    ("proto3-default", {"a.proto": P3 + 'message A { string s = 1 [default = "x"]; }\n'}, "a.proto", LinkError,
     2, 37, ["default values are not allowed in proto3"], True),
    ("enum-first-not-zero", {"a.proto": P3 + "enum E { A = 1; }\n"}, "a.proto", LinkError, 2, 14,
     ["first enum value must be zero"], True),
    ("unterminated-string", {"a.proto": P3 + 'package "abc;\n'}, "a.proto", ParseError, 2, 9,
     ["unterminated string"], False),
    ("unterminated-comment", {"a.proto": P3 + "/* never closed\nmessage A {}\n"}, "a.proto", ParseError,
     2, 1, ["unterminated block comment"], False),
    ("unknown-option", {"a.proto": P3 + "option no_such_option = 1;\n"}, "a.proto", LinkError, 2, 8,
     ["no_such_option"], True),
    ("bad-option-value", {"a.proto": P3 + "option java_multiple_files = 3;\n"}, "a.proto", LinkError, 2, 30,
     ["java_multiple_files", "true"], True),
    ("not-imported", {"a.proto": P3 + "package p;\nmessage A {}\n",
                      "b.proto": P3 + "package p;\nmessage B { A a = 1; }\n"}, "b.proto", LinkError, 3, 13,
     ["unknown type \"A\""], True),
    ("import-has-errors", {"a.proto": P3 + "message A { int32 x = 1 }\n",
                           "b.proto": P3 + 'import "a.proto";\n'}, "b.proto", LinkError, 2, 1,
     ["a.proto", "has errors"], False),
    ("bad-enum-default", {"a.proto": 'syntax = "proto2";\nenum E { A = 0; }\nmessage M { optional E e = 1 [default = B]; }\n'},
     "a.proto", LinkError, 3, 41, ["no value named \"B\""], True),
    ("extension-out-of-range", {"a.proto": 'syntax = "proto2";\nmessage M { extensions 10 to 20; }\n'
                                           "extend M { optional int32 x = 30; }\n"},
     "a.proto", LinkError, 3, 31, ["does not declare 30"], True),
    ("features-outside-editions", {"a.proto": P3 + "option features.field_presence = EXPLICIT;\n"}, "a.proto",
     LinkError, 2, 8, ["features are only valid under editions"], False),
    ("float-map-key", {"a.proto": P3 + "message A { map<float, string> m = 1; }\n"}, "a.proto", LinkError,
     2, 13, ["map keys cannot be float"], True),
    ("proto3-extension", {"a.proto": P3 + "message A {}\nextend A { int32 x = 1; }\n"}, "a.proto", LinkError,
     3, 8, ["only allowed for defining options"], False),
    ("needless-allow-alias", {"a.proto": P3 + "enum E {\n  option allow_alias = true;\n  A = 0;\n  B = 1;\n}\n"},
     "a.proto", LinkError, 2, 6, ["no two values share a number"], False),
    ("enum-alias-without-option", {"a.proto": P3 + "enum E {\n  A = 0;\n  B = 0;\n}\n"}, "a.proto", LinkError,
     4, 7, ["same enum value", "allow_alias"], True),
    ("json-name-conflict", {"a.proto": P3 + "message M {\n  int32 foo_bar = 1;\n  int32 fooBar = 2;\n}\n"},
     "a.proto", LinkError, 4, 9, ["JSON name", "conflicts", "foo_bar"], True),
    ("custom-json-name-conflict", {"a.proto": P3 + 'message M {\n  int32 a = 1 [json_name="x"];\n'
                                                   '  int32 b = 2 [json_name="x"];\n}\n'},
     "a.proto", LinkError, 4, 9, ["custom JSON name"], True),
    ("edition-2024-local", {"v1.proto": 'edition = "2024";\npackage v;\nlocal message L {}\n'
                                         "message A { message B {} }\n",
                            "v2.proto": 'edition = "2024";\npackage v;\nimport "v1.proto";\nmessage U { L l = 1; }\n'},
     "v2.proto", LinkError, 4, 13, ["\"v.L\"", "not visible", "local"], True),
    ("edition-2024-nested-default-local",
     {"v1.proto": 'edition = "2024";\npackage v;\nmessage A { message B {} }\n',
      "v2.proto": 'edition = "2024";\npackage v;\nimport "v1.proto";\nmessage U { A.B l = 1; }\n'},
     "v2.proto", LinkError, 4, 13, ["\"v.A.B\"", "not visible", "export"], True),
    ("duplicate-import", {"a.proto": P3 + 'import "google/protobuf/empty.proto";\n'
                                          'import "google/protobuf/empty.proto";\n'},
     "a.proto", LinkError, 3, 1, ["listed twice"], True),
    ("duplicate-field-name", {"a.proto": P3 + "message A { int32 x = 1; int32 x = 2; }\n"}, "a.proto", LinkError,
     2, 32, ["\"A.x\" is already defined"], True),
    ("duplicate-enum-value-name", {"a.proto": P3 + "enum E { E_A = 0; }\nenum F { E_A = 0; }\n"}, "a.proto",
     LinkError, 3, 10, ["\"E_A\" is already defined"], True),
    ("import-cycle", {"a.proto": P3 + 'import "b.proto";\n', "b.proto": P3 + 'import "a.proto";\n'},
     "a.proto", LinkError, 0, 0, ["import cycle", "a.proto -> b.proto -> a.proto"], False),
]


def _write(tmp_path: Path, files: dict[str, str | bytes]) -> DirectorySnapshot:
    for name, content in files.items():
        dest = tmp_path / name
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_bytes(content if isinstance(content, bytes) else content.encode())
    return DirectorySnapshot(tmp_path)


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_bad_input_reports_position(tmp_path: Path, case) -> None:
    _id, files, target, cls, line, col, words, protoc_agrees = case
    result = compile_with_python(_write(tmp_path, files), [target])
    assert target not in result.files
    errors = [e for e in result.errors if e.path == target] or list(result.errors)
    assert errors, "no error recorded"
    err = errors[0]
    assert isinstance(err, cls), repr(err)
    if line:
        assert (err.line, err.column) == (line, col), str(err)
    for word in words:
        assert word in err.detail, str(err)
    assert "\n" not in err.message
    if protoc_agrees:
        pytest.importorskip("grpc_tools")
        from schemacheck.formats.protobuf.protoc_backend import compile_with_protoc

        oracle = compile_with_protoc(DirectorySnapshot(tmp_path), [target])
        assert oracle.errors, "protoc accepts this input"
        assert (oracle.errors[0].line, oracle.errors[0].column) == (err.line, err.column), str(oracle.errors[0])


def test_non_utf8_file_is_refused_with_position(tmp_path: Path) -> None:
    snap = _write(tmp_path, {"a.proto": P3.encode() + b"// caf\xe9\n"})
    err = compile_with_python(snap, ["a.proto"]).errors[0]
    assert isinstance(err, ParseError)
    assert (err.path, err.line, err.column) == ("a.proto", 2, 7)
    assert "not valid UTF-8" in err.detail


def test_binary_file_is_refused(tmp_path: Path) -> None:
    snap = _write(tmp_path, {"a.proto": b"\x08\x96\x01\x00\x00binary"})
    err = compile_with_python(snap, ["a.proto"]).errors[0]
    assert isinstance(err, ParseError)
    assert "NUL bytes" in err.detail and "binary" in err.detail
    assert (err.line, err.column) == (1, 4)


def test_empty_file_compiles_like_protoc(tmp_path: Path) -> None:
    snap = _write(tmp_path, {"empty.proto": b""})
    result = compile_with_python(snap, ["empty.proto"])
    assert not result.errors
    fd = result.files["empty.proto"].descriptor
    assert fd.name == "empty.proto" and not fd.message_type and not fd.HasField("syntax")


def test_not_imported_error_names_the_defining_file(tmp_path: Path) -> None:
    snap = _write(tmp_path, {"a.proto": P3 + "package p;\nmessage A {}\n",
                             "b.proto": P3 + "package p;\nmessage B { A a = 1; }\n"})
    err = compile_with_python(snap, ["a.proto", "b.proto"]).errors[0]
    assert err.tip is not None and "a.proto" in err.tip and "not imported" in err.tip


def test_good_files_still_compile_next_to_a_bad_one(tmp_path: Path) -> None:
    snap = _write(tmp_path, {"bad.proto": P3 + "message {\n", "good.proto": P3 + "message G {}\n"})
    result = compile_with_python(snap, ["bad.proto", "good.proto"])
    assert "good.proto" in result.files and "bad.proto" not in result.files
    assert [e.path for e in result.errors] == ["bad.proto"]


def test_misspellings_get_a_did_you_mean_tip(tmp_path: Path) -> None:
    snap = _write(tmp_path, {"a.proto": P3 + "message Order {}\nmessage B {\n  strin name = 1;\n  Ordr o = 2;\n}\n",
                             "b.proto": P3 + "message C { int32 x = 1 [deprecatd = true]; }\n"})
    errors = {e.path: e for e in compile_with_python(snap, ["a.proto", "b.proto"]).errors}
    assert errors["a.proto"].tip == 'did you mean "string"?'
    assert errors["b.proto"].tip == 'did you mean "deprecated"?'
    snap = _write(tmp_path, {"a.proto": P3 + "message Order {}\nmessage B {\n  Ordr o = 2;\n}\n"})
    assert compile_with_python(snap, ["a.proto"]).errors[0].tip == 'did you mean "Order"?'
