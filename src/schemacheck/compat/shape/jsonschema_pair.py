"""Entry point for the JSON Schema checker: two documents in, findings out.

Maintainers: builds the shape of each document (``formats/jsonschema/to_shape.py``), runs the
engine once per direction the mode needs (FULL = BACKWARD + FORWARD, de-duplicated), keeps the
selected rules, and turns issues into :class:`~schemacheck.model.Finding`s: location in the
new document (the node itself, or its nearest surviving parent for removals), base location
in the old one, the rule's default severity and its "How to change this safely" as hint.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace

from ...formats.jsonschema.document import JsonDocument, pointer_join
from ...formats.jsonschema.refs import RefResolver
from ...formats.jsonschema.to_shape import ShapeBuilder
from ...model import Finding, Location
from ...registry import REGISTRY
from ...shape.kinds import KindsMemo
from ...shape.nodes import Origin, Shape
from .engine import Engine
from .pair import Diff, Issue, Mode, Policy
from .table import rule_table

__all__ = ["compare_documents", "compare_shapes", "diffs_to_findings"]


def compare_shapes(old: Shape, new: Shape, *, mode: Mode | str = Mode.BACKWARD, policy: Policy | str = Policy.STRICT
                   ) -> list[Diff]:
    """Every difference between two shapes under ``mode`` and ``policy`` (all rules, de-duplicated)."""
    mode, policy = Mode(mode), Policy(policy)
    table = rule_table()
    seen: dict[tuple[str, str, str], Diff] = {}
    twice: set[tuple[str, str, str, str, str]] = set()
    kinds_memo: KindsMemo = {}
    with _deep_recursion():
        for direction in mode.directions:
            engine = Engine(direction, policy, table, kinds_memo)
            diffs = engine.compare(old, new)
            if engine.approximate:  # never a silent pass: say that some pairings were not tried
                diffs += engine.run("UNDECIDABLE", old, new, context="budget")
            for diff in diffs:
                if diff.key in seen and seen[diff.key].direction is not direction:
                    twice.add(diff.key)
                seen.setdefault(diff.key, diff)
    return [_both_ways(d) if d.key in twice else d for d in seen.values()]


def _both_ways(diff: Diff) -> Diff:
    """A diff found in both directions: its message names both kinds of readers."""
    issue = diff.issue
    message = issue.message.replace(diff.direction.victims, "readers on either version reject documents written "
                                                            "with the other")
    return replace(diff, issue=replace(issue, message=message))


def diffs_to_findings(diffs: list[Diff], selected: frozenset[str] = frozenset(), *, format: str = "jsonschema"
                      ) -> list[Finding]:
    """Findings for the diffs whose rule is selected (an empty selection keeps every rule).

    Args:
        diffs: From :func:`compare_shapes`.
        selected: Rule IDs to keep (empty: all).
        format: The ``Finding.format`` to report (another front end of the shape model, e.g.
            ``openapi``, passes its own).
    """
    out: dict[tuple[str, Location | None, str], Finding] = {}
    for diff in diffs:
        if selected and diff.rule_id not in selected:
            continue
        spec = REGISTRY.rules[diff.rule_id]
        issue = diff.issue
        hint = issue.hint or " ".join(spec.section("How to change this safely").split())
        location = _locate(issue.new, issue.keywords)
        finding = Finding(rule_id=diff.rule_id, severity=spec.severity, message=_both_pointers(issue), location=location,
                          base_location=_locate(issue.old, issue.keywords), hint=hint, format=format,
                          subject=issue.subject)
        out.setdefault((diff.rule_id, location, issue.message), finding)  # one per place and text
    return sorted(out.values(), key=Finding.sort_key)


def _both_pointers(issue: Issue) -> str:
    """The message, naming the old pointer too when the element sits elsewhere in the old schema."""
    old, new = issue.old.origin, issue.new.origin
    related = (old.pointer == new.pointer or old.pointer.startswith(new.pointer + "/")
               or new.pointer.startswith(old.pointer + "/"))  # the same node, or a removed/added child
    moved = not related
    if not moved or old.display in issue.message or not issue.message.endswith("."):
        return issue.message
    where = old.display if old.path == new.path else f"{old.path}{old.display}"
    return f"{issue.message[:-1]} (old schema: {where})."


def _locate(node: Shape, keywords: tuple[str, ...]) -> Location | None:
    """The node's location, or that of the first of ``keywords`` present under it."""
    origin = node.origin
    whole = origin.location()
    for keyword in keywords:
        found = Origin(origin.path, pointer_join(origin.pointer, keyword), origin.locator).location()
        if found is not None and found != whole:
            return found
    return whole


def compare_documents(old_doc: JsonDocument, new_doc: JsonDocument, old_refs: RefResolver, new_refs: RefResolver, *,
                      mode: Mode | str = Mode.BACKWARD, policy: Policy | str = Policy.STRICT,
                      selected: frozenset[str] = frozenset()) -> list[Finding]:
    """Compare two versions of one JSON Schema document.

    Args:
        old_doc: The base version.
        new_doc: The head version.
        old_refs: Resolver of the base revision (for ``$ref`` targets).
        new_refs: Resolver of the head revision.
        mode: ``backward`` (new reads old; default), ``forward`` (old reads new) or ``full``.
        policy: ``strict`` (default) or ``lenient`` (readers ignore unknown properties).
        selected: Rule IDs to report (empty: all).

    Returns:
        Findings sorted by position in the new document.
    """
    with _deep_recursion():
        old_shape = ShapeBuilder(old_refs).build(old_doc, "")
        new_shape = ShapeBuilder(new_refs).build(new_doc, "")
        return diffs_to_findings(compare_shapes(old_shape, new_shape, mode=mode, policy=policy), selected)


@contextmanager
def _deep_recursion(limit: int = 20_000) -> Iterator[None]:
    """Room for schemas as deep as the loader admits (each level costs a few Python frames)."""
    before = sys.getrecursionlimit()
    sys.setrecursionlimit(max(before, limit))
    try:
        yield
    finally:
        sys.setrecursionlimit(before)
