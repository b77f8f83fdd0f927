"""Never a silent pass (issue 7 item 11): every run says how many schema files of each format it
compared, and a configured glob that matches no file is a warning. Real git repos, real CLI."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from gitrepo import GitRepo
from schemacheck.formats.registry import FORMATS

PROTO = 'syntax = "proto3";\npackage shop.v1;\n\nmessage Order {\n  string id = 1;\n}\n'
SCHEMA = '{\n  "$schema": "https://json-schema.org/draft/2020-12/schema",\n  "type": "object"\n}\n'
PLAIN = '{\n  "type": "object"\n}\n'  # a schema without $schema or a *.schema.json name: not detected


#: Every registered format with no file compared (adding a format must not break these tests).
NONE = {name: 0 for name in FORMATS}


def run_cli(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in GitRepo.env().items() if key != "FORCE_COLOR"}
    return subprocess.run([sys.executable, "-m", "schemacheck", *args], cwd=cwd, env={**env, "NO_COLOR": "1"},
                          capture_output=True, text=True, timeout=120)


def _repo(tmp_path: Path, config: str = "") -> GitRepo:
    repo = GitRepo(tmp_path / "repo")
    if config:
        repo.write("schemacheck.toml", config)
    repo.write("proto/shop/v1/order.proto", PROTO)
    repo.write("schemas/order.json", SCHEMA)
    repo.write("schemas/plain.json", PLAIN)
    repo.commit("v1")
    return repo


def _json(proc: subprocess.CompletedProcess[str]) -> dict:
    assert "Traceback" not in proc.stderr, proc.stderr
    return json.loads(proc.stdout)


def test_counts_per_format_in_text_and_json(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    repo.write("proto/shop/v1/order.proto", PROTO.replace("}\n", "  string note = 2;\n}\n"))
    repo.write("schemas/order.json", SCHEMA.replace('"object"', '"object",\n  "title": "Order"'))
    report = _json(run_cli(repo.root, "--format", "json"))
    assert report["summary"]["files_checked_by_format"] == {**NONE, "protobuf": 1, "jsonschema": 1}
    assert report["summary"]["files_checked"] == 2
    proc = run_cli(repo.root)
    assert proc.returncode == 0
    summary = proc.stdout.strip().splitlines()[-1]
    assert "checked 1 .proto, 1 JSON Schema, 0 " in summary and summary.endswith(" files.")


def test_a_json_file_not_detected_as_a_schema_is_not_a_silent_pass(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    repo.write("schemas/plain.json", PLAIN.replace('"object"', '"string"'))
    report = _json(run_cli(repo.root, "--format", "json"))
    assert report["summary"]["files_checked"] == 0
    assert report["summary"]["files_checked_by_format"] == NONE
    proc = run_cli(repo.root)
    assert proc.returncode == 0
    assert "No breaking changes" not in proc.stdout
    assert "0 schema files" in proc.stdout


def test_include_glob_matching_no_file_is_a_warning(tmp_path: Path) -> None:
    repo = _repo(tmp_path, 'include = ["protos/**"]\n')  # typo: the directory is proto/
    repo.write("proto/shop/v1/order.proto", PROTO.replace("  string id = 1;\n", ""))  # breaking, unseen
    proc = run_cli(repo.root, "--format", "json")
    report = _json(proc)
    warnings = [d for d in report["diagnostics"] if d["severity"] == "warning"]
    assert len(warnings) == 1 and "protos/**" in warnings[0]["message"]
    assert report["summary"]["files_checked"] == 0
    assert proc.returncode == 0  # a warning; the summary says nothing was compared
    text = run_cli(repo.root)
    assert "protos/**" in text.stdout + text.stderr and "0 schema files" in text.stdout


def test_jsonschema_include_glob_matching_no_file_is_a_warning(tmp_path: Path) -> None:
    repo = _repo(tmp_path, '[jsonschema]\ninclude = ["schema/*.json"]\n')
    repo.write("schemas/plain.json", PLAIN.replace('"object"', '"string"'))
    report = _json(run_cli(repo.root, "--format", "json"))
    messages = [d["message"] for d in report["diagnostics"] if d["severity"] == "warning"]
    assert len(messages) == 1 and "jsonschema.include" in messages[0] and "schema/*.json" in messages[0]


def test_globs_that_match_give_no_warning(tmp_path: Path) -> None:
    repo = _repo(tmp_path, 'include = ["proto/**", "schemas/**"]\n[jsonschema]\ninclude = ["schemas/*.json"]\n')
    repo.write("schemas/plain.json", PLAIN.replace('"object"', '"string"'))
    proc = run_cli(repo.root, "--format", "json")
    report = _json(proc)
    assert report["diagnostics"] == []
    assert report["summary"]["files_checked_by_format"]["jsonschema"] == 1
    assert proc.returncode == 1  # the plain file is a schema by configuration, and it broke
