"""The Python DTO FormatChecker: changed ``.py`` files -> DTO classes of both revisions -> findings.

Maintainers: ``claims`` is by name only (``*.py`` within ``include``), so listing costs
nothing; ``check`` reads each changed file's bytes and applies the text pre-filter
(``formats/python/prefilter.py``) before anything imports libcst: a change that touches no
DTO module returns at once. Only DTO modules are parsed, plus the modules their bases, nested
types and aliases come from (same revision, on demand). Roles come from
``[tool.schemacheck.python] roles`` (last match wins), else from FastAPI routes found in
the parsed modules and in files whose text mentions FastAPI, else ``both``. A file that does
not parse in head is an error diagnostic; in base a warning. What the front end could not
read statically (custom alias generators, serializers, types from outside the repository)
is an info diagnostic at its position in a changed head file.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...checkers import BaseChecker, FormatJob, FormatOutcome
from ...errors import ParseError, SchemacheckError
from ...formats.python.prefilter import is_python_path, local_imports, mentions_dto
from ...globs import matches_any
from ...model import Diagnostic, Finding, Location, Severity
from ...snapshot import Snapshot

if TYPE_CHECKING:
    from ...config import Settings
    from ...formats.python.classes import Extractor
    from ...formats.python.dto import DtoClass
    from .settings import PythonSettings

__all__ = ["PythonChecker", "CHECKER", "is_dto_module"]


def _read(snapshot: Snapshot, path: str) -> bytes | None:
    try:
        return snapshot.read(path) if snapshot.exists(path) else None
    except (OSError, SchemacheckError):
        return None


def is_dto_module(snapshot: Snapshot, path: str, depth: int = 0) -> bool:
    """The pre-filter: the file names a DTO framework, or imports from a repository module that does."""
    data = _read(snapshot, path)
    if data is None:
        return False
    if mentions_dto(data):
        return True
    if depth >= 3:
        return False
    from ...formats.python.project import module_name

    here = module_name(path)
    for module in local_imports(data):
        if module.startswith("."):
            dots = len(module) - len(module.lstrip("."))
            parts = here.split(".")
            keep = len(parts) - dots + (1 if path.endswith("__init__.py") else 0)
            module = ".".join([*parts[:max(keep, 0)], *([module.lstrip(".")] if module.lstrip(".") else [])])
        target = _module_file(snapshot, module, path)
        if target is not None and target != path and is_dto_module(snapshot, target, depth + 1):
            return True
    return False


def _module_file(snapshot: Snapshot, module: str, importer: str) -> str | None:
    rel = module.replace(".", "/")
    directory = importer.rsplit("/", 1)[0] if "/" in importer else ""
    roots = []
    while directory:
        roots.append(directory + "/")
        directory = directory.rsplit("/", 1)[0] if "/" in directory else ""
    for root in [*roots, "", "src/"]:
        for candidate in (f"{root}{rel}.py", f"{root}{rel}/__init__.py"):
            if snapshot.exists(candidate):
                return candidate
    return None


class PythonChecker(BaseChecker):
    """Checks Python DTO classes (pydantic v1/v2, dataclasses, TypedDict, attrs, msgspec)."""

    name = "python"

    def configured_globs(self, settings: Settings) -> tuple[tuple[str, str], ...]:
        own = settings.python
        globs = [("python.include", g) for g in own.include]
        for i, role in enumerate(own.roles):
            globs.extend((f"python.roles[{i}].paths", g) for g in role.paths if g != "**")
        return tuple(globs)

    def claims(self, path: str, snapshot: Snapshot | None, settings: Settings | None = None,
               named: tuple[str, ...] = ()) -> bool:
        """A ``.py`` file (within ``include`` when set); its content is judged in :meth:`check`."""
        if not is_python_path(path):
            return False
        include = settings.python.include if settings is not None else ()
        return not include or matches_any(path, include) or path in named

    def worth_checking(self, path: str, snapshot: Snapshot) -> bool:
        """The text pre-filter (no libcst): a changed ``.py`` file that defines no DTO needs no job."""
        return is_dto_module(snapshot, path)

    def check(self, job: FormatJob) -> FormatOutcome:
        from ...config import Settings

        settings = job.settings or Settings()
        own = settings.python
        head_set, base_set = set(job.head_paths), set(job.base_paths)
        old_of = {new: old for old, new in job.renames.items()}
        new_paths = sorted(p for p in job.changed if p in head_set and is_dto_module(job.head, p))
        old_paths = sorted({old_of.get(p, p) for p in job.changed if p in base_set or p in old_of}
                           & base_set)
        old_paths = [p for p in old_paths if is_dto_module(job.base, p)]
        # A base DTO module whose head no longer names a framework is still read in head: if it
        # does not parse, that is an input error (its classes are unchecked, not "removed");
        # only a head that parses without them removes its classes.
        new_of = dict(job.renames)
        kept = {new_of.get(p, p) for p in old_paths} & head_set
        new_paths = sorted(set(new_paths) | {p for p in kept if p in job.changed})
        if not new_paths and not old_paths:
            return FormatOutcome()  # the cheap path: no DTO module changed, libcst never imported
        return self._check(job, settings, own, old_paths, new_paths)

    def _check(self, job: FormatJob, settings: Settings, own: PythonSettings, old_paths: list[str],
               new_paths: list[str]) -> FormatOutcome:
        from ...formats.python.classes import Extractor
        from ...formats.python.project import Project
        from ...formats.python.to_shape import ShapeBuilder
        from ...formats.python.version import pydantic_major
        from .compare import Comparison, DtoPair, moved_note, pair_classes
        from .roles import RoleResolver

        diagnostics: list[Diagnostic] = []
        positioned = frozenset(old_paths) | frozenset(new_paths)
        old_x = Extractor(Project(job.base, positioned=positioned), own.pydantic_version or pydantic_major(job.base))
        new_x = Extractor(Project(job.head, positioned=positioned), own.pydantic_version or pydantic_major(job.head))
        old_classes = self._classes(old_x, old_paths, diagnostics, Severity.WARNING)
        new_classes = self._classes(new_x, new_paths, diagnostics, Severity.ERROR)
        unread = {p for p in new_paths if not self._loads(new_x, p)}
        unread |= {old for old, new in job.renames.items() if new in unread}
        if unread:  # a head file that does not parse: its classes are not "removed", just unchecked
            old_classes = {q: c for q, c in old_classes.items() if c.path not in unread}
        selected = self._selection(job, settings)
        touched = set(job.changed) | set(job.renames) | set(job.renames.values())

        def stable(path: str) -> bool:
            return path not in touched

        shared: dict = {}
        comparison = Comparison(ShapeBuilder(old_x, stable, shared), ShapeBuilder(new_x, stable, shared), selected)
        roles = RoleResolver(own, job.head, new_x, old_x, frozenset(job.changed)) \
            if (own.roles or own.infer_roles) else None
        pairs, removed = pair_classes(old_classes, new_classes)
        try:
            for old, new, moved in pairs:
                if moved:
                    message, where, severity = moved_note(old, new)
                    diagnostics.append(Diagnostic(message, where, severity))
                directions = roles.directions(new) if roles else ("backward", "forward")
                comparison.compare(DtoPair(old, new, directions, moved))
            for old in removed:
                directions = roles.directions(old) if roles else ("backward", "forward")
                comparison.compare(DtoPair(old, None, directions))
            findings = comparison.results()
        except RecursionError:
            findings = []
            diagnostics.append(Diagnostic("DTO types are nested or recursive beyond what can be compared; "
                                          "they were not checked", None, Severity.ERROR))
        targets = set(new_paths)
        for note in new_x.notes.values():
            if note.path in targets:
                diagnostics.append(Diagnostic(note.message, Location(note.path, *note.span) if note.span[0]
                                              else Location(note.path), Severity.INFO))
        checked = len(set(new_paths) | {p for p in old_paths if p not in job.renames})
        return FormatOutcome(tuple(findings), tuple(diagnostics), checked, selected, tuple(new_paths))

    @staticmethod
    def _loads(extractor: Extractor, path: str) -> bool:
        try:
            extractor.project.load(path)
        except SchemacheckError:
            return False
        return True

    @staticmethod
    def _classes(extractor: Extractor, paths: list[str], diagnostics: list[Diagnostic],
                 severity: Severity) -> dict[str, DtoClass]:
        out: dict[str, DtoClass] = {}
        for path in paths:
            try:
                mod = extractor.project.load(path)
            except ParseError as exc:
                where = Location(exc.path, exc.line, exc.column, exc.line, exc.column + 1) if exc.line \
                    else Location(exc.path)
                prefix = "" if severity is Severity.ERROR else "base version not compared: "
                diagnostics.append(Diagnostic(prefix + exc.detail, where, severity,
                                              "Fix the syntax error; DTOs are read without running the code."))
                continue
            except SchemacheckError as exc:
                diagnostics.append(Diagnostic(exc.message, Location(path), severity))
                continue
            for dto in extractor.module_dtos(mod):
                out[dto.qualname] = dto
        return out

    @staticmethod
    def _selection(job: FormatJob, settings: Settings) -> frozenset[str]:
        """The Python rules the runner selected plus the shape rules (shared with JSON Schema) selected."""
        from ...registry import REGISTRY
        from ..shape.table import rule_table

        shape_ids = rule_table().ids()
        source = settings.source or "the command line"
        if job.explicit_select:
            chosen = REGISTRY.expand(settings.select, "jsonschema", source=source) & shape_ids
        else:
            chosen = {i for i in shape_ids if REGISTRY.rules[i].default}
        if settings.ignore:
            chosen -= REGISTRY.expand(settings.ignore, "jsonschema", source=source)
        return frozenset(job.selected) | frozenset(chosen)


CHECKER = PythonChecker()
