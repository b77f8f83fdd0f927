"""A run pays for what changed: a proto-only change loads no other format's stack and reads no
JSON/YAML blob; rule packages load per format, yet every rule stays selectable by name.

Each test runs the real CLI in a fresh interpreter (imports are per process) on a real git
repository holding protobuf, JSON Schema, OpenAPI and Python DTO files.
"""

from __future__ import annotations

import json
import os
from collections import Counter
import subprocess
import sys
from pathlib import Path

import pytest
from gitrepo import GitRepo

SRC = str(Path(__file__).resolve().parent.parent / "src")
PROTO = 'syntax = "proto3";\npackage shop.v1;\nmessage Order {\n  int64 total_amount = 2;\n}\n'
SCHEMA = '{"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object", ' \
         '"properties": {"id": {"type": "string"}, "item": {"$ref": "item.schema.json"}}}\n'
ITEM = '{"type": "object", "properties": {"sku": {"type": "string"}}}\n'
OPENAPI = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n"
DTO = "from pydantic import BaseModel\n\n\nclass Order(BaseModel):\n    total_amount: int\n"

#: Modules a protobuf-only run must not import: other formats' rules, front ends and engines,
#: and the heavy libraries only they (or coloured/JSON output, or a config file) need.
FOREIGN = ("schemacheck.rules.jsonschema", "schemacheck.rules.python", "schemacheck.rules.openapi",
           "schemacheck.shape", "schemacheck.compat.shape", "schemacheck.formats.jsonschema.document",
           "schemacheck.formats.jsonschema.refs", "schemacheck.formats.openapi.loader", "schemacheck.formats.python.source",
           "libcst", "jsonschema", "pydantic", "rich", "git")

PROBE = """
import json, sys
import schemacheck.git_repo as g
reads = []
original = g.GitRepository.read_blob
def read_blob(self, sha, path, label="this revision"):
    reads.append(path)
    return original(self, sha, path, label)
g.GitRepository.read_blob = read_blob
from schemacheck.cli import main
status = main(sys.argv[1:])
print(json.dumps({"status": status, "reads": reads, "modules": sorted(sys.modules)}), file=sys.stderr)
"""


@pytest.fixture
def mixed(tmp_path: Path) -> GitRepo:
    repo = GitRepo(tmp_path / "repo")
    repo.write("api/order.proto", PROTO)
    repo.write("schemas/order.schema.json", SCHEMA)
    repo.write("schemas/item.schema.json", ITEM)
    repo.write("schemas/config.yaml", "a: 1\n")
    repo.write("spec/openapi.yaml", OPENAPI)
    repo.write("app/models.py", DTO)
    repo.commit("base")
    repo.write("api/order.proto", PROTO.replace("total_amount", "total_cents"))
    repo.commit("rename a proto field")
    return repo


def _probe(repo: GitRepo, *args: str) -> tuple[dict, str]:
    proc = subprocess.run([sys.executable, "-c", PROBE, "--head", "HEAD", *args], cwd=repo.root, capture_output=True,
                          text=True, env={**os.environ, "PYTHONPATH": SRC, "NO_COLOR": "1"})
    last = proc.stderr.strip().splitlines()[-1]
    return json.loads(last), proc.stdout


def test_proto_only_change_loads_no_other_format_stack(mixed: GitRepo) -> None:
    report, out = _probe(mixed)
    assert report["status"] == 1 and "total_amount" in out  # the check ran and found the rename
    loaded = [m for m in report["modules"] if any(m == f or m.startswith(f + ".") for f in FOREIGN)]
    assert loaded == []
    assert "schemacheck.rules.protobuf" in report["modules"]


def test_proto_only_change_reads_no_json_or_yaml_blob(mixed: GitRepo) -> None:
    report, _ = _probe(mixed)
    assert report["status"] == 1
    assert report["reads"] and all(p.endswith(".proto") for p in report["reads"]), report["reads"]


def test_json_change_still_reads_its_ref_targets(mixed: GitRepo) -> None:
    """The counter sees reads at all: a JSON change reads the schema and what it references."""
    mixed.write("schemas/order.schema.json", SCHEMA.replace('"id"', '"key"'))
    mixed.commit("rename a property")
    report, _ = _probe(mixed)
    assert report["status"] == 1
    assert "schemas/order.schema.json" in report["reads"] and "api/order.proto" not in report["reads"]


@pytest.mark.parametrize(("selection", "status"), [("SCHEMA_FILE_NO_DELETE", 0), ("FIELD_SAME_NAME", 1),
                                                    ("FIELD_SAME_NAME,SCHEMA_FILE_NO_DELETE", 1),
                                                    ("NO_SUCH_RULE", 2)])
def test_rules_of_unloaded_formats_are_still_known_by_name(mixed: GitRepo, selection: str, status: int) -> None:
    """Rule packages load per format, but selecting another format's rule (or a misspelt one) in
    a protobuf-only run is judged against every rule."""
    report, _ = _probe(mixed, "--select", selection)
    assert report["status"] == status


def test_commit_touching_no_schema_loads_no_format_stack(mixed: GitRepo) -> None:
    mixed.write("README.md", "docs only\n")
    mixed.commit("docs")
    report, _ = _probe(mixed)
    assert report["status"] == 0 and report["reads"] == []
    heavy = ("google.protobuf", "schemacheck.formats.protobuf.compiler", "schemacheck.rules.protobuf", *FOREIGN)
    assert [m for m in report["modules"] if any(m == f or m.startswith(f + ".") for f in heavy)] == []
    # no checker is even imported (FormatEntry.suffixes), and only the text reporter
    checkers = [m for m in report["modules"] if m.startswith("schemacheck.compat.") and m.endswith(".checker")]
    assert checkers == []
    reporters = [m for m in report["modules"] if m.startswith("schemacheck.report.")]
    assert set(reporters) == {"schemacheck.report.base", "schemacheck.report.color", "schemacheck.report.text"}


def test_proto_only_change_imports_no_other_checker_or_reporter(mixed: GitRepo) -> None:
    report, _ = _probe(mixed, "--format", "sarif")
    assert report["status"] == 1
    checkers = {m for m in report["modules"] if m.startswith("schemacheck.compat.") and m.endswith(".checker")}
    assert checkers == {"schemacheck.compat.protobuf.checker"}
    reporters = {m for m in report["modules"] if m.startswith("schemacheck.report.")}
    assert "schemacheck.report.sarif" in reporters
    assert not reporters & {"schemacheck.report.junit", "schemacheck.report.text", "schemacheck.report.gitlab"}


def test_in_process_runs_leave_no_git_process_behind(mixed: GitRepo) -> None:
    """Blobs come from one persistent ``git cat-file --batch`` per run; a library caller running
    many checks in one interpreter must not accumulate them."""
    code = ("import os, subprocess, sys\nfrom schemacheck.cli import main\n"
            "for _ in range(3):\n    main(['--head', 'HEAD', '--format', 'json'])\n"
            "print('CHILDREN', subprocess.run(['pgrep', '-a', '-P', str(os.getpid())],"
            " capture_output=True, text=True).stdout.split(), file=sys.stderr)\n")
    proc = subprocess.run([sys.executable, "-c", code], cwd=mixed.root, capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": SRC})
    line = next(x for x in proc.stderr.splitlines() if x.startswith("CHILDREN"))
    assert line == "CHILDREN []", line


@pytest.mark.parametrize(("except_", "status"), [("[]", 1), ("[FIELD_SAME_NAME, FIELD_SAME_JSON_NAME]", 0)])
def test_plain_buf_yaml_is_honoured_without_importing_pyyaml(tmp_path: Path, except_: str, status: int) -> None:
    """A usual buf.yaml is read by schemacheck.blockyaml: PyYAML's import costs more than the check."""
    repo = GitRepo(tmp_path / "repo")
    repo.write("buf.yaml", f"version: v2\nmodules:\n  - path: api\nbreaking:\n  use:\n    - FILE\n  except: {except_}\n")
    repo.write("api/order.proto", PROTO)
    repo.commit("base")
    repo.write("api/order.proto", PROTO.replace("total_amount", "total_cents"))
    repo.commit("rename a proto field")
    report, out = _probe(repo)
    assert report["status"] == status, out
    assert "yaml" not in report["modules"]


def test_a_file_the_same_on_both_sides_is_claimed_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A format that must list every JSON file (OpenAPI looking for a spec that may $ref the
    changed file) asks whether each one is its own once per blob, not once per side."""
    from schemacheck.checkers import get_checker
    from schemacheck.config import Settings
    from schemacheck.revisions import GitRepository, compare
    from schemacheck.runner import CheckRequest, run_check

    repo = GitRepo(tmp_path / "repo")
    for i in range(20):
        repo.write(f"schemas/s{i}.schema.json", SCHEMA.replace('"id"', f'"id{i}"'))
    repo.write("schemas/item.schema.json", ITEM)
    repo.commit("base")
    repo.write("schemas/item.schema.json", ITEM.replace("sku", "code"))
    repo.commit("change the referenced schema")
    openapi = get_checker("openapi")
    asked: list[str] = []
    original = type(openapi).claims

    def counting(self, path, *args, **kwargs):  # type: ignore[no-untyped-def]
        asked.append(path)
        return original(self, path, *args, **kwargs)

    monkeypatch.setattr(type(openapi), "claims", counting)
    cmp = compare(GitRepository(repo.root), head="HEAD")
    result = run_check(CheckRequest(cmp.base, cmp.head, Settings(), cmp.changed, cmp.renames))
    assert result.findings  # the dependents were checked
    counts = Counter(asked)
    assert counts.pop("schemas/item.schema.json") <= 2  # changed: its two blobs
    assert counts == {f"schemas/s{i}.schema.json": 1 for i in range(20)}  # unchanged: once each, not twice


def test_formats_claim_only_the_files_that_name_a_changed_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Finding what a changed JSON file reaches asks the blob index which files name it first and
    claims only those: neither OpenAPI (no spec at all here) nor JSON Schema asks of every file
    (5,000 schemas: claiming each was two thirds of a warm run)."""
    from schemacheck.checkers import get_checker
    from schemacheck.config import Settings
    from schemacheck.revisions import GitRepository, compare
    from schemacheck.runner import CheckRequest, run_check

    repo = GitRepo(tmp_path / "repo")
    for i in range(30):
        repo.write(f"schemas/other{i}.schema.json", ITEM.replace("sku", f"sku{i}"))
    repo.write("schemas/order.schema.json", SCHEMA)  # names item.schema.json
    repo.write("schemas/item.schema.json", ITEM)
    repo.commit("base")
    repo.write("schemas/item.schema.json", ITEM.replace('"string"', '"integer"'))
    repo.commit("narrow the referenced schema")
    asked: dict[str, list[str]] = {"openapi": [], "jsonschema": []}
    for name in asked:
        checker = get_checker(name)
        original = type(checker).claims

        def counting(self, path, *args, _original=original, _name=name, **kwargs):  # type: ignore[no-untyped-def]
            asked[_name].append(path)
            return _original(self, path, *args, **kwargs)

        monkeypatch.setattr(type(checker), "claims", counting)
    cmp = compare(GitRepository(repo.root), head="HEAD")
    result = run_check(CheckRequest(cmp.base, cmp.head, Settings(), cmp.changed, cmp.renames))
    assert result.findings and result.files_checked == 2  # the changed file and the one that names it
    assert set(asked["jsonschema"]) == {"schemas/item.schema.json", "schemas/order.schema.json"}
    assert set(asked["openapi"]) <= {"schemas/item.schema.json", "schemas/order.schema.json"}


def test_warm_proto_check_imports_no_option_interpreter_or_source_info_builder(mixed: GitRepo, tmp_path: Path) -> None:
    """A file found in the parse cache is not linked again: its linker stages are not even imported."""
    env = {**os.environ, "PYTHONPATH": SRC, "NO_COLOR": "1", "SCHEMACHECK_CACHE_DIR": str(tmp_path / "cache")}
    subprocess.run([sys.executable, "-m", "schemacheck", "--head", "HEAD"], cwd=mixed.root, env=env, capture_output=True)
    proc = subprocess.run([sys.executable, "-c", PROBE, "--head", "HEAD"], cwd=mixed.root, capture_output=True,
                          text=True, env=env)
    report = json.loads(proc.stderr.strip().splitlines()[-1])
    assert report["status"] == 1
    stages = {"schemacheck.formats.protobuf.options", "schemacheck.formats.protobuf.sourceinfo",
              "schemacheck.formats.protobuf.validate"}
    assert not stages & set(report["modules"])


@pytest.mark.parametrize("mode", ["head", "staged", "work tree"])
def test_a_change_no_format_can_claim_is_reported_without_configuration_or_runner(tmp_path: Path, mode: str) -> None:
    """``runner.result_without_formats`` (the CLI's path for a commit touching no schema, with no
    configuration file) answers exactly what run_check answers, and the CLI then imports no
    configuration model."""
    from schemacheck.config import Settings
    from schemacheck.revisions import GitRepository, compare
    from schemacheck.runner import CheckRequest, result_without_formats, run_check

    repo = GitRepo(tmp_path / "repo")
    repo.write("README.md", "docs\n")
    repo.write("docs/old.txt", "old\n")
    repo.write("api/order.proto", PROTO)
    repo.commit("base")
    repo.write("README.md", "docs, changed\n")
    repo.delete("docs/old.txt")
    repo.write("docs/new.md", "new\n")
    (repo.root / "link.txt").symlink_to("README.md")
    kwargs: dict = {}
    if mode == "head":
        repo.commit("docs only")
        kwargs = {"head": "HEAD"}
    elif mode == "staged":
        repo.stage()
        kwargs = {"staged": True}
    cmp = compare(GitRepository(repo.root), **kwargs)
    assert {"README.md", "docs/old.txt", "docs/new.md"} <= cmp.changed  # and the link, but in the work tree
    quick = result_without_formats(cmp.base, cmp.head, cmp.changed)
    assert quick == run_check(CheckRequest(cmp.base, cmp.head, Settings(), cmp.changed, cmp.renames))
    assert result_without_formats(cmp.base, cmp.head, cmp.changed | {"api/order.proto"}) is None
    args = {"head": ("--head", "HEAD"), "staged": ("--staged",), "work tree": ()}[mode]
    proc = subprocess.run([sys.executable, "-c", PROBE, *args, "-v"], cwd=repo.root, capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": SRC, "NO_COLOR": "1"})
    report = json.loads(proc.stderr.strip().splitlines()[-1])
    assert report["status"] == 0 and "README.md: not a schema" in proc.stdout
    assert "schemacheck.config" not in report["modules"]
