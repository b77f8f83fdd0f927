"""The project's pydantic major version, from its lock file or dependency declarations.

Maintainers: read from the revision being checked (a v1 -> v2 upgrade in the same change is
seen as such: v1 lets ``Optional`` fields be omitted, v2 requires them). Lock files win
(``uv.lock``, ``poetry.lock``, ``pdm.lock``, ``Pipfile.lock``), then pinned requirements, then
the bounds of a ``pyproject.toml``/``setup.cfg`` dependency; ``None`` when nothing says.
Plain text searches: nothing is installed, imported or resolved.
"""

from __future__ import annotations

import re

from ...snapshot import Snapshot

__all__ = ["pydantic_major"]

_LOCKS = ("uv.lock", "poetry.lock", "pdm.lock")
_LOCK_ENTRY = re.compile(rb'name\s*=\s*"pydantic"\s*\n\s*version\s*=\s*"(\d+)\.')
_PIPFILE = re.compile(rb'"pydantic"\s*:\s*\{[^}]*"version"\s*:\s*"==(\d+)\.')
_PINNED = re.compile(rb"^\s*pydantic\s*(?:\[[^\]]*\])?\s*==\s*(\d+)\.", re.MULTILINE)
_SPEC = re.compile(rb"""["'\s]pydantic\s*(?:\[[^\]]*\])?\s*(?P<spec>[<>=~^!][^"',\n]*)""")
_POETRY = re.compile(rb"""^\s*pydantic\s*=\s*(?:\{[^}]*version\s*=\s*)?["'](?P<spec>[^"']+)["']""", re.MULTILINE)


def _read(snapshot: Snapshot, path: str) -> bytes | None:
    try:
        return snapshot.read(path) if snapshot.exists(path) else None
    except Exception:  # noqa: BLE001 - an unreadable file says nothing about versions
        return None


def _from_spec(spec: str) -> int | None:
    """The newest major version a requirement specifier allows (``>=2``, ``<2``, ``^1.10``, ``~=2.5``)."""
    spec = spec.replace(" ", "")
    exact = re.search(r"(?:==|\^|~=|~)(\d+)", spec)
    if exact is not None:
        return int(exact.group(1))
    upper = re.search(r"<(=?)(\d+)", spec)
    if upper is not None:
        return int(upper.group(2)) if upper.group(1) else max(int(upper.group(2)) - 1, 1)
    lower = re.search(r">=?(\d+)", spec)
    if lower is not None:
        return max(int(lower.group(1)), 2)  # unbounded: the newest major, which is 2 today
    return None


def pydantic_major(snapshot: Snapshot) -> int | None:
    """Pydantic's major version as the project declares it (``None``: not declared)."""
    for name in _LOCKS:
        data = _read(snapshot, name)
        if data is not None:
            found = _LOCK_ENTRY.search(data)
            if found:
                return int(found.group(1))
    data = _read(snapshot, "Pipfile.lock")
    if data is not None and (found := _PIPFILE.search(data)):
        return int(found.group(1))
    for name in ("requirements.txt", "requirements.lock", "requirements/base.txt", "requirements/prod.txt"):
        data = _read(snapshot, name)
        if data is not None and (found := _PINNED.search(data)):
            return int(found.group(1))
    for name in ("pyproject.toml", "setup.cfg", "requirements.in", "requirements.txt"):
        data = _read(snapshot, name)
        if data is None:
            continue
        for pattern in (_SPEC, _POETRY):
            for match in pattern.finditer(data):
                major = _from_spec(match.group("spec").decode("utf-8", "replace"))
                if major is not None:
                    return major
    return None
