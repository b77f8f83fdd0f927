"""Deprecation, sunset dates, webhooks and servers, end to end: a real git repo, the real CLI.

The dates are far from any day the suite runs on (2020 is past, 2099 is future), so the
verdicts do not depend on the clock.
"""

from __future__ import annotations

import time

import pytest

from openapi_repo import change_repo, run_json

SPEC = """openapi: 3.1.0
info:
  title: Orders
  version: 1.0.0
servers:
  - url: https://api.example.com/v1
paths:
  /v1/orders/{id}:
    get:
      responses:
        "200":
          description: An order
    delete:
      deprecated: true
      x-sunset: "SUNSET"
      responses:
        "204":
          description: Deleted
webhooks:
  orderPaid:
    post:
      parameters:
        - name: X-Signature
          in: header
          required: true
          schema:
            type: string
      responses:
        "200":
          description: Received
"""
DELETE = """    delete:
      deprecated: true
      x-sunset: "SUNSET"
      responses:
        "204":
          description: Deleted
"""


@pytest.mark.parametrize(("sunset", "code", "rule", "severity"), [
    ("2099-12-31", 1, "OPERATION_REMOVED", "error"),
    ("2020-01-31", 0, "REMOVED_AFTER_DEPRECATION", "info"),
])
def test_removing_a_deprecated_operation_waits_for_its_sunset(sunset, code, rule, severity, tmp_path, capsys,
                                                              monkeypatch) -> None:
    base = SPEC.replace("SUNSET", sunset)
    repo = change_repo(tmp_path, {"openapi.yaml": base}, {"openapi.yaml": base.replace(DELETE.replace("SUNSET", sunset),
                                                                                         "")})
    exit_code, report = run_json(capsys, monkeypatch, repo.root, "--base", "main")
    assert exit_code == code
    assert [(f["rule_id"], f["severity"]) for f in report["findings"]] == [(rule, severity)]
    if code:  # deprecated already: the fix is to wait for the date, not to deprecate it
        assert sunset in report["findings"][0]["message"]
        assert sunset in report["findings"][0]["hint"] and "deprecated: true" not in report["findings"][0]["hint"]


def test_removing_an_operation_never_deprecated_is_an_error(tmp_path, capsys, monkeypatch) -> None:
    base = SPEC.replace("      deprecated: true\n      x-sunset: \"SUNSET\"\n", "")
    repo = change_repo(tmp_path, {"openapi.yaml": base},
                       {"openapi.yaml": base.replace("    delete:\n      responses:\n        \"204\":\n"
                                                     "          description: Deleted\n", "")})
    exit_code, report = run_json(capsys, monkeypatch, repo.root, "--base", "main")
    assert exit_code == 1
    assert [f["rule_id"] for f in report["findings"]] == ["OPERATION_REMOVED"]


@pytest.mark.parametrize(("days", "expected"), [(None, []), (40_000, ["SUNSET_TOO_EARLY"])])
def test_deprecation_days_sets_the_notice_a_new_sunset_date_must_give(days, expected, tmp_path, capsys,
                                                                      monkeypatch) -> None:
    base = SPEC.replace("SUNSET", "2099-12-31")
    after = base.replace("    get:\n", "    get:\n      deprecated: true\n      x-sunset: \"2099-06-30\"\n")
    files = {"openapi.yaml": base}
    if days is not None:
        files["pyproject.toml"] = f"[tool.schemacheck.openapi]\ndeprecation-days = {days}\n"
    repo = change_repo(tmp_path, files, {"openapi.yaml": after})
    exit_code, report = run_json(capsys, monkeypatch, repo.root, "--base", "main")
    assert [f["rule_id"] for f in report["findings"]] == expected
    assert exit_code == (1 if expected else 0)


def test_a_webhook_header_made_optional_breaks_subscribers(tmp_path, capsys, monkeypatch) -> None:
    base = SPEC.replace("SUNSET", "2099-12-31")
    after = base.replace("          in: header\n          required: true\n", "          in: header\n")
    repo = change_repo(tmp_path, {"openapi.yaml": base}, {"openapi.yaml": after})
    exit_code, report = run_json(capsys, monkeypatch, repo.root, "--base", "main")
    assert exit_code == 1
    (finding,) = report["findings"]
    assert finding["rule_id"] == "PARAMETER_BECAME_OPTIONAL"
    assert finding["message"].startswith("POST webhook orderPaid: header parameter X-Signature")
    assert after.splitlines()[finding["location"]["line"] - 1].strip() == "- name: X-Signature"


def test_a_removed_server_is_a_warning_and_a_moved_trailing_slash_is_nothing(tmp_path, capsys, monkeypatch) -> None:
    base = SPEC.replace("SUNSET", "2099-12-31")
    after = base.replace("  - url: https://api.example.com/v1\n",
                         "  - url: https://api.example.com/v1/\n  - url: https://eu.example.com/v1\n")
    repo = change_repo(tmp_path, {"openapi.yaml": base}, {"openapi.yaml": after})
    exit_code, report = run_json(capsys, monkeypatch, repo.root, "--base", "main")
    assert (exit_code, report["findings"]) == (0, [])
    after = base.replace("https://api.example.com/v1", "https://api.example.com/v2")
    repo = change_repo(tmp_path / "moved", {"openapi.yaml": base}, {"openapi.yaml": after})
    exit_code, report = run_json(capsys, monkeypatch, repo.root, "--base", "main")
    assert exit_code == 0
    assert [(f["rule_id"], f["severity"]) for f in report["findings"]] == [("SERVER_REMOVED", "warning")]


def _bomb(note: str) -> str:
    members = "".join('        - $ref: "#/components/schemas/A"\n' for _ in range(12))
    return f"""openapi: 3.1.0
info:
  title: Bomb
  version: 1.0.0
paths:
  /a:
    get:
      responses:
        "200":
          description: A
          content:
            application/json:
              schema:
                $ref: "#/components/schemas/A"
components:
  schemas:
    A:
      allOf:
{members}        - properties:
            self:
              $ref: "#/components/schemas/A"
            note:
              type: string
{note}"""


def test_self_referencing_all_of_members_end_and_a_change_under_them_is_found(tmp_path, capsys, monkeypatch) -> None:
    started = time.process_time()
    repo = change_repo(tmp_path, {"openapi.yaml": _bomb("")},
                       {"openapi.yaml": _bomb("              x-stability-level: beta\n")})
    exit_code, report = run_json(capsys, monkeypatch, repo.root, "--base", "main")
    assert time.process_time() - started < 5
    assert exit_code == 1
    assert [f["rule_id"] for f in report["findings"]] == ["STABILITY_DECREASED"]


REF_SIBLING = """openapi: 3.1.0
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
        customer:
          $ref: "#/components/schemas/Customer"
    Customer:
      type: object
      properties:
        name:
          type: string
"""


def test_a_deprecation_next_to_a_ref_is_the_property_s_own(tmp_path, capsys, monkeypatch) -> None:
    after = REF_SIBLING.replace('          $ref: "#/components/schemas/Customer"\n',
                                '          $ref: "#/components/schemas/Customer"\n          deprecated: true\n'
                                '          x-sunset: "2020-02-01"\n')
    repo = change_repo(tmp_path, {"openapi.yaml": REF_SIBLING}, {"openapi.yaml": after})
    exit_code, report = run_json(capsys, monkeypatch, repo.root, "--base", "main")
    assert exit_code == 1
    (finding,) = report["findings"]
    assert finding["rule_id"] == "SUNSET_TOO_EARLY"
    assert finding["message"].startswith("GET /v1/orders/{id}: response 200 application/json: property customer")
    assert after.splitlines()[finding["location"]["line"] - 1].strip() == "customer:"


def test_inline_code_of_a_hint_stays_code_in_the_markdown_report(tmp_path, capsys, monkeypatch) -> None:
    base = SPEC.replace("      deprecated: true\n      x-sunset: \"SUNSET\"\n", "")
    repo = change_repo(tmp_path, {"openapi.yaml": base},
                       {"openapi.yaml": base.replace("    delete:\n      responses:\n        \"204\":\n"
                                                     "          description: Deleted\n", "")})
    md = tmp_path / "summary.md"
    exit_code, report = run_json(capsys, monkeypatch, repo.root, "--base", "main", "-o", f"markdown:{md}")
    hint = report["findings"][0]["hint"]
    code = hint[hint.index("`"):hint.index("`", hint.index("`") + 1) + 1]  # the hint's first inline code
    assert exit_code == 1 and code in md.read_text() and "\\`" not in md.read_text()
