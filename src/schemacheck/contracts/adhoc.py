"""``schemacheck contract CONSUMER PRODUCER``: one contract checked ad hoc, on plain files.

Maintainers: this is the one place a path outside the repository is read, because the user
named it on the command line (a producer's spec downloaded in CI, say). Each side is read from
a :class:`~schemacheck.snapshot.DirectorySnapshot`: the current directory when the file is
inside it (so a DTO's imports and a spec's ``$ref``s resolve as in the repository), else the
file's own directory (references leaving it are refused as everywhere else). Findings go
through the shared filters, so inline suppressions apply.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

from ..errors import UsageError
from ..model import CheckResult, Diagnostic, FormatCount, Severity
from ..snapshot import DirectorySnapshot

__all__ = ["check_selectors", "SideFiles"]


class SideFiles:
    """The files of both sides as one read-only snapshot (for reporters' source lines and suppressions)."""

    def __init__(self) -> None:
        self.label = "files"
        self._by_path: dict[str, DirectorySnapshot] = {}

    def add(self, path: str, snapshot: DirectorySnapshot) -> None:
        self._by_path.setdefault(path, snapshot)

    def paths(self) -> Iterable[str]:
        return list(self._by_path)

    def read(self, path: str) -> bytes:
        if path not in self._by_path:
            raise FileNotFoundError(path)
        return self._by_path[path].read(path)

    def exists(self, path: str) -> bool:
        return path in self._by_path and self._by_path[path].exists(path)

    def blob_id(self, path: str) -> str | None:
        return self._by_path[path].blob_id(path) if path in self._by_path else None


def _locate(text: str, cwd: Path) -> tuple[DirectorySnapshot, str]:
    """The snapshot to read a selector's file from, and the selector rewritten relative to it."""
    from .selectors import parse_selector

    selector = parse_selector(text)
    full = (cwd / selector.path).resolve()
    if not full.is_file():
        raise UsageError(f"{selector.path}: no such file")
    if full == cwd or cwd in full.parents:
        return DirectorySnapshot(cwd, str(cwd)), full.relative_to(cwd).as_posix()
    return DirectorySnapshot(full.parent, str(full.parent)), full.name


def check_selectors(consumer: str, producer: str, direction: str, cwd: Path) -> tuple[CheckResult, SideFiles]:
    """Check ``consumer`` against ``producer``; selector errors are usage errors (exit 2).

    Raises:
        UsageError: A selector that is malformed, names no file, or does not resolve.
    """
    from ..config import Settings
    from ..filters import FilterContext, apply_filters
    from ..runner import select_rules
    from .check import check_pair
    from .selectors import SelectorError, parse_selector
    from .sides import READER, WRITER, resolve_side
    from .stage import register_scanner

    cwd = cwd.resolve()
    files = SideFiles()
    sides = []
    roles = (READER, WRITER) if direction == "reads" else (WRITER, READER)
    data = "response" if direction == "reads" else "request"
    for name, text, role in (("consumer", consumer, roles[0]), ("producer", producer, roles[1])):
        try:
            snapshot, path = _locate(text, cwd)
            selector = parse_selector(text)
            selector = replace(selector, path=path, text=text)
            sides.append(resolve_side(selector, snapshot, role, data))
        except SelectorError as exc:
            raise UsageError(f"{name} {text!r}: {exc}", tip="The selector forms are listed in docs/contracts.md.") \
                from None
        files.add(path, snapshot)
    settings = Settings()
    selected = select_rules(settings, "contracts")
    try:
        findings = check_pair(f"{consumer} -> {producer}", direction, sides[0], sides[1], selected)
    except RecursionError:
        raise UsageError("the schemas are nested or recursive beyond what can be compared") from None
    register_scanner()
    context = FilterContext(base=files, head=files, rules_run=selected)  # type: ignore[arg-type]
    filtered = apply_filters(findings, context)
    diagnostics: list[Diagnostic] = []
    if sides[0].selector.path == sides[1].selector.path and sides[0].shape is sides[1].shape:
        diagnostics.append(Diagnostic("the consumer and the producer are the same element", None, Severity.WARNING))
    result = CheckResult(tuple(filtered.findings), tuple(diagnostics), 2, "", "", tuple(sorted(selected)),
                         sum(1 for _ in filtered.dropped), (FormatCount("contracts", "contract", 1),))
    return result, files
