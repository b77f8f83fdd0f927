"""On-disk caches across runs, keyed by git blob ids: the one cache code every format uses.

Maintainers: a pre-commit hook runs the same check again and again with most files
unchanged; a cache lets a run skip reading and parsing what an earlier run already did.
Entries are files under ``$SCHEMACHECK_CACHE_DIR``, else ``$XDG_CACHE_HOME/schemacheck``,
else ``~/.cache/schemacheck`` (never inside the git work tree being checked: then the cache is
off), in a sub-directory ``<namespace>-<version>`` that the user names with a digest of the
code that produces the entries (:func:`open_cache`: ``proto-`` for the protobuf compiler,
``json-`` for the JSON Schema blob index), so a new version never reads an old entry. Keys
are digests the caller computes from blob ids; values are bytes. Small facts about a blob,
wanted by the hundred or thousand (a ``.proto`` file's imports, a JSON file's ``$ref``s and
``$id``s), share one index file per cache (:meth:`DiskCache.indexed`), written once per run.
A run with many targets (every file changed: a large refactor, a first CI run) is in *batch*
mode: its entries are appended to one pack file (``pk/<random>``, renamed into place when
complete) listed in ``packs.idx`` (a pack is named by 16 hex digits, never a path), instead
of a file each: creating a file per entry made a cold run slower than no cache at all, so
such runs used to write nothing, and a rerun recompiled everything.

What it trusts (docs/architecture.md, "Caches"): regular files owned by this user in
directories owned by this user that nobody else may write. It is never a way in: below the
configured base directory nothing is followed (:mod:`.cachefs`: directories and entries are
opened relative to their parent's descriptor with ``O_NOFOLLOW``; symlinks, FIFOs and devices are misses, and
are deleted, never opened); an entry is size-checked with ``fstat`` before it is read; it
records the key and the blob id it describes and a checksum of the whole, and one that does
not match the lookup is a miss (so a copied, truncated or flipped entry never changes a
verdict); an index line is returned only for the blob id it records; eviction walks
directories by descriptor and deletes only regular files inside.
Writes go to a temporary file renamed into place (atomic; concurrent runs at worst write the
same entry twice); any other ``OSError`` turns the cache off for the rest of the run. Size:
when the directory grows past ``SCHEMACHECK_CACHE_MAX_MB`` (default 256) the least recently
written entries are deleted until it is at 3/4 of that. ``SCHEMACHECK_NO_CACHE=1`` disables it.
"""

from __future__ import annotations

import errno
import hashlib
import os
import re
import stat
from collections.abc import Callable
from pathlib import Path

from .cachefs import create_temporary, open_dir, open_regular, read_regular, regular_files, unlink_quiet, write_atomic

__all__ = ["DiskCache", "open_cache", "source_digest", "MAX_ENTRY_BYTES", "WRITE_BUDGET", "PACK_TARGETS"]

_MAGIC = b"SCPB2"
_SUM = 16  # bytes of blake2b checksum after the magic
_EVICT_EVERY = 512  # check the size after this many writes (and once per process that wrote)
#: Entry files written per run at most (a run in batch mode writes packs instead).
WRITE_BUDGET = 256
#: Runs with more targets than this write their entries into packs (:attr:`DiskCache.batch`):
#: one file per entry costs about half a millisecond to create, a pack a few microseconds.
PACK_TARGETS = 16
_INDEX = "blobs.idx"
_INDEX_MAX = 400_000  # lines kept in the index
_INDEX_MAX_BYTES = 16 * 1024 * 1024  # and bytes: past either, the next write starts it afresh
_PACKS = "pk"  # sub-directory of packs (not hex, so never an entry sub-directory)
_PACK_INDEX = "packs.idx"
_PACK_INDEX_MAX = 200_000  # entries kept in the packs index (the oldest go first)
_PACK_BYTES = 16 * 1024 * 1024  # a pack is completed when it grows past this (or a quarter of the cache)
_PACK_NAME = re.compile(rb"[0-9a-f]{16}")
#: Largest entry read (bytes); larger files are misses, and so is any entry larger than the cache.
MAX_ENTRY_BYTES = 64 * 1024 * 1024


class DiskCache:
    """A directory of checksummed entries, each naming the key and blob it was written for.

    Args:
        directory: Where entries live (created on first write); its name up to the first ``-``
            is the namespace whose other versions eviction removes.
        max_bytes: Size above which old entries are evicted.
        index_name: The name of the index file (one per cache directory).
    """

    def __init__(self, directory: Path, max_bytes: int, index_name: str = _INDEX) -> None:
        self.directory = directory
        self.max_bytes = max_bytes
        self.index_name = index_name
        self.enabled = True
        self.writes = 0
        self._index: dict[str, str] | None = None  # blob id -> fields, "\t"-joined
        self._index_new: dict[str, str] = {}
        #: Set by the compiler for a run with more than PACK_TARGETS targets: entries go to a pack.
        self.batch = False
        self._packs: dict[str, tuple[str, int, int]] | None = None  # key -> (pack, offset, length)
        self._packs_new: dict[str, tuple[str, int, int]] = {}
        self._pack_fds: dict[str, int | None] = {}  # packs opened for reading this run (None: unusable)
        self._writing: tuple[int, int, str, str] | None = None  # (dir fd, file fd, temporary name, pack name)
        self._written = 0  # bytes in the pack being written
        self._buffer: list[bytes] = []  # entries not written yet (one write per megabyte)
        self._buffered = 0
        self._subs: dict[str, int | None] = {}  # batch mode: sub-directory descriptors of this run

    def _path(self, key: str) -> Path:
        return self.directory / key[:2] / key

    def _dir(self, *parts: str, create: bool = False) -> int:
        """A descriptor of the version directory (or a sub-directory), never through a symlink.

        A sub-directory that is a symlink or a file is removed (the link, not its target) and,
        when ``create``, made again; anything else untrusted raises ``OSError``.
        """
        try:
            return open_dir(self.directory.parent, (self.directory.name, *parts), create)
        except OSError as exc:
            if not parts or exc.errno not in (errno.ELOOP, errno.ENOTDIR):
                raise
        top = open_dir(self.directory.parent, (self.directory.name,), create=False)
        try:
            unlink_quiet(top, parts[0])
        finally:
            os.close(top)
        return open_dir(self.directory.parent, (self.directory.name, *parts), create)

    def get(self, key: str, blob: str = "") -> bytes | None:
        """The value stored under ``key`` for ``blob``, or None (missing, unreadable, not ours, or corrupt)."""
        if not self.enabled:
            return None
        if self._packs is None:
            self._load_packs()
        where = self._packs.get(key) if self._packs else None
        if where is not None:
            value = self._pack_get(where, key, blob)
            if value is not None:
                return value
        batch = self.batch
        try:
            sub = self._batch_sub(key[:2]) if batch else self._dir(key[:2])
        except FileNotFoundError:
            return None
        except OSError:
            self.enabled = False
            return None
        try:
            data = read_regular(sub, key, min(MAX_ENTRY_BYTES, self.max_bytes))
            if data is None:
                return None
            value = _check(data, key, blob)
            if value is None:
                unlink_quiet(sub, key)
            return value
        except OSError:
            self.enabled = False
            return None
        finally:
            if not batch:
                os.close(sub)

    def _batch_sub(self, name: str) -> int:
        """Sub-directory ``name`` for a lookup in batch mode: opened (and checked) by :meth:`_dir`
        once per run and kept until :meth:`close`, since thousands of lookups would otherwise
        open the directory chain once each; one found missing stays missing for the run."""
        if name not in self._subs:
            try:
                self._subs[name] = self._dir(name)
            except FileNotFoundError:
                self._subs[name] = None
        fd = self._subs[name]
        if fd is None:
            raise FileNotFoundError(name)
        return fd

    def put(self, key: str, value: bytes, blob: str = "") -> None:
        """Store ``value`` under ``key`` for ``blob`` (best effort; at most :data:`WRITE_BUDGET`
        entry files per run; in batch mode, appended to the run's pack)."""
        if not self.enabled:
            return
        if self.batch and key not in (self.index_name, _PACK_INDEX):
            self._pack_put(key, _entry(key, blob, value))
            return
        if self.writes >= WRITE_BUDGET:
            return
        try:
            sub = self._dir(key[:2], create=True)
            try:
                write_atomic(sub, key, _entry(key, blob, value))
            finally:
                os.close(sub)
        except OSError:
            self.enabled = False
            return
        self.writes += 1
        if self.writes % _EVICT_EVERY == 0:
            self.evict()

    # -- the index: one file, since facts are tiny and a run wants hundreds or thousands ----
    def indexed(self, blob: str) -> tuple[str, ...] | None:
        """The fields recorded for ``blob`` (by :meth:`add_indexed`, in any earlier run), or None.

        A line is only ever returned for the blob id it records; the file as a whole is an
        entry like any other (checksummed, size-bounded, read without following links).
        """
        if not self.enabled:
            return None
        if self._index is None:
            self._index = {}
            raw = self.get(self.index_name)
            if raw:
                try:
                    for line in raw.decode("utf-8").split("\n"):
                        blob_id, _, rest = line.partition("\t")
                        self._index[blob_id] = rest
                except UnicodeDecodeError:
                    self._index = {}
        found = self._index.get(blob)
        if found is None:
            return None
        return tuple(found.split("\t")) if found else ()

    def add_indexed(self, blob: str, fields: tuple[str, ...]) -> None:
        """Record ``fields`` for ``blob``; written once, when the run ends (:meth:`close`)."""
        if self.enabled and all("\t" not in i and "\n" not in i for i in fields) and not ("\t" in blob or "\n" in blob):
            self._index_new[blob] = "\t".join(fields)

    def _write_index(self) -> None:
        # Merged with the file as it is now, not as this run first read it: another process
        # (a concurrent run, or the forked child compiling the other revision) may have
        # written its own entries since.
        self._index = None
        batch, self.batch = self.batch, False  # batch mode remembers a directory found missing
        try:
            self.indexed("")
        finally:
            self.batch = batch
        merged = dict(self._index or {})
        if len(merged) + len(self._index_new) > _INDEX_MAX or \
                sum(len(b) + len(v) + 2 for b, v in merged.items()) > _INDEX_MAX_BYTES:
            merged = {}
        merged.update(self._index_new)
        merged.pop("", None)
        budget, self.writes = self.writes, 0  # the index is one write whatever the budget
        self.put(self.index_name, "\n".join(f"{b}\t{i}" for b, i in merged.items()).encode())
        self.writes = budget + 1
        self._index, self._index_new = merged, {}

    # -- packs: the entries of a batch run, appended to one file -------------------------------
    def _pack_put(self, key: str, entry: bytes) -> None:
        try:
            if self._writing is not None and self._written + len(entry) > min(_PACK_BYTES, self.max_bytes // 4):
                self._finish_pack()
            if self._writing is None:
                import secrets

                dir_fd = self._dir(_PACKS, create=True)
                name = secrets.token_hex(8)
                try:
                    fd, tmp = create_temporary(dir_fd, name)
                except OSError:
                    os.close(dir_fd)
                    raise
                self._writing, self._written = (dir_fd, fd, tmp, name), 0
            name = self._writing[3]
            self._buffer.append(entry)
            self._buffered += len(entry)
            if self._buffered >= 1 << 20:
                self._flush_pack()
        except OSError:
            self._abandon_pack()
            self.enabled = False
            return
        self._packs_new[key] = (name, self._written, len(entry))
        self._written += len(entry)

    def _flush_pack(self) -> None:
        data, self._buffer, self._buffered = b"".join(self._buffer), [], 0
        if self._writing is not None:
            view = memoryview(data)
            while view:
                view = view[os.write(self._writing[1], view):]

    def _finish_pack(self) -> None:
        """Rename the pack being written into place; its entries become readable."""
        if self._writing is None:
            return
        dir_fd, fd, tmp, name = self._writing
        try:
            self._flush_pack()
        except OSError:
            self._abandon_pack()
            self.enabled = False
            return
        self._writing = None
        try:
            os.close(fd)
            os.replace(tmp, name, src_dir_fd=dir_fd, dst_dir_fd=dir_fd)
        except OSError:
            unlink_quiet(dir_fd, tmp)
            self._packs_new = {k: v for k, v in self._packs_new.items() if v[0] != name}
            self.enabled = False
        finally:
            os.close(dir_fd)
        self.writes += 1

    def _abandon_pack(self) -> None:
        self._buffer, self._buffered = [], 0
        if self._writing is not None:
            dir_fd, fd, tmp, name = self._writing
            self._writing = None
            for close in (lambda: os.close(fd), lambda: unlink_quiet(dir_fd, tmp), lambda: os.close(dir_fd)):
                try:
                    close()
                except OSError:
                    pass
            self._packs_new = {k: v for k, v in self._packs_new.items() if v[0] != name}

    def _load_packs(self) -> None:
        self._packs = {}
        raw = self.get(_PACK_INDEX)
        if not raw:
            return
        limit = min(MAX_ENTRY_BYTES, self.max_bytes)
        for line in raw.split(b"\n"):
            parts = line.split(b"\t")
            # A pack is named by 16 hex digits (never a path: a damaged index must not make a
            # lookup open or delete anything else), and an entry is never larger than a pack.
            if len(parts) == 4 and _PACK_NAME.fullmatch(parts[1]) and parts[2].isdigit() and parts[3].isdigit() \
                    and int(parts[3]) <= limit:
                try:
                    self._packs[parts[0].decode("ascii")] = (parts[1].decode("ascii"), int(parts[2]), int(parts[3]))
                except UnicodeDecodeError:
                    continue

    def _pack_get(self, where: tuple[str, int, int], key: str, blob: str) -> bytes | None:
        """The entry at ``where`` checked for (key, blob), or None; a pack that is not a regular
        file of this user within the size bound is deleted (the link, never its target)."""
        name, offset, length = where
        if name not in self._pack_fds:
            self._pack_fds[name] = self._open_pack(name)
        fd = self._pack_fds[name]
        if fd is None:
            return None
        try:
            data = os.pread(fd, length, offset)
        except OSError:
            return None
        return _check(data, key, blob) if len(data) == length else None

    def _open_pack(self, name: str) -> int | None:
        """A descriptor of pack ``name``, opened as an entry is (:func:`.cachefs.open_regular`)."""
        try:
            dir_fd = self._dir(_PACKS)
        except OSError:
            return None
        try:
            return open_regular(dir_fd, name, min(MAX_ENTRY_BYTES, self.max_bytes))
        except OSError:
            return None
        finally:
            os.close(dir_fd)

    def _write_pack_index(self) -> None:
        """Merge this run's pack entries into ``packs.idx`` as it is now (another process may
        have added its own since this run read it), leaving out packs no longer there."""
        batch, self.batch = self.batch, False
        try:
            self._load_packs()
        finally:
            self.batch = batch
        merged = {**(self._packs or {}), **self._packs_new}
        try:
            dir_fd = self._dir(_PACKS)
            try:
                present = set(os.listdir(dir_fd))
            finally:
                os.close(dir_fd)
        except OSError:
            present = {name for name, _offset, _length in self._packs_new.values()}
        lines = [f"{k}\t{n}\t{o}\t{ln}" for k, (n, o, ln) in merged.items() if n in present]
        lines = lines[-_PACK_INDEX_MAX:]
        budget, self.writes, batch, self.batch = self.writes, 0, self.batch, False
        self.put(_PACK_INDEX, "\n".join(lines).encode("ascii"))
        self.writes, self.batch = budget + 1, batch
        self._packs, self._packs_new = None, {}

    def evict(self) -> None:
        """Delete the oldest entries while the cache is larger than allowed, and the caches of
        other compiler versions unused for a week. Walks by descriptor and follows nothing:
        a symlink in the cache is deleted as a link, never entered."""
        self._drop_old_versions()
        try:
            entries = sorted((st.st_mtime, st.st_size, sub, name)
                             for sub, name, st in regular_files(self.directory.parent, (self.directory.name,)))
        except OSError:
            return
        total = sum(size for _mtime, size, _sub, _name in entries)
        if total <= self.max_bytes:
            return
        for _mtime, size, sub, name in entries:
            if total <= self.max_bytes * 3 // 4:
                break
            try:
                sub_fd = self._dir(sub)
            except OSError:
                continue
            try:
                os.unlink(name, dir_fd=sub_fd)  # unlink never follows a symlink
            except OSError:
                continue
            finally:
                os.close(sub_fd)
            total -= size

    def _drop_old_versions(self) -> None:
        import shutil
        import time

        try:
            siblings = list(os.scandir(self.directory.parent))
        except OSError:
            return
        week_ago = time.time() - 7 * 86400
        namespace = self.directory.name.split("-", 1)[0] + "-"
        for sibling in siblings:
            if not sibling.name.startswith(namespace) or sibling.path == str(self.directory):
                continue
            try:
                st = sibling.stat(follow_symlinks=False)
            except OSError:
                continue
            if stat.S_ISDIR(st.st_mode) and st.st_mtime < week_ago and st.st_uid == os.geteuid() \
                    and shutil.rmtree.avoids_symlink_attacks:
                shutil.rmtree(sibling.path, ignore_errors=True)

    def close(self) -> None:
        """End of a run: write the index, check the size if this run wrote anything."""
        if self._index_new and self.enabled:
            self._write_index()
        self._finish_pack()
        if self._packs_new and self.enabled:
            self._write_pack_index()
        for fd in self._pack_fds.values():
            if fd is not None:
                os.close(fd)
        self._pack_fds, self._packs = {}, None
        subs, self._subs = self._subs, {}
        for fd in subs.values():
            if fd is not None:
                os.close(fd)
        self.batch = False
        if self.writes % _EVICT_EVERY:
            self.evict()
        self.writes = 0


def _entry(key: str, blob: str, value: bytes) -> bytes:
    """Magic, checksum, then what the entry describes (key and blob id) and the value."""
    body = key.encode() + b"\n" + blob.encode() + b"\n" + value
    return _MAGIC + hashlib.blake2b(body, digest_size=_SUM).digest() + body


def _check(data: bytes, key: str, blob: str) -> bytes | None:
    """The value of an entry read for (key, blob), or None when it is corrupt or describes something else."""
    head = len(_MAGIC) + _SUM
    body = data[head:]
    if data[: len(_MAGIC)] != _MAGIC or hashlib.blake2b(body, digest_size=_SUM).digest() != data[len(_MAGIC): head]:
        return None
    want = key.encode() + b"\n" + blob.encode() + b"\n"
    return body[len(want):] if body.startswith(want) else None


def _base_directory() -> Path | None:
    explicit = os.environ.get("SCHEMACHECK_CACHE_DIR")
    if explicit:
        return Path(explicit)
    xdg = os.environ.get("XDG_CACHE_HOME")
    if xdg and os.path.isabs(xdg):
        return Path(xdg) / "schemacheck"
    home = os.path.expanduser("~")
    if home == "~" or not os.path.isabs(home):
        return None
    return Path(home) / ".cache" / "schemacheck"


def _inside_work_tree(directory: Path) -> bool:
    """Whether ``directory`` is inside the git work tree (or .git) around the current directory."""
    try:
        here = Path.cwd().resolve()
        target = directory.resolve()
    except OSError:
        return True
    for folder in (here, *here.parents):
        if (folder / ".git").exists():
            return folder == target or folder in target.parents
    return False


def source_digest(*parts: str | bytes | Path) -> str:
    """A version digest: of strings (library versions) and files (the code that produces entries)."""
    digest = hashlib.sha1()
    for part in parts:
        if isinstance(part, Path):
            digest.update(part.name.encode())
            digest.update(part.read_bytes())
        else:
            digest.update(part.encode() if isinstance(part, str) else part)
    return digest.hexdigest()[:16]


_OPENED: dict[tuple[str, str], DiskCache | None] = {}
_BASES: dict[tuple[str | None, str | None], Path | None] = {}


def open_cache(namespace: str, version: Callable[[], str], index_name: str = _INDEX) -> DiskCache | None:
    """The cache of ``namespace`` for this process, or None when disabled or unusable.

    Args:
        namespace: ``proto``, ``json``: the directory is ``<namespace>-<version()>``.
        version: A digest of what produces the entries (:func:`source_digest`), asked once.
        index_name: The name of the cache's index file.
    """
    if os.environ.get("SCHEMACHECK_NO_CACHE", "") not in ("", "0"):
        return None
    where = (os.environ.get("SCHEMACHECK_CACHE_DIR"), os.environ.get("XDG_CACHE_HOME"))
    if where not in _BASES:  # asked thousands of times a run (the JSON/YAML index): no Path work each time
        _BASES[where] = _base_directory()
    base = _BASES[where]
    if base is None:
        return None
    marker = (str(base), namespace)
    if marker not in _OPENED:
        cache = None
        if not _inside_work_tree(base):
            try:
                max_mb = int(os.environ.get("SCHEMACHECK_CACHE_MAX_MB", "256"))
            except ValueError:
                max_mb = 256
            own = source_digest(version(), Path(__file__))  # a change to the entry format here, too
            cache = DiskCache(base / f"{namespace}-{own}", max(1, max_mb) * 1024 * 1024, index_name)
        _OPENED[marker] = cache
    cache = _OPENED[marker]
    return cache if cache is not None and cache.enabled else None
