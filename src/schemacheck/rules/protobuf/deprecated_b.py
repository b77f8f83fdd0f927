"""Retired protobuf rule IDs of the files/services family, kept so old configurations still load.

Maintainers: a deprecated ID is never reused; selecting it selects its replacements (here
none), exactly as buf expands deprecated IDs in a ``buf.yaml``.
"""

from __future__ import annotations

from ...registry import deprecate
from ._common import PROTOBUF

deprecate(
    "FILE_SAME_PHP_GENERIC_SERVICES",
    format=PROTOBUF,
    replacements=(),
    reason="The php_generic_services option was removed from descriptor.proto; buf keeps the ID as a no-op.",
)
