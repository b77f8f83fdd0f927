"""The pure-Python protobuf compiler: snapshot + target paths -> linked descriptors.

Maintainers: :func:`compile_with_python` has the contract of ``compile_with_protoc``. Each
file is read, checked (UTF-8, no NUL bytes), tokenized, parsed, then linked after its
imports: symbols registered, type names resolved, options interpreted, source info built.
Import names are looked up in the import roots in order, then in the bundled well-known
types (``wkt/``). A linked file is cached in-process under its import name, roots and the
blob ids of itself and everything it imports, so a second compile of unchanged files
(base and head revision share most files) costs a dict lookup.
"""

from __future__ import annotations

import gc
import hashlib
import sys
from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path

from google.protobuf import descriptor_pb2 as d

from ...errors import LinkError, ParseError
from ...snapshot import Snapshot
from . import BUILTIN_PREFIX, CompiledFile, CompileResult, import_name
from .import_scan import scan_imports
from .lexer import check_text, tokenize
from .linker import register, resolve
from .options import interpret_options
from .parallel import MIN_FILES, parse_many
from .parser import ParsedFile, parse
from .sourceinfo import source_code_info_bytes
from .symbols import SymbolTable
from .validate import validate

__all__ = ["compile_with_python", "descriptor_set", "WKT_DIR", "clear_cache"]

#: Directory of the bundled well-known type sources (``google/protobuf/*.proto``).
WKT_DIR = Path(__file__).parent / "wkt"

_CACHE: OrderedDict[str, tuple[ParsedFile, str]] = OrderedDict()
_CACHE_SIZE = 5000  # linked files kept (about 30 KB each with source info)
_IMPORTS: dict[tuple[str, str], tuple[tuple[str, ...], tuple[tuple[int, int], ...]]] = {}
_DECLARED: OrderedDict[tuple[str, str], ParsedFile] = OrderedDict()  # parsed, never linked: never mutate
_SCANNED: dict[str, tuple[str, ...]] = {}  # blob id -> imports found by scan_imports


def clear_cache() -> None:
    """Forget every cached linked file."""
    _CACHE.clear()
    _IMPORTS.clear()
    _DECLARED.clear()
    _SCANNED.clear()


class _Failed(Exception):
    def __init__(self, error: ParseError) -> None:
        super().__init__(str(error))
        self.error = error


class _Compilation:
    def __init__(self, snapshot: Snapshot, roots: Sequence[str], shallow: bool = False,
                 targets: frozenset[str] = frozenset()) -> None:
        self.snapshot = snapshot
        self.roots = tuple(roots) or ("",)
        self.shallow = shallow
        self.targets = targets  # import names; in a shallow compile these are always linked
        self.table = SymbolTable()
        self.done: dict[str, tuple[ParsedFile, str]] = {}
        self.declared: dict[str, ParsedFile] = {}  # registered, maybe not linked (shallow only)
        self.declaring: list[str] = []
        self.keys: dict[str, str] = {}  # closure keys (shallow only)
        self.walking: list[str] = []
        self.failed: dict[str, ParseError] = {}
        self.building: list[str] = []
        self.pool = None
        self.in_pool: set[str] = set()
        self._index: set[str] | None = None
        self.prefetched: dict[str, ParsedFile | ParseError] = {}

    def prefetch(self, targets: Sequence[str]) -> None:
        """Parse the targets not parsed before in parallel (see :mod:`.parallel`)."""
        if len(targets) < MIN_FILES:
            return
        jobs = []
        for target in targets:
            name = import_name(target, self.roots)
            try:
                data, blob = self.read(target)
            except FileNotFoundError:
                continue
            if (name, blob) not in _IMPORTS:
                jobs.append((target, name, data))
        self.prefetched = parse_many(jobs)

    # -- files ---------------------------------------------------------------------------
    def index(self) -> set[str]:
        if self._index is None:
            self._index = {p for p in self.snapshot.paths() if p.endswith(".proto")}
        return self._index

    def locate(self, name: str) -> str | None:
        """The repository path of import ``name``: the first root holding it (as protoc's -I),
        else the bundled well-known types."""
        paths = self.index()
        for root in self.roots:
            root = root.strip("/")
            path = name if root in ("", ".") else f"{root}/{name}"
            if path in paths:
                return path
        if ".." not in name and (WKT_DIR / name).is_file():
            return BUILTIN_PREFIX + name
        return None

    def read(self, path: str) -> tuple[bytes, str]:
        if path.startswith(BUILTIN_PREFIX):
            name = path[len(BUILTIN_PREFIX) :]
            return (WKT_DIR / name).read_bytes(), "wkt:" + name
        data = self.snapshot.read(path)
        blob = self.snapshot.blob_id(path) or hashlib.sha1(data).hexdigest()
        return data, blob

    def blob(self, path: str) -> str:
        """The blob id of ``path``, reading the content only when the snapshot has no ids."""
        if path.startswith(BUILTIN_PREFIX):
            return "wkt:" + path[len(BUILTIN_PREFIX) :]
        return self.snapshot.blob_id(path) or self.read(path)[1]

    # -- building ------------------------------------------------------------------------
    def build(self, name: str, path: str) -> tuple[ParsedFile, str]:
        if name in self.done:
            return self.done[name]
        if name in self.failed:
            raise _Failed(self.failed[name])
        if name in self.building:
            cycle = " -> ".join(self.building[self.building.index(name):] + [name])
            raise _Failed(LinkError(path, 0, 0, f"import cycle: {cycle}"))
        self.building.append(name)
        try:
            pf, key = self._build(name, path)
        except ParseError as exc:
            self.failed[name] = exc
            raise _Failed(exc) from None
        except _Failed:
            raise
        except RecursionError:
            exc = ParseError(path, 0, 0, "nesting or import chain too deep to compile")
            self.failed[name] = exc
            raise _Failed(exc) from None
        except Exception as exc:  # a bug here must not become a traceback for the user
            err = ParseError(path, 0, 0, f"internal error in the protobuf compiler: {type(exc).__name__}: {exc}",
                             "set SCHEMACHECK_PROTO_PARSER=protoc to use protoc instead, and report this")
            self.failed[name] = err
            raise _Failed(err) from None
        finally:
            self.building.pop()
        self.done[name] = (pf, key)
        return pf, key

    def _build(self, name: str, path: str) -> tuple[ParsedFile, str]:
        try:
            data, blob = self.read(path)
        except FileNotFoundError:
            raise ParseError(path, 0, 0, "file not found") from None
        pf = self.prefetched.pop(name, None)
        if isinstance(pf, ParseError):
            raise pf
        known = _IMPORTS.get((name, blob))
        if known is None:
            if pf is None:
                check_text(data, path)
                pf = parse(tokenize(data, path), path, name)
            known = (tuple(pf.fd.dependency) + tuple(pf.fd.option_dependency), tuple(pf.import_pos))
            _IMPORTS[(name, blob)] = known
        imports, positions = known
        deps = []
        for i, dep in enumerate(imports):
            dep_path = self.locate(dep)
            line, col = positions[i] if i < len(positions) else (0, 0)
            if dep in imports[:i]:
                raise LinkError(path, line, col, f"import \"{dep}\" is listed twice")
            if dep_path is None:
                raise LinkError(path, line, col, f"import \"{dep}\" was not found in the import roots "
                                f"({', '.join(r or '.' for r in self.roots)}) or the well-known types")
            if dep in self.building:
                cycle = " -> ".join(self.building[self.building.index(dep):] + [dep])
                raise LinkError(path, line, col, f"import cycle: {cycle}")
            try:
                if self.shallow:
                    self.declare(dep, dep_path)
                else:
                    deps.append(self.build(dep, dep_path)[1])
            except _Failed as failed:
                raise LinkError(path, line, col, f"import \"{dep}\" has errors: {failed.error.message}") \
                    from None
        # A fixed-size digest, not a tuple nesting the dependencies' keys: nested tuples grow with
        # every path through the import graph and Python re-hashes them on each lookup, which
        # made a 2,000-file tree with import chains take minutes. A shallow compile computes the
        # same digest from the import graph alone (closure_key).
        if self.shallow:
            key = self.closure_key(name, path)
        else:
            key = hashlib.sha1(repr((name, self.roots, blob, deps)).encode()).hexdigest()
        hit = _CACHE.get(key)
        if hit is not None:
            _CACHE.move_to_end(key)
            if name not in self.table.files:
                register(hit[0], self.table)
            return hit[0], key
        if pf is None:
            check_text(data, path)
            pf = parse(tokenize(data, path), path, name)
        fd = pf.fd
        if name not in self.table.files:  # a shallow compile may have declared it already
            register(pf, self.table)
        visible = self.visible(fd)
        resolve(pf, self.table, visible)
        paths, stripped = interpret_options(pf, self.table, visible, lambda files: self.pool_for(pf, files))
        validate(pf)
        fd.source_code_info.MergeFromString(source_code_info_bytes(pf.locs, paths, stripped))
        pf.locs = []
        pf.refs = []
        pf.options = []
        _CACHE[key] = (pf, path)
        if len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
        return pf, key

    def visible(self, fd: d.FileDescriptorProto) -> frozenset[str]:
        seen = {fd.name}
        stack = list(fd.dependency) + list(fd.option_dependency)
        seen.update(stack)
        while stack:
            dep = self.fd_of(stack.pop())
            for i in dep.public_dependency:
                pub = dep.dependency[i]
                if pub not in seen:
                    seen.add(pub)
                    stack.append(pub)
        return frozenset(seen)

    def fd_of(self, name: str) -> d.FileDescriptorProto:
        done = self.done.get(name)
        return done[0].fd if done is not None else self.declared[name].fd

    # -- shallow compiles: declarations and the import graph -------------------------------
    def declare(self, name: str, path: str) -> None:
        """Make the definitions of ``name`` (and of what it imports publicly) known to the
        symbol table without linking it: all a file importing it needs. Targets are linked
        instead."""
        if name in self.declared or name in self.done:
            return
        if name in self.failed:
            raise _Failed(self.failed[name])
        if name in self.targets:
            self.build(name, path)
            return
        if name in self.declaring:
            raise _Failed(LinkError(path, 0, 0, f"import cycle through \"{name}\""))
        self.declaring.append(name)
        try:
            blob = self.blob(path)
            pf = _DECLARED.get((name, blob))
            if pf is None:
                data = self.read(path)[0]
                check_text(data, path)
                pf = parse(tokenize(data, path), path, name)
                _IMPORTS[(name, blob)] = (tuple(pf.fd.dependency) + tuple(pf.fd.option_dependency),
                                          tuple(pf.import_pos))
                _DECLARED[(name, blob)] = pf
                if len(_DECLARED) > _CACHE_SIZE:
                    _DECLARED.popitem(last=False)
            register(pf, self.table)
            self.declared[name] = pf
            for i in pf.fd.public_dependency:
                dep = pf.fd.dependency[i]
                dep_path = self.locate(dep)
                if dep_path is None:
                    raise LinkError(path, 0, 0, f"import \"{dep}\" was not found")
                self.declare(dep, dep_path)
        except FileNotFoundError:
            raise _Failed(ParseError(path, 0, 0, "file not found")) from None
        except ParseError as exc:
            self.failed[name] = exc
            raise _Failed(exc) from None
        except _Failed:
            raise
        except Exception as exc:  # RecursionError or a bug: the full compile that follows reports it
            raise _Failed(ParseError(path, 0, 0, f"{type(exc).__name__}: {exc}")) from None
        finally:
            self.declaring.pop()

    def closure_key(self, name: str, path: str) -> str:
        """The key a full compile gives ``name``: a digest over its whole import graph, read
        with :func:`.import_scan.scan_imports` where the file was not parsed. A missing import
        or a cycle raises :class:`_Failed` (the caller then compiles in full, which reports it
        exactly)."""
        key = self.keys.get(name)
        if key is not None:
            return key
        if name in self.walking:
            raise _Failed(LinkError(path, 0, 0, f"import cycle through \"{name}\""))
        self.walking.append(name)
        try:
            blob = self.blob(path)
            imports = self.imports_of(name, path, blob)
            deps = []
            for i, dep in enumerate(imports):
                dep_path = self.locate(dep)
                if dep_path is None or dep in imports[:i]:
                    raise _Failed(LinkError(path, 0, 0, f"bad import \"{dep}\""))
                deps.append(self.closure_key(dep, dep_path))
        finally:
            self.walking.pop()
        key = hashlib.sha1(repr((name, self.roots, blob, deps)).encode()).hexdigest()
        self.keys[name] = key
        return key

    def imports_of(self, name: str, path: str, blob: str) -> tuple[str, ...]:
        known = _IMPORTS.get((name, blob))
        if known is not None:
            return known[0]
        scanned = _SCANNED.get(blob)
        if scanned is not None:
            return scanned
        try:
            data = self.read(path)[0]
            found = scan_imports(data)
            if found is not None:
                imports = found[0] + found[1]
            else:
                check_text(data, path)
                pf = parse(tokenize(data, path), path, name)
                imports = tuple(pf.fd.dependency) + tuple(pf.fd.option_dependency)
        except (OSError, ParseError) as exc:
            raise _Failed(ParseError(path, 0, 0, f"cannot read imports: {exc}")) from None
        if len(_SCANNED) > 20 * _CACHE_SIZE:
            _SCANNED.clear()
        _SCANNED[blob] = imports
        return imports

    # -- descriptor pools for custom options ---------------------------------------------
    def _add_closure(self, pool, added: set[str], name: str) -> None:
        if name in added:
            return
        if name not in self.done:  # shallow compile: link on demand
            self.build(name, self.locate(name) or name)
        fd = self.done[name][0].fd
        for dep in list(fd.dependency) + list(fd.option_dependency):
            self._add_closure(pool, added, dep)
        added.add(name)
        pool.AddSerializedFile(fd.SerializeToString())

    def pool_for(self, pf: ParsedFile, files: set[str] | None):
        """A pool with the definitions custom options of ``pf`` need.

        ``files`` are the files defining the extensions used (None: unknown, load every
        import). A file using its own extensions gets a private pool holding itself.
        """
        from google.protobuf import descriptor_pool

        fd = pf.fd
        deps = list(fd.dependency) + list(fd.option_dependency)
        try:
            if fd.name in files if files is not None else _defines_extensions(fd):
                pool = descriptor_pool.DescriptorPool()
                added: set[str] = set()
                for dep in deps:
                    self._add_closure(pool, added, dep)
                pool.AddSerializedFile(fd.SerializeToString())
                return pool
            if self.pool is None:
                self.pool = descriptor_pool.DescriptorPool()
            for dep in sorted(files) if files is not None else deps:
                self._add_closure(self.pool, self.in_pool, dep)
            return self.pool
        except (TypeError, ValueError) as exc:
            raise LinkError(pf.path, 0, 0, f"cannot load the definitions of custom options: {exc}") from None


def _defines_extensions(fd: d.FileDescriptorProto) -> bool:
    if len(fd.extension):
        return True
    stack = list(fd.message_type)
    while stack:
        msg = stack.pop()
        if len(msg.extension):
            return True
        stack.extend(msg.nested_type)
    return False


def compile_with_python(snapshot: Snapshot, paths: Sequence[str], roots: Sequence[str] = ("",),
                        closure: str = "shallow") -> CompileResult:
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

    Returns:
        Compiled files by import name, and one error per target that failed.
    """
    if closure not in ("full", "shallow"):
        raise ValueError(f"closure must be 'full' or 'shallow', not {closure!r}")
    if closure == "shallow":
        result = _compile(snapshot, paths, roots, True)
        if not result.errors:
            return result
    return _compile(snapshot, paths, roots, False)


def _compile(snapshot: Snapshot, paths: Sequence[str], roots: Sequence[str], shallow: bool) -> CompileResult:
    roots = tuple(roots) or ("",)
    comp = _Compilation(snapshot, roots, shallow, frozenset(import_name(p, roots) for p in paths))
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
            except _Failed as failed:
                root = failed.error
                if str(root) not in seen_errors:
                    seen_errors.add(str(root))
                    errors.append(root)
    finally:
        sys.setrecursionlimit(limit)
        if gc_was_enabled:
            gc.enable()
    files: dict[str, CompiledFile] = {}
    for name, (pf, _key) in comp.done.items():
        files[name] = CompiledFile(pf.path, name, pf.fd)
    for name, pf in comp.declared.items():
        files.setdefault(name, CompiledFile(pf.path, name, pf.fd))
    return CompileResult(files, tuple(errors))


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
