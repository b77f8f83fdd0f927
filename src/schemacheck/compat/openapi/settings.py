"""``[tool.schemacheck.openapi]``: the OpenAPI format's own configuration section.

Maintainers: named in ``formats/registry.py FORMATS`` so that ``config.py`` adds it to the
settings without knowing the format; keep this module light (config_model only).
"""

from __future__ import annotations

from ...config_model import ConfigModel, Field

__all__ = ["OpenApiSettings"]


class OpenApiSettings(ConfigModel):
    """``[tool.schemacheck.openapi]``."""

    include: tuple[str, ...] = Field(default=(), description="Globs of OpenAPI documents beyond detection "
                                                               "(a top-level `openapi:`/`swagger:` key).")
    validate_spec: bool = Field(default=True, description="Validate changed documents against their version's "
                                                          "official schema (problems are warnings).")
    deprecation_days: int = Field(default=0, ge=0, description="Minimum days between a new deprecation and its "
                                                               "`x-sunset` date (0: the date only has to be in "
                                                               "the future).")
