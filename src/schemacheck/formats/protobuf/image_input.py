"""A released image as the old side: ``--against image.binpb`` (a ``FileDescriptorSet``).

Maintainers: buf images and ``protoc -o x.binpb --include_imports --include_source_info`` files
are both serialized ``FileDescriptorSet``s, already linked. :class:`DescriptorSetSnapshot` presents
them as a :class:`~schemacheck.snapshot.Snapshot` whose paths are the import names under the first
import root, so they pair with the head's repository paths, and carries the descriptors so the
protobuf checker uses them instead of compiling. Without source info, base locations are line 0.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ...errors import ParseError

if TYPE_CHECKING:
    from google.protobuf import descriptor_pb2

    from ...snapshot import Snapshot

__all__ = ["DescriptorSetSnapshot", "looks_like_descriptor_set"]

_IMAGE_SUFFIXES = (".binpb", ".bin", ".pb", ".desc", ".protoset", ".fds")


def looks_like_descriptor_set(path: Path) -> bool:
    """Whether ``--against PATH`` names an image file rather than a .proto or a directory."""
    return path.is_file() and path.suffix in _IMAGE_SUFFIXES


def _head_paths_by_import_name(head: Snapshot) -> dict[str, str]:
    """Every way a head ``.proto`` path can be named by import (each suffix at a ``/``), shortest path first.

    The set records import names; the head has repository paths under module roots that may
    only be known later (buf.yaml). Presenting each file under its head path makes base and
    head pair up whatever the roots are.
    """
    found: dict[str, str] = {}
    for path in sorted((p for p in head.paths() if p.endswith(".proto")), key=lambda p: (p.count("/"), p)):
        parts = path.split("/")
        for i in range(len(parts)):
            found.setdefault("/".join(parts[i:]), path)
    return found


class DescriptorSetSnapshot:
    """A ``FileDescriptorSet`` file seen as a revision.

    Args:
        file: The serialized set.
        roots: Import roots of the head side; names not found in ``head`` are presented under the first one.
        head: The new side: each file is presented under the head path that has its import name.
    """

    def __init__(self, file: Path, roots: Sequence[str] = ("",), head: Snapshot | None = None) -> None:
        from google.protobuf import descriptor_pb2
        from google.protobuf.message import DecodeError

        self.label = str(file)
        data = file.read_bytes()
        fds = descriptor_pb2.FileDescriptorSet()
        try:
            fds.ParseFromString(data)
        except DecodeError as exc:
            raise ParseError(str(file), 0, 0, f"not a FileDescriptorSet (buf image or protoc -o output): {exc}") from None
        if not fds.file:
            raise ParseError(str(file), 0, 0, "the descriptor set holds no files")
        root = (roots[0] if roots else "").strip("/")
        self._prefix = "" if root in ("", ".") else root + "/"
        self.descriptors: dict[str, descriptor_pb2.FileDescriptorProto] = {f.name: f for f in fds.file}
        in_head = _head_paths_by_import_name(head) if head is not None else {}
        self._by_path = {in_head.get(name, self._prefix + name): fd for name, fd in self.descriptors.items()
                         if not name.startswith("google/protobuf/")}

    def paths(self) -> Iterable[str]:
        return list(self._by_path)

    def read(self, path: str) -> bytes:
        # The set has no source text: callers that need text (suppressions) get nothing to match.
        if path not in self._by_path:
            raise FileNotFoundError(path)
        return b""

    def exists(self, path: str) -> bool:
        return path in self._by_path

    def blob_id(self, path: str) -> str | None:
        return "fds:" + hashlib.sha1(self._by_path[path].SerializeToString(deterministic=True)).hexdigest()
