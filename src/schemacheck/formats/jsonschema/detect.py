"""Which files are JSON Schemas: configured globs, ``*.schema.json``-style names, or a sniffed ``$schema``.

Maintainers: the runner asks every file of both revisions, so this must be cheap. Only
``.json``/``.yaml``/``.yml`` files are considered; a name match or an ``include`` glob answers
without reading; otherwise the first :data:`SNIFF_BYTES` of the content are searched for a
``$schema`` key naming a JSON Schema dialect (drafts 4, 6, 7, 2019-09, 2020-12). A ``$schema``
naming anything else (``https://json.schemastore.org/tsconfig``) means the file is an
*instance*, not a schema. Sniff results are kept by content id (git blob sha) in the per-blob
index (:mod:`.blobindex`, also on disk), so a file unchanged between base and head, or since an
earlier run, is not read again.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ...globs import matches_any
from ...snapshot import Snapshot

__all__ = ["SCHEMA_SUFFIXES", "SNIFF_BYTES", "looks_like_schema", "is_json_schema", "name_says_schema",
           "is_json_or_yaml"]

#: File names that are JSON Schemas whatever their content.
SCHEMA_SUFFIXES = (".schema.json", ".schema.yaml", ".schema.yml")
#: How much of a file is searched for ``$schema``.
SNIFF_BYTES = 8192
_EXTENSIONS = (".json", ".yaml", ".yml")

_SCHEMA_KEY = re.compile(
    rb"""["']?\$schema["']?\s*:\s*["']?\s*https?://json-schema\.org/"""
    rb"""(?:draft-0[467]/schema|draft/20(?:19-09|20-12)/schema)\b""",
)


def is_json_or_yaml(path: str) -> bool:
    """Whether the file name has a JSON or YAML extension (the only files a schema can be)."""
    return path.lower().endswith(_EXTENSIONS)


def name_says_schema(path: str) -> bool:
    """Whether the file name alone marks a JSON Schema (``*.schema.json`` and YAML variants)."""
    return path.lower().endswith(SCHEMA_SUFFIXES)


def looks_like_schema(head: bytes) -> bool:
    """Whether the start of a file has a ``$schema`` key naming a JSON Schema dialect."""
    return _SCHEMA_KEY.search(head[:SNIFF_BYTES]) is not None


def is_json_schema(path: str, snapshot: Snapshot | None, include: Iterable[str] = ()) -> bool:
    """Decide whether ``path`` is a JSON Schema file.

    Args:
        path: Repository-relative POSIX path.
        snapshot: Where to read the content for sniffing (``None``: decide by name only).
        include: Globs from ``[tool.schemacheck.jsonschema] include``; a match is a schema.
    """
    include = tuple(include)
    if include and matches_any(path, include):
        return True
    if not path.lower().endswith(_EXTENSIONS):
        return False
    if name_says_schema(path):
        return True
    if snapshot is None:
        return False
    from .blobindex import BlobIndex

    try:
        return BlobIndex.of(snapshot).sniffed(path)[0]
    except (FileNotFoundError, OSError):
        return False
