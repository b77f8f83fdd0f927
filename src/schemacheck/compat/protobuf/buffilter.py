"""buf.yaml's ignores, applied to protobuf findings before they leave the protobuf checker.

Maintainers: a protobuf finding is kept only if (1) its module selected the rule (when
buf.yaml ``use``/``except`` decide the selection), (2) neither its head nor its base location
is under a ``breaking.ignore`` / ``ignore_only`` path, so deleted files in ignored directories
stay quiet (buf issues #37, #412), and (3) with ``ignore_unstable_packages``, neither the head
nor the base file (or, for package-level findings without a file, the subject) is in a
``v1alpha1``-style package. Files are read lazily, and only for (3).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from ...globs import is_under
from ...model import Finding
from ...snapshot import Snapshot
from .bufconfig import BUF_RULE_IDS, BufConfig, BufModule

__all__ = ["buf_filter", "is_unstable_package", "package_of_text"]

_UNSTABLE = re.compile(r"^v\d+(?:(?:p\d+)?(?:alpha|beta)\d*|test.*)$")
_PACKAGE = re.compile(rb"^\s*package\s+([A-Za-z_][\w.]*)\s*;", re.MULTILINE)


def is_unstable_package(package: str) -> bool:
    """Whether the package's last component is an unstable version (``v1alpha1``, ``v2beta``,
    ``v1p1alpha2``, ``v1test``, ``v1testing``), as buf's ``ignore_unstable_packages`` means it."""
    return bool(package) and bool(_UNSTABLE.match(package.rsplit(".", 1)[-1]))


def package_of_text(data: bytes) -> str:
    """The ``package`` declared in a .proto file's text ('' if none); a cheap scan, no parse."""
    match = _PACKAGE.search(data)
    return match.group(1).decode() if match else ""


class _Packages:
    """Package of a path in a snapshot, read at most once per path."""

    def __init__(self, snapshot: Snapshot) -> None:
        self.snapshot = snapshot
        self.cache: dict[str, str] = {}

    def __call__(self, path: str) -> str:
        if path not in self.cache:
            try:
                self.cache[path] = package_of_text(self.snapshot.read(path))
            except (FileNotFoundError, OSError):
                self.cache[path] = ""
        return self.cache[path]


def _paths(finding: Finding) -> tuple[str, ...]:
    return tuple(loc.path for loc in (finding.location, finding.base_location) if loc is not None)


def _module_of(finding: Finding, buf: BufConfig) -> BufModule | None:
    for path in _paths(finding):
        module = buf.module_for(path)
        if module is not None:
            return module
    return None


def _reason(finding: Finding, buf: BufConfig, buf_selects: bool, head_pkg: Callable[[str], str],
            base_pkg: Callable[[str], str]) -> str | None:
    """Why buf.yaml drops this protobuf finding, or ``None`` to keep it."""
    paths = _paths(finding)
    module = _module_of(finding, buf)
    buf_owns = buf_selects and finding.rule_id in BUF_RULE_IDS  # buf.yaml does not select GOOGLE_API rules
    if module is None:
        if paths:
            return "outside every buf module"
        modules = [m for m in buf.modules if finding.rule_id in m.breaking.rules] if buf_owns else buf.modules
        if not modules:
            return "rule not selected by buf.yaml"
        module = modules[0]
    breaking = module.breaking
    if buf_owns and finding.rule_id not in breaking.rules:
        return f"rule not selected in {breaking.source}"
    if any(is_under(p, ign) for p in paths for ign in breaking.ignore):
        return f"path ignored in {breaking.source}"
    for rules, ignored in breaking.ignore_only:
        if finding.rule_id in rules and any(is_under(p, ign) for p in paths for ign in ignored):
            return f"path ignored for {finding.rule_id} in {breaking.source}"
    if breaking.ignore_unstable_packages and _unstable(finding, head_pkg, base_pkg):
        return f"unstable package ignored in {breaking.source}"
    return None


def _unstable(finding: Finding, head_pkg: Callable[[str], str], base_pkg: Callable[[str], str]) -> bool:
    packages = []
    if finding.location is not None:
        packages.append(head_pkg(finding.location.path))
    if finding.base_location is not None:
        packages.append(base_pkg(finding.base_location.path))
    if not packages and finding.subject:
        packages.append(finding.subject)  # package-level findings (PACKAGE_NO_DELETE) name the package
    return any(is_unstable_package(p) for p in packages)


def buf_filter(findings: Iterable[Finding], buf: BufConfig, buf_selects: bool, base: Snapshot,
               head: Snapshot) -> tuple[list[Finding], list[tuple[Finding, str]]]:
    """Split ``findings`` into (kept, [(dropped, why)]) by the head side's buf configuration.

    Args:
        findings: Protobuf findings.
        buf: The head side's buf configuration.
        buf_selects: Whether buf.yaml ``use``/``except`` chose the rules (no explicit ``select``).
        base: The old revision (packages of deleted files).
        head: The new revision.
    """
    kept: list[Finding] = []
    dropped: list[tuple[Finding, str]] = []
    head_pkg, base_pkg = _Packages(head), _Packages(base)
    for finding in findings:
        reason = _reason(finding, buf, buf_selects, head_pkg, base_pkg)
        if reason is None:
            kept.append(finding)
        else:
            dropped.append((finding, reason))
    return kept, dropped
