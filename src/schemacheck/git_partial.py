"""Partial clones (``git clone --filter=blob:none``): which blobs are missing, and fetching the
ones a check needs in one batch when the user asks for it (``--fetch-missing``).

Maintainers: by default schemacheck never fetches. Every git command runs with
``GIT_NO_LAZY_FETCH=1`` (git 2.39.4+/2.45.1+ honour it: a missing blob is reported as missing),
and a missing object is an error that names it (:mod:`schemacheck.git_repo`). Older git ignores
the variable and would fetch lazily, one process per object, so there a presence check that
never fetches (``rev-list --missing=print``) runs before each read: :func:`lazy_fetch_ignored`
asks ``git version`` once, in partial clones only.

``--fetch-missing`` is the explicit opt-in for CI on blobless clones: :func:`fetch_blobs` lists
the wanted blob ids that are absent (one ``rev-list --missing=print``) and fetches them with one
``git fetch <promisor remote> --stdin`` (the command git's own lazy fetch runs, but for the whole
list at once). What goes into one batch is decided by ``GitRepository.want``/``fetch`` and the
runner (the changed files' blobs with what the formats predict they read). It is the only command of schemacheck that writes to the repository
(objects only: no ref, no FETCH_HEAD, no index).
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterable
from typing import TYPE_CHECKING

from .errors import GitError

if TYPE_CHECKING:
    from .git_repo import GitRepository

__all__ = ["lazy_fetch_ignored", "missing_objects", "fetch_blobs"]

#: First patch release of each git line that honours GIT_NO_LAZY_FETCH (the May 2024 fixes).
_HONOURED_FROM = {(2, 39): 4, (2, 40): 2, (2, 41): 1, (2, 42): 2, (2, 43): 4, (2, 44): 1, (2, 45): 1}


def lazy_fetch_ignored(repo: GitRepository) -> bool:
    """Whether this git would fetch a missing object despite ``GIT_NO_LAZY_FETCH=1``."""
    _, out, _ = repo.git("version")
    found = re.search(r"(\d+)\.(\d+)\.(\d+)", out)
    if found is None:
        return True
    major, minor, patch = (int(x) for x in found.groups())
    if (major, minor) > (2, 45):
        return False
    first = _HONOURED_FROM.get((major, minor))
    return first is None or patch < first


def missing_objects(repo: GitRepository, shas: Iterable[str], tips: Iterable[str] = ()) -> list[str]:
    """The ids among ``shas`` that the repository does not have (never fetches).

    ``tips`` (commit ids, ``--indexed-objects``) whose trees hold the ids make it one
    ``rev-list`` over those trees: git refuses a missing blob named on its own, and asking per
    object would cost one process each (thousands, for a JSON Schema index filled from scratch).
    """
    wanted = sorted(set(shas))
    if not wanted:
        return []
    tips = sorted(set(tips))
    if tips:
        proc = subprocess.run(["git", "rev-list", "--objects", "--no-walk", "--missing=print", *tips],
                              cwd=repo.root, env=repo.env, capture_output=True, text=True)
        if proc.returncode == 0:
            absent = {line[1:] for line in proc.stdout.splitlines() if line.startswith("?")}
            return [sha for sha in wanted if sha in absent]
    proc = subprocess.run(["git", "rev-list", "--objects", "--no-walk", "--missing=print", "--stdin"],
                          cwd=repo.root, env=repo.env, input="\n".join(wanted) + "\n", capture_output=True, text=True)
    if proc.returncode == 0:
        return [line[1:] for line in proc.stdout.splitlines() if line.startswith("?")]
    # git refuses the whole list when an id is not even known as missing: ask one by one
    return [sha for sha in wanted if subprocess.run(
        ["git", "cat-file", "-e", sha], cwd=repo.root, env=repo.env, capture_output=True).returncode != 0]


def _promisor_remote(repo: GitRepository) -> str | None:
    _, out, _ = repo.git("config", "--get-regexp", r"^remote\..*\.promisor$", ok_codes=(0, 1))
    for line in out.splitlines():
        key, _, value = line.partition(" ")
        if value.strip() != "false":
            return key[len("remote."):-len(".promisor")]
    return None


def fetch_blobs(repo: GitRepository, shas: Iterable[str], tips: Iterable[str] = ()) -> int:
    """Fetch the missing ones of ``shas`` from the promisor remote in one ``git fetch``; returns
    how many were missing. Nothing happens outside a partial clone.

    Raises:
        GitError: The fetch failed (offline, remote gone); the message says what was missing.
    """
    if not repo.is_partial_clone():
        return 0
    missing = missing_objects(repo, shas, tips)
    if not missing:
        return 0
    remote = _promisor_remote(repo)
    if remote is None:
        raise GitError(f"{len(missing)} needed objects are missing and this partial clone names no promisor remote",
                       tip="`git fetch --refetch origin` fetches every object.")
    env = {k: v for k, v in repo.env.items() if k != "GIT_NO_LAZY_FETCH"}
    proc = subprocess.run(["git", "-c", "fetch.negotiationAlgorithm=noop", "fetch", remote, "--no-tags",
                           "--no-write-fetch-head", "--recurse-submodules=no", "--filter=blob:none", "--stdin"],
                          cwd=repo.root, env=env, input="\n".join(missing) + "\n", capture_output=True, text=True)
    if proc.returncode != 0:
        detail = (proc.stderr.strip().splitlines() or [f"exit status {proc.returncode}"])[-1]
        raise GitError(f"fetching {len(missing)} missing objects from {remote!r} failed: "
                       f"{detail.removeprefix('fatal:').strip()}", tip="Check that the remote is reachable.")
    return len(missing)
