"""The index or the work tree as *base commit + what git says changed*: no listing needed.

Maintainers: ``git diff-index --raw`` against the base commit names every path whose content
differs in the index (``--cached``) or the work tree, with both sides' modes and blob ids. Every
other path holds exactly the base commit's blob, so a lookup of one path is a dictionary probe
here, else a walk of the base commit's tree objects (:class:`~.git_snapshots.CommitSnapshot`):
the index is never listed (``ls-files -s``), nor stat-compared (``diff-files``), for a check of
a few files. :class:`ChangeOverlay` holds git's answer; the snapshots in
:mod:`schemacheck.git_snapshots` consult it when :mod:`schemacheck.revisions` built them with
one. Only :meth:`ChangeOverlay.paths` (asked when a format needs the whole tree) lists the base.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .git_repo import _split_z, utf8_path
from .snapshot import Snapshot

__all__ = ["RawChange", "parse_raw", "ChangeOverlay"]

_REGULAR = ("100644", "100755", "100664")


@dataclass(frozen=True, slots=True)
class RawChange:
    """One line of ``git diff-* --raw -z``.

    Attributes:
        status: ``A``, ``C``, ``D``, ``M``, ``R``, ``T`` or ``U`` (unmerged).
        old_path: The path on the old side (the source of a rename or copy).
        new_path: The path on the new side (``old_path`` unless renamed or copied).
        new_mode: The new side's mode (``000000``: gone; ``120000``: a symbolic link).
        old_sha: The old side's blob id (all zeros when added).
        new_sha: The new side's blob id; all zeros when git did not hash the work-tree file.
    """

    status: str
    old_path: str
    new_path: str
    new_mode: str
    old_sha: str
    new_sha: str


def parse_raw(output: str) -> list[RawChange]:
    """The records of ``--raw -z`` output (renames and copies carry two paths)."""
    items = _split_z(output)
    changes: list[RawChange] = []
    i = 0
    while i < len(items):
        meta = items[i].lstrip(":").split()
        if len(meta) < 5:
            i += 1
            continue
        status = meta[4][:1]
        if status in ("R", "C"):
            old, new = items[i + 1], items[i + 2]
            i += 3
        else:
            old = new = items[i + 1]
            i += 2
        changes.append(RawChange(status, old, new, meta[1], meta[2], meta[3]))
    return changes


def _under(path: str, prefix: str) -> bool:
    prefix = prefix.rstrip("/")
    return not prefix or path == prefix or path.startswith(prefix + "/")


def _known(sha: str) -> str:
    return sha if sha.strip("0") else ""


class ChangeOverlay:
    """Paths git reports changed on the new side, over the base commit's snapshot.

    Args:
        base: The base commit (or an empty snapshot).
        changes: ``diff-index`` records against it.
        on_disk: The new side is the work tree: a changed file's content is read from disk (its
            blob id, when git printed one, may be of a file never written to the object store:
            ``git add -N``).
    """

    def __init__(self, base: Snapshot, changes: Iterable[RawChange], on_disk: bool) -> None:
        self.base = base
        self.on_disk = on_disk
        self.entries: dict[str, str] = {}  # changed path present on the new side -> blob id ('' = hash it)
        self.gone: set[str] = set()  # base paths deleted, renamed away, or no longer a regular file
        self.conflicted: list[str] = []
        for change in changes:
            if change.status == "R":
                self.gone.add(change.old_path)
            if change.status == "U" and not on_disk:
                self.conflicted.append(change.new_path)
            if change.new_mode in _REGULAR:
                self.entries[change.new_path] = _known(change.new_sha)
            else:
                self.entries.pop(change.new_path, None)
                self.gone.add(change.new_path)

    def add_on_disk(self, path: str) -> None:
        """A work-tree file git does not track (untracked, not ignored)."""
        self.entries[path] = ""

    def changed(self, path: str) -> bool:
        """Whether git said anything about ``path`` (else it is the base's file, or absent)."""
        return path in self.entries or path in self.gone

    def base_sha(self, path: str) -> str | None:
        """The blob id of an unchanged path (the base's), None when absent."""
        if not utf8_path(path):
            return None
        return self.base.blob_id(path) if self.base.exists(path) else None

    def paths_under(self, prefix: str, present: Iterable[str]) -> list[str]:
        """:meth:`paths` under directory ``prefix`` only (the base listed with a pathspec)."""
        under = getattr(self.base, "paths_under", None)
        if under is None or not prefix.strip("/"):
            base = [p for p in self.base.paths() if _under(p, prefix)]
        else:
            base = under(prefix)
        unchanged = (p for p in base if p not in self.entries and p not in self.gone)
        return sorted({*unchanged, *(p for p in present if utf8_path(p) and _under(p, prefix))})

    def paths(self, present: Iterable[str]) -> list[str]:
        """Every path of the new side: the base's unchanged ones, plus ``present`` (the changed
        ones that exist)."""
        unchanged = (p for p in self.base.paths() if p not in self.entries and p not in self.gone)
        return sorted({*unchanged, *(p for p in present if utf8_path(p))})
