"""Where the external oracles live: buf, protoc, the SARIF schema and Multitool.

``.ci/run`` installs the npm ones under ``.tools/`` at the repository root; a developer may
point ``SCHEMACHECK_BUF`` / ``SCHEMACHECK_SARIF_MULTITOOL`` elsewhere or have them on PATH.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
NODE_BIN = REPO_ROOT / ".tools" / "node_modules" / ".bin"
FIXTURES = REPO_ROOT / "fixtures"


def _find(env: str, name: str) -> str | None:
    if os.environ.get(env):
        return os.environ[env]
    local = NODE_BIN / name
    if local.exists():
        return str(local)
    return shutil.which(name)


def buf_path() -> str | None:
    """The buf binary (npm @bufbuild/buf), or None."""
    return _find("SCHEMACHECK_BUF", "buf")


def sarif_multitool_path() -> str | None:
    """Microsoft's SARIF Multitool (npm @microsoft/sarif-multitool), or None."""
    return _find("SCHEMACHECK_SARIF_MULTITOOL", "sarif-multitool")


def sarif_schema_path() -> Path | None:
    """The official SARIF 2.1.0 JSON Schema shipped by npm @microsoft/jest-sarif."""
    path = REPO_ROOT / ".tools" / "node_modules" / "@microsoft" / "jest-sarif" / "lib" / "schemas" / "sarif-2.1.0-rtm.5.json"
    return path if path.exists() else None


def require(value, what: str):
    """In CI a missing oracle is a failure, locally a skip."""
    import pytest

    if value:
        return value
    if os.environ.get("CI"):
        pytest.fail(f"{what} is not installed; .ci/run should have installed it")
    pytest.skip(f"{what} is not installed (run .ci/run once, or see README)")
