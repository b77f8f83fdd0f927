"""``[tool.schemacheck.jsonschema]``: the JSON Schema format's own configuration section.

Maintainers: named in ``formats/registry.py FORMATS`` so that ``config.py`` adds it to the settings
without knowing the format; keep this module light (pydantic only).
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from ...config_model import ConfigModel

__all__ = ["JsonSchemaSettings", "PathOverride"]


class PathOverride(ConfigModel):
    """Per-glob compatibility settings for JSON-shaped formats."""

    paths: tuple[str, ...]
    mode: Literal["backward", "forward", "full"] | None = None
    policy: Literal["strict", "lenient"] | None = None


class JsonSchemaSettings(ConfigModel):
    """``[tool.schemacheck.jsonschema]``."""

    include: tuple[str, ...] = Field(default=(), description="Extra globs of JSON Schema files beyond detection.")
    mode: Literal["backward", "forward", "full"] = "backward"
    policy: Literal["strict", "lenient"] = "strict"
    overrides: tuple[PathOverride, ...] = ()
