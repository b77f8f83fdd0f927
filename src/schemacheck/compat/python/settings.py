"""``[tool.schemacheck.python]``: the Python DTO format's own configuration section.

Maintainers: named in ``formats/registry.py FORMATS``; keep this module light (config_model only).
"""

from __future__ import annotations

from typing import Literal

from ...config_model import ConfigModel, Field

__all__ = ["PythonSettings", "RoleOverride", "ROLES"]

#: Role -> the directions it is checked in.
ROLES = {"request": ("backward",), "response": ("forward",), "event": ("forward",), "both": ("backward", "forward")}


class RoleOverride(ConfigModel):
    """DTOs in ``paths`` (and, when given, whose class name matches ``classes``) have ``role``."""

    paths: tuple[str, ...] = ("**",)
    classes: tuple[str, ...] = Field(default=(), description="Globs on the class name or qualified name.")
    role: Literal["request", "response", "event", "both"]


class PythonSettings(ConfigModel):
    """``[tool.schemacheck.python]``."""

    include: tuple[str, ...] = Field(default=(), description="Globs of .py files read for DTOs (default: every .py file).")
    pydantic_version: Literal[1, 2] | None = Field(default=None, description="Pydantic major version when the "
                                                   "project files do not say (default: read from lock files/pyproject).")
    infer_roles: bool = Field(default=True, description="Infer request/response roles from FastAPI routes.")
    roles: tuple[RoleOverride, ...] = ()
