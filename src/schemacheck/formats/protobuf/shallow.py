"""Shallow compiles: declare imports instead of linking them, and key by the import graph.

Maintainers: a compatibility check links only the files that changed (the targets). To link
a file, protoc needs the *definitions* of what it imports directly and, transitively, of
what those import publicly; it does not need them linked. :meth:`ShallowMixin.declare`
parses such a file and registers its definitions (type names in its fields stay as
written, options uninterpreted, no source info). A linked target is cached under
:meth:`ShallowMixin.shallow_key`: its blob and its visible imports' blobs, not its import
closure. Only a file that may use custom options (whose values are read through the
extensions' whole closure) is keyed by :meth:`ShallowMixin.closure_key`, which walks the
whole import graph, reading imports with :func:`.import_scan.scan_imports`: the key a full
compile computes. The visible imports' own imports are located too (a cycle back to the
target or a missing import there is redone as a full compile, whose errors are protoc's);
problems deeper in an unchanged file's graph are not the target's, and are not looked for.
"""

from __future__ import annotations

from .import_scan import may_use_custom_options, scan_imports
from .lexer import check_text
from .linker import file_visibility, register
from .memo import DECLARED, IMPORTS, LINKED_SIZE, SCANNED, Failed, digest, pack, remember, unpack
from .parser import ParsedFile, parse_data
from ...errors import LinkError, ParseError

__all__ = ["ShallowMixin"]


class ShallowMixin:
    """Declaration and import-graph methods of the compiler's ``_Compilation``."""

    def declare(self, name: str, path: str) -> None:
        """Make the definitions of ``name`` (and of what it imports publicly) known to the
        symbol table without linking it: all a file importing it needs. Targets are linked
        instead."""
        if name in self.declared or name in self.done:
            return
        if name in self.failed:
            raise Failed(self.failed[name])
        if name in self.targets:
            self.build(name, path)
            return
        if name in self.declaring:
            raise Failed(LinkError(path, 0, 0, f"import cycle through \"{name}\""))
        self.declaring.append(name)
        try:
            blob = self.blob(path)
            pf = DECLARED.get((name, blob))
            if pf is None:
                pf = self.parse_declaration(name, path, blob)
                remember(DECLARED, (name, blob), pf)
            register(pf, self.table)
            self.declared[name] = pf
            for i in pf.fd.public_dependency:
                dep = pf.fd.dependency[i]
                dep_path = self.locate(dep)
                if dep_path is None and self.tolerate_missing(dep, path):
                    continue
                if dep_path is None:
                    raise LinkError(path, 0, 0, f"import \"{dep}\" was not found")
                self.declare(dep, dep_path)
        except FileNotFoundError:
            raise Failed(ParseError(path, 0, 0, "file not found")) from None
        except ParseError as exc:
            self.failed[name] = exc
            raise Failed(exc) from None
        except Failed:
            raise
        except Exception as exc:  # RecursionError or a bug: the full compile that follows reports it
            raise Failed(ParseError(path, 0, 0, f"{type(exc).__name__}: {exc}")) from None
        finally:
            self.declaring.pop()

    def shallow_key(self, name: str, path: str, imports: tuple[str, ...]) -> str:
        """The cache key of a shallow link of ``name``, once its imports are declared: its blob and
        what a shallow link reads of each direct import (:meth:`declaration_key`), not its import
        closure, so a one-file check costs the file and its imports however deep the graph.

        Sound because a shallow link resolves names against the *visible* files only (direct
        imports and their public imports, whose declarations depend on their text alone); custom
        options are the exception (their values are read through the extensions' whole import
        closure, :mod:`.pools`), so a file that may use one (:func:`.import_scan.may_use_custom_options`)
        gets the full :meth:`closure_key`. A changed, added, moved or missing visible import
        changes the key.
        """
        uses_options = self.option_use.pop(path, None)  # known when the text was parsed already
        if uses_options is None:
            data = self.texts.get(path)
            if data is None:
                try:
                    data = self.read(path)[0]
                except (OSError, ParseError):
                    return self.closure_key(name, path)
                self.texts[path] = data  # parsed next on a miss
            uses_options = may_use_custom_options(data)
        if uses_options:
            return self.closure_key(name, path)
        deps = []
        for dep in imports:
            if dep in self.missing:
                deps.append("missing:" + dep)
            else:
                self.check_next_level(name, dep)
                deps.append(self.declaration_key(dep))
        return digest("shallow", name, self.roots, self.blob(path), deps)

    def check_next_level(self, name: str, dep: str) -> None:
        """One level past the visible imports, where the common import problems show: ``dep``
        importing ``name`` back (a cycle) or an import found nowhere. :class:`Failed` makes the
        compiler redo the compile in full, which reports it exactly as protoc does."""
        pf = self.fd_of_declared(dep)
        for inner in list(pf.fd.dependency) + list(pf.fd.option_dependency):
            if inner == name or inner in self.building:
                raise Failed(LinkError(pf.path, 0, 0, f"import cycle through \"{inner}\""))
            if inner not in self.missing and self.locate(inner) is None and not self.tolerate_missing(inner, pf.path):
                raise Failed(LinkError(pf.path, 0, 0, f"import \"{inner}\" was not found"))

    def declaration_key(self, name: str) -> str:
        """What importing ``name`` shows a shallow link: its path and blob, and transitively its
        public imports' (all declared by then)."""
        key = self.keys.get("decl:" + name)
        if key is None:
            pf = self.fd_of_declared(name)
            public = [pf.fd.dependency[i] for i in pf.fd.public_dependency]
            parts = ["missing:" + p if p in self.missing else self.declaration_key(p) for p in public]
            key = self.keys["decl:" + name] = digest("declared", name, pf.path, self.blob(pf.path), parts)
        return key

    def fd_of_declared(self, name: str) -> ParsedFile:
        done = self.done.get(name)
        return done[0] if done is not None else self.declared[name]

    def closure_key(self, name: str, path: str) -> str:
        """The key a full compile gives ``name``: a digest over its whole import graph, read
        with :func:`.import_scan.scan_imports` where the file was not parsed. A missing import
        or a cycle raises :class:`Failed` (the caller then compiles in full, which reports it
        exactly)."""
        key = self.keys.get(name)
        if key is not None:
            return key
        if name in self.walking:
            raise Failed(LinkError(path, 0, 0, f"import cycle through \"{name}\""))
        self.walking.append(name)
        try:
            blob = self.blob(path)
            imports = self.imports_of(name, path, blob)
            deps = []
            for i, dep in enumerate(imports):
                dep_path = self.locate(dep)
                if dep_path is None and dep not in imports[:i] and self.tolerate_missing(dep, path):
                    deps.append("missing:" + dep)  # as compiler._build keys it
                    continue
                if dep_path is None or dep in imports[:i]:
                    raise Failed(LinkError(path, 0, 0, f"bad import \"{dep}\""))
                deps.append(self.closure_key(dep, dep_path))
        finally:
            self.walking.pop()
        key = digest(name, self.roots, blob, deps)  # as a full compile keys it (compiler._build)
        self.keys[name] = key
        return key

    def imports_of(self, name: str, path: str, blob: str) -> tuple[str, ...]:
        known = IMPORTS.get((name, blob))
        if known is not None:
            return known[0]
        scanned = SCANNED.get(blob)
        if scanned is not None:
            return scanned
        stored = self.disk.indexed(blob) if self.disk is not None else None
        if stored is not None:
            SCANNED[blob] = stored
            return stored
        try:
            data = self.read(path)[0]
            if name in self.targets or len(self.walking) <= 2:  # likely parsed next: keep the text
                self.texts[path] = data
            found = scan_imports(data)
            if found is not None:
                imports = found[0] + found[1]
            else:
                check_text(data, path)
                pf = parse_data(data, path, name)
                imports = tuple(pf.fd.dependency) + tuple(pf.fd.option_dependency)
        except (OSError, ParseError) as exc:
            raise Failed(ParseError(path, 0, 0, f"cannot read imports: {exc}")) from None
        if len(SCANNED) > 20 * LINKED_SIZE:
            SCANNED.clear()
        SCANNED[blob] = imports
        if self.disk is not None:
            self.disk.add_indexed(blob, imports)
        return imports

    def parse_declaration(self, name: str, path: str, blob: str) -> ParsedFile:
        """``name`` parsed for its definitions: from the disk cache, else from its text."""
        disk_key = digest("declared", name, blob)
        if self.disk is not None:
            stored = self.disk.get(disk_key, blob)
            pf = unpack(stored, path) if stored is not None else None
            if pf is not None:
                SCANNED.setdefault(blob, tuple(pf.fd.dependency) + tuple(pf.fd.option_dependency))
                return pf
        data = self.text(path)
        check_text(data, path)
        pf = parse_data(data, path, name)
        IMPORTS[(name, blob)] = (tuple(pf.fd.dependency) + tuple(pf.fd.option_dependency), tuple(pf.import_pos))
        if self.disk is not None:
            file_visibility(pf)  # read from the options as written, before they are gone
            self.disk.put(disk_key, pack(pf), blob)
        return pf
