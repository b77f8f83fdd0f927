"""``--against`` a released image (FileDescriptorSet / buf image) instead of sources."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from schemacheck.errors import ParseError
from schemacheck.formats.protobuf.image_input import DescriptorSetSnapshot, looks_like_descriptor_set
from schemacheck.runner import CheckRequest, run_check
from schemacheck.snapshot import DirectorySnapshot

BEFORE = """syntax = "proto3";
package shop.v1;
import "google/protobuf/timestamp.proto";
message Order {
  string id = 1;
  int64 total_amount = 2;
  google.protobuf.Timestamp created_at = 3;
}
"""
AFTER = BEFORE.replace("total_amount", "total_cents")


def _image(tmp_path: Path, text: str) -> Path:
    src = tmp_path / "src"
    src.mkdir()
    (src / "order.proto").write_text(text)
    from schemacheck.formats.protobuf.protoc_backend import protoc_include_dir

    out = tmp_path / "release.binpb"
    subprocess.run([sys.executable, "-m", "grpc_tools.protoc", f"-I{src}", f"-I{protoc_include_dir()}",
                    "--include_imports", "--include_source_info", f"--descriptor_set_out={out}", "order.proto"],
                   check=True)
    return out


def test_image_as_base_finds_the_rename(tmp_path: Path) -> None:
    image = _image(tmp_path, BEFORE)
    head = tmp_path / "head"
    head.mkdir()
    (head / "order.proto").write_text(AFTER)
    assert looks_like_descriptor_set(image)
    result = run_check(CheckRequest(DescriptorSetSnapshot(image), DirectorySnapshot(head)))
    got = {(f.rule_id, f.location.line, f.location.column) for f in result.findings if f.location}
    assert ("FIELD_SAME_NAME", 6, 9) in got
    assert ("FIELD_SAME_JSON_NAME", 6, 3) in got
    assert not result.diagnostics


def test_image_identical_to_head_is_clean(tmp_path: Path) -> None:
    image = _image(tmp_path, BEFORE)
    head = tmp_path / "head"
    head.mkdir()
    (head / "order.proto").write_text(BEFORE)
    result = run_check(CheckRequest(DescriptorSetSnapshot(image), DirectorySnapshot(head)))
    assert result.findings == ()


def test_garbage_image_is_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.binpb"
    bad.write_bytes(b"\xff\xff\xff not a descriptor set")
    with pytest.raises(ParseError, match="not a FileDescriptorSet"):
        DescriptorSetSnapshot(bad)
