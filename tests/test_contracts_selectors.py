"""Selectors through ``schemacheck contract`` on plain files: every form resolves, and every bad
selector is one clear error line (exit 2), never a traceback or a pass."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from schemacheck.cli import main

DTO = """\
from typing import Literal

from pydantic import BaseModel


class Order(BaseModel):
    id: str
    total_amount: int
    status: Literal["pending", "paid"]


class NewOrder(BaseModel):
    customer_id: str


class Plain:
    x: int
"""
SPEC = """\
openapi: 3.0.3
info: {title: Orders, version: "1"}
paths:
  /orders/{orderId}:
    get:
      responses:
        "200":
          description: ok
          content:
            application/vnd.orders+json:
              schema: {$ref: "#/components/schemas/Order"}
        "204": {description: nothing}
  /orders:
    post:
      requestBody:
        content:
          application/json:
            schema:
              type: object
              required: [customer_id, currency]
              properties:
                customer_id: {type: string}
                currency: {type: string}
                created_by: {type: string, readOnly: true}
      responses:
        "201": {description: created}
components:
  schemas:
    Order:
      type: object
      required: [id, total_cents, status]
      properties:
        id: {type: string}
        total_cents: {type: integer}
        status: {type: string, enum: [pending, paid, refunded]}
"""
SWAGGER = {
    "swagger": "2.0", "info": {"title": "Orders", "version": "1"},
    "paths": {"/orders/{id}": {"get": {"responses": {"200": {"description": "ok", "schema": {
        "type": "object", "required": ["id", "total_amount", "status"],
        "properties": {"id": {"type": "string"}, "total_amount": {"type": "integer"},
                       "status": {"type": "string", "enum": ["pending", "paid"]}}}}}}}},
}


@pytest.fixture()
def files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "dto.py").write_text(DTO)
    (tmp_path / "spec.yaml").write_text(SPEC)
    (tmp_path / "swagger.json").write_text(json.dumps(SWAGGER))
    (tmp_path / "schema.json").write_text(json.dumps({"$defs": {"Order": SWAGGER["paths"]["/orders/{id}"]["get"][
        "responses"]["200"]["schema"]}}))
    (tmp_path / "broken.py").write_text("class Order(BaseModel:\n")
    (tmp_path / "broken.json").write_text("{not json")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _rules(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, set[str]]:
    code = main(["contract", *args, "--format", "json"])
    out = capsys.readouterr().out
    return code, {f["rule_id"] for f in json.loads(out)["findings"]} if out.strip() else set()


@pytest.mark.parametrize("producer", [
    "spec.yaml GET /orders/{id} 200",                                 # parameter names do not matter
    "spec.yaml#/paths/~1orders~1{orderId}/get/responses/200",
    "spec.yaml#/components/schemas/Order",
])
def test_openapi_forms_resolve_to_the_same_schema(files, capsys, producer: str) -> None:
    code, rules = _rules(capsys, "dto.py:Order", producer)
    assert code == 1
    assert {"CONTRACT_REQUIRED_FIELD_MISSING", "CONTRACT_ENUM_VALUE_NOT_ACCEPTED"} <= rules


@pytest.mark.parametrize("producer", ["swagger.json GET /orders/{id} 200", "schema.json#/$defs/Order"])
def test_compatible_producers_pass(files, capsys, producer: str) -> None:
    code, rules = _rules(capsys, "dto.py:Order", producer)
    assert code == 0, rules


@pytest.mark.parametrize("producer", ["spec.yaml POST /orders request", "spec.yaml#/paths/~1orders/post/requestBody"])
def test_request_body_forms_in_writes_direction(files, capsys, producer: str) -> None:
    code, rules = _rules(capsys, "dto.py:NewOrder", producer, "--direction", "writes")
    assert code == 1  # the server requires currency, which NewOrder never sends (created_by is read-only)
    assert rules == {"CONTRACT_REQUIRED_FIELD_MISSING"}


@pytest.mark.parametrize("consumer,producer,needle", [
    ("dto.py", "spec.yaml GET /orders/{id} 200", "dto.py:ClassName"),
    ("dto.py:Missing", "spec.yaml GET /orders/{id} 200", "Missing"),
    ("dto.py:Plain", "spec.yaml GET /orders/{id} 200", "not a DTO"),
    ("broken.py:Order", "spec.yaml GET /orders/{id} 200", "broken.py"),
    ("nofile.py:Order", "spec.yaml GET /orders/{id} 200", "nofile.py"),
    ("dto.py:Order", "spec.yaml GET /orders/{id} 404", "404"),
    ("dto.py:Order", "spec.yaml GET /orders/{id} 204", "JSON content"),
    ("dto.py:Order", "spec.yaml DELETE /orders/{id} 200", "DELETE"),
    ("dto.py:Order", "spec.yaml FETCH /orders/{id} 200", "FETCH"),
    ("dto.py:Order", "spec.yaml#/components/schemas/Nope", "Nope"),
    ("dto.py:Order", "spec.yaml#/components/schemas/~9", "~9"),
    ("dto.py:Order", "schema.json GET /orders 200", "not an OpenAPI document"),
    ("dto.py:Order", "broken.json", "broken.json"),
    ("dto.py:Order", "notes.txt", "notes.txt"),
    ("dto.py:Order", "orders.proto", "orders.proto:pkg.Message"),
])
def test_bad_selectors_are_one_line_errors(files, capsys, consumer: str, producer: str, needle: str) -> None:
    assert main(["contract", consumer, producer]) == 2
    err = capsys.readouterr().err
    assert err.startswith("schemacheck: error:") and needle in err and "Traceback" not in err


def test_python_producer_is_read_in_its_write_view(files, capsys) -> None:
    (files / "producer.py").write_text("from pydantic import BaseModel, Field\n\n\nclass OrderOut(BaseModel):\n"
                                       "    id: str\n    total: int = Field(serialization_alias='total_amount')\n"
                                       "    status: str\n")
    code, rules = _rules(capsys, "dto.py:Order", "producer.py:OrderOut")
    assert code == 1  # total_amount is written (by its serialization alias); status is any string, not the Literal
    assert rules == {"CONTRACT_ENUM_VALUE_NOT_ACCEPTED"}
