"""The repository handle: every git command and object read of schemacheck goes through it.

Maintainers: :class:`GitRepository` runs read-only git commands (no optional locks, no
prompts, no lazy fetch from a partial clone's promisor remote) with :mod:`subprocess` and reads
blobs through one long-lived ``git cat-file --batch`` process (:class:`_CatFile`), started on
the first read and closed at exit. No gitpython: its import and its ``git version`` probes
cost more than a whole one-file check. A missing or damaged object is a
:class:`~schemacheck.errors.GitError` naming object, path and revision, with how to fetch it.
Snapshots built on it live in :mod:`schemacheck.git_snapshots`.
"""

from __future__ import annotations

import os
import re
import subprocess
import weakref
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from .errors import GitError, UsageError
from .snapshot import MAX_FILE_BYTES

__all__ = ["GitRepository", "NOT_A_REPO_TIP", "MISSING_OBJECT_TIP", "PARTIAL_CLONE_TIP", "utf8_path"]

#: Every git command runs read-only (no optional locks), never prompts, and never fetches a
#: missing object from a partial clone's promisor remote (git 2.39.4+ / 2.45+ honour
#: GIT_NO_LAZY_FETCH; older git gets a presence check first, see GitRepository.read_blob).
_GIT_ENV = {"GIT_OPTIONAL_LOCKS": "0", "GIT_NO_LAZY_FETCH": "1", "GIT_TERMINAL_PROMPT": "0"}
_OBJECT_TROUBLE = ("bad object", "missing", "unable to read", "invalid object", "could not fetch",
                   "lazy fetching disabled", "corrupt", "inflate", "bad tree", "not a valid object")
MISSING_OBJECT_TIP = ("`git fsck` lists the missing or damaged objects; `git fetch --refetch origin` fetches every "
                      "object again (schemacheck itself never fetches).")
PARTIAL_CLONE_TIP = ("This is a partial clone (--filter) and schemacheck fetches nothing unless asked: rerun with "
                     "--fetch-missing (one `git fetch` of what the check reads), let git fetch the object with "
                     "`git cat-file -e {sha}` while online, or clone without --filter (in GitHub Actions: "
                     "no `filter:` on actions/checkout).")
NOT_A_REPO_TIP = "Run it inside a git repository, or compare two directories with `schemacheck NEW --against OLD`."
_SYMLINK, _SUBMODULE, _TREE = "120000", "160000", "040000"
#: Bytes of blob content :meth:`GitRepository.read_ahead` keeps at most.
READ_AHEAD_BYTES = 32 * 1024 * 1024


def _blob_sha(data: bytes) -> str:
    import hashlib  # only for a work-tree file whose stat data git thinks stale: OpenSSL's load costs

    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def _split_z(output: str) -> list[str]:
    return [item for item in output.split("\0") if item]


def utf8_path(path: str) -> bool:
    """Whether a path git printed is valid UTF-8 (other bytes are kept as surrogates)."""
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


class _CatFile:
    """One ``git cat-file --batch`` process for every blob read of a run.

    A read writes the object id and reads ``<id> <type> <size>`` plus the content; a reply out
    of step (missing object, corrupt object that made git exit, oversized blob) ends the
    process, and the next read starts a new one. Closed with its repository handle, or at exit.
    """

    def __init__(self, root: Path, env: dict[str, str]) -> None:
        self.root, self.env = root, env
        self.proc: subprocess.Popen[bytes] | None = None
        self.owner = 0  # the pid that started ``proc``

    def _start(self) -> subprocess.Popen[bytes]:
        if self.proc is not None and self.owner != os.getpid():
            self.proc = None  # inherited by a forked child (``forked.both``): the parent's, left alone
        if self.proc is None or self.proc.poll() is not None:
            self.proc = subprocess.Popen(["git", "cat-file", "--batch"], cwd=self.root, env=self.env,
                                         stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
            self.owner = os.getpid()
        return self.proc

    def read(self, sha: str, limit: int) -> tuple[str, bytes] | None:
        """``(type, content)`` of object ``sha``; ``None`` when missing or unreadable.

        Raises:
            OSError: The object is larger than ``limit`` bytes.
        """
        found = self.read_named(sha, limit)
        if found is None or found[0] != sha:
            return None
        return found[1], found[2]

    def read_named(self, name: str, limit: int) -> tuple[str, str, bytes] | None:
        """``(id, type, content)`` of the object ``name`` names; ``None`` when missing or unreadable.

        Raises:
            OSError: The object is larger than ``limit`` bytes.
        """
        if "\n" in name or not name:
            return None
        proc = self._start()
        assert proc.stdin is not None and proc.stdout is not None
        try:
            proc.stdin.write(name.encode("utf-8", "surrogateescape") + b"\n")
            proc.stdin.flush()
            header = proc.stdout.readline().split()
            if header[-1:] in ([b"missing"], [b"ambiguous"]):
                return None  # still in step: git answered with one line
            if len(header) != 3:
                self.close()
                return None
            sha = header[0].decode("ascii", "replace")
            kind, size = header[1].decode("ascii"), int(header[2])
            if size > limit:
                self.close()  # never read it; the pipe is out of step now
                raise OSError(f"{size} bytes is more than the {limit}-byte limit")
            data = proc.stdout.read(size + 1)
        except (BrokenPipeError, ValueError):
            self.close()
            return None
        if len(data) != size + 1:
            self.close()
            return None
        return sha, kind, data[:size]

    def read_many(self, shas: list[str], limit: int) -> dict[str, bytes]:
        """The blobs among ``shas`` that could be read, asked for in chunks instead of one at a time.

        One request per object costs a wake-up of git and of this process each, which on a busy
        machine is most of the time of a large compile; a chunk of requests costs one. A chunk is
        at most 4 KiB of requests, written only when git has answered the previous one, so the
        write never blocks (a pipe holds at least one page) and git never waits on a full pipe
        while this process waits on git. Anything unusual (missing, not a blob, over ``limit``,
        out of step) is left out, or ends the reading: :meth:`read` then reports it as before.
        """
        found: dict[str, bytes] = {}
        proc = self._start()
        assert proc.stdin is not None and proc.stdout is not None
        start = 0
        while start < len(shas):
            chunk, size = [], 0
            while start < len(shas) and size + len(shas[start]) + 1 <= 4096:
                chunk.append(shas[start])
                size += len(shas[start]) + 1
                start += 1
            if not chunk:
                return found
            try:
                proc.stdin.write("".join(f"{sha}\n" for sha in chunk).encode("ascii"))
                proc.stdin.flush()
                for sha in chunk:
                    header = proc.stdout.readline().split()
                    if header[1:] == [b"missing"]:
                        continue
                    if len(header) != 3 or header[0].decode("ascii", "replace") != sha or int(header[2]) > limit:
                        self.close()
                        return found
                    size_read = int(header[2])
                    data = proc.stdout.read(size_read + 1)
                    if len(data) != size_read + 1:
                        self.close()
                        return found
                    if header[1] == b"blob":
                        found[sha] = data[:size_read]
            except (BrokenPipeError, ValueError, UnicodeEncodeError):
                self.close()
                return found
        return found

    def close(self) -> None:
        proc, self.proc = self.proc, None
        if proc is None or self.owner != os.getpid():
            return  # never end (or wait for) a process another process started
        for stream in (proc.stdin, proc.stdout):
            try:
                if stream is not None:
                    stream.close()
            except OSError:
                pass
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _plain_ref(ref: str) -> bool:
    """A revision the first ``rev-parse`` may resolve with others: no option, range or space."""
    return bool(ref) and not ref.startswith("-") and ".." not in ref and not any(c.isspace() for c in ref)


def _is_object_id(text: str) -> bool:
    return len(text) in (40, 64) and all(c in "0123456789abcdef" for c in text)


def _decode(data: bytes) -> str:
    return data.decode("utf-8", "surrogateescape")


class GitRepository:
    """A work tree's repository (git searches parent directories from ``start``).

    Args:
        start: A directory inside the work tree.

    Raises:
        GitError: ``start`` is not inside a git work tree, or git cannot be run.
    """

    def __init__(self, start: str | os.PathLike[str], revisions: Sequence[str] = (),
                 merge_bases: Sequence[tuple[str, str]] = ()) -> None:
        self.env = {**os.environ, **_GIT_ENV}
        #: Answers of the first ``rev-parse`` (``resolve(ref)`` and merge-bases by commit pair).
        self._resolved: dict[str, str] = {}
        self._merge_bases: dict[tuple[str, str], str] = {}
        lines = self._top_level(start, revisions, merge_bases)
        if lines[0] == "true" or len(lines) < 2:
            raise GitError(f"{Path(start).resolve()} is a bare repository (no work tree)", tip=NOT_A_REPO_TIP)
        self.root = Path(lines[1]).resolve()
        self._partial: bool | None = None
        self._presence: bool | None = None
        self._cat_file = _CatFile(self.root, self.env)
        self._read_ahead: dict[str, bytes] = {}  # blob sha -> content, read ahead (read_ahead)
        self._read_ahead_bytes = 0
        self._trees: dict[str, dict[str, tuple[str, str]]] = {}  # tree id -> entries (see tree())
        # The process ends with the handle (a library caller may run many checks in one
        # interpreter) and at exit at the latest; the finalizer holds the reader, never self.
        weakref.finalize(self, self._cat_file.close)
        #: Objects that could not be read. Format checkers turn a failed read into a per-file
        #: diagnostic (a base file "not compared"), but a missing object says nothing about the
        #: file: the CLI turns any of these into an error once the run ends (see cli_inputs).
        self.read_errors: list[GitError] = []
        #: ``--fetch-missing``: a format may ask for the blobs it will read in one batch (:meth:`fetch`).
        self.fetch_missing = False
        # Blob ids known to be needed and not yet asked for (the changed files' both sides, from
        # revisions.compare), with the tips whose trees hold them: they go with the next batch.
        self._wanted: set[str] = set()
        self._wanted_tips: set[str] = set()
        self._settled: set[str] = set()  # ids of earlier batches: present now (fetched or already there)
        #: ``git fetch`` processes run and objects they fetched (the CLI reports them).
        self.fetch_batches = 0
        self.fetched_objects = 0

    def _top_level(self, start: str | os.PathLike[str], revisions: Sequence[str],
                   merge_bases: Sequence[tuple[str, str]]) -> list[str]:
        """``rev-parse --is-bare-repository --show-toplevel``, asked in one process together with
        the commits of ``revisions`` and the merge-bases of ``merge_bases`` (``A...B``) that the
        caller is about to ask for: one git process instead of four. Anything unusual (a ref
        that does not resolve, several merge-bases, none) leaves them to :meth:`resolve` and
        the caller, which ask one at a time and word the error."""
        safe = [r for r in revisions if _plain_ref(r)]
        pairs = [(a, b) for a, b in merge_bases if _plain_ref(a) and _plain_ref(b)]
        args = [f"{ref}^{{commit}}" for ref in safe] + [f"{a}^{{commit}}...{b}^{{commit}}" for a, b in pairs]
        if args:
            proc = self._run_top_level(start, args)
            lines = _decode(proc.stdout).splitlines()
            if proc.returncode == 0 and len(lines) >= 2 and lines[0] == "false" and self._remember(lines[2:], safe, pairs):
                return lines
            self._resolved.clear()
            self._merge_bases.clear()
        proc = self._run_top_level(start, [])
        lines = _decode(proc.stdout).splitlines()
        if proc.returncode != 0 or not lines:
            if lines[:1] == ["true"]:
                raise GitError(f"{Path(start).resolve()} is a bare repository (no work tree)", tip=NOT_A_REPO_TIP)
            raise GitError(f"{Path(start).resolve()} is not inside a git repository", tip=NOT_A_REPO_TIP)
        return lines

    def _run_top_level(self, start: str | os.PathLike[str], args: list[str]) -> subprocess.CompletedProcess[bytes]:
        try:
            return subprocess.run(["git", "rev-parse", "--is-bare-repository", "--show-toplevel", *args], cwd=start,
                                  env=self.env, capture_output=True)
        except OSError as exc:
            raise GitError(f"cannot run git ({exc.strerror or exc})",
                           tip="Install git and put it on PATH; without git, compare directories with --against.") \
                from None

    def _remember(self, lines: list[str], refs: list[str], pairs: list[tuple[str, str]]) -> bool:
        """Record what the first ``rev-parse`` printed for ``refs`` (a commit each) and ``pairs``
        (``A...B`` prints B, A, then ``^`` and each merge-base); False when it is not that shape."""
        pos = 0
        for ref in refs:
            if pos >= len(lines) or not _is_object_id(lines[pos]):
                return False
            self._resolved[ref] = lines[pos]
            pos += 1
        for a, b in pairs:
            if pos + 1 >= len(lines) or not (_is_object_id(lines[pos]) and _is_object_id(lines[pos + 1])):
                return False
            self._resolved[b], self._resolved[a] = lines[pos], lines[pos + 1]
            pos += 2
            bases = []
            while pos < len(lines) and lines[pos].startswith("^"):
                bases.append(lines[pos][1:])
                pos += 1
            if len(bases) == 1 and _is_object_id(bases[0]):  # several (criss-cross) or none: merge-base decides
                self._merge_bases[(self._resolved[a], self._resolved[b])] = bases[0]
        for ref in refs:  # a parent is asked for by commit id: REV^1 is also <id of REV>^1
            if ref.endswith("^1") and ref[:-2] in self._resolved:
                self._resolved[f"{self._resolved[ref[:-2]]}^1"] = self._resolved[ref]
        return pos == len(lines)

    def known_merge_base(self, sha: str, other: str) -> str | None:
        """The one merge-base of commits ``sha`` and ``other`` when the first ``rev-parse`` found it."""
        return self._merge_bases.get((sha, other))

    def want(self, shas: Iterable[str], tips: Iterable[str] = ()) -> None:
        """Note blobs a run will read, to be fetched with the next batch (:meth:`fetch`) rather than
        now, so that what the formats predict joins them in one ``git fetch``; a read of an absent
        object fetches the noted ones first (:meth:`read_blob`). Only with ``--fetch-missing``."""
        if self.fetch_missing:
            self._wanted.update(shas)
            self._wanted_tips.update(tips)

    def fetch(self, shas: Iterable[str] = (), tips: Iterable[str] = ()) -> int:
        """Fetch the absent ones of ``shas`` and of the noted ones (:meth:`want`) in one ``git fetch``
        (:func:`.git_partial.fetch_blobs`; ``tips``: commits or ``--indexed-objects`` whose trees
        hold them); only with ``--fetch-missing``, only in a partial clone. Ids an earlier batch
        covered are not asked about again. Returns how many were fetched."""
        if not self.fetch_missing:
            return 0
        wanted = (self._wanted | set(shas)) - self._settled
        tips = self._wanted_tips | set(tips)
        self._wanted, self._wanted_tips = set(), set()
        if not wanted:
            return 0
        from .git_partial import fetch_blobs

        count = fetch_blobs(self, wanted, tips)
        self._settled |= wanted
        if count:
            self.fetch_batches += 1
            self.fetched_objects += count
        return count

    def _fetch_wanted(self, sha: str) -> bool:
        """On a read of absent ``sha`` with ``--fetch-missing``: fetch the noted batch with it (a
        read came before the formats' predictions, e.g. a changed configuration file, or read
        something no format predicted, e.g. an unchanged protobuf import); whether it ran. An id
        an earlier batch already covered is not asked for again (it stays missing: an error)."""
        if not self.fetch_missing or sha in self._settled:
            return False
        self._wanted.add(sha)
        self.fetch()
        return True

    def git(self, *args: str, ok_codes: tuple[int, ...] = (0,)) -> tuple[int, str, str]:
        """Run a read-only git command in the work tree; returns (status, stdout, stderr)."""
        proc = subprocess.run(["git", "-c", "core.quotepath=off", *args], cwd=self.root, env=self.env,
                              capture_output=True, stdin=subprocess.DEVNULL)
        return self._result(args, proc.returncode, proc.stdout, proc.stderr, ok_codes)

    def start(self, *args: str) -> Callable[[], tuple[int, str, str]]:
        """Start a read-only git command and return the call that waits for its result (as
        :meth:`git`), so that two commands overlap (the work tree's untracked listing runs while
        ``diff-index`` compares it)."""
        proc = subprocess.Popen(["git", "-c", "core.quotepath=off", *args], cwd=self.root, env=self.env,
                                stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE)

        def wait() -> tuple[int, str, str]:
            out, err = proc.communicate()
            return self._result(args, proc.returncode, out, err, (0,))

        return wait

    def _result(self, args: tuple[str, ...], status: int, stdout: bytes, stderr: bytes,
                ok_codes: tuple[int, ...]) -> tuple[int, str, str]:
        out, err = _decode(stdout), _decode(stderr)
        if status not in ok_codes:
            detail = err.strip().splitlines()[-1] if err.strip() else f"exit status {status}"
            detail = detail.strip().removeprefix("fatal:").strip()
            tip = None
            if any(word in err.lower() for word in _OBJECT_TROUBLE):
                partial = args[0] != "config" and self.is_partial_clone()
                named = re.search(r"\b[0-9a-f]{40}(?:[0-9a-f]{24})?\b", err)
                tip = PARTIAL_CLONE_TIP.format(sha=named[0] if named else "OBJECT") if partial else MISSING_OBJECT_TIP
            raise GitError(f"git {args[0]} failed: {detail}", tip=tip)
        return status, out, err

    def resolve(self, ref: str, *, what: str = "revision") -> str | None:
        """The commit sha of ``ref``, or ``None`` when it does not name a commit."""
        if ref.startswith("-"):
            raise UsageError(f"bad {what} {ref!r}: a revision cannot start with '-'")
        if ref in self._resolved:
            return self._resolved[ref]
        status, out, _ = self.git("rev-parse", "--verify", "-q", f"{ref}^{{commit}}", ok_codes=(0, 1, 128))
        return out.strip() if status == 0 and out.strip() else None

    def is_shallow(self) -> bool:
        """Whether the clone is shallow (``git rev-parse --is-shallow-repository``)."""
        _, out, _ = self.git("rev-parse", "--is-shallow-repository")
        return out.strip() == "true"

    def shallow_commits(self) -> frozenset[str]:
        """The commits at the edge of a shallow clone (``.git/shallow``): git shows them without
        parents although their commit objects name some."""
        _, out, _ = self.git("rev-parse", "--git-path", "shallow")
        path = Path(out.strip())
        path = path if path.is_absolute() else self.root / path
        try:
            return frozenset(path.read_text(encoding="ascii").split())
        except (OSError, UnicodeDecodeError):
            return frozenset()

    def recorded_parents(self, sha: str) -> tuple[str, ...]:
        """The parents written in commit ``sha``'s object, whether or not they are present
        (``cat-file`` prints the raw object; shallow grafts are not applied to it)."""
        _, out, _ = self.git("cat-file", "commit", sha)
        head = out.split("\n\n", 1)[0]
        return tuple(line[7:].strip() for line in head.splitlines() if line.startswith("parent "))

    def is_partial_clone(self) -> bool:
        """Whether objects may be missing by design (a promisor remote: ``clone --filter``)."""
        if self._partial is None:
            _, out, _ = self.git("config", "--get-regexp", r"^(remote\..*\.promisor|extensions\.partialclone)$",
                                 ok_codes=(0, 1))
            self._partial = any(line.split()[-1:] != ["false"] for line in out.splitlines())
        return self._partial

    def _missing_object(self, sha: str, path: str, label: str) -> GitError:
        partial = self.is_partial_clone()
        where = "this partial clone" if partial else "the repository"
        error = GitError(f"{path}: git object {sha} (its content at {label}) is missing or damaged in {where}",
                         tip=PARTIAL_CLONE_TIP.format(sha=sha) if partial else MISSING_OBJECT_TIP)
        self.read_errors.append(error)
        return error

    def read_blob(self, sha: str, path: str, label: str = "this revision") -> bytes:
        """The content of blob ``sha`` (``path`` and ``label`` are for the error message).

        Raises:
            GitError: The object is missing (partial clone, damaged repository) or corrupt;
                it is also kept in :attr:`read_errors`.
        """
        if self.is_partial_clone() and self._check_presence():
            # Presence check that never fetches, where git ignores GIT_NO_LAZY_FETCH:
            # `rev-list --missing=print` turns lazy fetching off.
            status, _, _ = self.git("rev-list", "--objects", "--no-walk", "--missing=print", sha, ok_codes=(0, 128))
            if status != 0 and self._fetch_wanted(sha):
                status, _, _ = self.git("rev-list", "--objects", "--no-walk", "--missing=print", sha,
                                        ok_codes=(0, 128))
            if status != 0:
                raise self._missing_object(sha, path, label)
        kept = self._read_ahead.get(sha)
        if kept is not None:
            return kept
        try:
            found = self._cat_file.read(sha, MAX_FILE_BYTES)
            if found is None and self._fetch_wanted(sha):
                found = self._cat_file.read(sha, MAX_FILE_BYTES)
        except OSError as exc:
            raise OSError(f"{path}: {exc}") from None
        if found is None or found[0] != "blob":
            raise self._missing_object(sha, path, label)
        return found[1]

    def read_ahead(self, shas: list[str]) -> None:
        """Read blobs ``shas`` now, in a few round trips, for :meth:`read_blob` to return later.

        A hint for a caller about to read many files (a compile of every changed file): the
        answers are the same, only sooner. Kept up to :data:`READ_AHEAD_BYTES` (oldest dropped
        first); a partial clone whose git may fetch lazily is not prefetched (each read there
        checks presence first), and whatever fails here is read, and reported, as before.
        """
        if self.is_partial_clone() and self._check_presence():
            return
        wanted = [sha for sha in dict.fromkeys(shas) if sha not in self._read_ahead]
        if not wanted:
            return
        for sha, data in self._cat_file.read_many(wanted, MAX_FILE_BYTES).items():
            self._read_ahead[sha] = data
            self._read_ahead_bytes += len(data)
        while self._read_ahead_bytes > READ_AHEAD_BYTES and self._read_ahead:
            self._read_ahead_bytes -= len(self._read_ahead.pop(next(iter(self._read_ahead))))

    def _check_presence(self) -> bool:
        """Whether reads in this partial clone need a presence check first (old git fetches lazily)."""
        if self._presence is None:
            from .git_partial import lazy_fetch_ignored

            self._presence = lazy_fetch_ignored(self)
        return self._presence

    def read_object(self, name: str) -> tuple[str, str, bytes] | None:
        """``(id, type, content)`` of the object ``name`` names (an id, ``rev^{tree}``,
        ``rev:path``) through the persistent ``cat-file``; ``None`` when it names nothing."""
        return self._cat_file.read_named(name, MAX_FILE_BYTES)

    def tree(self, sha: str) -> dict[str, tuple[str, str]]:
        """The entries of tree ``sha``: name -> (mode, id), read once per run (trees never change).

        Raises:
            GitError: The tree object is missing or damaged.
        """
        entries = self._trees.get(sha)
        if entries is None:
            found = self.read_object(sha)
            if found is None or found[1] != "tree":
                raise self._missing_object(sha, "(a directory)", "this revision")
            entries = self._trees[sha] = _parse_tree(found[2], len(sha) // 2)
        return entries

    def trees_seed(self, sha: str, data: bytes) -> None:
        """Keep tree ``sha`` whose content was read another way (``rev^{tree}``)."""
        if sha not in self._trees:
            self._trees[sha] = _parse_tree(data, len(sha) // 2)

    def close(self) -> None:
        """Stop the ``cat-file --batch`` process (also done at exit)."""
        self._cat_file.close()


def _parse_tree(data: bytes, id_bytes: int) -> dict[str, tuple[str, str]]:
    """A raw tree object (``<mode> <name>\\0<binary id>`` repeated) as name -> (mode, hex id)."""
    entries: dict[str, tuple[str, str]] = {}
    pos, end = 0, len(data)
    while pos < end:
        space = data.index(b" ", pos)
        nul = data.index(b"\0", space)
        mode = data[pos:space].decode("ascii").rjust(6, "0")
        entries[_decode(data[space + 1:nul])] = (mode, data[nul + 1:nul + 1 + id_bytes].hex())
        pos = nul + 1 + id_bytes
    return entries
