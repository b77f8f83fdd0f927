"""A new user's first contracts, through the real CLI in real git repositories (issues found from a fresh clone).

Each test states what the user saw and fails on it: a contract added in the configuration alone,
files outside the repository named as the user gave them, ``writes`` worded as ``writes``,
counts that add up, a fix hint that works, clear messages for broken files, and a ``$ref``
leaving an ad hoc file's directory that never passes silently.
"""

from __future__ import annotations

import json

import pytest

from schemacheck.cli import main
from test_contracts_e2e import AMOUNT_LINE, CONSUMER, OPENAPI, OPENAPI_CONTRACT, _contract_findings, \
    _contracts_compared, _edit, _repo, _run

FAILING_ENTRY = """
[[tool.schemacheck.contracts]]
name = "payments reads new orders"
consumer = "payments/clients/orders.py:OrderResponse"
producer = "orders/openapi.yaml#/components/schemas/NewOrder"
"""


@pytest.mark.parametrize("mode", ["base", "staged", "head"])
def test_contract_added_in_the_configuration_alone_is_checked(mode, tmp_path, capsys, monkeypatch) -> None:
    repo = _repo(tmp_path)
    _edit(repo, "pyproject.toml", OPENAPI_CONTRACT, OPENAPI_CONTRACT + FAILING_ENTRY)
    if mode == "staged":
        repo.stage("pyproject.toml")
        args = ("--staged", "--select", "CONTRACT")
    else:
        repo.commit("a new contract, nothing else")
        args = ("--base", "main", "--select", "CONTRACT") if mode == "base" else ("--head", "HEAD", "--select",
                                                                                    "CONTRACT")
    code, report = _run(repo, capsys, monkeypatch, *args)
    assert code == 1, report
    assert ("CONTRACT_REQUIRED_FIELD_MISSING", "payments/clients/orders.py", AMOUNT_LINE) in _contract_findings(report)
    assert _contracts_compared(report) == 1  # the new entry only: the unchanged one is not rechecked


def test_selector_typo_added_in_the_configuration_is_an_error(tmp_path, capsys, monkeypatch) -> None:
    repo = _repo(tmp_path)
    _edit(repo, "pyproject.toml", "orders.py:OrderResponse", "orders.py:OrderResponce")
    repo.commit("typo")
    monkeypatch.chdir(repo.root)
    code = main(["--base", "main"])
    captured = capsys.readouterr()
    assert code == 2, captured.out
    assert "payments reads GET /orders/{id}" in captured.err + captured.out
    assert "OrderResponce" in captured.err + captured.out


def test_configuration_edit_elsewhere_does_not_recheck_unchanged_contracts(tmp_path, capsys, monkeypatch) -> None:
    repo = _repo(tmp_path)
    _edit(repo, "pyproject.toml", "[tool.schemacheck]\n", "[tool.schemacheck]\nfail-on = \"error\"\n")
    repo.commit("config edit that leaves the contract as it was")
    code, report = _run(repo, capsys, monkeypatch, "--base", "main")
    assert code == 0, report
    assert _contracts_compared(report) == 0


def _outside_files(tmp_path):
    work = tmp_path / "plain"
    (work / "clients").mkdir(parents=True)
    (work / "clients" / "orders.py").write_text(CONSUMER)
    downloaded = tmp_path / "downloads" / "orders.yaml"
    downloaded.parent.mkdir()
    downloaded.write_text(OPENAPI.replace("total_amount", "total_cents"))
    return work, downloaded


@pytest.mark.parametrize("relative", [False, True])
def test_producer_outside_the_current_directory_is_reported_as_given(relative, tmp_path, capsys,
                                                                     monkeypatch) -> None:
    work, downloaded = _outside_files(tmp_path)
    monkeypatch.chdir(work)
    given = "../downloads/orders.yaml" if relative else str(downloaded)
    code = main(["contract", "clients/orders.py:OrderResponse", f"{given} GET /orders/{{id}} 200", "--format", "json"])
    report = json.loads(capsys.readouterr().out)
    assert code == 1
    finding = next(f for f in report["findings"] if f["rule_id"] == "CONTRACT_REQUIRED_FIELD_MISSING")
    assert finding["base_location"]["path"] == given
    assert f"({given}:" in finding["message"]
    main(["contract", "clients/orders.py:OrderResponse", f"{given} GET /orders/{{id}} 200", "--format", "text"])
    text = capsys.readouterr().out
    assert f"{given}:" in text and " orders.yaml:" not in text
    main(["contract", "clients/orders.py:OrderResponse", f"{given} GET /orders/{{id}} 200", "--format", "sarif"])
    sarif = json.loads(capsys.readouterr().out)
    uris = [loc["physicalLocation"]["artifactLocation"] for result in sarif["runs"][0]["results"]
            for loc in result.get("relatedLocations", []) + result["locations"]]
    assert {"uri": downloaded.resolve().as_uri()} in uris
    assert {"uri": "clients/orders.py", "uriBaseId": "%SRCROOT%"} in uris


def test_consumer_given_as_an_absolute_path_from_another_directory(tmp_path, capsys, monkeypatch) -> None:
    work, downloaded = _outside_files(tmp_path)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    consumer = str(work / "clients" / "orders.py")
    code = main(["contract", f"{consumer}:OrderResponse", f"{downloaded} GET /orders/{{id}} 200", "--format", "json"])
    report = json.loads(capsys.readouterr().out)
    assert code == 1
    assert ("CONTRACT_REQUIRED_FIELD_MISSING", consumer, AMOUNT_LINE) in _contract_findings(report)


WRITES_CONTRACT = ('[tool.schemacheck]\n[[tool.schemacheck.contracts]]\n'
                   'consumer = "payments/clients/new_order.py:NewOrder"\n'
                   'producer = "orders/openapi.yaml POST /orders request"\ndirection = "writes"\n')
NEW_ORDER = ("from pydantic import BaseModel\n\n\nclass NewOrder(BaseModel):\n    customer_id: str\n"
             "    total_amount: int\n")


def _writes_repo(tmp_path, config: str = WRITES_CONTRACT):
    repo = _repo(tmp_path, config)
    repo.write("payments/clients/new_order.py", NEW_ORDER)
    repo.commit("request DTO")
    repo.run("branch", "-f", "main", "HEAD")
    return repo


def test_writes_direction_is_worded_for_writes(tmp_path, capsys, monkeypatch) -> None:
    repo = _writes_repo(tmp_path)
    _edit(repo, "orders/openapi.yaml", "required: [customer_id]", "required: [customer_id, total_cents]")
    _edit(repo, "orders/openapi.yaml", "customer_id: {type: string}", "customer_id: {type: string}\n"
                                                                      "        total_cents: {type: integer}")
    repo.commit("the server now requires total_cents")
    code, report = _run(repo, capsys, monkeypatch, "--base", "main", "--select", "CONTRACT")
    assert code == 1
    by_rule = {f["rule_id"]: f for f in report["findings"]}
    undeclared = by_rule["CONTRACT_FIELD_UNDECLARED"]  # the consumer sends total_amount; the producer reads total_cents
    assert "reads `total_cents`" in undeclared["message"] and "sends `total_cents`" not in undeclared["message"]
    missing = by_rule["CONTRACT_REQUIRED_FIELD_MISSING"]  # the producer requires total_cents, sent as total_amount
    assert "sends `total_amount`" in missing["message"]
    assert "producer write both names" not in missing["hint"] and "consumer's field a default" not in missing["hint"]
    assert not report["diagnostics"]


@pytest.mark.parametrize("direction,selector", [
    ("writes", "orders/openapi.yaml GET /orders/{id} 200"),
    ("reads", "orders/openapi.yaml POST /orders request"),
    ("writes", "orders/openapi.yaml#/paths/~1orders~1{id}/get/responses/200"),
])
def test_direction_that_does_not_fit_the_selector_is_a_warning(direction, selector, tmp_path, capsys,
                                                               monkeypatch) -> None:
    config = (f'[tool.schemacheck]\n[[tool.schemacheck.contracts]]\nname = "odd"\n'
              f'consumer = "payments/clients/new_order.py:NewOrder"\nproducer = "{selector}"\n'
              f'direction = "{direction}"\n')
    repo = _writes_repo(tmp_path, config)
    _edit(repo, "payments/clients/new_order.py", "    total_amount: int\n", "")
    repo.commit("consumer touched")
    code, report = _run(repo, capsys, monkeypatch, "--base", "main", "--select", "CONTRACT")
    warnings = [d for d in report["diagnostics"] if d["severity"] == "warning"]
    assert any("odd" in d["message"] and direction in d["message"] for d in warnings), report["diagnostics"]
    monkeypatch.chdir(repo.root)
    main(["contract", "payments/clients/new_order.py:NewOrder", selector, "--direction", direction,
          "--format", "json"])
    adhoc = json.loads(capsys.readouterr().out)
    assert any(d["severity"] == "warning" and direction in d["message"] for d in adhoc["diagnostics"])


def test_required_field_missing_hint_does_not_suggest_alias_choices(tmp_path, capsys, monkeypatch) -> None:
    """The hint once said "read both names with a validation alias"; AliasChoices is read by its first name."""
    repo = _repo(tmp_path)
    _edit(repo, "orders/openapi.yaml", "total_amount", "total_cents")
    _edit(repo, "payments/clients/orders.py", "from pydantic import BaseModel",
          "from pydantic import AliasChoices, BaseModel, Field")
    _edit(repo, "payments/clients/orders.py", "    total_amount: int\n",
          '    total_amount: int = Field(validation_alias=AliasChoices("total_amount", "total_cents"))\n')
    repo.commit("the producer renames; the consumer follows the old hint")
    code, report = _run(repo, capsys, monkeypatch, "--base", "main", "--select", "CONTRACT")
    assert code == 1  # still a finding (documented limit) ...
    finding = next(f for f in report["findings"] if f["rule_id"] == "CONTRACT_REQUIRED_FIELD_MISSING")
    assert "alias" not in finding["hint"].lower()  # ... so the hint must not send the user there again
    _edit(repo, "payments/clients/orders.py", "    total_amount: int = Field(", "    total_amount: int = Field(0, ")
    repo.commit("what the hint does say: a default")
    code, report = _run(repo, capsys, monkeypatch, "--base", "main", "--select", "CONTRACT")
    assert not any(f["rule_id"] == "CONTRACT_REQUIRED_FIELD_MISSING" for f in report["findings"]), report["findings"]


def test_adhoc_counts_add_up(tmp_path, capsys, monkeypatch) -> None:
    work, downloaded = _outside_files(tmp_path)
    monkeypatch.chdir(work)
    main(["contract", "clients/orders.py:OrderResponse", f"{downloaded} GET /orders/{{id}} 200", "--format", "json"])
    summary = json.loads(capsys.readouterr().out)["summary"]
    assert summary["files_checked"] == sum(summary["files_checked_by_format"].values()) == 1


def test_markdown_counts_contracts_as_contracts(tmp_path, capsys, monkeypatch) -> None:
    repo = _repo(tmp_path, OPENAPI_CONTRACT + FAILING_ENTRY.replace("payments reads new orders", "second"))
    _edit(repo, "orders/openapi.yaml", "total_amount", "total_cents")
    _edit(repo, "payments/clients/orders.py", "    currency: str\n", "    currency: str\n    note: str = ''\n")
    repo.commit("both sides change")
    code, report = _run(repo, capsys, monkeypatch, "--base", "main")
    by_format = report["summary"]["files_checked_by_format"]
    assert by_format["contracts"] == 2
    files = report["summary"]["files_checked"] - by_format["contracts"]
    main(["--base", "main", "--format", "markdown"])
    markdown = capsys.readouterr().out
    assert "2 contracts" in markdown
    assert f"{report['summary']['files_checked']} schema files" not in markdown
    assert files >= 1


def test_contract_that_does_not_resolve_is_not_counted_as_compared(tmp_path, capsys, monkeypatch) -> None:
    repo = _repo(tmp_path)
    _edit(repo, "orders/openapi.yaml", "/orders/{id}:", "/v2/orders/{id}:")
    repo.commit("path moved")
    code, report = _run(repo, capsys, monkeypatch, "--base", "main")
    assert code == 2
    assert _contracts_compared(report) == 0
    monkeypatch.chdir(repo.root)
    main(["--base", "main"])
    assert "1 contract compared" not in capsys.readouterr().out


def test_consumer_file_that_does_not_parse_is_reported_once_as_a_file_error(tmp_path, capsys, monkeypatch) -> None:
    second = OPENAPI_CONTRACT.replace("[tool.schemacheck]\n", "").replace("payments reads GET", "again reads GET")
    repo = _repo(tmp_path, OPENAPI_CONTRACT + second)
    _edit(repo, "payments/clients/orders.py", "    currency: str\n", "    currency: str\n    def broken(:\n")
    repo.commit("a syntax error on line 10")
    code, report = _run(repo, capsys, monkeypatch, "--base", "main", "--select", "CONTRACT")
    assert code == 2
    about_contracts = [d for d in report["diagnostics"] if "payments reads GET" in d["message"]]
    assert len(about_contracts) == 1, report["diagnostics"]  # once per file, naming every contract it stopped
    (diagnostic,) = about_contracts
    assert "again reads GET" in diagnostic["message"]
    assert "payments/clients/orders.py:10:" in diagnostic["message"]  # the line of the error, not the next one
    assert "payments/clients/orders.py:10:1:" not in diagnostic["message"]  # and its column
    assert "selector" not in (diagnostic.get("tip") or "").lower().replace("the selector is fine", "")
    assert "does not resolve" not in diagnostic["message"]


OPEN_ENUM_PROTO = """\
syntax = "proto3";

package shop.orders.v1;

enum Status {
  STATUS_UNSPECIFIED = 0;
  PENDING = 1;
}

message Order {
  string id = 1;
  Status status = 2;
}
"""


def test_proto3_open_enum_read_by_a_literal_of_its_names(tmp_path, capsys, monkeypatch) -> None:
    from gitrepo import GitRepo

    repo = GitRepo(tmp_path / "repo")
    repo.write("pyproject.toml", "[tool.schemacheck]\n[[tool.schemacheck.contracts]]\n"
                                 'consumer = "payments/clients/order_event.py:OrderEvent"\n'
                                 'producer = "orders/order.proto:shop.orders.v1.Order"\n')
    repo.write("orders/order.proto", OPEN_ENUM_PROTO)
    repo.commit("producer")
    repo.branch("change")
    repo.write("payments/clients/order_event.py",
               'from typing import Literal\n\nfrom pydantic import BaseModel\n\n\nclass OrderEvent(BaseModel):\n'
               '    id: str = ""\n    status: Literal["STATUS_UNSPECIFIED", "PENDING"] = "STATUS_UNSPECIFIED"\n')
    repo.commit("consumer")
    code, report = _run(repo, capsys, monkeypatch, "--base", "main", "--select", "CONTRACT")
    assert code == 1
    (finding,) = [f for f in report["findings"] if f["location"]["line"] == 8]
    assert "unknown enum numbers" in finding["message"] and "may be `integer`" not in finding["message"]
    assert "| int" in finding["hint"]
    _edit(repo, "payments/clients/order_event.py", '"PENDING"] =', '"PENDING"] | int =')
    repo.commit("what the hint says")
    code, report = _run(repo, capsys, monkeypatch, "--base", "main", "--select", "CONTRACT")
    assert code == 0, report["findings"]


def test_adhoc_ref_leaving_the_named_files_directory_is_not_a_pass(tmp_path, capsys, monkeypatch) -> None:
    work = tmp_path / "work"
    (work / "clients").mkdir(parents=True)
    (work / "clients" / "orders.py").write_text("from pydantic import BaseModel\n\n\nclass Money(BaseModel):\n"
                                                "    amount: int\n\n\nclass OrderResponse(BaseModel):\n"
                                                "    id: str\n    total: Money\n")
    api, common = tmp_path / "specs" / "api", tmp_path / "specs" / "common"
    api.mkdir(parents=True)
    common.mkdir()
    (api / "order.schema.json").write_text(json.dumps(
        {"type": "object", "required": ["id", "total"],
         "properties": {"id": {"type": "string"}, "total": {"$ref": "../common/money.json"}}}))
    (common / "money.json").write_text(json.dumps(
        {"type": "object", "required": ["total_cents"], "properties": {"total_cents": {"type": "integer"}}}))
    monkeypatch.chdir(work)
    code = main(["contract", "clients/orders.py:OrderResponse", "../specs/api/order.schema.json", "--format", "json"])
    report = json.loads(capsys.readouterr().out)
    assert code == 2  # the verdict depends on a file that was not read: never a pass
    errors = [d for d in report["diagnostics"] if d["severity"] == "error"]
    assert len(errors) == 1 and str(api) in errors[0]["message"], report["diagnostics"]
    assert all("repository" not in f["message"] for f in report["findings"])  # there is no repository here
    monkeypatch.chdir(tmp_path)  # run from a directory holding every file: the $ref is followed, the verdict given
    code = main(["contract", "work/clients/orders.py:OrderResponse", "specs/api/order.schema.json", "--format", "json"])
    report = json.loads(capsys.readouterr().out)
    assert code == 1 and not report["diagnostics"]
    assert any(f["rule_id"] == "CONTRACT_REQUIRED_FIELD_MISSING" for f in report["findings"])


def test_contract_entry_diagnostic_names_its_configuration_line(tmp_path, capsys, monkeypatch) -> None:
    repo = _repo(tmp_path, OPENAPI_CONTRACT + FAILING_ENTRY)
    _edit(repo, "pyproject.toml", "orders/openapi.yaml#/components/schemas/NewOrder",
          "orders/openapi.yaml#/components/schemas/NewOrdr")
    repo.commit("typo in the second entry")
    code, report = _run(repo, capsys, monkeypatch, "--base", "main")
    assert code == 2
    (error,) = [d for d in report["diagnostics"] if d["severity"] == "error"]
    header = (repo.root / "pyproject.toml").read_text().splitlines().index("[[tool.schemacheck.contracts]]", 2) + 1
    assert error["location"]["path"] == "pyproject.toml" and error["location"]["line"] == header, error
