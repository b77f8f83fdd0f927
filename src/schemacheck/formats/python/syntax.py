"""The values the libcst reader produces: expressions, statements, classes, functions, modules.

Maintainers: plain frozen dataclasses, so nothing outside :mod:`.source` ever sees a CST node
(and nothing here imports libcst).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = ["Expr", "Span", "NO_SPAN", "Stmt", "ClassDef", "FuncDef", "ModuleInfo"]

#: (line, column, end line, end column), 1-based, end column exclusive.
Span = tuple[int, int, int, int]
NO_SPAN: Span = (0, 0, 0, 0)


@dataclass(frozen=True, slots=True)
class Expr:
    """An expression, reduced to what type and ``Field(...)`` reading needs.

    Attributes:
        kind: ``name`` (dotted), ``sub`` (subscript), ``or`` (``a | b``), ``str``, ``num``,
            ``const`` (True/False/None/...), ``call``, ``list``, ``tuple``, ``dict``, ``set``,
            ``other``.
        text: The dotted name (``name``, the callee of ``call``, the base of ``sub``) or source text.
        items: Subscript arguments, call positional arguments, collection elements (dict: keys
            and values alternate).
        kwargs: Call keyword arguments.
        value: The Python value of a literal (``str``, ``int``, ``float``, ``bool``, ``None``).
        span: Where it was written.
    """

    kind: str
    text: str = ""
    items: tuple[Expr, ...] = ()
    kwargs: tuple[tuple[str, Expr], ...] = ()
    value: Any = None
    span: Span = NO_SPAN

    def kwarg(self, name: str) -> Expr | None:
        for key, value in self.kwargs:
            if key == name:
                return value
        return None

    @property
    def is_literal(self) -> bool:
        """A value JSON can hold: a string, number, ``True``/``False``/``None`` (``...`` is a constant
        but no value: ``RED = ...`` or ``Literal[...]`` is compared by its text)."""
        return self.kind in ("str", "num") or (self.kind == "const" and self.value is not Ellipsis)


@dataclass(frozen=True, slots=True)
class Stmt:
    """A statement of a class body or module: ``x: T = v``, ``x = v``, or a decorated ``def``.

    Attributes:
        kind: ``ann``, ``assign``, ``def`` or ``type`` (``type X = ...``).
        target: The assigned name (or function name).
        annotation: ``T`` of ``x: T``.
        value: ``v``.
        decorators: Of a ``def``.
        args: Of a ``def``: decorator-free parameter names with their annotations/defaults.
        returns: Of a ``def``: its return annotation.
        span: The whole statement.
    """

    kind: str
    target: str
    annotation: Expr | None = None
    value: Expr | None = None
    decorators: tuple[Expr, ...] = ()
    span: Span = NO_SPAN


@dataclass(frozen=True, slots=True)
class ClassDef:
    """A class statement."""

    name: str
    bases: tuple[Expr, ...]
    keywords: tuple[tuple[str, Expr], ...]
    decorators: tuple[Expr, ...]
    body: tuple[Stmt, ...]
    inner: tuple[ClassDef, ...]
    span: Span
    name_span: Span

    def keyword(self, name: str) -> Expr | None:
        for key, value in self.keywords:
            if key == name:
                return value
        return None

    def inner_class(self, name: str) -> ClassDef | None:
        return next((c for c in self.inner if c.name == name), None)


@dataclass(frozen=True, slots=True)
class FuncDef:
    """A module-level function with decorators (a web route candidate)."""

    name: str
    decorators: tuple[Expr, ...]
    params: tuple[tuple[str, Expr | None, Expr | None], ...]
    returns: Expr | None
    span: Span


@dataclass(frozen=True, slots=True)
class ModuleInfo:
    """What one module declares.

    Attributes:
        path: Repository-relative path.
        imports: Local name -> qualified name (``BaseModel`` -> ``pydantic.BaseModel``,
            ``pd`` -> ``pydantic``); relative imports are already absolute. ``from m import *``
            is kept as ``"*0"`` -> ``m`` (in order).
        classes: Top-level classes by name.
        assigns: Top-level ``X = ...`` / ``X: T = ...`` / ``type X = ...`` by name (last wins).
        functions: Top-level functions that have decorators.
    """

    path: str
    module: str
    imports: dict[str, str]
    classes: dict[str, ClassDef]
    assigns: dict[str, Stmt]
    functions: tuple[FuncDef, ...]
