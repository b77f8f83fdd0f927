"""OpenAPI rules have categories: ``--select OPENAPI`` / ``--ignore LIFECYCLE`` work like the
protobuf and JSON Schema ones, through the real CLI on a real repository.

Also the closing sentence: a warning is a finding, not a "breaking change".
"""

from __future__ import annotations

import pytest

from openapi_repo import change_repo, run_cli, run_json
from schemacheck.registry import REGISTRY, load_rules
from schemacheck.rules.openapi._common import CATEGORIES

BEFORE = """openapi: 3.0.3
info: {title: Orders, version: '1'}
servers:
  - url: https://api.example.com
  - url: https://eu.api.example.com
paths:
  /orders:
    get:
      responses:
        '200': {description: ok}
  /refunds:
    get:
      responses:
        '200': {description: ok}
"""
#: The /refunds path (PATH_REMOVED, error) and the EU server (SERVER_REMOVED, warning) removed.
AFTER = """openapi: 3.0.3
info: {title: Orders, version: '1'}
servers:
  - url: https://api.example.com
paths:
  /orders:
    get:
      responses:
        '200': {description: ok}
"""


@pytest.fixture()
def repo(tmp_path):
    return change_repo(tmp_path, {"api/openapi.yaml": BEFORE}, {"api/openapi.yaml": AFTER})


def _rules(report: dict) -> list[str]:
    return sorted(f["rule_id"] for f in report["findings"])


@pytest.mark.parametrize(("args", "expected"), [
    ((), ["PATH_REMOVED", "SERVER_REMOVED"]),
    (("--select", "OPENAPI"), ["PATH_REMOVED", "SERVER_REMOVED"]),
    (("--select", "SERVER"), ["SERVER_REMOVED"]),
    (("--ignore", "ENDPOINT"), ["SERVER_REMOVED"]),
    (("--select", "ENDPOINT,SERVER", "--ignore", "SERVER"), ["PATH_REMOVED"]),
])
def test_categories_select_and_ignore_openapi_rules(repo, capsys, monkeypatch, args, expected) -> None:
    code, report = run_json(capsys, monkeypatch, repo.root, "--base", "main", *args)
    assert _rules(report) == expected
    assert code == (1 if "PATH_REMOVED" in expected else 0)


def test_every_openapi_rule_is_in_openapi_and_one_group() -> None:
    load_rules()
    rules = [r for r in REGISTRY.rules.values() if r.format == "openapi"]
    assert rules and all(r.categories[0] == "OPENAPI" and len(r.categories) == 2 and r.categories[1] in CATEGORIES
                         for r in rules)
    assert all(r.default for r in rules)  # categories changed no default


def test_a_warning_alone_is_not_called_a_breaking_change(repo, capsys, monkeypatch) -> None:
    code, out = run_cli(capsys, monkeypatch, repo.root, "--base", "main", "--select", "SERVER", "--color", "never")
    summary = out.rstrip().splitlines()[-1]
    assert code == 0 and "breaking change" not in summary.replace("none breaking", "")
    assert summary.startswith("Found 1 finding, none breaking, in 1 file (1 warning)")


def test_errors_and_warnings_are_counted_apart(repo, capsys, monkeypatch) -> None:
    code, out = run_cli(capsys, monkeypatch, repo.root, "--base", "main", "--color", "never")
    summary = out.rstrip().splitlines()[-1]
    assert code == 1
    assert summary.startswith("Found 1 breaking change and 1 other finding in 1 file (1 error, 1 warning)")
