"""End-to-end checks from a user's seat: real git repositories in tmp dirs, the real CLI in a subprocess.

Maintainers: each test replays one scenario a first-time user ran by hand (QA pass of the
whole product). Tests marked ``xfail(strict=True)`` reproduce bugs that are still open: when a
fix lands the test starts passing, strict xfail turns that into a failure, and the marker must
be removed. Keep every test cheap (a few small files, one or two CLI runs).
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from gitrepo import GitRepo
from tools import buf_path, require

ORDER_V1 = """syntax = "proto3";
package shop.orders.v1;

import "google/protobuf/timestamp.proto";
import "shop/orders/v1/money.proto";

message Order {
  string id = 1;
  google.protobuf.Timestamp created_at = 2;
  int64 total_amount = 3;
  Money price = 4;
}
"""

MONEY = """syntax = "proto3";
package shop.orders.v1;

message Money {
  string currency = 1;
  int64 units = 2;
}
"""

ORDER_SCHEMA = """{
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "type": "object",
  "properties": {
    "id": {"type": "string"},
    "total_amount": {"type": "integer"},
    "price": {"$ref": "../common/money.json"}
  },
  "required": ["id", "total_amount"]
}
"""

MONEY_SCHEMA = """{
  "type": "object",
  "properties": {
    "currency": {"type": "string", "enum": ["EUR", "USD", "GBP"]},
    "units": {"type": "integer", "minimum": 0}
  },
  "required": ["currency"]
}
"""


def run_cli(cwd: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``python -m schemacheck ARGS`` in ``cwd`` with colour off and git isolated."""
    full_env = {key: value for key, value in GitRepo.env().items() if key != "FORCE_COLOR"}
    full_env.update({"NO_COLOR": "1", **(env or {})})
    return subprocess.run([sys.executable, "-m", "schemacheck", *args], cwd=cwd, env=full_env,
                          capture_output=True, text=True, timeout=120)


def fingerprint(repo: GitRepo) -> str:
    """Hash of everything a read-only tool must not change: status, stash, index, refs, files."""
    digest = hashlib.sha256()
    for args in (("status", "--porcelain=v2", "--untracked-files=all"), ("stash", "list"), ("for-each-ref",),
                 ("rev-parse", "HEAD")):
        digest.update(repo.run(*args, check=False).encode())
    git_dir = repo.root / ".git"
    if (git_dir / "index").exists():
        digest.update((git_dir / "index").read_bytes())
    for path in sorted(p for p in repo.root.rglob("*") if p.is_file() and ".git" not in p.relative_to(repo.root).parts):
        digest.update(str(path).encode() + path.read_bytes())
    return digest.hexdigest()


def assert_no_traceback(proc: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in proc.stderr and "Traceback" not in proc.stdout, proc.stderr


@pytest.fixture()
def shop(tmp_path: Path) -> GitRepo:
    """A protobuf + JSON Schema repo with spaces and non-ASCII in paths, one commit on main."""
    repo = GitRepo(tmp_path / "shop repo")
    repo.write("buf.yaml", "version: v2\nmodules:\n  - path: order api/proto\n")
    repo.write("order api/proto/shop/orders/v1/order.proto", ORDER_V1)
    repo.write("order api/proto/shop/orders/v1/money.proto", MONEY)
    repo.write("schemas/événements/order.schema.json", ORDER_SCHEMA)
    repo.write("schemas/common/money.json", MONEY_SCHEMA)
    repo.commit("v1")
    return repo


def test_total_amount_rename_in_every_mode_leaves_repo_untouched(shop: GitRepo) -> None:
    """The README scenario through --base, --staged, --head and detached HEAD; exit 1 and no side effects."""
    order = "order api/proto/shop/orders/v1/order.proto"
    shop.branch("rename")
    shop.write(order, ORDER_V1.replace("total_amount", "total_cents"))
    shop.write("schemas/événements/order.schema.json", ORDER_SCHEMA.replace("total_amount", "total_cents"))
    before = fingerprint(shop)
    work = run_cli(shop.root, "--base", "main", "--format", "json")
    assert work.returncode == 1, work.stderr
    rules = sorted((f["rule_id"], f["location"]["path"], f["location"]["line"], f["location"]["column"])
                   for f in json.loads(work.stdout)["findings"])
    assert rules == [("FIELD_SAME_JSON_NAME", order, 10, 3), ("FIELD_SAME_NAME", order, 10, 9),
                     ("PROPERTY_RENAMED", "schemas/événements/order.schema.json", 6, 5)]
    assert run_cli(shop.root, "--staged").returncode == 0  # nothing staged yet
    assert fingerprint(shop) == before
    shop.stage()
    staged_before = fingerprint(shop)
    assert run_cli(shop.root, "--staged").returncode == 1
    sub = run_cli(shop.root / "order api" / "proto", "--base", "main", ".")
    assert sub.returncode == 1 and "total_cents" in sub.stdout
    assert fingerprint(shop) == staged_before
    shop.run("commit", "-q", "-m", "rename")
    shop.run("checkout", "-q", "--detach", "HEAD")
    detached = fingerprint(shop)
    assert run_cli(shop.root, "--head", "HEAD").returncode == 1
    assert run_cli(shop.root, "--base", "main", "--head", "HEAD", "--format", "github").returncode == 1
    assert fingerprint(shop) == detached


def test_safe_change_exits_0(shop: GitRepo) -> None:
    """Adding a proto field, documenting a JSON Schema property and adding an optional one are safe.

    With the default JSON Schema mode (full, lenient) an optional property added to an open
    object passes; widening a bound would not (old readers reject the new values).
    """
    order = "order api/proto/shop/orders/v1/order.proto"
    shop.write(order, ORDER_V1.replace("  Money price = 4;\n", "  Money price = 4;\n  string note = 5;\n"))
    shop.write("schemas/événements/order.schema.json",
               ORDER_SCHEMA.replace('"id": {"type": "string"},', '"id": {"type": "string", "description": "Order id"},'))
    shop.write("schemas/common/money.json", MONEY_SCHEMA.replace(
        '"units": {"type": "integer", "minimum": 0}', '"units": {"type": "integer", "minimum": 0},\n    "nanos": {"type": "integer"}'))
    proc = run_cli(shop.root, "--base", "main")
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_shallow_clone_without_merge_base_is_a_one_line_error(shop: GitRepo, tmp_path: Path) -> None:
    shop.branch("feature")
    shop.write("order api/proto/shop/orders/v1/money.proto", MONEY.replace("int64 units", "int32 units"))
    shop.commit("narrow")
    clone = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "1", "--no-single-branch", "--branch", "feature",
                    f"file://{shop.root}", str(clone)], check=True, env=GitRepo.env())
    proc = run_cli(clone, "--base", "origin/main")
    assert proc.returncode == 2
    assert_no_traceback(proc)
    assert "shallow clone" in proc.stderr and proc.stderr.startswith("schemacheck: error: ")


def test_bad_inputs_exit_2_with_file_line_col(shop: GitRepo) -> None:
    shop.write("order api/proto/shop/orders/v1/bad.proto", 'syntax = "proto3";\nmessage Bad {\n  string x = ;\n}\n')
    shop.write("order api/proto/shop/orders/v1/bin.proto", b"\x00\x01\x02garbage")
    shop.write("schemas/broken.schema.json", '{"$schema": "https://json-schema.org/draft/2020-12/schema",\n "type": }\n')
    proc = run_cli(shop.root)
    assert proc.returncode == 2
    assert_no_traceback(proc)
    text = proc.stdout + proc.stderr  # input errors are part of the text report (stdout)
    assert "order api/proto/shop/orders/v1/bad.proto:3:14:" in text
    assert "order api/proto/shop/orders/v1/bin.proto:1:" in text
    assert "schemas/broken.schema.json:2:" in text


def test_change_only_in_referenced_json_file_is_checked(shop: GitRepo) -> None:
    shop.write("schemas/common/money.json", MONEY_SCHEMA.replace('"minimum": 0', '"minimum": 1'))
    proc = run_cli(shop.root)
    assert proc.returncode == 1, proc.stdout


def test_deleting_a_referenced_json_file_fails(shop: GitRepo) -> None:
    shop.delete("schemas/common/money.json")
    proc = run_cli(shop.root)
    assert proc.returncode != 0, proc.stdout


def test_dangling_local_ref_is_an_input_error(shop: GitRepo) -> None:
    shop.write("schemas/événements/order.schema.json",
               ORDER_SCHEMA.replace('"$ref": "../common/money.json"', '"$ref": "#/$defs/missing"'))
    proc = run_cli(shop.root)
    assert proc.returncode == 2, proc.stdout


def test_against_descriptor_set_from_repo_root_with_buf_yaml(shop: GitRepo, tmp_path: Path) -> None:
    out = tmp_path / "order.binpb"
    proto_root = shop.root / "order api" / "proto"
    made = run_cli(proto_root, "descriptor", "shop/orders/v1/order.proto", "-o", str(out))
    assert made.returncode == 0, made.stderr
    shop.write("order api/proto/shop/orders/v1/order.proto", ORDER_V1.replace("total_amount", "total_cents"))
    assert run_cli(proto_root, ".", "--against", str(out)).returncode == 1  # from the import root: found
    proc = run_cli(shop.root, ".", "--against", str(out))
    assert proc.returncode == 1, proc.stdout


def test_tab_indented_field_columns_point_at_the_type(tmp_path: Path) -> None:
    repo = GitRepo(tmp_path / "tabs")
    repo.write("a.proto", 'syntax = "proto3";\npackage t;\nmessage A {\n\tint32 count = 1;\n}\n')
    repo.commit("v1")
    repo.write("a.proto", 'syntax = "proto3";\npackage t;\nmessage A {\n\tint64 count = 1;\n}\n')
    proc = run_cli(repo.root, "--format", "sarif")
    assert proc.returncode == 1
    run = json.loads(proc.stdout)["runs"][0]
    region = run["results"][0]["locations"][0]["physicalLocation"]["region"]
    line = "\tint64 count = 1;"
    assert run.get("columnKind", "utf16CodeUnits") in ("unicodeCodePoints", "utf16CodeUnits")
    assert line[region["startColumn"] - 1:region["endColumn"] - 1] == "int64", region


def test_nested_buf_yaml_module_from_its_directory(tmp_path: Path) -> None:
    repo = GitRepo(tmp_path / "nested")
    repo.write("svc/buf.yaml", "version: v2\nmodules:\n  - path: proto\n")
    repo.write("svc/proto/a/v1/b.proto", 'syntax = "proto3";\npackage a.v1;\nmessage B { string s = 1; }\n')
    repo.write("svc/proto/a/v1/a.proto",
               'syntax = "proto3";\npackage a.v1;\nimport "a/v1/b.proto";\nmessage A { B b = 1; int32 n = 2; }\n')
    repo.commit("v1")
    repo.write("svc/proto/a/v1/a.proto",
               'syntax = "proto3";\npackage a.v1;\nimport "a/v1/b.proto";\nmessage A { B b = 1; int64 n = 2; }\n')
    proc = run_cli(repo.root / "svc")
    assert proc.returncode == 1, proc.stdout + proc.stderr


def test_typo_in_path_argument_is_an_error(shop: GitRepo) -> None:
    proc = run_cli(shop.root, "--base", "main", "order api/proto/shop/orders/v1/ordr.proto")
    assert proc.returncode == 2, proc.stdout


@pytest.mark.buf
def test_same_findings_as_buf_on_a_wire_json_module(tmp_path: Path) -> None:
    """buf.yaml `breaking: use: [WIRE_JSON]`: schemacheck and buf agree on rule, file, line and column."""
    buf = require(buf_path(), "buf")
    repo = GitRepo(tmp_path / "cmp")
    repo.write("buf.yaml", "version: v2\nmodules:\n  - path: proto\nbreaking:\n  use: [WIRE_JSON]\n")
    old = ('syntax = "proto3";\npackage acme.v1;\nimport "google/protobuf/timestamp.proto";\n'
           'message Thing {\n  string id = 1;\n  int32 size = 2;\n  oneof kind {\n    string a = 3;\n    int64 b = 4;\n  }\n'
           '  google.protobuf.Timestamp at = 5;\n  Color color = 6;\n}\n'
           'enum Color {\n  COLOR_UNSPECIFIED = 0;\n  COLOR_RED = 1;\n  COLOR_BLUE = 2;\n}\n'
           'service Things {\n  rpc Get(Thing) returns (Thing);\n}\n')
    repo.write("proto/acme/v1/svc.proto", old)
    repo.commit("v1")
    new = (old.replace("string id = 1", "string ident = 1").replace("int32 size", "sint32 size")
           .replace("  oneof kind {\n    string a = 3;", "  string a = 3;\n  oneof kind {")
           .replace("  COLOR_BLUE = 2;\n", "").replace("returns (Thing)", "returns (stream Thing)"))
    repo.write("proto/acme/v1/svc.proto", new)
    proc = run_cli(repo.root, "--format", "json")
    assert proc.returncode == 1, proc.stderr
    ours = sorted((f["rule_id"], f["location"]["path"] if f["location"] else None,
                   f["location"]["line"] if f["location"] else None, f["location"]["column"] if f["location"] else None)
                  for f in json.loads(proc.stdout)["findings"])
    theirs_proc = subprocess.run([buf, "breaking", "--against", ".git#branch=main", "--error-format=json"],
                                 cwd=repo.root, capture_output=True, text=True, env=GitRepo.env(), timeout=120)
    theirs = sorted((f["type"], f.get("path"), f.get("start_line"), f.get("start_column"))
                    for f in map(json.loads, theirs_proc.stdout.splitlines()))
    assert len(ours) >= 6
    assert ours == theirs


def test_no_color_and_force_color(shop: GitRepo) -> None:
    shop.write("order api/proto/shop/orders/v1/money.proto", MONEY.replace("int64 units", "int32 units"))
    assert "\x1b[" not in run_cli(shop.root).stdout
    forced = run_cli(shop.root, env={"FORCE_COLOR": "1", "NO_COLOR": ""})
    assert "\x1b[" in forced.stdout
    both = run_cli(shop.root, env={"FORCE_COLOR": "1", "NO_COLOR": "1"})
    assert "\x1b[" not in both.stdout


def test_explicit_json_file_pair_against_is_checked(tmp_path: Path) -> None:
    (tmp_path / "old.json").write_text(MONEY_SCHEMA, encoding="utf-8")
    (tmp_path / "new.json").write_text(MONEY_SCHEMA.replace('"minimum": 0', '"minimum": 3'), encoding="utf-8")
    proc = run_cli(tmp_path, "new.json", "--against", "old.json")
    assert proc.returncode == 1, proc.stdout + proc.stderr


def test_index_file_untouched_when_stat_info_is_stale(shop: GitRepo) -> None:
    money = shop.root / "order api/proto/shop/orders/v1/money.proto"
    shop.write("order api/proto/shop/orders/v1/money.proto", MONEY.replace("int64 units", "int32 units"))
    index = shop.root / ".git" / "index"
    stat = money.stat()
    os.utime(shop.root / "buf.yaml", ns=(stat.st_atime_ns + 5_000_000_000, stat.st_mtime_ns + 5_000_000_000))
    before = index.read_bytes()
    for args in ((), ("--base", "main")):
        assert run_cli(shop.root, *args).returncode == 1
        assert index.read_bytes() == before, f"schemacheck {' '.join(args)} rewrote .git/index"


def test_allof_items_pattern_added_is_named_correctly(tmp_path: Path) -> None:
    (tmp_path / "old").mkdir()
    (tmp_path / "new").mkdir()
    head = '{"$schema": "http://json-schema.org/draft-07/schema#", "allOf": [{"type": "array"}, {"items": '
    (tmp_path / "old" / "t.schema.json").write_text(head + '{"type": "string"}}]}', encoding="utf-8")
    (tmp_path / "new" / "t.schema.json").write_text(head + '{"type": "string", "pattern": "^[a-z]+$"}}]}',
                                                    encoding="utf-8")
    proc = run_cli(tmp_path, "new", "--against", "old", "--format", "json")
    assert proc.returncode == 1
    assert [f["rule_id"] for f in json.loads(proc.stdout)["findings"]] == ["PATTERN_ADDED"]


def test_non_ascii_before_field_columns_point_at_the_type(tmp_path: Path) -> None:
    (tmp_path / "old").mkdir()
    (tmp_path / "new").mkdir()
    line = "message A { /* prix en €€ */ int64 x = 1; }"
    (tmp_path / "old" / "a.proto").write_text(f'syntax = "proto3";\npackage u;\n{line.replace("int64", "int32")}\n',
                                              encoding="utf-8")
    (tmp_path / "new" / "a.proto").write_text(f'syntax = "proto3";\npackage u;\n{line}\n', encoding="utf-8")
    proc = run_cli(tmp_path, "new", "--against", "old", "--format", "sarif")
    assert proc.returncode == 1
    region = json.loads(proc.stdout)["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]
    assert line[region["startColumn"] - 1:region["endColumn"] - 1] == "int64", region
