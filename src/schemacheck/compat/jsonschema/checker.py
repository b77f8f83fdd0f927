"""The JSON Schema FormatChecker: load both revisions of each changed schema, compare, report.

Maintainers: the work is proportional to the change: only changed files are loaded, plus the
files their ``$ref``s reach (loaded lazily by each revision's :class:`RefResolver`, from that
same revision). Pairing inside a file and every rule belong to the shape engine (what
``compat.shape.jsonschema_pair.compare_documents`` does, through :class:`.compare.PairComparer`
which shares shape builders across the files of one check); this module only wires files,
settings and diagnostics:

- a head file that does not load, or is not valid against its metaschema, is an error
  diagnostic (exit 2) and is not compared; a broken base file is a warning and is skipped;
- each unresolved ``$ref`` of a compared head file: if the same reference resolved in base,
  a ``REF_TARGET_REMOVED`` finding; else a missing or unreadable repository target is an
  error diagnostic (exit 2), and a remote URI, a path outside the repository, an unknown
  ``$id`` or a ``$ref``-only cycle a warning; the engine treats that node as unknown;
- a changed file that the runner passes without claiming it (``may_affect``: any JSON/YAML
  file, e.g. a ``$ref`` target without ``$schema``) is never compared itself: it only makes
  the files that reference it dependents (below);
- besides the root, each top-level ``$defs``/``definitions`` entry whose text changed and that
  the root does not reach is compared as a root of its own (a bundle's definitions are its
  API even when the root does not use them);
- an unchanged file that references a changed one (found by the changed file's name in its
  text, transitively) is compared too: its effective schema changed; findings reached through
  several files are reported once. Questions asked of every unchanged file (does it name a
  changed file, which ``$id``s does it declare, which ``$ref``s does it hold) are answered from
  the per-blob index (``formats/jsonschema/blobindex.py``, kept in the disk cache), so a file is
  read once, ever; in a partial clone run with ``--fetch-missing`` the blobs the comparison
  will load are predicted from that index (:meth:`will_read`) and fetched with the change's
  own, in one batch, before anything is read (``prefetch.py``);
- a schema file deleted (not renamed) is a ``SCHEMA_FILE_NO_DELETE`` finding, and a top-level
  definition a changed file no longer has a ``DEFINITION_REMOVED`` one (file-level rules,
  ``file_changes.py``): an error while something still needs it (``definitions.py``), else info;
- ``x-schemacheck-ignore`` (and YAML ``#`` comment) suppressions are found by the scanner
  this module registers with :mod:`schemacheck.suppress` when it is imported;
- mode and policy come from ``[tool.schemacheck.jsonschema]``; the *last* matching entry of
  ``overrides`` wins for a path.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from ...checkers import BaseChecker, FormatJob, FormatOutcome, unique_findings
from ...errors import ParseError, SchemacheckError
from ...globs import matches_any
from ...model import Diagnostic, Finding, Location, Severity
from ...formats.jsonschema.detect import is_json_or_yaml, is_json_schema  # small: asked of every path
from ...scope import lookup
from ...snapshot import SingleFileSnapshot, Snapshot
from .file_changes import DEFINITION_RULE, DELETE_RULE, DeletedFile, file_findings

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from ...config import Settings
    from ...runner import CheckRequest
    from ...formats.jsonschema.document import JsonDocument
    from .settings import JsonSchemaSettings
    from ...formats.jsonschema.blobindex import BlobIndex
    from ...formats.jsonschema.refs import RefResolver
    from .compare import PairComparer

__all__ = ["JsonSchemaChecker", "CHECKER", "mode_and_policy", "snapshot_loader", "id_candidates", "DELETE_RULE"]

#: The engine's "could not compare" rule, which an unresolved $ref also triggers.
UNDECIDABLE_RULE = "SCHEMA_CHANGE_UNDECIDABLE"


def snapshot_loader(snapshot: Snapshot) -> Callable[[str], JsonDocument]:
    """A loader for :class:`RefResolver` that reads and parses files of ``snapshot``."""
    from ...formats.jsonschema.loader import load_document
    from ...formats.jsonschema.refs import read_ref_target

    def load(path: str) -> JsonDocument:
        raw = read_ref_target(snapshot, path)
        return load_document(path, raw)

    return load


def id_candidates(snapshot: Snapshot) -> Callable[[str], list[str]]:
    """Which JSON/YAML files of ``snapshot`` declare a given ``$id`` (scanned once, on the first miss).

    Both revisions get one, so a reference by ``$id`` resolves the same way on both sides
    whatever else was loaded (a ``$id`` reference is never "removed" because the base happened
    to have loaded its target and the head had not).
    """
    from ...formats.jsonschema.blobindex import BlobIndex
    from ...formats.jsonschema.ids import IdCandidates

    return IdCandidates(lambda: (p for p in snapshot.paths() if is_json_or_yaml(p)), BlobIndex.of(snapshot).ids)


def mode_and_policy(path: str, settings: JsonSchemaSettings) -> tuple[str, str]:
    """The compatibility mode and policy for ``path``: the defaults, then matching overrides in order."""
    mode, policy = settings.mode, settings.policy
    for override in settings.overrides:
        if matches_any(path, override.paths):
            mode = override.mode or mode
            policy = override.policy or policy
    return mode, policy


class JsonSchemaChecker(BaseChecker):
    """Checks JSON Schema files (drafts 4, 6, 7, 2019-09, 2020-12; JSON or YAML)."""

    name = "jsonschema"

    def configured_globs(self, settings: Settings) -> tuple[tuple[str, str], ...]:
        """``include`` and each override's ``paths``: a glob there that matches nothing is a typo."""
        own = settings.jsonschema
        globs = [("jsonschema.include", g) for g in own.include]
        for i, override in enumerate(own.overrides):
            globs.extend((f"jsonschema.overrides[{i}].paths", g) for g in override.paths)
        return tuple(globs)

    def claims(self, path: str, head: Snapshot | None, settings: Settings | None = None,
               named: tuple[str, ...] = ()) -> bool:
        """Whether ``path`` is a JSON Schema.

        A JSON/YAML file named on the command line (a PATH argument, or the single file of
        ``NEW --against OLD``) is one; otherwise ``include`` globs, ``*.schema.json`` names, or a
        sniffed ``$schema`` decide.
        """
        if is_json_or_yaml(path) and (path in named or isinstance(head, SingleFileSnapshot)):
            return True
        include = settings.jsonschema.include if settings is not None else ()
        return is_json_schema(path, head, include)

    def may_affect(self, path: str) -> bool:
        """Whether an unclaimed changed file may still matter: any JSON/YAML file can be a ``$ref`` target.

        The runner passes such files in ``FormatJob.changed`` (outside ``head_paths``); :meth:`check`
        compares the schemas that reference them, and only those.
        """

        return is_json_or_yaml(path)

    def reached_by(self, related: Iterable[str], head_paths: Sequence[str], head: Snapshot) -> bool:
        """Whether a head file of this format names a changed JSON/YAML file (only those are claimed)."""
        from ...formats.jsonschema.blobindex import any_file_naming

        return any_file_naming(related, head_paths, head)

    def will_read(self, request: CheckRequest) -> list[tuple[Snapshot, set[str]]]:
        """In a partial clone run with ``--fetch-missing``: the dependents and what the change
        reaches by ``$ref``, predicted from the per-blob index without a read (``prefetch.py``)."""
        from .prefetch import predicted

        return predicted(request)

    def check(self, job: FormatJob) -> FormatOutcome:
        from ...formats.jsonschema.blobindex import close_index

        try:
            return self._check(job)
        finally:
            close_index()  # what this run learnt about blobs, for the next one (one write)

    def _check(self, job: FormatJob) -> FormatOutcome:
        from ...config import Settings
        from ...formats.jsonschema.blobindex import BlobIndex
        from ...formats.jsonschema.document import JsonDocument
        from ...formats.jsonschema.refs import RefResolver
        from .compare import PairComparer
        from .dangling import unresolved_outcome

        from .prefetch import fetch_reached, fetching

        settings = job.settings or Settings()
        indexes = {True: BlobIndex.of(job.head), False: BlobIndex.of(job.base)}
        dependents = _dependents(job, indexes[True])
        if fetching(job):  # a partial clone with --fetch-missing: what the comparison reads, in one batch
            fetch_reached(job, indexes, dependents)
        old_refs = RefResolver(snapshot_loader(job.base), id_candidates=id_candidates(job.base))
        new_refs = RefResolver(snapshot_loader(job.head), id_candidates=id_candidates(job.head))
        comparer = PairComparer(old_refs, new_refs, job.selected)
        findings: list[Finding] = []
        diagnostics: list[Diagnostic] = []
        old_of = {new: old for old, new in job.renames.items()}
        base_set, head_set = lookup(job.base_paths), lookup(job.head_paths)  # lookups: no side is listed
        checked = 0
        for path in sorted(p for p in job.changed if p in head_set):
            checked += 1
            new_doc = self._head_document(path, new_refs, diagnostics)
            old_path = old_of.get(path, path)
            old_doc = self._base_document(old_path, old_refs, diagnostics) if old_path in base_set else None
            if new_doc is None or not self._valid(new_doc, old_doc, diagnostics):
                continue
            if old_doc is None:
                self._resolve_new(comparer, new_doc, diagnostics)
                continue
            mode, policy = mode_and_policy(path, settings.jsonschema)
            findings.extend(self._compare(comparer, old_doc, new_doc, mode, policy, diagnostics))
            findings.extend(self._removed_definitions(job, old_doc, new_doc, settings.severity))
        for path in dependents:
            # Unchanged itself, but a file it references changed: its effective schema did too.
            checked += 1
            old_doc, new_doc = old_refs.document(path), new_refs.document(path)
            if isinstance(old_doc, JsonDocument) and isinstance(new_doc, JsonDocument):
                mode, policy = mode_and_policy(path, settings.jsonschema)
                findings.extend(self._compare(comparer, old_doc, new_doc, mode, policy, diagnostics,
                                              definitions=False))
        renamed_from = set(job.renames)
        for path in sorted(p for p in job.changed if p in base_set and p not in head_set and p not in renamed_from):
            checked += 1
            findings.extend(file_findings(DELETE_RULE, DeletedFile(path), job.selected, settings.severity))
        ref_findings, ref_diagnostics = unresolved_outcome(new_refs, old_refs, old_of, job.selected,
                                                           settings.severity)
        # A dangling $ref reported as such needs no "not compared" warning at the same place.
        dangling = {f.location for f in ref_findings} | {d.location for d in ref_diagnostics
                                                          if d.severity is Severity.ERROR}
        findings = [f for f in findings if not (f.rule_id == UNDECIDABLE_RULE and f.location in dangling)]
        findings.extend(ref_findings)
        diagnostics.extend(ref_diagnostics)
        targets = tuple(sorted(p for p in job.changed if p in head_set))
        return FormatOutcome(tuple(unique_findings(findings)), tuple(diagnostics), checked, job.selected, targets)

    @staticmethod
    def _removed_definitions(job: FormatJob, old_doc: JsonDocument, new_doc: JsonDocument,
                             severity: dict) -> list[Finding]:
        """``DEFINITION_REMOVED``: an error when still needed (``definitions.py``), else info."""
        from dataclasses import replace

        from ...formats.jsonschema.blobindex import BlobIndex
        from .compare import removed_definitions
        from .definitions import still_needed

        removed = removed_definitions(old_doc, new_doc)
        if not removed or (job.selected and DEFINITION_RULE not in job.selected):
            return []
        needed = still_needed(old_doc, new_doc, [r.pointer for r in removed], BlobIndex.of(job.head).refs,
                              (p for p in job.head.paths() if is_json_or_yaml(p)))
        out: list[Finding] = []
        for definition in removed:
            because = needed.get(definition.pointer, "")
            found = file_findings(DEFINITION_RULE, replace(definition, needed_because=because), job.selected,
                                  severity)
            if not because and DEFINITION_RULE not in severity:  # a configured severity wins
                found = [replace(f, severity=Severity.INFO) for f in found]
            out.extend(found)
        return out

    @staticmethod
    def _head_document(path: str, refs: RefResolver, diagnostics: list[Diagnostic]) -> JsonDocument | None:
        doc = refs.document(path)
        if isinstance(doc, SchemacheckError):
            diagnostics.append(_error_diagnostic(doc, path, Severity.ERROR))
            return None
        return doc

    @staticmethod
    def _valid(doc: JsonDocument, base: JsonDocument | None, diagnostics: list[Diagnostic]) -> bool:
        """Metaschema validation of what changed (of the whole file when it is new)."""
        from ...formats.jsonschema.metaschema import FULL_VALIDATION_BYTES, check_metaschema

        problem = check_metaschema(doc, base, doc.size)
        if problem is not None:
            diagnostics.append(Diagnostic(problem.message, problem.location, Severity.ERROR,
                                          "Fix the schema so that it validates against its $schema dialect."))
            return False
        if base is None and doc.size > FULL_VALIDATION_BYTES:
            diagnostics.append(Diagnostic(f"{doc.path} is new and larger than {FULL_VALIDATION_BYTES >> 20} MB: "
                                          "it was not validated against its metaschema",
                                          Location(doc.path), Severity.INFO))
        return True

    @staticmethod
    def _base_document(path: str, refs: RefResolver, diagnostics: list[Diagnostic]) -> JsonDocument | None:
        doc = refs.document(path)
        if isinstance(doc, SchemacheckError):
            diag = _error_diagnostic(doc, path, Severity.WARNING)
            diagnostics.append(Diagnostic(f"base version not compared: {diag.message}", diag.location,
                                          Severity.WARNING))
            return None
        return doc

    @staticmethod
    def _resolve_new(comparer: PairComparer, new_doc: JsonDocument, diagnostics: list[Diagnostic]) -> None:
        try:
            comparer.resolve_new(new_doc)
        except RecursionError:
            diagnostics.append(Diagnostic("schema is nested or recursive beyond what can be checked; its $refs "
                                          "were not all followed", Location(new_doc.path, 1, 1, 1, 1),
                                          Severity.WARNING))

    @staticmethod
    def _compare(comparer: PairComparer, old_doc: JsonDocument, new_doc: JsonDocument, mode: str, policy: str,
                 diagnostics: list[Diagnostic], definitions: bool = True) -> list[Finding]:
        try:
            return comparer.compare(old_doc, new_doc, mode, policy, definitions=definitions)
        except RecursionError:
            diagnostics.append(Diagnostic("schema is nested or recursive beyond what can be compared; "
                                          "it was not checked", Location(new_doc.path, 1, 1, 1, 1)))
            return []



def _dependents(job: FormatJob, index: BlobIndex, max_rounds: int = 8) -> list[str]:
    """Unchanged schema files (in both revisions) that reference a changed one, transitively.

    Cheap by design: a file is a candidate when its head text contains the *file name* of a
    changed file (as any relative or ``$id`` reference must); only candidates are parsed, by
    the caller. A false candidate costs a comparison that finds nothing. The texts are asked
    through the per-blob index (``index``), which answers without reading a blob it has seen.
    """
    from ...formats.jsonschema.blobindex import file_names, files_naming

    base_set = lookup(job.base_paths)
    skip = set(job.changed)
    needles = file_names(skip)
    found: list[str] = []
    for _ in range(max_rounds):
        new = [p for p in files_naming(job.head_paths, index, needles, skip) if p in base_set]
        if not new:
            break
        found.extend(new)
        skip.update(new)
        needles = file_names(new)
    return sorted(found)


def _error_diagnostic(error: SchemacheckError, path: str, severity: Severity) -> Diagnostic:
    """A diagnostic whose message is the problem alone (the reporter prints the location)."""
    if isinstance(error, ParseError):
        location = Location(error.path, error.line, error.column, error.line, error.column + 1) if error.line \
            else Location(error.path)
        return Diagnostic(error.detail, location, severity, error.tip or "")
    return Diagnostic(error.message, Location(path), severity, error.tip or "")


CHECKER = JsonSchemaChecker()


def _scan_suppressions(path: str, text: str) -> list:
    """The JSON/YAML suppression scanner, imported when a file is scanned (not by every run)."""
    from ...formats.jsonschema.suppressions import scan_suppressions

    return scan_suppressions(path, text)


def _register_suppressions() -> None:
    from ...suppress import register_scanner

    register_scanner("jsonschema", _scan_suppressions)


_register_suppressions()
