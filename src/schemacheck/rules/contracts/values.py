"""Contract rules about values: types, enum members, constraints, and what could not be decided.

Maintainers: each function receives a :class:`~schemacheck.contracts.issue.ContractIssue`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ...contracts.issue import enum_values, where
from ...registry import Violation
from ._common import CATCH_ALL, contract_rule, violation


def _sides(issue: Any) -> tuple[Any, Any]:
    """(reader node, writer node)."""
    return (issue.consumer_node, issue.producer_node) if issue.reads else (issue.producer_node, issue.consumer_node)


@contract_rule("CONTRACT_FIELD_TYPE_MISMATCH",
               covers=("TYPE_NARROWED", "TYPE_CHANGED", "TYPE_EXTENDED", "SUM_TYPE_NARROWED", "PRODUCT_TYPE_EXTENDED",
                       "NOT_TYPE_EXTENDED"))
def contract_field_type_mismatch(issue: Any, ctx: Any = None) -> Iterator[Violation]:
    """A field's type on the writing side does not fit the reading side's type.

    ## What it does
    Flags a field whose writer type admits values the reader's type rejects: a string where the
    reader wants an integer, a number where it wants an integer, `null` where it wants a value.

    ## Why is this breaking?
    Documents carrying such values fail the reader's validation or parse to the wrong value.

    ## Example
    Consumer: `total_amount: int`. Producer: `total_amount: {type: string}` (int64 in ProtoJSON).

    ## How to change this safely
    Widen the reader's type (accept both while the producer migrates), or keep the producer's type.
    """
    consumer = f"{issue.consumer_field()} ({where(issue.consumer_node)})"
    producer = f"{issue.producer_field()} ({where(issue.producer_node)})"
    if issue.reads and _open_enum_number(issue):
        yield violation(issue, f"{consumer} accepts only the enum's names, but {producer} is an open (proto3) "
                               "enum: the producer may send unknown enum numbers (a value it does not know, from "
                               "a newer peer, is written as its number in ProtoJSON).",
                        hint="Accept numbers too (`Literal[...] | int`), or read unknown values some other way "
                             "(a catch-all), before the producer's enum gains a value.")
        return
    if issue.reads:
        yield violation(issue, f"{consumer} is {_kind(issue.consumer_node)}, but {producer} may be "
                               f"{_kind(issue.producer_node)}: the consumer cannot read every value the producer sends.")
        return
    yield violation(issue, f"{producer} is {_kind(issue.producer_node)}, but {consumer} may be "
                           f"{_kind(issue.consumer_node)}: the producer cannot read every value the consumer sends.")


def _open_enum_number(issue: Any) -> bool:
    """Whether the producer's failing value is the number branch of a protobuf open enum (a union of
    the enum's names and an integer, ``formats/protobuf/protojson_values.enum_shape``)."""
    from ...shape.kinds import deref
    from ...shape.nodes import ArrayShape, EnumShape, NumberShape, ObjectShape, UnionShape

    node = deref(issue.producer_node)
    if issue.producer.selector.kind != "protobuf" or not isinstance(node, NumberShape) or not node.integer:
        return False
    stack, seen = [issue.producer.shape], set()
    while stack and len(seen) < 20_000:
        shape = deref(stack.pop())
        if id(shape) in seen:
            continue
        seen.add(id(shape))
        if isinstance(shape, UnionShape):
            if any(b is node for b in shape.branches) and any(isinstance(deref(b), EnumShape) for b in shape.branches):
                return True
            stack.extend(shape.branches)
        elif isinstance(shape, ObjectShape):
            stack.extend(p.shape for p in shape.properties)
            stack.extend(s for s in (shape.additional,) if s is not None)
        elif isinstance(shape, ArrayShape):
            stack.extend(s for s in (shape.items, *shape.prefix_items) if s is not None)
    return False


def _kind(node: Any) -> str:
    from ...shape.kinds import deref
    from ...shape.nodes import NumberShape, UnionShape

    target = deref(node)
    if isinstance(target, NumberShape):
        return f"`{target.type_name}`"
    if isinstance(target, UnionShape):
        return " or ".join(_kind(b) for b in target.branches)
    return f"`{target.kind}`"


@contract_rule("CONTRACT_ENUM_VALUE_NOT_ACCEPTED", covers=("ENUM_ARRAY_NARROWED", "ENUM_ARRAY_CHANGED"))
def contract_enum_value_not_accepted(issue: Any, ctx: Any = None) -> Iterator[Violation]:
    """The writing side may send an enum value the reading side's enum or `Literal` lacks.

    ## What it does
    Flags a field whose writer enum (OpenAPI/JSON Schema `enum`, protobuf enum names, a
    `Literal`) holds values the reader's enum does not accept.

    ## Why is this breaking?
    The first document with the new value fails the reader's validation: a producer adding a
    status is a compatible change for the producer's own schema, and breaks this consumer.

    ## Example
    Consumer: `status: Literal["pending", "paid"]`.
    Producer: `status: {enum: [pending, paid, refunded]}`.

    ## How to change this safely
    Add the value to the consumer first (or make it accept unknown values), then let the
    producer send it.
    """
    reader, writer = _sides(issue)
    written, read = enum_values(writer), enum_values(reader)
    missing = [v for v in written if v not in read] if written is not None and read is not None else []
    values = ", ".join(missing[:5]) + (", ..." if len(missing) > 5 else "") if missing else "some of its values"
    if issue.reads:
        yield violation(issue, f"{issue.consumer_field()} ({where(issue.consumer_node)}) does not accept {values}, "
                               f"which {issue.producer_field()} ({where(issue.producer_node)}) may send.")
        return
    yield violation(issue, f"{issue.producer_field()} ({where(issue.producer_node)}) does not accept {values}, "
                           f"which {issue.consumer_field()} ({where(issue.consumer_node)}) may send.")


@contract_rule("CONTRACT_FORMAT_NOT_GUARANTEED", covers=("FORMAT_ADDED", "FORMAT_CHANGED"), severity="warning")
def contract_format_not_guaranteed(issue: Any, ctx: Any = None) -> Iterator[Violation]:
    """The reading side expects a string format (date-time, uuid, email) the writing side does not promise.

    ## What it does
    Flags a string field whose reader declares a `format` (a `datetime`, `UUID` or `EmailStr`
    DTO field, a JSON Schema `format`) that the writer's schema does not declare, or declares
    differently.

    ## Why is this breaking?
    It may not be: the writer may well send valid values without saying so. But nothing in its
    schema promises the format, and a reader that parses the value (a `datetime` field) rejects
    any other string. A warning, because `format` is an annotation many schemas leave out.

    ## Example
    Consumer: `paid_at: datetime`. Producer: `paid_at: {type: string}`.

    ## How to change this safely
    Declare the format in the producer's schema (`format: date-time`), or read the field as a
    plain string in the consumer.
    """
    reader = issue.consumer_node if issue.reads else issue.producer_node
    writer = issue.producer_node if issue.reads else issue.consumer_node
    yield violation(issue, f"{issue.consumer_field()} ({where(issue.consumer_node)}) and "
                           f"{issue.producer_field()} ({where(issue.producer_node)}): the reader expects format "
                           f"{_format(reader)}, the writer promises {_format(writer)}.")


def _format(node: Any) -> str:
    from ...shape.kinds import deref
    from ...shape.nodes import StringShape

    target = deref(node)
    value = target.format if isinstance(target, StringShape) else None
    return f"`{value}`" if value else "none"


@contract_rule("CONTRACT_UNDECIDABLE", covers=("SCHEMA_CHANGE_UNDECIDABLE", "PATTERN_CHANGED"), severity="warning")
def contract_undecidable(issue: Any, ctx: Any = None) -> Iterator[Violation]:
    """Part of the contract could not be checked statically.

    ## What it does
    Reports a place where one side uses a construct the shape engine cannot compare: an
    unresolved `$ref`, `if`/`then`/`else`, a custom pydantic serializer or validator, a type
    from outside the repository, or two regular expressions whose containment is not decided.

    ## Why is this breaking?
    It may not be: schemacheck cannot tell, and says so rather than passing silently.

    ## Example
    Consumer: a field with a custom `@field_validator(mode="wrap")`.

    ## How to change this safely
    Prefer declarative types and constraints, or suppress the finding with a reason once checked by hand.
    """
    yield violation(issue, f"{issue.consumer_field()} ({where(issue.consumer_node)}) and "
                           f"{issue.producer_field()} ({where(issue.producer_node)}) could not be compared: "
                           f"{issue.message}")


@contract_rule("CONTRACT_VALUE_NOT_ACCEPTED", covers=(CATCH_ALL,))
def contract_value_not_accepted(issue: Any, ctx: Any = None) -> Iterator[Violation]:
    """The writing side may send values the reading side rejects (bounds, patterns, formats, arrays).

    ## What it does
    Reports every other verdict of the shape engine on the contract: a reader constraint
    (`maxLength`, `minimum`, `pattern`, `format`, `maxItems`, unique items, ...) stricter than the writer's.

    ## Why is this breaking?
    Documents the writer may produce fail the reader's validation.

    ## Example
    Consumer: `code: str = Field(max_length=8)`. Producer: `code: {type: string, maxLength: 16}`.

    ## How to change this safely
    Relax the reader's constraint, or tighten the writer's to match.
    """
    yield violation(issue, f"{issue.consumer_field()} ({where(issue.consumer_node)}) vs "
                           f"{issue.producer_field()} ({where(issue.producer_node)}): {issue.message}")
