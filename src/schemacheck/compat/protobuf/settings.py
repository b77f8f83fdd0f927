"""``[tool.schemacheck.protobuf]``: the protobuf format's own configuration section.

Maintainers: named in ``formats/registry.py FORMATS`` so that ``config.py`` adds it to the settings
without knowing the format; keep this module light (config_model only).
"""

from __future__ import annotations

from ...config_model import ConfigModel, Field

__all__ = ["ProtobufSettings"]


class ProtobufSettings(ConfigModel):
    """``[tool.schemacheck.protobuf]``."""

    roots: tuple[str, ...] = Field(default=(), description="Import roots, repository-relative. Default: buf.yaml module roots, else '.'.")
    use_buf_yaml: bool = Field(default=True, description="Honour buf.yaml `breaking:` and module roots when present.")
