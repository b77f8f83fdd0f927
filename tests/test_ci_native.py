"""CI runs exactly the README's test command; where Rust is installed, that command builds and
requires the native extension, and it needs no Rust otherwise.

``scripts/native-for-tests.sh`` (called by ``scripts/install-test-tools.sh``) is run for real
(bash) in a copy of its layout, with stand-in ``python``, ``pip`` and ``cargo`` executables on
``PATH`` that record how they were called (a real build takes minutes;
``tests/test_native_parity.py`` covers what the extension answers). Without cargo: nothing is
built and the native path is not required. With cargo: the crate is built and installed from
``native/`` and ``.tools/native-required`` makes the parity tests fail instead of skipping.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
RECORDER = '#!/bin/sh\necho "$(basename "$0") native=${SCHEMACHECK_NATIVE:-unset} $*" >> "$CALLS"\n'


def _readme_test_command() -> str:
    commands = [line for line in (REPO / "README.md").read_text().splitlines()
                if line.startswith("pip install") and "pytest" in line]
    assert len(commands) == 1, commands
    return commands[0]


def test_ci_runs_the_readme_test_command_verbatim() -> None:
    assert _readme_test_command() in (REPO / ".ci" / "run").read_text()


def test_ci_runs_nothing_the_readme_does_not_show() -> None:
    lines = [line.strip() for line in (REPO / ".ci" / "run").read_text().splitlines()]
    commands = [line for line in lines if line and not line.startswith(("#", "set ", "cd ", "export "))]
    assert commands == [_readme_test_command()]
    assert "bash scripts/native-for-tests.sh" in (REPO / "scripts" / "install-test-tools.sh").read_text()


def _run_native_step(tmp_path: Path, with_cargo: bool) -> tuple[list[str], Path]:
    root = tmp_path / "checkout"
    (root / "scripts").mkdir(parents=True)
    for script in ("native-for-tests.sh", "build-native.sh"):
        shutil.copy(REPO / "scripts" / script, root / "scripts" / script)
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for tool in ("bash", "dirname", "basename", "mkdir", "touch", "rm"):
        found = shutil.which(tool)
        if found is None:
            pytest.skip(f"{tool} is not on PATH")
        os.symlink(found, bin_dir / tool)
    for tool in ("python", "pip") + (("cargo",) if with_cargo else ()):
        (bin_dir / tool).write_text(RECORDER)
        (bin_dir / tool).chmod(0o755)
    calls = tmp_path / "calls.log"
    calls.write_text("")
    env = {"PATH": str(bin_dir), "CALLS": str(calls), "HOME": str(tmp_path)}
    proc = subprocess.run([str(bin_dir / "bash"), str(root / "scripts" / "native-for-tests.sh")], env=env,
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    return calls.read_text().splitlines(), root / ".tools" / "native-required"


def test_without_rust_nothing_is_built_or_required(tmp_path: Path) -> None:
    calls, marker = _run_native_step(tmp_path, with_cargo=False)
    assert calls == [] and not marker.exists(), calls


def test_with_rust_the_extension_is_built_and_required(tmp_path: Path) -> None:
    calls, marker = _run_native_step(tmp_path, with_cargo=True)
    assert any(re.search(r"pip install .*\./native$", c) for c in calls), calls
    assert marker.exists()
