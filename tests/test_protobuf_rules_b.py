"""Protobuf rules B (files, packages, deletions, enums, services): behaviour the fixtures cannot show.

Renames come from git, so they are tested through the real CLI on a real repository; the
package scan is tested on its own and for laziness; deletion findings must carry their
base location so path filters can judge where the element was.
"""

from __future__ import annotations

import importlib.util
import json
from collections.abc import Iterable
from pathlib import Path

import pytest
from fixture_harness import run_fixture
from gitrepo import GitRepo

from schemacheck.cli import main
from schemacheck.compat.protobuf.package_scan import PackageScan, scan_package
from schemacheck.config import Settings
from schemacheck.runner import CheckRequest, run_check
from schemacheck.snapshot import DirectorySnapshot
from tools import FIXTURES

ORDER = 'syntax = "proto3";\n\npackage shop.v1;\n\nmessage Order {\n  string id = 1;\n}\n'
PAYMENT = 'syntax = "proto3";\n\npackage payments.v1;\n\nmessage Payment {\n  string id = 1;\n}\n'

DELETION_RULES = (
    "FILE_NO_DELETE", "MESSAGE_NO_DELETE", "ENUM_NO_DELETE", "SERVICE_NO_DELETE", "EXTENSION_NO_DELETE",
    "PACKAGE_NO_DELETE", "PACKAGE_MESSAGE_NO_DELETE", "PACKAGE_ENUM_NO_DELETE", "PACKAGE_SERVICE_NO_DELETE",
    "PACKAGE_EXTENSION_NO_DELETE", "ENUM_VALUE_NO_DELETE", "ENUM_VALUE_NO_DELETE_UNLESS_NAME_RESERVED",
    "ENUM_VALUE_NO_DELETE_UNLESS_NUMBER_RESERVED", "RPC_NO_DELETE",
)


@pytest.fixture(autouse=True)
def _proto_backend(monkeypatch: pytest.MonkeyPatch) -> None:
    if importlib.util.find_spec("schemacheck.formats.protobuf.compiler") is None:
        monkeypatch.setenv("SCHEMACHECK_PROTO_PARSER", "protoc")
    for var in ("NO_COLOR", "FORCE_COLOR", "GITHUB_ACTIONS"):
        monkeypatch.delenv(var, raising=False)


@pytest.mark.parametrize(("source", "package"), [
    (b'syntax = "proto3";\npackage shop.v1;\n', "shop.v1"),
    (b"// package fake.one;\n/* package fake.two; */\nsyntax = 'proto3';\npackage  shop . v1 ;", "shop.v1"),
    (b'syntax = "proto3";\noption java_package = "package x;";\nmessage A {}\n', ""),
    (b'edition = "2023";\n\npackage inventory.v1;\nimport "a.proto";\n', "inventory.v1"),
    (b"syntax = 'proto3';\nmessage packaged { string package = 1; }\n", ""),
])
def test_scan_package_reads_only_the_package_statement(source: bytes, package: str) -> None:
    assert scan_package(source) == package


def _write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return root


def test_package_scan_is_lazy(tmp_path: Path) -> None:
    root = _write(tmp_path, {"a.proto": ORDER, "b.proto": PAYMENT})
    scan = PackageScan(DirectorySnapshot(root), ["a.proto", "b.proto"], ["a.proto", "b.proto"])
    (root / "a.proto").unlink()  # not read yet: an unreadable file is skipped when it finally is
    assert dict(scan) == {"b.proto": "payments.v1"}


def _check(tmp_path: Path, before: dict[str, str], after: dict[str, str], select: Iterable[str],
           renames: dict[str, str] | None = None):
    base = _write(tmp_path / "before", before)
    head = _write(tmp_path / "after", after)
    request = CheckRequest(DirectorySnapshot(base, "before"), DirectorySnapshot(head, "after"),
                           Settings(select=tuple(select)), renames=renames or {}, formats=("protobuf",))
    return run_check(request)


@pytest.fixture
def scans(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """The file lists every PackageScan actually read (it must stay lazy)."""
    read: list[list[str]] = []
    original = PackageScan._load

    def spy(self: PackageScan) -> dict[str, str]:
        if self._data is None:
            read.append(sorted(path for _, path in self._todo))
        return original(self)

    monkeypatch.setattr(PackageScan, "_load", spy)
    return read


def test_unchanged_files_are_not_scanned_without_package_rules(tmp_path: Path, scans: list[list[str]]) -> None:
    files = {"shop/order.proto": ORDER, "payments/payment.proto": PAYMENT}
    changed = {**files, "shop/order.proto": ORDER.replace("string id = 1;", "string id = 1;\n  string note = 2;")}
    result = _check(tmp_path, files, changed, ["FILE"])
    assert result.rules_run and not scans


def test_package_kept_alive_by_an_unchanged_file_is_not_deleted(tmp_path: Path, scans: list[list[str]]) -> None:
    before = {"shop/order.proto": ORDER, "shop/cart.proto": ORDER.replace("Order", "Cart")}
    result = _check(tmp_path, before, {"shop/cart.proto": before["shop/cart.proto"]},
                       ["PACKAGE_NO_DELETE", "PACKAGE_MESSAGE_NO_DELETE"])
    assert ["shop/cart.proto"] in scans  # the head scan ran, over the unchanged file only
    assert [(f.rule_id, f.location, f.base_location.path) for f in result.findings] == [
        ("PACKAGE_MESSAGE_NO_DELETE", None, "shop/order.proto")]


def test_whole_package_deleted_is_reported_once_without_head_location(tmp_path: Path) -> None:
    before = {"pay/a.proto": PAYMENT, "pay/b.proto": PAYMENT.replace("Payment", "Payout"), "shop/order.proto": ORDER}
    result = _check(tmp_path, before, {"shop/order.proto": ORDER}, ["PACKAGE"])
    package = [f for f in result.findings if f.rule_id == "PACKAGE_NO_DELETE"]
    assert len(package) == 1 and package[0].location is None
    assert package[0].base_location is not None and package[0].base_location.path == "pay/a.proto"
    assert '"payments.v1"' in package[0].message
    # Declarations of a deleted package are not reported a second time by the member rules.
    assert {f.rule_id for f in result.findings} == {"PACKAGE_NO_DELETE"}


def test_file_no_delete_names_the_rename_target(tmp_path: Path) -> None:
    result = _check(tmp_path, {"shop/order.proto": ORDER}, {"sales/order.proto": ORDER}, ["FILE_NO_DELETE"],
                       renames={"shop/order.proto": "sales/order.proto"})
    (finding,) = result.findings
    assert finding.location is None and finding.base_location is not None
    assert finding.base_location.path == "shop/order.proto"
    assert 'renamed to "sales/order.proto"' in finding.message


@pytest.mark.parametrize("rule_id", DELETION_RULES)
def test_every_deletion_finding_carries_its_base_location(rule_id: str) -> None:
    result = run_fixture(FIXTURES / "protobuf" / rule_id, "protobuf")
    assert result.findings
    for finding in result.findings:
        assert finding.base_location is not None and finding.base_location.path, finding


def test_enum_value_hint_gives_the_exact_reserved_lines() -> None:
    result = run_fixture(FIXTURES / "protobuf" / "ENUM_VALUE_NO_DELETE_UNLESS_NUMBER_RESERVED", "protobuf")
    hints = sorted(f.hint for f in result.findings)
    assert 'Add `reserved 2; reserved "ORDER_STATE_HELD";`' in hints[0]
    assert "Add `reserved 6;`" in hints[1] and "ORDER_STATE_RETURNED" not in hints[1]
    editions = run_fixture(FIXTURES / "protobuf" / "ENUM_VALUE_NO_DELETE_UNLESS_NAME_RESERVED", "protobuf")
    assert any("`reserved 3; reserved ACCOUNT_TIER_BUSINESS;`" in f.hint for f in editions.findings)


def test_git_rename_through_the_cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    repo = GitRepo(tmp_path / "shop")
    repo.write("proto/shop/v1/order.proto", ORDER)
    repo.write("proto/payments/v1/payment.proto", PAYMENT)
    repo.commit("base")
    repo.branch("move")
    repo.run("mv", "proto/shop/v1/order.proto", "proto/shop/v1/orders.proto")
    repo.delete("proto/payments/v1/payment.proto")
    repo.commit("rename order.proto, delete payment.proto")
    monkeypatch.chdir(repo.root)
    code = main(["check", "--base", "main", "--select", "FILE_NO_DELETE", "--format", "json"])
    out = capsys.readouterr().out
    assert code == 1, out
    messages = sorted(f["message"] for f in json.loads(out)["findings"])
    assert len(messages) == 2
    assert 'File "proto/payments/v1/payment.proto" was deleted' in messages[0]
    assert 'File "proto/shop/v1/order.proto" was renamed to "proto/shop/v1/orders.proto"' in messages[1]
