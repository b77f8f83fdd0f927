"""The report package's public surface: complete __all__, the format table, module docstrings."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest

import schemacheck.report as report
from schemacheck.model import CheckResult
from schemacheck.report import REPORTER_BY_NAME, ReportContext, Reporter

MODULES = sorted(info.name for info in pkgutil.iter_modules(report.__path__, report.__name__ + "."))


@pytest.mark.parametrize("name", [report.__name__, *MODULES])
def test_all_is_complete_and_resolvable(name: str) -> None:
    module = importlib.import_module(name)
    assert module.__doc__ and module.__doc__.strip(), f"{name} needs a module docstring for maintainers"
    exported = set(module.__all__)
    assert all(hasattr(module, n) for n in exported)
    public = {
        n for n, obj in vars(module).items()
        if not n.startswith("_") and (inspect.isfunction(obj) or inspect.isclass(obj)) and obj.__module__ == name
    }
    assert public <= exported, f"{name}: public but not in __all__: {sorted(public - exported)}"


def test_format_table() -> None:
    from schemacheck.cli import FORMATS

    assert list(REPORTER_BY_NAME) == ["text", "json", "sarif", "github", "markdown", "junit", "gitlab"]
    assert tuple(REPORTER_BY_NAME) == FORMATS  # the CLI's --format choices, kept without importing reporters
    for name, cls in REPORTER_BY_NAME.items():
        assert issubclass(cls, Reporter) and cls.name == name
        out = cls().render(CheckResult(), ReportContext(tool_version="0.0.0"))
        assert out.endswith("\n")


def test_context_is_frozen() -> None:
    import dataclasses

    ctx = ReportContext()
    with pytest.raises(dataclasses.FrozenInstanceError):
        ctx.color = True  # type: ignore[misc]
