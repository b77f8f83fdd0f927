"""schemacheck: catch breaking schema changes before they reach production.

Reads protobuf, JSON Schema, OpenAPI and Python DTO definitions at two revisions (straight
from git objects), pairs their elements and reports every change that breaks a reader or a
writer, with a stable rule ID and a position.
"""

from __future__ import annotations

from .errors import ConfigError, GitError, LinkError, ParseError, SchemacheckError, UsageError
from .model import CheckResult, Diagnostic, Finding, Location, Severity

__version__ = "0.1.0"

__all__ = [
    "__version__",
    "CheckResult",
    "ConfigError",
    "Diagnostic",
    "Finding",
    "GitError",
    "LinkError",
    "Location",
    "ParseError",
    "SchemacheckError",
    "Severity",
    "UsageError",
]
