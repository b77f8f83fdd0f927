"""The shallow compile (the default): targets linked exactly as a full compile links them,
direct and public imports only declared, errors exactly those of a full compile."""

from __future__ import annotations

from pathlib import Path

import pytest

from schemacheck.formats.protobuf.compiler import clear_cache, compile_with_python
from schemacheck.formats.protobuf.import_scan import scan_imports
from schemacheck.snapshot import DirectorySnapshot

CHAIN = {
    "a.proto": 'syntax = "proto3";\npackage p;\nimport "b.proto";\nmessage A { B b = 1; p.B.Kind k = 2; }\n',
    "b.proto": 'syntax = "proto3";\npackage p;\nimport "c.proto";\nmessage B { C c = 1; enum Kind { K0 = 0; } }\n',
    "c.proto": 'syntax = "proto3";\npackage p;\nimport "d.proto";\nmessage C { D d = 1; }\n',
    "d.proto": 'syntax = "proto3";\npackage p;\nmessage D { int32 x = 1; }\n',
}


def _write(root: Path, files: dict[str, str]) -> DirectorySnapshot:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    clear_cache()
    return DirectorySnapshot(root)


def _bytes(result, name: str) -> bytes:
    return result.files[name].descriptor.SerializeToString(deterministic=True)


def test_target_is_identical_and_only_direct_imports_are_loaded(tmp_path: Path) -> None:
    snap = _write(tmp_path, CHAIN)
    full = compile_with_python(snap, ["a.proto"], closure="full")
    clear_cache()
    shallow = compile_with_python(snap, ["a.proto"])
    assert not full.errors and not shallow.errors
    assert sorted(full.files) == ["a.proto", "b.proto", "c.proto", "d.proto"]
    assert sorted(shallow.files) == ["a.proto", "b.proto"]
    assert _bytes(shallow, "a.proto") == _bytes(full, "a.proto")
    b = shallow.files["b.proto"].descriptor  # declared: names right, field types as written
    assert b.message_type[0].name == "B" and b.message_type[0].enum_type[0].value[0].name == "K0"
    assert b.message_type[0].field[0].type_name == "C"
    assert full.files["b.proto"].descriptor.message_type[0].field[0].type_name == ".p.C"


@pytest.mark.parametrize("deep", ['import "a.proto";', 'import "gone.proto";'])
def test_problems_deeper_than_the_visible_imports_are_not_walked_for(tmp_path: Path, deep: str) -> None:
    """A shallow compile reads the target and its visible imports only (a check of one file
    costs that file, not its import closure): a cycle or a missing import three files down is
    not the target's, and only a full compile reports it."""
    files = {**CHAIN, "d.proto": f'syntax = "proto3";\npackage p;\n{deep}\nmessage D {{ int32 x = 1; }}\n'}
    snap = _write(tmp_path, files)
    shallow = compile_with_python(snap, ["a.proto"])
    assert not shallow.errors and sorted(shallow.files) == ["a.proto", "b.proto"]
    assert compile_with_python(snap, ["a.proto"], closure="full").errors


def test_public_imports_of_imports_are_declared(tmp_path: Path) -> None:
    files = dict(CHAIN)
    files["b.proto"] = 'syntax = "proto3";\npackage p;\nimport public "c.proto";\nmessage B { enum Kind { K0 = 0; } }\n'
    files["a.proto"] = 'syntax = "proto3";\npackage p;\nimport "b.proto";\nmessage A { C c = 1; B.Kind k = 2; }\n'
    snap = _write(tmp_path, files)
    shallow = compile_with_python(snap, ["a.proto"])
    full = compile_with_python(snap, ["a.proto"], closure="full")
    assert not shallow.errors
    assert sorted(shallow.files) == ["a.proto", "b.proto", "c.proto"]
    assert _bytes(shallow, "a.proto") == _bytes(full, "a.proto")


@pytest.mark.parametrize("change, expected", [
    ({"b.proto": 'syntax = "proto3";\npackage p;\nimport "a.proto";\nmessage B { enum Kind { K0 = 0; } }\n'},
     "cycle"),
    ({"b.proto": 'syntax = "proto3";\npackage p;\nimport "gone.proto";\nmessage B { enum Kind { K0 = 0; } }\n'},
     "gone.proto"),
    ({"b.proto": 'syntax = "proto3";\npackage p;\nimport "c.proto";\nmessage B { C c = 1 }\n'}, "expected"),
    ({"b.proto": 'syntax = "proto3";\npackage p;\nimport "c.proto";\nmessage B { C c = 1; }\nmessage D {}\n'},
     "already defined"),
    ({"a.proto": 'syntax = "proto3";\npackage p;\nimport "b.proto";\nmessage A { B b = 1; D d = 2; }\n'},
     "unknown type"),  # the tip names d.proto, which only a full compile has loaded
])
def test_errors_are_those_of_a_full_compile(tmp_path: Path, change: dict[str, str], expected: str) -> None:
    """Errors in what the target sees (its imports and their declarations) read exactly as a full
    compile's; a cycle or missing import deeper in an unchanged file's graph is not looked for
    (the shallow key reads no import closure): see the test below."""
    snap = _write(tmp_path, {**CHAIN, **change})
    full = compile_with_python(snap, ["a.proto"], closure="full")
    clear_cache()
    shallow = compile_with_python(snap, ["a.proto"])
    assert full.errors and expected in str(full.errors[0])
    assert [str(e) for e in shallow.errors] == [str(e) for e in full.errors]
    assert [(e.line, e.column, e.tip) for e in shallow.errors] == [(e.line, e.column, e.tip) for e in full.errors]
    if expected == "unknown type":
        assert "d.proto" in (shallow.errors[0].tip or "")


OPTIONS = {
    "a.proto": 'syntax = "proto3";\npackage p;\nimport "opt.proto";\n'
               'message A { int32 x = 1 [(p.rule) = { kind: K_TWO, limit: 3 }]; }\n',
    "opt.proto": 'syntax = "proto3";\npackage p;\nimport "google/protobuf/descriptor.proto";\nimport "types.proto";\n'
                 'extend google.protobuf.FieldOptions { Rule rule = 50001; }\n',
    "types.proto": 'syntax = "proto3";\npackage p;\nimport "kinds.proto";\nmessage Rule { Kind kind = 1; int32 limit = 2; }\n',
    "kinds.proto": 'syntax = "proto3";\npackage p;\nenum Kind { K_ZERO = 0; K_ONE = 1; K_TWO = 2; }\n',
}


def test_custom_options_link_their_definitions_on_demand(tmp_path: Path) -> None:
    snap = _write(tmp_path, OPTIONS)
    shallow = compile_with_python(snap, ["a.proto"])
    full = compile_with_python(snap, ["a.proto"], closure="full")
    assert not shallow.errors, shallow.errors
    assert _bytes(shallow, "a.proto") == _bytes(full, "a.proto")


def test_a_change_deep_in_an_option_type_is_not_served_from_the_cache(tmp_path: Path) -> None:
    snap = _write(tmp_path, OPTIONS)
    before = _bytes(compile_with_python(snap, ["a.proto"]), "a.proto")
    (tmp_path / "kinds.proto").write_text('syntax = "proto3";\npackage p;\nenum Kind { K_ZERO = 0; K_ONE = 1; K_TWO = 7; }\n')
    after = compile_with_python(DirectorySnapshot(tmp_path), ["a.proto"])  # same process: in-memory cache warm
    assert not after.errors
    clear_cache()
    fresh = compile_with_python(DirectorySnapshot(tmp_path), ["a.proto"], closure="full")
    assert _bytes(after, "a.proto") == _bytes(fresh, "a.proto") != before


def test_targets_importing_each_other_are_all_linked(tmp_path: Path) -> None:
    snap = _write(tmp_path, CHAIN)
    shallow = compile_with_python(snap, ["a.proto", "c.proto"])
    full = compile_with_python(snap, ["a.proto", "c.proto"], closure="full")
    assert not shallow.errors
    assert sorted(shallow.files) == ["a.proto", "b.proto", "c.proto", "d.proto"]
    for name in ("a.proto", "c.proto"):
        assert _bytes(shallow, name) == _bytes(full, name)


def test_edition_2024_import_is_linked_for_its_visibility_options(tmp_path: Path) -> None:
    files = {
        "a.proto": 'edition = "2024";\npackage p;\nimport "b.proto";\nmessage A { B.Inner i = 1; }\n',
        "b.proto": 'edition = "2024";\npackage p;\noption features.default_symbol_visibility = EXPORT_ALL;\n'
                   'message B { message Inner { int32 x = 1; } }\n',
    }
    snap = _write(tmp_path, files)
    full = compile_with_python(snap, ["a.proto"], closure="full")
    shallow = compile_with_python(snap, ["a.proto"])
    assert not full.errors, full.errors
    assert not shallow.errors, shallow.errors
    assert _bytes(shallow, "a.proto") == _bytes(full, "a.proto")


def test_unknown_closure_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        compile_with_python(_write(tmp_path, CHAIN), ["a.proto"], closure="deep")


@pytest.mark.parametrize("text, expected", [
    (b'syntax = "proto3";\nimport "a.proto";\nimport public "b.proto";\nimport weak "w.proto";\n'
     b'import option "o.proto";\n', (("a.proto", "b.proto", "w.proto"), ("o.proto",))),
    (b'syntax = "proto3";\n// import "no.proto";\n/* import "no2.proto"; */\nimport "a.proto";\n'
     b'message M { string s = 1 [default = "; import \\"x.proto\\";"]; }\n', (("a.proto",), ())),
    (b"\xef\xbb\xbfimport 'a.proto';", None),  # single quotes: not plain, parse instead
    (b'syntax = "proto2";\nmessage M { optional int32 import = 1; }\n', None),
    (b'import "a" ".proto";\n', None),
    (b'import "a\\x2eproto";\n', None),
    (b'syntax = "proto3";\nmessage M {}\n', ((), ())),
])
def test_import_scan_is_exact_or_declines(text: bytes, expected) -> None:
    assert scan_imports(text) == expected


def test_checker_image_sees_declared_imports_by_full_name(tmp_path: Path) -> None:
    from schemacheck.compat.protobuf.checker import build_image

    files = dict(CHAIN)
    files["b.proto"] = ('syntax = "proto3";\npackage p;\nimport "c.proto";\n'
                        'message B { C c = 1; enum Kind { K0 = 0; K1 = 1; } }\nenum Top { TOP_ZERO = 0; }\n')
    snap = _write(tmp_path, files)
    image, errors = build_image(snap, ["a.proto"], sorted(files), ("",))
    assert not errors
    assert image.targets == frozenset({"a.proto"})
    assert [v.name for v in image.enums["p.B.Kind"].proto.value] == ["K0", "K1"]
    assert image.enums["p.Top"].file.path == "b.proto"
    assert "p.B" in image.messages and "p.C" not in image.messages  # c.proto: not imported by a target
    assert image.package_of("c.proto") == "p"  # still known to package rules (scanned)
