"""Check one contract: the shared shape engine with the consumer as reader (or writer), then the ``CONTRACT_*`` rules.

Maintainers: the engine runs BACKWARD (``old`` = writer, ``new`` = reader) under the STRICT
policy; an object that carries its own reader policy (a Python DTO's ``extra``) uses it, which
is how the consumer's unknown-key policy applies. Its rule table is the shape rules plus the
contract detectors of the direction (:mod:`.detect`). Each verdict goes to the one contract
rule whose ``covers`` names its rule (:data:`~schemacheck.rules.contracts._common.COVERAGE`),
or to the catch-all; verdicts the detectors state better (``REQUIRED_PROPERTY_ADDED``,
``PROPERTY_RENAMED``, ``PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL``) and edit-only ones are dropped. Findings sit on
the consumer's node, with the producer's node as ``base_location`` (SARIF's related location).
"""

from __future__ import annotations

import sys
from functools import lru_cache

from ..compat.shape.engine import Engine
from ..compat.shape.pair import FAMILIES, Diff, Direction, Policy
from ..compat.shape.table import RuleTable, ShapeRule, rule_table
from ..formats.jsonschema.document import pointer_parts
from ..model import Finding, Severity
from ..registry import REGISTRY, RuleSpec
from ..shape.nodes import ObjectShape, Shape, UnknownShape
from .detect import DETECTORS
from .issue import ContractIssue
from .sides import Side

__all__ = ["check_pair", "contract_rules", "DROPPED"]

#: Shape rules whose verdicts the detectors state from the contract's point of view.
DROPPED = frozenset({"REQUIRED_PROPERTY_ADDED", "PROPERTY_RENAMED", "PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL",
                     "ONEOF_BRANCHES_OVERLAP"})  # the last judges an edit that adds a branch, not a contract
#: The contract detectors' rule IDs (either direction): their verdicts carry the property name, not a message.
_DETECTOR_RULES = frozenset(rule_id for pairs in DETECTORS.values() for rule_id, _ in pairs)


@lru_cache(maxsize=2)
def _table(direction: str) -> RuleTable:
    base = rule_table()
    by_family = {family: tuple(r for r in base.by_family.get(family, ()) if r.spec.id not in DROPPED)
                 for family in FAMILIES}
    detectors = tuple(ShapeRule(RuleSpec(rule_id, "contracts", "detector", (), Severity.ERROR, "", "", handler),
                                "OBJECT", frozenset({Direction.BACKWARD}), False)
                      for rule_id, handler in DETECTORS[direction])
    by_family["OBJECT"] = by_family["OBJECT"] + detectors
    return RuleTable(by_family)


@lru_cache(maxsize=1)
def contract_rules() -> dict[str, str]:
    """Shape or detector rule ID -> the contract rule that reports it (``*``: the catch-all).

    Only the contract rules are loaded (once): the other formats' rule modules (protobuf's pull
    in the protobuf runtime) play no part in routing a verdict.
    """
    from ..registry import load_rules
    from ..rules.contracts._common import COVERAGE

    load_rules("contracts")
    return {covered: rule_id for rule_id, covers in COVERAGE.items() for covered in covers}


def check_pair(label: str, direction: str, consumer: Side, producer: Side, selected: frozenset[str],
               unfollowed: list[Shape] | None = None) -> list[Finding]:
    """Findings of the selected contract rules for one contract (consumer and producer already resolved).

    ``unfollowed`` (when given) receives each unresolved ``$ref`` the verdict needed (its unknown
    node): ``schemacheck contract`` makes those an input error, since the check is incomplete.
    """
    writer, reader = (producer, consumer) if direction == "reads" else (consumer, producer)
    engine = Engine(Direction.BACKWARD, Policy.STRICT, _table(direction))
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 20_000))
    try:
        diffs = list(engine.compare(writer.shape, reader.shape))
        if engine.approximate:
            diffs += engine.run("UNDECIDABLE", writer.shape, reader.shape, context="budget")
    finally:
        sys.setrecursionlimit(limit)
    routes = contract_rules()
    findings: dict[tuple, Finding] = {}
    for diff in diffs:
        unknown = _unfollowed_ref(diff)
        if unknown is not None and unfollowed is not None:
            unfollowed.append(unknown)
        rule_id = routes.get(diff.rule_id) or routes.get("*")
        if rule_id is None or rule_id not in selected:
            continue
        spec = REGISTRY.rules[rule_id]
        issue = _contract_issue(label, direction, consumer, producer, diff, unknown)
        for v in spec.handler(issue, None):
            hint = v.hint or " ".join(spec.section("How to change this safely").split())
            finding = Finding(rule_id, spec.severity, v.message, v.location, v.base_location, hint, "contracts",
                              v.subject, related="producer" if v.base_location is not None else "")
            findings.setdefault((rule_id, v.location, v.message), finding)
    return sorted(findings.values(), key=Finding.sort_key)


def _contract_issue(label: str, direction: str, consumer: Side, producer: Side, diff: Diff,
                    unknown: UnknownShape | None) -> ContractIssue:
    """The verdict ``diff`` from the contract's side; ``unknown``: its unfollowed ``$ref`` (:func:`_unfollowed_ref`)."""
    issue = diff.issue
    writer_node, reader_node = issue.old, issue.new
    consumer_node, producer_node = (reader_node, writer_node) if direction == "reads" else (writer_node, reader_node)
    name = _property_name(issue.subject)
    if name:  # point at the property itself where a side declares it (rules may hand over its object)
        consumer_node, producer_node = _narrow(consumer_node, name), _narrow(producer_node, name)
    if diff.rule_id in _DETECTOR_RULES:
        alternative, message = issue.hint, name
    elif unknown is not None:  # the edit rule's wording ("changed ... if the change narrows it") fits no contract
        alternative = ""
        message = f"the $ref at {unknown.origin.display} was not followed ({unknown.reason or 'it is not compared'})"
    else:
        alternative = ""
        message = issue.message.replace(diff.direction.victims, "the consumer cannot read what the producer sends"
                                        if direction == "reads" else "the producer cannot read what the consumer sends")
    alternative_node = None
    for obj in (writer_node, reader_node):
        found = obj.prop(alternative) if alternative and isinstance(obj, ObjectShape) else None
        if found is not None:
            alternative_node = found.shape
    return ContractIssue(label, direction, consumer, producer, diff.rule_id, message, consumer_node, producer_node,
                         name, alternative, alternative_node, issue.subject)


def _unfollowed_ref(diff: Diff) -> UnknownShape | None:
    """The unresolved ``$ref`` behind an undecidable verdict, if that is what it is."""
    from ..shape.kinds import deref

    if diff.rule_id != "SCHEMA_CHANGE_UNDECIDABLE":
        return None
    for node in (diff.issue.new, diff.issue.old):
        target = deref(node) if node is not None else None
        if isinstance(target, UnknownShape) and target.keyword == "$ref":
            return target
    return None


def _narrow(node: Shape, name: str) -> Shape:
    found = node.prop(name) if isinstance(node, ObjectShape) else None
    return found.shape if found is not None else node


def _property_name(subject: str) -> str:
    try:
        parts = pointer_parts(subject[1:] if subject.startswith("#") else subject)
    except ValueError:
        return ""
    return parts[-1] if len(parts) >= 2 and parts[-2] == "properties" else ""
