"""``$id`` and anchor tables of one JSON Schema document, for :mod:`.refs`.

Maintainers: one iterative walk (depth is not bounded by the interpreter here) over schema
positions collects every embedded ``$id`` (``id`` in draft 4) with the base URI it sets, and
every anchor (``$anchor``, ``$dynamicAnchor``, draft 6/7 ``"$id": "#name"``) keyed by the base
URI it lives under. Values of ``enum``/``const``/``default``/``examples`` are data, not
schemas, and are not searched. In drafts 4-7 a ``$ref`` hides its siblings, ``$id`` included.

:class:`IdCandidates` answers "which files of this revision may declare ``$id`` X" from the
files' text (through the per-blob index, :mod:`.blobindex`), without parsing them, so a
resolver finds a schema by ``$id`` whether or not it was loaded for another reason (base and
head then resolve the same way).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urldefrag, urljoin

from .blobfacts import declared_ids
from .dialect import LEGACY_DIALECTS
from .document import JsonDocument, pointer_join

__all__ = ["REPO_BASE", "IdIndex", "build_index", "retrieval_uri", "id_keyword", "LEGACY_DIALECTS", "declared_ids",
           "IdCandidates"]

#: The synthetic base URI of the repository root.
REPO_BASE = "file:///@repo/"


_MAP_KEYWORDS = frozenset({"properties", "patternProperties", "$defs", "definitions", "dependentSchemas",
                           "dependencies"})
_DATA_KEYWORDS = frozenset({"enum", "const", "examples", "default", "required", "type", "$comment",
                            "description", "title", "format", "pattern", "$schema", "$vocabulary"})


@dataclass(slots=True)
class IdIndex:
    """``$id``/anchor tables of one document (filled by :func:`build_index`, then only read)."""

    base: str  # the document's root base URI (root $id or retrieval URI)
    ids: dict[str, str] = field(default_factory=dict)  # absolute URI -> pointer
    id_pointers: dict[str, str] = field(default_factory=dict)  # pointer -> absolute base URI
    anchors: dict[tuple[str, str], str] = field(default_factory=dict)  # (base URI, name) -> pointer


def retrieval_uri(path: str) -> str:
    """The synthetic URI of a repository file."""
    return REPO_BASE + path


def id_keyword(doc: JsonDocument) -> str:
    """``id`` in draft 4, ``$id`` afterwards."""
    return "id" if doc.dialect == "draft4" else "$id"


def build_index(doc: JsonDocument) -> IdIndex:
    """Walk the document once (iteratively: depth is unbounded here) collecting ids and anchors."""
    id_kw = id_keyword(doc)
    legacy = doc.dialect in LEGACY_DIALECTS
    index = IdIndex(base=retrieval_uri(doc.path))
    index.ids[index.base] = ""
    stack: list[tuple[Any, str, str, bool]] = [(doc.data, "", index.base, True)]
    while stack:
        node, pointer, base, is_schema = stack.pop()
        if isinstance(node, list):
            for i, item in enumerate(node):
                stack.append((item, pointer_join(pointer, i), base, is_schema))
            continue
        if not isinstance(node, dict):
            continue
        if not is_schema:  # a name -> schema map
            for key, value in node.items():
                stack.append((value, pointer_join(pointer, key), base, True))
            continue
        ref_here = legacy and isinstance(node.get("$ref"), str)
        ident = node.get(id_kw)
        if isinstance(ident, str) and not ref_here:
            if ident.startswith("#") and legacy:
                index.anchors[(base, ident[1:])] = pointer
            else:
                new_base, frag = urldefrag(urljoin(base, ident))
                base = new_base
                index.ids[base] = pointer
                index.id_pointers[pointer] = base
                if pointer == "":
                    index.base = base
                if frag and legacy:
                    index.anchors[(base, frag)] = pointer
        for kw in ("$anchor", "$dynamicAnchor"):
            name = node.get(kw)
            if isinstance(name, str):
                index.anchors[(base, name)] = pointer
        for key, value in node.items():
            if key in _DATA_KEYWORDS or not isinstance(value, (dict, list)):
                continue
            stack.append((value, pointer_join(pointer, key), base, key not in _MAP_KEYWORDS))
    return index


class IdCandidates:
    """``uri -> paths`` of one revision whose text declares that ``$id``, gathered once on first use.

    Args:
        paths: Every JSON/YAML path of the revision.
        declared: The absolute ``$id``s a path's text declares (:func:`.blobfacts.declared_ids`,
            from the per-blob index so unchanged files are not read again), or None when it
            cannot be read (the error is reported where the file is loaded, if ever).
    """

    def __init__(self, paths: Callable[[], Iterable[str]], declared: Callable[[str], Iterable[str] | None]) -> None:
        self._paths = paths
        self._declared = declared
        self._by_uri: dict[str, list[str]] | None = None

    def __call__(self, uri: str) -> list[str]:
        if self._by_uri is None:
            self._by_uri = {}
            for path in sorted(self._paths()):
                for found in self._declared(path) or ():
                    self._by_uri.setdefault(found, []).append(path)
        return self._by_uri.get(urldefrag(uri)[0], [])
