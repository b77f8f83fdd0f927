"""Issue 4's acceptance: JSON Schema changes on a branch, checked with ``--base main`` in each mode.

Each scenario edits one thing in a real git repository and runs the real CLI; the expected
findings (rule and line in the new file) are listed per mode. ``backward``: new readers read
old data; ``forward``: old readers read new data; ``full``: both (all with ``--policy strict``,
Confluent's semantics). Then the same scenarios with no flags at all: the defaults (``full``,
``lenient``) must catch the ``total_amount`` incident and pass an optional property.
"""

from __future__ import annotations

import json

import pytest

from gitrepo import GitRepo
from schemacheck.cli import main

BASE = """{
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "title": "Order",
  "type": "object",
  "properties": {
    "id": {"type": "string"},
    "total_amount": {"type": "number"},
    "status": {"enum": ["pending", "paid", "shipped"]},
    "note": {"type": "string"}
  },
  "required": ["id", "total_amount"],
  "additionalProperties": false
}
"""

SCENARIOS = {
    "required-property-removed": (
        BASE.replace('    "total_amount": {"type": "number"},\n', "").replace('["id", "total_amount"]', '["id"]'),
        {"backward": {("PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL", 5)},
         "forward": {("REQUIRED_PROPERTY_REMOVED", 5)}},
    ),
    "type-narrowed": (
        BASE.replace('"total_amount": {"type": "number"}', '"total_amount": {"type": "integer"}'),
        {"backward": {("TYPE_NARROWED", 7)}, "forward": set()},
    ),
    "required-property-added-without-default": (
        BASE.replace('    "note": {"type": "string"}\n', '    "note": {"type": "string"},\n    "currency": {"type": "string"}\n')
            .replace('["id", "total_amount"]', '["id", "total_amount", "currency"]'),
        {"backward": {("REQUIRED_PROPERTY_ADDED", 10)},
         "forward": {("PROPERTY_ADDED_TO_CLOSED_CONTENT_MODEL", 10)}},
    ),
    "enum-narrowed": (
        BASE.replace('["pending", "paid", "shipped"]', '["pending", "paid"]'),
        {"backward": {("ENUM_ARRAY_NARROWED", 8)}, "forward": set()},
    ),
    "property-added-to-closed-object": (
        BASE.replace('    "note": {"type": "string"}\n', '    "note": {"type": "string"},\n    "channel": {"type": "string"}\n'),
        {"backward": set(), "forward": {("PROPERTY_ADDED_TO_CLOSED_CONTENT_MODEL", 10)}},
    ),
}


@pytest.fixture(scope="module")
def repos(tmp_path_factory: pytest.TempPathFactory) -> dict[str, GitRepo]:
    made = {}
    for name, (after, _) in SCENARIOS.items():
        repo = GitRepo(tmp_path_factory.mktemp(name))
        repo.write("schemas/order.schema.json", BASE)
        repo.commit("base")
        repo.branch("change")
        repo.write("schemas/order.schema.json", after)
        repo.commit(name)
        made[name] = repo
    return made


def _run(repo: GitRepo, mode: str | None, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(repo.root)
    flags = ["--mode", mode, "--policy", "strict"] if mode else []  # Confluent's semantics, per mode
    code = main(["--base", "main", *flags, "--format", "json"])
    report = json.loads(capsys.readouterr().out)
    got = {(f["rule_id"], f["location"]["line"]) for f in report["findings"]}
    assert all(f["location"]["path"] == "schemas/order.schema.json" for f in report["findings"])
    return code, got


@pytest.mark.parametrize("mode", ["backward", "forward", "full"])
@pytest.mark.parametrize("scenario", list(SCENARIOS))
def test_each_change_in_each_mode(scenario: str, mode: str, repos, capsys, monkeypatch) -> None:
    expected_by_mode = SCENARIOS[scenario][1]
    expected = (expected_by_mode["backward"] | expected_by_mode["forward"]) if mode == "full" else expected_by_mode[mode]
    code, got = _run(repos[scenario], mode, capsys, monkeypatch)
    assert got == expected
    assert code == (1 if expected else 0)


#: With no flags (full, lenient): what a user sees. Removing or renaming a required property, narrowing
#: a type and adding a required property break; adding an optional property does not.
DEFAULTS = {
    "required-property-removed": {("REQUIRED_PROPERTY_REMOVED", 5)},
    "type-narrowed": {("TYPE_NARROWED", 7)},
    "required-property-added-without-default": {("REQUIRED_PROPERTY_ADDED", 10)},
    "enum-narrowed": {("ENUM_ARRAY_NARROWED", 8)},
    "property-added-to-closed-object": set(),
}


@pytest.mark.parametrize("scenario", list(SCENARIOS))
def test_defaults_without_flags(scenario: str, repos, capsys, monkeypatch) -> None:
    code, got = _run(repos[scenario], None, capsys, monkeypatch)
    assert got == DEFAULTS[scenario]
    assert code == (1 if DEFAULTS[scenario] else 0)


@pytest.mark.parametrize(("edit", "expected"), [
    ("remove", {"REQUIRED_PROPERTY_REMOVED"}),
    ("rename", {"PROPERTY_RENAMED"}),
    ("add-optional", set()),
])
def test_total_amount_incident_on_an_open_object(tmp_path, edit: str, expected: set[str]) -> None:
    """The incident: an open object (no additionalProperties) loses its required total_amount."""
    base = BASE.replace(',\n  "additionalProperties": false', "")
    after = {
        "remove": base.replace('    "total_amount": {"type": "number"},\n', "").replace('["id", "total_amount"]', '["id"]'),
        "rename": base.replace('"total_amount"', '"amount_total"'),
        "add-optional": base.replace('    "note": {"type": "string"}\n',
                                     '    "note": {"type": "string"},\n    "channel": {"type": "string"}\n'),
    }[edit]
    repo = GitRepo(tmp_path / "repo")
    repo.write("order.schema.json", base)
    repo.commit("base")
    repo.write("order.schema.json", after)
    import subprocess
    import sys
    proc = subprocess.run([sys.executable, "-m", "schemacheck", "--format", "json"], cwd=repo.root,
                          env={**GitRepo.env(), "NO_COLOR": "1"}, capture_output=True, text=True, timeout=120)
    got = {f["rule_id"] for f in json.loads(proc.stdout)["findings"]}
    assert got == expected, proc.stdout + proc.stderr
    assert proc.returncode == (1 if expected else 0)
