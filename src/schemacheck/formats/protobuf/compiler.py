"""The pure-Python protobuf compiler: snapshot + target paths -> linked descriptors.

Maintainers: :func:`compile_with_python` has the contract of ``compile_with_protoc``. Each
file is read, checked (UTF-8, no NUL bytes), tokenized, parsed, then linked after its
imports: symbols registered, type names resolved, options interpreted, source info built.
Import names are looked up in the import roots in order, then in the bundled well-known
types (``wkt/``). A linked file is cached under its import name, roots and the blob ids of
itself and everything it imports, in-process (:mod:`.memo`: base and head revision share most
files) and on disk (:mod:`.diskcache`: the next run). By default a compile is *shallow*
(:mod:`.shallow`): imports are declared, not linked, unless custom options need them
(:mod:`.pools`); a shallow compile that fails is redone in full, so errors never differ.
"""

from __future__ import annotations

import gc
import hashlib
import sys
from collections.abc import Sequence

from google.protobuf import descriptor_pb2 as d

from ...errors import LinkError, ParseError
from ...snapshot import Snapshot, unsafe_reason
from . import CompiledFile, CompileResult, import_name, native
from .diskcache import PACK_TARGETS, open_cache
from .memo import IMPORTS, LINKED, SCANNED, Failed, clear_cache, pack, remember, unpack
from .lexer import check_text
from .external import ImportSources, is_external
from .import_scan import may_use_custom_options
from .linker import register, resolve
from .locate import WKT_DIR, LocateMixin, MissingImport
from .parallel import parse_many, pool_size
from .parser import ParsedFile, parse_data
from .pools import PoolsMixin
from .shallow import ShallowMixin
from .symbols import SymbolTable

__all__ = ["compile_with_python", "descriptor_set", "WKT_DIR", "clear_cache"]

class _Compilation(LocateMixin, ShallowMixin, PoolsMixin):
    def __init__(self, snapshot: Snapshot, roots: Sequence[str], shallow: bool = False,
                 targets: frozenset[str] = frozenset(), sources: ImportSources | None = None,
                 allow_missing: bool = False) -> None:
        self.snapshot = snapshot
        self.sources = sources
        self.allow_missing = allow_missing
        self.missing: dict[str, MissingImport] = {}
        self.roots = tuple(roots) or ("",)
        self.shallow = shallow
        self.targets = targets  # import names; in a shallow compile these are always linked
        self.table = SymbolTable()
        self.done: dict[str, tuple[ParsedFile, str]] = {}
        self.declared: dict[str, ParsedFile] = {}  # registered, maybe not linked (shallow only)
        self.declaring: list[str] = []
        self.keys: dict[str, str] = {}  # closure keys (shallow only)
        self.walking: list[str] = []
        self.texts: dict[str, bytes] = {}  # read by the import walk, not parsed yet (shallow only)
        # whether a parsed file's text may set a custom option, for shallow_key (which would
        # otherwise read the text again: a second read of every file where all changed)
        self.option_use: dict[str, bool] = {}
        self.disk = open_cache()
        if self.disk is not None:
            self.disk.batch = len(targets) > PACK_TARGETS  # many entries: one pack, not a file each
        self.failed: dict[str, ParseError] = {}
        self.building: list[str] = []
        self.pool = None
        self.in_pool: set[str] = set()
        self._index: dict[str, bool] | None = None  # path -> present (locate.has_file)
        self.prefetched: dict[str, ParsedFile | ParseError] = {}

    def prefetch(self, targets: Sequence[str]) -> None:
        """Read the targets ahead where the snapshot can (git: a few round trips instead of one
        per file), and parse those not parsed before in parallel (see :mod:`.parallel`)."""
        hint = getattr(self.snapshot, "read_ahead", None)
        if hint is not None and len(targets) > 1:
            hint([t for t in targets if not is_external(t)])
        if pool_size(len(targets)) < 2:
            return  # no pool: reading the files here would only read them twice
        jobs = []
        for target in targets:
            name = import_name(target, self.roots)
            try:
                data, blob = self.read(target)
            except FileNotFoundError:
                continue
            if (name, blob) not in IMPORTS:
                jobs.append((target, name, data))
        self.prefetched = parse_many(jobs)

    def text(self, path: str) -> bytes:
        """The content of ``path`` for parsing: kept from the import walk if it read it (a
        file is read once per compile), else read now."""
        data = self.texts.pop(path, None)
        return data if data is not None else self.read(path)[0]

    # -- building ------------------------------------------------------------------------
    def build(self, name: str, path: str) -> tuple[ParsedFile, str]:
        if name in self.done:
            return self.done[name]
        if name in self.failed:
            raise Failed(self.failed[name])
        if name in self.building:
            cycle = " -> ".join(self.building[self.building.index(name):] + [name])
            raise Failed(LinkError(path, 0, 0, f"import cycle: {cycle}"))
        self.building.append(name)
        try:
            pf, key = self._build(name, path)
        except ParseError as exc:
            self.failed[name] = exc
            raise Failed(exc) from None
        except Failed:
            raise
        except RecursionError:
            exc = ParseError(path, 0, 0, "nesting or import chain too deep to compile")
            self.failed[name] = exc
            raise Failed(exc) from None
        except Exception as exc:  # a bug here must not become a traceback for the user
            err = ParseError(path, 0, 0, f"internal error in the protobuf compiler: {type(exc).__name__}: {exc}",
                             "set SCHEMACHECK_PROTO_PARSER=protoc to use protoc instead, and report this")
            self.failed[name] = err
            raise Failed(err) from None
        finally:
            self.building.pop()
        self.done[name] = (pf, key)
        return pf, key

    def _build(self, name: str, path: str) -> tuple[ParsedFile, str]:
        try:
            blob = self.blob(path)
        except FileNotFoundError:
            raise ParseError(path, 0, 0, "file not found") from None
        pf = self.prefetched.pop(name, None)
        if isinstance(pf, ParseError):
            raise pf
        known = IMPORTS.get((name, blob))
        fresh = False  # a blob the disk cache has never seen: no entry to look up
        if known is None and pf is None and self.shallow and self.disk is not None:
            if self.disk.batch and blob not in SCANNED and self.disk.indexed(blob) is None:
                # Every file changed: most targets are new. Parsing first skips an import scan
                # and a lookup that would miss; their imports are recorded for the next run.
                fresh = True
            else:
                # Imports without parsing (the linked file may come from the disk cache); their
                # positions only serve error messages; a failed shallow compile is redone in full.
                known = (self.imports_of(name, path, blob), ())
        if known is None:
            if pf is None:
                pf = self.parse_text(name, path)
            known = (tuple(pf.fd.dependency) + tuple(pf.fd.option_dependency), tuple(pf.import_pos))
            IMPORTS[(name, blob)] = known
            if fresh:
                self.disk.add_indexed(blob, known[0])
        imports, positions = known
        deps = []
        for i, dep in enumerate(imports):
            dep_path = self.locate(dep)
            line, col = positions[i] if i < len(positions) else (0, 0)
            if dep in imports[:i]:
                raise LinkError(path, line, col, f"import \"{dep}\" is listed twice")
            if dep_path is None and unsafe_reason(dep) is not None:
                raise LinkError(path, line, col, f"import \"{dep}\" {unsafe_reason(dep)}",
                                "Imports are relative to the import roots (buf.yaml module paths or "
                                "[tool.schemacheck.protobuf] roots) inside the repository.")
            if dep_path is None and self.tolerate_missing(dep, path, line, col):
                deps.append("missing:" + dep)  # part of the key: it changes once the file is found
                continue
            if dep_path is None:
                raise LinkError(path, line, col, f"import \"{dep}\" was not found in the import roots "
                                f"({', '.join(r or '.' for r in self.roots)}) or the well-known types",
                                "Set [tool.schemacheck.protobuf] roots (or a buf.yaml module path) to the directory "
                                "imports are relative to; buf.lock dependencies are read from buf's module cache "
                                "(never fetched), others from extra-import-roots.")
            if dep in self.building:
                cycle = " -> ".join(self.building[self.building.index(dep):] + [dep])
                raise LinkError(path, line, col, f"import cycle: {cycle}")
            try:
                if self.shallow:
                    self.declare(dep, dep_path)
                else:
                    deps.append(self.build(dep, dep_path)[1])
            except Failed as failed:
                raise LinkError(path, line, col, f"import \"{dep}\" has errors: {failed.error.message}") \
                    from None
        # A fixed-size digest, not a tuple nesting the dependencies' keys: nested tuples grow with
        # every path through the import graph and Python re-hashes them on each lookup, which
        # made a 2,000-file tree with import chains take minutes. A shallow compile keys by what
        # its link reads (shallow_key: the visible imports), or, for a file using custom
        # options, by the same digest from the import graph alone (closure_key).
        if self.shallow:
            key = self.shallow_key(name, path, imports)
        else:
            key = hashlib.sha1(repr((name, self.roots, blob, deps)).encode()).hexdigest()
        hit = LINKED.get(key)
        if hit is not None:
            LINKED.move_to_end(key)
        elif self.disk is not None and not fresh:
            stored = self.disk.get(key, blob)
            found = unpack(stored, path) if stored is not None else None
            if found is not None and found.fd.name == name:
                hit = (found, path)
                remember(LINKED, key, hit)
        if hit is not None:
            if name not in self.table.files:
                register(hit[0], self.table)
            return hit[0], key
        from .options import interpret_options  # linking: a warm cache hit returns above, without them
        from .sourceinfo import source_code_info_bytes
        from .validate import validate

        if pf is None:
            pf = self.parse_text(name, path)
        fd = pf.fd
        if name not in self.table.files:  # a shallow compile may have declared it already
            register(pf, self.table)
        visible = self.visible(fd)
        lenient = self.sees_missing(visible)  # it may use definitions nobody has: placeholders
        resolve(pf, self.table, visible, lenient)
        paths, stripped = interpret_options(pf, self.table, visible, lambda files: self.pool_for(pf, files), lenient)
        validate(pf)
        fd.source_code_info.MergeFromString(source_code_info_bytes(pf.locs, paths, stripped))
        pf.locs = []
        pf.refs = []
        pf.options = []
        remember(LINKED, key, (pf, path))
        if self.disk is not None:
            self.disk.put(key, pack(pf), blob)
        return pf, key

    def parse_text(self, name: str, path: str) -> ParsedFile:
        try:
            data = self.text(path)
        except FileNotFoundError:
            raise ParseError(path, 0, 0, "file not found") from None
        check_text(data, path)
        if self.shallow:
            self.option_use[path] = may_use_custom_options(data)
        return parse_data(data, path, name)

    def visible(self, fd: d.FileDescriptorProto) -> frozenset[str]:
        seen = {fd.name}
        stack = list(fd.dependency) + list(fd.option_dependency)
        seen.update(stack)
        while stack:
            name = stack.pop()
            if name in self.missing:
                continue
            dep = self.fd_of(name)
            for i in dep.public_dependency:
                pub = dep.dependency[i]
                if pub not in seen:
                    seen.add(pub)
                    stack.append(pub)
        return frozenset(seen)

    def fd_of(self, name: str) -> d.FileDescriptorProto:
        done = self.done.get(name)
        return done[0].fd if done is not None else self.declared[name].fd


def compile_with_python(snapshot: Snapshot, paths: Sequence[str], roots: Sequence[str] = ("",),
                        closure: str = "shallow", sources: ImportSources | None = None,
                        allow_missing: bool = False) -> CompileResult:
    """Parse and link ``paths`` and what they import (see ``compile_protos``).

    Args:
        snapshot: Where to read files.
        paths: Repository-relative paths of the target files.
        roots: Import roots, searched in order; bundled well-known types come last.
        closure: ``"full"`` links every file the targets import, transitively, as protoc
            does. ``"shallow"`` (the default) links the targets, declares their direct and
            public imports (parsed, definitions registered, type names in their fields left
            as written, no options or source info) and links other files only when custom
            options need them. Targets come out identical either way; if anything fails, the
            compile is redone in full so that errors are exactly those of a full compile.
        sources: Read-only places outside the snapshot for imports no root holds.
        allow_missing: Record an import found nowhere in ``CompileResult.missing`` and link
            the files that see it with placeholders, instead of failing them.

    Returns:
        Compiled files by import name, and one error per target that failed.
    """
    if closure not in ("full", "shallow"):
        raise ValueError(f"closure must be 'full' or 'shallow', not {closure!r}")
    native.module()  # a broken or mismatched native extension stops here, with a clear error
    if closure == "shallow":
        result = _compile(snapshot, paths, roots, True, sources, allow_missing)
        if not result.errors:
            return result
    return _compile(snapshot, paths, roots, False, sources, allow_missing)


def _compile(snapshot: Snapshot, paths: Sequence[str], roots: Sequence[str], shallow: bool,
             sources: ImportSources | None, allow_missing: bool) -> CompileResult:
    roots = tuple(roots) or ("",)
    comp = _Compilation(snapshot, roots, shallow, frozenset(import_name(p, roots) for p in paths), sources,
                        allow_missing)
    errors: list[ParseError] = []
    seen_errors: set[str] = set()
    # The parser allocates many small lists that are never cyclic; pausing the cyclic
    # garbage collector while compiling roughly halves the time on large trees.
    gc_was_enabled = gc.isenabled()
    gc.disable()
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 20000))
    try:
        comp.prefetch(paths)
        for target in paths:
            name = import_name(target, comp.roots)
            try:
                comp.build(name, target)
            except Failed as failed:
                root = failed.error
                if str(root) not in seen_errors:
                    seen_errors.add(str(root))
                    errors.append(root)
    finally:
        sys.setrecursionlimit(limit)
        if gc_was_enabled:
            gc.enable()
        if comp.disk is not None:
            comp.disk.close()
    files: dict[str, CompiledFile] = {}
    for name, (pf, _key) in comp.done.items():
        files[name] = CompiledFile(pf.path, name, pf.fd)
    for name, pf in comp.declared.items():
        files.setdefault(name, CompiledFile(pf.path, name, pf.fd))
    return CompileResult(files, tuple(errors), tuple(comp.missing[n] for n in sorted(comp.missing)))


def descriptor_set(result: CompileResult, targets: Sequence[str]) -> d.FileDescriptorSet:
    """A ``FileDescriptorSet`` of ``targets`` and their imports, imports first (like
    ``protoc --include_imports``).

    Args:
        result: A compile result.
        targets: Import names or repository paths of the files to include.

    Raises:
        KeyError: A target is not among the compiled files.
    """
    by_path = result.by_path()
    out = d.FileDescriptorSet()
    added: set[str] = set()

    def visit(name: str) -> None:
        if name in added:
            return
        added.add(name)
        compiled = result.files[name]
        for dep in list(compiled.descriptor.dependency) + list(compiled.descriptor.option_dependency):
            if dep in result.files:
                visit(dep)
        out.file.append(compiled.descriptor)

    for target in targets:
        visit(target if target in result.files else by_path[target].name)
    return out
