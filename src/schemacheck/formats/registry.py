"""The registry of formats: one line per format, naming where its checker and settings model are.

Maintainers: this module is data plus a lazy loader and imports nothing of schemacheck, so that
both ``config.py`` (which adds each format's ``[tool.schemacheck.<name>]`` model to the settings)
and ``checkers.py`` (which loads checkers) can use it without an import cycle. Adding a format
adds one line to :data:`FORMATS` (see docs/architecture.md, "Adding a format").
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any

__all__ = ["FormatEntry", "FORMATS", "load_target", "settings_models"]


@dataclass(frozen=True, slots=True)
class FormatEntry:
    """Where a format's parts are, as ``"module:attribute"`` strings (imported lazily).

    Attributes:
        checker: Its :class:`~schemacheck.checkers.FormatChecker` instance.
        label: What one of its files is called in the summary (``.proto file``), so that a run
            that compared nothing can say so without importing the checker.
        settings: Its configuration model (a pydantic model built on
            :class:`schemacheck.config_model.ConfigModel`), which becomes
            ``[tool.schemacheck.<name>]``; light to import. ``""``: the format has no section.
        suffixes: Lower-case endings of every file name the format can claim or says it
            :meth:`~schemacheck.checkers.FormatChecker.may_affect`, as long as its own section is
            not configured (a configured section may hold ``include`` globs naming any file);
            ``None``: any file. With git's change set the runner neither imports nor asks a
            format none of whose changed paths ends so, so a change touching no schema loads no
            checker. A test holds each checker to it.
    """

    checker: str
    label: str
    settings: str = ""
    suffixes: tuple[str, ...] | None = None


#: The registry of formats, in the order they run. One line per format.
FORMATS: dict[str, FormatEntry] = {
    "protobuf": FormatEntry("schemacheck.compat.protobuf.checker:CHECKER", ".proto file",
                            "schemacheck.compat.protobuf.settings:ProtobufSettings", (".proto",)),
    "openapi": FormatEntry("schemacheck.compat.openapi.checker:CHECKER", "OpenAPI document",
                           "schemacheck.compat.openapi.settings:OpenApiSettings", (".json", ".yaml", ".yml")),
    "jsonschema": FormatEntry("schemacheck.compat.jsonschema.checker:CHECKER", "JSON Schema file",
                              "schemacheck.compat.jsonschema.settings:JsonSchemaSettings", (".json", ".yaml", ".yml")),
    "python": FormatEntry("schemacheck.compat.python.checker:CHECKER", "Python DTO file",
                          "schemacheck.compat.python.settings:PythonSettings", (".py",)),
}


def load_target(target: str) -> Any:
    """Import ``"module:attribute"`` and return the attribute."""
    module_name, attr = target.split(":")
    return getattr(importlib.import_module(module_name), attr)


def settings_models() -> dict[str, Any]:
    """Format name -> its configuration model, for the formats that have one."""
    return {name: load_target(entry.settings) for name, entry in FORMATS.items() if entry.settings}
