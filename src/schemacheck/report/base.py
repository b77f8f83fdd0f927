"""What every reporter shares: the Reporter base, the ReportContext, counting and sorting.

Maintainers: reporters only format. They receive a :class:`~schemacheck.model.CheckResult`
and a :class:`ReportContext` (colour, tool version, how to fetch a head source line, how to
look a rule up) and return one string; the CLI writes it. Nothing here reads files or git:
the CLI hands over ``source_line`` (usually backed by the head snapshot). Heavy imports
(rich, pydantic) belong inside ``render`` of the reporter that needs them.
"""

from __future__ import annotations

import abc
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, ClassVar

from ..model import CheckResult, Diagnostic, Finding, Location, Severity

if TYPE_CHECKING:
    from ..registry import RuleSpec

__all__ = [
    "PROJECT_URL",
    "RULE_DOCS_URL",
    "TOOL_NAME",
    "ReportContext",
    "base_location",
    "Reporter",
    "Counts",
    "count",
    "sorted_findings",
    "sorted_diagnostics",
    "rule_doc_url",
    "lines_from_texts",
    "lines_from_reader",
    "plural",
    "compared_phrase",
    "visible",
    "json_safe",
    "LineWindow",
    "line_window",
    "WINDOW_CHARS",
]

#: The tool's name as shown in every machine-readable format.
TOOL_NAME = "schemacheck"
#: Home of the project; SARIF ``informationUri``.
PROJECT_URL = "https://github.com/schemacheck/schemacheck"
#: Base URL of the generated rule pages (``rules/<ID>.md`` in the repository).
RULE_DOCS_URL = f"{PROJECT_URL}/blob/main/rules/"

#: Characters of a source line shown around a finding (text snippets, SARIF ``snippet`` and
#: ``contextRegion``): a minified 10 MB one-line schema must not be copied once per finding.
WINDOW_CHARS = 160

#: C0/C1 control characters (but tab and newline), and the Unicode controls that reorder or
#: hide text (bidi overrides and isolates, line/paragraph separators: "Trojan Source"), shown
#: as visible escapes so that text from a schema can never drive a terminal or disguise itself.
_CONTROLS = {c: f"\\x{c:02x}" for c in (*range(0x00, 0x20), *range(0x7F, 0xA0)) if c not in (0x09, 0x0A)}
_CONTROLS.update({c: f"\\u{c:04x}" for c in (0x061C, 0x200E, 0x200F, 0x2028, 0x2029, *range(0x202A, 0x202F),
                                               *range(0x2066, 0x206A))})

SourceLine = Callable[[str, int], "str | None"]
RuleLookup = Callable[[str], "RuleSpec | None"]


def _registry_lookup(rule_id: str) -> RuleSpec | None:
    from ..registry import REGISTRY

    return REGISTRY.get(rule_id)


def _no_source(path: str, line: int) -> str | None:
    return None


def _default_version() -> str:
    from .. import __version__

    return __version__


@dataclass(frozen=True, slots=True)
class ReportContext:
    """Everything a reporter may need besides the result itself.

    Attributes:
        color: Emit ANSI colour (text format only); decide it with :func:`use_color`.
        source_line: ``(path, line) -> text`` of a 1-based line of the head file, without the
            line ending, or ``None`` when unknown. Used to show the offending line and to
            compute stable SARIF fingerprints.
        rules: ``rule_id -> RuleSpec | None``; defaults to the global registry.
        tool_version: Version written into JSON and SARIF.
        repo_root: Absolute path of the repository root (SARIF ``originalUriBaseIds``).
        base_label: Overrides ``result.base_label`` in headings (e.g. ``origin/main``).
        head_label: Overrides ``result.head_label`` (e.g. ``work tree``).
        fail_on: Lowest severity that makes the run fail; the summaries say which findings
            count.
        width: Width of the text report (rule lines); ``None`` means 100.
        sarif_category: SARIF ``automationDetails.id`` (``category/`` style); empty: omitted.
        annotation_limit: GitHub annotations shown per level and step (GitHub's cap is 10).
        more_hint: Where the ``github`` format sends readers for findings beyond the cap.
        head_path: How the text report shows a head path (the CLI makes it relative to the
            directory the user ran in, so a terminal can open it); machine formats keep
            repository-relative paths.
        base_path: The same for a base path (``--against OLD``: under ``OLD``).
        base_file: The base file's own path for the (head) path it was paired with, for every
            format: ``--against OLD NEW`` with two files pairs OLD under NEW's name, and a
            base location must still name OLD. Reporters read base locations through
            :func:`base_location`, never ``finding.base_location`` directly.
        base_root_uri: Absolute URI of the base revision's tree (SARIF ``BASEROOT``), when known.
        verbose: The text report lists the files compared and those passed over, with why.
    """

    color: bool = False
    source_line: SourceLine = _no_source
    rules: RuleLookup = _registry_lookup
    tool_version: str = field(default_factory=_default_version)
    repo_root: str | None = None
    base_label: str = ""
    head_label: str = ""
    fail_on: Severity = Severity.ERROR
    width: int | None = None
    sarif_category: str = ""
    annotation_limit: int = 10
    more_hint: str = "See the job summary or run schemacheck with --format text for the full list."
    head_path: Callable[[str], str] = str
    base_path: Callable[[str], str] = str
    base_file: Callable[[str], str] = str
    base_root_uri: str = ""
    verbose: bool = False

    def labels(self, result: CheckResult) -> tuple[str, str]:
        """The (base, head) labels to print, context first, then the result's."""
        return (self.base_label or result.base_label, self.head_label or result.head_label)

    def line_text(self, loc: Location | None) -> str | None:
        """The head source line under ``loc``, or ``None`` (no location, line 0, unknown)."""
        if loc is None or loc.line < 1:
            return None
        try:
            return self.source_line(loc.path, loc.line)
        except (OSError, LookupError, ValueError):
            return None

    def show(self, loc: Location, *, base: bool = False) -> str:
        """``loc`` as ``path:line:column`` with the path as the text report shows it."""
        path = (self.base_path if base else self.head_path)(loc.path)
        return f"{path}:{loc.line}:{loc.column}" if loc.line else path

    def failing(self, finding: Finding) -> bool:
        """Whether ``finding`` is at or above ``fail_on``."""
        return finding.severity.rank >= self.fail_on.rank


def base_location(finding: Finding, ctx: ReportContext) -> Location | None:
    """``finding.base_location`` with the base file's own path (``ctx.base_file``).

    A ``related`` location is in the head revision and is returned unchanged.
    """
    loc = finding.base_location
    if loc is None or finding.related:
        return loc
    path = ctx.base_file(loc.path)
    return loc if path == loc.path else replace(loc, path=path)


class Reporter(abc.ABC):
    """Turns a :class:`CheckResult` into the text of one output format.

    Subclasses set :attr:`name` and implement :meth:`render`; they never print.
    """

    name: ClassVar[str] = ""

    @abc.abstractmethod
    def render(self, result: CheckResult, ctx: ReportContext) -> str:
        """Return the whole report, ending with a newline when not empty.

        Args:
            result: Findings and diagnostics of one run.
            ctx: Presentation settings and lookups.
        """


@dataclass(frozen=True, slots=True)
class Counts:
    """Tallies every summary needs.

    Attributes:
        findings: Number of findings.
        by_severity: Findings per severity (every severity present, possibly 0).
        files: Distinct paths with at least one finding.
        failing: Findings at or above ``fail_on``.
        diagnostic_errors: Input errors (these make the run exit 2).
        diagnostic_warnings: Input warnings (something was skipped or may be wrong).
        diagnostic_notes: Input notes (severity info: said for the record, nothing skipped).
    """

    findings: int
    by_severity: Mapping[Severity, int]
    files: int
    failing: int
    diagnostic_errors: int
    diagnostic_warnings: int
    diagnostic_notes: int = 0


def count(result: CheckResult, fail_on: Severity = Severity.ERROR) -> Counts:
    """Tally findings and diagnostics of ``result``."""
    by_sev = {sev: 0 for sev in Severity}
    for f in result.findings:
        by_sev[f.severity] += 1
    diag_errors = sum(1 for d in result.diagnostics if d.severity is Severity.ERROR)
    diag_notes = sum(1 for d in result.diagnostics if d.severity is Severity.INFO)
    return Counts(
        findings=len(result.findings),
        by_severity=by_sev,
        files=len({f.path for f in result.findings}),
        failing=sum(1 for f in result.findings if f.severity.rank >= fail_on.rank),
        diagnostic_errors=diag_errors,
        diagnostic_warnings=len(result.diagnostics) - diag_errors - diag_notes,
        diagnostic_notes=diag_notes,
    )


def compared_phrase(result: CheckResult) -> str | None:
    """What was checked, per format, zeros included: ``"3 .proto, 1 OpenAPI, 0 JSON Schema files"``.

    Formats with files come first (most first), then the others in registry order, so a format
    whose files were not recognised shows up as a 0 instead of silently missing; ``"0 schema
    files"`` when nothing was compared; ``None`` when the result does not say (one built by
    hand rather than by a run).
    """
    if not result.compared:
        return None
    if not any(c.files for c in result.compared):
        return plural(0, "schema file")
    # a count whose label is not a kind of file (consumer contracts) is its own phrase, if any
    files = [c for c in result.compared if c.label.endswith((" file", " document"))]
    others = [plural(c.files, c.label) for c in result.compared if c not in files and c.files]
    ranked = sorted(files, key=lambda c: -c.files)  # stable: registry order among equals
    if not ranked:
        phrase = ""
    elif len(ranked) == 1:
        phrase = plural(ranked[0].files, ranked[0].label)
    else:
        phrase = ", ".join(f"{c.files} {c.label.rsplit(' ', 1)[0]}" for c in ranked) + " files"
    return " and ".join(p for p in (phrase, *others) if p)


def sorted_findings(findings: Iterable[Finding]) -> list[Finding]:
    """Findings in report order: by path, line, column, rule ID, message."""
    return sorted(findings, key=Finding.sort_key)


def sorted_diagnostics(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    """Diagnostics errors first, then by location."""
    return sorted(
        diagnostics,
        key=lambda d: (-d.severity.rank, d.location.path if d.location else "", d.location.line if d.location else 0, d.message),
    )


def visible(text: str, keep: str = "") -> str:
    """``text`` with control characters (ESC, CR, BEL, bidi overrides...) replaced by ``\\xNN``/``\\uNNNN``.

    Every reporter that writes text a person reads (text, github, markdown) passes untrusted
    strings (property names, paths, source lines) through this; JSON and SARIF escape them
    already. ``keep`` names characters a format escapes its own way (GitHub's ``%0D``).
    """
    if keep:
        return text.translate({c: e for c, e in _CONTROLS.items() if chr(c) not in keep})
    return text.translate(_CONTROLS)


#: The same characters as ``\\uNNNN`` JSON escapes (those below 0x20 JSON escapes already).
_JSON_ESCAPES = {c: f"\\u{c:04x}" for c in _CONTROLS if c >= 0x7F}


def json_safe(document: str) -> str:
    """A serialised JSON document with C1 controls and bidi/separator characters as ``\\uNNNN``.

    The parsed data is unchanged; the text can be printed to a terminal safely.
    """
    return document.translate(_JSON_ESCAPES)


@dataclass(frozen=True, slots=True)
class LineWindow:
    """The part of a source line shown for a finding.

    Attributes:
        text: At most :data:`WINDOW_CHARS` characters of the line (the whole line when short).
        start: 0-based offset of ``text[0]`` in the line.
        clipped_left: Characters before ``text`` were left out.
        clipped_right: Characters after ``text`` were left out.
    """

    text: str
    start: int
    clipped_left: bool
    clipped_right: bool

    def column(self, column: int) -> int:
        """The 1-based column in ``text`` of the line's 1-based ``column`` (clamped into the window)."""
        return min(max(column - self.start, 1), len(self.text) + 1)


def line_window(line: str, column: int, end_column: int = 0, width: int = WINDOW_CHARS) -> LineWindow:
    """The window of ``line`` around the 1-based span ``column``..``end_column`` (exclusive).

    The span's start is always inside; a quarter of the window shows what precedes it, and
    the rest the span and what follows (a long span is cut at the window's end).
    """
    if len(line) <= width:
        return LineWindow(line, 0, False, False)
    begin = min(max(column - 1 - width // 4, 0), len(line) - width)
    return LineWindow(line[begin: begin + width], begin, begin > 0, begin + width < len(line))


def rule_doc_url(rule_id: str) -> str:
    """The URL of a rule's generated documentation page."""
    return f"{RULE_DOCS_URL}{rule_id}.md"


def plural(n: int, word: str, many: str | None = None) -> str:
    """``"1 file"``, ``"2 files"``."""
    return f"{n} {word if n == 1 else (many or word + 's')}"


def lines_from_texts(texts: Mapping[str, str]) -> SourceLine:
    """Build a ``source_line`` callable from ``{path: file text}``.

    Args:
        texts: Head file contents by repository-relative path.

    Returns:
        A function giving the 1-based line of a path without its line ending, or ``None``.
    """
    cache: dict[str, list[str]] = {}

    def source_line(path: str, line: int) -> str | None:
        if path not in texts or line < 1:
            return None
        lines = cache.get(path)
        if lines is None:
            lines = cache[path] = [ln.removesuffix("\r") for ln in texts[path].split("\n")]
        return lines[line - 1] if line <= len(lines) else None

    return source_line


def lines_from_reader(read: Callable[[str], bytes]) -> SourceLine:
    """Build a ``source_line`` callable from a byte reader such as ``Snapshot.read``.

    Each file is read and decoded (UTF-8, undecodable bytes replaced) once, on first use;
    a file that cannot be read yields ``None`` rather than an error.

    Args:
        read: ``path -> bytes`` of the head revision; may raise ``OSError``/``KeyError``.
    """
    cache: dict[str, list[str] | None] = {}

    def source_line(path: str, line: int) -> str | None:
        if path not in cache:
            try:
                text = read(path).decode("utf-8", errors="replace").removeprefix("\ufeff")
            except (OSError, LookupError, ValueError):
                cache[path] = None
            else:
                cache[path] = [ln.removesuffix("\r") for ln in text.split("\n")]
        lines = cache[path]
        if lines is None or not 1 <= line <= len(lines):
            return None
        return lines[line - 1]

    return source_line
