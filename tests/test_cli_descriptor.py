"""``schemacheck descriptor``: a FileDescriptorSet equal to protoc's, imports first, with source info."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest
from google.protobuf import descriptor_pb2

from schemacheck.cli import main

MONEY = 'syntax = "proto3";\npackage shop.v1;\nmessage Money {\n  int64 cents = 1;\n}\n'
ORDER = ('syntax = "proto3";\npackage shop.v1;\nimport "shop/v1/money.proto";\n'
         'import "google/protobuf/timestamp.proto";\n'
         '// An order.\nmessage Order {\n  Money total = 1;\n  google.protobuf.Timestamp at = 2;\n}\n')


@pytest.fixture(autouse=True)
def _proto_backend(monkeypatch: pytest.MonkeyPatch) -> None:
    if importlib.util.find_spec("schemacheck.formats.protobuf.compiler") is None:
        monkeypatch.setenv("SCHEMACHECK_PROTO_PARSER", "protoc")


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "proto/shop/v1").mkdir(parents=True)
    (tmp_path / "proto/shop/v1/money.proto").write_text(MONEY)
    (tmp_path / "proto/shop/v1/order.proto").write_text(ORDER)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _protoc_set(tree: Path) -> descriptor_pb2.FileDescriptorSet:
    import grpc_tools

    include = Path(grpc_tools.__file__).parent / "_proto"
    out = tree / "protoc.binpb"
    subprocess.run([sys.executable, "-m", "grpc_tools.protoc", f"-I{tree / 'proto'}", f"-I{include}",
                    "--include_imports", "--include_source_info", f"--descriptor_set_out={out}",
                    "shop/v1/order.proto"], check=True, cwd=tree)
    return descriptor_pb2.FileDescriptorSet.FromString(out.read_bytes())


def test_descriptor_set_matches_protoc(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["descriptor", "proto/shop/v1/order.proto", "--root", "proto", "-o", "out.binpb"]) == 0
    fds = descriptor_pb2.FileDescriptorSet.FromString((tree / "out.binpb").read_bytes())
    names = [f.name for f in fds.file]
    assert set(names) == {"shop/v1/order.proto", "shop/v1/money.proto", "google/protobuf/timestamp.proto"}
    assert names[-1] == "shop/v1/order.proto"  # dependencies come first
    order = fds.file[-1]
    assert order.source_code_info.location and order.message_type[0].field[0].type_name == ".shop.v1.Money"
    expected = {f.name: f for f in _protoc_set(tree).file}
    for f in fds.file:
        if not f.name.startswith("google/"):
            assert f == expected[f.name], f.name
    assert "wrote 3 file descriptor(s) to out.binpb" in capsys.readouterr().err


def test_descriptor_errors(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tree / "proto/bad.proto").write_text('syntax = "proto3";\nmessage {\n')
    assert main(["descriptor", "proto/bad.proto", "--root", "proto", "-o", "out.binpb"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("schemacheck: error: ") and "bad.proto:2:" in err
    assert main(["descriptor", "nope.proto", "-o", "out.binpb"]) == 2
    assert "nope.proto: no such file" in capsys.readouterr().err
    assert main(["descriptor", "/etc/hosts", "-o", "out.binpb"]) == 2
    assert "must be inside the current directory" in capsys.readouterr().err
    assert main(["descriptor", "proto/shop/v1/money.proto"]) == 2  # -o is required
    assert not (tree / "out.binpb").exists()


def test_descriptor_set_as_the_old_side(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["descriptor", "proto/shop/v1/order.proto", "--root", "proto", "-o", "old.binpb"]) == 0
    order = tree / "proto/shop/v1/order.proto"
    order.write_text(ORDER.replace("Money total = 1;", "Money grand_total = 1;"))
    capsys.readouterr()
    code, out, _ = main(["proto", "--against", "old.binpb", "--format", "json"]), *capsys.readouterr()
    found = {(f["rule_id"], f["location"]["path"], f["location"]["line"]) for f in json.loads(out)["findings"]}
    assert code == 1 and ("FIELD_SAME_NAME", "shop/v1/order.proto", 7) in found
    (tree / "schemacheck.toml").write_text('[protobuf]\nroots = ["proto"]\n')  # roots from the configuration
    code, out, _ = main([".", "--against", "old.binpb", "--format", "json"]), *capsys.readouterr()
    assert code == 1 and any(f["location"]["path"] == "proto/shop/v1/order.proto" for f in json.loads(out)["findings"])
    order.write_text(ORDER)
    assert main([".", "--against", "old.binpb"]) == 0
    (tree / "schemacheck.toml").unlink()
    code, _, err = main(["proto/shop/v1/order.proto", "--against", "old.binpb"]), *capsys.readouterr()
    assert code == 2 and "PATH must be the directory" in err
