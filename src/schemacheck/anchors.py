"""Anchors for deletions: the head line where a reviewer sees that an element went away.

Maintainers: a deleted field, message, property or path item has no head location of its own;
rules report it at the enclosing element (``Finding.location``), which may start far from the
deleted lines, outside the hunks a pull request's diff shows (GitHub then hides the alert), or
nowhere at all when the file was deleted. This stage is format-neutral: it diffs the base and
head text of the file line by line (a patience-style diff, difflib for small regions) and, when the base element's first line did not
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

__all__ = ["anchor_findings", "deletion_anchor", "line_opcodes", "MAX_LINES"]

#: Files longer than this (either side) are not diffed.
MAX_LINES = 200_000

Opcodes = list[tuple[str, int, int, int, int]]


#: Above this many cell comparisons a region is split on lines unique to both sides first.
_SMALL = 250_000


def _matches(a: list[str], b: list[str]) -> list[tuple[int, int, int]]:
    """Runs ``(i, j, n)`` of equal lines (``a[i:i+n] == b[j:j+n]``), increasing in both:
    patience-style, near-linear in practice.

    Common prefix and suffix first (compared in growing slices, not line by line: a one-line
    change in a 100,000-line file is two slice comparisons of C speed); a small middle goes to
    difflib; a large one is split on lines that occur once on each side (their longest
    increasing run), and each gap again. difflib alone is quadratic: 20,000 lines with
    scattered deletions take about a minute.
    """
    runs: list[tuple[int, int, int]] = []
    stack = [(0, len(a), 0, len(b))]
    while stack:
        a0, a1, b0, b1 = stack.pop()
        n = _common(a, b, a0, b0, min(a1 - a0, b1 - b0), 1)
        if n:
            runs.append((a0, b0, n))
            a0, b0 = a0 + n, b0 + n
        n = _common(a, b, a1 - 1, b1 - 1, min(a1 - a0, b1 - b0), -1)
        if n:
            a1, b1 = a1 - n, b1 - n
            runs.append((a1, b1, n))
        if a0 >= a1 or b0 >= b1:
            continue
        if (a1 - a0) * (b1 - b0) <= _SMALL:
            blocks = difflib.SequenceMatcher(None, a[a0:a1], b[b0:b1], autojunk=False).get_matching_blocks()
            runs.extend((a0 + i, b0 + j, n) for i, j, n in blocks if n)
            continue
        count: dict[str, list[int]] = {}
        for i in range(a0, a1):
            count.setdefault(a[i], [0, 0, -1])[0] += 1
        for j in range(b0, b1):
            entry = count.get(b[j])
            if entry is not None:
                entry[1] += 1
                entry[2] = j
        unique = [(i, count[a[i]][2]) for i in range(a0, a1) if count[a[i]][0] == 1 and count[a[i]][1] == 1]
        anchors = _increasing(unique)
        if not anchors:
            continue  # nothing in common that can be placed: the region is replaced
        runs.extend((i, j, 1) for i, j in anchors)
        edges = [(a0 - 1, b0 - 1), *anchors, (a1, b1)]
        stack.extend((i + 1, ni, j + 1, nj) for (i, j), (ni, nj) in zip(edges, edges[1:]))
    return sorted(runs)


def _common(a: list[str], b: list[str], i: int, j: int, limit: int, direction: int) -> int:
    """How many lines are equal from ``a[i]``/``b[j]`` on, forwards (``direction`` 1) or backwards
    (-1), at most ``limit``: slices of doubling size, halved after a mismatch."""
    n, step = 0, 8
    while n < limit:
        k = min(step, limit - n)
        if direction > 0:
            same = a[i + n:i + n + k] == b[j + n:j + n + k]
        else:
            same = a[i - n - k + 1:i - n + 1] == b[j - n - k + 1:j - n + 1]
        if same:
            n += k
            step *= 2
        elif k == 1:
            break
        else:
            step = k // 2
    return n


def _increasing(pairs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The longest run of ``pairs`` (sorted by i) whose j increase too (patience sorting)."""
    import bisect

    tails: list[int] = []
    tail_index: list[int] = []
    back: list[int] = []
    for n, (_, j) in enumerate(pairs):
        k = bisect.bisect_left(tails, j)
        back.append(tail_index[k - 1] if k else -1)
        if k == len(tails):
            tails.append(j)
            tail_index.append(n)
        else:
            tails[k], tail_index[k] = j, n
    out, n = [], tail_index[-1] if tail_index else -1
    while n >= 0:
        out.append(pairs[n])
        n = back[n]
    return out[::-1]


def line_opcodes(base_lines: list[str], head_lines: list[str]) -> Opcodes:
    """Opcodes (difflib's shape: tag, i1, i2, j1, j2) turning ``base_lines`` into ``head_lines``."""
    ops: Opcodes = []
    i = j = 0
    for mi, mj, n in [*_matches(base_lines, head_lines), (len(base_lines), len(head_lines), 0)]:
        if mi > i or mj > j:
            tag = "replace" if mi > i and mj > j else ("delete" if mi > i else "insert")
            ops.append((tag, i, mi, j, mj))
        if n:
            if ops and ops[-1][0] == "equal" and ops[-1][2] == mi and ops[-1][4] == mj:
                ops[-1] = ("equal", ops[-1][1], mi + n, ops[-1][3], mj + n)
            else:
                ops.append(("equal", mi, mi + n, mj, mj + n))
        i, j = mi + n, mj + n
    return ops


def deletion_anchor(base_lines: list[str], head_lines: list[str], base_line: int,
                    head_span: tuple[int, int] | None = None, opcodes: Opcodes | None = None) -> int | None:
    """The 1-based head line at which base line ``base_line`` was deleted, or ``None``.

    Args:
        base_lines: The base file's lines.
        head_lines: The head file's lines (not empty).
        base_line: 1-based line of the element in base.
        head_span: The finding's head location (first, last line): when it starts inside the
            block that replaced the base line, the element was changed, not deleted (an
            enclosing element that starts before the block does not count).
        opcodes: :func:`line_opcodes` of the two, when already computed.

    Returns:
        ``None`` when the line survived (equal in both) or was replaced by the located element.
    """
    if not head_lines or not 1 <= base_line <= len(base_lines):
        return None
    for tag, i1, i2, j1, j2 in opcodes if opcodes is not None else line_opcodes(base_lines, head_lines):
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
    diffs: dict[tuple[str, str], Opcodes] = {}

    def lines(side: bool, path: str) -> list[str] | None:
        if (side, path) not in cache:
            cache[side, path] = _lines(head if side else base, path)
        return cache[side, path]

    def anchor(old_path: str, new_path: str, old: list[str], new: list[str], line: int,
               span: tuple[int, int] | None = None) -> int | None:
        if (old_path, new_path) not in diffs:
            diffs[old_path, new_path] = line_opcodes(old, new)
        return deletion_anchor(old, new, line, span, diffs[old_path, new_path])

    def anchored(finding: Finding) -> Finding:
        was, now = finding.base_location, finding.location
        if was is None or finding.anchor is not None or finding.related:  # related: a head element, not a deletion
            return finding
        head_path = renames.get(was.path, was.path)
        if now is None and head_path != was.path:  # the file was renamed: anchor in its new name
            new = lines(True, head_path)
            old = lines(False, was.path) if new else None
            line = (anchor(was.path, head_path, old, new, was.line) if old and was.line >= 1 else None) or 1
            return replace(finding, anchor=Location(head_path, line if new else 0))
        # Nothing to place: a whole-file base location; the file is gone and was not renamed
        # (nothing survives); or the element moved to another file (its location says where).
        if was.line < 1 or now is None or now.path != head_path:
            return finding
        old, new = lines(False, was.path), lines(True, head_path)
        if old is None or not new:
            return finding
        span = (now.line, max(now.end_line, now.line)) if now.line >= 1 else None
        line = anchor(was.path, head_path, old, new, was.line, span)
        if line is None:
            return finding
        return replace(finding, anchor=Location(head_path, line, 1, line, len(new[line - 1]) + 1))

    return [anchored(f) for f in findings]
