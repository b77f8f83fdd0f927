"""Roles inferred from FastAPI-style routes: what a route returns is a response, its body a request.

Maintainers: a route is a module-level function decorated with ``<app or router>.<verb>(...)``
(``get``, ``post``, ``put``, ``patch``, ``delete``, ``api_route``). Its ``response_model=`` and
its return annotation name response DTOs; a parameter annotated with a DTO (not ``Depends``,
``Query``, ``Path``, ``Header``, ``Cookie``) is the request body. Only the modules the checker
parses are read (changed DTO modules and the route modules it finds by a text search).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from .source import Expr, ModuleInfo

__all__ = ["route_roles", "ROUTE_MARKERS"]

_VERBS = frozenset({"get", "post", "put", "patch", "delete", "api_route", "head", "options"})
_NOT_BODY = frozenset({"Depends", "Query", "Path", "Header", "Cookie", "Security", "File", "Form"})
#: Byte strings that make a file worth reading for routes.
ROUTE_MARKERS = (b"response_model", b"fastapi", b"FastAPI", b"APIRouter")


def _names(expr: Expr | None) -> Iterator[str]:
    if expr is None:
        return
    if expr.kind == "name":
        yield expr.text
    elif expr.kind == "str" and expr.value and expr.value.isidentifier():
        yield expr.value
    for item in expr.items:
        yield from _names(item)


def route_roles(mod: ModuleInfo, qualify: Callable[[str, ModuleInfo], str]) -> dict[str, set[str]]:
    """Qualified class name -> roles (``request``/``response``) that the routes of ``mod`` give it."""
    out: dict[str, set[str]] = {}
    for func in mod.functions:
        routes = [d for d in func.decorators if d.kind == "call" and d.text.rsplit(".", 1)[-1] in _VERBS
                  and "." in d.text]
        if not routes:
            continue
        for deco in routes:
            for name in _names(deco.kwarg("response_model")):
                out.setdefault(qualify(name, mod), set()).add("response")
        for name in _names(func.returns):
            out.setdefault(qualify(name, mod), set()).add("response")
        for _, annotation, default in func.params:
            if default is not None and default.kind == "call" and default.text.rsplit(".", 1)[-1] in _NOT_BODY:
                continue
            if annotation is not None and annotation.kind == "sub" and annotation.text.endswith("Annotated") and \
                    any(m.kind == "call" and m.text.rsplit(".", 1)[-1] in _NOT_BODY for m in annotation.items[1:]):
                continue
            for name in _names(annotation):
                out.setdefault(qualify(name, mod), set()).add("request")
    return out
