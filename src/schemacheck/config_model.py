"""The base of every configuration model: kebab-case keys, unknown keys rejected, frozen.

Maintainers: ``config.py`` builds ``[tool.schemacheck]`` from the shared keys plus one section
per format; each format defines its section's model on :class:`ConfigModel` in its own package
(``compat/<format>/settings.py``) and names it in ``formats/registry.py FORMATS``. This module imports
nothing of schemacheck, so a format's settings module can import it without a cycle.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

__all__ = ["ConfigModel"]


def _kebab(name: str) -> str:
    return name.replace("_", "-")


class ConfigModel(BaseModel):
    """A configuration table: keys are kebab-case in files and snake_case in Python."""

    model_config = ConfigDict(extra="forbid", frozen=True, alias_generator=_kebab, populate_by_name=True)
