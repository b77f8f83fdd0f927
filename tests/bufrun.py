"""Run the real ``buf breaking`` on two directories and compare its findings with schemacheck's.

Maintainers: shared by the buf oracle tests (fixtures, random changes, buf.yaml handling).
Both tools are reduced to a set of :class:`Key` = (rule ID, path, start line, start column);
a finding without a path (buf's FILE_NO_DELETE, PACKAGE_NO_DELETE; ours with
``location=None``) becomes ``("", 0, 0)``. Intended differences live in
``tests/buf_differences.toml``, one entry per difference with its reason.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from schemacheck.model import Finding

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

__all__ = ["Key", "BufRun", "run_buf", "key_of", "Differences", "load_differences", "format_diff", "DIFFERENCES_FILE"]

DIFFERENCES_FILE = Path(__file__).with_name("buf_differences.toml")


@dataclass(frozen=True, slots=True, order=True)
class Key:
    """What both tools must agree on for one finding."""

    rule: str
    path: str
    line: int
    column: int

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}:{self.column}" if self.path else "(no path)"
        return f"{where} {self.rule}"


@dataclass(frozen=True, slots=True)
class BufRun:
    """buf's answer: finding keys, their messages, and compile errors (type COMPILE)."""

    keys: frozenset[Key]
    messages: dict
    compile_errors: tuple[str, ...]
    returncode: int


def key_of(finding: Finding) -> Key:
    """The comparison key of a schemacheck finding (head location; none for deleted files)."""
    loc = finding.location
    if loc is None:
        return Key(finding.rule_id, "", 0, 0)
    return Key(finding.rule_id, loc.path, loc.line, loc.column)


def buf_yaml_text(use: Sequence[str], extra: str = "") -> str:
    """A minimal v2 buf.yaml selecting ``use`` for breaking."""
    return f"version: v2\nbreaking:\n  use: [{', '.join(use)}]\n{extra}"


def run_buf(buf: str, before: Path, after: Path, use: Sequence[str] | None = None) -> BufRun:
    """Run ``buf breaking`` on copies of ``after`` against ``before``.

    Args:
        buf: The buf binary.
        before: Base directory (module root, or a workspace with its own buf.yaml).
        after: Head directory.
        use: Rule IDs/categories: a fresh ``buf.yaml`` with ``breaking.use`` is written into
            the head copy (and an empty v2 one into the base copy). ``None``: run in place
            with the directories' own configuration.
    """
    with tempfile.TemporaryDirectory(prefix="schemacheck-buf-") as tmp:
        head, base = Path(tmp) / "after", Path(tmp) / "before"
        shutil.copytree(after, head, ignore=shutil.ignore_patterns("expected.txt"))
        shutil.copytree(before, base)
        if use is not None:
            (head / "buf.yaml").write_text(buf_yaml_text(use))
            (base / "buf.yaml").write_text("version: v2\n")
        proc = subprocess.run([buf, "breaking", ".", "--against", str(base), "--error-format", "json"],
                              cwd=head, capture_output=True, text=True, timeout=120)
    if proc.returncode not in (0, 100):
        raise AssertionError(f"buf failed ({proc.returncode}): {proc.stderr.strip() or proc.stdout.strip()}")
    keys: set[Key] = set()
    messages: dict[Key, str] = {}
    compile_errors: list[str] = []
    for line in proc.stdout.splitlines():
        if not line.strip():
            continue
        item = json.loads(line)
        if item.get("type") == "COMPILE":
            compile_errors.append(f"{item.get('path', '')}:{item.get('start_line', 0)}: {item.get('message', '')}")
            continue
        path = item.get("path", "")
        # buf gives path-less findings (FILE_NO_DELETE, PACKAGE_NO_DELETE, deletions from a
        # deleted file) a dummy position 1:1; our location=None reduces to ("", 0, 0).
        line, column = (int(item.get("start_line", 0)), int(item.get("start_column", 0))) if path else (0, 0)
        key = Key(item["type"], path, line, column)
        keys.add(key)
        messages[key] = item.get("message", "")
    return BufRun(frozenset(keys), messages, tuple(compile_errors), proc.returncode)


@dataclass(frozen=True, slots=True)
class Difference:
    """One intended difference (an entry of buf_differences.toml).

    ``side`` is ``buf`` (buf reports it, we do not) or ``schemacheck`` (we report it, buf
    does not). ``case`` restricts it to one fixture; ``path``/``line``/``column`` to one spot;
    ``when`` names a condition on the head tree (see :data:`CONDITIONS`).
    """

    rule: str
    side: str
    reason: str
    case: str = ""
    path: str = ""
    line: int = 0
    column: int = 0
    when: str = ""

    def matches(self, key: Key, case: str, head: Path | None = None) -> bool:
        if self.case and self.case != case:
            return False
        if key.rule != self.rule:
            return False
        if self.path and key.path != self.path:
            return False
        if (self.line and key.line != self.line) or (self.column and key.column != self.column):
            return False
        return not self.when or (head is not None and CONDITIONS[self.when](key, head))


_PACKAGE = re.compile(r"^\s*package\s+([\w.]+)\s*;", re.MULTILINE)


def _packages_declaring(head: Path, keyword: str) -> tuple[dict[str, str], set[str]]:
    """Package of every head .proto file, and the packages that still declare a ``keyword``."""
    package_of: dict[str, str] = {}
    declaring: set[str] = set()
    pattern = re.compile(rf"^\s*{keyword}\s+\w+\s*{{", re.MULTILINE)
    for file in head.rglob("*.proto"):
        text = file.read_text(encoding="utf-8", errors="replace")
        match = _PACKAGE.search(text)
        package = match.group(1) if match else ""
        package_of[file.relative_to(head).as_posix()] = package
        if pattern.search(text):
            declaring.add(package)
    return package_of, declaring


def _package_has_none_left(keyword: str):
    def condition(key: Key, head: Path) -> bool:
        package_of, declaring = _packages_declaring(head, keyword)
        return key.path in package_of and package_of[key.path] not in declaring
    return condition


#: Named conditions on the head tree that a difference may require (``when = "..."``).
CONDITIONS = {
    "package_has_no_enum_left": _package_has_none_left("enum"),
    "package_has_no_message_left": _package_has_none_left("message"),
}


@dataclass(frozen=True, slots=True)
class Differences:
    entries: tuple[Difference, ...]

    def apply(self, ours: Iterable[Key], theirs: Iterable[Key], case: str = "",
              head: Path | None = None) -> tuple[set[Key], set[Key], list[Difference]]:
        """Keys only we / only buf report that no entry explains, and the entries used.

        ``head`` is the head tree, for entries with a ``when`` condition.
        """
        ours, theirs = set(ours), set(theirs)
        only_ours, only_buf = ours - theirs, theirs - ours
        used: list[Difference] = []
        for entry in self.entries:
            pool = only_buf if entry.side == "buf" else only_ours
            hit = {k for k in pool if entry.matches(k, case, head)}
            if hit:
                used.append(entry)
                pool -= hit
        return only_ours, only_buf, used

    def for_case(self, case: str) -> list[Difference]:
        return [e for e in self.entries if e.case == case]


def load_differences(path: Path = DIFFERENCES_FILE) -> Differences:
    """Read and validate ``buf_differences.toml``."""
    data = tomllib.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    entries = []
    for i, raw in enumerate(data.get("difference", [])):
        unknown = set(raw) - {"rule", "side", "reason", "case", "path", "line", "column", "when"}
        if unknown or raw.get("side") not in ("buf", "schemacheck") or not raw.get("reason") or not raw.get("rule") \
                or raw.get("when", "") not in ("", *CONDITIONS):
            raise AssertionError(f"{path.name}: entry {i + 1} needs rule, side (buf|schemacheck) and reason, "
                                 f"and 'when' one of {sorted(CONDITIONS)}; unknown keys: {sorted(unknown)}")
        entries.append(Difference(**raw))
    return Differences(tuple(entries))


def format_diff(title: str, only_ours: set[Key], only_buf: set[Key], buf_messages: dict | None = None,
                our_messages: dict | None = None) -> str:
    """A readable report of unexplained differences."""
    lines = [title]
    for key in sorted(only_buf):
        lines.append(f"  only buf:         {key}  {(buf_messages or {}).get(key, '')}")
    for key in sorted(only_ours):
        lines.append(f"  only schemacheck: {key}  {(our_messages or {}).get(key, '')}")
    lines.append(f"If intended, add an entry with its reason to {DIFFERENCES_FILE.name}.")
    return "\n".join(lines)
