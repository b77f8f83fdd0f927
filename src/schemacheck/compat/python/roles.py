"""A DTO's role, hence the directions it is checked in: configuration first, then FastAPI routes.

Maintainers: ``request`` is data the code reads (BACKWARD), ``response``/``event`` data it
writes (FORWARD), ``both`` (the default) both. The *last* ``[[tool.schemacheck.python.roles]]``
entry whose ``paths`` glob matches the class's file (and whose ``classes`` glob, if any,
matches its name or qualified name) wins. Otherwise routes decide: route modules are the changed
``.py`` files and those whose path names an API layer (``api``, ``routes``, ``views``,
``main.py``...), read only when a DTO changed and parsed only when their text mentions FastAPI; a
class used both as a body and as a response keeps both directions. Nested classes take the
union of the roles of the classes that contain them only through configuration: inference
covers the classes routes name directly (documented in docs/python.md).
"""

from __future__ import annotations

from fnmatch import fnmatchcase
from typing import TYPE_CHECKING

from ...errors import SchemacheckError
from ...formats.python.routes import ROUTE_MARKERS, route_roles
from ...globs import matches_any
from ...snapshot import Snapshot
from .settings import ROLES

if TYPE_CHECKING:
    from ...formats.python.classes import Extractor
    from ...formats.python.dto import DtoClass
    from .settings import PythonSettings

__all__ = ["RoleResolver", "ROUTE_PATH_HINTS", "MAX_ROUTE_FILES"]

#: Path fragments of modules that usually declare web routes.
ROUTE_PATH_HINTS = ("api", "route", "endpoint", "view", "handler", "server", "main.py", "app.py")
#: At most this many route candidates are read per check.
MAX_ROUTE_FILES = 200


class RoleResolver:
    """Roles of the classes of one check."""

    def __init__(self, settings: PythonSettings, head: Snapshot, new: Extractor, old: Extractor,
                 changed: frozenset[str] = frozenset()) -> None:
        self.settings = settings
        self.changed = changed
        self.head, self.new, self.old = head, new, old
        self._inferred: dict[str, set[str]] | None = None

    def role(self, cls: DtoClass) -> str:
        for override in reversed(self.settings.roles):
            if not matches_any(cls.path, override.paths):
                continue
            if override.classes and not any(fnmatchcase(cls.name, g) or fnmatchcase(cls.qualname, g)
                                            for g in override.classes):
                continue
            return override.role
        if self.settings.infer_roles:
            found = self.inferred().get(cls.qualname, set())
            if found == {"request"}:
                return "request"
            if found == {"response"}:
                return "response"
        return "both"

    def directions(self, cls: DtoClass) -> tuple[str, ...]:
        return ROLES[self.role(cls)]

    def inferred(self) -> dict[str, set[str]]:
        if self._inferred is None:
            self._inferred = {}
            for path in self._route_files():
                try:
                    mod = self.new.project.load(path)
                except SchemacheckError:
                    continue
                for name, roles in route_roles(mod, self._qualify).items():
                    self._inferred.setdefault(name, set()).update(roles)
        return self._inferred

    def _qualify(self, dotted: str, mod: object) -> str:
        qualified = self.new.project.qualify(dotted, mod)  # type: ignore[arg-type]
        found = self.new.resolve_class(qualified, mod)  # type: ignore[arg-type]
        return found.qualname if found is not None else qualified

    def _route_files(self) -> list[str]:
        """Head files that may declare routes: changed ones, and those whose path names an API
        layer (``api``, ``route``, ``endpoint``, ``view``, ``main.py``, ...), at most
        :data:`MAX_ROUTE_FILES` of them: reading every ``.py`` blob of a large repository through
        git costs seconds."""
        out = []
        candidates = [p for p in self.head.paths() if p.endswith(".py") and
                      (p in self.changed or any(hint in p.lower() for hint in ROUTE_PATH_HINTS))]
        for path in sorted(candidates, key=lambda p: (p not in self.changed, p))[:MAX_ROUTE_FILES]:
            try:
                data = self.head.read(path)
            except (OSError, SchemacheckError):
                continue
            if any(marker in data for marker in ROUTE_MARKERS):
                out.append(path)
        return out
