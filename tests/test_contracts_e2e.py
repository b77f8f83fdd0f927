"""Issue 10's acceptance: consumer contracts across formats, in real git repositories through the real CLI.

One repository holds both services: the payment service's pydantic DTO (the consumer,
``payments/clients/orders.py``) and the order service's OpenAPI document and JSON Schema (the
producers). Each case commits on ``main``, changes *only* what the case says on a branch, and
runs ``schemacheck --base main`` (or another mode); findings are compared as (rule, path, line).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gitrepo import GitRepo
from schemacheck.cli import main
from test_report_json import validate as validate_report

CONSUMER = """\
from typing import Literal

from pydantic import BaseModel


class OrderResponse(BaseModel):
    id: str
    total_amount: int
    currency: str
    status: Literal["pending", "paid"]
"""
AMOUNT_LINE = 8
STATUS_LINE = 10

OPENAPI = """\
openapi: 3.0.3
info: {title: Orders, version: "1"}
paths:
  /orders/{id}:
    get:
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      responses:
        "200":
          description: The order.
          content:
            application/json:
              schema:
                $ref: "#/components/schemas/Order"
  /orders:
    post:
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: "#/components/schemas/NewOrder"}
      responses:
        "201": {description: Created.}
components:
  schemas:
    Order:
      type: object
      required: [id, total_amount, currency, status]
      properties:
        id: {type: string}
        total_amount: {type: integer}
        currency: {type: string}
        status: {type: string, enum: [pending, paid]}
    NewOrder:
      type: object
      required: [customer_id]
      properties:
        customer_id: {type: string}
"""

SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["id", "total_amount", "currency", "status"],
    "properties": {"id": {"type": "string"}, "total_amount": {"type": "integer"}, "currency": {"type": "string"},
                   "status": {"enum": ["pending", "paid"]}},
}

OPENAPI_CONTRACT = """\
[tool.schemacheck]
[[tool.schemacheck.contracts]]
name = "payments reads GET /orders/{id}"
consumer = "payments/clients/orders.py:OrderResponse"
producer = "orders/openapi.yaml GET /orders/{id} 200"
"""
SCHEMA_CONTRACT = """\
[tool.schemacheck]
[[tool.schemacheck.contracts]]
name = "payments reads order events"
consumer = "payments/clients/orders.py:OrderResponse"
producer = "orders/order.schema.json"
"""


def _repo(tmp: Path, config: str = OPENAPI_CONTRACT) -> GitRepo:
    repo = GitRepo(tmp / "repo")
    repo.write("pyproject.toml", config)
    repo.write("payments/clients/orders.py", CONSUMER)
    repo.write("orders/openapi.yaml", OPENAPI)
    repo.write("orders/order.schema.json", json.dumps(SCHEMA, indent=2) + "\n")
    repo.write("README.md", "two services\n")
    repo.commit("both services")
    repo.branch("change")
    return repo


def _edit(repo: GitRepo, path: str, old: str, new: str) -> None:
    text = (repo.root / path).read_text()
    assert old in text
    repo.write(path, text.replace(old, new))


def _run(repo: GitRepo, capsys, monkeypatch, *args: str) -> tuple[int, dict]:
    monkeypatch.chdir(repo.root)
    code = main([*args, "--format", "json"] if args and args[0] != "contract" else [*args, "--format", "json"])
    out = capsys.readouterr().out
    return code, json.loads(out) if out.strip() else {}


def _contract_findings(report: dict) -> set[tuple[str, str, int]]:
    return {(f["rule_id"], f["location"]["path"], f["location"]["line"]) for f in report["findings"]
            if f["rule_id"].startswith("CONTRACT_")}


def _contracts_compared(report: dict) -> int:
    return report["summary"]["files_checked_by_format"].get("contracts", 0)


def test_openapi_rename_fails_although_the_consumer_did_not_change(tmp_path, capsys, monkeypatch) -> None:
    repo = _repo(tmp_path)
    _edit(repo, "orders/openapi.yaml", "total_amount", "total_cents")
    repo.commit("rename in the producer only")
    code, report = _run(repo, capsys, monkeypatch, "--base", "main")
    assert code == 1
    assert ("CONTRACT_REQUIRED_FIELD_MISSING", "payments/clients/orders.py", AMOUNT_LINE) in _contract_findings(report)
    finding = next(f for f in report["findings"] if f["rule_id"] == "CONTRACT_REQUIRED_FIELD_MISSING")
    assert finding["base_location"]["path"] == "orders/openapi.yaml"  # the producer's side, related location
    assert finding["related"] == "producer"  # so a JSON reader knows base_location is not the base revision
    validate_report(report)  # the published JSON schema still holds
    assert "total_cents" in finding["message"] and "orders/openapi.yaml" in finding["message"]


def test_json_schema_rename_fails(tmp_path, capsys, monkeypatch) -> None:
    repo = _repo(tmp_path, SCHEMA_CONTRACT)
    _edit(repo, "orders/order.schema.json", "total_amount", "total_cents")
    repo.commit("rename in the producer's JSON Schema")
    code, report = _run(repo, capsys, monkeypatch, "--base", "main")
    assert code == 1
    assert ("CONTRACT_REQUIRED_FIELD_MISSING", "payments/clients/orders.py", AMOUNT_LINE) in _contract_findings(report)


@pytest.mark.parametrize("config,producer", [(OPENAPI_CONTRACT, "orders/openapi.yaml"),
                                             (SCHEMA_CONTRACT, "orders/order.schema.json")])
def test_renaming_on_both_sides_passes(config, producer, tmp_path, capsys, monkeypatch) -> None:
    repo = _repo(tmp_path, config)
    _edit(repo, producer, "total_amount", "total_cents")
    _edit(repo, "payments/clients/orders.py", "total_amount", "total_cents")
    repo.commit("rename on both sides")
    code, report = _run(repo, capsys, monkeypatch, "--base", "main", "--select", "CONTRACT")
    assert code == 0, report["findings"]
    assert _contracts_compared(report) == 1  # it ran: not a pass by omission


def test_producer_field_made_optional_fails(tmp_path, capsys, monkeypatch) -> None:
    repo = _repo(tmp_path)
    _edit(repo, "orders/openapi.yaml", "required: [id, total_amount, currency, status]",
          "required: [id, currency, status]")
    repo.commit("total_amount optional")
    code, report = _run(repo, capsys, monkeypatch, "--base", "main")
    assert code == 1
    assert ("CONTRACT_REQUIRED_FIELD_NOT_GUARANTEED", "payments/clients/orders.py", AMOUNT_LINE) \
        in _contract_findings(report)


def test_added_response_enum_value_the_literal_lacks_fails(tmp_path, capsys, monkeypatch) -> None:
    repo = _repo(tmp_path)
    _edit(repo, "orders/openapi.yaml", "enum: [pending, paid]", "enum: [pending, paid, refunded]")
    repo.commit("new status")
    code, report = _run(repo, capsys, monkeypatch, "--base", "main")
    assert code == 1
    assert ("CONTRACT_ENUM_VALUE_NOT_ACCEPTED", "payments/clients/orders.py", STATUS_LINE) in _contract_findings(report)
    finding = next(f for f in report["findings"] if f["rule_id"] == "CONTRACT_ENUM_VALUE_NOT_ACCEPTED")
    assert "refunded" in finding["message"]


def test_consumer_change_alone_is_checked_too(tmp_path, capsys, monkeypatch) -> None:
    repo = _repo(tmp_path)
    _edit(repo, "payments/clients/orders.py", '    currency: str\n', '    currency: str\n    paid_at: str\n')
    repo.commit("the consumer now requires paid_at")
    code, report = _run(repo, capsys, monkeypatch, "--base", "main", "--select", "CONTRACT")
    assert code == 1
    assert ("CONTRACT_REQUIRED_FIELD_MISSING", "payments/clients/orders.py", 10) in _contract_findings(report)


def test_unresolvable_selector_is_an_error_naming_the_entry(tmp_path, capsys, monkeypatch) -> None:
    repo = _repo(tmp_path)
    _edit(repo, "orders/openapi.yaml", "/orders/{id}:", "/v2/orders/{id}:")
    repo.commit("path moved")
    monkeypatch.chdir(repo.root)
    code = main(["--base", "main"])
    captured = capsys.readouterr()
    assert code == 2
    assert "payments reads GET /orders/{id}" in captured.out + captured.err


def test_unchanged_contract_is_not_checked(tmp_path, capsys, monkeypatch) -> None:
    repo = _repo(tmp_path)
    repo.write("orders/openapi.yaml", "openapi: 3.0.3\npaths: [not, a, spec")  # reading it would be an error
    repo.commit("a broken producer, on main too")
    repo.run("branch", "-f", "main", "HEAD")
    repo.write("README.md", "changed\n")
    repo.commit("docs only")
    code, report = _run(repo, capsys, monkeypatch, "--base", "main")
    assert code == 0, report
    assert _contracts_compared(report) == 0
    _edit(repo, "payments/clients/orders.py", "currency: str", "currency: str  # ISO 4217")
    repo.commit("consumer touched: now the contract is checked, and its producer does not load")
    code, report = _run(repo, capsys, monkeypatch, "--base", "main")
    assert code == 2  # it was attempted (the error names it), but not compared: the count does not claim it
    assert _contracts_compared(report) == 0


def test_ref_target_file_change_triggers_the_contract(tmp_path, capsys, monkeypatch) -> None:
    repo = _repo(tmp_path)
    _edit(repo, "orders/openapi.yaml", '$ref: "#/components/schemas/Order"', '$ref: "schemas/order.yaml"')
    repo.write("orders/schemas/order.yaml", "type: object\nrequired: [id, total_amount, currency, status]\n"
               "properties:\n  id: {type: string}\n  total_amount: {type: integer}\n  currency: {type: string}\n"
               "  status: {type: string, enum: [pending, paid]}\n")
    repo.commit("order schema in its own file")
    repo.run("branch", "-f", "main", "HEAD")
    _edit(repo, "orders/schemas/order.yaml", "total_amount", "total_cents")
    repo.commit("rename in the referenced file only")
    code, report = _run(repo, capsys, monkeypatch, "--base", "main")
    assert code == 1
    assert ("CONTRACT_REQUIRED_FIELD_MISSING", "payments/clients/orders.py", AMOUNT_LINE) in _contract_findings(report)


def test_staged_mode(tmp_path, capsys, monkeypatch) -> None:
    repo = _repo(tmp_path)
    _edit(repo, "orders/openapi.yaml", "total_amount", "total_cents")
    repo.stage("orders/openapi.yaml")
    code, report = _run(repo, capsys, monkeypatch, "--staged")
    assert code == 1
    assert ("CONTRACT_REQUIRED_FIELD_MISSING", "payments/clients/orders.py", AMOUNT_LINE) in _contract_findings(report)


def test_inline_suppression_on_the_consumer_line(tmp_path, capsys, monkeypatch) -> None:
    repo = _repo(tmp_path)
    _edit(repo, "orders/openapi.yaml", "total_amount", "total_cents")
    _edit(repo, "payments/clients/orders.py", "    total_amount: int\n",
          "    total_amount: int  # schemacheck: ignore[CONTRACT_REQUIRED_FIELD_MISSING] migrating this week\n")
    repo.commit("rename, consumer accepts the risk")
    code, report = _run(repo, capsys, monkeypatch, "--base", "main", "--select", "CONTRACT")
    assert code == 0, report["findings"]
    assert report["summary"]["suppressed"] == 1


def test_sarif_related_location_is_the_producer(tmp_path, capsys, monkeypatch) -> None:
    repo = _repo(tmp_path)
    _edit(repo, "orders/openapi.yaml", "total_amount", "total_cents")
    repo.commit("rename")
    monkeypatch.chdir(repo.root)
    assert main(["--base", "main", "--format", "sarif", "--select", "CONTRACT"]) == 1
    result = json.loads(capsys.readouterr().out)["runs"][0]["results"][0]
    assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].endswith("payments/clients/orders.py")
    assert result["relatedLocations"][0]["physicalLocation"]["artifactLocation"]["uri"].endswith("orders/openapi.yaml")


def test_unknown_key_in_a_contract_entry_is_rejected(tmp_path, capsys, monkeypatch) -> None:
    repo = _repo(tmp_path, OPENAPI_CONTRACT + 'consumr = "x.py:X"\n')
    _edit(repo, "orders/openapi.yaml", "total_amount", "total_cents")
    repo.commit("rename")
    monkeypatch.chdir(repo.root)
    assert main(["--base", "main"]) == 2
    assert "consumr" in capsys.readouterr().err


def test_writes_direction_request_body(tmp_path, capsys, monkeypatch) -> None:
    config = ('[tool.schemacheck]\n[[tool.schemacheck.contracts]]\n'
              'consumer = "payments/clients/new_order.py:NewOrder"\n'
              'producer = "orders/openapi.yaml POST /orders request"\ndirection = "writes"\n')
    repo = _repo(tmp_path, config)
    repo.write("payments/clients/new_order.py", "from pydantic import BaseModel\n\n\nclass NewOrder(BaseModel):\n"
                                                "    customer_id: str\n")
    repo.commit("request DTO")
    repo.run("branch", "-f", "main", "HEAD")
    _edit(repo, "orders/openapi.yaml", "required: [customer_id]", "required: [customer_id, currency]")
    _edit(repo, "orders/openapi.yaml", "customer_id: {type: string}", "customer_id: {type: string}\n"
                                                                      "        currency: {type: string}")
    repo.commit("the server now requires currency")
    code, report = _run(repo, capsys, monkeypatch, "--base", "main", "--select", "CONTRACT")
    assert code == 1
    assert ("CONTRACT_REQUIRED_FIELD_MISSING", "payments/clients/new_order.py", 4) in _contract_findings(report)


def test_contract_subcommand_on_files_outside_a_repository(tmp_path, capsys, monkeypatch) -> None:
    work = tmp_path / "plain"  # no git repository anywhere here
    (work / "clients").mkdir(parents=True)
    (work / "clients" / "orders.py").write_text(CONSUMER)
    downloaded = tmp_path / "downloads" / "orders.yaml"
    downloaded.parent.mkdir()
    downloaded.write_text(OPENAPI.replace("total_amount", "total_cents"))
    monkeypatch.chdir(work)
    code = main(["contract", "clients/orders.py:OrderResponse", f"{downloaded} GET /orders/{{id}} 200",
                 "--format", "json"])
    report = json.loads(capsys.readouterr().out)
    assert code == 1
    assert ("CONTRACT_REQUIRED_FIELD_MISSING", "clients/orders.py", AMOUNT_LINE) in _contract_findings(report)
    downloaded.write_text(OPENAPI)
    assert main(["contract", "clients/orders.py:OrderResponse", f"{downloaded} GET /orders/{{id}} 200"]) == 0
    capsys.readouterr()
    assert main(["contract", "clients/orders.py:Nope", f"{downloaded} GET /orders/{{id}} 200"]) == 2
    assert "Nope" in capsys.readouterr().err


PROTO = """\
syntax = "proto3";

package shop.orders.v1;

message Order {
  string id = 1;
  int64 total_amount = 2;
  string currency = 3;
}
"""
PROTO_CONTRACT = """\
[tool.schemacheck]
[[tool.schemacheck.contracts]]
name = "payments reads the Order message"
consumer = "payments/clients/order_event.py:OrderEvent"
producer = "orders/order.proto:shop.orders.v1.Order"
"""
PROTO_CONSUMER = """\
from pydantic import BaseModel


class OrderEvent(BaseModel):
    id: str = ""
    totalAmount: str = "0"
    currency: str = ""
"""


def _proto_repo(tmp_path: Path) -> GitRepo:
    repo = GitRepo(tmp_path / "repo")
    repo.write("pyproject.toml", PROTO_CONTRACT)
    repo.write("payments/clients/order_event.py", PROTO_CONSUMER)
    repo.write("orders/order.proto", PROTO)
    repo.commit("both services")
    repo.branch("change")
    _edit(repo, "orders/order.proto", "total_amount", "total_cents")
    repo.commit("rename in the proto message only")
    return repo


def test_proto_rename_fails_through_protojson(tmp_path, capsys, monkeypatch) -> None:
    repo = _proto_repo(tmp_path)
    code, report = _run(repo, capsys, monkeypatch, "--base", "main", "--select", "CONTRACT")
    assert code == 1, report
    # ProtoJSON omits default values, so a proto3 scalar is never guaranteed: the consumer's defaulted
    # field is read from a closed writer that no longer declares its JSON name.
    assert ("CONTRACT_FIELD_NEVER_SENT", "payments/clients/order_event.py", 6) in _contract_findings(report)
    _edit(repo, "payments/clients/order_event.py", "totalAmount", "totalCents")
    repo.commit("consumer follows")
    code, report = _run(repo, capsys, monkeypatch, "--base", "main", "--select", "CONTRACT")
    assert code == 0, report["findings"]
    assert _contracts_compared(report) == 1


def test_proto_scalar_is_never_guaranteed_to_a_consumer_that_requires_it(tmp_path, capsys, monkeypatch) -> None:
    repo = _proto_repo(tmp_path)  # (the rename is irrelevant here: the field the consumer requires is id)
    _edit(repo, "payments/clients/order_event.py", '    id: str = ""', "    id: str")
    repo.commit("the consumer now requires id")
    code, report = _run(repo, capsys, monkeypatch, "--base", "main", "--select",
                        "CONTRACT_REQUIRED_FIELD_NOT_GUARANTEED")
    assert code == 1  # ProtoJSON omits default values: a proto3 string without `optional` may be absent
    assert ("CONTRACT_REQUIRED_FIELD_NOT_GUARANTEED", "payments/clients/order_event.py", 5) \
        in _contract_findings(report)


ROOTED_PROTO = """\
syntax = "proto3";

package shop.orders.v1;

import "shop/common/v1/money.proto";

message Order {
  string id = 1;
  int64 total_amount = 2;
  shop.common.v1.Money price = 3;
}
"""
MONEY = 'syntax = "proto3";\n\npackage shop.common.v1;\n\nmessage Money {\n  string currency = 1;\n}\n'


@pytest.mark.parametrize("configured", ["pyproject", "buf.yaml"])
def test_a_proto_producer_is_compiled_with_the_protobuf_checks_import_roots(configured: str, tmp_path, capsys,
                                                                           monkeypatch) -> None:
    # the producer imports a file by its name under the module root (proto/), as protoc -I proto would;
    # a contract must compile it as the protobuf check does, with the roots the project configured
    repo = GitRepo(tmp_path / "repo")
    contract = PROTO_CONTRACT.replace("orders/order.proto", "proto/shop/orders/v1/order.proto")
    if configured == "pyproject":
        contract = contract.replace("[tool.schemacheck]\n", '[tool.schemacheck]\n[tool.schemacheck.protobuf]\nroots = ["proto"]\n')
    else:
        repo.write("buf.yaml", "version: v2\nmodules:\n  - path: proto\n")
    repo.write("pyproject.toml", contract)
    repo.write("payments/clients/order_event.py", PROTO_CONSUMER)
    repo.write("proto/shop/orders/v1/order.proto", ROOTED_PROTO)
    repo.write("proto/shop/common/v1/money.proto", MONEY)
    repo.commit("both services")
    _edit(repo, "proto/shop/orders/v1/order.proto", "total_amount", "total_cents")
    repo.commit("rename in the proto message only")
    code, report = _run(repo, capsys, monkeypatch, "--base", "HEAD~1", "--select", "CONTRACT")
    assert code == 1, report
    assert ("CONTRACT_FIELD_NEVER_SENT", "payments/clients/order_event.py", 6) in _contract_findings(report)


def test_unknown_proto_message_is_an_error_naming_the_entry(tmp_path, capsys, monkeypatch) -> None:
    repo = _proto_repo(tmp_path)
    _edit(repo, "orders/order.proto", "message Order {", "message Purchase {")
    repo.commit("message renamed")
    monkeypatch.chdir(repo.root)
    assert main(["--base", "main", "--select", "CONTRACT"]) == 2
    captured = capsys.readouterr()
    assert "payments reads the Order message" in captured.out + captured.err


def test_pre_commit_mode(tmp_path, capsys, monkeypatch) -> None:
    repo = _repo(tmp_path)
    _edit(repo, "orders/openapi.yaml", "enum: [pending, paid]", "enum: [pending, paid, refunded]")
    repo.stage("orders/openapi.yaml")
    monkeypatch.setenv("GIT_INDEX_FILE", str(repo.root / ".git" / "index"))  # as `git commit` sets it for hooks
    code, report = _run(repo, capsys, monkeypatch, "--pre-commit")
    assert code == 1
    assert ("CONTRACT_ENUM_VALUE_NOT_ACCEPTED", "payments/clients/orders.py", STATUS_LINE) in _contract_findings(report)


def test_against_directories(tmp_path, capsys, monkeypatch) -> None:
    old, new = tmp_path / "old", tmp_path / "new"
    for root, openapi in ((old, OPENAPI), (new, OPENAPI.replace("total_amount", "total_cents"))):
        (root / "payments" / "clients").mkdir(parents=True)
        (root / "orders").mkdir()
        (root / "pyproject.toml").write_text(OPENAPI_CONTRACT)
        (root / "payments" / "clients" / "orders.py").write_text(CONSUMER)
        (root / "orders" / "openapi.yaml").write_text(openapi)
    monkeypatch.chdir(new)
    code = main([".", "--against", str(old), "--format", "json", "--select", "CONTRACT"])
    report = json.loads(capsys.readouterr().out)
    assert code == 1
    assert ("CONTRACT_REQUIRED_FIELD_MISSING", "payments/clients/orders.py", AMOUNT_LINE) in _contract_findings(report)


def test_imported_dto_module_change_triggers_the_contract(tmp_path, capsys, monkeypatch) -> None:
    repo = _repo(tmp_path)
    repo.write("payments/clients/money.py", "from pydantic import BaseModel\n\n\nclass Money(BaseModel):\n"
                                            "    currency: str\n")
    _edit(repo, "payments/clients/orders.py", "from pydantic import BaseModel\n",
          "from pydantic import BaseModel\n\nfrom .money import Money\n")
    _edit(repo, "payments/clients/orders.py", "class OrderResponse(BaseModel):", "class OrderResponse(Money):")
    _edit(repo, "payments/clients/orders.py", "    currency: str\n", "")
    repo.commit("currency from a base class in another module")
    repo.run("branch", "-f", "main", "HEAD")
    _edit(repo, "payments/clients/money.py", "    currency: str\n", "    currency: str\n    fx_rate: float\n")
    repo.commit("the base class now requires fx_rate; orders.py itself is unchanged")
    code, report = _run(repo, capsys, monkeypatch, "--base", "main", "--select", "CONTRACT")
    assert code == 1
    assert _contracts_compared(report) == 1
    assert any(rule == "CONTRACT_REQUIRED_FIELD_MISSING" for rule, _, _ in _contract_findings(report))


def test_selection_without_contract_rules_checks_no_contract(tmp_path, capsys, monkeypatch) -> None:
    repo = _repo(tmp_path)
    _edit(repo, "orders/openapi.yaml", "total_amount", "total_cents")
    repo.commit("rename")
    code, report = _run(repo, capsys, monkeypatch, "--base", "main", "--select", "FIELD_NO_DELETE")
    assert code == 0
    assert _contracts_compared(report) == 0


def test_path_arguments_limit_contracts_to_those_with_a_side_under_them(tmp_path, capsys, monkeypatch) -> None:
    repo = _repo(tmp_path)
    _edit(repo, "orders/openapi.yaml", "total_amount", "total_cents")
    repo.commit("rename")
    code, report = _run(repo, capsys, monkeypatch, "--base", "main", "--select", "CONTRACT", "payments")
    assert code == 1  # the consumer is under payments/, so the contract runs though its producer is outside
    code, report = _run(repo, capsys, monkeypatch, "--base", "main", "--select", "CONTRACT", "README.md")
    assert code == 0 and _contracts_compared(report) == 0


def test_junit_names_the_producer_not_a_base_revision(tmp_path, capsys, monkeypatch) -> None:
    """The producer's element is in head: JUnit must not call it the base revision's (as SARIF does not)."""
    import xml.etree.ElementTree as ET

    repo = _repo(tmp_path)
    _edit(repo, "orders/openapi.yaml", "total_amount", "total_cents")
    repo.commit("rename")
    monkeypatch.chdir(repo.root)
    assert main(["--base", "main", "--format", "junit", "--select", "CONTRACT"]) == 1
    failure = ET.fromstring(capsys.readouterr().out).find(".//failure")
    assert failure is not None and "orders/openapi.yaml" in failure.text
    assert "was at base" not in failure.text
