"""The OpenAPI schema validator, built once per version over a pre-crawled registry, says the same.

``formats/openapi/validate.py`` gives ``jsonschema`` a registry in which the version's official
schema is already crawled, so that ``referencing`` no longer crawls the whole schema again on
every anchor lookup (each ``$dynamicRef: "#meta"`` of the 3.1 schema). The warnings must be
exactly those of a validator built the plain way (``cls(schema)``, as before): compared here on
every OpenAPI fixture and fuzz seed, a few hundred fuzz inputs and hand-written invalid documents.
"""

from __future__ import annotations

import random
import sys
import pytest

from schemacheck.formats.jsonschema.loader import load_document
from schemacheck.formats.openapi import validate
from schemacheck.formats.openapi.loader import spec_version
from tools import FIXTURES, REPO_ROOT

sys.path.insert(0, str(REPO_ROOT))

from fuzz.targets import TARGETS  # noqa: E402

VERSIONS = ("2.0", "3.0", "3.1")


def _plain(version: str):
    """The validator as it was built before: the schema uncrawled in the validator's registry."""
    built = validate._validator(version)
    return type(built)(built.schema)


def _warnings(doc, version: str) -> list[tuple[str, object, object, str]]:
    return [(d.message, d.location, d.severity, d.tip) for d in validate.validate_spec(doc, version)]


def _compare(docs: list[tuple[object, str]], monkeypatch: pytest.MonkeyPatch) -> int:
    """Warnings of both validators on ``docs`` must be equal; returns how many warnings were compared."""
    assert all(validate._validator(v) is not None for v in VERSIONS)
    fast = [_warnings(doc, version) for doc, version in docs]
    plain = {version: _plain(version) for version in VERSIONS}
    monkeypatch.setattr(validate, "_validator", lambda version: plain[version])
    slow = [_warnings(doc, version) for doc, version in docs]
    assert fast == slow
    return sum(len(found) for found in fast)


def _load(path: str, raw: bytes) -> tuple[object, str] | None:
    try:
        doc = load_document(path, raw)
    except Exception:  # noqa: BLE001 - inputs that do not load are not the subject here
        return None
    version = spec_version(doc.data)
    return (doc, version) if version else None


def test_fixtures_and_seeds_give_the_same_warnings(monkeypatch: pytest.MonkeyPatch) -> None:
    paths = sorted((FIXTURES / "openapi").rglob("*")) + sorted((REPO_ROOT / "fuzz" / "seeds" / "openapi").glob("*"))
    docs = [found for path in paths
            if path.suffix in (".yaml", ".yml", ".json") and (found := _load(path.name, path.read_bytes()))]
    assert {version for _, version in docs} == set(VERSIONS) and len(docs) > 100
    _compare(docs, monkeypatch)  # valid documents: no warnings from either (the invalid ones come below)


def test_fuzz_inputs_give_the_same_warnings(monkeypatch: pytest.MonkeyPatch) -> None:
    target = TARGETS["openapi"]
    seeds = target.seeds()
    rng = random.Random(11)
    docs = []
    for _ in range(200):
        _, head = target.next_input(rng, seeds)
        found = _load("openapi.yaml", head)
        if found:
            docs.append(found)
    assert len(docs) > 50
    assert _compare(docs, monkeypatch) > 20


INVALID = {
    "3.1": """openapi: 3.1.0
info: {title: t}
jsonSchemaDialect: 12
paths:
  /a:
    get:
      parameters: [{name: x, in: nowhere}]
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties: {a: {type: 12}, b: {$ref: 7}, c: {items: [1]}}
                required: yes
components:
  schemas:
    S: {type: [string, 3], minimum: x, $dynamicAnchor: 5}
  securitySchemes:
    k: {type: apiKey}
webhooks: {w: {post: {responses: 5}}}
""",
    "3.0": """openapi: 3.0.3
info: {version: 1}
paths:
  a: {}
  /b:
    post:
      requestBody: {content: {}}
      responses: {'200': {}}
components:
  schemas:
    S: {type: object, nullable: maybe, properties: {a: {$ref: '#/x', description: 1}}}
securitySchemes: {}
""",
    "2.0": """swagger: "2.0"
info: {title: t, version: "1"}
paths:
  /a:
    get:
      parameters: [{name: f, in: formData, type: file}, {name: q, in: query}]
      responses: {default: {schema: {type: object, properties: {a: {type: nope}}}}}
definitions: {D: {type: object, required: x}}
""",
}


@pytest.mark.parametrize("version", VERSIONS)
def test_invalid_documents_give_the_same_warnings(version: str, monkeypatch: pytest.MonkeyPatch) -> None:
    found = _load("openapi.yaml", INVALID[version].encode())
    assert found is not None and found[1] == version
    assert _compare([found], monkeypatch) >= 2


def test_validation_never_crawls_the_schema_again(monkeypatch: pytest.MonkeyPatch) -> None:
    """The crawl happens once, when the validator is built; validating documents does not crawl."""
    import referencing

    for version in VERSIONS:
        validate._validator(version)
    crawls = []
    original = referencing.Registry.crawl
    monkeypatch.setattr(referencing.Registry, "crawl", lambda self: crawls.append(1) or original(self))
    seed = (REPO_ROOT / "fuzz" / "seeds" / "openapi" / "orders-3.1.yaml").read_bytes()
    for raw in (seed, INVALID["3.1"].encode()):
        found = _load("openapi.yaml", raw)
        assert found is not None and found[1] == "3.1"
        validate.validate_spec(*found)
    assert crawls == []
