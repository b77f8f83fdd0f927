"""The JSON Schema format package's surface: module docstrings, complete __all__, frozen document."""

from __future__ import annotations

import dataclasses
import importlib
import inspect

import pytest

MODULES = [
    "schemacheck.formats.jsonschema",
    "schemacheck.formats.jsonschema.document",
    "schemacheck.formats.jsonschema.loader",
    "schemacheck.formats.jsonschema.positions",
    "schemacheck.formats.jsonschema.yaml_build",
    "schemacheck.formats.jsonschema.ids",
    "schemacheck.formats.jsonschema.refs",
    "schemacheck.formats.jsonschema.detect",
    "schemacheck.formats.jsonschema.metaschema",
    "schemacheck.formats.jsonschema.suppressions",
    "schemacheck.compat.jsonschema.checker",
    "schemacheck.compat.jsonschema.compare",
]


@pytest.mark.parametrize("name", MODULES)
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


def test_document_and_results_are_frozen() -> None:
    from schemacheck.formats.jsonschema import load_document
    from schemacheck.formats.jsonschema.refs import ResolvedRef, Unresolved

    doc = load_document("a.json", b"{}")
    with pytest.raises(dataclasses.FrozenInstanceError):
        doc.path = "b.json"  # type: ignore[misc]
    for cls in (ResolvedRef, Unresolved):
        assert cls.__dataclass_params__.frozen  # type: ignore[attr-defined]


def test_importing_the_package_does_not_import_heavy_modules() -> None:
    import subprocess
    import sys

    code = ("import sys, schemacheck.formats.jsonschema, schemacheck.compat.jsonschema.checker; "
            "print(sorted(m for m in ('jsonschema', 'yaml', 'rich', 'schemacheck.compat.shape') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
