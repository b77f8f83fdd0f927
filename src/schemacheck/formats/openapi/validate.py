"""Validation of an OpenAPI document against its version's official schema, as positioned warnings.

Maintainers: the schemas are the ones ``openapi-spec-validator`` ships (2.0, 3.0, 3.1); they are
read from its package directory and evaluated with ``jsonschema`` directly, so that validation
never follows the spec's own ``$ref``s (nothing is fetched, nothing outside the repository is
read) and importing the validator's runtime (a second for pydantic-settings) is not needed.
A spec the schema rejects but that loads is still checked (real specs have typos such as a key
``securitySchemes:``): problems are warnings, at most :data:`MAX_PROBLEMS` per file.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from ...formats.jsonschema.document import JsonDocument, pointer_from_parts
from ...model import Diagnostic, Severity

__all__ = ["validate_spec", "changed_part", "MAX_PROBLEMS", "FULL_VALIDATION_BYTES"]

#: Problems reported per file (the rest are counted).
MAX_PROBLEMS = 10
#: Larger documents with a base version are validated only where they changed (validating a
#: 4 MB spec against the OpenAPI schema takes seconds; the unchanged parts were checked before).
FULL_VALIDATION_BYTES = 1 << 20
_SPLIT_KEYS = ("paths", "webhooks", "definitions", "parameters", "responses")
_SCHEMA_DIRS = {"2.0": "v2.0", "3.0": "v3.0", "3.1": "v3.1"}
_TIP = "The file was still checked; fix it so that other OpenAPI tools read it the same way."


@lru_cache(maxsize=4)
def _validator(version: str) -> Any | None:
    """A jsonschema validator for the version's official schema (``None``: not available)."""
    import importlib.util

    import jsonschema

    spec = importlib.util.find_spec("openapi_spec_validator")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(list(spec.submodule_search_locations)[0]) / "resources" / "schemas" / _SCHEMA_DIRS[version] / "schema.json"
    try:
        schema = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    cls = jsonschema.validators.validator_for(schema, default=jsonschema.Draft4Validator)
    return cls(schema, registry=_crawled_registry(cls, schema))


def _crawled_registry(cls: Any, schema: dict[str, Any]) -> Any:
    """A registry holding ``schema`` already crawled (its anchors and subresources indexed).

    Without it, the validator's registry holds the schema uncrawled, and ``referencing`` crawls
    the whole schema again on *every* anchor lookup (each ``$dynamicRef: "#meta"`` of the 3.1
    schema, i.e. every Schema Object of a document), keeping the result only in the resolver
    of that one lookup: about two thirds of the time of validating a small 3.1 document. The
    validator adds the JSON Schema meta-schemas itself (``jsonschema_specifications``), as
    before; what differs is that a reference to an unknown remote URI is unresolvable (a
    could-not-validate note) instead of fetched: the bundled schemas only refer to themselves
    and to those meta-schemas.
    """
    import referencing
    import referencing.jsonschema

    dialect = cls.META_SCHEMA.get("$id") or cls.META_SCHEMA.get("id", "")
    specification = referencing.jsonschema.specification_with(dialect, default=referencing.Specification.OPAQUE)
    resource = specification.create_resource(schema)
    return referencing.Registry().with_resource(resource.id() or "", resource).crawl()


def _most_specific(error: Any) -> Any:
    """For ``oneOf``/``anyOf`` failures, the deepest sub-error (the one a reader can act on): the
    alternative that got furthest into the document, preferring a real constraint over "not a
    ``$ref``" (every schema position is "a Schema or a Reference")."""
    while error.context:
        error = max(error.context, key=lambda e: (len(e.absolute_path), e.validator != "required"))
    return error


def changed_part(data: dict[str, Any], base: Any) -> dict[str, Any]:
    """``data`` with only the path items, webhooks and components that differ from ``base`` (every
    other top-level key kept): still a document of the same shape, and every pointer into it is
    the same pointer into ``data``. ``base`` may have been through the loader's 3.0/2.0 rewrite
    (``nullable`` -> a ``type`` list); :func:`_same` accounts for it."""
    base = base if isinstance(base, dict) else {}
    out = {k: v for k, v in data.items() if k not in _SPLIT_KEYS and k != "components"}
    for key in _SPLIT_KEYS:
        if isinstance(data.get(key), dict):
            before = base.get(key) if isinstance(base.get(key), dict) else {}
            out[key] = {k: v for k, v in data[key].items() if not _same(v, before.get(k, _MISSING))}
    if isinstance(data.get("components"), dict):
        sections = base.get("components") if isinstance(base.get("components"), dict) else {}
        out["components"] = {}
        for section, entries in data["components"].items():
            before = sections.get(section) if isinstance(sections.get(section), dict) else {}
            out["components"][section] = ({k: v for k, v in entries.items() if not _same(v, before.get(k, _MISSING))}
                                          if isinstance(entries, dict) else entries)
    return out


_MISSING = object()


def _same(value: Any, rewritten: Any) -> bool:
    """``value`` (as written) equals ``rewritten`` (after the loader's legacy rewrite)."""
    if isinstance(value, dict):
        if not isinstance(rewritten, dict) or value.keys() != rewritten.keys():
            return False
        for key, item in value.items():
            other = rewritten[key]
            if key == "type" and item != other:
                if item == "file" and other == "string":
                    continue
                if isinstance(item, str) and isinstance(other, list) and other == [item, "null"] or \
                        (item == "file" and other == ["string", "null"]):
                    continue
                return False
            if not _same(item, other):
                return False
        return True
    if isinstance(value, list):
        return isinstance(rewritten, list) and len(value) == len(rewritten) and \
            all(_same(a, b) for a, b in zip(value, rewritten))
    return value == rewritten and type(value) is type(rewritten)


def validate_spec(doc: JsonDocument, version: str, base: Any = _MISSING) -> list[Diagnostic]:
    """Warnings for every place ``doc`` breaks its version's schema (an info when it cannot be validated).

    Args:
        base: The base revision's data; when given and ``doc`` is larger than
            :data:`FULL_VALIDATION_BYTES`, only what changed is validated.
    """
    validator = _validator(version)
    if validator is None:
        return [Diagnostic("openapi-spec-validator is not installed: the document was not validated against the "
                           f"OpenAPI {version} schema", doc.nearest_location(""), Severity.INFO)]
    out: list[Diagnostic] = []
    extra = 0
    try:
        data = doc.data
        if base is not _MISSING and doc.size > FULL_VALIDATION_BYTES and isinstance(data, dict):
            data = changed_part(data, base)
        for error in validator.iter_errors(data):
            if len(out) >= MAX_PROBLEMS:
                extra += 1
                continue
            error = _most_specific(error)
            pointer = pointer_from_parts(list(error.absolute_path))
            message = " ".join(str(error.message).split())
            if len(message) > 200:
                message = message[:197] + "..."
            out.append(Diagnostic(f"not valid OpenAPI {version}: {message}", doc.nearest_location(pointer),
                                  Severity.WARNING, _TIP))
    except Exception as exc:  # noqa: BLE001 - the validator's own failures never stop a check
        out.append(Diagnostic(f"the document could not be validated against the OpenAPI {version} schema "
                              f"({type(exc).__name__})", doc.nearest_location(""), Severity.INFO))
    if extra:
        out.append(Diagnostic(f"{extra} more OpenAPI {version} schema problems not shown", doc.nearest_location(""),
                              Severity.WARNING))
    return out
