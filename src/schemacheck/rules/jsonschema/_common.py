"""Helpers shared by the JSON Schema rule modules: the declaration wrapper and message bits.

Maintainers: keep this tiny; rule logic belongs in the rule functions, walking in the engine.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

from ...compat.shape.pair import Issue, ShapePair
from ...registry import rule

__all__ = ["shape_rule", "BACK", "FWD", "BOTH", "quote", "prop_pointer", "RuleFunc"]

BACK, FWD, BOTH = "backward", "forward", "both"
RuleFunc = Callable[[ShapePair], Iterator[Issue]]


def shape_rule(rule_id: str, *, family: str, breaks: str, strict: bool = False, severity: str = "error",
               aliases: Iterable[str] = ()) -> Callable[[RuleFunc], RuleFunc]:
    """Declare a shape rule in the registry.

    Args:
        rule_id: The stable ID (the old → new edit it flags).
        family: The engine hook that calls it (``STRING``, ``OBJECT``, ...).
        breaks: ``backward``, ``forward`` or ``both``: which readers the edit breaks.
        strict: ``True`` when the lenient policy accepts the edit.
        severity: Default severity.
        aliases: Confluent's names for the same edit.
    """
    cats = [c for c, on in (("BACKWARD", breaks in (BACK, BOTH)), ("FORWARD", breaks in (FWD, BOTH)),
                            ("STRICT", strict)) if on]
    return rule(rule_id, format="jsonschema", subject="shape", categories=(*cats, family), severity=severity,
                aliases=tuple(aliases), default=True)


def quote(value: Any) -> str:
    return f'"{value}"'


def prop_pointer(object_pointer: str, name: str) -> str:
    """``#/…/properties/<name>`` with RFC 6901 escaping."""
    return "#" + object_pointer + "/properties/" + name.replace("~", "~0").replace("/", "~1")
