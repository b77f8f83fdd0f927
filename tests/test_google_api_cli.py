"""The GOOGLE_API rules end to end: a real git repository, the real CLI, buf as the oracle.

The two changes googleapis authors mark breaking and buf does not see — a field gaining
``(google.api.field_behavior) = REQUIRED`` and a method's ``google.api.http`` URI changing —
fail ``--base main``; ``--ignore GOOGLE_API`` and ``protobuf.google-api = false`` silence them;
the category is on by default only when changed files reach ``google/api/``.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bufrun import run_buf
from gitrepo import GitRepo
from schemacheck.compat.protobuf.bufconfig import BUF_RULE_IDS
from schemacheck.config import Settings
from schemacheck.registry import REGISTRY, load_rules
from schemacheck.runner import CheckRequest, run_check
from schemacheck.snapshot import DirectorySnapshot
from tools import FIXTURES, buf_path, require

#: The fixtures' minimal google/api files: annotations.proto + http.proto, and field_behavior.proto.
GOOGLE = (FIXTURES / "protobuf" / "RPC_SAME_HTTP_RULE" / "before" / "google",
          FIXTURES / "protobuf" / "FIELD_BEHAVIOR_NO_ADD_REQUIRED" / "before" / "google")
BUF_YAML = "version: v2\nbreaking:\n  use: [FILE]\n"

BASE = """syntax = "proto3";

package library.v1;

import "google/api/annotations.proto";
import "google/api/field_behavior.proto";

service LibraryService {
  rpc UpdateLicensePool(UpdateLicensePoolRequest) returns (LicensePool) {
    option (google.api.http) = {
      patch: "/v1/{license_pool.name=billingAccounts/*/orders/*/licensePool}"
      body: "license_pool"
    };
  }
}

message LicensePool {
  string name = 1;
  string owner = 2;
}

message UpdateLicensePoolRequest {
  LicensePool license_pool = 1;
}
"""
HEAD = (BASE.replace("string owner = 2;", "string owner = 2 [(google.api.field_behavior) = REQUIRED];")
        .replace("orders/*/licensePool}", "licensePools/*}"))
PLAIN = 'syntax = "proto3";\n\npackage library.v1;\n\nmessage Shelf {\n  string name = 1;\n}\n'


def run_cli(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in GitRepo.env().items() if key != "FORCE_COLOR"}
    return subprocess.run([sys.executable, "-m", "schemacheck", *args], cwd=cwd, env={**env, "NO_COLOR": "1"},
                          capture_output=True, text=True, timeout=120)


def _google(root: Path) -> None:
    for source in GOOGLE:
        shutil.copytree(source, root / "google", dirs_exist_ok=True)


def _tree(root: Path, library: str, extra: dict[str, str] | None = None) -> None:
    _google(root)
    (root / "buf.yaml").write_text(BUF_YAML)
    (root / "library.proto").write_text(library)
    for path, text in (extra or {}).items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(text)


def _repo(tmp_path: Path, base: str = BASE, head: str = HEAD, extra: dict[str, str] | None = None) -> GitRepo:
    """main holds ``base``; branch ``feature`` (checked out) holds ``head``."""
    repo = GitRepo(tmp_path / "repo")
    _tree(repo.root, base, extra)
    repo.commit("base")
    repo.branch("feature")
    (repo.root / "library.proto").write_text(head)
    repo.commit("head")
    return repo


def _rules(proc: subprocess.CompletedProcess[str]) -> list[str]:
    return sorted(f["rule_id"] for f in json.loads(proc.stdout)["findings"])


def test_required_added_and_uri_changed_fail_while_buf_is_silent(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    proc = run_cli(repo.root, "check", "--base", "main", "--format", "json")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert _rules(proc) == ["FIELD_BEHAVIOR_NO_ADD_REQUIRED", "RPC_SAME_HTTP_RULE"]

    buf = require(buf_path(), "buf")
    _tree(tmp_path / "before", BASE)
    _tree(tmp_path / "after", HEAD)
    theirs = run_buf(buf, tmp_path / "before", tmp_path / "after")  # the trees' own buf.yaml: FILE
    assert not theirs.compile_errors and not theirs.keys, (theirs.compile_errors, theirs.keys)
    assert theirs.returncode == 0


def test_text_output_speaks_rest_and_points_at_the_option(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    proc = run_cli(repo.root, "check", "--base", "main", "--format", "json")
    findings = {f["rule_id"]: f for f in json.loads(proc.stdout)["findings"]}
    http = findings["RPC_SAME_HTTP_RULE"]
    assert "PATCH /v1/{license_pool.name=billingAccounts/*/orders/*/licensePool}" in http["message"]
    assert "PATCH /v1/{license_pool.name=billingAccounts/*/licensePools/*}" in http["message"]
    assert HEAD.splitlines()[http["location"]["line"] - 1].strip().startswith("option (google.api.http)")
    required = findings["FIELD_BEHAVIOR_NO_ADD_REQUIRED"]
    line = HEAD.splitlines()[required["location"]["line"] - 1]
    assert line[required["location"]["column"] - 1:].startswith("(google.api.field_behavior) = REQUIRED")


@pytest.mark.parametrize("args", [("--ignore", "GOOGLE_API"),
                                  ("--ignore", "FIELD_BEHAVIOR_NO_ADD_REQUIRED,RPC_SAME_HTTP_RULE")])
def test_ignore_silences_them(tmp_path: Path, args: tuple[str, ...]) -> None:
    repo = _repo(tmp_path)
    proc = run_cli(repo.root, "check", "--base", "main", *args)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_setting_false_turns_the_category_off(tmp_path: Path) -> None:
    repo = _repo(tmp_path, extra={"pyproject.toml": "[tool.schemacheck.protobuf]\ngoogle-api = false\n"})
    proc = run_cli(repo.root, "check", "--base", "main")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    selected = run_cli(repo.root, "check", "--base", "main", "--select", "FILE,GOOGLE_API", "--format", "json")
    assert selected.returncode == 1 and _rules(selected) == ["FIELD_BEHAVIOR_NO_ADD_REQUIRED", "RPC_SAME_HTTP_RULE"]


def test_without_buf_yaml_the_defaults_include_them_too(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    repo.delete("buf.yaml")
    repo.commit("no buf.yaml")
    proc = run_cli(repo.root, "check", "--base", "main", "--format", "json")
    assert proc.returncode == 1 and _rules(proc) == ["FIELD_BEHAVIOR_NO_ADD_REQUIRED", "RPC_SAME_HTTP_RULE"]


def test_an_explicit_select_is_taken_as_written(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    proc = run_cli(repo.root, "check", "--base", "main", "--select", "FILE")
    assert proc.returncode == 0, proc.stdout + proc.stderr


def _rules_run(tmp_path: Path, before: dict[str, str], after: dict[str, str], **settings: object) -> set[str]:
    for side, files in (("before", before), ("after", after)):
        for path, text in files.items():
            (tmp_path / side / path).parent.mkdir(parents=True, exist_ok=True)
            (tmp_path / side / path).write_text(text)
        _google(tmp_path / side)
    result = run_check(CheckRequest(DirectorySnapshot(tmp_path / "before", "before"),
                                    DirectorySnapshot(tmp_path / "after", "after"), Settings(**settings),
                                    formats=("protobuf",)))
    assert not [d for d in result.diagnostics if d.severity.value == "error"], result.diagnostics
    return set(result.rules_run)


GOOGLE_IDS = {spec.id for spec in load_rules().rules.values() if "GOOGLE_API" in spec.categories}
COMMON = 'syntax = "proto3";\n\npackage library.v1;\n\nimport public "google/api/field_behavior.proto";\n'
VIA_PUBLIC = PLAIN.replace("package library.v1;\n", 'package library.v1;\n\nimport "common.proto";\n')


def test_default_on_only_when_changed_files_reach_google_api(tmp_path: Path) -> None:
    assert len(GOOGLE_IDS) >= 10 and not GOOGLE_IDS & BUF_RULE_IDS
    assert not GOOGLE_IDS & REGISTRY.default_ids("protobuf")
    plain = _rules_run(tmp_path / "plain", {"shelf.proto": PLAIN}, {"shelf.proto": PLAIN + "\nmessage Book {}\n"})
    assert plain and not plain & GOOGLE_IDS
    annotated = _rules_run(tmp_path / "annotated", {"library.proto": BASE}, {"library.proto": HEAD})
    assert GOOGLE_IDS <= annotated
    public = _rules_run(tmp_path / "public", {"shelf.proto": VIA_PUBLIC, "common.proto": COMMON},
                        {"shelf.proto": VIA_PUBLIC + "\nmessage Book {}\n", "common.proto": COMMON})
    assert GOOGLE_IDS <= public


def test_setting_true_and_false_override_the_detection(tmp_path: Path) -> None:
    from schemacheck.compat.protobuf.settings import ProtobufSettings

    forced = _rules_run(tmp_path / "on", {"shelf.proto": PLAIN}, {"shelf.proto": PLAIN + "\nmessage Book {}\n"},
                        protobuf=ProtobufSettings(google_api=True))
    assert GOOGLE_IDS <= forced
    off = _rules_run(tmp_path / "off", {"library.proto": BASE}, {"library.proto": HEAD},
                     protobuf=ProtobufSettings(google_api=False))
    assert off and not off & GOOGLE_IDS


def test_annotations_reached_through_import_public_are_read(tmp_path: Path) -> None:
    base = PLAIN.replace("package library.v1;\n", 'package library.v1;\n\nimport "common.proto";\n')
    head = base.replace("string name = 1;", "string name = 1 [(google.api.field_behavior) = REQUIRED];")
    repo = _repo(tmp_path, base, head, extra={"common.proto": COMMON})
    proc = run_cli(repo.root, "check", "--base", "main", "--format", "json")
    assert proc.returncode == 1 and _rules(proc) == ["FIELD_BEHAVIOR_NO_ADD_REQUIRED"], proc.stdout + proc.stderr


def test_a_bad_setting_is_a_one_line_error(tmp_path: Path) -> None:
    repo = _repo(tmp_path, extra={"pyproject.toml": '[tool.schemacheck.protobuf]\ngoogle-api = "sometimes"\n'})
    proc = run_cli(repo.root, "check", "--base", "main")
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert "tool.schemacheck.protobuf.google-api" in proc.stderr.splitlines()[0]
