"""The filter stage: what happens to findings after the checkers and before the reporters.

Maintainers: ``runner.run_check`` calls :func:`apply_filters` once with every format's
findings. In order: (1) buf.yaml scope — a protobuf finding is kept only if its module
selected the rule; (2) buf.yaml ``ignore`` / ``ignore_only`` — dropped when the head *or*
base location is under an ignored path, so deleted files in ignored directories stay quiet
(buf issues #37, #412); (3) ``ignore_unstable_packages`` — dropped when the head or base file
(or, for package-level findings without a file, the subject) is a ``v1alpha1``-style package;
(4) inline suppressions (``suppress.py``), which may add warnings of their own; (5) per-rule
severity overrides. Files are read lazily from the snapshots and only when a step needs them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace

from .bufconfig import BufConfig, BufModule
from .globs import is_under
from .model import Finding, Severity
from .snapshot import Snapshot

__all__ = ["FilterContext", "FilterOutcome", "apply_filters", "is_unstable_package", "package_of_text"]

_UNSTABLE = re.compile(r"^v\d+(?:(?:p\d+)?(?:alpha|beta)\d*|test.*)$")
_PACKAGE = re.compile(rb"^\s*package\s+([A-Za-z_][\w.]*)\s*;", re.MULTILINE)


def is_unstable_package(package: str) -> bool:
    """Whether the package's last component is an unstable version (``v1alpha1``, ``v2beta``,
    ``v1p1alpha2``, ``v1test``, ``v1testing``), as buf's ``ignore_unstable_packages`` means it."""
    return bool(package) and bool(_UNSTABLE.match(package.rsplit(".", 1)[-1]))


def package_of_text(data: bytes) -> str:
    """The ``package`` declared in a .proto file's text ('' if none); a cheap scan, no parse."""
    match = _PACKAGE.search(data)
    return match.group(1).decode() if match else ""


@dataclass(frozen=True, slots=True)
class FilterContext:
    """What the filters may consult.

    Attributes:
        base: The old revision (for packages of deleted files, suppressions already present).
        head: The new revision (suppression comments are read here).
        buf: The repository's buf configuration, if honoured.
        buf_selects: Whether buf.yaml ``use``/``except`` decide the protobuf rules (no explicit
            ``select``/``ignore`` in the settings).
        changed: Head paths whose content changed, with their format (their suppression
            directives are judged even when they suppress nothing).
        rules_run: Rule IDs that ran, so an unused suppression is only reported when its
            rules actually ran.
        severity: Per-rule severity overrides.
        meta_rules: Selected rule IDs of the format-agnostic ``meta`` rules (suppression hygiene).
        renames: Base path -> head path of renamed files (to find a directive's old version).
    """

    base: Snapshot
    head: Snapshot
    buf: BufConfig | None = None
    buf_selects: bool = False
    changed: Mapping[str, str] = field(default_factory=dict)
    rules_run: frozenset[str] = frozenset()
    severity: Mapping[str, Severity | str] = field(default_factory=dict)
    meta_rules: frozenset[str] = frozenset()
    renames: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class FilterOutcome:
    """Findings kept, and those dropped with why (for ``--show-suppressed`` style reporting)."""

    findings: tuple[Finding, ...]
    dropped: tuple[tuple[Finding, str], ...] = ()


class _Packages:
    """Package of a path in a snapshot, read at most once per path."""

    def __init__(self, snapshot: Snapshot) -> None:
        self.snapshot = snapshot
        self.cache: dict[str, str] = {}

    def __call__(self, path: str) -> str:
        if path not in self.cache:
            try:
                self.cache[path] = package_of_text(self.snapshot.read(path))
            except (FileNotFoundError, OSError):
                self.cache[path] = ""
        return self.cache[path]


def _paths(finding: Finding) -> tuple[str, ...]:
    return tuple(loc.path for loc in (finding.location, finding.base_location) if loc is not None)


def _module_of(finding: Finding, buf: BufConfig) -> BufModule | None:
    for path in _paths(finding):
        module = buf.module_for(path)
        if module is not None:
            return module
    return None


def _buf_reason(finding: Finding, ctx: FilterContext, head_pkg: Callable[[str], str],
                base_pkg: Callable[[str], str]) -> str | None:
    """Why buf.yaml drops this protobuf finding, or ``None`` to keep it."""
    assert ctx.buf is not None
    paths = _paths(finding)
    module = _module_of(finding, ctx.buf)
    if module is None:
        if paths:
            return "outside every buf module"
        modules = [m for m in ctx.buf.modules if finding.rule_id in m.breaking.rules] if ctx.buf_selects else ctx.buf.modules
        if not modules:
            return "rule not selected by buf.yaml"
        module = modules[0]
    breaking = module.breaking
    if ctx.buf_selects and finding.rule_id not in breaking.rules:
        return f"rule not selected in {breaking.source}"
    if any(is_under(p, ign) for p in paths for ign in breaking.ignore):
        return f"path ignored in {breaking.source}"
    for rules, ignored in breaking.ignore_only:
        if finding.rule_id in rules and any(is_under(p, ign) for p in paths for ign in ignored):
            return f"path ignored for {finding.rule_id} in {breaking.source}"
    if breaking.ignore_unstable_packages and _unstable(finding, head_pkg, base_pkg):
        return f"unstable package ignored in {breaking.source}"
    return None


def _unstable(finding: Finding, head_pkg: Callable[[str], str], base_pkg: Callable[[str], str]) -> bool:
    packages = []
    if finding.location is not None:
        packages.append(head_pkg(finding.location.path))
    if finding.base_location is not None:
        packages.append(base_pkg(finding.base_location.path))
    if not packages and finding.subject:
        packages.append(finding.subject)  # package-level findings (PACKAGE_NO_DELETE) name the package
    return any(is_unstable_package(p) for p in packages)


def _override(findings: Iterable[Finding], severity: Mapping[str, Severity | str]) -> list[Finding]:
    if not severity:
        return list(findings)
    upper = {k.upper(): Severity(v) for k, v in severity.items()}
    return [replace(f, severity=upper[f.rule_id]) if f.rule_id in upper else f for f in findings]


def apply_filters(findings: Iterable[Finding], ctx: FilterContext) -> FilterOutcome:
    """Run every filter over ``findings`` (all formats together); see the module docstring."""
    from .suppress import apply_suppressions

    kept: list[Finding] = []
    dropped: list[tuple[Finding, str]] = []
    head_pkg, base_pkg = _Packages(ctx.head), _Packages(ctx.base)
    for finding in findings:
        reason = _buf_reason(finding, ctx, head_pkg, base_pkg) if ctx.buf and finding.format == "protobuf" else None
        if reason is None:
            kept.append(finding)
        else:
            dropped.append((finding, reason))
    outcome = apply_suppressions(kept, ctx)
    dropped.extend((f, "suppressed inline") for f in outcome.suppressed)
    return FilterOutcome(tuple(_override(outcome.kept, ctx.severity)), tuple(dropped))
