"""``[tool.schemacheck.protobuf]``: the protobuf format's own configuration section.

Maintainers: named in ``formats/registry.py FORMATS`` so that ``config.py`` adds it to the settings
without knowing the format; keep this module light (config_model only).
"""

from __future__ import annotations

from typing import Literal

from ...config_model import ConfigModel, Field

__all__ = ["ProtobufSettings"]


class ProtobufSettings(ConfigModel):
    """``[tool.schemacheck.protobuf]``."""

    roots: tuple[str, ...] = Field(default=(), description="Import roots, repository-relative. Default: buf.yaml module roots, else '.'.")
    use_buf_yaml: bool = Field(default=True, description="Honour buf.yaml `breaking:` and module roots when present.")
    extra_import_roots: tuple[str, ...] = Field(default=(), description="Where imports found in no root are looked up last: repository-relative directories, or absolute ones outside the repository (read-only).")
    package_protos: bool = Field(default=True, description="Look up imports found nowhere else in .proto files shipped by installed Python packages (googleapis-common-protos, protovalidate).")
    google_api: Literal[True, False, "auto"] = Field(
        default="auto",
        description="Run the GOOGLE_API rules (google.api annotations, AIP-203/158): 'auto' when a checked "
                    "file imports google/api/ or google/longrunning/, true always, false never "
                    "(unless selected by name).")
