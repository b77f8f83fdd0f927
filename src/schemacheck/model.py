"""The frozen data that flows between layers: locations, findings, diagnostics, results.

Maintainers: everything here is immutable (``frozen=True, slots=True``, tuples not lists) so
that rules, filters and reporters can share values without defensive copies. Reporters read
these objects; nothing here knows how it will be printed.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

__all__ = ["Severity", "Location", "Finding", "Diagnostic", "FormatCount", "Accepted", "FileStatus", "CheckResult"]


class Severity(str, enum.Enum):
    """How bad a finding is; ``--fail-on`` compares against this order."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        """Higher is more severe."""
        return {"error": 3, "warning": 2, "info": 1}[self.value]


@dataclass(frozen=True, slots=True, order=True)
class Location:
    """A span in one file, 1-based lines and columns, end inclusive of the last character's line.

    ``end_column`` is exclusive (one past the last character), as in buf's annotations and
    SARIF's ``endColumn``. A whole-file location has line 0.
    """

    path: str
    line: int = 0
    column: int = 0
    end_line: int = 0
    end_column: int = 0

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}" if self.line else self.path


@dataclass(frozen=True, slots=True)
class Finding:
    """One breaking (or suspicious) change.

    Attributes:
        rule_id: The stable rule ID, e.g. ``FIELD_SAME_NAME``.
        severity: Effective severity after configuration.
        message: One past-tense sentence: what broke and for whom.
        location: Where it is in the new (head) version; ``None`` when nothing survives there
            (a deleted file).
        base_location: Where the element was in the old (base) version, when it existed.
        hint: How to change this safely.
        format: ``protobuf``, ``jsonschema``, ...
        subject: A stable name of the element (``pkg.Order.total_amount``), used for
            fingerprints and suppressions.
        related: ``""``: ``base_location`` is the element in the base revision. Otherwise
            ``base_location`` is a related element of the *new* revision, named by this label
            (``producer``: the other side of a consumer contract); reporters say so.
        anchor: Where a reviewer sees the change in head when the element itself is gone (a
            deletion): the nearest surviving head line the diff shows, or the renamed file.
            Set by the runner (``anchors.py``); review formats (SARIF, annotations) place the
            finding there, the text report keeps ``location``.
    """

    rule_id: str
    severity: Severity
    message: str
    location: Location | None
    base_location: Location | None = None
    hint: str = ""
    format: str = ""
    subject: str = ""
    related: str = ""
    anchor: Location | None = None

    @property
    def path(self) -> str:
        """The path the finding is reported against (head if it exists, else base)."""
        if self.location is not None:
            return self.location.path
        if self.base_location is not None:
            return self.base_location.path
        return ""

    def sort_key(self) -> tuple[str, int, int, str, str]:
        loc = self.location or self.base_location
        return (self.path, loc.line if loc else 0, loc.column if loc else 0, self.rule_id, self.message)


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """A problem with the input rather than a breaking change (unparseable file, unresolved ref).

    Diagnostics of severity error make the run exit 2; warnings are printed and do not.
    """

    message: str
    location: Location | None = None
    severity: Severity = Severity.ERROR
    tip: str = ""


@dataclass(frozen=True, slots=True)
class FormatCount:
    """How many schema files of one format were compared.

    Attributes:
        format: The format name (``protobuf``, ``jsonschema``, ...).
        label: What one such file is called in a sentence (``.proto file``).
        files: Files compared (changed, added, deleted, or re-checked because a file they use changed).
    """

    format: str
    label: str
    files: int


@dataclass(frozen=True, slots=True)
class Accepted:
    """A finding an inline ``schemacheck:ignore`` directive accepted: it does not fail the run,
    and review formats still list it as suppressed (SARIF ``suppressions``, JSON ``accepted``).

    Attributes:
        finding: The finding as it would have been reported.
        reason: The directive's justification ('' when it gives none).
        directive: Where the directive is.
    """

    finding: Finding
    reason: str
    directive: Location


@dataclass(frozen=True, slots=True)
class FileStatus:
    """What the run did with one file (``--verbose``, one JUnit test case per compared file).

    Attributes:
        path: Head path (base path for a deleted file).
        status: ``compared``; or why it was passed over: ``excluded`` (include/exclude or PATH
            arguments), ``not a schema`` (no format claims it), ``unchanged``.
        format: The format that compared it or claims it ('' for ``not a schema``).
        base_path: The base path when it differs (a renamed file).
    """

    path: str
    status: str
    format: str = ""
    base_path: str = ""


@dataclass(frozen=True, slots=True)
class CheckResult:
    """Everything one run produced, ready for a reporter.

    ``compared`` lists every format that was asked to check, in registry order (zero counts
    included); ``files_checked`` is their total. ``files`` says, per changed path, whether it
    was compared or why not; unchanged schema files are not listed (a monorepo has thousands).
    """

    findings: tuple[Finding, ...] = ()
    diagnostics: tuple[Diagnostic, ...] = ()
    files_checked: int = 0
    base_label: str = ""
    head_label: str = ""
    rules_run: tuple[str, ...] = field(default=())
    compared: tuple[FormatCount, ...] = ()
    accepted: tuple[Accepted, ...] = ()  # findings accepted by inline schemacheck:ignore directives
    files: tuple[FileStatus, ...] = ()  # changed files (and the files compared), with what was done

    @property
    def suppressed(self) -> int:
        """How many findings inline ``schemacheck:ignore`` directives accepted (``len(accepted)``)."""
        return len(self.accepted)
