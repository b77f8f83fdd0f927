"""Throughput of the pure-Python protobuf compiler on a generated, realistic monorepo.

``generate_monorepo`` writes packages of proto3 files that import each other and the
well-known types, with comments, maps, oneofs, enums, options and services. The test
compiles a small tree and checks a sample against protoc; it asserts no speed (benchmarks are
not timed tests). Run this module directly for the full benchmark:

    python tests/test_proto_parser_speed.py [N_FILES]

which also times ``buf build`` on the same tree when buf is installed.
"""

from __future__ import annotations

import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from schemacheck.formats.protobuf.compiler import clear_cache, compile_with_python
from schemacheck.snapshot import DirectorySnapshot

ANNOTATIONS = """syntax = "proto3";
package acme.api;
import "google/protobuf/descriptor.proto";

message HttpRule {
  oneof pattern { string get = 2; string put = 3; string post = 4; string delete = 5; }
  string body = 7;
}
extend google.protobuf.MethodOptions { HttpRule http = 72295728; }
extend google.protobuf.FieldOptions { bool sensitive = 72295729; }
"""
SCALARS = ["int32", "int64", "string", "bool", "bytes", "double", "uint32", "fixed64"]


def generate_monorepo(root: Path, count: int, seed: int = 7) -> list[str]:
    """Write ``count`` files under ``root``; returns their relative paths."""
    rng = random.Random(seed)
    paths = []
    (root / "acme/api").mkdir(parents=True, exist_ok=True)
    (root / "acme/api/annotations.proto").write_text(ANNOTATIONS)
    for i in range(count):
        pkg_dir = f"acme/svc{i // 50}/v1"
        (root / pkg_dir).mkdir(parents=True, exist_ok=True)
        imports = [f"{pkg_dir}/file{i - 1}.proto"] if i % 50 else []
        out = ['syntax = "proto3";', "", f"package acme.svc{i // 50}.v1;", ""]
        out += [f'import "{imp}";' for imp in imports + ["google/protobuf/timestamp.proto", "acme/api/annotations.proto"]]
        out += ["", f'option go_package = "example.com/acme/svc{i // 50}/v1;v1";', ""]
        for m in range(8):
            out += [f"// Msg{i}_{m} is a message with several fields.", "// It has a two-line comment.",
                    f"message Msg{i}_{m} {{"]
            for f in range(1, 11):
                label = "repeated " if f % 5 == 0 else ""
                opt = " [(acme.api.sensitive) = true]" if f == 3 else ""
                out += [f"  // field {f} doc", f"  {label}{rng.choice(SCALARS)} field_{f}_name = {f}{opt}; // trailing"]
            out.append("  google.protobuf.Timestamp created_at = 11;")
            if imports:
                out.append(f"  Msg{i - 1}_0 prev = 12;")
            out += ["  map<string, int64> counts = 13;", "  oneof kind { string a = 14; int32 b = 15; }",
                    "  enum State { STATE_UNSPECIFIED = 0; STATE_ON = 1; STATE_OFF = 2; }",
                    "  State state = 16 [deprecated = true];", "  reserved 100 to 110;", "}", ""]
        out.append(f"service Svc{i} {{")
        for r in range(3):
            out += [f"  // Rpc {r}", f"  rpc Do{r}(Msg{i}_0) returns (Msg{i}_{r + 1}) {{",
                    f'    option (acme.api.http) = {{ post: "/v1/svc{i}/do{r}" body: "*" }};', "  }"]
        out.append("}")
        rel = f"{pkg_dir}/file{i}.proto"
        (root / rel).write_text("\n".join(out) + "\n")
        paths.append(rel)
    return paths


@pytest.fixture(autouse=True)
def _no_disk_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    """Cold means cold: no entries from an earlier run (see test_proto_parser_diskcache.py)."""
    monkeypatch.setenv("SCHEMACHECK_NO_CACHE", "1")


def measure(root: Path, paths: list[str]) -> tuple[float, float, int]:
    """(wall seconds, CPU seconds, files compiled) for one cold compile."""
    clear_cache()
    wall, cpu = time.perf_counter(), time.process_time()
    result = compile_with_python(DirectorySnapshot(root), paths)
    assert not result.errors, result.errors[0]
    return time.perf_counter() - wall, time.process_time() - cpu, len(result.files)


def test_generated_monorepo_compiles_and_matches_protoc(tmp_path: Path) -> None:
    paths = generate_monorepo(tmp_path, 120)
    # Throughput is a benchmark (bench/proto_monorepo.py), not a timed test: under pytest-xdist
    # a worker's CPU time depends on what earlier tests left in its heap.
    _wall, _cpu, compiled = measure(tmp_path, paths)
    assert compiled == 123  # plus timestamp.proto, annotations.proto and descriptor.proto
    pytest.importorskip("grpc_tools")
    from schemacheck.formats.protobuf.protoc_backend import compile_with_protoc

    sample = [paths[0], paths[57], paths[119]]
    want = compile_with_protoc(DirectorySnapshot(tmp_path), sample)
    got = compile_with_python(DirectorySnapshot(tmp_path), sample, closure="full")
    for name, compiled_file in want.files.items():
        assert got.files[name].descriptor.SerializeToString(deterministic=True) == \
            compiled_file.descriptor.SerializeToString(deterministic=True), name
    shallow = compile_with_python(DirectorySnapshot(tmp_path), sample)  # targets identical, imports declared
    for path in sample:
        assert shallow.files[path].descriptor.SerializeToString(deterministic=True) == \
            want.files[path].descriptor.SerializeToString(deterministic=True), path
    assert set(shallow.files) < set(got.files)


def test_second_compile_of_unchanged_files_hits_the_cache(tmp_path: Path) -> None:
    paths = generate_monorepo(tmp_path, 60)
    _wall, cold, _ = measure(tmp_path, paths)
    start = time.process_time()
    again = compile_with_python(DirectorySnapshot(tmp_path), paths)
    warm = time.process_time() - start
    # Targets and what they import; descriptor.proto (needed only to interpret custom
    # options, which the cache hits skip) may be absent.
    assert not again.errors and set(paths) | {"acme/api/annotations.proto"} <= set(again.files)
    assert warm < cold / 2, (warm, cold)


def main(count: int) -> None:
    root = Path(tempfile.mkdtemp(prefix="schemacheck-bench-"))
    try:
        paths = generate_monorepo(root, count)
        wall, cpu, compiled = measure(root, paths)
        print(f"python: {count} files ({compiled} with imports) in {wall:.2f}s wall, {cpu:.2f}s CPU: "
              f"{count / wall:.0f} files/s wall, {count / cpu:.0f} files/s CPU")
        sys.path.insert(0, str(Path(__file__).parent))
        from tools import buf_path

        buf = buf_path()
        if buf:
            (root / "buf.yaml").write_text("version: v2\n")
            start = time.perf_counter()
            proc = subprocess.run([str(buf), "build", "-o", str(root / "out.binpb")], cwd=root,
                                  capture_output=True, text=True)
            print(f"buf build: {time.perf_counter() - start:.2f}s wall (exit {proc.returncode})")
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 2000)
