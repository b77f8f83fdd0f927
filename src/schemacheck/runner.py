"""One check, end to end: two snapshots in, a :class:`~schemacheck.model.CheckResult` out.

Maintainers: this is the only place that knows every layer. It lists the schema files of
both revisions, works out which changed (by content id, so unchanged files cost nothing),
selects the rules, hands each format its :class:`~schemacheck.checkers.FormatJob`, then
applies the filters (severity overrides, suppressions) and sorts. It never prints and never
decides the exit code (that is ``cli.py``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from .checkers import CHECKER_BY_FORMAT, FormatJob, get_checker
from .config import Settings
from .globs import matches_any
from .model import CheckResult, Diagnostic, Finding
from .registry import REGISTRY, load_rules
from .snapshot import Snapshot

__all__ = ["CheckRequest", "run_check", "select_rules", "changed_paths"]


@dataclass(frozen=True, slots=True)
class CheckRequest:
    """What to compare and how.

    Attributes:
        base: Old revision.
        head: New revision.
        settings: Effective configuration (file + command line).
        changed: Precomputed changed paths (from git diff); ``None`` = compare content ids.
        renames: Base path -> head path for renamed files.
        formats: Restrict to these formats (default: all registered).
        limit_to: Only check these head paths (and their base counterparts), e.g. CLI arguments.
    """

    base: Snapshot
    head: Snapshot
    settings: Settings = field(default_factory=Settings)
    changed: frozenset[str] | None = None
    renames: Mapping[str, str] = field(default_factory=dict)
    formats: tuple[str, ...] = ()
    limit_to: tuple[str, ...] = ()


def select_rules(settings: Settings, fmt: str) -> frozenset[str]:
    """Rule IDs of ``fmt`` to run: ``select`` (or the defaults) minus ``ignore``."""
    load_rules()
    source = settings.source or "the command line"
    if settings.select:
        chosen = REGISTRY.expand(settings.select, fmt, source=source)
    else:
        chosen = REGISTRY.default_ids(fmt)
    if settings.ignore:
        chosen -= REGISTRY.expand(settings.ignore, fmt, source=source)
    return frozenset(chosen)


def _in_scope(path: str, settings: Settings, limit_to: tuple[str, ...]) -> bool:
    if settings.include and not matches_any(path, settings.include):
        return False
    if settings.exclude and matches_any(path, settings.exclude):
        return False
    if limit_to and not any(path == p or path.startswith(p.rstrip("/") + "/") for p in limit_to):
        return False
    return True


def changed_paths(base: Snapshot, head: Snapshot, base_paths: Iterable[str], head_paths: Iterable[str]) -> frozenset[str]:
    """Paths added, deleted, or whose content id differs between the two snapshots."""
    base_set, head_set = set(base_paths), set(head_paths)
    changed = base_set ^ head_set
    for path in base_set & head_set:
        if base.blob_id(path) != head.blob_id(path):
            changed.add(path)
    return frozenset(changed)


def run_check(request: CheckRequest) -> CheckResult:
    """Run every format's checker on the request and gather the result."""
    settings = request.settings
    base_all = [p for p in request.base.paths() if _in_scope(p, settings, request.limit_to)]
    head_all = [p for p in request.head.paths() if _in_scope(p, settings, request.limit_to)]
    findings: list[Finding] = []
    diagnostics: list[Diagnostic] = []
    files_checked = 0
    rules_run: list[str] = []
    for fmt in request.formats or tuple(CHECKER_BY_FORMAT):
        checker = get_checker(fmt)
        # A checker whose claims depend on configuration (JSON Schema include globs) says so.
        extra = {"settings": settings} if getattr(checker, "claims_uses_settings", False) else {}
        base_paths = tuple(p for p in base_all if checker.claims(p, request.base, **extra))
        head_paths = tuple(p for p in head_all if checker.claims(p, request.head, **extra))
        if not base_paths and not head_paths:
            continue
        if request.changed is not None:
            changed = frozenset(p for p in request.changed if p in base_paths or p in head_paths)
        else:
            changed = changed_paths(request.base, request.head, base_paths, head_paths)
        if not changed:
            continue
        selected = select_rules(settings, fmt)
        rules_run.extend(sorted(selected))
        outcome = checker.check(FormatJob(request.base, request.head, base_paths, head_paths, changed,
                                          request.renames, settings, selected))
        findings.extend(outcome.findings)
        diagnostics.extend(outcome.diagnostics)
        files_checked += outcome.files_checked
    findings.sort(key=Finding.sort_key)
    return CheckResult(tuple(findings), tuple(diagnostics), files_checked,
                       request.base.label, request.head.label, tuple(rules_run))
