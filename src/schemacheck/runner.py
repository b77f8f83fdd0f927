"""One check, end to end: two snapshots in, a :class:`~schemacheck.model.CheckResult` out.

Maintainers: this is the only place that knows every layer. It lists the schema files of
both revisions, works out which changed (by content id, so unchanged files cost nothing),
selects the rules (``[tool.schemacheck]`` select/ignore, else the head's buf.yaml ``breaking:``
for protobuf, else each format's defaults), feeds buf module roots to the protobuf import
roots, hands each format its :class:`~schemacheck.checkers.FormatJob`, then runs the filter
stage (``filters.py``: buf.yaml ignores, unstable packages, inline suppressions, severity
overrides) and sorts. It never prints and never decides the exit code (that is ``cli.py``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .checkers import CHECKER_BY_FORMAT, FormatJob, get_checker
from .config import Settings
from .filters import FilterContext, apply_filters
from .globs import is_under, matches_any
from .model import CheckResult, Diagnostic, Finding, Severity
from .registry import REGISTRY, load_rules
from .snapshot import Snapshot

if TYPE_CHECKING:
    from .bufconfig import BufConfig

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
        workdir: Repository-relative directory the user ran in: where buf.yaml is looked up first.
    """

    base: Snapshot
    head: Snapshot
    settings: Settings = field(default_factory=Settings)
    changed: frozenset[str] | None = None
    renames: Mapping[str, str] = field(default_factory=dict)
    formats: tuple[str, ...] = ()
    limit_to: tuple[str, ...] = ()
    workdir: str = ""


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


def _explicit_selection(settings: Settings) -> bool:
    """``select`` replaces buf.yaml's ``use``/``except``; ``ignore`` alone only subtracts from them."""
    return bool(settings.select)


def _buf_config(request: CheckRequest) -> BufConfig | None:
    """The head side's buf.yaml / buf.work.yaml, unless the configuration turns it off."""
    if not request.settings.protobuf.use_buf_yaml:
        return None
    if request.formats and "protobuf" not in request.formats:
        return None
    from .bufconfig import load_buf_config

    return load_buf_config(request.head, request.workdir)


def _format_settings(settings: Settings, fmt: str, buf: BufConfig | None) -> Settings:
    """buf module roots feed the protobuf import roots unless ``protobuf.roots`` is set."""
    if fmt != "protobuf" or buf is None or settings.protobuf.roots:
        return settings
    protobuf = settings.protobuf.model_copy(update={"roots": buf.roots()})
    return settings.model_copy(update={"protobuf": protobuf})


def _format_rules(settings: Settings, fmt: str, buf: BufConfig | None) -> frozenset[str]:
    if fmt == "protobuf" and buf is not None and not _explicit_selection(settings):
        ignored = REGISTRY.expand(settings.ignore, fmt, source=settings.source or "the command line")
        return buf.all_rules() - ignored
    return select_rules(settings, fmt)


def _in_scope(path: str, settings: Settings, limit_to: tuple[str, ...]) -> bool:
    if settings.include and not matches_any(path, settings.include):
        return False
    if settings.exclude and matches_any(path, settings.exclude):
        return False
    if limit_to and not any(is_under(path, p) for p in limit_to):
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


def _related_changes(request: CheckRequest, checker: object, base_all: list[str], head_all: list[str],
                     base_paths: tuple[str, ...], head_paths: tuple[str, ...]) -> frozenset[str]:
    """Changed files the checker does not claim but says may still matter (JSON Schema ``$ref`` targets).

    The checker receives them in ``FormatJob.changed`` (outside ``base_paths``/``head_paths``)
    and decides, from the schemas that reference them, whether they count. They are never
    checked themselves, so PATH arguments and globs do not limit them: a named schema whose
    ``$ref`` target changed elsewhere is still checked.
    """
    may_affect = getattr(checker, "may_affect", None)
    if may_affect is None:
        return frozenset()
    claimed = set(base_paths) | set(head_paths)
    if request.changed is not None:
        return frozenset(p for p in request.changed if p not in claimed and may_affect(p))
    return changed_paths(request.base, request.head,
                         [p for p in base_all if p not in claimed and may_affect(p)],
                         [p for p in head_all if p not in claimed and may_affect(p)])


def run_check(request: CheckRequest) -> CheckResult:
    """Run every format's checker on the request, then the filters, and gather the result.

    Raises:
        ConfigError: A bad selection, or a bad buf.yaml in the head revision.
    """
    settings = request.settings
    buf: BufConfig | None = None
    findings: list[Finding] = []
    diagnostics: list[Diagnostic] = []
    files_checked = 0
    rules_run: list[str] = []
    changed_by_path: dict[str, str] = {}
    formats = request.formats or tuple(CHECKER_BY_FORMAT)
    if request.changed is not None and not request.changed:
        formats = ()  # git saw no change at all: load nothing
    base_all = [p for p in request.base.paths() if _in_scope(p, settings, request.limit_to)] if formats else []
    head_all = [p for p in request.head.paths() if _in_scope(p, settings, request.limit_to)] if formats else []
    for fmt in formats:
        checker = get_checker(fmt)
        # A checker whose claims depend on configuration (JSON Schema include globs) says so.
        extra = {"settings": settings} if getattr(checker, "claims_uses_settings", False) else {}
        if getattr(checker, "claims_named_paths", False):  # PATH arguments naming a file are claimed
            extra["named"] = request.limit_to
        base_paths = tuple(p for p in base_all if checker.claims(p, request.base, **extra))
        head_paths = tuple(p for p in head_all if checker.claims(p, request.head, **extra))
        if not base_paths and not head_paths:
            continue
        if request.changed is not None:
            changed = frozenset(p for p in request.changed if p in base_paths or p in head_paths)
        else:
            changed = changed_paths(request.base, request.head, base_paths, head_paths)
        changed |= _related_changes(request, checker, base_all, head_all, base_paths, head_paths)
        if not changed:
            continue
        if fmt == "protobuf":  # read buf.yaml only when protobuf files changed
            buf = _buf_config(request)
        if fmt == "protobuf" and buf is not None:  # buf checks only files of its modules
            diagnostics.extend(Diagnostic(w, None, Severity.WARNING) for w in buf.warnings)
            base_paths = tuple(p for p in base_paths if buf.module_for(p) is not None)
            head_paths = tuple(p for p in head_paths if buf.module_for(p) is not None)
            changed = frozenset(p for p in changed if buf.module_for(p) is not None)
            if not changed:
                continue
        selected = _format_rules(settings, fmt, buf)
        rules_run.extend(sorted(selected))
        changed_by_path.update((p, fmt) for p in changed if p in head_paths)
        fmt_settings = _format_settings(settings, fmt, buf)
        outcome = checker.check(FormatJob(request.base, request.head, base_paths, head_paths, changed,
                                          request.renames, fmt_settings, selected))
        findings.extend(outcome.findings)
        diagnostics.extend(outcome.diagnostics)
        files_checked += outcome.files_checked
    filtered = apply_filters(findings, FilterContext(
        base=request.base, head=request.head, buf=buf, buf_selects=buf is not None and not _explicit_selection(settings),
        changed=changed_by_path, rules_run=frozenset(rules_run), severity=settings.severity,
        meta_rules=select_rules(settings, "meta") if changed_by_path or findings else frozenset(),
        renames=request.renames,
    ))
    kept = sorted(filtered.findings, key=Finding.sort_key)
    suppressed = sum(1 for _, why in filtered.dropped if why == "suppressed inline")
    return CheckResult(tuple(kept), tuple(diagnostics), files_checked,
                       request.base.label, request.head.label, tuple(rules_run), suppressed)
