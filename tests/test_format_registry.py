"""The format protocol (issue 15): every registered format supplies its checker and its own
configuration section, and the runner-level modules import no format and form no import cycle."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from schemacheck.checkers import FORMATS, get_checker
from schemacheck.config import Settings, settings_from_mapping
from schemacheck.errors import ConfigError

SRC = Path(__file__).resolve().parent.parent / "src" / "schemacheck"
#: Modules that must stay format-neutral: a new format never edits them.
NEUTRAL = ("runner.py", "filters.py", "suppress.py", "config.py", "checkers.py", "formats/registry.py")


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_each_format_brings_its_checker_and_section(name: str) -> None:
    assert get_checker(name).name == name
    assert name in Settings.model_fields  # [tool.schemacheck.<name>] comes from the format's own model
    with pytest.raises(ConfigError, match=rf"unknown key tool\.schemacheck\.{name}\.no-such-key"):
        settings_from_mapping({name: {"no-such-key": 1}}, "pyproject.toml")


def _imports(path: Path) -> set[str]:
    """Modules imported by ``path`` (relative imports resolved), at any depth, TYPE_CHECKING included."""
    module = path.relative_to(SRC.parent).with_suffix("").parts
    package = list(module[:-1])
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            target = ".".join(base + ([node.module] if node.module else []))
            found.add(target)
            found.update(f"{target}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


@pytest.mark.parametrize("relative", NEUTRAL)
def test_neutral_modules_import_no_format_package(relative: str) -> None:
    imported = _imports(SRC / relative)
    formats = [m for m in imported if m.startswith(("schemacheck.compat.", "schemacheck.formats.protobuf",
                                                     "schemacheck.formats.jsonschema"))]
    allowed = {"schemacheck.compat.jsonschema.settings", "schemacheck.compat.jsonschema.settings.PathOverride"}
    assert set(formats) <= (allowed if relative == "config.py" else set()), formats  # config: old import path kept


def test_filters_suppress_checkers_config_form_no_cycle() -> None:
    names = {"filters": "schemacheck.filters", "suppress": "schemacheck.suppress",
             "checkers": "schemacheck.checkers", "config": "schemacheck.config"}
    graph = {short: {other for other, full in names.items() if full in _imports(SRC / f"{short}.py")}
             for short in names}
    for short, targets in graph.items():
        for target in targets:
            assert short not in graph[target], f"{short} <-> {target}"


#: File names a format might claim by content or a PATH argument, whatever their ending says.
SAMPLES = ("a.proto", "b.json", "c.yaml", "d.yml", "e.py", "F.JSON", "g.schema.json", "README.md", "notes.txt",
           "Makefile", "h.pyi", "i.proto.bak", "j.jsonc", "k.YML")
#: Content that each format would claim if the file name let it.
CONTENT = (b'{"$schema": "https://json-schema.org/draft/2020-12/schema", "openapi": "3.0.3", "type": "object",'
           b' "info": {"title": "t", "version": "1"}, "paths": {}}\n')


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_suffixes_cover_every_file_the_format_claims_or_may_be_affected_by(name: str, tmp_path: Path) -> None:
    """``FormatEntry.suffixes`` lets the runner skip a format without importing it: with its
    section unconfigured, the checker must never claim or be affected by a file ending otherwise."""
    from schemacheck.snapshot import DirectorySnapshot

    for sample in SAMPLES:
        (tmp_path / sample).write_bytes(CONTENT)
    snapshot = DirectorySnapshot(tmp_path, "new")
    checker, suffixes = get_checker(name), FORMATS[name].suffixes
    assert checker.configured_globs(Settings()) == ()  # a default section has no glob that could name a file
    if suffixes is None:
        return
    for sample in SAMPLES:
        wanted = checker.claims(sample, snapshot, Settings(), (sample,)) or checker.may_affect(sample)
        assert not wanted or sample.lower().endswith(suffixes), (name, sample)
    assert any(checker.claims(s, snapshot, Settings(), (s,)) for s in SAMPLES)  # the sample content is claimed
