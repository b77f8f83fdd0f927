"""Unions (``anyOf``, ``oneOf``, ``type`` lists): which branch of one side stands for which of the other.

Maintainers: a writer union needs *every* branch read by the reader; a reader union needs
*some* branch to read it. Branch order never matters. When no branch matches, the differences
of the *closest* branch (same JSON type, fewest differences, each reader branch used once) are
reported instead of a vague "branches changed"; only when no branch of a compatible type exists
does a ``COMBINED`` (or, for ``type: [..]`` lists, a ``TYPE``) rule speak. A reader ``oneOf``
also needs *exactly one* branch: writer branches that may match a second reader branch are
flagged (an added overlapping branch, ``anyOf`` → ``oneOf``, a ``oneOf`` collapsed in FORWARD),
unless the writer had the same overlap already.

Recursion: a branch leading back to a union being expanded is dropped (the least fixed point,
:func:`union_branches`), so a recursive union terminates and compares its real leaves.

Bounded work: trying every writer branch against every reader branch is quadratic per union
pair, and a mesh of unions referring to each other multiplies that by the number of pairs.
Identical branches are found by hash first; once the engine's step budget is spent only the
identical branch and the one at the same position are tried (and overlap checks stop). Either
can only add findings, never hide one, and the engine then says the verdict is approximate.
"""

from __future__ import annotations

from ...shape.kinds import deref
from ...shape.nodes import Shape, UnionShape
from .matching import Candidates, overlaps, same_type
from .pair import Comparer, Diff, Direction

__all__ = ["sum_pair", "union_branches"]


def union_branches(union: UnionShape) -> list[Shape]:
    """A union's branches, read as the least fixed point of its ``$ref`` recursion.

    An ``anyOf`` (or ``type`` list) nested in an ``anyOf`` is flattened into it (the same
    values), and a branch leading back to a union being flattened is dropped: it adds no value
    the other branches do not already give (``anyOf: [{$ref: '#'}, {type: string}]`` is a
    string). A ``oneOf`` is never flattened (exclusivity would change), only its
    self-references dropped.
    """
    out: list[Shape] = []
    seen = {id(union)}
    stack = [(union, iter(union.branches))]
    while stack:
        owner, rest = stack[-1]
        branch = next(rest, None)
        if branch is None:
            stack.pop()
            continue
        target = deref(branch)
        if isinstance(target, UnionShape):
            if id(target) in seen:
                continue  # back to a union in progress: the least fixed point adds nothing here
            if not owner.one_of and not target.one_of:
                seen.add(id(target))
                stack.append((target, iter(target.branches)))
                continue
        out.append(branch)
    return out


def _branches(shape: Shape) -> list[Shape]:
    shape = deref(shape)
    return union_branches(shape) if isinstance(shape, UnionShape) else [shape]


def sum_pair(engine: Comparer, old: Shape, new: Shape) -> tuple[Diff, ...]:
    """A union on either side: every writer branch must be read by some reader branch."""
    writer, reader = engine.old_new(old, new)
    wbs, rbs = _branches(writer), _branches(reader)
    explicit = any(isinstance(x, UnionShape) and not x.synthetic for x in (writer, reader))
    order = Candidates(rbs)
    tried: dict[tuple[int, int], tuple[Diff, ...]] = {}
    reads: dict[int, int] = {}
    unmatched: list[int] = []
    for i, wb in enumerate(wbs):
        if not engine.kinds(wb):
            continue  # a branch that accepts nothing needs no counterpart
        for j in order(wb, i, engine):
            rb = rbs[j]
            if not same_type(engine, wb, rb):
                continue
            tried[i, j] = engine.compare(*engine.old_new(wb, rb))
            if not tried[i, j]:
                reads[i] = j
                break
        else:
            unmatched.append(i)
    out: list[Diff] = []
    free = [j for j in range(len(rbs)) if j not in reads.values()]
    type_change = False
    for i in unmatched:
        cands = [j for j in (free if explicit else range(len(rbs))) if (i, j) in tried]
        if cands:
            best = min(cands, key=lambda j: (len(tried[i, j]), j))
            out += tried[i, best]
            if explicit:
                free.remove(best)
        elif explicit:
            out += engine.run("COMBINED", old, new, context="sum", branch=wbs[i])
        else:
            type_change = True
    if type_change:
        out += engine.run("TYPE", old, new)
    out += _oneof_overlaps(engine, old, new, writer, reader, wbs, rbs, reads)
    return tuple(out)


def _oneof_overlaps(engine: Comparer, old: Shape, new: Shape, writer: Shape, reader: Shape, wbs: list[Shape],
                    rbs: list[Shape], reads: dict[int, int]) -> list[Diff]:
    """A reader ``oneOf`` rejects values matching two branches: flag writer branches that may.

    Each writer branch has the reader branch that read it (``reads``, identical ones first, each
    reader branch assigned once). It breaks if it may also match another reader branch, unless
    the writer is a ``oneOf`` with the same two branches unchanged (those values were already
    invalid for the writer).
    """
    if not (isinstance(reader, UnionShape) and reader.one_of and not reader.synthetic):
        return []
    writer_one_of = isinstance(writer, UnionShape) and writer.one_of and not writer.synthetic
    assigned: dict[int, int] = {}
    taken: set[int] = set()
    for i, j in reads.items():
        if j not in taken:
            assigned[i] = j
            taken.add(j)
    unchanged = {j for i, j in assigned.items() if wbs[i] == rbs[j]} if writer_one_of else set()
    out: list[Diff] = []
    seen: set[frozenset[int]] = set()
    everything = range(len(rbs))
    changed = [k for k in everything if k not in unchanged]  # an unchanged pair had its overlap already
    for i, j in assigned.items():
        for k in (changed if j in unchanged else everything):
            rb = rbs[k]
            if k == j or frozenset((j, k)) in seen:
                continue
            if not engine.spend():
                engine.skipped()
                return out
            if not overlaps(wbs[i], rb, engine.kinds):
                continue
            seen.add(frozenset((j, k)))
            if engine.direction is Direction.BACKWARD:
                out += engine.run("COMBINED", old, new, context="overlap", branch=rb, peer=rbs[j])
            else:
                out += engine.run("COMBINED", old, new, context="overlap", branch=wbs[i], peer=rb)
            break
    return out
