"""One check, end to end: two snapshots in, a :class:`~schemacheck.model.CheckResult` out.

Maintainers: the runner is format-neutral: no format name appears here. It lists both
revisions' paths in the shared scope (``include``/``exclude``/PATH arguments), works out per
format which changed (from git's change set when there is one, by claiming only the changed
paths first; else by content id over the format's files), adds the changed files the format
says :meth:`~schemacheck.checkers.FormatChecker.may_affect` it, and hands the format a
:class:`~schemacheck.checkers.FormatJob` with the shared rule selection. Each format applies
its own configuration (buf.yaml, modes, ...) inside ``check``. Configured consumer contracts
run next as a stage of their own (``contracts/stage.py``: a contract spans two formats' files,
which the one-format-per-file protocol cannot express). Then the shared filters
(``filters.py``: inline suppressions, severity overrides) run, deletions get the head line a
reviewer sees them at (``anchors.py``) and the findings are sorted.
In a partial clone run with ``--fetch-missing`` it first asks every format what it will read
(``will_read``) and fetches that with the changed files' blobs in one ``git fetch``, before
any format reads a file. It warns about configured globs that match no file, counts the files
compared per format, and says what it did with each changed file (``file_status.py``). It never prints and
never decides the exit code (that is ``cli.py``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .file_status import compared_files, file_statuses
from .formats.registry import FORMATS
from .globs import is_under, literal_prefix, matches_any
from .model import CheckResult, Diagnostic, FileStatus, Finding, FormatCount, Severity
from .scope import FormatPaths, Scope
from .snapshot import Snapshot, can_fetch, prefetch

if TYPE_CHECKING:  # imported when a format has a job: a change touching no schema needs neither
    from .checkers import FormatChecker, FormatJob
    from .config import Settings

__all__ = ["CheckRequest", "run_check", "select_rules", "changed_paths", "prepare_formats", "result_without_formats"]


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
        workdir: Repository-relative directory the user ran in: where format configuration
            files (buf.yaml) are looked up first.
    """

    base: Snapshot
    head: Snapshot
    settings: Settings = field(default_factory=lambda: _default_settings())
    changed: frozenset[str] | None = None
    renames: Mapping[str, str] = field(default_factory=dict)
    formats: tuple[str, ...] = ()
    limit_to: tuple[str, ...] = ()
    workdir: str = ""


def _default_settings() -> Settings:
    from .config import Settings

    return Settings()


def result_without_formats(base: Snapshot, head: Snapshot, changed: frozenset[str]) -> CheckResult | None:
    """What :func:`run_check` returns for git's change set ``changed`` with default settings and
    no PATH arguments when no changed path ends in any format's ``FormatEntry.suffixes`` (no
    format can claim or be affected by one): nothing compared, each path ``not a schema`` (or
    ``excluded`` when on neither side, as the scope says). ``None`` when a format may have a
    job. Built without the configuration models, any checker or the scope, for a commit
    touching no schema (the pre-commit hook on every commit); ``tests/test_run_cost.py`` holds
    it to :func:`run_check`'s answer."""
    if any(entry.suffixes is None or any(p.lower().endswith(entry.suffixes) for p in changed)
           for entry in FORMATS.values()):
        return None
    files = sorted((FileStatus(p, "not a schema" if head.exists(p) or base.exists(p) else "excluded")
                    for p in changed), key=lambda s: (s.status != "compared", s.path))
    return CheckResult((), (), 0, base.label, head.label, (), zero_counts(), (), tuple(files))


def zero_counts(names: Iterable[str] = FORMATS) -> tuple[FormatCount, ...]:
    """Every format (or those of ``names``) with 0 files compared, so a summary says so."""
    return tuple(FormatCount(name, FORMATS[name].label, 0) for name in names)


def result_without_change(base: Snapshot, head: Snapshot) -> CheckResult:
    """What a run in which git saw no change returns: nothing compared, in every format."""
    return CheckResult(base_label=base.label, head_label=head.label, compared=zero_counts())


def _no_rule_selected(formats: list[str]) -> Diagnostic:
    """The warning of a run whose rule selection left every changed format without a rule: files
    were read, nothing compared them, and "No breaking changes" alone would read as a pass."""
    labels = ", ".join(FORMATS[name].label + "s" for name in formats)
    return Diagnostic(f"no rule ran: the rule selection (select/ignore) leaves none for the changed {labels}",
                      None, Severity.WARNING,
                      "Rule categories are per format (protobuf: FILE, PACKAGE, WIRE, WIRE_JSON; JSON Schema, "
                      "OpenAPI and Python DTOs: BACKWARD, FORWARD, ...): select rules of the changed files' format.")


def select_rules(settings: Settings, fmt: str) -> frozenset[str]:
    """Rule IDs of ``fmt`` to run: ``select`` (or the defaults) minus ``ignore``.

    An empty result means *no rule* of ``fmt`` runs (``--select`` naming only other formats'
    rules, or ``--ignore`` of every category): never "all".
    """
    from .registry import REGISTRY, load_rules

    load_rules(fmt)
    source = settings.source or "the command line"
    if settings.select:
        chosen = REGISTRY.expand(settings.select, fmt, source=source)
    else:
        chosen = REGISTRY.default_ids(fmt)
    if settings.ignore:
        chosen -= REGISTRY.expand(settings.ignore, fmt, source=source)
    return frozenset(chosen)


def changed_paths(base: Snapshot, head: Snapshot, base_paths: Iterable[str], head_paths: Iterable[str]) -> frozenset[str]:
    """Paths added, deleted, or whose content id differs between the two snapshots."""
    base_set, head_set = set(base_paths), set(head_paths)
    changed = base_set ^ head_set
    for path in base_set & head_set:
        if base.blob_id(path) != head.blob_id(path):
            changed.add(path)
    return frozenset(changed)


class _Claims:
    """One checker's ``claims`` answers, asked at most once per (side, path).

    A file belongs to one format: a (side, path) already claimed by a format earlier in
    ``FORMATS`` (recorded in ``taken``) is not offered to later ones, so an OpenAPI document
    named on the command line is not also compared as a JSON Schema. With git's change set, a
    path whose blob is the same on both sides gets the other side's answer: the same name and
    content are the same file (a listing of every JSON file asks once per file, not twice).
    """

    def __init__(self, checker: FormatChecker, request: CheckRequest, taken: dict[tuple[bool, str], str]) -> None:
        self.checker, self.request, self.taken = checker, request, taken
        self.answers: dict[tuple[bool, str], bool] = {}
        self.raw: dict[tuple[bool, str], bool] = {}  # the checker's own answers, before `taken`

    def __call__(self, path: str, head: bool) -> bool:
        key = (head, path)
        if key not in self.answers:
            self.answers[key] = key not in self.taken and self._claims(path, head)
            if self.answers[key]:
                self.taken[key] = self.checker.name
        return self.answers[key]

    def _claims(self, path: str, head: bool) -> bool:
        other = (not head, path)
        if self.request.changed is not None and other in self.raw:
            blob = self.request.head.blob_id(path)
            if blob is not None and blob == self.request.base.blob_id(path):
                return self.raw[other]
        snapshot = self.request.head if head else self.request.base
        answer = self.raw[(head, path)] = bool(self.checker.claims(path, snapshot, self.request.settings,
                                                                   self.request.limit_to))
        return answer


def _job(request: CheckRequest, checker: FormatChecker, scope: Scope,
         taken: dict[tuple[bool, str], str]) -> FormatJob | None:
    """The format's job, or ``None`` when nothing of this format changed.

    With git's change set only the changed paths are looked up and claimed; the format's whole
    file lists (``FormatJob.base_paths``/``head_paths``) are :class:`~.scope.FormatPaths`, listed
    only if the format iterates them.
    """
    from .checkers import FormatJob

    claims = _Claims(checker, request, taken)
    if request.changed is not None:
        # git knows what changed: claim those paths first, so a format none of whose files
        # changed costs no claims() over the trees (JSON Schema's reads every file's start).
        mine = {p for p in request.changed if (scope.on(p, False) and claims(p, False))
                or (scope.on(p, True) and claims(p, True))}
        mine = {p for p in mine if _worth_checking(checker, request, scope, p)}
        related = {p for p in request.changed if p not in mine and checker.may_affect(p)}
        if not mine and not related:
            return None
        base_paths: Sequence[str] = FormatPaths(lambda: scope.scoped(False), lambda p: scope.on(p, False)
                                                and claims(p, False))
        head_paths: Sequence[str] = FormatPaths(lambda: scope.scoped(True), lambda p: scope.on(p, True)
                                                and claims(p, True))
        if not mine and not checker.reached_by(related, head_paths, request.head):
            # Only related files changed, and none of the format's files can see them. The head
            # alone answers: with none of the format's files changed, each of the base's is in
            # the head with the same content (a deleted or edited one would be in `mine`).
            return None
        changed = frozenset(mine | related)
    else:
        base_paths = tuple(p for p in scope.scoped(False) if claims(p, False))
        head_paths = tuple(p for p in scope.scoped(True) if claims(p, True))
        if not base_paths and not head_paths:
            return None
        changed = changed_paths(request.base, request.head, base_paths, head_paths)
        changed |= _related_by_content(request, checker, scope, set(base_paths) | set(head_paths))
    if not changed:
        return None
    settings = request.settings
    return FormatJob(request.base, request.head, base_paths, head_paths, changed, request.renames, settings,  # type: ignore[arg-type]
                     select_rules(settings, checker.name), bool(settings.select), request.workdir)


def _load_checkers(names: list[str]) -> list[FormatChecker]:
    if not names:
        return []
    from .checkers import get_checker

    return [get_checker(name) for name in names]


def prepare_formats(paths: Iterable[str]) -> None:
    """Let each format one of whose file-name endings (``FormatEntry.suffixes``) ``paths`` have
    import what its check will need (:meth:`~.checkers.FormatChecker.prepare`): a forecast for
    the CLI to overlap with git's scan of the work tree; nothing is decided or read."""
    wanted = [name for name, entry in FORMATS.items()
              if entry.suffixes is not None and any(p.lower().endswith(entry.suffixes) for p in paths)]
    for checker in _load_checkers(wanted):
        checker.prepare()


def _may_have_job(request: CheckRequest, name: str) -> bool:
    """Whether format ``name`` may claim, or be affected by, a changed path: decided by the
    registry's file-name endings (``FormatEntry.suffixes``), without importing the checker,
    while the format's own section is the default (a configured one may have globs naming any
    file). Without git's change set every format is asked."""
    entry = FORMATS[name]
    if request.changed is None or entry.suffixes is None:
        return True
    section = getattr(request.settings, name, None)
    if section is not None and section != type(section)():
        return True
    return any(path.lower().endswith(entry.suffixes) for path in request.changed)


def _worth_checking(checker: FormatChecker, request: CheckRequest, scope: Scope, path: str) -> bool:
    """The format's cheap content test of a changed file it claims by name (either side may pass)."""
    return any(checker.worth_checking(path, snapshot) for snapshot, head in
               ((request.head, True), (request.base, False)) if scope.on(path, head))


def _related_by_content(request: CheckRequest, checker: FormatChecker, scope: Scope,
                        claimed: set[str]) -> frozenset[str]:
    """Without git's change set: changed files in scope that the checker does not claim but may be
    affected by (with git's change set they come from it, unlimited by PATH arguments and globs:
    a named schema whose ``$ref`` target changed elsewhere is still checked)."""
    request_base = [p for p in scope.scoped(False) if p not in claimed and checker.may_affect(p)]
    request_head = [p for p in scope.scoped(True) if p not in claimed and checker.may_affect(p)]
    if not request_base and not request_head:
        return frozenset()
    return changed_paths(request.base, request.head, request_base, request_head)


def _glob_warnings(settings: Settings, checkers: list[FormatChecker], scope: Scope) -> list[Diagnostic]:
    """A configured include-type glob that matches no file of either revision is almost always a
    typo, and would make the check pass having compared nothing: say so.

    Only a configuration with globs pays for this, and only for the directories a glob can reach
    (:func:`~.globs.literal_prefix`): the head is tried first, the base only for globs the head
    does not match."""
    globs = [("include", g) for g in settings.include]
    for checker in checkers:
        globs.extend(checker.configured_globs(settings))
    if not globs:
        return []
    unmatched = [(key, glob) for key, glob in globs
                 if not any(matches_any(p, (glob,)) for side in (True, False)
                            for p in _paths_under(scope.sides[side], literal_prefix(glob)))]
    where = f"{settings.source}: " if settings.source else ""
    return [Diagnostic(f"{where}{key} pattern {glob!r} matches no file", None, Severity.WARNING,
                       "Patterns with a '/' are anchored at the repository root; '**' spans directories.")
            for key, glob in unmatched]


def _paths_under(snapshot: Snapshot, prefix: str):
    """The snapshot's paths under directory ``prefix`` ('' = all), listed as narrowly as it can."""
    under = getattr(snapshot, "paths_under", None)
    if under is not None:
        return under(prefix)
    return (p for p in snapshot.paths() if is_under(p, prefix))


def _fetch_ahead(request: CheckRequest, checkers: list[FormatChecker]) -> None:
    """A partial clone run with ``--fetch-missing``: before anything is read, fetch the changed
    files' blobs (noted by the revisions) and what each format predicts it will read, in one
    ``git fetch`` (``snapshot.prefetch``)."""
    wanted: list[tuple[Snapshot, Iterable[str]]] = [(request.base, ()), (request.head, ())]
    for checker in checkers:
        wanted.extend(checker.will_read(request))
    prefetch(wanted)


def run_check(request: CheckRequest) -> CheckResult:
    """Run every format's checker on the request, then the shared filters, and gather the result.

    Raises:
        ConfigError: A bad selection, or a format's bad configuration (a bad buf.yaml in head).
    """
    settings = request.settings
    findings: list[Finding] = []
    diagnostics: list[Diagnostic] = []
    rules_run: list[str] = []
    changed_by_path: dict[str, str] = {}
    counts: list[FormatCount] = []
    names = request.formats or tuple(FORMATS)
    if request.changed is not None and not request.changed:  # git saw no change: list and load nothing
        counts = list(zero_counts(names))
        names = ()
    active = bool(names)
    checkers = _load_checkers([name for name in names if _may_have_job(request, name)])
    scope = Scope(request.base, request.head, settings, request.limit_to)
    if active:
        diagnostics.extend(_glob_warnings(settings, checkers, scope))
    if checkers and request.changed and (can_fetch(request.base) or can_fetch(request.head)):
        _fetch_ahead(request, checkers)
    taken: dict[tuple[bool, str], str] = {}  # (head side, path) -> the format that claimed it
    compared: dict[str, tuple[str, str]] = {}  # path -> (format, base path when renamed)
    loaded = {checker.name: checker for checker in checkers}
    unruled: list[str] = []  # formats whose files changed but whose rules the selection left out
    for name in names:
        checker = loaded.get(name)
        job = _job(request, checker, scope, taken) if checker is not None else None
        outcome = checker.check(job) if checker is not None and job is not None else None
        if checker is not None and job is not None:
            compared.update(compared_files(job, checker.name))
        counts.append(FormatCount(name, FORMATS[name].label, outcome.files_checked if outcome else 0))
        if checker is None or outcome is None:
            continue
        if not job.selected:
            unruled.append(name)
        findings.extend(outcome.findings)
        diagnostics.extend(outcome.diagnostics)
        rules_run.extend(sorted(outcome.rules_run))
        changed_by_path.update((p, checker.name) for p in outcome.targets)
    if settings.contracts and not (request.changed is not None and not request.changed):
        # A separate stage, not a format: a contract spans two files of two formats (contracts/stage.py).
        from .contracts.stage import LABEL, check_contracts

        outcome = check_contracts(request)
        counts.append(FormatCount("contracts", LABEL, outcome.files_checked))
        findings.extend(outcome.findings)
        diagnostics.extend(outcome.diagnostics)
        rules_run.extend(sorted(outcome.rules_run))
        changed_by_path.update((p, changed_by_path.get(p, "contracts")) for p in outcome.targets)
    if unruled and not rules_run and (settings.select or settings.ignore):
        diagnostics.append(_no_rule_selected(unruled))  # never a silent pass
    if not findings and not changed_by_path:  # nothing compared: no directive to judge, nothing to place
        files = file_statuses(request.changed, scope, taken, compared) if active else ()
        return CheckResult((), tuple(diagnostics), sum(c.files for c in counts), request.base.label,
                           request.head.label, tuple(rules_run), tuple(counts), (), files)
    from .anchors import anchor_findings
    from .filters import FilterContext, apply_filters

    filtered = apply_filters(findings, FilterContext(
        base=request.base, head=request.head, changed=changed_by_path, rules_run=frozenset(rules_run),
        severity=settings.severity,
        meta_rules=select_rules(settings, "meta") if changed_by_path or findings else frozenset(),
        renames=request.renames,
        unreadable=frozenset(d.location.path for d in diagnostics
                             if d.severity is Severity.ERROR and d.location is not None),
    ))
    anchored = anchor_findings(filtered.findings, request.base, request.head, request.renames)
    kept = sorted(anchored, key=Finding.sort_key)
    files = file_statuses(request.changed, scope, taken, compared) if active else ()
    return CheckResult(tuple(kept), tuple(diagnostics), sum(c.files for c in counts),
                       request.base.label, request.head.label, tuple(rules_run), tuple(counts),
                       filtered.accepted, files)
