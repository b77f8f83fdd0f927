"""Combined schemas: ``anyOf``/``oneOf`` branches, ``allOf`` conjuncts and ``not``.

Maintainers: the engine (``compat/shape/matching.py``) pairs branches regardless of order and
reports the closest branch's own differences when one exists; these rules speak only when a
branch has no counterpart of a compatible type at all (``pair.context`` says which case).
"""

from __future__ import annotations

from collections.abc import Iterator

from ...compat.shape.pair import Direction, Issue, ShapePair
from ...shape.values import deref, describe
from ._common import BACK, BOTH, FWD, shape_rule


def _branch(pair: ShapePair) -> str:
    """``#/oneOf/1 (object "Dog")``: where the branch is, its type and title if any."""
    assert pair.branch is not None
    title = pair.branch.annotations.title or deref(pair.branch).annotations.title
    return f"{pair.branch.origin.display} ({describe(pair.branch)}{f' {title!r}' if title else ''})"


@shape_rule("SUM_TYPE_NARROWED", family="COMBINED", breaks=BACK)
def sum_type_narrowed(pair: ShapePair) -> Iterator[Issue]:
    """An `anyOf`/`oneOf` branch of the old schema has no counterpart in the new one.

    ## What it does
    Flags an old branch that no new branch of a compatible type accepts (a removed branch).

    ## Why is this breaking?
    Old documents that matched only that branch are rejected by readers on the new schema (BACKWARD).

    ## Example
    Before: `{"anyOf": [{"type": "string"}, {"type": "integer"}]}`. After: `{"anyOf": [{"type": "string"}]}`.

    ## How to change this safely
    Keep the branch until no stored document needs it.
    """
    if pair.context == "sum" and pair.branch is not None:
        yield pair.issue(f"Branch {_branch(pair)} of the old union has no counterpart in {pair.where}; "
                         f"{pair.direction.victims} that matched it.", old=pair.branch)


@shape_rule("SUM_TYPE_EXTENDED", family="COMBINED", breaks=FWD)
def sum_type_extended(pair: ShapePair) -> Iterator[Issue]:
    """An `anyOf`/`oneOf` branch was added that the old schema has no counterpart for.

    ## What it does
    Flags a new branch that no old branch of a compatible type accepts.

    ## Why is this breaking?
    New documents matching only the new branch are rejected by readers still on the old schema (FORWARD).

    ## Example
    Before: `{"oneOf": [{"type": "string"}]}`. After: `{"oneOf": [{"type": "string"}, {"type": "null"}]}`.

    ## How to change this safely
    Upgrade readers first; under BACKWARD adding a branch is allowed (but see ONEOF_BRANCHES_OVERLAP).
    """
    if pair.context == "sum" and pair.branch is not None:
        yield pair.issue(f"Branch {_branch(pair)} was added to {pair.where} and the old union has no counterpart; "
                         f"{pair.direction.victims} that match it.", new=pair.branch)


@shape_rule("PRODUCT_TYPE_EXTENDED", family="COMBINED", breaks=BACK)
def product_type_extended(pair: ShapePair) -> Iterator[Issue]:
    """An `allOf` conjunct was added that nothing in the old schema implies.

    ## What it does
    Flags a new `allOf` member with no old member of a compatible type.

    ## Why is this breaking?
    Old documents need not satisfy the new conjunct, so readers on the new schema may reject them (BACKWARD).

    ## Example
    Before: `{"allOf": [{"type": "object"}]}`. After: `{"allOf": [{"type": "object"}, {"not": {"required": ["x"]}}]}`.

    ## How to change this safely
    Verify stored data against the new conjunct first.
    """
    if pair.context == "product" and pair.branch is not None:
        yield pair.issue(f"Constraint {_branch(pair)} was added to {pair.where} and old documents need not satisfy it; "
                         f"{pair.direction.victims}.", new=pair.branch)


@shape_rule("PRODUCT_TYPE_NARROWED", family="COMBINED", breaks=FWD)
def product_type_narrowed(pair: ShapePair) -> Iterator[Issue]:
    """An `allOf` conjunct was removed that nothing in the new schema implies.

    ## What it does
    Flags an old `allOf` member with no new member of a compatible type.

    ## Why is this breaking?
    New documents need not satisfy it, but readers still on the old schema require it (FORWARD).

    ## Example
    Before: `{"allOf": [{"type": "object"}, {"not": {"required": ["x"]}}]}`. After: `{"allOf": [{"type": "object"}]}`.

    ## How to change this safely
    Upgrade readers first; under BACKWARD this change is allowed.
    """
    if pair.context == "product" and pair.branch is not None:
        yield pair.issue(f"Constraint {_branch(pair)} was removed from {pair.where} and new documents need not "
                         f"satisfy it; {pair.direction.victims}.", old=pair.branch)


@shape_rule("NOT_TYPE_EXTENDED", family="COMBINED", breaks=BACK)
def not_type_extended(pair: ShapePair) -> Iterator[Issue]:
    """A `not` now excludes values the old schema accepted (`not` added or its inner schema widened).

    ## What it does
    Flags a `not` whose excluded set grew compared to the old schema.

    ## Why is this breaking?
    Old documents in the newly excluded set are rejected by readers on the new schema (BACKWARD).

    ## Example
    Before: `{"not": {"const": "a"}}`. After: `{"not": {"enum": ["a", "b"]}}`.

    ## How to change this safely
    Check stored data for the newly excluded values first.
    """
    if pair.context == "not":
        yield pair.issue(f"The not-constraint of {pair.where} now excludes values the old schema accepted; "
                         f"{pair.direction.victims}.")


@shape_rule("NOT_TYPE_NARROWED", family="COMBINED", breaks=FWD)
def not_type_narrowed(pair: ShapePair) -> Iterator[Issue]:
    """A `not` excludes fewer values than before (`not` removed or its inner schema narrowed).

    ## What it does
    Flags a `not` whose excluded set shrank compared to the old schema.

    ## Why is this breaking?
    New documents may hold values readers still on the old schema exclude (FORWARD).

    ## Example
    Before: `{"not": {"enum": ["a", "b"]}}`. After: `{"not": {"const": "a"}}`.

    ## How to change this safely
    Upgrade readers first; under BACKWARD this change is allowed.
    """
    if pair.context == "not":
        yield pair.issue(f"The not-constraint of {pair.where} excludes fewer values than before; "
                         f"{pair.direction.victims}.")


@shape_rule("ONEOF_BRANCHES_OVERLAP", family="COMBINED", breaks=BOTH, severity="warning")
def oneof_branches_overlap(pair: ShapePair) -> Iterator[Issue]:
    """Documents of one side may match two branches of the other side's `oneOf`.

    ## What it does
    Flags a `oneOf` whose branches may now both accept the same document: a branch added that
    overlaps an existing one, `anyOf` turned into `oneOf`, or (FORWARD) new documents that may
    match two branches of the old `oneOf`. Overlap is judged conservatively (JSON types,
    enum/const values, length and number ranges, required properties with disjoint values act
    as discriminators); an overlap both versions already had is not reported.

    ## Why is this breaking?
    `oneOf` requires exactly one match: a document that matched one branch now matches two and
    is rejected, although Confluent counts adding a branch as compatible.

    ## Example
    Before: `{"oneOf": [{"type": "string"}]}`. After: `{"oneOf": [{"type": "string"}, {"type": "string", "format": "email"}]}`.

    ## How to change this safely
    Make branches disjoint with a discriminator (a required `kind` property with distinct `const`s), or use `anyOf`.

    ## Known false positives
    Overlap is decided by a heuristic; branches disjoint for other reasons are still flagged.
    """
    if pair.context != "overlap" or pair.branch is None or pair.peer is None:
        return
    if pair.direction is Direction.BACKWARD:
        yield pair.issue(f"The oneOf branch {pair.branch.origin.display} of {pair.where} may overlap branch "
                         f"{pair.peer.origin.display}; {pair.direction.victims} that match both.", new=pair.branch)
    else:
        yield pair.issue(f"Values of {pair.branch.origin.display} may also match branch {pair.peer.origin.display} of "
                         f"the old oneOf, besides the branch that reads them; {pair.direction.victims} that match both.",
                         new=pair.branch)
