"""The contract between the runner and each format, and the registry of formats.

Maintainers: the runner is format-neutral. It asks the revisions what changed, hands each
format the changed paths it :meth:`~FormatChecker.claims` (plus changed files it does not claim
but says :meth:`~FormatChecker.may_affect` it, such as ``$ref`` targets) in a
:class:`FormatJob`, and runs the shared filters on what comes back. Everything specific to a
format happens behind this protocol: its configuration section (``[tool.schemacheck.<name>]``,
a model the format supplies, see :class:`FormatEntry`), its own configuration files (buf.yaml),
its default rule selection, which of its files are in scope, and format-specific ignores.
A checker never prints, never touches git directly, and never raises for a bad schema file:
it records a :class:`~schemacheck.model.Diagnostic` and carries on.

Adding a format = its packages (``formats/<name>/`` front end, ``compat/<name>/`` checker and
settings model) and one line in ``formats/registry.py``'s ``FORMATS``; nothing else (see
docs/architecture.md).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from .formats.registry import FORMATS, FormatEntry, load_target
from .model import Diagnostic, Finding
from .snapshot import Snapshot

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from .config import Settings
    from .runner import CheckRequest

__all__ = [
    "unique_findings",
    "FormatJob",
    "FormatOutcome",
    "FormatChecker",
    "BaseChecker",
    "FormatEntry",
    "FORMATS",
    "CHECKER_BY_FORMAT",
    "get_checker",
]


@dataclass(frozen=True, slots=True)
class FormatJob:
    """What one format is asked to check.

    Attributes:
        base: The old revision.
        head: The new revision.
        base_paths: Files of this format in base (in the shared include/exclude/PATH scope).
        head_paths: Files of this format in head.
        changed: Paths (base or head side) whose content differs, plus added and deleted ones,
            plus changed files the checker did not claim but said :meth:`FormatChecker.may_affect` it.
        renames: Base path -> head path for files git saw as renamed.
        settings: The effective configuration (the format reads its own section, ``settings.<name>``).
        selected: Rule IDs chosen by the shared ``select``/``ignore`` (or the format's registry
            defaults). Empty means *no rule*. A format may derive its own selection from its
            configuration files when ``explicit_select`` is false (buf.yaml ``use``/``except``).
        explicit_select: The configuration or command line named ``select`` rules.
        workdir: Repository-relative directory the user ran in (where format configuration
            files such as buf.yaml are looked up first).
    """

    base: Snapshot
    head: Snapshot
    base_paths: tuple[str, ...]
    head_paths: tuple[str, ...]
    changed: frozenset[str]
    renames: Mapping[str, str] = field(default_factory=dict)
    settings: Settings | None = None
    selected: frozenset[str] = frozenset()
    explicit_select: bool = False
    workdir: str = ""


@dataclass(frozen=True, slots=True)
class FormatOutcome:
    """What a format returns.

    Attributes:
        findings: Findings already filtered by the format's own ignore configuration (buf.yaml);
            the shared filters (inline suppressions, severity overrides) come after.
        diagnostics: Input problems (errors make the run exit 2) and remarks.
        files_checked: Schema files compared (changed, deleted, or dependents re-checked).
        rules_run: Rule IDs that actually ran (an unused suppression is judged only against these).
        targets: Head paths this format treated as changed (their suppression directives are judged).
    """

    findings: tuple[Finding, ...] = ()
    diagnostics: tuple[Diagnostic, ...] = ()
    files_checked: int = 0
    rules_run: frozenset[str] = frozenset()
    targets: tuple[str, ...] = ()


class FormatChecker(Protocol):
    """One format's entry point (subclass :class:`BaseChecker` for the optional hooks' defaults).

    Attributes:
        name: Format name, also its configuration section ``[tool.schemacheck.<name>]`` and
            ``Finding.format``.
    """

    name: str

    def claims(self, path: str, snapshot: Snapshot | None, settings: Settings | None = None,
               named: tuple[str, ...] = ()) -> bool:
        """Whether ``path`` of ``snapshot`` is a schema of this format.

        Args:
            path: Repository-relative path.
            snapshot: The revision it belongs to (for content sniffing), if known.
            settings: The configuration (a format's own include globs).
            named: PATH arguments from the command line (a named file may be claimed by name alone).
        """
        ...

    def worth_checking(self, path: str, snapshot: Snapshot) -> bool:
        """Whether a *changed* file this format claims (by name) is worth a job: a cheap content test
        (Python: does the text name a DTO framework). The runner asks it only of git's changed
        paths, so a format that claims every ``*.py`` file by name costs nothing for a change that
        touches none of its schemas; the tree-wide listing stays name-based."""
        ...

    def may_affect(self, path: str) -> bool:
        """The one hook for *related* paths: whether a changed file this format does not claim may
        still change the meaning of its schemas (a ``$ref`` target, an import). Such files reach
        :meth:`check` in ``FormatJob.changed`` outside ``head_paths``; they are never checked
        themselves."""
        ...

    def reached_by(self, related: Iterable[str], head_paths: Sequence[str], head: Snapshot) -> bool:
        """Whether changed *related* files (see :meth:`may_affect`) may reach any of the format's
        files at the head, asked when no file of the format changed (else its job runs anyway).
        ``head_paths`` is unlisted: the default, "the format has a file at all", lists it; a format
        that knows how its files name what they reach answers without claiming every file."""
        ...

    def configured_globs(self, settings: Settings) -> tuple[tuple[str, str], ...]:
        """``(configuration key, glob)`` pairs of this format's section that should match a file
        (the runner warns about a glob that matches none)."""
        ...

    def will_read(self, request: CheckRequest) -> Iterable[tuple[Snapshot, Iterable[str]]]:
        """Only in a partial clone run with ``--fetch-missing``, before any format reads a file:
        the files (per snapshot) this format predicts it will read for ``request``'s change,
        without reading any (JSON Schema: from its per-blob index). The runner fetches them with
        the changed files' blobs in one ``git fetch``; a file missed here is fetched later, in
        another batch the format asks for, or is the usual missing-object error."""
        ...

    def check(self, job: FormatJob) -> FormatOutcome:
        """Check one job; never raises for bad schema input (records diagnostics instead)."""
        ...

    def prepare(self) -> None:
        """Import what :meth:`check` will need, ahead of it: the CLI calls this while git scans
        the work tree, when git already named a changed file ending in the format's
        ``FormatEntry.suffixes`` (a file committed or staged since the base), so the
        interpreter's import work overlaps git's instead of following it. Changes nothing else."""
        ...


class BaseChecker:
    """Defaults for the optional hooks of :class:`FormatChecker`."""

    name = ""

    def worth_checking(self, path: str, snapshot: Snapshot) -> bool:
        return True

    def may_affect(self, path: str) -> bool:
        return False

    def reached_by(self, related: Iterable[str], head_paths: Sequence[str], head: Snapshot) -> bool:
        return bool(head_paths)

    def configured_globs(self, settings: Settings) -> tuple[tuple[str, str], ...]:
        return ()

    def prepare(self) -> None:
        return None

    def will_read(self, request: CheckRequest) -> Iterable[tuple[Snapshot, Iterable[str]]]:
        return ()


#: Format name -> "module:attribute" of its checker (kept for callers of the older registry).
CHECKER_BY_FORMAT: dict[str, str] = {name: entry.checker for name, entry in FORMATS.items()}


def get_checker(fmt: str) -> FormatChecker:
    """The checker of format ``fmt`` (imported on first use)."""
    return load_target(FORMATS[fmt].checker)


def unique_findings(findings: list[Finding]) -> list[Finding]:
    """Drop repeats, keeping the first: a change in a shared file (a ``$ref`` target, a component)
    is found through each file or operation that reaches it."""
    seen: set[tuple] = set()
    out = []
    for finding in findings:
        key = (finding.rule_id, finding.location, finding.base_location, finding.message)
        if key not in seen:
            seen.add(key)
            out.append(finding)
    return out
