"""One revision's Python modules: paths to module names, lazy parsing, name resolution.

Maintainers: a :class:`Project` wraps a :class:`~schemacheck.snapshot.Snapshot` and parses a
module only when something asks for a name in it (a changed DTO module, then whatever its
bases, nested types and aliases come from), so following imports costs one parse per module
reached. Module names come from paths (``src/`` is treated as an import root); absolute
imports are looked up next to the importing file first, then at the repository root, so a
package under ``services/x/src`` resolves too. Names that leave the repository (``pydantic``,
``typing``) stay qualified strings the front end recognises; nothing is ever imported.
"""

from __future__ import annotations

import builtins
from dataclasses import dataclass

from ...errors import ParseError, SchemacheckError
from ...snapshot import Snapshot
from .source import ClassDef, ModuleInfo, Stmt

__all__ = ["Project", "Found", "module_name"]

_BUILTINS = frozenset(dir(builtins))


def module_name(path: str) -> str:
    """The dotted module name of a repository path (``src/app/models.py`` -> ``app.models``)."""
    stem = path[:-3] if path.endswith(".py") else path
    if stem.endswith("/__init__"):
        stem = stem[: -len("/__init__")]
    if stem.startswith("src/"):
        stem = stem[4:]
    return stem.replace("/", ".")


@dataclass(frozen=True, slots=True)
class Found:
    """A name resolved to a definition in the repository."""

    module: ModuleInfo
    name: str
    cls: ClassDef | None = None
    stmt: Stmt | None = None

    @property
    def qualname(self) -> str:
        return f"{self.module.module}.{self.name}"


class Project:
    """Parsed modules of one revision, loaded on demand.

    Args:
        snapshot: The revision.
        max_modules: Bound on modules parsed while following imports (a runaway import graph
            must not make a check slow).
        positioned: Paths whose positions are needed (the changed files); ``None``: every path.
    """

    def __init__(self, snapshot: Snapshot, max_modules: int = 400, positioned: frozenset[str] | None = None) -> None:
        self.snapshot = snapshot
        self.positioned = positioned
        self.max_modules = max_modules
        self._modules: dict[str, ModuleInfo | SchemacheckError] = {}
        self._paths: dict[tuple[str, str], str | None] = {}

    # -- modules ---------------------------------------------------------------------------
    def load(self, path: str) -> ModuleInfo:
        """The parsed module at ``path`` (cached).

        Raises:
            ParseError: It is not valid Python, or cannot be read.
        """
        found = self._modules.get(path)
        if found is None:
            found = self._parse(path)
            self._modules[path] = found
        if isinstance(found, SchemacheckError):
            raise found
        return found

    def _parse(self, path: str) -> ModuleInfo | SchemacheckError:
        from .source import parse_module

        if len(self._modules) >= self.max_modules:
            return ParseError(path, 0, 0, f"not read: more than {self.max_modules} modules reached through imports")
        try:
            data = self.snapshot.read(path)
        except SchemacheckError as exc:
            return exc
        except OSError as exc:
            return ParseError(path, 0, 0, f"cannot be read: {exc}")
        try:
            return parse_module(path, module_name(path), data,
                                positions=self.positioned is None or path in self.positioned)
        except ParseError as exc:
            return exc

    def module_path(self, module: str, importer: str) -> str | None:
        """The file of ``module`` as seen from the file ``importer`` (``None`` outside the repository)."""
        key = (module, importer.rsplit("/", 1)[0] if "/" in importer else "")
        if key in self._paths:
            return self._paths[key]
        rel = module.replace(".", "/")
        roots: list[str] = []
        directory = key[1]
        while directory:
            roots.append(directory + "/")
            directory = directory.rsplit("/", 1)[0] if "/" in directory else ""
        roots += ["", "src/"]
        found = None
        for root in roots:
            for candidate in (f"{root}{rel}.py", f"{root}{rel}/__init__.py"):
                if self.snapshot.exists(candidate):
                    found = candidate
                    break
            if found:
                break
        self._paths[key] = found
        return found

    # -- names -----------------------------------------------------------------------------
    def qualify(self, dotted: str, mod: ModuleInfo) -> str:
        """The qualified name ``dotted`` stands for in ``mod`` (imports, local definitions, builtins)."""
        head, _, rest = dotted.partition(".")
        if head in mod.imports:
            base = mod.imports[head]
        elif head in mod.classes or head in mod.assigns:
            base = f"{mod.module}.{head}"
        elif head in _BUILTINS:
            base = f"builtins.{head}"
        else:
            base = self._from_star(head, mod) or head
        return f"{base}.{rest}" if rest else base

    def _from_star(self, name: str, mod: ModuleInfo) -> str | None:
        """``name`` bound by a ``from m import *``: a repository module that defines it, else the
        first star-imported module outside the repository (``from pydantic import *``)."""
        stars = [v for k, v in mod.imports.items() if k.startswith("*")]
        outside = None
        for star in reversed(stars):
            path = self.module_path(star, mod.path)
            if path is None:
                outside = star
                continue
            try:
                other = self.load(path)
            except SchemacheckError:
                continue
            if name in other.classes or name in other.assigns or name in other.imports:
                return f"{star}.{name}"
        return f"{outside}.{name}" if outside is not None else None

    def find(self, qualified: str, importer: str, depth: int = 0) -> Found | None:
        """The repository definition of ``qualified`` (a class or module-level assignment), if any.

        Re-exports (``from .models import Order`` in a package ``__init__``) are followed.
        """
        if depth > 8 or qualified.startswith(("builtins.", "typing.", "pydantic.", "typing_extensions.")):
            return None
        parts = qualified.split(".")
        for cut in range(len(parts) - 1, 0, -1):
            path = self.module_path(".".join(parts[:cut]), importer)
            if path is None:
                continue
            try:
                mod = self.load(path)
            except SchemacheckError:
                return None
            name = parts[cut]
            rest = parts[cut + 1:]
            if name in mod.classes:
                cls = mod.classes[name]
                for inner in rest:
                    nested = cls.inner_class(inner)
                    if nested is None:
                        return None
                    cls = nested
                return Found(mod, ".".join([name, *rest]), cls=cls)
            if name in mod.assigns and not rest:
                return Found(mod, name, stmt=mod.assigns[name])
            if name in mod.imports:
                target = mod.imports[name] + ("." + ".".join(rest) if rest else "")
                if target != qualified:
                    return self.find(target, path, depth + 1)
            return None
        return None
