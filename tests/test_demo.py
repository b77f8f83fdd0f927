"""``schemacheck demo`` end to end: a real temporary repository, the real check, in a subprocess."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest

from schemacheck.cli import main


@pytest.fixture(autouse=True)
def _proto_backend(monkeypatch: pytest.MonkeyPatch) -> None:
    if importlib.util.find_spec("schemacheck.formats.protobuf.compiler") is None:
        monkeypatch.setenv("SCHEMACHECK_PROTO_PARSER", "protoc")
    monkeypatch.setenv("NO_COLOR", "1")


def _repo_dir(out: str) -> Path:
    match = re.search(r"# A throw-away repository in (\S+)", out)
    assert match, out
    return Path(match.group(1))


def test_demo_shows_the_findings_and_exits_0(capfd: pytest.CaptureFixture[str]) -> None:
    code = main(["demo"])
    out, err = capfd.readouterr()
    assert code == 0, out + err
    assert "$ schemacheck --base main" in out and "$ git commit -q -am 'Rename total_amount to total_cents'" in out
    assert "proto/shop/orders/v1/order.proto:10:9" in out and "FIELD_SAME_NAME" in out
    assert "proto/shop/orders/v1/order.proto:10:3" in out and "FIELD_SAME_JSON_NAME" in out
    assert "schemacheck exited with status 1" in out
    assert not _repo_dir(out).exists()  # cleaned up


def test_demo_strict_returns_the_check_status_and_keep_leaves_the_repo(capfd: pytest.CaptureFixture[str]) -> None:
    code = main(["demo", "--strict", "--keep"])
    out, _ = capfd.readouterr()
    assert code == 1
    root = _repo_dir(out)
    try:
        assert (root / ".git").is_dir()
        assert "total_cents" in (root / "proto/shop/orders/v1/order.proto").read_text()
        assert f"Kept the repository: cd {root}" in out
    finally:
        import shutil

        shutil.rmtree(root, ignore_errors=True)
