"""Issue 8's acceptance: OpenAPI changes on a branch, checked with ``--base main`` by the real CLI.

Each scenario edits one thing of a spec in a real git repository; the expected findings are
(rule, line in the new file). The ``total_amount`` → ``total_cents`` rename is checked in three
dialects: OpenAPI 3.0 JSON, 3.1 YAML and Swagger 2.0 YAML.
"""

from __future__ import annotations

import json

import pytest

from gitrepo import GitRepo
from openapi_repo import change_repo, run_cli
from schemacheck.cli import main
from tools import REPO_ROOT

SPEC_30_JSON = """{
  "openapi": "3.0.3",
  "info": {"title": "Orders", "version": "1.0.0"},
  "paths": {
    "/v1/orders/{id}": {
      "get": {
        "description": "Fetch one order.",
        "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
        "responses": {
          "200": {
            "description": "An order",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Order"}}}
          }
        }
      },
      "delete": {"responses": {"204": {"description": "Deleted"}}}
    },
    "/v1/orders": {
      "post": {
        "parameters": [{"name": "dry_run", "in": "query", "schema": {"type": "boolean"}}],
        "requestBody": {
          "required": true,
          "content": {"application/json": {"schema": {"$ref": "#/components/schemas/NewOrder"}}}
        },
        "responses": {"201": {"description": "Created"}}
      }
    }
  },
  "components": {
    "schemas": {
      "Order": {
        "type": "object",
        "properties": {
          "id": {"type": "string"},
          "total_amount": {"type": "integer", "nullable": true},
          "parent": {"$ref": "#/components/schemas/Order"}
        }
      },
      "NewOrder": {
        "type": "object",
        "properties": {
          "channel": {"type": "string", "enum": ["web", "app", "kiosk"]}
        }
      }
    }
  }
}
"""

SPEC_31_YAML = """openapi: 3.1.0
info:
  title: Orders
  version: 1.0.0
paths:
  /v1/orders/{id}:
    get:
      parameters:
        - name: id
          in: path
          required: true
          schema:
            type: string
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
          type: [integer, "null"]
        parent:
          $ref: "#/components/schemas/Order"
"""

SPEC_20_YAML = """swagger: "2.0"
info:
  title: Orders
  version: 1.0.0
produces: [application/json]
paths:
  /v1/orders/{id}:
    get:
      parameters:
        - name: id
          in: path
          required: true
          type: string
      responses:
        "200":
          description: An order
          schema:
            $ref: "#/definitions/Order"
definitions:
  Order:
    type: object
    properties:
      id:
        type: string
      total_amount:
        type: integer
      parent:
        $ref: "#/definitions/Order"
"""

RENAME = ("total_amount", "total_cents")

#: name -> (file, base text, edits, expected {(rule, text on the reported line of the new file)})
SCENARIOS = {
    "rename-3.0-json": ("api/openapi.json", SPEC_30_JSON, [RENAME], {("RESPONSE_PROPERTY_RENAMED", '"total_cents"')}),
    "rename-3.1-yaml": ("api/openapi.yaml", SPEC_31_YAML, [RENAME], {("RESPONSE_PROPERTY_RENAMED", "total_cents:")}),
    "rename-2.0-yaml": ("api/swagger.yaml", SPEC_20_YAML, [RENAME], {("RESPONSE_PROPERTY_RENAMED", "total_cents:")}),
    "remove-operation": ("api/openapi.json", SPEC_30_JSON,
                         [('      },\n      "delete": {"responses": {"204": {"description": "Deleted"}}}\n', "      }\n")],
                         {("OPERATION_REMOVED", '"/v1/orders/{id}": {')}),
    "required-query-parameter": ("api/openapi.json", SPEC_30_JSON,
                                 [('"parameters": [{"name": "dry_run"',
                                   '"parameters": [{"name": "region", "in": "query", "required": true, '
                                   '"schema": {"type": "string"}}, {"name": "dry_run"')],
                                 {("PARAMETER_REQUIRED_ADDED", '"name": "region"')}),
    "narrowed-request-enum": ("api/openapi.json", SPEC_30_JSON, [('["web", "app", "kiosk"]', '["web", "app"]')],
                              {("REQUEST_ENUM_VALUE_REMOVED", '"enum": ["web", "app"]')}),
    "optional-response-property-and-description": (
        "api/openapi.json", SPEC_30_JSON,
        [('"id": {"type": "string"},\n          "total_amount"',
          '"id": {"type": "string"},\n          "currency": {"type": "string"},\n          "total_amount"'),
         ("Fetch one order.", "Fetch one order by its id."), ('"version": "1.0.0"', '"version": "1.1.0"')],
        set()),
    "path-parameter-renamed": ("api/openapi.json", SPEC_30_JSON,
                               [("/v1/orders/{id}", "/v1/orders/{orderId}"), ('"name": "id"', '"name": "orderId"')],
                               set()),
}


def _edit(text: str, edits: list[tuple[str, str]]) -> str:
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new)
    return text


def _line_of(lines: list[str], marker: str) -> int:
    (line,) = [i for i, text in enumerate(lines, 1) if marker in text]
    return line


@pytest.fixture(scope="module")
def repos(tmp_path_factory: pytest.TempPathFactory) -> dict[str, GitRepo]:
    return {name: change_repo(tmp_path_factory.mktemp(name), {path: base}, {path: _edit(base, edits)}, name)
            for name, (path, base, edits, _) in SCENARIOS.items()}


def _cli(repo: GitRepo, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, *args: str
         ) -> tuple[int, str]:
    return run_cli(capsys, monkeypatch, repo.root, "--base", "main", *args)


@pytest.mark.parametrize("scenario", list(SCENARIOS))
def test_scenario(scenario: str, repos, capsys, monkeypatch) -> None:
    path, base, edits, expected = SCENARIOS[scenario]
    code, out = _cli(repos[scenario], capsys, monkeypatch, "--format", "json")
    report = json.loads(out)
    lines = _edit(base, edits).splitlines()
    errors = {(f["rule_id"], f["location"]["line"]) for f in report["findings"] if f["severity"] == "error"}
    assert errors == {(rule, _line_of(lines, marker)) for rule, marker in expected}
    assert all(f["location"]["path"] == path for f in report["findings"])
    assert code == (1 if expected else 0)
    assert report["summary"]["files_checked_by_format"]["openapi"] == 1


def test_rename_message_names_operation_location_and_both_names(repos, capsys, monkeypatch) -> None:
    _, out = _cli(repos["rename-3.1-yaml"], capsys, monkeypatch, "--format", "json")
    (finding,) = json.loads(out)["findings"]
    assert finding["message"].startswith("GET /v1/orders/{id}: response 200 application/json: ")
    assert '"total_amount" was renamed to "total_cents"' in finding["message"]


def test_sarif_region_is_the_renamed_property(repos, capsys, monkeypatch) -> None:
    _, out = _cli(repos["rename-3.0-json"], capsys, monkeypatch, "--format", "sarif")
    (result,) = json.loads(out)["runs"][0]["results"]
    region = result["locations"][0]["physicalLocation"]["region"]
    line = SPEC_30_JSON.replace(*RENAME).splitlines()[region["startLine"] - 1]
    assert line[region["startColumn"] - 1:].startswith('"total_cents"')
    assert result["ruleId"] == "RESPONSE_PROPERTY_RENAMED"


def test_inline_suppression_with_x_schemacheck_ignore(tmp_path, capsys, monkeypatch) -> None:
    repo = change_repo(tmp_path, {"openapi.yaml": SPEC_31_YAML}, {"openapi.yaml": SPEC_31_YAML.replace(
        "        total_amount:\n", "        total_cents:\n").replace(
        "    Order:\n      type: object\n",
        "    Order:\n      type: object\n      x-schemacheck-ignore: RESPONSE_PROPERTY_RENAMED -- no client reads it yet\n")})
    code, out = _cli(repo, capsys, monkeypatch, "--format", "json")
    report = json.loads(out)
    assert code == 0 and report["findings"] == []
    assert report["summary"]["suppressed"] == 1


def test_staged_rename_fails_the_pre_commit_check(tmp_path, capsys, monkeypatch) -> None:
    repo = GitRepo(tmp_path)
    repo.write("openapi.yaml", SPEC_31_YAML)
    repo.commit("base")
    repo.write("openapi.yaml", SPEC_31_YAML.replace(*RENAME))
    repo.stage("openapi.yaml")
    monkeypatch.chdir(repo.root)
    assert main(["--staged"]) == 1
    assert "RESPONSE_PROPERTY_RENAMED" in capsys.readouterr().out


SHARED = """openapi: 3.0.3
info:
  title: Users
  version: 1.0.0
paths:
  /v1/users:
    post:
      requestBody:
        content:
          application/json:
            schema:
              $ref: "#/components/schemas/User"
      responses:
        "201":
          description: Created
          content:
            application/json:
              schema:
                $ref: "#/components/schemas/User"
components:
  schemas:
    User:
      type: object
      properties:
        name:
          type: string
        password:
          type: string
          writeOnly: true
"""


@pytest.mark.parametrize(("marker", "expected"), [("readOnly: true", set()),
                                                  ("description: set by the server",
                                                   {"REQUEST_PROPERTY_BECAME_REQUIRED"})])
def test_read_only_properties_belong_to_responses_only(marker, expected, tmp_path, capsys, monkeypatch) -> None:
    """A required readOnly property is not required of clients; a removed writeOnly one was never returned."""
    after = SHARED.replace("      properties:\n        name:",
                           f"      required: [id]\n      properties:\n        id:\n          type: integer\n"
                           f"          {marker}\n        name:")
    after = after.replace("        password:\n          type: string\n          writeOnly: true\n", "")
    repo = change_repo(tmp_path, {"openapi.yaml": SHARED}, {"openapi.yaml": after})
    code, out = _cli(repo, capsys, monkeypatch, "--format", "json")
    report = json.loads(out)
    assert {f["rule_id"] for f in report["findings"] if f["severity"] == "error"} == expected
    assert code == (1 if expected else 0)



def test_a_non_string_in_required_beside_a_write_only_property_is_no_internal_error(tmp_path, capsys,
                                                                                      monkeypatch) -> None:
    """Fuzz finding (fuzz/crashes/openapi/e88345fbbb05): the response view drops writeOnly properties
    and filtered ``required`` with a set lookup, which an object in ``required`` broke (TypeError)."""
    crash = REPO_ROOT / "fuzz/crashes/openapi/e88345fbbb05"
    repo = change_repo(tmp_path, {"openapi.yaml": (crash / "base.yaml").read_text()},
                       {"openapi.yaml": (crash / "head.yaml").read_text()})
    monkeypatch.chdir(repo.root)
    code = main(["--base", "main"])
    captured = capsys.readouterr()
    assert "internal error" not in captured.err, captured.err
    assert code == 1, captured.out + captured.err
