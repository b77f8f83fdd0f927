"""Inline suppressions: ``// schemacheck:ignore FIELD_NO_DELETE -- reason`` next to an element.

Maintainers: a *scanner* per format finds suppression directives in a head file's text and
says which lines each one covers (its own line, and for a comment on a line of its own the
next code line below it). :func:`apply_suppressions` drops findings whose head location
starts on a covered line and whose rule the directive names (IDs, aliases, deprecated IDs or
categories, comma-separated), then asks the ``meta`` rules
(``rules/meta/suppressions.py``) to judge each directive: without a reason, unused, or
naming an unknown rule. Only files that have findings or changed are read, and a
directive's base version is read only to tell whether it is new in this change (old
directives that now match nothing are not reported: the change they excused is merged).

Directive grammar, the same in every comment syntax::

    schemacheck:ignore RULE[, RULE...] [-- reason]      (``:`` or ``--`` or nothing before the reason)
    schemacheck: ignore[RULE, RULE] reason              (Python/ruff-like spelling)

Adding a format = ``register_scanner(fmt, scanner)``; :func:`comment_scanner` builds one for
any language with line and block comments. JSON/YAML's structural ``x-schemacheck-ignore``
key will be a scanner of its own, registered by that format.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Protocol

from .errors import ConfigError
from .model import Finding, Location, Severity
from .registry import REGISTRY, load_rules
from .snapshot import Snapshot

__all__ = [
    "Suppression",
    "SuppressionReview",
    "SuppressionOutcome",
    "SuppressionInputs",
    "Scanner",
    "SCANNER_BY_FORMAT",
    "register_scanner",
    "comment_scanner",
    "parse_directive",
    "apply_suppressions",
]

_DIRECTIVE = re.compile(
    r"schemacheck:\s*ignore(?:\[(?P<bracket>[^\]]*)\]|\s+(?P<ids>[A-Za-z][\w]*(?:\s*,\s*[A-Za-z][\w]*)*))"
    r"(?P<rest>.*)$"
)


@dataclass(frozen=True, slots=True)
class Suppression:
    """One directive in a head file.

    Attributes:
        rule_ids: The names written (upper-cased), in order.
        reason: The free-text justification ('' when missing).
        location: Where the directive is (the ``schemacheck:ignore`` text).
        covers: Head lines whose findings it suppresses.
    """

    rule_ids: tuple[str, ...]
    reason: str
    location: Location
    covers: tuple[int, ...]

    @property
    def key(self) -> tuple[tuple[str, ...], str]:
        """Identity independent of position, to recognise the same directive in base."""
        return self.rule_ids, self.reason


@dataclass(frozen=True, slots=True)
class SuppressionReview:
    """What the meta rules judge: one directive and how this run used it.

    Attributes:
        suppression: The directive.
        used: It suppressed at least one finding.
        new: It is not in the base version of the file (added by this change).
        checked: Every rule it names ran, so "unused" is meaningful.
        unknown: Names that are no rule, alias or category, each with the nearest valid names.
    """

    suppression: Suppression
    used: bool
    new: bool
    checked: bool
    unknown: tuple[tuple[str, tuple[str, ...]], ...] = ()


@dataclass(frozen=True, slots=True)
class SuppressionOutcome:
    """Findings kept (plus the meta rules' findings), findings suppressed, and every directive's review."""

    kept: tuple[Finding, ...]
    suppressed: tuple[Finding, ...] = ()
    reviews: tuple[SuppressionReview, ...] = ()
    suppressed_by: tuple[Suppression, ...] = ()  # the directive of each ``suppressed`` finding


class SuppressionInputs(Protocol):
    """What :func:`apply_suppressions` consults (``filters.FilterContext`` is one; this module
    does not import it, so the filter stage depends on suppressions and not the reverse).

    Attributes:
        base: The old revision (to tell whether a directive is new).
        head: The new revision (directives are read here).
        changed: Head paths whose content changed, with their format.
        rules_run: Rule IDs that ran.
        meta_rules: Selected ``meta`` rule IDs.
        renames: Base path -> head path of renamed files.
        unreadable: Paths with an error diagnostic (a parse error): their findings were not
            computed, so their directives are not judged (an "unused" one would be a lie).
    """

    @property
    def base(self) -> Snapshot: ...
    @property
    def head(self) -> Snapshot: ...
    @property
    def changed(self) -> Mapping[str, str]: ...
    @property
    def rules_run(self) -> frozenset[str]: ...
    @property
    def meta_rules(self) -> frozenset[str]: ...
    @property
    def renames(self) -> Mapping[str, str]: ...
    @property
    def unreadable(self) -> frozenset[str]: ...


#: (path, text) -> directives found in the file.
Scanner = Callable[[str, str], list[Suppression]]


def parse_directive(comment: str) -> tuple[tuple[str, ...], str] | None:
    """Parse the text of one comment; ``(rule names, reason)`` or ``None`` if it is no directive."""
    match = _DIRECTIVE.search(comment)
    if match is None:
        return None
    raw = match.group("bracket") if match.group("bracket") is not None else match.group("ids")
    ids = tuple(part.strip().upper() for part in raw.split(",") if part.strip())
    reason = match.group("rest").strip()
    for sep in ("--", "—", ":"):
        if reason.startswith(sep):
            reason = reason[len(sep):].strip()
            break
    return ids, reason


def _comment_spans(line: str, in_block: bool, line_tokens: tuple[str, ...],
                   block: tuple[str, str] | None, quotes: str) -> tuple[list[tuple[int, str]], bool, bool]:
    """Comments on one line: [(start column 0-based, text)], still-in-block, code-before-first-comment."""
    spans: list[tuple[int, str]] = []
    i, quote, code_seen = 0, "", False
    while i < len(line):
        if in_block:
            assert block is not None
            end = line.find(block[1], i)
            spans.append((i, line[i:] if end < 0 else line[i:end]))
            if end < 0:
                return spans, True, code_seen
            in_block, i = False, end + len(block[1])
            continue
        ch = line[i]
        if quote:
            if ch == "\\":
                i += 2
                continue
            quote = "" if ch == quote else quote
        elif ch in quotes:
            quote, code_seen = ch, True
        elif any(line.startswith(tok, i) for tok in line_tokens):
            spans.append((i, line[i:]))
            return spans, False, code_seen
        elif block and line.startswith(block[0], i):
            in_block, i = True, i + len(block[0])
            continue
        elif not ch.isspace() and not spans:
            code_seen = True
        i += 1
    return spans, in_block, code_seen


def comment_scanner(line_tokens: tuple[str, ...], block: tuple[str, str] | None = None, quotes: str = "\"'") -> Scanner:
    """A scanner for a language with ``line_tokens`` comments and optional ``block`` comments."""

    def scan(path: str, text: str) -> list[Suppression]:
        if "schemacheck" not in text:  # nearly every file: skip the comment walk entirely
            return []
        lines = text.splitlines()
        comment_only: list[bool] = []
        found: list[tuple[int, int, tuple[str, ...], str, bool]] = []
        in_block = False
        for number, line in enumerate(lines, start=1):
            spans, in_block, code_seen = _comment_spans(line, in_block, line_tokens, block, quotes)
            comment_only.append(bool(spans) and not code_seen)
            for col, body in spans:
                parsed = parse_directive(body)
                if parsed is not None:
                    offset = body.find("schemacheck")
                    found.append((number, col + offset + 1, parsed[0], parsed[1], not code_seen))
        out = []
        for number, col, ids, reason, own_line in found:
            covers = [number]
            if own_line:
                nxt = number  # index of the line after ``number`` (0-based == number)
                while nxt < len(lines) and comment_only[nxt]:
                    nxt += 1
                if nxt < len(lines) and lines[nxt].strip():
                    covers.append(nxt + 1)
            end = col + len("schemacheck:ignore")
            out.append(Suppression(ids, reason, Location(path, number, col, number, end), tuple(covers)))
        return out

    return scan


#: Format name -> scanner of its comment syntax.
SCANNER_BY_FORMAT: dict[str, Scanner] = {
    "protobuf": comment_scanner(("//",), ("/*", "*/")),
    "python": comment_scanner(("#",)),
}


def register_scanner(fmt: str, scanner: Scanner) -> None:
    """Let a format's suppressions be found (``x-schemacheck-ignore`` for JSON, for example)."""
    SCANNER_BY_FORMAT[fmt] = scanner


def _expand(names: Iterable[str]) -> tuple[frozenset[str], tuple[tuple[str, tuple[str, ...]], ...]]:
    ids: set[str] = set()
    unknown = []
    for name in names:
        try:
            ids |= REGISTRY.expand([name], source="a suppression comment")
        except ConfigError:
            import difflib

            unknown.append((name, tuple(difflib.get_close_matches(name, REGISTRY.all_names(), n=3, cutoff=0.6))))
    return frozenset(ids), tuple(unknown)


def _read_text(snapshot: Snapshot, path: str) -> str | None:
    try:
        return snapshot.read(path).decode("utf-8", errors="replace")
    except (FileNotFoundError, OSError):
        return None


def _scan(snapshot: Snapshot, path: str, fmt: str) -> list[Suppression]:
    text = _read_text(snapshot, path)
    return SCANNER_BY_FORMAT[fmt](path, text) if text is not None else []


def apply_suppressions(findings: Iterable[Finding], ctx: SuppressionInputs) -> SuppressionOutcome:
    """Drop suppressed findings and add the meta rules' findings about the directives.

    Args:
        findings: Findings left after the other filters.
        ctx: Head/base snapshots, changed paths with their format, rules that ran, selected
            meta rules (:class:`SuppressionInputs`, e.g. a ``filters.FilterContext``).
    """
    findings = list(findings)
    files: dict[str, str] = {p: fmt for p, fmt in ctx.changed.items() if fmt in SCANNER_BY_FORMAT}
    for f in findings:
        if f.location is not None and f.format in SCANNER_BY_FORMAT:
            files.setdefault(f.location.path, f.format)
    if not files:  # nothing to scan and nothing to judge: skip loading the rule catalog
        return SuppressionOutcome(tuple(findings))
    load_rules("meta", *set(files.values()))
    directives = {path: _scan(ctx.head, path, fmt) for path, fmt in sorted(files.items())}
    expanded = {s: _expand(s.rule_ids) for sups in directives.values() for s in sups}
    used: set[Suppression] = set()
    kept, suppressed, suppressed_by = [], [], []
    for finding in findings:
        hit = None
        if finding.location is not None:
            for s in directives.get(finding.location.path, ()):
                if finding.location.line in s.covers and finding.rule_id in expanded[s][0]:
                    hit = s
                    break
        if hit is None:
            kept.append(finding)
        else:
            used.add(hit)
            suppressed.append(finding)
            suppressed_by.append(hit)
    reviews = []
    base_path_of = {head: base for base, head in ctx.renames.items()}
    for path, sups in directives.items():
        if not sups or path in ctx.unreadable:
            continue
        before = Counter(s.key for s in _scan(ctx.base, base_path_of.get(path, path), files[path]))
        for s in sups:
            new = before[s.key] <= 0
            before[s.key] -= 1
            ids, unknown = expanded[s]
            checked = bool(ids) and ids <= ctx.rules_run
            reviews.append(SuppressionReview(s, s in used, new, checked, unknown))
    kept.extend(_judge(reviews, ctx.meta_rules))
    return SuppressionOutcome(tuple(kept), tuple(suppressed), tuple(reviews), tuple(suppressed_by))


def _judge(reviews: Iterable[SuppressionReview], meta_rules: frozenset[str]) -> list[Finding]:
    out = []
    specs = [REGISTRY.rules[r] for r in sorted(meta_rules) if r in REGISTRY.rules]
    for review in reviews:
        for spec in specs:
            for v in spec.handler(review, None):
                out.append(Finding(spec.id, Severity(spec.severity), v.message, v.location, v.base_location,
                                   v.hint, spec.format, v.subject))
    return out
