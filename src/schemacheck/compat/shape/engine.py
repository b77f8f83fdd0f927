"""The direction-aware shape engine: can a reader with schema R read every document of W?

Maintainers: :meth:`Engine.compare` takes an (old, new) node pair and, for its direction
(BACKWARD: writer = old, reader = new; FORWARD: the reverse), returns the :class:`~.pair.Diff`s
of every rule that fires. The engine does all the walking and pairing: it dereferences
``$ref`` nodes, distributes over unions (:mod:`.unions`) and intersections (:mod:`.matching`), pairs object
properties, tuple positions and keyword sub-schemas, and calls each rule *family* at the right
node pair. Rules only judge one pair. Results are memoised per (old node, new node) identity,
and a pair already being compared higher up the stack (a ``$ref`` cycle through a property or
item) is assumed compatible (coinduction), so recursion through cycles terminates; a cycle
through union branches alone is cut earlier, as a least fixed point (:mod:`.unions`). Synthetic
nodes are kept alive so ids stay unique. Work is counted (:attr:`Engine.steps`); past
:data:`STEP_BUDGET` only likely branch pairings are tried and :attr:`Engine.approximate` says so.
"""

from __future__ import annotations

from ...shape.nodes import (
    AllOfShape,
    AnyShape,
    ArrayShape,
    BooleanShape,
    EnumShape,
    NeverShape,
    NotShape,
    NullShape,
    NumberShape,
    ObjectShape,
    Origin,
    Shape,
    StringShape,
    UnionShape,
    UnknownShape,
)
from ...shape.kinds import KindsMemo, deref, kinds
from . import matching, unions
from .objects import catch_all_rest, likely_renames, rest_items
from .pair import Diff, Direction, Policy, ShapePair
from .table import RuleTable, rule_table

__all__ = ["Engine", "STEP_BUDGET"]

#: Comparisons (memoised or not) and branch trials after which unions and ``allOf`` try only identical and
#: same-place branches: exhaustive pairing is quadratic per union pair, and a mesh of unions
#: referring to each other would otherwise take minutes. Real schemas stay far below it.
STEP_BUDGET = 25_000

_LEAVES = (EnumShape, StringShape, NumberShape, NullShape, BooleanShape)
_LEAF_FAMILY: dict[type, str] = {StringShape: "STRING", NumberShape: "NUMBER", ObjectShape: "OBJECT",
                                 ArrayShape: "ARRAY"}


class Engine:
    """Compares shapes in one direction under one policy.

    Args:
        direction: BACKWARD (new reads old) or FORWARD (old reads new).
        policy: STRICT or LENIENT.
        table: The rules (default: every registered shape rule).
        kinds_memo: Shared by engines comparing the same shapes (both directions of ``full``).
    """

    def __init__(self, direction: Direction, policy: Policy = Policy.STRICT, table: RuleTable | None = None,
                 kinds_memo: KindsMemo | None = None) -> None:
        self.direction = direction
        self.policy = policy
        self.table = table or rule_table()
        self._memo: dict[tuple[int, int], tuple[Diff, ...]] = {}
        self._active: set[tuple[int, int]] = set()
        self._alive: list[Shape] = []
        self._kinds: KindsMemo = {} if kinds_memo is None else kinds_memo
        self.steps = 0
        #: Set when the step budget cut a search short (some pairing was not tried).
        self.approximate = False

    # -- public ------------------------------------------------------------------------------
    def compare(self, old: Shape, new: Shape) -> tuple[Diff, ...]:
        """Every breaking difference between ``old`` and ``new`` in this engine's direction."""
        old, new = deref(old), deref(new)
        self.steps += 1
        if old is new:
            return ()  # one node on both sides (a Python DTO class in an unchanged file): nothing changed
        key = (id(old), id(new))
        found = self._memo.get(key)
        if found is not None:
            return found
        if key in self._active:
            return ()  # a $ref cycle: assume compatible (coinduction)
        self._active.add(key)
        try:
            # Children shared by many parents (a $ref'd definition) hand back the same Diff
            # objects; keep each once so results stay proportional to the differences.
            result = tuple({id(d): d for d in self._compare(old, new)}.values())
        finally:
            self._active.discard(key)
        self._memo[key] = result
        self._alive += (old, new)
        return result

    def kinds(self, shape: Shape) -> frozenset[str]:
        """:func:`~schemacheck.shape.values.kinds`, memoised for this engine's comparisons."""
        return kinds(shape, self._kinds)

    def reads(self, writer: Shape, reader: Shape) -> bool:
        """Whether ``reader`` accepts everything ``writer`` accepts."""
        return not self.compare(*self.old_new(writer, reader))

    def old_new(self, writer: Shape, reader: Shape) -> tuple[Shape, Shape]:
        """Turn a (writer, reader) pair into (old, new) for this direction."""
        return (writer, reader) if self.direction is Direction.BACKWARD else (reader, writer)

    def run(self, family: str, old: Shape, new: Shape, **context: object) -> tuple[Diff, ...]:
        """Call every active rule of ``family`` on the pair."""
        reader = new if self.direction is Direction.BACKWARD else old
        own = reader.policy if isinstance(reader, ObjectShape) else None
        policy = Policy(own) if own else self.policy  # an object may carry its reader's policy
        pair = ShapePair(old, new, self.direction, policy, self, **context)  # type: ignore[arg-type]
        out: list[Diff] = []
        for rule in self.table.active(family, self.direction, policy):
            out.extend(Diff(rule.spec.id, issue, self.direction) for issue in rule.spec.handler(pair))
        return tuple(out)

    def spend(self, steps: int = 1) -> bool:
        """Count work; ``False`` once :data:`STEP_BUDGET` is spent (then only likely pairings are tried)."""
        self.steps += steps
        return self.steps < STEP_BUDGET

    def skipped(self) -> None:
        """Record that the budget cut a search short: the caller reports the verdict as approximate."""
        self.approximate = True

    def keep(self, shape: Shape) -> None:
        """Keep a node built during comparison alive, so memo keys (ids) stay unique."""
        self._alive.append(shape)

    def placeholder(self, parent: Shape, suffix: str, shape: Shape | None = None) -> Shape:
        """``shape``, or an :class:`AnyShape` standing for an absent keyword under ``parent``."""
        if shape is not None:
            return shape
        node = AnyShape(origin=Origin(parent.origin.path, parent.pointer + suffix, parent.origin.locator))
        self._alive.append(node)
        return node

    # -- dispatch ------------------------------------------------------------------------------
    def _compare(self, old: Shape, new: Shape) -> tuple[Diff, ...]:
        writer, reader = self.old_new(old, new)
        if isinstance(writer, NeverShape) or isinstance(reader, AnyShape) or not self.kinds(writer):
            return ()  # the writer can write nothing (false, an unsatisfiable allOf) or the reader takes all
        if type(old) is type(new) and isinstance(old, _LEAVES) and old == new:
            return ()  # equal leaves hold no $ref, so equality is exact (and cheap)
        if isinstance(old, UnknownShape) or isinstance(new, UnknownShape):
            return () if old == new else self.run("UNDECIDABLE", old, new)
        if isinstance(writer, EnumShape):
            return self.run("ENUM", old, new)
        if isinstance(writer, UnionShape) or isinstance(reader, UnionShape):
            return unions.sum_pair(self, old, new)
        if isinstance(writer, AllOfShape) or isinstance(reader, AllOfShape):
            return matching.product_pair(self, old, new)
        if isinstance(writer, NotShape) or isinstance(reader, NotShape):
            return matching.not_pair(self, old, new)
        if isinstance(reader, EnumShape):
            return self.run("ENUM", old, new)
        if type(old) is type(new):
            return self._same_kind(old, new)
        return self.run("TYPE", old, new)

    def _same_kind(self, old: Shape, new: Shape) -> tuple[Diff, ...]:
        family = _LEAF_FAMILY.get(type(old))
        if family is None:
            return ()
        out: list[Diff] = []
        if isinstance(old, NumberShape) and isinstance(new, NumberShape) and old.integer != new.integer:
            out += self.run("TYPE", old, new)
        if isinstance(old, ObjectShape) and isinstance(new, ObjectShape):
            out += self.run(family, old, new, extra=likely_renames(old, new))
            out += self._object_children(old, new)
        elif isinstance(old, ArrayShape) and isinstance(new, ArrayShape):
            out += self.run(family, old, new)
            out += self._array_children(old, new)
        else:
            out += self.run(family, old, new)
        return tuple(out)

    # -- children ------------------------------------------------------------------------------
    def _object_children(self, old: ObjectShape, new: ObjectShape) -> list[Diff]:
        out: list[Diff] = []
        for prop in old.properties:
            other = new.prop(prop.name)
            if other is not None:
                out += self.compare(prop.shape, other.shape)
        old_rest, new_rest = catch_all_rest(old), catch_all_rest(new)
        if old_rest is not None and new_rest is not None and not _trivial(old_rest) and not _trivial(new_rest):
            out += self.compare(old_rest, new_rest)
        new_patterns = dict(new.pattern_properties)
        for pattern, shape in old.pattern_properties:
            if pattern in new_patterns:
                out += self.compare(shape, new_patterns[pattern])
        if old.property_names is not None or new.property_names is not None:
            out += self.compare(self._names(old), self._names(new))
        new_deps = dict(new.dependent_schemas)
        for name, shape in old.dependent_schemas:
            if name in new_deps:
                out += self.compare(shape, new_deps[name])
        return out

    def _names(self, obj: ObjectShape) -> Shape:
        if obj.property_names is not None:
            return obj.property_names
        node = StringShape(origin=Origin(obj.origin.path, obj.pointer + "/propertyNames", obj.origin.locator))
        self._alive.append(node)
        return node

    def _array_children(self, old: ArrayShape, new: ArrayShape) -> list[Diff]:
        out: list[Diff] = []
        for old_item, new_item in zip(old.prefix_items, new.prefix_items):
            out += self.compare(old_item, new_item)
        old_rest, new_rest = rest_items(old), rest_items(new)
        if old_rest is not None or new_rest is not None:
            out += self.compare(self.placeholder(old, "/items", old_rest), self.placeholder(new, "/items", new_rest))
        if old.contains is not None and new.contains is not None:
            out += self.compare(old.contains, new.contains)
        return out


def _trivial(shape: Shape) -> bool:
    return isinstance(deref(shape), (AnyShape, NeverShape))
