"""Contract rules about fields: required, guaranteed, declared on both sides.

Maintainers: each function receives a :class:`~schemacheck.contracts.issue.ContractIssue`; in
``reads`` contracts the consumer is the reader, in ``writes`` contracts the writer.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ...contracts.detect import NEVER_SENT, REQUIRED_MISSING, UNDECLARED
from ...contracts.issue import field_label, where
from ...registry import Violation
from ._common import contract_rule, tick, violation


def _instead(issue: Any, verb: str) -> str:
    """"; it VERB `alternative` (where)": the likely rename on the side the sentence just named."""
    if not issue.alternative:
        return ""
    place = f" ({where(issue.alternative_node)})" if issue.alternative_node is not None else ""
    return f"; it {verb} {tick(issue.alternative)}{place}"


@contract_rule("CONTRACT_REQUIRED_FIELD_MISSING", covers=(REQUIRED_MISSING,))
def contract_required_field_missing(issue: Any, ctx: Any = None) -> Iterator[Violation]:
    """A field the reading side requires is not declared by the writing side at all.

    ## What it does
    In a `reads` contract: flags a field the consumer requires (no default) that the producer's
    schema does not declare, for example because the producer renamed it. In a `writes`
    contract: flags a field the producer requires in requests that the consumer does not send.
    When the other side has one undeclared field of the same type, the message names it as the
    likely rename.

    ## Why is this breaking?
    Every document lacks the field, so the reader rejects every one: the payment service's
    `OrderResponse` validation fails on each order once the order service writes
    `total_cents` instead of `total_amount`. Each side on its own still looks consistent.

    ## Example
    Consumer: `class OrderResponse(BaseModel): total_amount: int`.
    Producer: `GET /orders/{id}` 200 declares `total_cents` (integer, required) and no `total_amount`.

    ## How to change this safely
    Have the producer write both names until every consumer reads the new one, or give the
    consumer's field a default, then drop the old. (A pydantic `AliasChoices` does not help
    here: schemacheck reads a field by the first of its names, docs/python.md.) In a `writes`
    contract: send the field under the name the producer requires, or have the producer accept
    both names (or default the field) until every consumer sends the new one.
    """
    if issue.reads:
        yield violation(issue, f"{issue.consumer_field()} ({where(issue.consumer_node)}) is required, but "
                               f"{issue.producer_field(name='')} does not provide {tick(issue.name)} "
                               f"({where(issue.producer_node)}){_instead(issue, 'has')}.",
                        producer_node=issue.alternative_node,
                        hint="Have the producer write both names until every consumer reads the new one, or give "
                             "the consumer's field a default, then drop the old.")
        return
    yield violation(issue, f"{issue.producer_field()} ({where(issue.producer_node)}) is required, but "
                           f"{field_label(issue.consumer, issue.consumer_node)} ({where(issue.consumer_node)}) "
                           "does not send "
                           f"{tick(issue.name)}{_instead(issue, 'sends')}.",
                    hint=f"Send {tick(issue.name)} from the consumer, or have the producer accept both names (or "
                         "give its field a default) until every consumer sends the new one.")


@contract_rule("CONTRACT_REQUIRED_FIELD_NOT_GUARANTEED", covers=("PROPERTY_BECAME_REQUIRED",))
def contract_required_field_not_guaranteed(issue: Any, ctx: Any = None) -> Iterator[Violation]:
    """A field the reading side requires is optional on the writing side.

    ## What it does
    Flags a field that both sides declare, that the reader requires without a default, and that
    the writer may leave out (optional, no default it always writes).

    ## Why is this breaking?
    Every document the writer produces without the field is rejected by the reader. Making a
    producer's field optional is a compatible change for the producer's own schema history,
    and still breaks this consumer.

    ## Example
    Consumer: `total_amount: int` (required).
    Producer: `total_amount` declared but no longer listed in `required`.

    ## How to change this safely
    Give the consumer's field a default (or make it `Optional`), or keep the field required
    (or defaulted) on the producer. In a `writes` contract: make the consumer always send the
    field (required, or a default it writes), or make it optional in the producer.
    """
    if issue.reads:
        yield violation(issue, f"{issue.consumer_field()} ({where(issue.consumer_node)}) is required, but "
                               f"{issue.producer_field()} ({where(issue.producer_node)}) is optional: the producer "
                               "does not guarantee it.",
                        hint="Give the consumer's field a default (or make it `Optional`), or keep the field "
                             "required (or defaulted) on the producer.")
        return
    yield violation(issue, f"{issue.producer_field()} ({where(issue.producer_node)}) is required, but "
                           f"{issue.consumer_field()} ({where(issue.consumer_node)}) is optional: the consumer "
                           "may leave it out.",
                    hint="Make the consumer always send the field (required, or with a default it writes), or "
                         "make it optional in the producer.")


@contract_rule("CONTRACT_FIELD_NEVER_SENT", covers=(NEVER_SENT,))
def contract_field_never_sent(issue: Any, ctx: Any = None) -> Iterator[Violation]:
    """The consumer reads a field that a closed producer never writes.

    ## What it does
    In a `reads` contract: flags an optional consumer field that the producer does not declare
    while the producer's object admits no undeclared keys (`additionalProperties: false`, a
    DTO that writes only its fields, a protobuf message).

    ## Why is this breaking?
    The field can never arrive, so the consumer always sees its default: almost always a field
    the producer renamed or removed, which the consumer's code still relies on.

    ## Example
    Consumer: `discount: int | None = None`.
    Producer: a closed object that declares `discount_cents` and no `discount`.

    ## How to change this safely
    Read the field under its new name (or remove it from the consumer), or have the producer
    declare it again.
    """
    yield violation(issue, f"{issue.consumer_field()} ({where(issue.consumer_node)}) is never sent: "
                           f"{issue.producer_field(name='')} ({where(issue.producer_node)}) does not declare "
                           f"{tick(issue.name)} and admits no other field{_instead(issue, 'has')}.",
                    producer_node=issue.alternative_node)


@contract_rule("CONTRACT_FIELD_UNDECLARED", covers=(UNDECLARED,), severity="warning")
def contract_field_undeclared(issue: Any, ctx: Any = None) -> Iterator[Violation]:
    """The consumer uses a field the (open) producer does not declare.

    ## What it does
    In a `reads` contract: flags an optional consumer field that the producer does not declare,
    where the producer's object is open (it may carry undeclared keys). In a `writes` contract:
    flags a field the consumer sends that the producer does not declare and ignores.

    ## Why is this breaking?
    Nothing in the producer's schema promises the field: it may be absent or hold any value, and
    a field the consumer sends may be silently dropped. It is a warning because an open schema
    does not exclude it.

    ## Example
    Consumer: `note: str | None = None`. Producer: an open object without `note`.

    ## How to change this safely
    Declare the field in the producer's schema, or stop relying on it in the consumer. In a
    `writes` contract: send it under the name the producer reads, or declare it in the
    producer's request schema.
    """
    if issue.reads:
        yield violation(issue, f"{issue.consumer_field()} ({where(issue.consumer_node)}) is not declared by "
                               f"{issue.producer_field(name='')} ({where(issue.producer_node)}): "
                               "nothing guarantees it or "
                               f"its type{_instead(issue, 'has')}.", producer_node=issue.alternative_node,
                        hint="Declare the field in the producer's schema, or stop relying on it in the consumer.")
        return
    yield violation(issue, f"{issue.consumer_field()} ({where(issue.consumer_node)}) is sent, but "
                           f"{issue.producer_field(name='')} ({where(issue.producer_node)}) does not declare "
                           f"{tick(issue.name)} and ignores it{_instead(issue, 'reads')}.",
                    producer_node=issue.alternative_node,
                    hint="Send the field under the name the producer reads, or declare it in the producer's "
                         "request schema.")


@contract_rule("CONTRACT_UNKNOWN_FIELD_REJECTED",
               covers=("PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL",
                       "PROPERTY_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL",
                       "ADDITIONAL_PROPERTIES_NARROWED"))
def contract_unknown_field_rejected(issue: Any, ctx: Any = None) -> Iterator[Violation]:
    """The writing side sends a field the reading side rejects as unknown.

    ## What it does
    Flags a field the writer may send that the reader does not declare while the reader
    rejects undeclared keys (a pydantic model with `extra='forbid'`, a closed JSON Schema), or
    types them differently through its catch-all schema.

    ## Why is this breaking?
    Every document that carries the field fails the reader's validation.

    ## Example
    Consumer: `class Order(BaseModel, extra="forbid"): id: str`.
    Producer: writes `id` and `note`.

    ## How to change this safely
    Declare the field in the reader (or let it ignore unknown keys) before the writer sends it;
    in a `writes` contract the reader is the producer, or the consumer stops sending the field.
    """
    subject = f"{tick(issue.name)} " if issue.name else ""
    if issue.reads:
        reader = field_label(issue.consumer, issue.consumer_node)
        yield violation(issue, f"{reader} ({where(issue.consumer_node)}) rejects the field "
                               f"{subject}that {issue.producer.label} sends ({where(issue.producer_node)}).")
        return
    reader = field_label(issue.producer, issue.producer_node)
    yield violation(issue, f"{reader} ({where(issue.producer_node)}) rejects the field {subject}that "
                           f"{field_label(issue.consumer, issue.consumer_node)} sends ({where(issue.consumer_node)}).")
