"""The protobuf FormatChecker: compile both revisions' changed files, pair, run rules.

Maintainers: the work is proportional to the change — only files whose content differs are
targets; they are compiled with what they import. Rule functions receive pairs from
``image.pairs_for`` and yield :class:`~schemacheck.registry.Violation`; this module turns them
into findings with the rule's ID and effective severity. A head file that does not compile
is an error diagnostic (exit 2); a base file that does not compile is a warning and is skipped.
The format's own configuration (buf.yaml of both revisions, ``[tool.schemacheck.protobuf]``)
is applied by ``bufsetup.py`` before, and buf.yaml's ignores by ``buffilter.py`` after.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from ...checkers import BaseChecker, FormatJob, FormatOutcome
from ...model import Diagnostic, Finding, Location, Severity
from ...registry import REGISTRY, load_rules
from ...snapshot import Snapshot

if TYPE_CHECKING:  # imported inside the functions: the protobuf runtime only when a .proto is checked
    from .image import CheckContext, Image

__all__ = ["ProtobufChecker", "CHECKER", "build_image", "run_rules"]


class ProtobufChecker(BaseChecker):
    """Checks ``.proto`` files; owns buf.yaml (roots, module scope, rule selection, ignores)."""

    name = "protobuf"

    def claims(self, path: str, snapshot: Snapshot | None, settings: object = None, named: tuple[str, ...] = ()) -> bool:
        return path.endswith(".proto")

    def prepare(self) -> None:
        """The rules (with the protobuf runtime), buf.yaml's reader and the compiler."""
        from ...formats.protobuf import compiler  # noqa: F401 - imported ahead, see FormatChecker.prepare
        from . import bufsetup, google_api, image  # noqa: F401

        load_rules("protobuf")

    def check(self, job: FormatJob) -> FormatOutcome:
        from .bufsetup import plan_job
        from .google_api import with_google_api

        plan = plan_job(job)
        diagnostics = [Diagnostic(w, None, Severity.WARNING) for w in plan.warnings]
        if not plan.changed:  # nothing changed inside a buf module
            return FormatOutcome(diagnostics=tuple(diagnostics))
        # membership, not iteration: the format's file lists are listed only if something iterates them
        old_targets = [p for p in sorted(plan.changed) if p in plan.base_paths]
        new_targets = [p for p in sorted(plan.changed) if p in plan.head_paths]

        def head():  # reads the head's targets too: in parallel with the base's compile when forked
            _read_ahead(job.head, new_targets)
            empty = [p for p in new_targets if _size(job.head, p) == 0]
            return empty, _compile_side(job.head, [p for p in new_targets if p not in empty], plan.head_roots,
                                        plan.head_imports)

        large = bool(old_targets and new_targets) and _large(job.head, new_targets)
        old_result, (blank, new_result) = _compile_both(
            lambda: _compile_side(job.base, old_targets, plan.base_roots, plan.base_imports, read_ahead=True),
            head, large)
        diagnostics.extend(_empty_file_error(p) for p in blank)
        compiled_targets = [p for p in new_targets if p not in blank]
        old_image, old_errors = build_image(job.base, old_targets, plan.base_paths, plan.base_roots,
                                            same_layout=plan.same_layout, compiled=old_result)
        new_image, new_errors = build_image(job.head, compiled_targets, plan.head_paths, plan.head_roots,
                                            also_changed=blank, same_layout=plan.same_layout,
                                            compiled=new_result)
        for err in old_errors:
            diagnostics.append(Diagnostic(f"base version does not compile (skipped): {err.detail}",
                                          _error_location(err), Severity.WARNING))
        for err in new_errors:
            diagnostics.append(Diagnostic(err.detail, _error_location(err), Severity.ERROR,
                                          err.tip or ""))
        from .image import CheckContext
        from .imports import missing_warning
        from .opaque import skipped_note

        missing = missing_warning(new_image.missing + old_image.missing,
                                  [i for i in (plan.head_imports, plan.base_imports) if i is not None],
                                  job.head, plan.suggest_roots)
        if missing is not None:
            diagnostics.append(missing)
        selected = with_google_api(job, plan.selected, old_image, new_image)
        skipped: list[tuple[str, str]] = []
        findings = run_rules(CheckContext(old_image, new_image, dict(job.renames)), selected,
                             job.settings.severity if job.settings else {}, skipped, large=large)
        if skipped:
            diagnostics.append(skipped_note(skipped))
        if plan.buf is not None:
            from .buffilter import buf_filter

            findings, _ = buf_filter(findings, plan.buf, plan.buf_selects, job.base, job.head)
        return FormatOutcome(tuple(findings), tuple(diagnostics), len(set(old_targets) | set(compiled_targets)),
                             selected, tuple(new_targets))


def _error_location(err) -> Location:
    """A one-character span at a parse error (a whole-file error keeps line 0)."""
    if not err.line:
        return Location(err.path)
    column = max(err.column, 1)
    return Location(err.path, err.line, column, err.line, column + 1)


#: From how many changed .proto files, or bytes of them (head), the two revisions are compiled
#: at once, the base in a forked child (:mod:`schemacheck.forked`). Below that, forking and
#: sending the descriptors back cost about what they save (docs/architecture.md).
TWO_PROCESSES_FILES = 64
TWO_PROCESSES_BYTES = 256 * 1024


def _large(head: Snapshot, targets: list[str]) -> bool:
    """Whether compiling ``targets`` is worth a second process: many files (decided without
    reading them, so that their reading, too, happens beside the other revision's compile),
    or few files with many bytes."""
    if len(targets) >= TWO_PROCESSES_FILES:
        return True
    return sum(max(_size(head, p), 0) for p in targets) >= TWO_PROCESSES_BYTES


def _compile_side(snapshot: Snapshot, targets: list[str], roots: tuple[str, ...], imports, *,
                  read_ahead: bool = False):
    """The ``CompileResult`` of one revision's targets; None for an image given as --against
    (already linked: :func:`build_image` reads its descriptors)."""
    if getattr(snapshot, "descriptors", None) is not None:
        return None
    from ...formats.protobuf import compile_protos

    if read_ahead:
        _read_ahead(snapshot, targets)
    return compile_protos(snapshot, targets, roots, sources=_sources(imports), allow_missing=True)


def _compile_both(base, head, large: bool):
    """``(base(), head())``; for a large change the base is compiled in a forked child while
    this process compiles the head (two cores; the same answers, see :mod:`schemacheck.forked`)."""
    if not large:
        return base(), head()
    from collections import Counter

    from ... import forked
    from ...formats.protobuf import native

    def in_child():  # (the head in the child instead was measured the same: 1.097 s against 1.101 s)
        before = Counter(native.FALLBACKS)
        result = base()
        counted = native.FALLBACKS - before  # files handed back to Python, for --verbose
        native.FALLBACKS.clear()
        native.FALLBACKS.update(before)
        return result, counted

    (old_result, counted), new_result = forked.both(in_child, head, "protobuf compile (base | head)")
    native.FALLBACKS.update(counted)
    return old_result, new_result


def _size(snapshot: Snapshot, path: str) -> int:
    """Bytes of ``path`` once stripped (0: blank), -1 when it cannot be read (reported later)."""
    try:
        return len(snapshot.read(path).strip())
    except (FileNotFoundError, OSError):
        return -1


def _read_ahead(snapshot: Snapshot, paths: list[str]) -> None:
    """Let a git snapshot read many changed files in a few round trips instead of one each
    (every file changed: the reads were a quarter of the run on a busy machine)."""
    hint = getattr(snapshot, "read_ahead", None)
    if hint is not None and len(paths) > 1:
        hint(paths)


def _empty_file_error(path: str) -> Diagnostic:
    # protoc accepts an empty file as proto2 with no definitions; in a schema repository it is
    # nearly always a truncated or half-written file, and checking it would report every
    # definition it used to hold as deleted. Refuse it instead.
    return Diagnostic("the file is empty: expected a syntax or edition statement and definitions",
                      Location(path, 1, 1, 1, 1), Severity.ERROR,
                      "Restore its content, or delete the file if it is no longer needed.")


def _sources(imports):
    return imports.sources if imports is not None else None


def build_image(snapshot: Snapshot, targets: Iterable[str], all_paths: Sequence[str], roots: tuple[str, ...],
                sources=None, allow_missing: bool = False, *, also_changed: Iterable[str] = (), same_layout: bool = False,
                compiled=None):
    """Compile ``targets`` of ``snapshot`` into an :class:`Image`; returns (image, errors).

    ``sources`` (``external.ImportSources``) and ``allow_missing`` are passed to
    ``compile_protos``; imports found nowhere end up in ``Image.missing``. ``compiled``: the
    ``CompileResult`` of these targets when already compiled (then nothing is compiled
    here, and ``sources``/``allow_missing`` are not used). ``all_paths`` is
    asked by membership (listed only if a rule needs every name or package); ``also_changed``
    (changed files not compiled) and ``same_layout`` (both sides have the same roots and buf
    modules) let ``Image.all_names`` answer ``old - new`` from the changed files alone.
    """
    from ...formats.protobuf import compile_protos, import_name
    from .elements import ProtoFile
    from .image import Image
    from .names import ImportNames
    from .package_scan import PackageScan

    targets = list(targets)
    precompiled = getattr(snapshot, "descriptors", None)
    if precompiled is not None:  # an image file given as --against: already linked
        return _image_from_descriptors(snapshot, precompiled, targets, all_paths, roots), ()
    result = compiled if compiled is not None else \
        compile_protos(snapshot, targets, roots, sources=sources, allow_missing=allow_missing)
    files = {name: ProtoFile.from_descriptor(cf.path, cf.descriptor, _reader(snapshot, cf.path))
             for name, cf in result.files.items()}
    target_names = [import_name(p, roots) for p in targets]
    names = ImportNames(all_paths, roots, snapshot, set(targets) | set(also_changed), same_layout)
    unloaded = _Unloaded(names, files)
    packages = PackageScan(snapshot, unloaded.paths, unloaded.names)  # lazy, for PACKAGE_* rules
    return Image(files, target_names, names, packages, result.missing), result.errors


class _Unloaded:
    """Paths and import names of the files that were not compiled, listed on first use."""

    def __init__(self, names, files) -> None:
        self._names, self._files = names, files
        self._pairs: list[tuple[str, str]] | None = None

    def _list(self) -> list[tuple[str, str]]:
        if self._pairs is None:
            self._pairs = [(p, n) for p, n in self._names.by_path() if n not in self._files]
        return self._pairs

    @property
    def paths(self):
        return _Later(lambda: [p for p, _ in self._list()])

    @property
    def names(self):
        return _Later(lambda: [n for _, n in self._list()])


class _Later:
    """An iterable made when first iterated."""

    def __init__(self, make) -> None:
        self._make = make

    def __iter__(self):
        return iter(self._make())


def _reader(snapshot: Snapshot, path: str):
    from ...formats.protobuf.external import is_external

    if is_external(path):  # bundled or outside the repository: never read through the snapshot
        return None
    return lambda: snapshot.read(path)


def _image_from_descriptors(snapshot: Snapshot, descriptors: dict, targets: list[str], all_paths: Iterable[str],
                            roots: tuple[str, ...]) -> Image:
    from ...formats.protobuf import BUILTIN_PREFIX, import_name
    from .elements import ProtoFile
    from .image import Image

    by_name = {import_name(p, roots): p for p in snapshot.paths()}
    files = {name: ProtoFile.from_descriptor(by_name.get(name, BUILTIN_PREFIX + name), fd)
             for name, fd in descriptors.items()}
    return Image(files, [import_name(p, roots) for p in targets], [import_name(p, roots) for p in all_paths])


def run_rules(ctx: CheckContext, selected: Iterable[str], severity_overrides: dict | None = None,
              skipped: list[tuple[str, str]] | None = None, *, large: bool = False) -> list[Finding]:
    """Run the selected protobuf rules over every pair of their subject.

    A pair whose verdict needs a type definition from a missing import (``opaque.py``) is not
    handed to that rule; (rule ID, subject) is appended to ``skipped`` instead. A ``large``
    change of many files runs in two processes (:mod:`schemacheck.forked`), each making and
    checking the pairs of half of the files (making the pairs is a third of the work).
    Findings come back in the one-process order. (Splitting one large file's pairs was
    measured slower: both processes built the file's indexes, 1.33 s against 1.26 s.)
    """
    from dataclasses import replace

    from .image import pairs_for, pass_of
    from .opaque import compares_option_values

    load_rules("protobuf")
    overrides = severity_overrides or {}
    specs = [REGISTRY.rules[r] for r in sorted(selected) if r in REGISTRY.rules and REGISTRY.rules[r].format == "protobuf"]
    by_subject: dict[str, list] = {}
    for spec in specs:
        by_subject.setdefault(spec.subject, []).append(spec)
    subjects = list(by_subject.items())
    position = {f.name: i for i, f in enumerate(ctx.old.target_files())}

    def run(part: CheckContext, image: bool = True) -> list[tuple[tuple, list[Finding], list]]:
        """(order key, findings, skipped) of each pair with something to say, of the pairs
        ``part`` makes."""
        done = []
        for s, (subject, subject_specs) in enumerate(subjects):
            if subject == "image" and not image:
                continue
            reads_options = [compares_option_values(spec.categories) for spec in subject_specs]
            for p, pair in enumerate(pairs_for(subject, part)):
                found, passed = _check_pair(pair, subject_specs, reads_options, ctx, overrides)
                if found or passed:
                    element = getattr(pair.old, "enum", pair.old)  # an enum value group: its enum's file
                    file = getattr(element, "file", None)
                    where = position.get(file.name, -1) if file is not None else -1
                    done.append(((s, pass_of(subject, pair), where, p), found, passed))
        return done

    halves = _split_files(ctx, large)
    if halves is not None:
        from ... import forked

        if not forked.worth_splitting("protobuf rules"):
            halves = None  # undivided: the one-process order itself
    if halves is not None:
        mine_ctx, theirs_ctx = (replace(ctx, pairs={}, only=frozenset(h)) for h in halves)
        theirs, mine = forked.both(lambda: run(theirs_ctx), lambda: run(mine_ctx, image=False),
                                   "protobuf rules (files split)")
        results = sorted(theirs + mine, key=lambda r: r[0])
    else:
        results = run(ctx)
    findings: list[Finding] = []
    for _, found, passed in results:
        findings.extend(found)
        if skipped is not None:
            skipped.extend(passed)
    return findings


def _check_pair(pair, subject_specs: list, reads_options: list[bool], ctx: CheckContext,
                overrides: dict) -> tuple[list[Finding], list]:
    """The findings of the rules of one subject on one pair (``reads_options``: which of them
    compare option values), and the (rule ID, element) of the rules not run on it because it
    needs a definition from a missing import."""
    from .opaque import needs_missing_definition, option_values_unknown

    found: list[Finding] = []
    passed: list[tuple[str, str]] = []
    options_unknown = option_values_unknown(pair) if any(reads_options) else None  # once per pair
    for spec, reads in zip(subject_specs, reads_options):
        unknown = options_unknown if reads else None
        if unknown is not None or needs_missing_definition(spec.id, pair, ctx):
            if unknown is not False:
                passed.append((spec.id, getattr(pair.new, "full_name", "")))
            continue
        for v in spec.handler(pair, ctx):
            found.append(Finding(
                rule_id=spec.id,
                severity=Severity(overrides.get(spec.id, spec.severity)),
                message=v.message,
                location=v.location,
                base_location=v.base_location,
                hint=v.hint,
                format="protobuf",
                subject=v.subject,
            ))
    return found, passed


#: From how many old target files a large change's rules run in two processes (fewer: in one).
RULES_TWO_PROCESSES_FILES = 8
#: The image-wide pair's share of the rules' work (package rules over every file; measured:
#: 0.2 s of 1.3 s with 2,000 files changed), given to the child's half.
IMAGE_PAIRS_WEIGHT = 0.15


def _split_files(ctx: CheckContext, large: bool) -> tuple[list[str], list[str]] | None:
    """The old target files in two halves of about equal work (the size of each descriptor
    standing for its pairs; the image-wide pair counted in the second half), or None when
    there are too few files to split by file."""
    files = list(ctx.old.target_files())
    if not large or len(files) < RULES_TWO_PROCESSES_FILES:
        return None
    sizes = [f.proto.ByteSize() for f in files]
    load = [0.0, IMAGE_PAIRS_WEIGHT * sum(sizes)]
    halves: tuple[list[str], list[str]] = ([], [])
    for file, size in zip(files, sizes):
        half = 0 if load[0] <= load[1] else 1
        halves[half].append(file.name)
        load[half] += size
    return halves


CHECKER = ProtobufChecker()
