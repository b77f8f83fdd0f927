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
