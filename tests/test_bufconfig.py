"""buf.yaml / buf.work.yaml compatibility: parsing, and the same findings as real buf on one repository."""

from __future__ import annotations

from pathlib import Path

import pytest

from bufrun import format_diff, key_of, load_differences, run_buf
from schemacheck.compat.protobuf.bufconfig import load_buf_config, parse_buf_yaml
from schemacheck.config import ProtobufSettings, Settings
from schemacheck.errors import ConfigError
from schemacheck.registry import load_rules
from schemacheck.runner import CheckRequest, run_check
from schemacheck.snapshot import DirectorySnapshot
from tools import buf_path, require

REGISTRY = load_rules()


def _snap(tmp_path: Path, files: dict[str, str]) -> DirectorySnapshot:
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    return DirectorySnapshot(tmp_path)


# ---------------------------------------------------------------- parsing


def test_v1_paths_are_relative_to_the_module(tmp_path: Path) -> None:
    snap = _snap(tmp_path, {
        "buf.work.yaml": "version: v1\ndirectories: [proto, vendor]\n",
        "proto/buf.yaml": ("version: v1\nbuild:\n  excludes: [tmp]\nbreaking:\n  use: [FIELD_SAME_NAME]\n"
                           "  ignore: [legacy]\n  ignore_only:\n    FIELD_SAME_NAME: [shop/v1/a.proto]\n"),
    })
    config = load_buf_config(snap)
    assert config is not None and config.source == "buf.work.yaml"
    proto = config.module_for("proto/shop/v1/a.proto")
    assert proto is not None and proto.path == "proto"
    assert proto.breaking.rules == {"FIELD_SAME_NAME"}
    assert proto.breaking.ignore == ("proto/legacy",)
    assert proto.breaking.ignore_only == ((frozenset({"FIELD_SAME_NAME"}), ("proto/shop/v1/a.proto",)),)
    assert config.module_for("proto/tmp/x.proto") is None  # excluded
    assert config.module_for("other/x.proto") is None
    vendor = config.module_for("vendor/google/api/http.proto")
    assert vendor is not None and vendor.breaking.rules == REGISTRY.expand(["FILE"], "protobuf") - {
        "EXTENSION_NO_DELETE", "PACKAGE_EXTENSION_NO_DELETE", "FIELD_SAME_DEFAULT"}
    assert config.roots() == ("proto", "vendor")


def test_v2_modules_with_overrides_includes_excludes(tmp_path: Path) -> None:
    snap = _snap(tmp_path, {"buf.yaml": """version: v2
modules:
  - path: proto
    excludes: [proto/internal]
  - path: api
    includes: [api/public]
    breaking:
      use: [WIRE]
      ignore_unstable_packages: true
breaking:
  use: [WIRE_JSON]
  except: [FIELD_SAME_JSON_NAME]
  ignore: [proto/legacy]
"""})
    config = load_buf_config(snap)
    assert config is not None and config.version == "v2"
    proto = config.module_for("proto/a.proto")
    assert proto is not None
    assert proto.breaking.rules == REGISTRY.expand(["WIRE_JSON"], "protobuf") - {"FIELD_SAME_JSON_NAME"}
    assert proto.breaking.ignore == ("proto/legacy",)  # v2: relative to buf.yaml, not to the module
    api = config.module_for("api/public/b.proto")
    assert api is not None and api.breaking.rules == REGISTRY.expand(["WIRE"], "protobuf")
    assert api.breaking.ignore == () and api.breaking.ignore_unstable_packages
    assert config.module_for("api/private/c.proto") is None
    assert config.module_for("proto/internal/d.proto") is None
    assert set(config.roots()) == {"proto", "api"}


def test_v1beta1_roots(tmp_path: Path) -> None:
    snap = _snap(tmp_path, {"buf.yaml": "version: v1beta1\nbuild:\n  roots: [src, third_party]\nbreaking:\n"
                                        "  use: [WIRE]\n  ignore: [shop/v1/old.proto]\n"})
    config = load_buf_config(snap)
    assert config is not None
    (module,) = config.modules
    assert module.roots == ("src", "third_party")
    assert module.breaking.ignore == ("src/shop/v1/old.proto", "third_party/shop/v1/old.proto")
    assert "FIELD_WIRE_COMPATIBLE_TYPE" not in module.breaking.rules
    if "FIELD_SAME_TYPE" in REGISTRY.rules:
        assert "FIELD_SAME_TYPE" in module.breaking.rules  # v1beta1's WIRE still had it


def test_no_buf_yaml(tmp_path: Path) -> None:
    assert load_buf_config(_snap(tmp_path, {"a.proto": 'syntax = "proto3";'})) is None


@pytest.mark.parametrize(("text", "message"), [
    ("version: v2\nbreaking:\n  use: [FIELD_SAME_NAMES]\n", "did you mean FIELD_SAME_NAME"),
    ("version: v2\nbreaking:\n  usee: [FILE]\n", "unknown key breaking.usee"),
    ("version: v2\nbreaking:\n  use: [FILE\n", "buf.yaml:4:1: invalid YAML"),
    ("version: v3\n", "unsupported version 'v3'"),
    ("version: v1\nbreaking:\n  use: [CSR]\n", "only in buf.yaml version v2"),
    ("version: v2\nbreaking:\n  ignore_only: [FILE]\n", "ignore_only must map"),
])
def test_bad_buf_yaml_is_a_one_line_error(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(ConfigError) as exc:
        parse_buf_yaml(text.encode(), "buf.yaml")
    assert message in str(exc.value) and "\n" not in str(exc.value)


def test_unimplemented_buf_rule_is_a_warning_not_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    """While a buf rule is not implemented, a buf.yaml naming it still works (with a warning)."""
    monkeypatch.delitem(REGISTRY.rules, "FIELD_SAME_NAME")
    warnings: list[str] = []
    _, (module,) = parse_buf_yaml(b"version: v2\nbreaking:\n  use: [FIELD_SAME_NAME, FIELD_SAME_JSON_NAME]\n",
                                  "buf.yaml", "", warnings)
    assert warnings == ["buf.yaml breaking.use: rule FIELD_SAME_NAME is not implemented by schemacheck yet; skipped"]
    assert module.breaking.rules == {"FIELD_SAME_JSON_NAME"}


# ---------------------------------------------------------------- against real buf

BASE = {
    "proto/shop/v1/order.proto": """syntax = "proto3";
package shop.v1;

import "shop/v1/refund.proto";

message Order {
  string id = 1;
  int64 total_amount = 2;
  string note = 3;
  string coupon = 4;
  Refund refund = 5;
}
""",
    "proto/shop/v1/refund.proto": """syntax = "proto3";
package shop.v1;

message Refund {
  string id = 1;
  string reason = 2;
  int32 amount = 3;
}
""",
    "proto/legacy/invoice.proto": """syntax = "proto3";
package legacy;

message Invoice {
  string id = 1;
  string customer = 2;
}
""",
    "proto/legacy/removed.proto": """syntax = "proto3";
package legacy;

message Receipt { string id = 1; }
""",
    "proto/shop/v1alpha1/draft.proto": """syntax = "proto3";
package shop.v1alpha1;

message Draft {
  string id = 1;
  string title = 2;
}
""",
}

HEAD = {
    "proto/shop/v1/order.proto": """syntax = "proto3";
package shop.v1;

import "shop/v1/refund.proto";

message Order {
  string id = 1;
  int64 total_cents = 2;
  reserved 3;
  int64 coupon = 4;
  Refund refund = 5;
}
""",
    "proto/shop/v1/refund.proto": """syntax = "proto3";
package shop.v1;

message Refund {
  string id = 1;
  int32 amount = 3;
}
""",
    "proto/legacy/invoice.proto": """syntax = "proto3";
package legacy;

message Invoice {
  string id = 1;
  string client = 2;
}
""",
    "proto/shop/v1alpha1/draft.proto": """syntax = "proto3";
package shop.v1alpha1;

message Draft {
  string id = 1;
  string name = 2;
}
""",
}

V2 = ("buf.yaml", """version: v2
modules:
  - path: proto
breaking:
  use: [WIRE_JSON]
  except: [FIELD_SAME_JSON_NAME]
  ignore: [proto/legacy]
  ignore_only:
    FIELD_NO_DELETE_UNLESS_NAME_RESERVED: [proto/shop/v1/refund.proto]
  ignore_unstable_packages: true
""")
V1 = ("proto/buf.yaml", """version: v1
breaking:
  use: [WIRE_JSON]
  except: [FIELD_SAME_JSON_NAME]
  ignore: [legacy]
  ignore_only:
    FIELD_NO_DELETE_UNLESS_NAME_RESERVED: [shop/v1/refund.proto]
  ignore_unstable_packages: true
""")
V1BETA1 = ("buf.yaml", V1[1].replace("version: v1\n", "version: v1beta1\nbuild:\n  roots: [proto]\n"))
CONFIGS = {
    "v2": {V2[0]: V2[1]},
    "v1beta1-roots": {V1BETA1[0]: V1BETA1[1]},
    "v1-workspace": {"buf.work.yaml": "version: v1\ndirectories: [proto]\n", V1[0]: V1[1]},
}


def _tree(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return root


def _buf_keys(buf: str, base: Path, head: Path, implemented: set[str]) -> set:
    """buf's findings with each tree's own configuration, limited to the rules we implement."""
    theirs = run_buf(buf, base, head)
    assert not theirs.compile_errors, theirs.compile_errors
    return {k for k in theirs.keys if k.rule in implemented}


@pytest.mark.parametrize("layout", sorted(CONFIGS))
def test_buf_yaml_changes_findings_exactly_as_buf(tmp_path: Path, layout: str) -> None:
    buf = require(buf_path(), "buf")
    config = CONFIGS[layout]
    base = _tree(tmp_path / "base", {**BASE, **config})
    head = _tree(tmp_path / "head", {**HEAD, **config})
    implemented = set(REGISTRY.rules)
    theirs = _buf_keys(buf, base, head, implemented)
    result = run_check(CheckRequest(DirectorySnapshot(base), DirectorySnapshot(head), Settings(), formats=("protobuf",)))
    assert not [d for d in result.diagnostics if d.severity.value == "error"], result.diagnostics
    ours = {key_of(f) for f in result.findings}
    only_ours, only_buf, _ = load_differences().apply(ours, theirs, head=head)
    assert not (only_ours or only_buf), format_diff(f"{layout}: buf.yaml honoured differently", only_ours, only_buf)
    # The configuration really did something: without it the ignored and excepted findings come back.
    plain_result = run_check(CheckRequest(DirectorySnapshot(base), DirectorySnapshot(head),
                                          Settings(select=("WIRE_JSON", "FIELD_SAME_TYPE", "FIELD_SAME_CARDINALITY"),  # v1beta1's WIRE_JSON
                                                   protobuf=ProtobufSettings(roots=("proto",), use_buf_yaml=False)),
                                          formats=("protobuf",)))
    plain = {key_of(f) for f in plain_result.findings}
    assert ours < plain
    assert {k.rule for k in plain - ours} >= {"FIELD_SAME_JSON_NAME", "FIELD_SAME_NAME"}


def test_tool_schemacheck_select_overrides_buf_use_but_keeps_ignores(tmp_path: Path) -> None:
    base = _tree(tmp_path / "base", {**BASE, V2[0]: V2[1]})
    head = _tree(tmp_path / "head", {**HEAD, V2[0]: V2[1]})
    result = run_check(CheckRequest(DirectorySnapshot(base), DirectorySnapshot(head),
                                    Settings(select=("FIELD_SAME_JSON_NAME",)), formats=("protobuf",)))
    got = {(f.rule_id, f.path) for f in result.findings}
    assert got == {("FIELD_SAME_JSON_NAME", "proto/shop/v1/order.proto")}  # legacy/ and v1alpha1 still ignored


def test_tool_schemacheck_ignore_alone_subtracts_from_buf_use(tmp_path: Path) -> None:
    base = _tree(tmp_path / "base", {**BASE, V2[0]: V2[1]})
    head = _tree(tmp_path / "head", {**HEAD, V2[0]: V2[1]})

    def rules(settings: Settings) -> set[str]:
        result = run_check(CheckRequest(DirectorySnapshot(base), DirectorySnapshot(head), settings, formats=("protobuf",)))
        return {f.rule_id for f in result.findings}

    with_buf = rules(Settings())
    assert "FIELD_SAME_NAME" in with_buf and "FIELD_SAME_JSON_NAME" not in with_buf  # buf.yaml's except
    assert rules(Settings(ignore=("FIELD_SAME_NAME",))) == with_buf - {"FIELD_SAME_NAME"}


def test_use_buf_yaml_false_ignores_it(tmp_path: Path) -> None:
    base = _tree(tmp_path / "base", {**BASE, V2[0]: "version: v2\nbreaking:\n  use: [NOT_A_RULE]\n"})
    head = _tree(tmp_path / "head", {**HEAD, V2[0]: "version: v2\nbreaking:\n  use: [NOT_A_RULE]\n"})
    with pytest.raises(ConfigError, match="NOT_A_RULE"):
        run_check(CheckRequest(DirectorySnapshot(base), DirectorySnapshot(head), Settings(), formats=("protobuf",)))
    settings = Settings(select=("FIELD_SAME_NAME",), protobuf=ProtobufSettings(use_buf_yaml=False, roots=("proto",)))
    result = run_check(CheckRequest(DirectorySnapshot(base), DirectorySnapshot(head), settings, formats=("protobuf",)))
    assert {(f.rule_id, f.path) for f in result.findings} == {
        ("FIELD_SAME_NAME", "proto/shop/v1/order.proto"), ("FIELD_SAME_NAME", "proto/legacy/invoice.proto"),
        ("FIELD_SAME_NAME", "proto/shop/v1alpha1/draft.proto")}


def test_files_outside_every_module_are_not_checked_like_buf(tmp_path: Path) -> None:
    outside = {"vendor/acme/v1/thing.proto": 'syntax = "proto3";\npackage acme.v1;\n\nmessage Thing {\n  string id = 1;\n}\n'}
    renamed = {"vendor/acme/v1/thing.proto": outside["vendor/acme/v1/thing.proto"].replace("string id", "string key")}
    base = _tree(tmp_path / "base", {**BASE, **outside, V2[0]: V2[1]})
    head = _tree(tmp_path / "head", {**HEAD, **renamed, V2[0]: V2[1]})
    result = run_check(CheckRequest(DirectorySnapshot(base), DirectorySnapshot(head), Settings(), formats=("protobuf",)))
    assert result.findings and not [f for f in result.findings if f.path.startswith("vendor/")]
    assert _buf_keys(require(buf_path(), "buf"), base, head, set(REGISTRY.rules)) == {key_of(f) for f in result.findings}


# ---------------------------------------------------------------- whole tool, real git repository


def test_cli_in_a_git_repo_matches_buf_except_the_inline_suppression(tmp_path: Path) -> None:
    """``schemacheck --base main`` honours the repository's buf.yaml like ``buf breaking --against .git``;
    the one finding buf has and we do not is the one suppressed inline (buf has no suppressions)."""
    import json
    import subprocess
    import sys

    from bufrun import Key
    from gitrepo import GitRepo

    buf = require(buf_path(), "buf")
    repo = GitRepo(tmp_path / "repo")
    repo.write("buf.yaml", "version: v2\nmodules:\n  - path: proto\nbreaking:\n  use: [FILE]\n  ignore: [proto/legacy]\n")
    repo.write("proto/shop/v1/order.proto", 'syntax = "proto3";\npackage shop.v1;\n\nmessage Order {\n'
                                            "  string id = 1;\n  string note = 2;\n  int64 total = 3;\n}\n")
    repo.write("proto/legacy/old.proto", 'syntax = "proto3";\npackage legacy;\n\nmessage Old { string id = 1; }\n')
    repo.commit("base")
    repo.branch("feature")
    repo.write("proto/shop/v1/order.proto", 'syntax = "proto3";\npackage shop.v1;\n\n'
                                            "// schemacheck:ignore FIELD_NO_DELETE -- notes moved to OrderNote (PAY-9)\n"
                                            "message Order {\n  string id = 1;\n  int64 total_cents = 3;\n}\n")
    repo.delete("proto/legacy/old.proto")
    repo.commit("head")
    proc = subprocess.run([sys.executable, "-m", "schemacheck", "--base", "main", "--format", "json"],
                          cwd=repo.root, capture_output=True, text=True, env=repo.env(), timeout=120)
    assert proc.returncode == 1, proc.stderr
    report = json.loads(proc.stdout)
    ours = {Key(f["rule_id"], f["location"]["path"], f["location"]["line"], f["location"]["column"])
            for f in report["findings"]}
    theirs = subprocess.run([buf, "breaking", "--against", ".git#branch=main", "--error-format", "json"],
                            cwd=repo.root, capture_output=True, text=True, timeout=120)
    buf_keys = {Key(i["type"], i["path"], i["start_line"], i["start_column"])
                for i in map(json.loads, theirs.stdout.splitlines()) if i["type"] in REGISTRY.rules}
    assert buf_keys - ours == {Key("FIELD_NO_DELETE", "proto/shop/v1/order.proto", 5, 1)}
    assert ours <= buf_keys and ours
