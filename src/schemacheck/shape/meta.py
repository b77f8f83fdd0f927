"""What every shape node carries besides its constraints: where it was written, and annotations.

Maintainers: :class:`Origin` computes positions lazily (only reported nodes need one), so a
front end hands in a locator rather than a location. :func:`canonical_json` is how values
(enum members, defaults) are stored: a text that compares exactly.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..model import Location

__all__ = ["Origin", "Annotations", "canonical_json", "Locator", "NO_ORIGIN", "NO_ANNOTATIONS"]

Locator = Callable[[str], "Location | None"]


def canonical_json(value: Any) -> str:
    """A canonical JSON text for a value: sorted keys, integral floats as integers."""

    def norm(v: Any) -> Any:
        if isinstance(v, float) and v.is_integer():
            return int(v)
        if isinstance(v, dict):
            return {k: norm(x) for k, x in v.items()}
        if isinstance(v, list):
            return [norm(x) for x in v]
        return v

    if isinstance(value, str):
        return _ENCODER.encode(value)
    return _ENCODER.encode(norm(value))


_ENCODER = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False)


@dataclass(frozen=True, slots=True)
class Origin:
    """Where a node was written.

    Attributes:
        path: Repository-relative path of the file.
        pointer: RFC 6901 pointer inside that file (``""`` is the root), without ``#``.
        locator: Turns a pointer into a :class:`Location` (or ``None``); called lazily.
    """

    path: str = ""
    pointer: str = ""
    locator: Locator | None = field(default=None, compare=False, repr=False)

    def location(self) -> Location | None:
        """The node's span, computed on demand (``None`` when unknown)."""
        if self.locator is None:
            return Location(self.path, 1, 1, 1, 1) if self.path else None
        return self.locator(self.pointer)

    @property
    def display(self) -> str:
        """The pointer as users read it: ``#/properties/a``."""
        return "#" + self.pointer


@dataclass(frozen=True, slots=True)
class Annotations:
    """Keywords that do not change which documents validate.

    Attributes:
        default: Canonical JSON text of ``default`` (``None`` when absent).
        deprecated: ``deprecated: true``.
        read_only: ``readOnly: true``.
        write_only: ``writeOnly: true``.
        title: ``title`` (``""`` when absent).
    """

    default: str | None = None
    deprecated: bool = False
    read_only: bool = False
    write_only: bool = False
    title: str = ""

    @property
    def has_default(self) -> bool:
        return self.default is not None


NO_ORIGIN = Origin()
NO_ANNOTATIONS = Annotations()
