"""Helpers shared by the OpenAPI rule modules: declaration wrappers and the schema-rule table.

Maintainers: structural rules (``api_rule``) receive an :class:`~schemacheck.compat.openapi.pairs.ApiPair`
or :class:`~schemacheck.compat.openapi.pairs.OperationPair`. Schema rules (``schema_rule``)
receive a :class:`~schemacheck.compat.openapi.pairs.SchemaChange`: the comparer runs the shape
engine on a body, parameter or header schema and hands each difference to the one OpenAPI rule
whose ``covers`` names the engine's rule for that side (request or response), or to the side's
catch-all (``covers="*"``). :data:`SCHEMA_COVERAGE` is that table; nothing else lists rules.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

from ...registry import Violation, rule

__all__ = ["CATEGORIES", "api_rule", "schema_rule", "SCHEMA_COVERAGE", "schema_violation", "CATCH_ALL"]

#: Marks a side's catch-all schema rule.
CATCH_ALL = "*"
#: OpenAPI schema rule ID -> (side, shape rule IDs it covers, or ``("*",)``).
SCHEMA_COVERAGE: dict[str, tuple[str, tuple[str, ...]]] = {}


#: The categories of the OpenAPI rules, strictest first (``--select``/``--ignore`` take them): every
#: rule is in ``OPENAPI`` (so all are on by default) and in the group its module covers.
CATEGORIES = ("OPENAPI", "ENDPOINT", "PARAMETER", "REQUEST", "RESPONSE", "MEDIA_TYPE", "LIFECYCLE", "SECURITY",
              "SERVER")
#: Rule module -> its group: a rule's group is where it is written, so it cannot be forgotten.
_GROUP_OF_MODULE = {"endpoints": "ENDPOINT", "parameters": "PARAMETER", "bodies": "REQUEST",
                    "request_schemas": "REQUEST", "responses": "RESPONSE", "response_schemas": "RESPONSE",
                    "content": "MEDIA_TYPE", "lifecycle": "LIFECYCLE", "security": "SECURITY", "servers": "SERVER"}

_Decorator = Callable[[Callable[..., Iterator[Violation]]], Callable[..., Iterator[Violation]]]


def _declare(rule_id: str, subject: str, severity: str, aliases: Iterable[str]) -> _Decorator:
    def decorate(func: Callable[..., Iterator[Violation]]) -> Callable[..., Iterator[Violation]]:
        group = _GROUP_OF_MODULE[func.__module__.rsplit(".", 1)[-1]]  # a new module must name its group
        return rule(rule_id, format="openapi", subject=subject, severity=severity, aliases=tuple(aliases),
                    categories=("OPENAPI", group))(func)

    return decorate


def api_rule(rule_id: str, *, subject: str, severity: str = "error", aliases: Iterable[str] = ()) -> _Decorator:
    """Declare a structural OpenAPI rule (subject ``api`` or ``operation``)."""
    return _declare(rule_id, subject, severity, aliases)


def schema_rule(rule_id: str, *, side: str, covers: Iterable[str], severity: str = "error",
                aliases: Iterable[str] = ()) -> _Decorator:
    """Declare an OpenAPI schema rule: which shape-engine rules it reports on which side.

    Args:
        rule_id: The stable ID.
        side: ``request``, ``response`` or ``both``.
        covers: Shape rule IDs (``PROPERTY_RENAMED``), or ``("*",)`` for the side's catch-all.
        severity: Default severity.
        aliases: oasdiff check IDs.
    """
    SCHEMA_COVERAGE[rule_id] = (side, tuple(covers))
    return _declare(rule_id, "schema", severity, aliases)


def schema_violation(change: Any, text: str) -> Violation:
    """A violation at the changed schema node: ``OPERATION: WHERE: text``."""
    if text[:1].isupper() and text[1:2].islower():
        text = text[0].lower() + text[1:]  # the engine's sentence continues ours
    return Violation(f"{change.operation}: {change.where}: {text}", change.location, change.base_location,
                     subject=change.subject)


def quote(name: str) -> str:
    return f'"{name}"'
