"""The protoc back end (test oracle and fallback): error reporting and overlapping roots."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("grpc_tools")

from schemacheck.formats.protobuf.protoc_backend import _first_error, compile_with_protoc  # noqa: E402
from schemacheck.snapshot import DirectorySnapshot  # noqa: E402


def _write(root: Path, files: dict[str, str]) -> DirectorySnapshot:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return DirectorySnapshot(root)


def test_an_unused_import_warning_does_not_hide_the_error(tmp_path: Path) -> None:
    snap = _write(tmp_path, {
        "unused.proto": 'syntax = "proto3";\npackage u;\nmessage U {}\n',
        "a.proto": 'syntax = "proto3";\npackage p;\nimport "unused.proto";\nmessage A {\n  Missing m = 1;\n}\n',
    })
    result = compile_with_protoc(snap, ["a.proto"])
    assert len(result.errors) == 1
    err = result.errors[0]
    assert (err.path, err.line) == ("a.proto", 5), err
    assert "Missing" in err.detail and "warning" not in err.detail.lower()


def test_warning_lines_are_skipped_when_picking_the_error() -> None:
    # protoc prints warnings in the same ``file:line:col:`` form, sometimes before the error.
    stderr = ('shop/order.proto:3:1: warning: Import shop/unused.proto is unused.\n'
              'shop/order.proto:7:3: "Missing" is not defined.\n')
    match = _first_error(stderr)
    assert match is not None and (match["line"], match["msg"]) == ("7", '"Missing" is not defined.')
    assert _first_error('a.proto:1:1: warning: Import b.proto is unused.\n') is None


def test_a_file_under_two_roots_is_found_through_either(tmp_path: Path) -> None:
    # Roots "" and "proto": proto/shop/order.proto is both "proto/shop/order.proto" and
    # "shop/order.proto"; the target names it by the second root, as `protoc -I. -Iproto` allows.
    snap = _write(tmp_path, {
        "proto/shop/order.proto": 'syntax = "proto3";\npackage shop;\nmessage Order {}\n',
        "api/checkout.proto": 'syntax = "proto3";\npackage api;\nimport "shop/order.proto";\n'
                              'message Checkout { shop.Order order = 1; }\n',
    })
    result = compile_with_protoc(snap, ["api/checkout.proto"], roots=("", "proto"))
    assert not result.errors, result.errors
    assert result.files["shop/order.proto"].path == "proto/shop/order.proto"
    assert result.files["api/checkout.proto"].descriptor.message_type[0].field[0].type_name == ".shop.Order"
