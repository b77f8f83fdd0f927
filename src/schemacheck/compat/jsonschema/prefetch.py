"""A partial clone run with ``--fetch-missing``: the blobs the JSON Schema check will read, in one batch.

Maintainers: a blobless clone (``git clone --filter=blob:none``) holds no blob it has not
checked out, and schemacheck never fetches lazily (one ``git fetch`` per object made a
5,000-schema check take 40 s). The change's own blobs arrive before any format runs
(``revisions.compare``); this module adds, in one more ``git fetch``, what the comparison
will read besides them, predicted without reading an unchanged blob:

1. the JSON/YAML files whose facts the per-blob index (``formats/jsonschema/blobindex.py``)
   does not hold, the first time it must read one (the index does that itself, since the
   runner's detection asks it first): with a warm index (a cache restored from an earlier run,
   in any clone, on any branch: it is keyed by blob id) none, with a cold one all of them,
   which the dependents scan needs anyway;
2. the dependents (unchanged schemas whose text names a changed file) and everything the
   changed files and the dependents reach through ``$ref``, on both sides, transitively, as the
   index's ``$ref`` values say: relative references by path, absolute ones through the files
   that declare that ``$id``.

This is a prediction, not the resolver: a reference it misses (a ``$ref`` resolved against an
embedded ``$id``, a remote URI mapped through a root ``$id``) is read later like any other and,
if absent, is an error naming the blob. It never makes the check pass with less.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable
from urllib.parse import unquote, urldefrag, urljoin

from ...checkers import FormatJob
from ...formats.jsonschema.blobindex import BlobIndex
from ...formats.jsonschema.detect import is_json_or_yaml
from ...formats.jsonschema.ids import REPO_BASE, retrieval_uri
from ...snapshot import Snapshot, can_fetch, prefetch, unsafe_reason

__all__ = ["fetching", "fetch_reached"]


def fetching(job: FormatJob) -> bool:
    """Whether either side may fetch (otherwise nothing here runs: it costs a normal check nothing)."""
    return can_fetch(job.head) or can_fetch(job.base)


def fetch_reached(job: FormatJob, indexes: dict[bool, BlobIndex], dependents: Iterable[str]) -> int:
    """Step 2: the dependents and what the changed files and they reach by ``$ref``, both sides, in one batch."""
    dependents = list(dependents)
    wanted: list[tuple[Snapshot, Iterable[str]]] = []
    for head, snapshot in ((True, job.head), (False, job.base)):
        start = [p for p in (*job.changed, *dependents) if snapshot.exists(p)]
        wanted.append((snapshot, _reached(snapshot, indexes[head], start)))
    return prefetch(wanted)


def _reached(snapshot: Snapshot, index: BlobIndex, start: list[str]) -> set[str]:
    """``start`` and the files their ``$ref``s reach in ``snapshot``, transitively (from the index)."""
    seen: set[str] = set()
    todo = list(start)
    by_id: dict[str, list[str]] | None = None
    while todo:
        path = todo.pop()
        if path in seen:
            continue
        seen.add(path)
        for ref in index.refs(path) or ():
            uri = urldefrag(urljoin(retrieval_uri(path), ref))[0]
            if uri.startswith(REPO_BASE):
                target = posixpath.normpath(unquote(uri[len(REPO_BASE):]))
                if unsafe_reason(target) is None and snapshot.exists(target):
                    todo.append(target)
            elif uri:
                if by_id is None:
                    by_id = _declared_by(snapshot, index)
                todo.extend(by_id.get(uri, ()))
    return seen


def _declared_by(snapshot: Snapshot, index: BlobIndex) -> dict[str, list[str]]:
    """``$id`` -> the JSON/YAML files declaring it, among those the index knows (no read)."""
    out: dict[str, list[str]] = {}
    for path in snapshot.paths():
        if is_json_or_yaml(path) and index.known(path):
            for uri in index.ids(path) or ():
                out.setdefault(uri, []).append(path)
    return out
