"""Deprecation, sunset dates and stability levels of operations, parameters and properties.

Maintainers: an element's lifecycle is three annotations: ``deprecated: true``, ``x-sunset``
(the date after which it may go, RFC 3339 ``2026-06-30`` or a date-time) and
``x-stability-level`` (``draft`` < ``alpha`` < ``beta`` < ``stable``; absent means stable).
:class:`LifecyclePair` is what the lifecycle rules receive (subject ``lifecycle``): one element
in both revisions, whatever its kind, so each rule is written once for operations, parameters
and schema properties. :class:`Policy` carries the date the check runs on and the minimum
grace period (``[tool.schemacheck.openapi] deprecation-days``); rules never read the clock.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any

from ...formats.openapi.details import extension_text
from ...model import Location

if TYPE_CHECKING:
    from .pairs import OperationPair
    from .walk import PropertyPair

__all__ = ["Policy", "State", "LifecyclePair", "parse_sunset", "STABILITY_LEVELS", "stability_rank",
           "lifecycle_pairs", "removal_allowed"]

#: Stability levels, least stable first.
STABILITY_LEVELS = ("draft", "alpha", "beta", "stable")


def _today() -> date:
    return datetime.now(timezone.utc).date()


@dataclass(frozen=True, slots=True)
class Policy:
    """When the check runs and how much notice a deprecation must give.

    Attributes:
        today: The check's date (UTC).
        deprecation_days: Minimum days between a new deprecation and its sunset date (0: the
            sunset date only has to be in the future).
    """

    today: date = field(default_factory=_today)
    deprecation_days: int = 0

    @property
    def earliest_sunset(self) -> date:
        """The earliest sunset date a new deprecation may announce."""
        return self.today + timedelta(days=self.deprecation_days)


def parse_sunset(text: str | None) -> date | None:
    """The date of an ``x-sunset`` value (``2026-06-30``, ``2026-06-30T00:00:00Z``); ``None`` if unreadable."""
    if not isinstance(text, str):
        return None
    text = text.strip()
    try:
        if len(text) == 10:
            return date.fromisoformat(text)
        return datetime.fromisoformat(text.replace("Z", "+00:00")).date() if "T" in text else None
    except ValueError:
        return None


def stability_rank(level: str | None) -> int | None:
    """The level's rank (higher is more stable; absent is ``stable``); ``None`` for an unknown level."""
    if level is None:
        return len(STABILITY_LEVELS) - 1
    return STABILITY_LEVELS.index(level) if level in STABILITY_LEVELS else None


@dataclass(frozen=True, slots=True)
class State:
    """An element's lifecycle annotations in one revision."""

    deprecated: bool = False
    sunset: str | None = None
    stability: str | None = None

    @property
    def sunset_date(self) -> date | None:
        return parse_sunset(self.sunset)


@dataclass(frozen=True, slots=True)
class LifecyclePair:
    """One element (operation, parameter or schema property) in both revisions (subject ``lifecycle``).

    Attributes:
        label: What it is, for messages: ``GET /orders``, ``GET /orders: query parameter limit``,
            ``POST /orders: request body application/json: property total``.
        kind: ``operation``, ``parameter`` or ``property``.
        side: For properties, ``request`` or ``response`` (after swapping for webhooks); else ``""``.
    """

    label: str
    kind: str
    side: str
    old: State
    new: State
    location: Location | None
    base_location: Location | None
    subject: str
    policy: Policy = field(default_factory=Policy)


def removal_allowed(deprecated: bool, sunset: str | None, policy: Policy) -> bool:
    """Whether removing an element is the end of a completed deprecation: it was deprecated and
    its sunset date (if it announced one) has passed."""
    if not deprecated:
        return False
    when = parse_sunset(sunset)
    return when is None or when <= policy.today


def lifecycle_pairs(operations: Iterable[OperationPair], properties: Iterable[PropertyPair],
                    policy: Policy) -> Iterator[LifecyclePair]:
    """Every operation, parameter and schema property whose lifecycle annotations differ
    (positions are looked up only for those: locating a node costs more than comparing it)."""
    from .pairs import parameter_pairs

    for pair in operations:
        old, new = pair.old, pair.new
        before, after = State(old.deprecated, old.sunset, old.stability), State(new.deprecated, new.sunset, new.stability)
        if before != after:
            yield LifecyclePair(new.label, "operation", "", before, after, new.at.location(), old.at.location(),
                                new.label, policy)
        for old_param, new_param in parameter_pairs(old, new):
            if old_param is None or new_param is None:
                continue
            before = State(old_param.deprecated, old_param.sunset, old_param.stability)
            after = State(new_param.deprecated, new_param.sunset, new_param.stability)
            if before != after:
                yield LifecyclePair(f"{new.label}: {new_param.label}", "parameter", "", before, after,
                                    new_param.at.location(), old_param.at.location(),
                                    f"{new.label} {new_param.label}", policy)
    for prop in properties:
        before, after = _schema_state(prop.old), _schema_state(prop.new)
        if before != after:
            yield LifecyclePair(prop.label, "property", prop.side, before, after, prop.location, prop.base_location,
                                prop.subject, policy)


def _schema_state(value: dict[str, Any]) -> State:
    sunset, level = value.get("x-sunset"), value.get("x-stability-level")
    return State(value.get("deprecated") is True, extension_text(sunset), extension_text(level))
