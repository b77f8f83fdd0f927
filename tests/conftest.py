"""Test-wide setup: make ``tests/`` helpers importable and keep the run self-contained."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

# The protobuf compiler keeps a parse cache on disk (~/.cache/schemacheck by default); tests get
# their own, so a run never reads entries left by another checkout or writes to the user's home.
os.environ.setdefault("SCHEMACHECK_CACHE_DIR", tempfile.mkdtemp(prefix="schemacheck-test-cache-"))
