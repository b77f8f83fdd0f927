"""Where a protobuf job finds imports its repository does not hold, and what it says when none does.

Maintainers: for each revision, :func:`import_sources` builds the read-only
``formats.protobuf.external.ImportSources``: the buf module cache directories of the
dependencies that revision's ``buf.lock`` pins (``bufdeps.py``), installed Python packages'
``.proto`` files (``package-protos``), and absolute ``extra-import-roots``; repository-relative
``extra-import-roots`` are plain import roots after the module roots. An import found in none
of them does not stop the check (the compiler links with placeholders); :func:`missing_warning`
turns every such import of the run into ONE warning that names them and how to provide them.
"""

from __future__ import annotations

import os
import posixpath
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ...errors import ConfigError
from ...formats.protobuf.external import ExternalDir, ImportSources
from ...model import Diagnostic, Location, Severity
from ...snapshot import Snapshot, unsafe_reason
from .bufconfig import BufConfig
from .bufdeps import BufDep, buf_cache_dir, load_buf_deps, module_cache_dir

__all__ = ["SideImports", "import_sources", "extra_roots", "missing_warning"]


@dataclass(frozen=True, slots=True)
class SideImports:
    """One revision's external sources and what could not be made available.

    Attributes:
        sources: Where imports no root holds are looked up.
        uncached: Dependencies ``buf.lock`` pins that buf's cache does not hold.
        unlocked: Dependencies buf.yaml declares that ``buf.lock`` does not pin.
        cache: buf's cache directory that was looked in (None: unknown).
        warnings: Remarks about buf.lock files that could not be read.
        locked: The pins used (the revision's own, then the other revision's for modules it
            does not pin).
    """

    sources: ImportSources
    uncached: tuple[BufDep, ...] = ()
    unlocked: tuple[BufDep, ...] = ()
    cache: str | None = None
    warnings: tuple[str, ...] = ()
    locked: tuple[BufDep, ...] = ()


def extra_roots(configured: Sequence[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Split ``extra-import-roots`` into (repository-relative roots, absolute directories).

    Raises:
        ConfigError: A relative entry leaves the repository (``..``).
    """
    inside: list[str] = []
    outside: list[str] = []
    for entry in configured:
        if os.path.isabs(entry):
            outside.append(os.path.normpath(entry))
            continue
        reason = unsafe_reason(entry)
        if reason is not None:
            raise ConfigError(f"protobuf.extra-import-roots: {entry!r} {reason}",
                              tip="Give a directory outside the repository as an absolute path.")
        inside.append(posixpath.normpath(entry).strip("/"))
    return tuple(inside), tuple(outside)


def import_sources(snapshot: Snapshot, buf: BufConfig | None, package_protos: bool,
                   outside: Iterable[str], fallback: SideImports | None = None) -> SideImports:
    """The external sources of one revision: its own ``buf.lock`` pins (then ``fallback``'s, the
    head revision's, for modules it does not pin: a base that predates buf.lock reads its
    imports as the head does), the same Python packages and configured directories for both."""
    extra = tuple(ExternalDir(f"root:{d}", d) for d in outside)
    if buf is None:
        return SideImports(ImportSources((), package_protos, extra))
    deps = load_buf_deps(snapshot, buf)
    own = {d.name for d in deps.locked}
    locked = deps.locked + tuple(d for d in (fallback.locked if fallback else ()) if d.name not in own)
    cache = buf_cache_dir()
    found: list[ExternalDir] = []
    uncached: list[BufDep] = []
    for dep in locked:
        directory = module_cache_dir(cache, dep) if cache else None
        if directory is None:
            uncached.append(dep)
        else:
            found.append(ExternalDir(f"buf:{dep.name}", directory))
    unlocked = tuple(d for d in deps.unlocked if d.name not in {x.name for x in locked})
    return SideImports(ImportSources(tuple(found), package_protos, extra), tuple(uncached), unlocked,
                       cache, deps.warnings, locked)


def _under_other_root(snapshot: Snapshot, name: str) -> str | None:
    """A repository directory under which import ``name`` exists (``proto`` for ``proto/a/b.proto``)."""
    suffix = "/" + name
    for path in snapshot.paths():
        if path.endswith(suffix):
            return path[: -len(suffix)]
    return None


def missing_warning(missing: Sequence, sides: Sequence[SideImports], snapshot: Snapshot,
                    suggest_roots: bool) -> Diagnostic | None:
    """ONE warning for every import of the run found nowhere, with what would provide them.

    Args:
        missing: ``MissingImport``s of both revisions (head first).
        sides: Both revisions' external sources.
        snapshot: The head revision (to suggest a root under which the import exists).
        suggest_roots: No buf.yaml and no configured roots: a missing import found under a
            repository directory means the roots are wrong, and the tip says which to set.
    """
    if not missing:
        return None
    first: dict[str, object] = {}
    for item in missing:
        first.setdefault(item.name, item)
    names = sorted(first)
    listed = ", ".join(f'"{n}" (imported by {first[n].path})' for n in names[:5])
    more = f" and {len(names) - 5} more" if len(names) > 5 else ""
    message = (f"{len(names)} import{'s' if len(names) > 1 else ''} found in no import root, buf cache or "
               f"installed package: {listed}{more}; files importing them were checked with their types as "
               f"opaque names, and checks that need those definitions were skipped")
    tips: list[str] = []
    if suggest_roots:
        for name in names:
            root = _under_other_root(snapshot, name)
            if root is not None:
                tips.append(f'"{name}" exists under "{root}/": set [tool.schemacheck.protobuf] roots = ["{root}"]')
                break
    uncached = {d.name: d for side in sides for d in side.uncached}
    unlocked = {d.name: d for side in sides for d in side.unlocked}
    cache = next((s.cache for s in sides if s.cache), None)
    if uncached:
        tips.append(f"{', '.join(sorted(uncached))} {'is' if len(uncached) == 1 else 'are'} pinned in buf.lock but "
                    f"not in buf's module cache ({cache}): run `buf dep update` or `buf build` once (the cache "
                    f"is BUF_CACHE_DIR, else XDG_CACHE_HOME/buf, else ~/.cache/buf)")
    if unlocked:
        tips.append(f"{', '.join(sorted(unlocked))} {'is' if len(unlocked) == 1 else 'are'} in buf.yaml deps but "
                    f"not pinned in buf.lock: run `buf dep update`")
    if any(n.startswith("google/api/") or n.startswith("google/type/") or n.startswith("google/rpc/") for n in names):
        tips.append("`pip install googleapis-common-protos` provides google/api, google/type and google/rpc")
    tips.append(f"{'or ' if tips else ''}set [tool.schemacheck.protobuf] extra-import-roots to a directory "
                "holding them (nothing is fetched from the network)")
    item = first[names[0]]
    location = Location(item.path, item.line, item.column, item.line, item.column + 1) if item.line else None
    return Diagnostic(message, location, Severity.WARNING, "; ".join(tips) + ".")
