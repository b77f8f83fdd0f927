"""The protobuf compiler's on-disk cache: :mod:`schemacheck.diskcache` under ``proto-<version>``.

Maintainers: the cache code itself (hardening, eviction, the per-blob index) is format-neutral
and lives in :mod:`schemacheck.diskcache`; this module only names the version, a digest of the
compiler's source, its bundled well-known types and the protobuf runtime, so entries of another
version of any of them are never read. The index holds each ``.proto`` blob's imports.
"""

from __future__ import annotations

from pathlib import Path

from ...diskcache import MAX_ENTRY_BYTES, PACK_TARGETS, WRITE_BUDGET, DiskCache, source_digest
from ...diskcache import open_cache as _open

__all__ = ["DiskCache", "open_cache", "MAX_ENTRY_BYTES", "PACK_TARGETS", "WRITE_BUDGET"]


def _version() -> str:
    from google.protobuf import __version__ as runtime

    here = Path(__file__).parent
    return source_digest(runtime, *sorted(here.glob("*.py")), *sorted(here.glob("wkt/**/*.proto")))


def open_cache() -> DiskCache | None:
    """The protobuf cache for this process, or None when disabled or unusable."""
    return _open("proto", _version, "imports.idx")
