"""Pair DTO classes of two revisions and compare them through the shape engine and the DTO rules.

Maintainers: classes pair by qualified name (module path + class name); a class that left
one module and appeared in another under the same name is paired as *moved* (and said so).
Per pair, the role's directions decide what is compared: BACKWARD (``request``: new code
reads what old clients send) compares the read views; FORWARD (``response``/``event``: old
clients read what new code writes) compares the old read view with the new write view, minus
whatever the old class already could not read of its own output (so a model whose
validation and serialization aliases differ is not flagged for that alone). Classes whose
views are unchanged are skipped. Shape diffs become findings of format ``python``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from ...formats.python.dto import DtoClass
from ...formats.python.to_shape import READ, WRITE, ShapeBuilder, escape
from ...model import Finding, Location, Severity
from ...registry import REGISTRY
from ..shape.engine import Engine
from ..shape.pair import Diff, Direction, Policy
from ..shape.table import rule_table

__all__ = ["DtoPair", "pair_classes", "Comparison"]


@dataclass(frozen=True, slots=True)
class DtoPair:
    """What the DTO rules receive.

    Attributes:
        old: The base class.
        new: The head class (``None``: removed).
        directions: ``backward`` and/or ``forward`` (from the role).
        moved: The class moved to another module.
    """

    old: DtoClass
    new: DtoClass | None
    directions: tuple[str, ...]
    moved: bool = False


def pair_classes(old: dict[str, DtoClass], new: dict[str, DtoClass]
                 ) -> tuple[list[tuple[DtoClass, DtoClass, bool]], list[DtoClass]]:
    """``([(old, new, moved)], [removed])``: by qualified name, then unique class name for moves."""
    pairs = [(old[q], new[q], False) for q in old if q in new]
    lost = [c for q, c in old.items() if q not in new]
    fresh = [c for q, c in new.items() if q not in old]
    removed: list[DtoClass] = []
    for cls in lost:
        same = [c for c in fresh if c.name == cls.name]
        if len(same) == 1 and sum(1 for c in lost if c.name == cls.name) == 1:
            pairs.append((cls, same[0], True))
        else:
            removed.append(cls)
    return pairs, removed


class Comparison:
    """Compares DTO pairs of one check, sharing engines and shape builders."""

    def __init__(self, old: ShapeBuilder, new: ShapeBuilder, selected: frozenset[str]) -> None:
        self.old, self.new, self.selected = old, new, selected
        table = rule_table()
        self.engines = {d: Engine(d, Policy.STRICT, table) for d in Direction}
        self.baseline = Engine(Direction.FORWARD, Policy.STRICT, table)
        self.diffs: dict[tuple, Diff] = {}
        self.twice: set[tuple] = set()
        self.findings: list[Finding] = []

    def compare(self, pair: DtoPair) -> None:
        """Compare one pair; results accumulate in :meth:`results`."""
        renamed_keys = self._dto_rules(pair)
        if pair.new is None:
            return
        old_read, new_read = self.old.shape(pair.old, READ), self.new.shape(pair.new, READ)
        old_write, new_write = self.old.shape(pair.old, WRITE), self.new.shape(pair.new, WRITE)
        if old_read == new_read and old_write == new_write and not pair.moved:
            return
        found: list[Diff] = []
        if "backward" in pair.directions:
            found += self.engines[Direction.BACKWARD].compare(old_read, new_read)
        if "forward" in pair.directions:
            known = {_loose(d) for d in self.baseline.compare(old_read, old_write)}
            found += [d for d in self.engines[Direction.FORWARD].compare(old_read, new_write) if _loose(d) not in known]
        for diff in found:
            if diff.rule_id == "PROPERTY_RENAMED" and diff.issue.subject in renamed_keys:
                continue  # said precisely by DTO_FIELD_ALIAS_CHANGED
            if diff.key in self.diffs and self.diffs[diff.key].direction is not diff.direction:
                self.twice.add(diff.key)
            self.diffs.setdefault(diff.key, diff)

    def _dto_rules(self, pair: DtoPair) -> set[str]:
        """Run the Python rules; return the wire keys whose rename they already reported."""
        renamed: set[str] = set()
        for spec in REGISTRY.for_format("python"):
            if spec.id not in self.selected:
                continue
            for v in spec.handler(pair, None):
                self.findings.append(Finding(spec.id, spec.severity, v.message, v.location, v.base_location,
                                             v.hint or " ".join(spec.section("How to change this safely").split()),
                                             "python", v.subject))
                if spec.id == "DTO_FIELD_ALIAS_CHANGED" and pair.new is not None:
                    attr = v.subject.rsplit(".", 1)[-1]
                    field = pair.new.field(attr)
                    if field is not None:
                        for name in (field.read_name, field.write_name):
                            renamed.add(f"#/{escape(pair.new.name)}/properties/{escape(name)}")
        return renamed

    def results(self) -> list[Finding]:
        """Every finding so far, shape rules included (selected ones only)."""
        from ..shape.jsonschema_pair import diffs_to_findings

        diffs = [_both_ways(d) if d.key in self.twice else d for d in self.diffs.values()]
        shape_findings = [self._at_field(f) for f in diffs_to_findings(diffs, self.selected, format="python")
                          if f.rule_id in self.selected]
        return sorted(self.findings + shape_findings, key=Finding.sort_key)


    def _at_field(self, finding: Finding) -> Finding:
        """A finding about one property (``became required``) points at that field, not its class."""
        pointer = finding.subject[1:] if finding.subject.startswith("#/") else ""
        if not pointer or finding.location is None:
            return finding
        span = self.new.locator(finding.location.path).spans.get(pointer)
        if span is None or span == (finding.location.line, finding.location.column, finding.location.end_line,
                                    finding.location.end_column):
            return finding
        base = finding.base_location
        if base is not None:
            old_span = self.old.locator(base.path).spans.get(pointer)
            base = Location(base.path, *old_span) if old_span is not None else base
        return replace(finding, location=Location(finding.location.path, *span), base_location=base)


def _loose(diff: Diff) -> tuple[str, str, str]:
    return diff.rule_id, diff.issue.old.pointer, diff.issue.subject


def _both_ways(diff: Diff) -> Diff:
    issue = diff.issue
    message = issue.message.replace(diff.direction.victims,
                                    "readers on either version reject documents written with the other")
    return replace(diff, issue=replace(issue, message=message))


def moved_note(old: DtoClass, new: DtoClass) -> tuple[str, Location, Severity]:
    """The remark for a class that moved between modules."""
    where = Location(new.path, *new.name_span)
    return (f"DTO class {new.name} moved from {old.qualname} ({old.path}) to {new.qualname}; "
            "it was compared with its old definition", where, Severity.INFO)
