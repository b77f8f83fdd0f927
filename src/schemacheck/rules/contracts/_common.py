"""Helpers shared by the contract rules: the declaration wrapper, the coverage table, violations.

Maintainers: :data:`COVERAGE` maps each contract rule to the shape-engine rules (or contract
detectors, ``contracts/detect.py``) whose verdicts it reports; ``"*"`` marks the catch-all.
``contracts/check.py`` routes every verdict through it; nothing else lists rules.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

from ...registry import Violation, rule

__all__ = ["contract_rule", "COVERAGE", "violation", "tick", "CATCH_ALL"]

CATCH_ALL = "*"
#: Contract rule ID -> the engine rule IDs it reports (``("*",)`` for the catch-all).
COVERAGE: dict[str, tuple[str, ...]] = {}


def contract_rule(rule_id: str, *, covers: Iterable[str], severity: str = "error"
                  ) -> Callable[[Callable[..., Iterator[Violation]]], Callable[..., Iterator[Violation]]]:
    """Declare a contract rule and which engine verdicts it reports."""
    COVERAGE[rule_id] = tuple(covers)
    return rule(rule_id, format="contracts", subject="contract", categories=("CONTRACT",), severity=severity)


def violation(issue: Any, message: str, *, producer_node: Any = None, hint: str = "") -> Violation:
    """A violation on the consumer's node, with the producer's node as the related location.

    ``hint`` replaces the rule page's "How to change this safely" (which speaks of ``reads``)
    where the direction changes who must do what.
    """
    from ...contracts.issue import location_of

    return Violation(message, location_of(issue.consumer_node), location_of(producer_node or issue.producer_node),
                     hint=hint, subject=f"{issue.consumer_field()} <- {issue.producer.label}" if issue.reads
                     else f"{issue.consumer_field()} -> {issue.producer.label}")


def tick(name: str) -> str:
    return f"`{name}`"
