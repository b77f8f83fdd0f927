"""``compat/shape`` and ``shape`` have no import cycles, and each module imports on its own.

An import cycle works only as long as the import order happens to suit it (and ``TYPE_CHECKING``
imports are cycles for type checkers and readers too), so the graph is read from the source:
every ``import`` statement counts, including those inside functions and ``TYPE_CHECKING``
blocks. Then each module is imported alone in a fresh interpreter, as a user's first import
would be.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from tools import REPO_ROOT

SRC = REPO_ROOT / "src"
PACKAGES = ("schemacheck.compat.shape", "schemacheck.shape")


def _modules(package: str) -> dict[str, Path]:
    folder = SRC.joinpath(*package.split("."))
    return {(package if p.stem == "__init__" else f"{package}.{p.stem}"): p for p in sorted(folder.glob("*.py"))}


def _imports(module: str, path: Path) -> set[str]:
    """Every module ``module`` imports (absolute names; ``from . import x`` counts ``pkg.x``)."""
    package = module if path.stem == "__init__" else module.rsplit(".", 1)[0]
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package.split(".")
            base = base[: len(base) - node.level + 1] if node.level else []
            stem = ".".join(base + ([node.module] if node.module else []))
            out.add(stem)
            out.update(f"{stem}.{alias.name}" for alias in node.names)
    return out


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle of ``graph`` as a list of modules, or ``None``."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                return stack[stack.index(nxt):] + [nxt]
            if nxt not in state and (found := visit(nxt)) is not None:
                return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)) is not None:
            return found
    return None


def test_cycle_finder_finds_a_cycle() -> None:
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None


@pytest.mark.parametrize("package", PACKAGES)
def test_no_import_cycles(package: str) -> None:
    modules = _modules(package)
    # A package's __init__ is imported before any of its modules: it is a node like the others,
    # but "pkg.mod imports pkg" (implied by every relative import) is not an edge.
    graph = {name: {m for m in _imports(name, path) if m in modules and m != package} for name, path in
             modules.items()}
    assert _cycle(graph) is None


@pytest.mark.parametrize("module", [m for p in PACKAGES for m in _modules(p)])
def test_each_module_imports_alone(module: str) -> None:
    proc = subprocess.run([sys.executable, "-c", f"import {module}"], capture_output=True, text=True, timeout=60,
                          env={"PYTHONPATH": str(SRC), "PATH": ""})
    assert proc.returncode == 0, proc.stderr
