"""Configuration: ``[tool.schemacheck]`` in pyproject.toml or a ``schemacheck.toml``.

Maintainers: the models are :class:`~schemacheck.config_model.ConfigModel` (pydantic's
interface, without pydantic's import cost) with unknown keys rejected, so an unknown key is an error
naming the key and the file; keys are kebab-case in files (``fail-on``) and snake_case in
Python. The shared keys are defined here; each format's section (``[tool.schemacheck.protobuf]``)
is a model in that format's package, added from the registry of formats. :func:`load_settings` finds and validates the file; command-line flags are applied
on top with :meth:`Settings.model_copy`.
"""

from __future__ import annotations

import sys
from pathlib import Path
from collections.abc import Callable
from typing import Any, Literal

from .formats.registry import settings_models
from .compat.jsonschema.settings import PathOverride
from .config_model import ConfigModel, ConfigValidationError, Field, make_model
from .contracts.settings import ContractSettings
from .errors import ConfigError
from .model import Severity

__all__ = [
    "Settings",
    "ProtobufSettings",
    "JsonSchemaSettings",
    "PathOverride",
    "load_settings",
    "load_settings_from",
    "settings_from_mapping",
    "CONFIG_FILES",
]

CONFIG_FILES = ("schemacheck.toml", "pyproject.toml")


class _SharedSettings(ConfigModel):
    """The keys every format shares; each format's section is added by :func:`_build_settings`."""

    include: tuple[str, ...] = Field(default=(), description="Globs of files to check (default: every schema found).")
    exclude: tuple[str, ...] = Field(default=(), description="Globs of files never checked.")
    select: tuple[str, ...] = Field(default=(), description="Rule IDs or categories to run (default: each format's defaults).")
    ignore: tuple[str, ...] = Field(default=(), description="Rule IDs or categories not to run.")
    fail_on: Literal["error", "warning", "info"] = "error"
    severity: dict[str, Severity] = Field(default_factory=dict, description="Per-rule severity overrides.")
    contracts: tuple[ContractSettings, ...] = Field(default=(), description="Consumer/producer contracts "
                                                    "(docs/contracts.md).")

    source: str = Field(default="", exclude=True, description="The file these settings came from ('' for defaults).")


def _build_settings() -> Any:
    """``[tool.schemacheck]``: the shared keys plus one section per registered format.

    The section models come from the formats (``formats/registry.py FORMATS``), so a new format's
    configuration needs no change here.
    """
    sections = {name: (model, model()) for name, model in settings_models().items()}
    return make_model("Settings", _SharedSettings, __name__, "``[tool.schemacheck]``: the whole configuration.",
                      **sections)


Settings = _build_settings()
# Aliases kept so that existing ``from schemacheck.config import ...`` keep working; a new
# format's model is imported from its own package.
ProtobufSettings = Settings.model_fields["protobuf"].annotation
JsonSchemaSettings = Settings.model_fields["jsonschema"].annotation


def _parse_toml(data: bytes, source: str) -> dict[str, Any]:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on 3.10 only
        import tomli as tomllib
    try:
        return tomllib.loads(data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{source}: not UTF-8 (byte {exc.start})") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{source}: invalid TOML: {exc}") from None


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        return _parse_toml(path.read_bytes(), str(path))
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror or exc}") from None


_PLAIN_MESSAGES = {
    "tuple_type": "expected an array, e.g. [\"a\", \"b\"]",
    "list_type": "expected an array, e.g. [\"a\", \"b\"]",
    "model_type": "expected a table",
    "dict_type": "expected a table",
    "string_type": "expected a string",
    "bool_type": "expected true or false",
    "bool_parsing": "expected true or false",
}


def _key_path(loc: tuple[Any, ...], table: str) -> str:
    text = table
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _known_keys(loc: tuple[Any, ...]) -> list[str]:
    model: Any = Settings
    for part in loc[:-1]:
        if isinstance(part, int):
            continue
        fields = {(f.alias or n): f for n, f in model.model_fields.items()}
        field = fields.get(str(part))
        annotation = getattr(field, "annotation", None)
        inner = getattr(annotation, "__args__", (annotation,))[0]
        if not (isinstance(inner, type) and issubclass(inner, ConfigModel)):
            return []
        model = inner
    return [f.alias or n for n, f in model.model_fields.items() if n != "source"]


def _format_validation_error(exc: ConfigValidationError, source: str, table: str) -> ConfigError:
    first = exc.errors()[0]
    loc = tuple(first["loc"])
    key = _key_path(loc, table)
    if first["type"] == "extra_forbidden":
        import difflib

        near = difflib.get_close_matches(str(loc[-1]).replace("_", "-"), _known_keys(loc), n=1)
        tip = f"Did you mean {near[0]!r}? " if near else ""
        return ConfigError(f"{source}: unknown key {key}",
                           tip=tip + "The valid keys are listed in docs/usage.md (Configuration).")
    if first["type"] == "missing":
        return ConfigError(f"{source}: missing required key {key}")
    message = _PLAIN_MESSAGES.get(first["type"], first["msg"])
    return ConfigError(f"{source}: bad value for {key}: {message}")


def settings_from_mapping(data: dict[str, Any], source: str, table: str = "tool.schemacheck") -> Settings:
    """Validate a mapping (a TOML table) into :class:`Settings`, naming ``source`` on error."""
    try:
        return Settings.model_validate({**data, "source": source})
    except ConfigValidationError as exc:
        raise _format_validation_error(exc, source, table) from None


def _from_data(data: dict[str, Any], name: str, source: str) -> Settings | None:
    # pyproject.toml, or any file laid out like one (a --config file holding [tool.schemacheck]).
    if name == "pyproject.toml" or (set(data) == {"tool"} and isinstance(data["tool"], dict)):
        table = data.get("tool", {}).get("schemacheck")
        if table is None:
            return None
        if not isinstance(table, dict):
            raise ConfigError(f"{source}: [tool.schemacheck] must be a table")
        return settings_from_mapping(table, source, "tool.schemacheck")
    return settings_from_mapping(data, source, "")


def load_settings(root: Path, explicit: Path | None = None) -> Settings:
    """Find and validate the configuration for a repository rooted at ``root``.

    ``explicit`` (``--config``) wins; otherwise ``schemacheck.toml`` then the
    ``[tool.schemacheck]`` table of ``pyproject.toml``; otherwise defaults.
    """
    if explicit is not None:
        if not explicit.is_file():
            raise ConfigError(f"configuration file {explicit} does not exist")
        return _from_data(_read_toml(explicit), explicit.name, str(explicit)) or Settings(source=str(explicit))
    return load_settings_from(lambda name: (root / name).read_bytes() if (root / name).is_file() else None,
                              str(root))


def load_settings_from(read: Callable[[str], bytes | None], where: str = "") -> Settings:
    """Find the configuration through ``read`` (a revision's file reader), as :func:`load_settings` does.

    Args:
        read: ``name -> bytes``, or ``None`` when the revision has no such file at its root.
        where: Prefix for the source named in errors (``/repo`` or ``index:``).
    """
    for name in CONFIG_FILES:
        data = read(name)
        if data is None:
            continue
        source = f"{where.rstrip('/')}/{name}" if where and not where.endswith(":") else f"{where}{name}"
        settings = _from_data(_parse_toml(data, source), name, source)
        if settings is not None:
            return settings
    return Settings()
