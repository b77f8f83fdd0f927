"""The shape packages' ``__all__`` lists are complete and truthful (griffe's test_api habit)."""

from __future__ import annotations

import importlib
import inspect

import pytest

MODULES = [
    "schemacheck.shape",
    "schemacheck.shape.nodes",
    "schemacheck.shape.meta",
    "schemacheck.shape.values",
    "schemacheck.shape.kinds",
    "schemacheck.shape.regex",
    "schemacheck.compat.shape.engine",
    "schemacheck.compat.shape.matching",
    "schemacheck.compat.shape.unions",
    "schemacheck.compat.shape.objects",
    "schemacheck.compat.shape.pair",
    "schemacheck.compat.shape.table",
    "schemacheck.compat.shape.jsonschema_pair",
    "schemacheck.formats.jsonschema.to_shape",
]


@pytest.mark.parametrize("name", MODULES)
def test_all_is_complete(name: str) -> None:
    module = importlib.import_module(name)
    exported = set(module.__all__)
    assert all(hasattr(module, n) for n in exported), sorted(n for n in exported if not hasattr(module, n))
    public = {n for n, obj in vars(module).items()
              if not n.startswith("_") and (inspect.isclass(obj) or inspect.isfunction(obj))
              and getattr(obj, "__module__", "") == module.__name__}
    assert public <= exported, sorted(public - exported)


@pytest.mark.parametrize("name", MODULES)
def test_module_has_a_maintainer_docstring(name: str) -> None:
    assert (importlib.import_module(name).__doc__ or "").strip()
