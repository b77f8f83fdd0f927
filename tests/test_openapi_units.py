"""Small OpenAPI pieces whose failure would be silent end to end: the schema-rule table, the
"what changed" views used for speed, path template keys."""

from __future__ import annotations

import copy

import pytest

from schemacheck.compat.openapi.compare import schema_rule_for
from schemacheck.compat.shape.table import rule_table
from schemacheck.formats.openapi.loader import _rewrite_legacy
from schemacheck.formats.openapi.model import template_key
from schemacheck.formats.openapi.validate import changed_part
from schemacheck.registry import REGISTRY

SHAPE_RULES = sorted(rule_table().ids())


@pytest.mark.parametrize("side", ["request", "response"])
@pytest.mark.parametrize("shape_rule", SHAPE_RULES)
def test_every_engine_verdict_lands_in_one_openapi_rule(side: str, shape_rule: str) -> None:
    rule_id = schema_rule_for(side, shape_rule)
    assert rule_id is not None and REGISTRY.rules[rule_id].format == "openapi"


def test_path_templates_pair_regardless_of_parameter_names() -> None:
    assert template_key("/users/{id}/orders/{orderId}") == template_key("/users/{userId}/orders/{n}")
    assert template_key("/users/{id}") != template_key("/users/{id}/orders")


def test_changed_part_keeps_only_what_differs_from_the_rewritten_base() -> None:
    head = {"openapi": "3.0.3", "info": {"title": "t", "version": "1"},
            "paths": {"/a": {"get": {"responses": {}}}, "/b": {"get": {"responses": {"200": {"description": "x"}}}}},
            "components": {"schemas": {"A": {"type": "string", "nullable": True}, "B": {"type": "integer"}}}}
    base = copy.deepcopy(head)
    base["paths"]["/b"]["get"]["responses"] = {}
    base["components"]["schemas"]["B"] = {"type": "number"}
    _rewrite_legacy(base)  # the base revision went through the loader's 3.0 rewrite
    part = changed_part(head, base)
    assert list(part["paths"]) == ["/b"]
    assert list(part["components"]["schemas"]) == ["B"]  # "A" is the same once nullable is accounted for
    assert part["info"] == head["info"]


def test_oasdiff_ids_are_listed_as_aliases_and_selectable(tmp_path, capsys, monkeypatch) -> None:
    import json

    from gitrepo import GitRepo
    from schemacheck.cli import main

    main(["rules", "--format", "json"])
    rules = {r["id"]: r for r in json.loads(capsys.readouterr().out)}
    assert "response-property-became-optional" in rules["RESPONSE_PROPERTY_BECAME_OPTIONAL"]["aliases"]
    assert rules["RESPONSE_PROPERTY_BECAME_OPTIONAL"]["format"] == "openapi"

    spec = ("openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      parameters:\n"
            "        - {name: q, in: query, schema: {type: string}}\n      responses:\n"
            "        '200': {description: ok}\n")
    repo = GitRepo(tmp_path)
    repo.write("openapi.yaml", spec)
    repo.commit("base")
    repo.write("openapi.yaml", spec.replace("name: q, in: query,", "name: q, in: query, required: true,"))
    monkeypatch.chdir(repo.root)
    assert main(["--select", "request-parameter-became-required"]) == 1
    assert "PARAMETER_BECAME_REQUIRED" in capsys.readouterr().out
    assert main(["--select", "endpoint-added"]) == 0
