"""Anchors for deletions: the head line where a reviewer sees that an element went away.

Maintainers: a deleted field, message, property or path item has no head location of its own;
rules report it at the enclosing element (``Finding.location``), which may start far from the
deleted lines, outside the hunks a pull request's diff shows (GitHub then hides the alert), or
nowhere at all when the file was deleted. This stage is format-neutral: it diffs the base and
head text of the file line by line (difflib) and, when the base element's first line did not
survive, sets ``Finding.anchor`` to the first head line after the deleted block (clamped to the
last line), which the diff shows as its context. A deleted file that git saw renamed is
anchored in its new name the same way. Nothing is anchored when the element's line survived,
or when the head location is the replacement itself (a changed line, not a deletion).
The runner calls :func:`anchor_findings` after the filters; only files with such findings
are read.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from dataclasses import replace

from .model import Finding, Location
from .snapshot import Snapshot

__all__ = ["anchor_findings", "deletion_anchor", "MAX_LINES"]

#: Files longer than this (either side) are not diffed: difflib's cost grows with the square.
MAX_LINES = 20_000


def deletion_anchor(base_lines: list[str], head_lines: list[str], base_line: int,
                    head_span: tuple[int, int] | None = None) -> int | None:
    """The 1-based head line at which base line ``base_line`` was deleted, or ``None``.

    Args:
        base_lines: The base file's lines.
        head_lines: The head file's lines (not empty).
        base_line: 1-based line of the element in base.
        head_span: The finding's head location (first, last line): when it starts inside the
            block that replaced the base line, the element was changed, not deleted (an
            enclosing element that starts before the block does not count).

    Returns:
        ``None`` when the line survived (equal in both) or was replaced by the located element.
    """
    if not head_lines or not 1 <= base_line <= len(base_lines):
        return None
    matcher = difflib.SequenceMatcher(None, base_lines, head_lines, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if not i1 < base_line <= i2:
            continue
        if tag == "equal":
            return None
        if tag == "replace" and head_span is not None and j1 < head_span[0] <= j2:
            return None  # the located element starts in the replacement: changed, not deleted
        return min(j1 + 1, len(head_lines))
    return None


def _lines(snapshot: Snapshot, path: str) -> list[str] | None:
    try:
        text = snapshot.read(path).decode("utf-8", errors="replace")
    except (OSError, LookupError, ValueError):
        return None
    lines = text.splitlines()
    return lines if len(lines) <= MAX_LINES else None


def anchor_findings(findings: Iterable[Finding], base: Snapshot, head: Snapshot,
                    renames: Mapping[str, str]) -> list[Finding]:
    """``findings`` with ``anchor`` set on deletions (see the module docstring)."""
    cache: dict[tuple[bool, str], list[str] | None] = {}

    def lines(side: bool, path: str) -> list[str] | None:
        if (side, path) not in cache:
            cache[side, path] = _lines(head if side else base, path)
        return cache[side, path]

    out = []
    for finding in findings:
        was = finding.base_location
        if was is None or finding.anchor is not None:
            out.append(finding)
            continue
        head_path = renames.get(was.path, was.path)
        now = finding.location
        if now is None and head_path != was.path:  # the file was renamed: anchor in its new name
            new = lines(True, head_path)
            old = lines(False, was.path) if new else None
            line = (deletion_anchor(old, new, was.line) if old and was.line >= 1 else None) or 1
            out.append(replace(finding, anchor=Location(head_path, line if new else 0)))
            continue
        if was.line < 1:
            out.append(finding)
            continue
        if now is not None and now.path != head_path:  # moved to another file: its location says where
            out.append(finding)
            continue
        if now is None:  # the file is gone and was not renamed: nothing survives to anchor on
            out.append(finding)
            continue
        old, new = lines(False, was.path), lines(True, head_path)
        if old is None or not new:
            out.append(finding)
            continue
        span = (now.line, max(now.end_line, now.line)) if now is not None and now.line >= 1 else None
        line = deletion_anchor(old, new, was.line, span)
        if line is not None:
            finding = replace(finding, anchor=Location(head_path, line, 1, line, len(new[line - 1]) + 1))
        out.append(finding)
    return out
