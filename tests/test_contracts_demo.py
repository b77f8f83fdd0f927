"""``schemacheck demo`` shows the consumer's view: the contract finding on the payment service's unchanged DTO."""

from __future__ import annotations

import importlib.util

import pytest

from schemacheck.cli import main


@pytest.fixture(autouse=True)
def _plain(monkeypatch: pytest.MonkeyPatch) -> None:
    if importlib.util.find_spec("schemacheck.formats.protobuf.compiler") is None:
        monkeypatch.setenv("SCHEMACHECK_PROTO_PARSER", "protoc")
    monkeypatch.setenv("NO_COLOR", "1")


def test_demo_shows_the_contract_finding_on_the_consumer(capfd: pytest.CaptureFixture[str]) -> None:
    assert main(["demo"]) == 0
    out, _ = capfd.readouterr()
    assert "services/payments/clients/orders.py:8:5" in out and "CONTRACT_REQUIRED_FIELD_MISSING" in out
    assert "producer: services/orders/openapi.yaml" in out
    assert "services/payments/clients/orders.py:16:5" in out and "CONTRACT_FIELD_NEVER_SENT" in out  # ProtoJSON
    assert "and 2 contracts" in out
