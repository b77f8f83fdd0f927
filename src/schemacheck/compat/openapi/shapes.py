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

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

from ...formats.jsonschema.document import JsonDocument
from ...formats.jsonschema.document import pointer_parts
from .lifecycle import Policy
from .pairs import SchemaChange

if TYPE_CHECKING:
    from ...formats.jsonschema.refs import RefResolver
    from ...formats.jsonschema.to_shape import ShapeBuilder
    from ...formats.openapi.model import SchemaRef
    from ...shape.nodes import Shape

__all__ = ["SchemaComparer", "VICTIMS", "ADDED_RULE", "DEPRECATED_REMOVED_RULE"]

#: The shape rule that the extra response pass looks for.
ADDED_RULE = "PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL"
#: Every shape rule the extra response pass keeps (a required property added is added too).
ADDED_RULES = frozenset({ADDED_RULE, "REQUIRED_PROPERTY_ADDED"})
#: Shape rules that report a removed property, and what they become when the property's
#: deprecation was complete (``deprecated: true``, its ``x-sunset`` passed or none announced).
REMOVAL_RULES = frozenset({"REQUIRED_PROPERTY_REMOVED", "PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL",
                           "PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL",
                           "PROPERTY_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL"})
DEPRECATED_REMOVED_RULE = "DEPRECATED_PROPERTY_REMOVED"
#: Who breaks, per (side, reversed operation), replacing the engine's reader/writer wording.
VICTIMS = {
    ("request", False): "the new server rejects requests old clients still send",
    ("response", False): "old clients reject responses the new server sends",
    ("request", True): "receivers on the old contract reject what the API now sends",
    ("response", True): "the API rejects responses receivers on the old contract still return",
}


class SchemaComparer:
    """Compares schema pairs of one spec pair.

    Args:
        views: Data side -> factories of the (old, new) resolvers over that side's view
            (``readOnly`` properties dropped for requests, ``writeOnly`` ones for responses).
        added_pass: Also look for properties added to response schemas (an extra engine pass).
        policy: The check's date, to tell a removal after a completed deprecation.
    """

    def __init__(self, views: Mapping[str, tuple[Callable[[], RefResolver], Callable[[], RefResolver]]],
                 added_pass: bool = False, policy: Policy | None = None) -> None:
        from ..shape.engine import Engine
        from ..shape.pair import Direction, Policy

        self._views = views
        self._builders: dict[str, tuple[tuple[ShapeBuilder, RefResolver], tuple[ShapeBuilder, RefResolver]]] = {}
        self._added_pass = added_pass
        self._policy = policy or Policy()
        self._engines = {d: Engine(d, Policy.STRICT) for d in Direction}

    def _sides(self, side: str) -> tuple[tuple[ShapeBuilder, RefResolver], tuple[ShapeBuilder, RefResolver]]:
        """The (old, new) shape builders, with their resolvers, over ``side``'s view, made on first use."""
        from ...formats.jsonschema.to_shape import ShapeBuilder

        found = self._builders.get(side)
        if found is None:
            make_old, make_new = self._views[side]
            old, new = make_old(), make_new()
            found = self._builders[side] = ((ShapeBuilder(old), old), (ShapeBuilder(new), new))
        return found

    @staticmethod
    def _build(side: tuple[ShapeBuilder, RefResolver], schema: SchemaRef) -> Shape:
        """The shape of ``schema`` in the side's view (the view document of the same path)."""
        builder, refs = side
        doc = refs.document(schema.doc.path)
        return builder.build(doc if isinstance(doc, JsonDocument) else schema.doc, schema.pointer)

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
            old_builder, new_builder = self._sides(data_side)
            old_shape, new_shape = self._build(old_builder, old), self._build(new_builder, new)
            engine = self._engines[Direction.FORWARD if forward else Direction.BACKWARD]
            diffs = list(engine.compare(old_shape, new_shape))
            if forward and self._added_pass:
                diffs += [d for d in self._engines[Direction.BACKWARD].compare(old_shape, new_shape)
                          if d.rule_id in ADDED_RULES]
        finally:
            sys.setrecursionlimit(limit)
        victims = VICTIMS[(side, reversed_)]
        out: list[SchemaChange] = []
        for diff in diffs:
            rule = diff.rule_id
            if rule in REMOVAL_RULES and self._deprecation_done(old_builder[1], diff.issue.old):
                rule = DEPRECATED_REMOVED_RULE
            for finding in diffs_to_findings([diff], format="openapi"):
                message = finding.message.replace(diff.direction.victims, victims)
                out.append(SchemaChange((operation,), where, data_side, rule, message, finding.location,
                                        finding.base_location, finding.subject, _last(diff.issue.old.pointer),
                                        _last(diff.issue.new.pointer)))
        return out


    def _deprecation_done(self, refs: RefResolver, shape: Shape) -> bool:
        """Whether a removed property had completed its deprecation (its sunset read from the document)."""
        from ...formats.openapi.details import extension_text
        from .lifecycle import removal_allowed

        if not shape.annotations.deprecated:
            return False
        doc = refs.document(shape.origin.path)
        node = doc.get(shape.pointer) if isinstance(doc, JsonDocument) else None
        sunset = extension_text(node.get("x-sunset")) if isinstance(node, dict) else None
        return removal_allowed(True, sunset, self._policy)


def _last(pointer: str) -> str:
    try:
        parts = pointer_parts(pointer)
    except ValueError:
        return ""
    return parts[-1] if parts else ""
