"""A partial clone run with ``--fetch-missing``: the blobs the JSON Schema check will read, in one batch.

Maintainers: a blobless clone (``git clone --filter=blob:none``) holds no blob it has not
checked out, and schemacheck never fetches lazily (one ``git fetch`` per object made a
5,000-schema check take 40 s). Before any format reads a file, the runner asks each format
what it will read (``will_read``) and fetches that with the changed files' blobs in one
``git fetch``. :func:`predicted` answers for JSON Schema without reading a blob, from the
per-blob index (``formats/jsonschema/blobindex.py``, keyed by blob id, so a cache restored
from an earlier run in any clone or branch serves):

1. the JSON/YAML files whose facts the index lacks: their text is what sniffing and the
   dependents scan read (with a cold index every one of them: whether an unchanged file names
   the changed one is a question about its text, which only the text answers);
2. the dependents (unchanged files whose facts say their text names a changed file, and those
   whose facts cannot tell), transitively;
3. what the changed files and the dependents reach by ``$ref``, on both sides, transitively,
   as the index's ``$ref`` values say: relative references by path, absolute ones through the
   files that declare that ``$id``. The head version of a changed file is new to the index,
   so its base version's references stand in for it.

After the changed files are read, :func:`fetch_reached` checks the prediction with the head's
real ``$ref``s: a target it did not foresee (the change added a reference) is fetched in a
second batch; ids an earlier batch covered are not asked about again, so in the common case
nothing runs. A reference neither foresees (a ``$ref`` resolved against an embedded ``$id``,
a remote URI mapped through a root ``$id``) is read later like any other and, if absent, is an
error naming the blob. It never makes the check pass with less.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING
from urllib.parse import unquote, urldefrag, urljoin

from ...checkers import FormatJob
from ...formats.jsonschema.blobindex import BlobIndex, file_names
from ...formats.jsonschema.detect import is_json_or_yaml
from ...formats.jsonschema.ids import REPO_BASE, retrieval_uri
from ...snapshot import Snapshot, can_fetch, prefetch, unsafe_reason

if TYPE_CHECKING:
    from ...runner import CheckRequest

__all__ = ["fetching", "fetch_reached", "predicted"]

RefsOf = Callable[[str], "tuple[str, ...] | None"]


def fetching(job: FormatJob) -> bool:
    """Whether either side may fetch (otherwise nothing here runs: it costs a normal check nothing)."""
    return can_fetch(job.head) or can_fetch(job.base)


def predicted(request: CheckRequest) -> list[tuple[Snapshot, set[str]]]:
    """Steps 1-3 for the runner's one batch, read-free: (snapshot, paths) per side."""
    changed = {p for p in request.changed or () if is_json_or_yaml(p)}
    if not changed:
        return []
    head, base = request.head, request.base
    indexes = {True: BlobIndex.of(head), False: BlobIndex.of(base)}
    unknown = set(indexes[True].unindexed())
    indexes[False].unindexed()  # the base's unchanged files have the head's blobs: fetched with them
    base_paths = set(base.paths())
    candidates = [p for p in head.paths() if is_json_or_yaml(p) and p not in changed and p in base_paths
                  and p not in unknown]
    dependents, unsure = _dependents(indexes[True], candidates, changed)
    old_of = {new: old for old, new in request.renames.items()}

    def head_refs(path: str) -> tuple[str, ...] | None:
        facts = indexes[True].stored(path)
        if facts is None and path in changed:  # new to the index: its base version stands in
            facts = indexes[False].stored(old_of.get(path, path))
        return facts.refs if facts is not None else None

    def base_refs(path: str) -> tuple[str, ...] | None:
        facts = indexes[False].stored(path)
        return facts.refs if facts is not None else None

    out: list[tuple[Snapshot, set[str]]] = []
    for snapshot, index, refs_of in ((head, indexes[True], head_refs), (base, indexes[False], base_refs)):
        start = [p for p in (*changed, *dependents) if snapshot.exists(p)]
        out.append((snapshot, _reached(snapshot, index, start, refs_of) | (unknown | unsure
                                                                            if snapshot is head else set())))
    return out


def _dependents(index: BlobIndex, candidates: list[str], changed: set[str],
                max_rounds: int = 8) -> tuple[set[str], set[str]]:
    """(files whose facts say they name a changed file, transitively; files whose facts cannot tell)."""
    found: set[str] = set()
    unsure: set[str] = set()
    names = file_names(changed)
    for _ in range(max_rounds):
        new = []
        for path in candidates:
            answer = index.mentions_known(path, names)
            if answer:
                new.append(path)
            elif answer is None:
                unsure.add(path)
        if not new:
            break
        found.update(new)
        candidates = [p for p in candidates if p not in found]
        names = file_names(new)
    return found, unsure - found


def fetch_reached(job: FormatJob, indexes: dict[bool, BlobIndex], dependents: Iterable[str]) -> int:
    """After the dependents scan: what the changed files and the dependents reach by ``$ref``,
    both sides, from their real facts; only what the runner's batch did not hold is fetched."""
    dependents = list(dependents)
    wanted: list[tuple[Snapshot, Iterable[str]]] = []
    for head, snapshot in ((True, job.head), (False, job.base)):
        start = [p for p in (*job.changed, *dependents) if snapshot.exists(p)]
        wanted.append((snapshot, _reached(snapshot, indexes[head], start, indexes[head].refs)))
    return prefetch(wanted)


def _reached(snapshot: Snapshot, index: BlobIndex, start: list[str], refs_of: RefsOf) -> set[str]:
    """``start`` and the files their ``$ref``s reach in ``snapshot``, transitively (``refs_of``: from the index)."""
    seen: set[str] = set()
    todo = list(start)
    by_id: dict[str, list[str]] | None = None
    while todo:
        path = todo.pop()
        if path in seen:
            continue
        seen.add(path)
        for ref in refs_of(path) or ():
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
        if is_json_or_yaml(path):
            facts = index.stored(path)
            for uri in facts.ids if facts is not None else ():
                out.setdefault(uri, []).append(path)
    return out
