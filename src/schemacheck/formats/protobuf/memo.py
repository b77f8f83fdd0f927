"""In-process caches of the protobuf compiler and the on-disk form of a parsed file.

Maintainers: everything here is keyed by blob ids or by digests over them, so entries never
go stale; :func:`clear_cache` exists for tests and benchmarks. ``DECLARED`` holds files
parsed but never linked, shared by every compile: they must never be mutated (linking works
on a fresh parse). :func:`pack`/:func:`unpack` give the bytes stored in the disk cache
(:mod:`.diskcache`): the descriptor and the file's default symbol visibility, which protoc
strips from the descriptor but dependants need.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict

from google.protobuf import descriptor_pb2 as d

from ...errors import ParseError
from .parser import ParsedFile

__all__ = ["LINKED", "LINKED_SIZE", "IMPORTS", "DECLARED", "SCANNED", "Failed", "clear_cache", "pack", "unpack",
           "digest", "remember"]

LINKED: OrderedDict[str, tuple[ParsedFile, str]] = OrderedDict()  # key -> (linked file, path)
LINKED_SIZE = 5000  # linked files kept (about 30 KB each with source info)
IMPORTS: dict[tuple[str, str], tuple[tuple[str, ...], tuple[tuple[int, int], ...]]] = {}  # from the parser
DECLARED: OrderedDict[tuple[str, str], ParsedFile] = OrderedDict()  # parsed, never linked: never mutate
SCANNED: dict[str, tuple[str, ...]] = {}  # blob id -> imports (scan_imports or the parser)


def clear_cache() -> None:
    """Forget every cached file (in this process; see :mod:`.diskcache` for the other one)."""
    LINKED.clear()
    IMPORTS.clear()
    DECLARED.clear()
    SCANNED.clear()


def remember(cache: OrderedDict, key, value) -> None:
    """Store in a bounded LRU dict."""
    cache[key] = value
    if len(cache) > LINKED_SIZE:
        cache.popitem(last=False)


def digest(*parts: object) -> str:
    return hashlib.sha1(repr(parts).encode()).hexdigest()


class Failed(Exception):
    """A file (or one it imports) did not compile; carries the first error."""

    def __init__(self, error: ParseError) -> None:
        super().__init__(str(error))
        self.error = error


def pack(pf: ParsedFile) -> bytes:
    return b"%d\n" % pf.visibility + pf.fd.SerializeToString()


def unpack(data: bytes, path: str) -> ParsedFile | None:
    """The file stored by :func:`pack` (no locations or pending options), None if unreadable."""
    head, sep, body = data.partition(b"\n")
    if not sep or not head.lstrip(b"-").isdigit():
        return None
    try:
        fd = d.FileDescriptorProto.FromString(body)
    except Exception:  # a corrupt entry reads as a miss  # noqa: BLE001
        return None
    syntax = fd.syntax or "proto2"
    return ParsedFile(path, fd, syntax, [], [], [], [], max(0, int(head)))
