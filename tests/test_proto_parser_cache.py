"""The in-process cache of linked files never serves a stale result.

A linked file is cached under its import name, the import roots and the blob ids of itself
and of everything it imports; changing any of those must recompile it.
"""

from __future__ import annotations

from pathlib import Path

from schemacheck.formats.protobuf.compiler import clear_cache, compile_with_python, descriptor_set
from schemacheck.snapshot import DirectorySnapshot

P3 = 'syntax = "proto3";\npackage p;\n'


def _tree(root: Path, files: dict[str, str]) -> DirectorySnapshot:
    for name, text in files.items():
        dest = root / name
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_text(text)
    return DirectorySnapshot(root)


def test_unchanged_files_reuse_the_cached_descriptor(tmp_path: Path) -> None:
    clear_cache()
    snap = _tree(tmp_path, {"a.proto": P3 + "message A { int32 x = 1; }\n"})
    first = compile_with_python(snap, ["a.proto"]).files["a.proto"].descriptor
    second = compile_with_python(DirectorySnapshot(tmp_path), ["a.proto"]).files["a.proto"].descriptor
    assert first is second


def test_changing_an_import_recompiles_the_importer(tmp_path: Path) -> None:
    clear_cache()
    _tree(tmp_path, {"dep.proto": P3 + "message T { int32 x = 1; }\n",
                     "user.proto": P3 + 'import "dep.proto";\nmessage U { T t = 1; }\n'})
    before = compile_with_python(DirectorySnapshot(tmp_path), ["user.proto"])
    assert before.files["user.proto"].descriptor.message_type[0].field[0].type_name == ".p.T"
    (tmp_path / "dep.proto").write_text(P3 + "enum T { T_ZERO = 0; }\n")
    after = compile_with_python(DirectorySnapshot(tmp_path), ["user.proto"])
    field = after.files["user.proto"].descriptor.message_type[0].field[0]
    assert field.type == field.TYPE_ENUM


def test_other_roots_are_a_different_compile(tmp_path: Path) -> None:
    clear_cache()
    _tree(tmp_path, {"one/x.proto": P3 + "message X {}\n", "two/x.proto": P3 + "message Y {}\n",
                     "user.proto": P3 + 'import "x.proto";\nmessage U { X x = 1; }\n'})
    ok = compile_with_python(DirectorySnapshot(tmp_path), ["user.proto"], roots=("", "one"))
    assert not ok.errors
    bad = compile_with_python(DirectorySnapshot(tmp_path), ["user.proto"], roots=("", "two"))
    assert bad.errors and "unknown type \"X\"" in bad.errors[0].detail


def test_descriptor_set_accepts_paths_and_import_names(tmp_path: Path) -> None:
    clear_cache()
    snap = _tree(tmp_path, {"protos/dep.proto": P3 + "message T {}\n",
                            "protos/user.proto": P3 + 'import "dep.proto";\nmessage U { T t = 1; }\n'})
    result = compile_with_python(snap, ["protos/user.proto"], roots=("protos",))
    by_path = descriptor_set(result, ["protos/user.proto"])
    by_name = descriptor_set(result, ["user.proto"])
    assert [f.name for f in by_path.file] == [f.name for f in by_name.file] == ["dep.proto", "user.proto"]
    assert result.files["dep.proto"].path == "protos/dep.proto"


def test_parallel_parsing_gives_the_same_descriptors(tmp_path: Path, monkeypatch) -> None:
    from schemacheck.formats.protobuf.parallel import MIN_FILES

    clear_cache()
    files = {"opts.proto": P3 + 'import "google/protobuf/descriptor.proto";\n'
                           "extend google.protobuf.FieldOptions { bool secret = 50000; }\n"}
    for i in range(MIN_FILES + 2):
        dep = f'import "f{i - 1}.proto";\n' if i else ""
        prev = f"  M{i - 1} prev = 3;\n" if i else ""
        files[f"f{i}.proto"] = (P3 + dep + 'import "opts.proto";\n'
                                f"// M{i} doc\nmessage M{i} {{\n  string s = 1 [(secret) = true];\n"
                                f"  map<string, M{i}> kids = 2;\n{prev}  oneof o {{ int32 n = 4; }}\n}}\n"
                                f"service S{i} {{ rpc Go(M{i}) returns (M{i}); }}\n")
    files["broken.proto"] = P3 + "message {\n"
    snap = _tree(tmp_path, files)
    targets = sorted(files)
    serial = compile_with_python(snap, targets)
    clear_cache()
    monkeypatch.setenv("SCHEMACHECK_PROTO_JOBS", "2")
    parallel = compile_with_python(DirectorySnapshot(tmp_path), targets)
    assert [str(e) for e in parallel.errors] == [str(e) for e in serial.errors]
    assert sorted(parallel.files) == sorted(serial.files)
    for name, compiled in serial.files.items():
        assert parallel.files[name].descriptor.SerializeToString(deterministic=True) == \
            compiled.descriptor.SerializeToString(deterministic=True), name
