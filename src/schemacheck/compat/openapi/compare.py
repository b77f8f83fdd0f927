"""Two revisions of one OpenAPI document → findings: pairs for the rules, schema pairs for the engine.

Maintainers: API-level rules see the whole :class:`ApiPair`; operation rules see each operation
present in both revisions that may differ (``dirty.py``); lifecycle rules see each operation,
parameter and schema property whose deprecation, sunset or stability changed (``lifecycle.py``);
property rules see schema nodes whose content keywords changed (``walk.py``); every schema of such an operation
(parameters, request body media types, response media types and headers) is compared by the
shape engine (``shapes.py``), and each difference goes to the OpenAPI schema rule that covers
it (``rules/openapi/_common.SCHEMA_COVERAGE``). A change in a component used by many
operations is reported once per place and rule, naming the operations.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import TYPE_CHECKING

from ...formats.openapi.model import Api
from ...model import Finding, Severity
from ...registry import REGISTRY, RuleSpec, load_rules
from .dirty import dirty_operations
from .lifecycle import Policy
from .pairs import ApiPair, OperationPair, SchemaChange, media_pairs, parameter_pairs, response_pairs

if TYPE_CHECKING:
    from ...formats.jsonschema.refs import RefResolver
    from ...formats.openapi.model import SchemaRef
    from .shapes import SchemaComparer
    from .walk import PropertyPair

__all__ = ["compare_apis", "schema_rule_for", "empty_api"]


def compare_apis(old: Api, new: Api, views: Mapping[str, tuple[Callable[[], RefResolver], Callable[[], RefResolver]]],
                 selected: frozenset[str], *, all_operations: bool = False, policy: Policy | None = None,
                 refs: tuple[RefResolver | None, RefResolver | None] = (None, None)) -> list[Finding]:
    """Findings of the selected OpenAPI rules between two revisions of one document.

    Args:
        views: Data side (``request``/``response``) -> factories of the (old, new) resolvers over
            that side's view of the documents (``formats/openapi/views.py``).
        all_operations: Compare every operation present in both (a file the spec references
            changed), not only those whose own JSON or local components changed.
        policy: The check's date and deprecation grace period (today, 0 days by default).
        refs: The (old, new) resolvers of the documents, for the property walk.
    """
    policy = policy or Policy()
    load_rules()
    specs = [REGISTRY.rules[r] for r in sorted(selected) if r in REGISTRY.rules
             and REGISTRY.rules[r].format == "openapi"]
    by_subject: dict[str, list[RuleSpec]] = {}
    for spec in specs:
        by_subject.setdefault(spec.subject, []).append(spec)
    findings = list(_run(by_subject.get("api", ()), [ApiPair(old, new, policy)]))
    dirty = None if all_operations else dirty_operations(old, new)
    pairs = [OperationPair(op, new.operations[key], policy) for key, op in old.operations.items()
             if key in new.operations and (dirty is None or key in dirty)]
    findings.extend(_run(by_subject.get("operation", ()), pairs))
    if ("lifecycle" in by_subject or "property" in by_subject) and pairs:
        from .lifecycle import lifecycle_pairs
        from .walk import Root, may_have_watched, walk_properties

        properties: list[PropertyPair] = []
        if any(api.doc is not None and may_have_watched(api.doc.data) for api in (old, new)):
            roots = [Root(pair.label, where, _data_side(side, pair.new.reversed), before, after)
                     for pair in pairs for where, side, before, after in _schemas(pair)]
            properties = walk_properties(roots, refs)
        findings.extend(_run(by_subject.get("property", ()), properties))
        findings.extend(_run(by_subject.get("lifecycle", ()), list(lifecycle_pairs(pairs, properties, policy))))
    schema_specs = by_subject.get("schema", [])
    if schema_specs and pairs:
        from .shapes import SchemaComparer

        comparer = SchemaComparer(views, added_pass="RESPONSE_PROPERTY_ADDED" in selected, policy=policy)
        changes = [c for pair in pairs for c in _schema_changes(pair, comparer)]
        findings.extend(_dispatch(_grouped(changes), selected))
    return findings


def _run(specs: Iterable[RuleSpec], pairs: list) -> Iterator[Finding]:
    for spec in specs:
        hint = " ".join(spec.section("How to change this safely").split())
        for pair in pairs:
            for v in spec.handler(pair, None):
                yield Finding(spec.id, Severity(spec.severity), v.message, v.location, v.base_location,
                              v.hint or hint, "openapi", v.subject)


def _schemas(pair: OperationPair) -> Iterator[tuple[str, str, SchemaRef, SchemaRef]]:
    """Every (where, side before swapping, old schema, new schema) an operation pair has in both revisions."""
    old, new = pair.old, pair.new
    for before, after in parameter_pairs(old, new):
        if before is not None and after is not None and before.schema and after.schema:
            yield after.label, "request", before.schema, after.schema
    if old.request_body is not None and new.request_body is not None:
        for media, counterpart in media_pairs(old.request_body.content, new.request_body.content):
            if counterpart is not None and media.schema and counterpart.schema:
                yield f"request body {counterpart.name}", "request", media.schema, counterpart.schema
    for response, counterpart in response_pairs(old, new):
        if counterpart is None:
            continue
        for media, new_media in media_pairs(response.content, counterpart.content):
            if new_media is not None and media.schema and new_media.schema:
                yield f"response {counterpart.status} {new_media.name}", "response", media.schema, new_media.schema
        headers = {h.name.lower(): h for h in counterpart.headers}
        for header in response.headers:
            new_header = headers.get(header.name.lower())
            if new_header is not None and header.schema and new_header.schema:
                yield f"response {counterpart.status} header {new_header.name}", "response", header.schema, \
                    new_header.schema


def _data_side(side: str, reversed_: bool) -> str:
    return side if not reversed_ else ("response" if side == "request" else "request")


def _schema_changes(pair: OperationPair, comparer: SchemaComparer) -> Iterator[SchemaChange]:
    for where, side, before, after in _schemas(pair):
        yield from comparer.compare(pair.label, where, side, pair.new.reversed, before, after)


def _grouped(changes: list[SchemaChange]) -> list[SchemaChange]:
    """One change per (rule, place, element, text), naming every operation it affects."""
    groups: dict[tuple, list[SchemaChange]] = {}
    for change in changes:
        key = (change.side, change.shape_rule, change.location, change.where, change.message)
        groups.setdefault(key, []).append(change)
    out = []
    for members in groups.values():
        operations = tuple(dict.fromkeys(op for m in members for op in m.operations))
        first = members[0]
        out.append(SchemaChange(operations, first.where, first.side, first.shape_rule, first.message, first.location,
                                first.base_location, first.subject, first.old_name, first.new_name))
    return out


def schema_rule_for(side: str, shape_rule: str) -> str | None:
    """The OpenAPI rule that reports ``shape_rule`` on ``side`` (its catch-all when none names it)."""
    from ...rules.openapi._common import CATCH_ALL, SCHEMA_COVERAGE

    load_rules()
    fallback = None
    for rule_id, (rule_side, covers) in SCHEMA_COVERAGE.items():
        if rule_side not in (side, "both"):
            continue
        if shape_rule in covers:
            return rule_id
        if CATCH_ALL in covers:
            fallback = rule_id
    return fallback


def _dispatch(changes: list[SchemaChange], selected: frozenset[str]) -> Iterator[Finding]:
    for change in changes:
        rule_id = schema_rule_for(change.side, change.shape_rule)
        if rule_id is None or rule_id not in selected:
            continue
        spec = REGISTRY.rules[rule_id]
        hint = " ".join(spec.section("How to change this safely").split())
        for v in spec.handler(change, None):
            yield Finding(spec.id, Severity(spec.severity), v.message, v.location, v.base_location, v.hint or hint,
                          "openapi", v.subject)


def empty_api(path: str, version: str) -> Api:
    """The API of a deleted document: nothing."""
    return Api(path, version, None)

