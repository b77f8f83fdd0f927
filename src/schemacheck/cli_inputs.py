"""The ``check`` command's inputs: which two sides to compare, and with which settings.

Maintainers: ``cli.py`` calls :func:`git_sides` (``--base``/``--head``/``--staged``/
``--pre-push``/the default) or :func:`against_sides` (``NEW --against OLD``, outside git,
including a descriptor set as the old side), then :func:`load_check_settings` (the
configuration file of the new side, with the command line on top). Each returns plain values
and raises :class:`~schemacheck.errors.SchemacheckError`; nothing here prints.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import UsageError
from .globs import is_under

if TYPE_CHECKING:
    from .config import Settings
    from .model import CheckResult
    from .snapshot import Snapshot

__all__ = ["split_ids", "git_sides", "against_sides", "pre_push_refs", "pre_commit_refs", "load_check_settings", "raise_read_errors", "with_fetch_note",
           "check_severity_keys", "close_sides"]

def split_ids(values: Sequence[str]) -> tuple[str, ...]:
    return tuple(v.strip() for item in values for v in item.split(",") if v.strip())


def _apply_overrides(settings: Settings, args: argparse.Namespace) -> Settings:
    update: dict[str, Any] = {}
    if args.select:
        update["select"] = split_ids(args.select)
    if args.ignore:
        update["ignore"] = split_ids(args.ignore)
    if args.fail_on:
        update["fail_on"] = args.fail_on
    jsonschema = _compat_overrides(settings, getattr(args, "mode", None), getattr(args, "policy", None))
    if jsonschema is not None:
        update["jsonschema"] = jsonschema
    if (args.select or args.ignore) and settings.source:
        update["source"] = f"the command line (config: {settings.source})"
    return settings.model_copy(update=update) if update else settings


def _compat_overrides(settings: Settings, mode: str | None, policy: str | None):
    """``--mode``/``--policy`` win over the file, per-path overrides included."""
    if not mode and not policy:
        return None
    js = settings.jsonschema
    clear = {k: None for k, v in (("mode", mode), ("policy", policy)) if v}
    overrides = tuple(o.model_copy(update=clear) for o in js.overrides)
    given = {k: v for k, v in (("mode", mode), ("policy", policy)) if v}
    return js.model_copy(update={**given, "overrides": overrides})


def _plain_side(raw: str, cwd: Path) -> Path:
    path = cwd / raw
    if not path.exists():
        raise UsageError(f"{raw}: no such file or directory")
    return path


def against_sides(args: argparse.Namespace, cwd: Path) -> tuple[Snapshot, Snapshot, dict[str, Any], Path]:
    from .snapshot import DirectorySnapshot, SingleFileSnapshot

    if args.base or args.head or args.staged:
        raise UsageError("--against compares two paths; it cannot be combined with --base, --head or --staged")
    if len(args.paths) > 1:
        raise UsageError("with --against, pass one new PATH (a directory or a file)")
    old, new = _plain_side(args.against, cwd), _plain_side(args.paths[0] if args.paths else ".", cwd)
    from .formats.protobuf.image_input import DescriptorSetSnapshot, looks_like_descriptor_set

    if looks_like_descriptor_set(old):  # a buf image or `protoc -o` output as the old side
        if not new.is_dir():
            raise UsageError(f"--against {args.against} is a descriptor set: PATH must be the directory of the .proto files")
        from .config import load_settings

        roots = load_settings(cwd, Path(args.config) if args.config else None).protobuf.roots or ("",)
        head = DirectorySnapshot(new, args.paths[0] if args.paths else ".")
        return DescriptorSetSnapshot(old, roots, head), head, {}, new
    if old.is_dir() and new.is_dir():
        return DirectorySnapshot(old, args.against), DirectorySnapshot(new, args.paths[0] if args.paths else "."), {}, new
    if old.is_file() and new.is_file():
        return (SingleFileSnapshot(old, new.name, args.against),
                SingleFileSnapshot(new, new.name, str(args.paths[0])), {}, new.parent)
    raise UsageError("--against and PATH must both be directories or both be files")


_RANGE_TIP = ("`pre-commit run --all-files` names no old revision: in CI run "
              "`pre-commit run --from-ref origin/main --to-ref HEAD` (or `schemacheck --base origin/main`).")


def _hook_range(flag: str, args: argparse.Namespace) -> bool:
    """Fill ``--base``/``--head`` from ``PRE_COMMIT_FROM_REF``/``PRE_COMMIT_TO_REF`` when pre-commit set them.

    pre-commit sets them for ``pre-commit run --from-ref A --to-ref B`` in every stage (CI) and for
    pre-push hooks; they mean "the changes of A...B", i.e. B against the merge-base.
    """
    if args.base or args.head or args.staged or args.against:
        raise UsageError(f"{flag} takes its revisions from pre-commit; drop --base, --head, --staged and --against")
    from_ref, to_ref = os.environ.get("PRE_COMMIT_FROM_REF"), os.environ.get("PRE_COMMIT_TO_REF")
    if not (from_ref and to_ref):
        return False
    args.base, args.head = from_ref, to_ref
    return True


def pre_push_refs(args: argparse.Namespace) -> bool:
    """Fill ``--base``/``--head`` from pre-commit's pre-push variables; False when there is nothing to compare.

    Raises:
        UsageError: Neither the range nor a push is known: ``pre-commit run --all-files
            --hook-stage pre-push`` by hand, which would otherwise pass without checking anything.
    """
    if _hook_range("--pre-push", args):
        return True
    if not os.environ.get("PRE_COMMIT_REMOTE_NAME"):  # set by pre-commit for every real push
        raise UsageError("--pre-push: pre-commit gave no revision range (PRE_COMMIT_FROM_REF/PRE_COMMIT_TO_REF) "
                         "and this is not a push, so there is nothing to compare", tip=_RANGE_TIP)
    return False


def pre_commit_refs(args: argparse.Namespace) -> None:
    """``--pre-commit`` (the commit hook): the pre-commit range when set, else the index against HEAD.

    Outside ``git commit`` (which sets ``GIT_INDEX_FILE`` for its hooks) an empty index diff means
    ``pre-commit run --all-files``: :func:`git_sides` refuses it rather than pass unchecked.
    """
    if not _hook_range("--pre-commit", args):
        args.staged = True
        args.require_staged = "GIT_INDEX_FILE" not in os.environ


def _workdir(cwd: Path, root: Path) -> str:
    """Where the user runs, relative to the repository root ('' at the root or outside it)."""
    try:
        rel = cwd.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return ""
    return "" if rel == "." or rel.startswith(".git") else rel


def _check_paths_exist(limit_to: tuple[str, ...], base: Snapshot, head: Snapshot) -> None:
    """A PATH that names nothing at either revision is a typo, not an empty selection."""
    if not limit_to:
        return
    missing = set(p.rstrip("/") for p in limit_to if p.strip("/") not in ("", "."))
    for snapshot in (head, base):  # a file is a lookup; a directory lists only itself where it can
        under = getattr(snapshot, "paths_under", None)
        for m in sorted(missing):
            if snapshot.exists(m) or any(True for _ in (under(m) if under is not None else
                                                        (p for p in snapshot.paths() if is_under(p, m)))):
                missing.discard(m)
        if not missing:
            return
    if missing:
        first = sorted(missing)[0]
        raise UsageError(f"{first}: no such file or directory at either revision ({base.label}, {head.label})",
                         tip="PATH arguments limit the check to existing files or directories of the repository.")


def _prepare_check(known: frozenset[str], report: str) -> None:
    """Import what a check of any change needs (the runner, the configuration models, the
    ``report`` reporter), and the stacks of the formats whose files git already knows changed,
    while git compares the work tree: on two cores the interpreter's import work and git's scan
    of every index entry and directory overlap instead of adding up. A forecast only: nothing is
    decided here."""
    from . import runner
    from .report import REPORTER_BY_NAME

    REPORTER_BY_NAME.get(report)
    runner.prepare_formats(known)


def git_sides(args: argparse.Namespace, cwd: Path) -> tuple[Snapshot, Snapshot, dict[str, Any], Path]:
    from .revisions import GitRepository, compare, repo_paths, revisions_to_resolve

    if args.head is not None and args.staged:  # compare() refuses it; resolve nothing first
        revisions, merge_bases = [], []
    else:
        revisions, merge_bases = revisions_to_resolve(args.base, args.head, args.staged)
    repo = GitRepository(cwd, revisions, merge_bases)
    limit_to = repo_paths(repo, args.paths, cwd)
    comparison = compare(repo, base=args.base, head=args.head, staged=args.staged,
                         fetch_missing=getattr(args, "fetch_missing", False),
                         meanwhile=lambda known: _prepare_check(known, getattr(args, "format", None) or "text"))
    if getattr(args, "require_staged", False) and not comparison.changed:
        raise UsageError("--pre-commit: nothing is staged and pre-commit gave no revision range "
                         "(PRE_COMMIT_FROM_REF/PRE_COMMIT_TO_REF), so there is nothing to compare", tip=_RANGE_TIP)
    _check_paths_exist(limit_to, comparison.base, comparison.head)
    extra = {"changed": comparison.changed, "renames": comparison.renames, "limit_to": limit_to,
             "workdir": _workdir(cwd, repo.root)}
    return comparison.base, comparison.head, extra, repo.root


def raise_read_errors(*snapshots: Snapshot) -> None:
    """Fail the run when a git object could not be read (partial clone, damaged repository).

    The format checkers record a failed read as a per-file diagnostic, a mere warning on the
    old side; a missing object is not a property of the file, and comparing without it would
    be a silent pass.

    Raises:
        GitError: The first object that could not be read, with how to fetch it.
    """
    for snapshot in snapshots:
        errors = getattr(getattr(snapshot, "repo", None), "read_errors", None)
        if errors:
            raise errors[0]


def close_sides(*snapshots: Snapshot) -> None:
    """Stop the git processes of the snapshots' repository once a run is over: a library caller
    running many checks in one interpreter must not keep one ``cat-file --batch`` per run alive
    until a garbage collection happens to find them (the CLI defers collections during a run)."""
    for snapshot in snapshots:
        close = getattr(getattr(snapshot, "repo", None), "close", None)
        if close is not None:
            close()


def with_fetch_note(result: CheckResult, *snapshots: Snapshot) -> CheckResult:
    """``--fetch-missing``: the result with an info note saying how many objects were fetched in
    how many ``git fetch`` batches (nothing when none was needed)."""
    repos = {id(r): r for r in (getattr(s, "repo", None) for s in snapshots) if getattr(r, "fetch_batches", 0)}
    if not repos:
        return result
    from dataclasses import replace

    from .model import Diagnostic, Severity

    objects = sum(r.fetched_objects for r in repos.values())
    batches = sum(r.fetch_batches for r in repos.values())
    note = Diagnostic(f"--fetch-missing: fetched {objects} missing object{'s' * (objects != 1)} from the promisor "
                      f"remote in {batches} `git fetch`", None, Severity.INFO)
    return replace(result, diagnostics=(*result.diagnostics, note))


def _load_file_settings(args: argparse.Namespace, head: Snapshot, root: Path, in_git: bool) -> Settings:
    from .config import load_settings, load_settings_from

    if args.config:
        return load_settings(root, Path(args.config))
    if not in_git:
        return load_settings(Path.cwd())
    from .revisions import WorkTreeSnapshot

    if isinstance(head, WorkTreeSnapshot):
        return load_settings(root)  # straight from disk: no need to list the whole tree

    def read(name: str) -> bytes | None:
        return head.read(name) if head.exists(name) else None

    return load_settings_from(read, f"{head.label}:")


def check_severity_keys(settings: Settings) -> None:
    """Every key of ``[severity]`` must be a rule ID (an alias or a category would silently do nothing)."""
    from .errors import ConfigError
    from .registry import load_rules

    registry = load_rules()
    source = settings.source or "the configuration"
    for key in settings.severity:
        if key.upper() in registry.rules:
            continue
        spec = registry.get(key)
        if spec is not None:
            raise ConfigError(f"{source}: severity.{key} names an alias; use the rule ID {spec.id}")
        registry.expand([key], source=source)  # raises, naming the nearest IDs, when unknown
        raise ConfigError(f"{source}: severity.{key} is a category; severity overrides take rule IDs",
                          tip="`schemacheck rules` lists the rule IDs of each category.")


def load_check_settings(args: argparse.Namespace, head: Snapshot, root: Path, in_git: bool) -> Settings:
    """The configuration of the new side with the command line on top, severity keys checked."""
    settings = _apply_overrides(_load_file_settings(args, head, root, in_git), args)
    if settings.severity:
        check_severity_keys(settings)
    return settings
