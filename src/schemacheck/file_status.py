"""What the run did with each file: compared, or why not (``--verbose``, JUnit test cases).

Maintainers: format-neutral like the runner, which calls these two functions with what it
already knows (the scope, which format claimed which path, each format's job), so no
file is read or claimed again. A changed file is ``compared``, ``excluded`` (outside
``include``/``exclude`` or the PATH arguments), or ``not a schema`` (no format claims it, or
its format found nothing to compare in it). Without git's change set (``--against``) the
schema files that did not change are listed as ``unchanged``; with it they are not listed (a
monorepo has thousands).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Protocol

from .model import FileStatus

if TYPE_CHECKING:
    from .checkers import FormatJob

__all__ = ["compared_files", "file_statuses"]


class _Scope(Protocol):
    def tree(self, head: bool) -> list[str]: ...

    def on(self, path: str, head: bool) -> bool: ...


def compared_files(job: FormatJob, fmt: str) -> dict[str, tuple[str, str]]:
    """``path -> (format, base path)`` of the job's changed schema files (a rename under its new name)."""
    def mine(path: str) -> bool:  # membership, not iteration: a format's lists may be unlisted
        return path in job.base_paths or path in job.head_paths

    head_of = {base: head for base, head in job.renames.items() if mine(head)}
    out: dict[str, tuple[str, str]] = {}
    for path in sorted(p for p in job.changed if mine(p)):
        if path in head_of:
            out[head_of[path]] = (fmt, path)
        elif path not in out:
            out[path] = (fmt, "")
    return out


def file_statuses(changed: frozenset[str] | None, scope: _Scope, claimed: Mapping[tuple[bool, str], str],
                  compared: Mapping[str, tuple[str, str]]) -> tuple[FileStatus, ...]:
    """One :class:`FileStatus` per changed path (every path without git's change set), sorted."""
    statuses = {path: FileStatus(path, "compared", fmt, base) for path, (fmt, base) in compared.items()}
    renamed_from = {base for _, base in compared.values() if base}
    if changed is None:
        candidates = set(scope.tree(False)) | set(scope.tree(True))
    else:
        candidates = set(changed)
    for path in candidates - statuses.keys() - renamed_from:
        fmt = claimed.get((True, path)) or claimed.get((False, path)) or ""
        if not scope.on(path, False) and not scope.on(path, True):
            statuses[path] = FileStatus(path, "excluded")
        elif changed is None and fmt:
            statuses[path] = FileStatus(path, "unchanged", fmt)
        else:
            statuses[path] = FileStatus(path, "not a schema", fmt)
    return tuple(sorted(statuses.values(), key=lambda s: (s.status != "compared", s.path)))
