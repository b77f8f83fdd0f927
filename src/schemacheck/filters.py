"""The shared filter stage: what happens to findings after the formats and before the reporters.

Maintainers: ``runner.run_check`` calls :func:`apply_filters` once with every format's
findings. It is format-blind: format-specific ignores (buf.yaml ``ignore``, unstable packages)
are applied by each format before its findings get here. In order: (1) inline suppressions
(``suppress.py``), which may add findings of their own (the ``meta`` rules about directives);
(2) per-rule severity overrides. ``--select``/``--ignore`` act earlier, as the rule selection
each format receives.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace

from .model import Accepted, Finding, Severity
from .snapshot import Snapshot
from .suppress import apply_suppressions

__all__ = ["FilterContext", "FilterOutcome", "apply_filters"]


@dataclass(frozen=True, slots=True)
class FilterContext:
    """What the filters may consult.

    Attributes:
        base: The old revision (suppressions already present in base).
        head: The new revision (suppression comments are read here).
        changed: Head paths whose content changed, with their format (their suppression
            directives are judged even when they suppress nothing).
        rules_run: Rule IDs that ran, so an unused suppression is only reported when its
            rules actually ran.
        severity: Per-rule severity overrides.
        meta_rules: Selected rule IDs of the format-agnostic ``meta`` rules (suppression hygiene).
        renames: Base path -> head path of renamed files (to find a directive's old version).
        unreadable: Paths with an error diagnostic; their directives are not judged.
    """

    base: Snapshot
    head: Snapshot
    changed: Mapping[str, str] = field(default_factory=dict)
    rules_run: frozenset[str] = frozenset()
    severity: Mapping[str, Severity | str] = field(default_factory=dict)
    meta_rules: frozenset[str] = frozenset()
    renames: Mapping[str, str] = field(default_factory=dict)
    unreadable: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class FilterOutcome:
    """Findings kept, and those inline directives accepted (reported as accepted, not failing)."""

    findings: tuple[Finding, ...]
    accepted: tuple[Accepted, ...] = ()  # the inline-suppressed ones, with the directive's reason


def _override(findings: Iterable[Finding], severity: Mapping[str, Severity | str]) -> list[Finding]:
    if not severity:
        return list(findings)
    upper = {k.upper(): Severity(v) for k, v in severity.items()}
    return [replace(f, severity=upper[f.rule_id]) if f.rule_id in upper else f for f in findings]


def apply_filters(findings: Iterable[Finding], ctx: FilterContext) -> FilterOutcome:
    """Run every shared filter over ``findings`` (all formats together); see the module docstring."""
    outcome = apply_suppressions(findings, ctx)
    accepted = tuple(Accepted(f, s.reason, s.location)
                     for f, s in zip(_override(outcome.suppressed, ctx.severity), outcome.suppressed_by))
    return FilterOutcome(tuple(_override(outcome.kept, ctx.severity)), accepted)
