"""The shape rules, indexed by the engine hook that calls them, read from the single registry.

Maintainers: a shape rule is an ordinary registry rule (``format="jsonschema"``,
``subject="shape"``) whose categories say everything the engine needs: one *family*
(:data:`~.pair.FAMILIES`: which hook calls it), the directions it breaks (``BACKWARD``,
``FORWARD``) and ``STRICT`` when the lenient policy accepts the edit. Nothing else is listed
anywhere: adding a rule module under ``schemacheck/rules/jsonschema`` is enough.
"""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass
from functools import lru_cache

from ...registry import REGISTRY, RuleSpec
from .pair import FAMILIES, Direction, Policy

__all__ = ["ShapeRule", "RuleTable", "rule_table", "load_shape_rules"]


@dataclass(frozen=True, slots=True)
class ShapeRule:
    """A registry spec plus what the engine derives from its categories."""

    spec: RuleSpec
    family: str
    directions: frozenset[Direction]
    strict_only: bool


@dataclass(frozen=True, slots=True)
class RuleTable:
    """Rules by family."""

    by_family: dict[str, tuple[ShapeRule, ...]]

    def active(self, family: str, direction: Direction, policy: Policy) -> tuple[ShapeRule, ...]:
        return tuple(r for r in self.by_family.get(family, ())
                     if direction in r.directions and not (r.strict_only and policy is Policy.LENIENT))

    def ids(self) -> frozenset[str]:
        return frozenset(r.spec.id for rules in self.by_family.values() for r in rules)


def load_shape_rules() -> None:
    """Import every module of ``schemacheck.rules.jsonschema`` (idempotent)."""
    from ...rules import jsonschema as pkg

    for info in pkgutil.walk_packages(pkg.__path__, prefix=pkg.__name__ + "."):
        importlib.import_module(info.name)


@lru_cache(maxsize=1)
def rule_table() -> RuleTable:
    """The table of every shape rule (rules are loaded on first use)."""
    load_shape_rules()
    by_family: dict[str, list[ShapeRule]] = {}
    for spec in REGISTRY.for_format("jsonschema"):
        if spec.subject != "shape":
            continue
        family = next((c for c in spec.categories if c in FAMILIES), None)
        if family is None:
            raise ValueError(f"shape rule {spec.id} has no family category (one of {', '.join(FAMILIES)})")
        dirs = frozenset(d for d in Direction if d.name in spec.categories)
        by_family.setdefault(family, []).append(ShapeRule(spec, family, dirs, "STRICT" in spec.categories))
    return RuleTable({k: tuple(v) for k, v in by_family.items()})
