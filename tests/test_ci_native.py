"""CI builds and requires the native extension when Rust is there, and needs no Rust otherwise.

``.ci/run`` is run for real (bash) in a copy of its layout, with stand-in ``python``, ``pip``
and ``cargo`` executables on ``PATH`` that record how they were called (a real build takes
minutes; ``tests/test_native_parity.py`` covers what the extension answers). Without cargo:
nothing is built and the README's test command runs as written, with the native path not
required. With cargo: the crate is built and installed from ``native/`` before the tests, and
the tests run with ``SCHEMACHECK_NATIVE=1`` so the parity tests cannot skip.
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


def _run_ci(tmp_path: Path, with_cargo: bool) -> list[str]:
    root = tmp_path / "checkout"
    (root / ".ci").mkdir(parents=True)
    (root / "scripts").mkdir()
    shutil.copy(REPO / ".ci" / "run", root / ".ci" / "run")
    shutil.copy(REPO / "scripts" / "build-native.sh", root / "scripts" / "build-native.sh")
    (root / "scripts" / "install-test-tools.sh").write_text(RECORDER.replace("$(basename \"$0\")", "install-test-tools"))
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for tool in ("bash", "dirname", "basename"):
        found = shutil.which(tool)
        if found is None:
            pytest.skip(f"{tool} is not on PATH")
        os.symlink(found, bin_dir / tool)
    for tool in ("python", "pip") + (("cargo",) if with_cargo else ()):
        (bin_dir / tool).write_text(RECORDER)
        (bin_dir / tool).chmod(0o755)
    calls = tmp_path / "calls.log"
    env = {"PATH": str(bin_dir), "CALLS": str(calls), "HOME": str(tmp_path)}
    proc = subprocess.run([str(bin_dir / "bash"), str(root / ".ci" / "run")], env=env,
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    return calls.read_text().splitlines()


def test_ci_without_rust_builds_nothing_and_runs_the_readme_command(tmp_path: Path) -> None:
    calls = _run_ci(tmp_path, with_cargo=False)
    assert not any("./native" in c or "maturin" in c for c in calls), calls
    assert calls == ["pip native=unset install -e .[test]", "install-test-tools native=unset ",
                     "python native=unset -m pytest -n auto"]


def test_ci_with_rust_builds_the_extension_first_and_requires_it(tmp_path: Path) -> None:
    calls = _run_ci(tmp_path, with_cargo=True)
    build = [i for i, c in enumerate(calls) if re.search(r"pip install .*\./native$", c)]
    tests = [i for i, c in enumerate(calls) if c.endswith("-m pytest -n auto")]
    assert build and tests and build[0] < tests[0], calls
    assert calls[tests[0]].startswith("python native=1 "), calls
