"""The OpenAPI FormatChecker: load both revisions of each changed spec, validate, compare, report.

Maintainers: a spec is loaded by ``formats/openapi/loader.py`` (the JSON Schema loader plus the
version's dialect) and each revision gets its own :class:`RefResolver`, whose loader reads
referenced files of *that* revision in the spec's version; nothing outside the repository is
read and remote references are never fetched. Then:

- a head spec that does not load is an error diagnostic (exit 2); a base spec that does not
  load is a warning and the spec is not compared;
- a head spec is validated against its version's official schema (``validate-spec``); problems
  are warnings and the spec is still checked;
- a spec deleted (not renamed) is compared with an empty API: every path is ``PATH_REMOVED``;
- an unchanged spec is compared too when a file it references changed (found by the changed
  file's name in its text): every operation, since the change may sit under any ``$ref``;
- a ``$ref`` of head that does not resolve: a missing or unreadable repository file is an
  error diagnostic, a remote or outside reference a warning (the node is not compared);
- ``x-schemacheck-ignore`` keys (and YAML ``#`` comments) are suppressions, found by the
  JSON Schema scanner registered for this format too.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...checkers import BaseChecker, FormatJob, FormatOutcome, unique_findings
from ...errors import ParseError, SchemacheckError
from ...model import Diagnostic, Finding, Location, Severity
from ...scope import lookup
from ...snapshot import Snapshot

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from ...config import Settings
    from ...formats.jsonschema.refs import RefResolver
    from ...formats.openapi.model import Api
    from .lifecycle import Policy

__all__ = ["OpenApiChecker", "CHECKER"]

_ERROR_KINDS = frozenset({"missing", "unreadable"})


class OpenApiChecker(BaseChecker):
    """Checks OpenAPI 3.0, 3.1 and Swagger 2.0 documents (JSON or YAML)."""

    name = "openapi"

    def configured_globs(self, settings: Settings) -> tuple[tuple[str, str], ...]:
        return tuple(("openapi.include", g) for g in settings.openapi.include)

    def claims(self, path: str, snapshot: Snapshot | None, settings: Settings | None = None,
               named: tuple[str, ...] = ()) -> bool:
        """An ``include`` glob match, or a top-level ``openapi: 3.x`` / ``swagger: "2.0"`` key."""
        include = settings.openapi.include if settings is not None else ()
        if not include and not path.lower().endswith((".json", ".yaml", ".yml")):
            return False  # decided without importing the OpenAPI front end
        from ...formats.openapi.detect import is_openapi

        return is_openapi(path, snapshot, include)

    def may_affect(self, path: str) -> bool:
        """Any JSON/YAML file may be a ``$ref`` target of a spec."""
        return path.lower().endswith((".json", ".yaml", ".yml"))

    def reached_by(self, related: Iterable[str], head_paths: Sequence[str], head: Snapshot) -> bool:
        """Whether a head file of this format names a changed JSON/YAML file (only those are claimed)."""
        from ...formats.jsonschema.blobindex import any_file_naming

        return any_file_naming(related, head_paths, head)

    def check(self, job: FormatJob) -> FormatOutcome:
        from ...config import Settings

        settings = job.settings or Settings()
        run = _Run(job, settings)
        base_set, head_set = lookup(job.base_paths), lookup(job.head_paths)  # lookups: no side is listed
        old_of = {new: old for old, new in job.renames.items()}
        for path in sorted(p for p in job.changed if p in head_set):
            old_path = old_of.get(path, path)
            run.compare(old_path if old_path in base_set else None, path, validate=settings.openapi.validate_spec)
        related = {p for p in job.changed if p not in head_set and p not in base_set}
        for path in _dependents(job, related):
            run.compare(path, path, validate=False, all_operations=True)
        renamed_from = set(job.renames)
        for path in sorted(p for p in job.changed if p in base_set and p not in head_set and p not in renamed_from):
            if not run.unreadable_in_head(path):  # still there but no longer detected (UTF-16, ...)
                run.compare(path, None, validate=False)
        targets = tuple(sorted(p for p in job.changed if p in head_set))
        return FormatOutcome(tuple(unique_findings(run.findings)), tuple(run.diagnostics), run.checked, job.selected, targets)


class _Run:
    """The state of one check: findings, diagnostics, files compared."""

    def __init__(self, job: FormatJob, settings: Settings) -> None:
        self.job, self.settings = job, settings
        self.findings: list[Finding] = []
        self.diagnostics: list[Diagnostic] = []
        self.checked = 0

    def compare(self, old_path: str | None, new_path: str | None, *, validate: bool,
                all_operations: bool = False) -> None:
        from .compare import compare_apis, empty_api

        self.checked += 1
        old = self._load(self.job.base, old_path, Severity.WARNING) if old_path else None
        base_data = old[0].doc.data if old is not None and old[0].doc is not None else None
        new = self._load(self.job.head, new_path, Severity.ERROR, validate, base_data) if new_path else None
        if new_path and new is None:
            return
        if new is not None and old is None and old_path is None:
            self._unresolved(new[1])  # a new spec: nothing to compare, but its $refs must resolve
            return
        if old is None:
            return
        new_api, new_refs = new if new is not None else (empty_api(old_path or "", old[0].version), old[1])
        views = {side: (_View(self.job.base, old[0], side),
                        _View(self.job.head, new[0], side) if new is not None else _View(self.job.base, old[0], side))
                 for side in ("request", "response")}
        try:
            self.findings.extend(compare_apis(old[0], new_api, views, self.job.selected,
                                              all_operations=all_operations, policy=self._policy(),
                                              refs=(old[1], new_refs)))
        except RecursionError:
            self.diagnostics.append(Diagnostic("the document is nested or recursive beyond what can be compared; "
                                               "it was not checked", Location(new_api.path, 1, 1, 1, 1)))
        if new is not None:
            self._unresolved(new[1])
            for _, head_view in views.values():
                if isinstance(head_view, _View) and head_view.made is not None:
                    self._unresolved(head_view.made)

    def _policy(self) -> Policy:
        from .lifecycle import Policy

        return Policy(deprecation_days=self.settings.openapi.deprecation_days)

    def unreadable_in_head(self, path: str) -> bool:
        """Whether a base spec that detection no longer finds in head is still there but does not
        load (an input error, recorded) rather than deleted or turned into another kind of file."""
        from ...formats.openapi.loader import NotOpenApi, load_spec

        try:
            if not self.job.head.exists(path):
                return False
            load_spec(path, self.job.head.read(path))
        except NotOpenApi:
            return False
        except ParseError as exc:
            location = Location(exc.path, exc.line, exc.column, exc.line, exc.column + 1) if exc.line \
                else Location(exc.path)
            self.diagnostics.append(Diagnostic(exc.detail, location, Severity.ERROR, exc.tip or ""))
            return True
        except (SchemacheckError, OSError) as exc:
            self.diagnostics.append(Diagnostic(f"cannot be read: {exc}", Location(path), Severity.ERROR))
            return True
        return False

    def _load(self, snapshot: Snapshot, path: str, severity: Severity, validate: bool = False,
              base: object = None) -> tuple[Api, RefResolver] | None:
        from ...formats.jsonschema.refs import RefResolver
        from ...formats.openapi.build import build_api
        from ...formats.openapi.loader import NotOpenApi, load_spec, spec_loader
        from ...globs import matches_any

        try:
            doc, version, problems = load_spec(path, snapshot.read(path), validate, base)
        except NotOpenApi as exc:
            if not matches_any(path, self.settings.openapi.include):
                severity = Severity.INFO  # the text pre-filter matched a nested key: not ours; say so
            remark = Diagnostic(exc.detail, Location(path), severity, exc.tip or "")
            if remark not in self.diagnostics:  # said once for both revisions
                self.diagnostics.append(remark)
            return None
        except ParseError as exc:
            location = Location(exc.path, exc.line, exc.column, exc.line, exc.column + 1) if exc.line \
                else Location(exc.path)
            prefix = "" if severity is Severity.ERROR else "base version not compared: "
            self.diagnostics.append(Diagnostic(prefix + exc.detail, location, severity, exc.tip or ""))
            return None
        except (SchemacheckError, OSError) as exc:
            self.diagnostics.append(Diagnostic(f"cannot be read: {exc}", Location(path), severity))
            return None
        self.diagnostics.extend(problems)
        refs = RefResolver(spec_loader(snapshot, version), (doc,))
        return build_api(doc, version, refs), refs

    def _unresolved(self, refs: RefResolver) -> None:
        """Head ``$ref``s that did not resolve: missing files are input errors, remote ones warnings."""
        seen = {(d.location, d.message) for d in self.diagnostics}
        for problem in refs.unresolved.values():
            severity = Severity.ERROR if problem.kind in _ERROR_KINDS else Severity.WARNING
            diagnostic = Diagnostic(problem.message, problem.location, severity,
                                    "Fix the reference; remote references are never fetched." if severity is
                                    Severity.ERROR else "")
            if (diagnostic.location, diagnostic.message) not in seen:
                seen.add((diagnostic.location, diagnostic.message))
                self.diagnostics.append(diagnostic)


class _View:
    """Makes (once, on first use) a revision's resolver over its request or response view
    (``formats/openapi/views.py``: readOnly/writeOnly applied)."""

    def __init__(self, snapshot: Snapshot, api: Api, side: str) -> None:
        self.snapshot, self.api, self.side = snapshot, api, side
        self.made: RefResolver | None = None

    def __call__(self) -> RefResolver:
        from ...formats.jsonschema.refs import RefResolver
        from ...formats.openapi.loader import spec_loader
        from ...formats.openapi.views import document_view

        if self.made is None:
            assert self.api.doc is not None
            self.made = RefResolver(spec_loader(self.snapshot, self.api.version, self.side),
                                    (document_view(self.api.doc, self.side),))
        return self.made



def _dependents(job: FormatJob, related: set[str]) -> list[str]:
    """Unchanged specs (in both revisions) whose text names a changed related file (a ``$ref`` target)."""
    if not related:
        return []
    from ...formats.jsonschema.blobindex import BlobIndex, file_names, files_naming

    base_set = lookup(job.base_paths)
    return sorted(p for p in files_naming(job.head_paths, BlobIndex.of(job.head), file_names(related), job.changed)
                  if p in base_set)


CHECKER = OpenApiChecker()


def _register_suppressions() -> None:
    from ...suppress import register_scanner
    from ..jsonschema.checker import _scan_suppressions  # imported lazily, as for JSON Schema

    register_scanner("openapi", _scan_suppressions)


_register_suppressions()
