"""Deprecation, sunset dates and stability levels (subject ``lifecycle``: operations, parameters,
schema properties alike), and removals that end a completed deprecation (subject ``api``)."""

from __future__ import annotations

from collections.abc import Iterator

from ...compat.openapi.lifecycle import STABILITY_LEVELS, LifecyclePair, parse_sunset, removal_allowed, stability_rank
from ...compat.openapi.pairs import ApiPair, SchemaChange, parameter_pairs
from ...registry import Violation
from ._common import api_rule, quote, schema_rule, schema_violation

_LEVELS = ", ".join(STABILITY_LEVELS)


def _where(pair: LifecyclePair) -> str:
    return f"{pair.label} ({pair.side})" if pair.kind == "property" else pair.label


def _violation(pair: LifecyclePair, text: str) -> Violation:
    return Violation(f"{_where(pair)}: {text}", pair.location, pair.base_location, subject=pair.subject)


@api_rule("SUNSET_INVALID", subject="lifecycle", severity="warning",
          aliases=("api-deprecated-sunset-parse", "api-path-sunset-parse", "request-parameter-sunset-parse",
                   "request-property-deprecated-sunset-invalid", "response-property-deprecated-sunset-invalid"))
def sunset_invalid(pair: LifecyclePair, ctx: object = None) -> Iterator[Violation]:
    """An `x-sunset` value that is not a date was written.

    ## What it does
    Flags an operation, parameter or schema property whose `x-sunset` changed to something that
    is not an RFC 3339 date (`2026-06-30`) or date-time (`2026-06-30T00:00:00Z`).

    ## Why is this breaking?
    It breaks no client by itself, which is why it is a warning (oasdiff makes it an error):
    but the removal checks cannot tell whether the element's sunset has passed, and clients
    reading the date cannot plan their migration.

    ## Example
    Before: `deprecated: true`. After: `deprecated: true, x-sunset: "next spring"`.

    ## How to change this safely
    Write the date as `YYYY-MM-DD`.
    """
    if pair.new.sunset is not None and pair.new.sunset != pair.old.sunset and parse_sunset(pair.new.sunset) is None:
        yield _violation(pair, f"x-sunset {pair.new.sunset!r} is not a date (YYYY-MM-DD); the end of its "
                               f"deprecation cannot be checked.")


@api_rule("SUNSET_MISSING", subject="lifecycle", severity="warning",
          aliases=("api-deprecated-sunset-missing", "request-parameter-deprecated-sunset-missing",
                   "request-property-deprecated-sunset-missing", "response-property-deprecated-sunset-missing"))
def sunset_missing(pair: LifecyclePair, ctx: object = None) -> Iterator[Violation]:
    """An element was deprecated without a sunset date.

    ## What it does
    Flags an operation, parameter or schema property that became `deprecated: true` with no
    `x-sunset` date. oasdiff reports this only when a minimum deprecation period is configured;
    here it is a warning by default, because a deprecation without a date gives clients
    nothing to plan by (ignore the rule if your API never announces dates).

    ## Why is this breaking?
    It is not yet: but clients cannot tell how long the element will stay, and its removal
    later will look sudden.

    ## Example
    Before: `get: {...}`. After: `get: {deprecated: true, ...}`.

    ## How to change this safely
    Add `x-sunset: YYYY-MM-DD` at least `deprecation-days` (`[tool.schemacheck.openapi]`) ahead.
    """
    if pair.new.deprecated and not pair.old.deprecated and pair.new.sunset is None:
        yield _violation(pair, "was deprecated without an x-sunset date; clients cannot tell how long it stays.")


@api_rule("SUNSET_TOO_EARLY", subject="lifecycle",
          aliases=("api-sunset-date-too-small", "request-parameter-sunset-date-too-small",
                   "request-property-sunset-date-too-small", "response-property-sunset-date-too-small"))
def sunset_too_early(pair: LifecyclePair, ctx: object = None) -> Iterator[Violation]:
    """An element was deprecated with a sunset date too close (or already past).

    ## What it does
    Flags an operation, parameter or schema property that became deprecated with an `x-sunset`
    date earlier than today plus `deprecation-days` (`[tool.schemacheck.openapi]`, default 0:
    the date must not be in the past).

    ## Why is this breaking?
    The deprecation announces a removal clients have no time to prepare for: the element may
    be removed at once, and the removal checks will allow it.

    ## Example
    Before: `get: {...}`. After: `get: {deprecated: true, x-sunset: "2020-01-01"}`.

    ## How to change this safely
    Announce a sunset date far enough ahead for clients to move.
    """
    when = parse_sunset(pair.new.sunset)
    if pair.new.deprecated and not pair.old.deprecated and when is not None and when < pair.policy.earliest_sunset:
        days = pair.policy.deprecation_days
        notice = "which has already passed" if when < pair.policy.today else f"less than {days} days ahead"
        yield _violation(pair, f"was deprecated with sunset date {when.isoformat()}, {notice}; clients get no "
                               f"time to move.")


@api_rule("SUNSET_REMOVED", subject="lifecycle",
          aliases=("sunset-deleted", "request-parameter-sunset-deleted", "request-property-sunset-deleted",
                   "response-property-sunset-deleted"))
def sunset_removed(pair: LifecyclePair, ctx: object = None) -> Iterator[Violation]:
    """A deprecated element's sunset date was deleted.

    ## What it does
    Flags an operation, parameter or schema property that stays deprecated but no longer
    announces the `x-sunset` date it had.

    ## Why is this breaking?
    Without a date, the removal checks treat the deprecation as complete: the element may be
    removed at any time, before the date clients were promised.

    ## Example
    Before: `deprecated: true, x-sunset: "2027-01-01"`. After: `deprecated: true`.

    ## How to change this safely
    Keep the date, or move it later.
    """
    if pair.old.deprecated and pair.new.deprecated and pair.old.sunset_date is not None and pair.new.sunset is None:
        yield _violation(pair, f"its sunset date {pair.old.sunset_date.isoformat()} was deleted; clients were "
                               f"promised it would stay until then.")


@api_rule("SUNSET_MOVED_EARLIER", subject="lifecycle",
          aliases=("api-sunset-date-changed-too-small", "request-parameter-sunset-date-changed-too-small",
                   "request-property-sunset-date-changed-too-small", "response-property-sunset-date-changed-too-small",
                   "api-sunset-date-changed-earlier", "request-parameter-sunset-date-changed-earlier",
                   "request-property-sunset-date-changed-earlier", "response-property-sunset-date-changed-earlier"))
def sunset_moved_earlier(pair: LifecyclePair, ctx: object = None) -> Iterator[Violation]:
    """A deprecated element's sunset date was moved earlier.

    ## What it does
    Flags an `x-sunset` date of a deprecated operation, parameter or schema property that
    changed to an earlier date (oasdiff only when the new date leaves less than its configured
    notice; here always, since clients may have planned by the old date).

    ## Why is this breaking?
    Clients planned their migration by the announced date; the element may now disappear
    before they have moved.

    ## Example
    Before: `x-sunset: "2027-06-30"`. After: `x-sunset: "2026-01-31"`.

    ## How to change this safely
    Keep the announced date (a later one is fine).
    """
    before, after = pair.old.sunset_date, pair.new.sunset_date
    if pair.old.deprecated and pair.new.deprecated and before is not None and after is not None and after < before:
        yield _violation(pair, f"its sunset date moved earlier, from {before.isoformat()} to {after.isoformat()}; "
                               f"clients planned by the old date.")


@api_rule("STABILITY_DECREASED", subject="lifecycle",
          aliases=("api-stability-decreased", "request-property-stability-decreased",
                   "response-property-stability-decreased"))
def stability_decreased(pair: LifecyclePair, ctx: object = None) -> Iterator[Violation]:
    """An element's stability level was lowered (`stable` → `beta`).

    ## What it does
    Flags an operation, parameter or schema property whose `x-stability-level` went down the
    scale `draft` < `alpha` < `beta` < `stable`. No level means `stable`.

    ## Why is this breaking?
    Clients built on a stable contract are told it may now change without notice: the promise
    they relied on was withdrawn.

    ## Example
    Before: `x-stability-level: stable`. After: `x-stability-level: beta`.

    ## How to change this safely
    Keep the level; publish the unstable variant as a new operation or property.
    """
    before, after = stability_rank(pair.old.stability), stability_rank(pair.new.stability)
    if before is not None and after is not None and after < before:
        yield _violation(pair, f"stability decreased from {pair.old.stability or 'stable'} to "
                               f"{pair.new.stability}; clients relied on the old promise.")


@api_rule("STABILITY_LEVEL_INVALID", subject="lifecycle", severity="warning",
          aliases=("api-invalid-stability-level",))
def stability_level_invalid(pair: LifecyclePair, ctx: object = None) -> Iterator[Violation]:
    """An `x-stability-level` that is not one of `draft`, `alpha`, `beta`, `stable` was written.

    ## What it does
    Flags an operation, parameter or schema property whose `x-stability-level` changed to an
    unknown value. A warning (oasdiff: an error): it breaks no client, but its stability can
    no longer be compared.

    ## Why is this breaking?
    `STABILITY_DECREASED` cannot judge the element any more.

    ## Example
    Before: `x-stability-level: beta`. After: `x-stability-level: preview`.

    ## How to change this safely
    Use one of the four levels.
    """
    if pair.new.stability != pair.old.stability and stability_rank(pair.new.stability) is None:
        yield _violation(pair, f"x-stability-level {pair.new.stability!r} is not one of {_LEVELS}.")


@api_rule("REMOVED_AFTER_DEPRECATION", subject="api", severity="info",
          aliases=("api-path-removed-with-deprecation", "api-removed-with-deprecation",
                   "request-parameter-removed-with-deprecation"))
def removed_after_deprecation(pair: ApiPair, ctx: object = None) -> Iterator[Violation]:
    """A deprecated operation or parameter was removed after its sunset date (information).

    ## What it does
    Reports an operation (or every operation of a removed path, webhook or callback) or a
    request parameter that was `deprecated: true` in the base revision and whose `x-sunset`
    date has passed (or that announced none): the end of a completed deprecation.
    `PATH_REMOVED`, `OPERATION_REMOVED`, `WEBHOOK_REMOVED` and `PARAMETER_REMOVED` do not fire
    for it.

    ## Why is this breaking?
    It is not meant to be: clients were told. It is reported at severity `info` so the
    removal still shows in the review.

    ## Example
    Before: `delete: {deprecated: true, x-sunset: "2025-01-01"}`. After: the operation is gone.

    ## How to change this safely
    Nothing to do.
    """
    old, new = pair.old, pair.new
    for key, op in old.operations.items():
        if key not in new.operations and removal_allowed(op.deprecated, op.sunset, pair.policy):
            yield Violation(f"Deprecated operation {op.label} was removed after its deprecation.",
                            new.location("/paths"), op.at.location(), subject=op.label)
    for key, op in old.operations.items():
        counterpart = new.operations.get(key)
        if counterpart is None or op.reversed:
            continue
        for before, after in parameter_pairs(op, counterpart):
            if before is not None and after is None and removal_allowed(before.deprecated, before.sunset, pair.policy):
                yield Violation(f"{counterpart.label}: deprecated {before.label} was removed after its deprecation.",
                                counterpart.at.location(), before.at.location(),
                                subject=f"{counterpart.label} {before.label}")


@schema_rule("PROPERTY_REMOVED_AFTER_DEPRECATION", side="both", covers=("DEPRECATED_PROPERTY_REMOVED",),
             severity="info", aliases=("request-property-removed-with-deprecation",
                                       "response-required-property-removed-with-deprecation"))
def property_removed_after_deprecation(change: SchemaChange, ctx: object = None) -> Iterator[Violation]:
    """A deprecated schema property was removed after its sunset date (information).

    ## What it does
    Reports a request or response property that was `deprecated: true` in the base revision,
    with its `x-sunset` date passed (or none announced), and is gone now: the end of a completed
    deprecation. `RESPONSE_PROPERTY_REMOVED`, `REQUEST_PROPERTY_REMOVED` and the other removal
    rules do not fire for it; a deprecated property removed before its sunset date still does.

    ## Why is this breaking?
    It is not meant to be: clients were told. It is reported at severity `info` so the
    removal still shows in the review.

    ## Example
    Before: `fax: {type: string, deprecated: true, x-sunset: "2025-01-01"}`. After: the property is gone.

    ## How to change this safely
    Nothing to do.
    """
    yield schema_violation(change, f"deprecated property {quote(change.old_name)} was removed after its deprecation.")
