"""Compile with ``protoc`` from grpcio-tools: the reference the Python parser is tested against.

Maintainers: files are copied from the snapshot into a temporary directory laid out by import
name (one sub-directory per root; a file under several roots is copied into each, as
``protoc -I`` would find it through any of them), then protoc writes a descriptor set with imports and source
info. Only used when ``SCHEMACHECK_PROTO_PARSER=protoc`` or by tests; grpcio-tools is a test
dependency, not a runtime one.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from ...errors import ParseError
from ...snapshot import Snapshot
from .external import ImportSources
from . import BUILTIN_PREFIX, CompiledFile, CompileResult, import_name

__all__ = ["compile_with_protoc", "protoc_include_dir"]

_ERROR = re.compile(r"^(?P<file>[^:\n]+):(?P<line>\d+):(?P<col>\d+): (?P<msg>.*)$", re.M)


def _first_error(stderr: str) -> re.Match[str] | None:
    """The first ``file:line:col: message`` line that is an error, not a warning such as an
    unused import (protoc prints warnings too, and they may come first)."""
    for match in _ERROR.finditer(stderr):
        if not match["msg"].lstrip().lower().startswith("warning"):
            return match
    return None


def protoc_include_dir() -> Path:
    import grpc_tools

    return Path(grpc_tools.__file__).parent / "_proto"


def compile_with_protoc(snapshot: Snapshot, paths: Sequence[str], roots: Sequence[str] = ("",),
                        sources: ImportSources | None = None) -> CompileResult:
    from google.protobuf import descriptor_pb2

    external = sources.directories() if sources is not None else []
    roots = tuple(roots) or ("",)
    with tempfile.TemporaryDirectory(prefix="schemacheck-protoc-") as tmp:
        tmpdir = Path(tmp)
        root_dirs = []
        for i, root in enumerate(roots):
            rdir = tmpdir / f"root{i}"
            rdir.mkdir()
            root_dirs.append(rdir)
        name_to_path: dict[str, str] = {}
        for path in snapshot.paths():
            if not path.endswith(".proto"):
                continue
            data: bytes | None = None
            for i, root in enumerate(roots):  # every root holding it, as ``protoc -I`` sees them
                r = root.strip("/")
                if r in ("", ".") or path.startswith(r + "/"):
                    if data is None:
                        data = snapshot.read(path)
                    name = import_name(path, (root,))
                    dest = root_dirs[i] / name
                    dest.parent.mkdir(parents=True, exist_ok=True)
                    dest.write_bytes(data)
                    name_to_path.setdefault(name, path)
        out = tmpdir / "out.binpb"
        errors: list[ParseError] = []
        files: dict[str, CompiledFile] = {}
        for target in paths:
            name = import_name(target, roots)
            cmd = [sys.executable, "-m", "grpc_tools.protoc", "--include_imports", "--include_source_info",
                   f"--descriptor_set_out={out}"]
            cmd += [f"-I{d}" for d in root_dirs] + [f"-I{protoc_include_dir()}"] + [f"-I{d}" for d in external] + [name]
            proc = subprocess.run(cmd, capture_output=True, text=True, cwd=root_dirs[0])
            if proc.returncode != 0:
                match = _first_error(proc.stderr)
                if match:
                    errors.append(ParseError(target, int(match["line"]), int(match["col"]), match["msg"]))
                else:
                    errors.append(ParseError(target, 0, 0, proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else "protoc failed"))
                continue
            fds = descriptor_pb2.FileDescriptorSet.FromString(out.read_bytes())
            for fd in fds.file:
                if fd.name not in files:
                    found = sources.path_for(fd.name) if sources is not None and fd.name not in name_to_path else None
                    repo_path = name_to_path.get(fd.name, found or BUILTIN_PREFIX + fd.name)
                    files[fd.name] = CompiledFile(repo_path, fd.name, fd)
        return CompileResult(files, tuple(errors))
