"""The contract between the runner and each format's checker.

Maintainers: the runner decides *which* files changed (from git blob ids) and hands each
format a :class:`FormatJob`; the format's checker parses what it needs from the two
snapshots, pairs elements, runs the selected rules and returns findings plus diagnostics.
A checker never prints, never touches git directly, and never raises for a bad schema file:
it records a :class:`~schemacheck.model.Diagnostic` and carries on.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from .model import Diagnostic, Finding
from .snapshot import Snapshot

if TYPE_CHECKING:
    from .config import Settings

__all__ = ["FormatJob", "FormatOutcome", "FormatChecker", "CHECKER_BY_FORMAT", "get_checker"]


@dataclass(frozen=True, slots=True)
class FormatJob:
    """What one format is asked to check.

    Attributes:
        base: The old revision.
        head: The new revision.
        base_paths: Files of this format in base.
        head_paths: Files of this format in head.
        changed: Paths (base or head side) whose content differs, plus added and deleted ones.
        renames: Base path -> head path for files git saw as renamed.
        settings: The effective configuration.
        selected: Rule IDs to run (already expanded from categories and aliases).
    """

    base: Snapshot
    head: Snapshot
    base_paths: tuple[str, ...]
    head_paths: tuple[str, ...]
    changed: frozenset[str]
    renames: Mapping[str, str] = field(default_factory=dict)
    settings: Settings | None = None
    selected: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class FormatOutcome:
    findings: tuple[Finding, ...] = ()
    diagnostics: tuple[Diagnostic, ...] = ()
    files_checked: int = 0


class FormatChecker(Protocol):
    """One format's entry point."""

    name: str

    def claims(self, path: str, head: Snapshot | None) -> bool:
        """Whether ``path`` is a schema of this format (by name, configuration or content)."""
        ...

    def check(self, job: FormatJob) -> FormatOutcome:
        """Check one job; never raises for bad schema input (records diagnostics instead)."""
        ...


#: Format name -> "module:attribute" of its checker; imported lazily so unused formats cost nothing.
CHECKER_BY_FORMAT: dict[str, str] = {
    "protobuf": "schemacheck.compat.protobuf.checker:CHECKER",
    "jsonschema": "schemacheck.compat.jsonschema.checker:CHECKER",
}


def get_checker(fmt: str) -> FormatChecker:
    module_name, attr = CHECKER_BY_FORMAT[fmt].split(":")
    return getattr(importlib.import_module(module_name), attr)
