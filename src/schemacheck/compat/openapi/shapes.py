"""Body, parameter and header schemas through the shape engine, in the direction of the data.

Maintainers: request data is written by old clients and read by the new server (BACKWARD),
response data written by the new server and read by old clients (FORWARD); webhooks and
callbacks swap the two (the caller passes the side after swapping). Both under the strict
policy: a property removed from an open response schema is reported (old clients read it).
On the request side ``PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL`` becomes the ``info`` rule
``REQUEST_PROPERTY_ADDED`` (servers ignore unknown keys); on the response side one extra
BACKWARD pass, only when ``RESPONSE_PROPERTY_ADDED`` is selected, finds added properties.
One :class:`ShapeBuilder` per revision and one :class:`Engine` per direction serve every schema
of a check, so a component used by many operations is built once and compared once (the
engine's memo is keyed by node pair): a spec whose components form one big ``$ref`` mesh costs
one walk of the mesh per direction, not one per operation.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...formats.jsonschema.document import pointer_parts
from .pairs import SchemaChange

if TYPE_CHECKING:
    from ...formats.jsonschema.refs import RefResolver
    from ...formats.openapi.model import SchemaRef

__all__ = ["SchemaComparer", "VICTIMS", "ADDED_RULE"]

#: The shape rule that the extra response pass looks for.
ADDED_RULE = "PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL"
#: Who breaks, per (side, reversed operation), replacing the engine's reader/writer wording.
VICTIMS = {
    ("request", False): "the new server rejects requests old clients still send",
    ("response", False): "old clients reject responses the new server sends",
    ("request", True): "the API rejects what receivers on the old contract still return",
    ("response", True): "receivers on the old contract reject what the API now sends",
}


class SchemaComparer:
    """Compares schema pairs of one spec pair.

    Args:
        old_refs: Resolver of the base revision.
        new_refs: Resolver of the head revision.
        added_pass: Also look for properties added to response schemas (an extra engine pass).
    """

    def __init__(self, old_refs: RefResolver, new_refs: RefResolver, added_pass: bool = False) -> None:
        from ...formats.jsonschema.to_shape import ShapeBuilder
        from ..shape.engine import Engine
        from ..shape.pair import Direction, Policy

        self._old, self._new = ShapeBuilder(old_refs), ShapeBuilder(new_refs)
        self._added_pass = added_pass
        self._engines = {d: Engine(d, Policy.STRICT) for d in Direction}

    def compare(self, operation: str, where: str, side: str, reversed_: bool, old: SchemaRef, new: SchemaRef
                ) -> list[SchemaChange]:
        """The differences of one schema pair (``side`` before swapping for webhooks/callbacks)."""
        import sys

        from ..shape.jsonschema_pair import diffs_to_findings
        from ..shape.pair import Direction

        data_side = side if not reversed_ else ("response" if side == "request" else "request")
        forward = data_side == "response"
        limit = sys.getrecursionlimit()
        sys.setrecursionlimit(max(limit, 20_000))  # as deep as the loader admits (a few frames per level)
        try:
            old_shape = self._old.build(old.doc, old.pointer)
            new_shape = self._new.build(new.doc, new.pointer)
            engine = self._engines[Direction.FORWARD if forward else Direction.BACKWARD]
            diffs = list(engine.compare(old_shape, new_shape))
            if forward and self._added_pass:
                diffs += [d for d in self._engines[Direction.BACKWARD].compare(old_shape, new_shape)
                          if d.rule_id == ADDED_RULE]
        finally:
            sys.setrecursionlimit(limit)
        victims = VICTIMS[(side, reversed_)]
        out: list[SchemaChange] = []
        for diff in diffs:
            for finding in diffs_to_findings([diff], format="openapi"):
                message = finding.message.replace(diff.direction.victims, victims)
                out.append(SchemaChange((operation,), where, data_side, diff.rule_id, message, finding.location,
                                        finding.base_location, finding.subject, _last(diff.issue.old.pointer),
                                        _last(diff.issue.new.pointer)))
        return out


def _last(pointer: str) -> str:
    try:
        parts = pointer_parts(pointer)
    except ValueError:
        return ""
    return parts[-1] if parts else ""
