"""Differential fuzzing: random valid .proto file sets compile identically with both back ends.

``protogen`` (shared with the buf fuzz test) draws proto2/proto3/editions files with
messages, enums, oneofs, reserved ranges, options and services, and random mutations of
them; protoc is the oracle for every one. ``PROTO_FUZZ_EXAMPLES=500`` runs a longer
campaign (default 25 examples).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

pytest.importorskip("grpc_tools")
pytest.importorskip("hypothesis")

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from protogen import file_sets, mutate, write_tree  # noqa: E402

from schemacheck.formats.protobuf.compiler import compile_with_python  # noqa: E402
from schemacheck.formats.protobuf.protoc_backend import compile_with_protoc  # noqa: E402
from schemacheck.snapshot import DirectorySnapshot  # noqa: E402


def _same(root: Path, texts: dict[str, str]) -> None:
    paths = sorted(texts)
    want = compile_with_protoc(DirectorySnapshot(root), paths)
    got = compile_with_python(DirectorySnapshot(root), paths, closure="full")
    shallow = compile_with_python(DirectorySnapshot(root), paths)  # the default: targets linked alike
    assert not want.errors, f"protogen made an invalid file: {want.errors[0]}\n{texts}"
    assert not got.errors, f"{got.errors[0]}\n{texts}"
    assert not shallow.errors, f"{shallow.errors[0]}\n{texts}"
    for name, compiled in want.files.items():
        wanted = compiled.descriptor.SerializeToString(deterministic=True)
        assert got.files[name].descriptor.SerializeToString(deterministic=True) == wanted, f"{name} differs\n{texts}"
        if name in paths:
            assert shallow.files[name].descriptor.SerializeToString(deterministic=True) == wanted, \
                f"{name} differs (shallow)\n{texts}"


@settings(max_examples=int(os.environ.get("PROTO_FUZZ_EXAMPLES", "25")), deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_random_file_sets_match_protoc(data) -> None:
    base = data.draw(file_sets())
    head, _changes = data.draw(mutate(base))
    with tempfile.TemporaryDirectory() as tmp:
        for side, fs in (("base", base), ("head", head)):
            root = Path(tmp) / side
            _same(root, write_tree(root, fs))


_TOKENS = ('syntax = "proto3" ; package fz . v1 ; import "google/protobuf/empty.proto" ; '
           "option java_package = \"x\" ; message A { int32 a = 1 [ deprecated = true ] ; "
           "message B { } oneof o { string s = 2 ; } map < string , B > m = 3 ; reserved 9 to 11 ; } "
           "enum E { E_ZERO = 0 ; E_ONE = 1 [ deprecated = true ] ; } "
           "service S { rpc Go ( A ) returns ( google . protobuf . Empty ) { option deprecated = true ; } }").split()
_TRIVIA = st.sampled_from([" ", "\n", "\n\n", " // line\n", "// a\n// b\n", " /* blk */ ", "/* m\n * l */",
                           "\n/* d */\n\n", "\t", "  \n  // x\n\n"])


@settings(max_examples=int(os.environ.get("PROTO_FUZZ_EXAMPLES", "25")), deadline=None,
          suppress_health_check=list(HealthCheck))
@given(gaps=st.lists(_TRIVIA, min_size=len(_TOKENS) + 1, max_size=len(_TOKENS) + 1))
def test_comments_anywhere_attach_like_protoc(gaps: list[str]) -> None:
    text = "".join(gap + tok for gap, tok in zip(gaps, _TOKENS)) + gaps[-1]
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "c.proto").write_text(text)
        _same(root, {"c.proto": text})


_PIECES = st.sampled_from(_TOKENS + ["{", "}", ";", "=", "-", "1", "0x1F", "1.5e3", "'s'", '"\\x41"', "max",
                                     "optional", "repeated", "group", "extend", "extensions", "oneof", "map",
                                     "<", ">", "(", ")", "[", "]", ".", ",", "/*", "*/", "//", "\n", " ",
                                     "edition", '"2023"', "é", "\t", "\\", '"', "stream", "reserved"])


@settings(max_examples=int(os.environ.get("PROTO_FUZZ_EXAMPLES", "25")) * 4, deadline=None,
          suppress_health_check=list(HealthCheck))
@given(pieces=st.lists(_PIECES, max_size=60))
def test_garbage_never_crashes(pieces: list[str]) -> None:
    text = " ".join(pieces)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "g.proto").write_text(text)
        result = compile_with_python(DirectorySnapshot(root), ["g.proto"])
    for err in result.errors:
        assert "internal error" not in err.detail, f"{err}\n{text!r}"
        assert err.path == "g.proto" and "\n" not in err.message
