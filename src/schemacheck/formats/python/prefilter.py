"""The cheap text pre-filter: could this ``.py`` file define a DTO? Decides whether libcst is needed.

Maintainers: this module must stay free of libcst and of anything heavy: the runner's
``claims`` and the checker call it on every changed ``.py`` file, and a commit that touches
only non-DTO Python files must pay nothing more than these byte searches. A file passes when
it names a DTO framework (``BaseModel``, ``dataclass``, ``TypedDict``, ``attrs``/``attr``,
``msgspec``, ``Struct``, ...) or imports a name from a module of the same repository that
passes (a project-local base class); see :func:`local_imports`.
"""

from __future__ import annotations

import re

__all__ = ["MARKERS", "mentions_dto", "local_imports", "is_python_path"]

#: Byte strings whose presence makes a file worth parsing.
MARKERS: tuple[bytes, ...] = (b"BaseModel", b"dataclass", b"TypedDict", b"attrs", b"attr.", b"import attr",
                              b"msgspec", b"Struct", b"pydantic", b"RootModel")

_FROM_IMPORT = re.compile(rb"^[ \t]*from[ \t]+(\.*[\w.]*)[ \t]+import[ \t]", re.MULTILINE)
_CLASS_WITH_BASES = re.compile(rb"^[ \t]*class[ \t]+\w+[ \t]*\(", re.MULTILINE)


def is_python_path(path: str) -> bool:
    """Whether ``path`` names a Python source file (``.py``; stubs and notebooks are not read)."""
    return path.endswith(".py")


def mentions_dto(text: bytes) -> bool:
    """Whether the file text names a DTO framework (plain byte searches, no parsing)."""
    return any(marker in text for marker in MARKERS)


def local_imports(text: bytes) -> list[str]:
    """Modules named by ``from X import ...`` lines, when the file declares a class with bases.

    A file that fails :func:`mentions_dto` can still define DTOs through a project-local base
    class (``class Order(ApiModel)`` with ``from app.base import ApiModel``); the checker then
    looks at those modules' text (without parsing) to decide.
    """
    if _CLASS_WITH_BASES.search(text) is None:
        return []
    return [m.decode("ascii", "replace") for m in _FROM_IMPORT.findall(text)]
