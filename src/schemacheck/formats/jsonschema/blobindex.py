"""What a run needs to know about a JSON/YAML blob it does not compare: read once, kept by blob id.

Maintainers: finding the schemas that ``$ref`` a changed file, the files declaring a ``$id``,
the users of a removed definition, and which JSON/YAML files are schemas or OpenAPI documents
at all, asks a question of every JSON/YAML file of a revision. The answers depend on the blob
alone, so they are computed once per blob by one text scan (:mod:`.blobfacts`, no parsing)
and kept in memory and in the disk cache's per-blob index (:mod:`schemacheck.diskcache`,
namespace ``json``, versioned by the scanners' source): a later run, in any clone and on any
branch, reads only the blobs it has never seen. A partial clone then needs only the blobs the
check compares, predicted from the index and fetched with the change in one batch
(``compat/jsonschema/prefetch.py``); with a cold index that batch holds every JSON/YAML blob
the index lacks. The first blob read of a snapshot reads all those it lacks ahead.

A tampered or damaged index is a miss (the disk cache checks a checksum and the blob id of
every line); a fact that does not decode to the expected shape is a miss too. Either way the
blob is read again: the cache costs time, never a verdict.
"""

from __future__ import annotations

import functools
import weakref
from collections.abc import Callable, Container, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ...errors import SchemacheckError
from .blobfacts import BlobFacts, mentions, scan

if TYPE_CHECKING:
    from ...diskcache import DiskCache
    from ...snapshot import Snapshot

__all__ = ["BlobIndex", "close_index", "validated", "remember_valid", "files_naming", "file_names", "any_file_naming"]

#: A fact line larger than this is not kept (the blob is read again next time).
_MAX_LINE = 64 * 1024
_MEMO_MAX = 200_000


@functools.lru_cache(maxsize=1024)
def _plain(needle: str) -> bool:
    """A needle :func:`mentions` can answer and JSON writes unescaped (printable ASCII, no quote or backslash)."""
    return all(" " < c <= "~" and c not in "\"\\" for c in needle) and mentions(_NO_FACTS, needle) is not None


def _version() -> str:
    from ...diskcache import source_digest

    here = Path(__file__).parent
    return source_digest(here / "blobindex.py", here / "blobfacts.py", here / "detect.py", here / "metaschema.py",
                         here.parent / "openapi" / "detect.py", *_validator_versions())


def _validator_versions() -> list[str]:
    """The installed ``jsonschema`` and metaschema distributions (their dist-info names carry the
    versions), found without importing them: a remembered verdict is of one validator version."""
    import importlib.util
    import os

    spec = importlib.util.find_spec("jsonschema")
    if spec is None or not spec.origin:
        return []
    site = os.path.dirname(os.path.dirname(spec.origin))
    try:
        return sorted(e for e in os.listdir(site) if e.startswith(("jsonschema-", "jsonschema_specifications-"))
                      and e.endswith(".dist-info"))
    except OSError:
        return []


_MEMO: dict[str, BlobFacts] = {}
_BATCHED: weakref.WeakSet = weakref.WeakSet()  # snapshots whose unindexed blobs were fetched
_READ_AHEAD: weakref.WeakSet = weakref.WeakSet()  # snapshots whose unindexed blobs were read ahead
_BY_SNAPSHOT: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_VALID: set[str] = set()
_NO_FACTS = BlobFacts(False, False, (), (), ())


def _disk() -> DiskCache | None:
    from ...diskcache import open_cache

    return open_cache("json", _version, "facts.idx")


def validated(key: str) -> bool:
    """Whether an earlier run found the part with this digest valid (:mod:`.metaschema`)."""
    if key in _VALID:
        return True
    disk = _disk()
    return disk is not None and disk.indexed(key) == ("valid",)


def remember_valid(key: str) -> None:
    """Record that the part with this digest is valid against its metaschema."""
    if len(_VALID) > _MEMO_MAX:  # a long-lived process (a fuzz campaign) stays bounded
        _VALID.clear()
    _VALID.add(key)
    disk = _disk()
    if disk is not None:
        disk.add_indexed(key, ("valid",))


def file_names(paths: Iterable[str]) -> set[str]:
    """The file names (last path segments) of ``paths``: what a ``$ref`` to one must contain."""
    return {path.rsplit("/", 1)[-1] for path in paths}


def files_naming(paths: Sequence[str], index: BlobIndex, needles: Iterable[str],
                 skip: Container[str] = ()) -> list[str]:
    """The JSON/YAML files of ``paths`` outside ``skip`` whose text contains one of ``needles``.

    Used to find the files a changed one may reach by ``$ref`` (every such reference names the
    file). The text search (an index lookup per file) comes before membership in ``paths``: when
    ``paths`` is a format's unlisted :class:`~schemacheck.scope.FormatPaths`, claiming every file
    of the tree as a schema cost more than finding the few that name a changed one (5,000
    schemas: two thirds of a warm run), so only the files that pass are claimed.
    """
    from ...scope import FormatPaths
    from .detect import is_json_or_yaml

    needles = tuple(sorted(needles))  # one order, so the answers remembered per needles are found again

    def eligible(path: str) -> bool:
        return path not in skip and is_json_or_yaml(path)

    def names_one(path: str) -> bool:
        return index.mentions(path, needles)

    if isinstance(paths, FormatPaths):
        return paths.passing(names_one, eligible)
    return [p for p in paths if eligible(p) and names_one(p)]


def any_file_naming(related: Iterable[str], paths: Sequence[str], snapshot: Snapshot) -> bool:
    """Whether a file of ``paths`` names one of the ``related`` files: the JSON/YAML formats'
    ``FormatChecker.reached_by`` (a ``$ref`` to a file contains its name)."""
    return bool(files_naming(paths, BlobIndex.of(snapshot), file_names(related)))


def close_index() -> None:
    """End of a check: write the facts learnt in this run to the disk index (one write)."""
    disk = _disk()
    if disk is not None:
        disk.close()


class BlobIndex:
    """The facts of one snapshot's files: from memory, else the disk index, else the blob (then recorded).

    Args:
        snapshot: The revision whose files are asked about.
    """

    def __init__(self, snapshot: Snapshot) -> None:
        try:  # weakly: the per-snapshot table must not keep a snapshot (and its git processes) alive
            self._snapshot: Callable[[], Snapshot | None] = weakref.ref(snapshot)
        except TypeError:
            self._snapshot = lambda: snapshot
        self._cache = _disk()  # opened once per snapshot: the runner asks about every path
        self._mentioned: dict[tuple[str, tuple[str, ...]], bool] = {}

    @property
    def snapshot(self) -> Snapshot:
        found = self._snapshot()
        assert found is not None, "a BlobIndex outlived its snapshot"
        return found

    @staticmethod
    def of(snapshot: Snapshot) -> BlobIndex:
        """The index of ``snapshot`` (one per snapshot, so per-path questions cost dictionary lookups)."""
        try:
            found = _BY_SNAPSHOT.get(snapshot)
            if found is None:
                found = _BY_SNAPSHOT[snapshot] = BlobIndex(snapshot)
            return found
        except TypeError:  # not weakly referable or not hashable: a fresh one
            return BlobIndex(snapshot)

    def known(self, path: str) -> bool:
        """Whether the facts of ``path`` are at hand without reading it (memory or disk index)."""
        try:
            blob = self.snapshot.blob_id(path)
        except (OSError, SchemacheckError):
            return False
        return blob is not None and self._stored(blob) is not None

    def facts(self, path: str) -> BlobFacts:
        """The facts of ``path``.

        Raises:
            OSError, SchemacheckError: As ``snapshot.read`` does, when the file must be read and cannot be.
        """
        blob = self.snapshot.blob_id(path)
        if blob is not None:
            found = self._stored(blob)
            if found is not None:
                return found
        self._before_first_read()
        found = scan(self.snapshot.read(path))
        if blob is not None:
            if len(_MEMO) > _MEMO_MAX:
                _MEMO.clear()
            _MEMO[blob] = found
            disk = self._cache
            if disk is not None and disk.enabled:
                line = found.encode()
                if len(line) > _MAX_LINE:
                    line = BlobFacts(found.schema, found.openapi, found.ids, None, None).encode()
                if len(line) <= _MAX_LINE:
                    disk.add_indexed(blob, (line,))
        return found

    def sniffed(self, path: str) -> tuple[bool, bool]:
        """(is a JSON Schema, is an OpenAPI document) by their sniffers; read from an index line's
        first field without decoding the rest (the runner asks it of every JSON/YAML file).

        Raises:
            OSError, SchemacheckError: As :meth:`facts`.
        """
        blob = self.snapshot.blob_id(path)
        if blob is not None and blob not in _MEMO:
            disk = self._cache
            fields = disk.indexed(blob) if disk is not None else None
            if fields is not None and len(fields) == 1 and fields[0][:1] == "[" and fields[0][1:2] in "0123" \
                    and fields[0][2:3] == "," and fields[0][1:2]:
                flags = int(fields[0][1])
                return bool(flags & 1), bool(flags & 2)
        found = self.facts(path)
        return found.schema, found.openapi

    def readable_facts(self, path: str) -> BlobFacts | None:
        """Complete :meth:`facts`, or None when the file cannot be read (reported where it is loaded, if ever)."""
        try:
            found = self.facts(path)
            return found if found.complete else scan(self.snapshot.read(path))
        except (OSError, SchemacheckError):
            return None

    def mentions(self, path: str, needles: Iterable[str]) -> bool:
        """Whether the text of ``path`` contains one of ``needles`` (False when it cannot be read).

        Remembered per snapshot: every JSON/YAML format asks it of the same files for the same
        change (OpenAPI's :meth:`~schemacheck.checkers.FormatChecker.reached_by`, then JSON
        Schema's dependents scan)."""
        needles = tuple(needles)
        key = (path, needles)
        found = self._mentioned.get(key)
        if found is None:
            found = self._mentioned[key] = self._mentions(path, needles)
        return found

    def _mentions(self, path: str, needles: tuple[str, ...]) -> bool:
        if all(_plain(n) for n in needles):
            # An index line holds every name run as written (JSON, ASCII-escaped): a plain needle
            # absent from the line is absent from the runs, so most files need no decoding.
            line = self._line(path)
            if line is not None and not any(n in line for n in needles):
                return False
        facts = self.readable_facts(path)
        if facts is None:
            return False
        unsure: list[str] = []
        for needle in needles:
            answer = mentions(facts, needle)
            if answer:
                return True
            if answer is None:
                unsure.append(needle)
        if not unsure:
            return False
        try:
            raw = self.snapshot.read(path)
        except (OSError, SchemacheckError):
            return False
        return any(n.encode("utf-8", "surrogateescape") in raw for n in unsure)

    def stored(self, path: str) -> BlobFacts | None:
        """The facts of ``path`` when at hand without reading it (memory or disk index), else None."""
        try:
            blob = self.snapshot.blob_id(path)
        except (OSError, SchemacheckError):
            return None
        return self._stored(blob) if blob is not None else None

    def mentions_known(self, path: str, needles: Iterable[str]) -> bool | None:
        """:meth:`mentions` without reading: None when only the text could tell (the facts are not
        at hand, were not all kept, or a needle is not a plain file name)."""
        needles = tuple(needles)
        if all(_plain(n) for n in needles):
            line = self._line(path)
            if line is not None and not any(n in line for n in needles):
                return False
        facts = self.stored(path)
        if facts is None or not facts.complete:
            return None
        answers = [mentions(facts, needle) for needle in needles]
        return True if any(answers) else None if None in answers else False

    def ids(self, path: str) -> tuple[str, ...] | None:
        """The ``$id``s ``path`` declares (text scan), or None when it cannot be read."""
        facts = self.readable_facts(path)
        return facts.ids if facts is not None else None

    def refs(self, path: str) -> tuple[str, ...] | None:
        """The ``$ref`` values ``path`` holds (text scan), or None when it cannot be read."""
        facts = self.readable_facts(path)
        return facts.refs if facts is not None else None

    def _before_first_read(self) -> None:
        """The first time this snapshot's facts need a blob read: the JSON/YAML files the index
        lacks are what the sniffing and the dependents scan read next (with a warm index only the
        change; with a cold one every file). So, once per snapshot: where the snapshot can fetch
        (a partial clone run with ``--fetch-missing``) and the runner's prediction did not already,
        fetch them in one batch, never one fetch per blob; and read them ahead in a few round
        trips (``snapshot.read_ahead``: one ``cat-file`` request per blob was a quarter of a run
        with a cold index)."""
        from ...snapshot import can_fetch, prefetch
        from .detect import is_json_or_yaml

        snapshot = self.snapshot
        try:
            if snapshot in _READ_AHEAD:
                return
            _READ_AHEAD.add(snapshot)
        except TypeError:  # not weakly referable: read one at a time
            return
        if can_fetch(snapshot) and snapshot not in _BATCHED:
            prefetch([(snapshot, self.unindexed())])
        read_ahead = getattr(snapshot, "read_ahead", None)
        if read_ahead is not None:
            # A hint: a line is taken as known without decoding it (5,000 decodes were most of
            # this in a warm run); a bad line is read later, one at a time, as before.
            paths = [p for p in snapshot.paths() if is_json_or_yaml(p) and not self._listed(p)]
            if len(paths) > 1:
                read_ahead(paths)

    def _listed(self, path: str) -> bool:
        """Whether the index has a line (or memory an answer) for ``path``'s blob, undecoded."""
        try:
            blob = self.snapshot.blob_id(path)
        except (OSError, SchemacheckError):
            return True  # not readable ahead either
        if blob is None or blob in _MEMO:
            return True
        disk = self._cache
        return disk is not None and disk.indexed(blob) is not None

    def unindexed(self) -> list[str]:
        """The snapshot's JSON/YAML files whose facts are not at hand: what a first read of one
        would fetch (:meth:`_before_first_read`), asked ahead by the JSON Schema checker's
        prediction (``compat/jsonschema/prefetch.py``), which fetches them with the change."""
        from .detect import is_json_or_yaml

        try:
            _BATCHED.add(self.snapshot)
        except TypeError:
            pass
        return [p for p in self.snapshot.paths() if is_json_or_yaml(p) and not self.known(p)]

    def _line(self, path: str) -> str | None:
        """The disk index line of ``path``'s blob, when there is one and the blob is not in memory."""
        try:
            blob = self.snapshot.blob_id(path)
        except (OSError, SchemacheckError):
            return None
        if blob is None or blob in _MEMO:
            return None
        disk = self._cache
        fields = disk.indexed(blob) if disk is not None else None
        # a line whose name runs were not kept ends in "null]"; a complete one in "]]"
        return fields[0] if fields is not None and len(fields) == 1 and fields[0].endswith("]]") else None

    def _stored(self, blob: str) -> BlobFacts | None:
        found = _MEMO.get(blob)
        if found is not None:
            return found
        disk = self._cache
        fields = disk.indexed(blob) if disk is not None else None
        if fields is None or len(fields) != 1:
            return None
        found = BlobFacts.decode(fields[0])
        if found is not None:
            _MEMO[blob] = found
        return found
