"""Where the ``check`` command's reports go: one run, several outputs (``-o FORMAT:FILE``).

Maintainers: ``cli.py`` hands the parsed ``--format``/``--output`` values and the finished
result here. :func:`output_targets` turns them into (format, destination) pairs and refuses
two reports on standard output or two on one file; :func:`write_reports` renders every report
first (so a rendering error writes nothing) and then writes them. The exit code is decided by
``cli.py`` once, from the result, whatever the number of outputs. Nothing here decides what a
report contains: that is ``report/``.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import UsageError

if TYPE_CHECKING:
    from .model import CheckResult
    from .report import ReportContext

__all__ = ["OutputTarget", "STDOUT", "output_targets", "write_reports", "display_paths"]

#: The destination that means standard output.
STDOUT = "-"

#: What a mistyped format prefix looks like: a name (letters, digits, ``-``) of two or more
#: characters before the first ``:`` (one letter is a Windows drive, ``C:\report.txt``).
_FORMAT_LIKE = re.compile(r"[A-Za-z0-9][A-Za-z0-9-]+")


@dataclass(frozen=True, slots=True)
class OutputTarget:
    """One report of the run.

    Attributes:
        format: A name of ``report.REPORTER_BY_NAME``.
        destination: A file path, or :data:`STDOUT`.
    """

    format: str
    destination: str


def _split(value: str, formats: Sequence[str]) -> tuple[str | None, str]:
    """``"sarif:out.sarif"`` -> ``("sarif", "out.sarif")``; a plain ``FILE`` -> ``(None, FILE)``."""
    name, sep, rest = value.partition(":")
    if sep and name.lower() in formats:
        if not rest:
            raise UsageError(f"--output {value}: name a file after '{name}:' (or '-' for standard output)")
        return name.lower(), rest
    if sep and _FORMAT_LIKE.fullmatch(name):
        # `-o sarfi:out.sarif` must not quietly write the text report to a file named
        # "sarfi:out.sarif": a name before the colon is meant as a format. A real file whose
        # name has a colon can still be given as ./name:rest.
        import difflib

        near = difflib.get_close_matches(name.lower(), list(formats), n=1)
        tip = f"Did you mean '{near[0]}:{rest}'? " if near else ""
        raise UsageError(f"--output {value}: unknown output format '{name}' (known: {', '.join(formats)})",
                         tip=f"{tip}A file name with a colon can be given as ./{value}.")
    return None, value


def output_targets(fmt: str | None, outputs: Sequence[str], formats: Sequence[str]) -> list[OutputTarget]:
    """The reports one run writes.

    ``--format`` (default ``text``) goes to standard output, or to the one plain ``-o FILE``;
    each ``-o FORMAT:FILE`` adds a report (``-`` is standard output).

    Raises:
        UsageError: Two plain ``-o FILE``, two reports on standard output, or two on one file.
    """
    primary: str | None = None
    extra: list[OutputTarget] = []
    for value in outputs:
        name, destination = _split(value, formats)
        if name is None:
            if primary is not None:
                raise UsageError(f"-o {value}: a second report file needs its format, e.g. -o json:{value}",
                                 tip="`-o FILE` writes the --format report; `-o FORMAT:FILE` adds another one.")
            primary = destination
        else:
            extra.append(OutputTarget(name, destination))
    targets = [OutputTarget(fmt or "text", primary or STDOUT), *extra]
    seen: dict[str, str] = {}
    for target in targets:
        key = target.destination if target.destination == STDOUT else os.path.abspath(target.destination)
        if key in seen:
            where = "standard output" if target.destination == STDOUT else target.destination
            raise UsageError(f"the {seen[key]} and {target.format} reports would both go to {where}",
                             tip="Give each report its own file: -o FORMAT:FILE ('-' is standard output).")
        seen[key] = target.format
    return targets


def write_reports(targets: Sequence[OutputTarget], result: CheckResult,
                  context_for: Callable[[OutputTarget], ReportContext]) -> None:
    """Render every report, then write each one (files first, standard output last).

    Raises:
        UsageError: A file cannot be written.
    """
    from .report import get_reporter

    rendered = [(t, get_reporter(t.format).render(result, context_for(t))) for t in targets]
    for target, text in sorted(rendered, key=lambda item: item[0].destination == STDOUT):
        if target.destination == STDOUT:
            sys.stdout.write(text)
            sys.stdout.flush()
            continue
        try:
            Path(target.destination).write_text(text, encoding="utf-8")
        except OSError as exc:
            raise UsageError(f"{target.destination}: cannot write the report: {exc.strerror or exc}") from None


def display_paths(side_root: Path | None, cwd: Path) -> Callable[[str], str]:
    """``path -> text`` for the terminal: a side-relative path as seen from ``cwd`` (clickable).

    ``side_root`` is the directory the side's paths are relative to (the repository root, or
    the ``--against`` directory); ``None`` keeps paths as they are.
    """
    if side_root is None:
        return str
    root, here = side_root.resolve(), cwd.resolve()
    if root == here:
        return str
    try:
        os.path.relpath(root, here)
    except ValueError:  # another drive (Windows): keep the side-relative path
        return str

    def show(path: str) -> str:
        return Path(os.path.relpath(root / path, here)).as_posix() if path else path

    return show
