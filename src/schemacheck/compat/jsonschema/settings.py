"""``[tool.schemacheck.jsonschema]``: the JSON Schema format's own configuration section.

Maintainers: named in ``formats/registry.py FORMATS`` so that ``config.py`` adds it to the settings
without knowing the format; keep this module light (config_model only).
"""

from __future__ import annotations

from typing import Literal

from ...config_model import ConfigModel, Field

__all__ = ["JsonSchemaSettings", "PathOverride"]


class PathOverride(ConfigModel):
    """Per-glob compatibility settings for JSON-shaped formats."""

    paths: tuple[str, ...]
    mode: Literal["backward", "forward", "full"] | None = None
    policy: Literal["strict", "lenient"] | None = None


class JsonSchemaSettings(ConfigModel):
    """``[tool.schemacheck.jsonschema]``."""

    include: tuple[str, ...] = Field(default=(), description="Extra globs of JSON Schema files beyond detection.")
    # Defaults: both upgrade orders (full), readers ignore unknown properties (lenient): a
    # removed/renamed required property, a narrowed type and a new required property break,
    # an added optional property does not. Confluent's BACKWARD is mode="backward", policy="strict".
    mode: Literal["backward", "forward", "full"] = Field(default="full", description="Who reads whom: full (default: both orders), backward (new reads old), forward (old reads new).")
    policy: Literal["strict", "lenient"] = Field(default="lenient", description="lenient (default): readers ignore unknown properties; strict: JSON Schema's open content model.")
    overrides: tuple[PathOverride, ...] = ()
