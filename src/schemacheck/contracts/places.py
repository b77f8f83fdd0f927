"""Where a ``[[tool.schemacheck.contracts]]`` entry is: its line in the configuration file, for diagnostics.

Maintainers: input errors name a file, line and column (README); the configuration is read
through a TOML parser that keeps no positions, so the N-th entry is found by its table header
(``[[tool.schemacheck.contracts]]`` in ``pyproject.toml``, ``[[contracts]]`` in
``schemacheck.toml``), a line scan. When the headers do not account for every entry (an inline
array, a ``--config`` file outside the revision), diagnostics keep naming the file in their text.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING

from ..errors import SchemacheckError
from ..model import Diagnostic, Location

if TYPE_CHECKING:
    from ..snapshot import Snapshot

__all__ = ["EntryPlaces"]

_HEADERS = {
    "pyproject.toml": re.compile(rb"^[ \t]*\[\[[ \t]*tool[ \t]*\.[ \t]*schemacheck[ \t]*\.[ \t]*contracts[ \t]*\]\]"),
    "schemacheck.toml": re.compile(rb"^[ \t]*\[\[[ \t]*contracts[ \t]*\]\]"),
}


class EntryPlaces:
    """The configuration line of each contract entry, found once, on first use."""

    def __init__(self, head: Snapshot, source: str, count: int) -> None:
        self._head, self._source, self._count = head, source, count
        self._path = ""
        self._lines: list[int] | None = None

    def _find(self) -> list[int]:
        if self._lines is None:
            self._lines = []
            name = next((n for n in _HEADERS if self._source.endswith(("/" + n, ":" + n)) or self._source == n), "")
            try:
                data = self._head.read(name) if name and self._head.exists(name) else b""
            except (OSError, SchemacheckError):  # no place is a fine answer: the diagnostic still names the file
                data = b""
            lines = [i for i, line in enumerate(data.splitlines(), 1) if name and _HEADERS[name].match(line)]
            if len(lines) == self._count:
                self._path, self._lines = name, lines
        return self._lines

    def place(self, diagnostics: list[Diagnostic], index: int, where: str) -> list[Diagnostic]:
        """``diagnostics`` of entry ``index`` at its header line (the ``where`` prefix then dropped)."""
        lines = self._find() if diagnostics else []
        if not lines:
            return diagnostics
        location = Location(self._path, lines[index], 1)
        return [replace(d, location=location, message=d.message[len(where):] if where and
                        d.message.startswith(where) else d.message) for d in diagnostics]
