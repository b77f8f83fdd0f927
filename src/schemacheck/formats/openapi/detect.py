"""Which files are OpenAPI documents: ``include`` globs, or a top-level ``openapi``/``swagger`` key.

Maintainers: the runner asks about every changed JSON/YAML file, so this is a cheap text test on
the first :data:`SNIFF_BYTES`: a YAML line ``openapi: 3…``/``swagger: "2.0"`` starting in column
0, or a JSON member ``"openapi": "3…"``. The loader confirms the key is top-level (a JSON
pre-filter hit on a nested key is rejected there as "not an OpenAPI document"). Verdicts are
kept by content id in the JSON/YAML blob index (``formats/jsonschema/blobindex.py``, also on
disk), so a file is read once, ever.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ...globs import matches_any
from ...snapshot import Snapshot

__all__ = ["SNIFF_BYTES", "looks_like_openapi", "is_openapi", "is_json_or_yaml"]

#: How much of a file is searched for the version key.
SNIFF_BYTES = 8192
_EXTENSIONS = (".json", ".yaml", ".yml")
_YAML_KEY = re.compile(rb"""^(?:openapi|["']openapi["'])[ \t]*:[ \t]*["']?3\.|^(?:swagger|["']swagger["'])[ \t]*:"""
                       rb"""[ \t]*["']?2\.0""", re.MULTILINE)
_JSON_KEY = re.compile(rb""""openapi"\s*:\s*"3\.|"swagger"\s*:\s*"2\.0""")


def is_json_or_yaml(path: str) -> bool:
    """Whether the name has a JSON or YAML extension."""
    return path.lower().endswith(_EXTENSIONS)


def looks_like_openapi(head: bytes) -> bool:
    """Whether the start of a file has an ``openapi: 3.x`` or ``swagger: "2.0"`` key."""
    head = head[:SNIFF_BYTES]
    return _YAML_KEY.search(head) is not None or _JSON_KEY.search(head) is not None


def is_openapi(path: str, snapshot: Snapshot | None, include: Iterable[str] = ()) -> bool:
    """Decide whether ``path`` is an OpenAPI document.

    Args:
        path: Repository-relative POSIX path.
        snapshot: Where to read the content (``None``: decide by globs only).
        include: ``[tool.schemacheck.openapi] include`` globs; a match is a spec whatever its content.
    """
    include = tuple(include)
    if include and matches_any(path, include):
        return True
    if not is_json_or_yaml(path) or snapshot is None:
        return False
    from ..jsonschema.blobindex import BlobIndex

    try:
        return BlobIndex.of(snapshot).sniffed(path)[1]
    except (FileNotFoundError, OSError):
        return False
