"""Issue 7, JSON Schema front end: each report reproduced through the real CLI on a real git repo.

Dialect inference without ``$schema``, positions at the end of a file without a trailing
newline, bounded time for YAML aliases and ``NaN`` positions, size limits, and messages of our
own (never a library's wording) for nesting too deep.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from gitrepo import GitRepo


def run_cli(repo: GitRepo, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    env = {**GitRepo.env(), "NO_COLOR": "1", "PYTHONPATH": os.pathsep.join(sys.path)}
    env.pop("FORCE_COLOR", None)
    return subprocess.run([sys.executable, "-m", "schemacheck", "check", *args], cwd=repo.root, env=env,
                          capture_output=True, text=True, timeout=timeout)


def change(tmp_path: Path, name: str, old: str | bytes, new: str | bytes) -> GitRepo:
    """A repository whose ``main`` has ``old`` at ``name`` and whose work tree has ``new``."""
    repo = GitRepo(tmp_path / "repo")
    repo.write(name, old)
    repo.commit("base")
    repo.write(name, new)
    return repo


def findings(proc: subprocess.CompletedProcess[str]) -> list[dict]:
    assert "Traceback" not in proc.stderr and "internal error" not in proc.stderr, proc.stderr
    return json.loads(proc.stdout)["findings"]


# -- a YAML file without a trailing newline ---------------------------------------------------

def test_yaml_without_trailing_newline_closing_the_content_model(tmp_path: Path) -> None:
    old = "type: object\nproperties:\n  a:\n    type: string"
    repo = change(tmp_path, "s.schema.yaml", old, old + "\nadditionalProperties: false")
    proc = run_cli(repo, "--base", "main")
    out = proc.stdout + proc.stderr
    assert proc.returncode == 1, out
    assert "internal error" not in out and "Traceback" not in out
    assert "s.schema.yaml:5:1" in out  # the new keyword, on the last line


def test_positions_at_the_end_of_a_file_stay_inside_it() -> None:
    from schemacheck.formats.jsonschema import load_document

    text = "type: object\nproperties:\n  a:\n    type: string\nadditionalProperties: false"
    doc = load_document("s.yaml", text.encode())
    lines = text.split("\n")
    for pointer in ("", "/properties", "/properties/a", "/properties/a/type", "/additionalProperties"):
        loc = doc.location(pointer)
        assert 1 <= loc.end_line <= len(lines), (pointer, loc)
        assert 1 <= loc.end_column <= len(lines[loc.end_line - 1]) + 1, (pointer, loc)
    assert (doc.location("").end_line, doc.location("").end_column) == (5, 28)


# -- bounded time -----------------------------------------------------------------------------

GOOD = '{\n  "type": "object",\n  "properties": {"id": {"type": "string"}}\n}\n'


def timed_cli(repo: GitRepo, seconds: float = 5.0) -> subprocess.CompletedProcess[str]:
    """The CLI against ``main``; the whole process (start-up included) must end within ``seconds``."""
    start = time.perf_counter()
    proc = run_cli(repo, "--base", "main", timeout=60)
    elapsed = time.perf_counter() - start
    assert elapsed < seconds, f"took {elapsed:.1f}s"
    assert "Traceback" not in proc.stderr and "internal error" not in proc.stderr, proc.stderr[-2000:]
    return proc


def test_bare_nan_in_a_200_kb_json_file_is_located_quickly(tmp_path: Path) -> None:
    # Every "NaN" inside a string used to rescan the text before it: quadratic.
    new = '{"description": "' + "NaN " * 50_000 + '",\n "maximum": NaN}\n'
    repo = change(tmp_path, "a.schema.json", GOOD, new)
    proc = timed_cli(repo)
    assert proc.returncode == 2
    assert "a.schema.json:2:13: invalid JSON: NaN is not a JSON value" in proc.stdout + proc.stderr
