"""OpenAPI inputs beyond the happy path: --against, bad files, validator problems, refs, cycles.

Every test runs the real CLI on a real git repository (or two files with ``--against``). Time
limits are on this process's CPU time (the CLI runs in-process): the machine is shared, and wall
time under load says nothing about the checker.
"""

from __future__ import annotations

import re
import time

import pytest

from openapi_repo import change_repo, run_json
from schemacheck.cli import main
from schemacheck.formats.registry import FORMATS

SPEC = """openapi: 3.1.0
info:
  title: Orders
  version: 1.0.0
paths:
  /v1/orders/{id}:
    get:
      responses:
        "200":
          description: An order
          content:
            application/json:
              schema:
                $ref: "#/components/schemas/Order"
components:
  schemas:
    Order:
      type: object
      properties:
        id:
          type: string
        total_amount:
          type: integer
"""
RENAMED = SPEC.replace("total_amount", "total_cents")


def _repo(tmp_path, files: dict[str, str], changed: dict[str, str | None]):
    return change_repo(tmp_path / "repo", files, changed)


def test_against_a_file_is_checked_as_openapi_only(tmp_path, capsys, monkeypatch) -> None:
    (tmp_path / "old.yaml").write_text(SPEC)
    (tmp_path / "new.yaml").write_text(RENAMED)
    code, report = run_json(capsys, monkeypatch, tmp_path, "new.yaml", "--against", "old.yaml")
    assert code == 1
    assert [f["rule_id"] for f in report["findings"]] == ["RESPONSE_PROPERTY_RENAMED"]
    assert report["summary"]["files_checked_by_format"] == {**{name: 0 for name in FORMATS}, "openapi": 1}


def test_unparseable_head_spec_is_a_one_line_error(tmp_path, capsys, monkeypatch) -> None:
    repo = _repo(tmp_path, {"openapi.yaml": SPEC}, {"openapi.yaml": SPEC.replace("  title: Orders\n", "  title: [\n")})
    monkeypatch.chdir(repo.root)
    code = main(["--base", "main"])
    captured = capsys.readouterr()
    assert code == 2
    assert "Traceback" not in captured.out + captured.err
    assert re.search(r"openapi\.yaml:\d+:\d+", captured.out + captured.err)


def test_a_spec_the_validator_rejects_is_still_checked(tmp_path, capsys, monkeypatch) -> None:
    typo = RENAMED.replace("components:\n", "components:\n  securitySchemes::\n    key:\n      type: apiKey\n")
    repo = _repo(tmp_path, {"openapi.yaml": SPEC}, {"openapi.yaml": typo})
    code, report = run_json(capsys, monkeypatch, repo.root, "--base", "main")
    assert code == 1
    assert [f["rule_id"] for f in report["findings"]] == ["RESPONSE_PROPERTY_RENAMED"]
    warnings = [d for d in report["diagnostics"] if d["severity"] == "warning"]
    assert len(warnings) == 1
    assert warnings[0]["location"]["line"] == typo.splitlines().index("components:") + 1


def test_remote_refs_are_never_fetched_and_said(tmp_path, capsys, monkeypatch) -> None:
    remote = SPEC.replace('$ref: "#/components/schemas/Order"', '$ref: "https://schemas.invalid/order.json"')
    repo = _repo(tmp_path, {"openapi.yaml": remote}, {"openapi.yaml": remote.replace("    get:\n", "    get:\n      deprecated: true\n")})
    started = time.process_time()
    code, report = run_json(capsys, monkeypatch, repo.root, "--base", "main")
    assert time.process_time() - started < 5
    assert code == 0
    assert any("never fetched" in d["message"] for d in report["diagnostics"])


def test_a_missing_ref_file_is_an_input_error(tmp_path, capsys, monkeypatch) -> None:
    broken = SPEC.replace('$ref: "#/components/schemas/Order"', '$ref: "schemas/missing.yaml"')
    repo = _repo(tmp_path, {"openapi.yaml": SPEC}, {"openapi.yaml": broken})
    code, report = run_json(capsys, monkeypatch, repo.root, "--base", "main")
    assert code == 2
    assert any(d["severity"] == "error" and "missing.yaml" in d["message"] for d in report["diagnostics"])


def test_a_change_in_a_referenced_file_is_found_through_the_spec(tmp_path, capsys, monkeypatch) -> None:
    split = SPEC.replace('$ref: "#/components/schemas/Order"', '$ref: "schemas/order.yaml"').split("components:")[0]
    order = "type: object\nproperties:\n  id:\n    type: string\n  total_amount:\n    type: integer\n"
    repo = _repo(tmp_path, {"openapi.yaml": split, "schemas/order.yaml": order},
                 {"schemas/order.yaml": order.replace("total_amount", "total_cents")})
    code, report = run_json(capsys, monkeypatch, repo.root, "--base", "main")
    assert code == 1
    (finding,) = report["findings"]
    assert finding["rule_id"] == "RESPONSE_PROPERTY_RENAMED"
    assert finding["location"]["path"] == "schemas/order.yaml" and finding["location"]["line"] == 5


def test_a_deleted_spec_removes_its_paths(tmp_path, capsys, monkeypatch) -> None:
    repo = _repo(tmp_path, {"api/openapi.yaml": SPEC, "README.md": "x"}, {"api/openapi.yaml": None})
    code, report = run_json(capsys, monkeypatch, repo.root, "--base", "main")
    assert code == 1
    assert [f["rule_id"] for f in report["findings"]] == ["PATH_REMOVED"]


def test_a_nested_openapi_key_is_not_an_openapi_document(tmp_path, capsys, monkeypatch) -> None:
    config = '{"tools": {"openapi": "3.0.1"}, "name": "a"}\n'
    repo = _repo(tmp_path, {"tools.json": config}, {"tools.json": config.replace('"a"', '"b"')})
    code, report = run_json(capsys, monkeypatch, repo.root, "--base", "main")
    assert code == 0
    assert [d["severity"] for d in report["diagnostics"]] == ["info"]


def _mesh(n: int, leaf_type: str) -> str:
    """``n`` schemas, each referencing the next three (mod n): a dense mesh of $ref cycles."""
    lines = ["openapi: 3.0.3", "info: {title: Mesh, version: '1'}", "paths:", "  /v1/nodes:", "    get:",
             "      responses:", "        '200':", "          description: A node", "          content:",
             "            application/json:", "              schema: {$ref: '#/components/schemas/N0'}",
             "components:", "  schemas:"]
    for i in range(n):
        lines += [f"    N{i}:", "      type: object", "      properties:"]
        lines += [f"        to{k}: {{$ref: '#/components/schemas/N{(i + k) % n}'}}" for k in (1, 2, 3)]
        lines += ["        items: {type: array, items: {$ref: '#/components/schemas/N%d'}}" % ((i * 7 + 1) % n)]
    lines += ["    N%d:" % n, "      type: object", "      properties:", f"        value: {{type: {leaf_type}}}"]
    text = "\n".join(lines) + "\n"
    # the leaf hangs under the last node of the mesh, so the change sits under every cycle
    return text.replace(f"    N{n - 1}:\n      type: object\n      properties:\n",
                        f"    N{n - 1}:\n      type: object\n      properties:\n        leaf: {{$ref: '#/components/schemas/N{n}'}}\n")


@pytest.mark.parametrize("n", [300])
def test_a_deep_cycle_mesh_terminates_and_finds_the_change_under_it(tmp_path, capsys, monkeypatch, n) -> None:
    repo = _repo(tmp_path, {"openapi.yaml": _mesh(n, "integer")}, {"openapi.yaml": _mesh(n, "number")})
    started = time.process_time()
    code, report = run_json(capsys, monkeypatch, repo.root, "--base", "main")
    elapsed = time.process_time() - started
    assert elapsed < 5, elapsed
    assert code == 1
    assert [f["rule_id"] for f in report["findings"]] == ["RESPONSE_TYPE_CHANGED"]


BAD_HEADS = {
    "duplicate-key": SPEC.replace("  version: 1.0.0\n", "  version: 1.0.0\n  version: 2.0.0\n"),
    "utf-16": "\ufeff".encode("utf-16-le") + SPEC.encode("utf-16-le"),
    "not-utf-8": SPEC.encode() + b"\n# \xff\xfe\n",
    "too-deep": SPEC + "x-deep: " + "[" * 300 + "]" * 300 + "\n",
    "alias-bomb": SPEC + "x-a: &a [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]\n" + "".join(
        f"x-{c}: &{c} [{', '.join(['*' + p] * 10)}]\n" for p, c in zip("abcdefgh", "bcdefghi")),
    "python-tag": SPEC + "x-evil: !!python/object/apply:os.system ['true']\n",
}


@pytest.mark.parametrize("case", list(BAD_HEADS))
def test_bad_head_spec_is_a_positioned_input_error_in_bounded_time(case, tmp_path, capsys, monkeypatch) -> None:
    repo = _repo(tmp_path, {"openapi.yaml": SPEC}, {"openapi.yaml": BAD_HEADS[case]})
    monkeypatch.chdir(repo.root)
    started = time.process_time()
    code = main(["--base", "main"])
    captured = capsys.readouterr()
    assert time.process_time() - started < 5
    assert code == 2
    assert "Traceback" not in captured.out + captured.err
    assert re.search(r"openapi\.yaml(:\d+:\d+)?", captured.out + captured.err)


CALLBACKS = """openapi: 3.0.3
info: {title: Hooks, version: '1'}
paths:
  /v1/subscriptions:
    post:
      responses:
        '201': {description: Subscribed}
      callbacks:
        paid:
          $ref: '#/components/callbacks/Paid'
components:
  callbacks:
    Paid:
      '{$request.body#/url}':
        post:
          requestBody:
            content:
              application/json:
                schema:
                  type: object
                  properties:
                    amount: {type: integer}
          responses:
            '200': {description: Received}
          callbacks:
            again:
              $ref: '#/components/callbacks/Paid'
"""


def test_callback_cycles_end_and_callback_payloads_are_read_by_old_receivers(tmp_path, capsys, monkeypatch) -> None:
    """The API sends a callback's request: a widened payload breaks old receivers (FORWARD)."""
    repo = _repo(tmp_path, {"openapi.yaml": CALLBACKS},
                 {"openapi.yaml": CALLBACKS.replace("amount: {type: integer}", "amount: {type: number}")})
    started = time.process_time()
    code, report = run_json(capsys, monkeypatch, repo.root, "--base", "main")
    assert time.process_time() - started < 5
    assert code == 1
    (finding,) = report["findings"]
    assert finding["rule_id"] == "RESPONSE_TYPE_CHANGED"  # data the API writes, read by old receivers
    assert "callback paid" in finding["message"]
    assert "receivers on the old contract reject what the API now sends" in finding["message"]
