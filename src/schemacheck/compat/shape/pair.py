"""What shape rules receive and return: the node pair, the direction, and issues.

Maintainers: rules are written in *edit* terms (old → new): ``MAX_LENGTH_DECREASED`` looks at
``pair.old`` and ``pair.new``. Which direction an edit breaks is declared in the rule's
categories (``BACKWARD``: readers on the new schema reject old documents; ``FORWARD``: readers
still on the old schema reject new documents), and ``STRICT`` marks edits that the lenient
policy ("readers ignore unknown properties") accepts. The engine only calls a rule in a
direction its categories name, so most rules never look at :attr:`ShapePair.direction`.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Protocol

from ...shape.nodes import Shape

__all__ = ["Direction", "Policy", "Mode", "ShapePair", "Issue", "Diff", "FAMILIES", "Comparer"]

#: Categories that say which engine hook calls a rule (one per rule).
FAMILIES = ("TYPE", "STRING", "NUMBER", "OBJECT", "ARRAY", "ENUM", "COMBINED", "UNDECIDABLE")


class Direction(str, enum.Enum):
    """Who reads whom. BACKWARD: the new schema reads old data. FORWARD: the old reads new."""

    BACKWARD = "backward"
    FORWARD = "forward"

    @property
    def victims(self) -> str:
        """Who breaks, for messages."""
        if self is Direction.BACKWARD:
            return "readers on the new schema reject documents written with the old one"
        return "readers still on the old schema reject documents written with the new one"


class Mode(str, enum.Enum):
    """Confluent's compatibility levels (non-transitive)."""

    BACKWARD = "backward"
    FORWARD = "forward"
    FULL = "full"

    @property
    def directions(self) -> tuple[Direction, ...]:
        if self is Mode.FULL:
            return (Direction.BACKWARD, Direction.FORWARD)
        return (Direction(self.value),)


class Policy(str, enum.Enum):
    """STRICT: every difference counts. LENIENT: readers ignore unknown object properties."""

    STRICT = "strict"
    LENIENT = "lenient"


@dataclass(frozen=True, slots=True)
class Issue:
    """What a rule yields; the engine adds the rule ID and turns it into a finding later.

    Attributes:
        message: One past-tense sentence: what changed and who breaks.
        old: The node in the old schema (or its nearest surviving parent).
        new: The node in the new schema (or its nearest surviving parent, for removals).
        subject: The JSON pointer that names the element (``#/properties/a``).
        hint: Occurrence-specific advice ('' means: use the rule's own).
        keywords: Keywords under ``old``/``new`` to point at when present (``maxLength``),
            for a position more precise than the whole schema object.
    """

    message: str
    old: Shape
    new: Shape
    subject: str
    hint: str = ""
    keywords: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Diff:
    """A rule's issue in one direction."""

    rule_id: str
    issue: Issue
    direction: Direction

    @property
    def key(self) -> tuple[str, str, str, str, str]:
        """What makes two diffs the same finding (the same rule at the same places)."""
        issue = self.issue
        return (self.rule_id, issue.old.origin.path, issue.old.pointer, issue.new.origin.path, issue.subject)


class Comparer(Protocol):
    """What rules and :mod:`.matching` may ask of the engine (:class:`~.engine.Engine` implements it).

    A protocol rather than an import of the engine, so the engine's helpers and the rules depend
    on this module only and ``compat/shape`` has no import cycle.
    """

    direction: Direction
    policy: Policy

    def compare(self, old: Shape, new: Shape) -> tuple[Diff, ...]: ...

    def reads(self, writer: Shape, reader: Shape) -> bool: ...

    def kinds(self, shape: Shape) -> frozenset[str]: ...

    def old_new(self, writer: Shape, reader: Shape) -> tuple[Shape, Shape]: ...

    def run(self, family: str, old: Shape, new: Shape, **context: object) -> tuple[Diff, ...]: ...

    def keep(self, shape: Shape) -> None: ...

    def spend(self, steps: int = 1) -> bool:
        """Count work; ``False`` once the budget for trying every pairing is spent."""
        ...

    def skipped(self) -> None:
        """Record that a pairing was not tried for lack of budget (the verdict is approximate)."""
        ...


@dataclass(frozen=True, slots=True)
class ShapePair:
    """An old node and a new node the engine paired, plus context for combinator rules.

    Attributes:
        old: Node of the old schema.
        new: Node of the new schema.
        direction: The reader/writer direction being checked.
        policy: STRICT or LENIENT.
        context: For ``COMBINED`` rules: ``sum``, ``product``, ``not`` or ``overlap``.
        branch: The branch the engine could not match (old branch when BACKWARD, new when
            FORWARD), or the added overlapping ``oneOf`` branch.
        peer: For ``overlap``: the existing branch it overlaps.
        extra: Engine-computed facts (object pairs: likely renames as ``(old, new)`` names).
    """

    old: Shape
    new: Shape
    direction: Direction
    policy: Policy
    engine: Comparer = field(compare=False, repr=False)
    context: str = ""
    branch: Shape | None = None
    peer: Shape | None = None
    extra: tuple[tuple[str, str], ...] = ()

    def issue(self, message: str, *, old: Shape | None = None, new: Shape | None = None,
              subject: str | None = None, hint: str = "", keywords: tuple[str, ...] = ()) -> Issue:
        """An :class:`Issue` at ``new`` (default: the pair's new node), naming ``subject``."""
        new_node = new if new is not None else self.new
        old_node = old if old is not None else self.old
        return Issue(message, old_node, new_node, subject or new_node.origin.display, hint, keywords)

    def reads(self, writer: Shape, reader: Shape) -> bool:
        """Whether ``reader`` accepts every document ``writer`` accepts (this direction's rules)."""
        return self.engine.reads(writer, reader)

    @property
    def where(self) -> str:
        """The new node for messages: ``#/properties/a``, or ``the root schema``."""
        return self.new.origin.display if self.new.pointer else "the root schema"
