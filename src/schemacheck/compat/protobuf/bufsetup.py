"""What the protobuf checker's own configuration says about one job: roots, scope, rules.

Maintainers: the runner knows nothing of buf. This module reads ``buf.yaml``/``buf.work.yaml``
of *both* revisions (the head's decides rules and ignores; each side's gives that side's module
roots and which of its files belong to a module, so a commit that moves a module root compares
``proto/a.proto`` with ``api/proto/a.proto`` as the same import name ``a.proto``, as buf does).
The base side falls back to the head's configuration when it has none (or a broken one: a
warning), and is not consulted when the head has none. ``[tool.schemacheck.protobuf] roots``
wins over buf.yaml roots on both sides; ``use-buf-yaml = false`` turns all of it off.
Each side's ``buf.lock`` also says which buf module cache directories that side's imports may
come from (``imports.py``); ``extra-import-roots`` inside the repository follow the roots.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ...checkers import FormatJob
from ...errors import ConfigError
from ...registry import REGISTRY, load_rules
from ...scope import narrow
from .bufconfig import BufConfig, load_buf_config
from .imports import SideImports, extra_roots, import_sources

if TYPE_CHECKING:
    from ...formats.protobuf.external import ImportSources
    from ...snapshot import Snapshot

__all__ = ["ProtobufPlan", "plan_job", "revision_reading"]


@dataclass(frozen=True, slots=True)
class ProtobufPlan:
    """One protobuf job after its configuration is applied.

    Attributes:
        base_roots: Import roots of the base revision.
        head_roots: Import roots of the head revision.
        base_paths: Base .proto files that belong to a buf module (all of them without buf.yaml).
        head_paths: Head .proto files that belong to a buf module.
        changed: Changed paths that belong to a module on their side.
        selected: Rule IDs to run.
        buf: The head side's buf configuration (for its ignores), if honoured.
        buf_selects: buf.yaml ``use``/``except`` chose the rules (no explicit ``select``).
        warnings: Remarks about the configuration (unimplemented rules, unusable base buf.yaml).
        base_imports: Where the base revision finds imports outside the repository (its buf.lock).
        head_imports: The same for the head revision.
        suggest_roots: Neither buf.yaml nor ``roots`` chose the import roots.
        same_layout: Both sides have the same roots and buf modules, so an unchanged file has
            the same import name and module on both (``names.ImportNames``).
    """

    base_roots: tuple[str, ...]
    head_roots: tuple[str, ...]
    base_paths: Sequence[str]
    head_paths: Sequence[str]
    changed: frozenset[str]
    selected: frozenset[str]
    buf: BufConfig | None = None
    buf_selects: bool = False
    warnings: tuple[str, ...] = ()
    base_imports: SideImports | None = None
    head_imports: SideImports | None = None
    suggest_roots: bool = False
    same_layout: bool = True


def _base_config(job: FormatJob, head: BufConfig) -> tuple[BufConfig, list[str]]:
    """The base side's buf configuration; the head's when the base has none or cannot be read."""
    try:
        base = load_buf_config(job.base, job.workdir)
    except ConfigError as exc:
        return head, [f"base revision's buf configuration not used ({exc.message}); "
                      f"its files are read with the head's module roots"]
    return (base if base is not None else head), []


def plan_job(job: FormatJob) -> ProtobufPlan:
    """Apply the protobuf configuration (settings section and buf.yaml of both sides) to ``job``.

    Raises:
        ConfigError: A bad buf.yaml in the head revision, or an unknown rule name.
    """
    from ...config import Settings

    settings = job.settings or Settings()
    own = settings.protobuf
    inside, outside = extra_roots(own.extra_import_roots)
    buf = load_buf_config(job.head, job.workdir) if own.use_buf_yaml else None
    if buf is None:
        roots = (tuple(own.roots) or ("",)) + inside
        imports = import_sources(job.head, None, own.package_protos, outside)
        return ProtobufPlan(roots, roots, job.base_paths, job.head_paths, job.changed, job.selected,
                            base_imports=imports, head_imports=imports, suggest_roots=not own.roots)
    base_buf, warnings = _base_config(job, buf)
    head_roots = (tuple(own.roots) or buf.roots()) + inside
    base_roots = (tuple(own.roots) or base_buf.roots()) + inside
    head_imports = import_sources(job.head, buf, own.package_protos, outside)
    base_imports = import_sources(job.base, base_buf, own.package_protos, outside, head_imports)
    warnings += list(dict.fromkeys(head_imports.warnings))
    head_paths = narrow(job.head_paths, lambda p: buf.module_for(p) is not None)  # lazy: never listed unless iterated
    base_paths = narrow(job.base_paths, lambda p: base_buf.module_for(p) is not None)
    changed = frozenset(p for p in job.changed
                        if buf.module_for(p) is not None or base_buf.module_for(p) is not None)
    selected = job.selected
    if not job.explicit_select:  # buf.yaml use/except choose; a shared ``ignore`` still subtracts
        load_rules("protobuf")
        ignored = REGISTRY.expand(settings.ignore, "protobuf", source=settings.source or "the command line")
        selected = frozenset(buf.all_rules() - ignored)
    same_layout = base_roots == head_roots and _layout(base_buf) == _layout(buf)
    return ProtobufPlan(base_roots, head_roots, base_paths, head_paths, changed, selected, buf,
                        not job.explicit_select, tuple(buf.warnings) + tuple(warnings), base_imports, head_imports,
                        same_layout=same_layout)


def revision_reading(snapshot: Snapshot, settings: object | None = None) -> tuple[tuple[str, ...], ImportSources]:
    """How the protobuf checker reads one revision on its own: its import roots and external import sources.

    What :func:`plan_job` gives a job's head side, for a revision read alone (a contract's protobuf
    side), so a message compiles there exactly as it does in the protobuf check:
    ``[tool.schemacheck.protobuf] roots``, else the buf.yaml/buf.work.yaml module roots (unless
    ``use-buf-yaml = false``), else the repository root, then ``extra-import-roots``; imports no root
    holds come from the buf.lock pins in buf's cache, Python packages (``package-protos``) and extra
    directories outside the repository.

    Raises:
        ConfigError: A bad buf.yaml or ``extra-import-roots`` entry.
    """
    from ...config import Settings

    own = (settings or Settings()).protobuf
    inside, outside = extra_roots(own.extra_import_roots)
    buf = load_buf_config(snapshot, "") if own.use_buf_yaml else None
    roots = (tuple(own.roots) or (buf.roots() if buf is not None else ()) or ("",)) + inside
    return roots, import_sources(snapshot, buf, own.package_protos, outside).sources


def _layout(buf: BufConfig) -> tuple:
    """What decides which files belong to a module (not the rules)."""
    return tuple((m.path, m.roots, m.includes, m.excludes) for m in buf.modules)
