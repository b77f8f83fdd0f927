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
    got = compile_with_python(DirectorySnapshot(root), paths)
    assert not want.errors, f"protogen made an invalid file: {want.errors[0]}\n{texts}"
    assert not got.errors, f"{got.errors[0]}\n{texts}"
    for name, compiled in want.files.items():
        assert got.files[name].descriptor.SerializeToString(deterministic=True) == \
            compiled.descriptor.SerializeToString(deterministic=True), f"{name} differs\n{texts}"


@settings(max_examples=int(os.environ.get("PROTO_FUZZ_EXAMPLES", "25")), deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_random_file_sets_match_protoc(data) -> None:
    base = data.draw(file_sets())
    head, _changes = data.draw(mutate(base))
    with tempfile.TemporaryDirectory() as tmp:
        for side, fs in (("base", base), ("head", head)):
            root = Path(tmp) / side
            _same(root, write_tree(root, fs))
