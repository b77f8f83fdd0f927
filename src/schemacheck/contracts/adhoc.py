"""``schemacheck contract CONSUMER PRODUCER``: one contract checked ad hoc, on plain files.

Maintainers: this is the one place a path outside the repository is read, because the user
named it on the command line (a producer's spec downloaded in CI, say). Each side is read from
a :class:`~schemacheck.snapshot.DirectorySnapshot`: the current directory when the file is
inside it (so a DTO's imports and a spec's ``$ref``s resolve as in the repository), else the
file's own directory (references leaving it are refused as everywhere else). Findings go
through the shared filters, so inline suppressions apply.

A file read from its own directory is *reported* by the path the user gave (``/tmp/orders.yaml``,
``../specs/orders.yaml``), never by its name inside that directory (which would name a file of
the current directory that does not exist): :class:`SideFiles` maps a display prefix to each
snapshot, and :func:`_relabel` rewrites the findings' paths (locations, and the ``(path:line)``
references of messages) of that side's files.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import UsageError
from ..formats.jsonschema.refs import OUTSIDE_REASON
from ..model import CheckResult, Diagnostic, Finding, FormatCount, Location, Severity
from ..snapshot import DirectorySnapshot

if TYPE_CHECKING:
    from .selectors import Selector

__all__ = ["check_selectors", "SideFiles"]


class SideFiles:
    """The files of both sides as one read-only snapshot, by displayed path (for reporters' source
    lines and suppressions): a file read from its own directory is found under the prefix the
    user gave it (``../specs/``), the current directory's files under no prefix."""

    def __init__(self) -> None:
        self.label = "files"
        self._paths: list[str] = []
        self._roots: dict[str, DirectorySnapshot] = {}

    def add(self, path: str, snapshot: DirectorySnapshot, prefix: str = "") -> None:
        self._roots.setdefault(prefix, snapshot)
        if prefix + path not in self._paths:
            self._paths.append(prefix + path)

    def _find(self, path: str) -> tuple[DirectorySnapshot, str] | None:
        for prefix in sorted(self._roots, key=len, reverse=True):
            if path.startswith(prefix) and (prefix or not _outside(path)):
                return self._roots[prefix], path[len(prefix):]
        return None

    def paths(self) -> Iterable[str]:
        return list(self._paths)

    def read(self, path: str) -> bytes:
        found = self._find(path)
        if found is None:
            raise FileNotFoundError(path)
        return found[0].read(found[1])

    def exists(self, path: str) -> bool:
        found = self._find(path)
        return found is not None and found[0].exists(found[1])

    def blob_id(self, path: str) -> str | None:
        found = self._find(path)
        return found[0].blob_id(found[1]) if found is not None else None


def _outside(path: str) -> bool:
    return path.startswith(("/", "../")) or path == ".."


#: What the resolver's reason for a ``$ref`` leaving the snapshot (``OUTSIDE_REASON``) means here,
#: where the snapshot is the current directory or a named file's own directory.
_OUTSIDE_HERE = "it leaves the directory read for its file: an ad hoc contract reads nothing else"
_REFERENCE = re.compile(r"\(([^()\s]+?)((?::\d+)*)\)")


def _relabel(finding: Finding, sides: list[tuple[DirectorySnapshot, str]]) -> Finding:
    """``finding`` with the paths of files read from their own directory shown as the user gave them."""
    (consumer_snap, consumer_prefix), (producer_snap, producer_prefix) = sides

    def moved(loc: Location | None, snapshot: DirectorySnapshot, prefix: str) -> Location | None:
        if loc is None or not prefix or not snapshot.exists(loc.path):
            return loc
        return replace(loc, path=prefix + loc.path)

    def reference(match: re.Match[str]) -> str:
        path = match.group(1)
        for snapshot, prefix in ((producer_snap, producer_prefix), (consumer_snap, consumer_prefix)):
            if prefix and snapshot.exists(path):
                return f"({prefix}{path}{match.group(2)})"
        return match.group(0)

    message = finding.message.replace(OUTSIDE_REASON, _OUTSIDE_HERE)
    if not consumer_prefix and not producer_prefix:
        return replace(finding, message=message)
    return replace(finding, location=moved(finding.location, consumer_snap, consumer_prefix),
                   base_location=moved(finding.base_location, producer_snap, producer_prefix),
                   message=_REFERENCE.sub(reference, message))


def _locate(text: str, cwd: Path) -> tuple[DirectorySnapshot, Selector, str]:
    """The snapshot to read a selector's file from, the selector with its path in that snapshot,
    and the prefix that shows its paths as the user gave them ('' inside the current directory)."""
    from .selectors import parse_selector

    selector = parse_selector(text)
    full = (cwd / selector.path).resolve()
    if not full.is_file():
        raise UsageError(f"{selector.path}: no such file")
    if full == cwd or cwd in full.parents:
        return DirectorySnapshot(cwd, str(cwd)), replace(selector, path=full.relative_to(cwd).as_posix(), text=text), ""
    given = selector.path.replace("\\", "/")
    prefix = posixpath.dirname(given) if Path(given).is_absolute() or given.startswith("../") \
        else posixpath.relpath(full.parent.as_posix(), cwd.as_posix())
    return (DirectorySnapshot(full.parent, str(full.parent)), replace(selector, path=full.name, text=text),
            prefix.rstrip("/") + "/")


def _unfollowed_errors(nodes: list, roots: list[tuple[DirectorySnapshot, str]]) -> list[Diagnostic]:
    """An error per ``$ref`` the verdict needed but that was not followed: the check is incomplete.

    In a repository such a ``$ref`` is a ``CONTRACT_UNDECIDABLE`` warning next to a complete
    check of everything else; here a downloaded spec whose ``$ref`` leaves its directory means
    the contract was not checked at all where it matters, so the run fails (exit 2) instead of
    passing with a warning.
    """
    out: list[Diagnostic] = []
    for node in nodes:
        path = node.origin.path
        snapshot, prefix = next(((s, p) for s, p in roots if p and s.exists(path)), (None, ""))
        location = node.origin.location()
        where = f"{prefix}{path}" + (f":{location.line}:{location.column}" if location and location.line else "")
        reason = node.reason or "it was not followed"
        if "outside" in reason:
            limit = str(snapshot.root) if snapshot is not None else "the current directory"
            reason = (f"it leaves {limit}, the only directory read for this file" if snapshot is not None
                      else f"it leaves {limit}, which is all that is read")
        message = f"{where}: the $ref at {node.origin.display} was not followed ({reason}): the contract could " \
                  "not be checked"
        if all(d.message != message for d in out):
            out.append(Diagnostic(message, None, Severity.ERROR,
                                  "Put the referenced files next to the named file (as the spec's own repository "
                                  "lays them out), or run from a directory that contains them all."))
    return out


def check_selectors(consumer: str, producer: str, direction: str, cwd: Path) -> tuple[CheckResult, SideFiles]:
    """Check ``consumer`` against ``producer``; selector errors are usage errors (exit 2).

    Raises:
        UsageError: A selector that is malformed, names no file, or does not resolve.
    """
    from ..config import Settings
    from ..filters import FilterContext, apply_filters
    from ..runner import select_rules
    from .check import check_pair
    from .selectors import SelectorError, SideFileError, direction_mismatch
    from .sides import resolve_side, roles
    from .stage import register_scanner

    cwd = cwd.resolve()
    files = SideFiles()
    sides = []
    consumer_role, producer_role, data = roles(direction)
    roots: list[tuple[DirectorySnapshot, str]] = []
    for name, text, role in (("consumer", consumer, consumer_role), ("producer", producer, producer_role)):
        try:
            snapshot, selector, prefix = _locate(text, cwd)
            path = selector.path
            side = resolve_side(selector, snapshot, role, data)
        except SelectorError as exc:
            tip = "Fix the file; the selector is fine." if isinstance(exc, SideFileError) else \
                "The selector forms are listed in docs/contracts.md."
            raise UsageError(f"{name} {text!r}: {exc}", tip=tip) from None
        if prefix and side.label.startswith(path):
            side = replace(side, label=prefix + side.label)
        sides.append(side)
        roots.append((snapshot, prefix))
        files.add(path, snapshot, prefix)
    settings = Settings()
    selected = select_rules(settings, "contracts")
    try:
        unfollowed: list = []
        findings = [_relabel(f, roots) for f in
                    check_pair(f"{consumer} -> {producer}", direction, sides[0], sides[1], selected, unfollowed)]
    except RecursionError:
        raise UsageError("the schemas are nested or recursive beyond what can be compared") from None
    register_scanner()
    context = FilterContext(base=files, head=files, rules_run=selected)  # type: ignore[arg-type]
    filtered = apply_filters(findings, context)
    diagnostics: list[Diagnostic] = [
        Diagnostic(why.replace("direction = ", "--direction "), None, Severity.WARNING)
        for why in filter(None, (direction_mismatch(side.selector, direction) for side in sides))]
    diagnostics += _unfollowed_errors(unfollowed, roots)
    if sides[0].selector.path == sides[1].selector.path and sides[0].shape is sides[1].shape:
        diagnostics.append(Diagnostic("the consumer and the producer are the same element", None, Severity.WARNING))
    result = CheckResult(tuple(filtered.findings), tuple(diagnostics), 1, "", "", tuple(sorted(selected)),
                         (FormatCount("contracts", "contract", 1),), filtered.accepted)
    return result, files
