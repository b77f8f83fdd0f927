"""Constructs the engine cannot decide: it says so instead of passing silently.

Maintainers: the front end turns ``if``/``then``/``else``, ``$dynamicRef``/``$recursiveRef``
and unresolved ``$ref`` into an unknown node; an unchanged one compares equal and is quiet.
"""

from __future__ import annotations

from collections.abc import Iterator

from ...compat.shape.pair import Issue, ShapePair
from ...shape.nodes import UnknownShape
from ...shape.values import deref
from ._common import BOTH, shape_rule


@shape_rule("SCHEMA_CHANGE_UNDECIDABLE", family="UNDECIDABLE", breaks=BOTH, severity="warning")
def schema_change_undecidable(pair: ShapePair) -> Iterator[Issue]:
    """A changed construct could not be compared (`if`/`then`/`else`, `$dynamicRef`, an unresolved `$ref`).

    ## What it does
    Flags a change touching a construct the engine does not reason about, so that the verdict
    is known to be incomplete rather than silently compatible. Also flags a comparison cut
    short by the engine's work budget (a mesh of unions or `allOf`s referring to each other),
    where only identical and same-place branches were paired.

    ## Why is this breaking?
    It may or may not be: conditional schemas and dynamic references can accept or reject any
    document depending on their contents. Review the change by hand.

    ## Example
    Before: `{"if": {"properties": {"kind": {"const": "a"}}}, "then": {"required": ["x"]}}`.
    After: `{"if": {"properties": {"kind": {"const": "a"}}}, "then": {"required": ["x", "y"]}}`.

    ## How to change this safely
    Review the change, then suppress the finding with a reason; prefer `oneOf` with a
    discriminator over `if`/`then`/`else` where possible.
    """
    if pair.context == "budget":
        yield pair.issue(f"The comparison of {pair.where} was cut short: its unions and allOf $refs reach each "
                         "other too often to pair every branch in bounded time, so only identical and same-place "
                         "branches were paired; review the change by hand.")
        return
    unknown = next(s for s in (deref(pair.new), deref(pair.old)) if isinstance(s, UnknownShape))
    reason = unknown.reason or "it is not compared"
    yield pair.issue(f"The {unknown.keyword} at {unknown.origin.display} changed and was not compared ({reason}); "
                     f"{pair.direction.victims} if the change narrows it.")
