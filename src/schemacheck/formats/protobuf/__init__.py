"""Protobuf front end: ``.proto`` text at a revision -> linked ``FileDescriptorProto``s.

Maintainers: the output equals ``protoc --include_source_info`` for the same files (type names
fully qualified, ``json_name`` filled, ``SourceCodeInfo`` spans and comments). Two back ends
give the same answer: the pure-Python parser (default) and protoc from grpcio-tools
(``SCHEMACHECK_PROTO_PARSER=protoc``, used as a test oracle and a fallback). File paths are
repository-relative; import names are relative to the first import root that contains them.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ...errors import ParseError

if TYPE_CHECKING:
    from google.protobuf import descriptor_pb2

    from ...snapshot import Snapshot
    from .external import ImportSources

__all__ = ["CompiledFile", "CompileResult", "compile_protos", "import_name", "BUILTIN_PREFIX"]

#: Path prefix under which bundled well-known types are reported.
BUILTIN_PREFIX = "<builtin>/"


@dataclass(frozen=True, slots=True)
class CompiledFile:
    """One linked file.

    Attributes:
        path: Repository-relative path (``BUILTIN_PREFIX`` + name for bundled files).
        name: Import name, i.e. ``FileDescriptorProto.name``.
        descriptor: The linked descriptor with source info.
    """

    path: str
    name: str
    descriptor: descriptor_pb2.FileDescriptorProto = field(compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class CompileResult:
    """Files that compiled (targets and everything they import) and the errors of those that did not."""

    files: Mapping[str, CompiledFile]
    errors: tuple[ParseError, ...] = ()
    missing: tuple = ()  # locate.MissingImport: imports found nowhere (only with allow_missing)

    def by_path(self) -> dict[str, CompiledFile]:
        return {f.path: f for f in self.files.values()}


def import_name(path: str, roots: Sequence[str]) -> str:
    """The import name of a repository path under the first matching root ('' or '.' = repo root)."""
    for root in roots:
        root = root.strip("/")
        if root in ("", "."):
            return path
        if path.startswith(root + "/"):
            return path[len(root) + 1 :]
    return path


def compile_protos(snapshot: Snapshot, paths: Sequence[str], roots: Sequence[str] = ("",),
                   closure: str = "shallow", sources: ImportSources | None = None,
                   allow_missing: bool = False) -> CompileResult:
    """Parse and link ``paths`` and, transitively, what they import.

    Args:
        snapshot: Where to read files.
        paths: Repository-relative paths of the target files.
        roots: Import roots, repository-relative, searched in order; bundled well-known types
            (``google/protobuf/*.proto``) are found last.
        closure: ``"shallow"``: targets linked, their direct and public imports only declared
            (definitions with full names, field type names as written, no options or source
            info); what a compatibility check needs, and much faster. ``"full"``: every
            imported file linked too, as ``protoc --include_imports`` (the protoc back end
            always does this).
        sources: Read-only directories outside the snapshot where imports that no root holds
            are looked up (buf module cache, installed Python packages, configured roots;
            ``external.ImportSources``), after the bundled well-known types.
        allow_missing: An import found nowhere is recorded in ``CompileResult.missing``
            instead of failing the files that import it; they are linked with its type names
            as placeholders and its custom options left uninterpreted. The protoc back end
            does not support it (a missing import stays an error there).

    Returns:
        The compiled files by import name; a file that fails to parse or link (or imports one
        that does) is absent and its error recorded instead.
    """
    backend = os.environ.get("SCHEMACHECK_PROTO_PARSER", "python")
    if backend == "protoc":
        from .protoc_backend import compile_with_protoc

        return compile_with_protoc(snapshot, paths, roots, sources)
    from .compiler import compile_with_python

    return compile_with_python(snapshot, paths, roots, closure, sources, allow_missing)
