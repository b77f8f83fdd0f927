"""What a contract rule receives: one verdict of the shape engine, seen from the consumer's side.

Maintainers: the engine speaks of a *writer* and a *reader* (``Issue.old`` / ``Issue.new`` under
BACKWARD); a contract speaks of a *consumer* and a *producer*. :class:`ContractIssue` holds
both nodes by role, the property concerned and, when the other side has a likely rename of it
(one property each side, same schema), that alternative, plus the helpers rules use to name
an element (``OrderResponse.total_amount``) and a place (``clients/orders.py:12``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..formats.jsonschema.document import pointer_parts
from ..model import Location
from ..shape.kinds import deref
from ..shape.nodes import EnumShape

if TYPE_CHECKING:
    from ..shape.nodes import Shape
    from .sides import Side

__all__ = ["ContractIssue", "where", "location_of", "field_label", "enum_values"]


@dataclass(frozen=True, slots=True)
class ContractIssue:
    """One engine verdict on a contract.

    Attributes:
        contract: How messages name the contract entry.
        direction: ``reads`` (consumer reads what the producer writes) or ``writes``.
        consumer: The consumer side.
        producer: The producer side.
        shape_rule: The engine rule (or contract detector) that fired.
        message: The engine's own sentence (used by the catch-all rule).
        consumer_node: The consumer's node (a property, or its enclosing object when absent there).
        producer_node: The producer's node (likewise).
        name: The property concerned ('' when the verdict is not about one property).
        alternative: The other side's likely renamed property ('' when none).
        alternative_node: Its node.
        subject: A stable name of the element for fingerprints and suppressions.
    """

    contract: str
    direction: str
    consumer: Side
    producer: Side
    shape_rule: str
    message: str
    consumer_node: Shape
    producer_node: Shape
    name: str = ""
    alternative: str = ""
    alternative_node: Shape | None = None
    subject: str = ""

    @property
    def reads(self) -> bool:
        return self.direction == "reads"

    def consumer_field(self) -> str:
        """``OrderResponse.total_amount`` (the consumer's element, with the property concerned)."""
        return field_label(self.consumer, self.consumer_node, self.name)

    def producer_field(self, node: Shape | None = None, name: str | None = None) -> str:
        return field_label(self.producer, node or self.producer_node, self.name if name is None else name)


def where(node: Shape | None) -> str:
    """``path:line`` of a node (the file alone when it has no position)."""
    if node is None:
        return ""
    location = node.origin.location()
    if location is None:
        return node.origin.path
    return f"{location.path}:{location.line}" if location.line else location.path


def location_of(node: Shape | None) -> Location | None:
    return node.origin.location() if node is not None else None


def field_label(side: Side, node: Shape, name: str = "") -> str:
    """How a message names ``node`` of ``side``: ``Order.items[].sku``, or the side's label plus a field path."""
    pointer = node.origin.pointer
    python = side.selector.kind in ("python", "protobuf")  # pointers /<Class or message>/properties/...
    inside = node.origin.path == side.selector.path and (
        not side.root or pointer == side.root or pointer.startswith(side.root + "/"))
    try:
        parts = list(pointer_parts(pointer[len(side.root):] if inside else pointer))
    except ValueError:
        parts = []
    names: list[str] = []
    if python and parts:
        names.append(parts.pop(0).rsplit(".", 1)[-1])  # /Class/properties/... or /pkg.Message/properties/...
    elif node is deref(side.shape):  # the selected element itself, reached through a $ref: its label says it
        parts = []
    elif not inside:  # a node outside the selected element (a shared component): name it by its definition
        for i in range(len(parts) - 1):
            if parts[i] in ("schemas", "$defs", "definitions"):
                names, parts = [parts[i + 1]], parts[i + 2:]
                break
    for i, token in enumerate(parts):
        if i > 0 and parts[i - 1] == "properties":
            names.append(token)
        elif token in ("items", "prefixItems", "additionalItems") and names:
            names[-1] += "[]"
    if name and (not names or names[-1] != name):
        names.append(name)
    dotted = ".".join(names)
    if python:
        return dotted or side.label
    return f"{side.label} `{dotted}`" if dotted else side.label


def enum_values(node: Shape) -> list[str] | None:
    """An enum node's values as canonical JSON texts (``None`` when it is no enum)."""
    target = deref(node)
    return list(target.values) if isinstance(target, EnumShape) else None
