"""How schemacheck picks the protobuf compiler path: native extension or pure Python.

Runs the real CLI in a subprocess against a real git repository, with stand-in
``schemacheck_native`` modules put first on ``PYTHONPATH`` (so these tests need no Rust
toolchain): an extension of another version is refused with a clear error, a broken one is
an error rather than a silent fallback, an absent one means pure Python, and
``SCHEMACHECK_NATIVE=0`` forces pure Python whatever is installed (``=1`` requires the
extension). ``--version`` names the path.
"""

from __future__ import annotations

import json
import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

from gitrepo import GitRepo
from schemacheck import __version__

SRC = Path(__file__).resolve().parent.parent / "src"

BASE = 'syntax = "proto3";\npackage shop.v1;\n\n// An order.\nmessage Order {\n  int64 total = 1;\n}\n'
HEAD = BASE.replace("int64 total", "string total")

FAKES = {
    "mismatch": '__version__ = "0.0.0-other"\n',
    "broken": "import schemacheck_no_such_dependency  # noqa: F401\n__version__ = 'x'\n",
    "absent": "raise ModuleNotFoundError(\"No module named 'schemacheck_native'\", name='schemacheck_native')\n",
    # Every file handed back to Python, and the encoder delegating to Python: same answers.
    "declines": (f"__version__ = {__version__!r}\n"
                 "def tokenize(data, kinds, max_tokens, max_lines):\n    return None\n"
                 "def parse(data, name, max_tokens, max_lines):\n    return 2\n"
                 "def span_index(data):\n    return None\n"
                 "def source_code_info_bytes(locs, paths, stripped):\n"
                 "    from schemacheck.formats.protobuf.sourceinfo import source_code_info_bytes_python\n"
                 "    return source_code_info_bytes_python(locs, paths, stripped)\n"),
}


@pytest.fixture
def repo(tmp_path: Path) -> GitRepo:
    r = GitRepo(tmp_path / "repo")
    r.write("proto/shop/v1/order.proto", BASE)
    r.commit("base")
    r.branch("change")
    r.write("proto/shop/v1/order.proto", HEAD)
    r.commit("total becomes a string")
    return r


def _run(repo: GitRepo, *args: str, fake: str | None = None, native: str | None = None,
         tmp: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_COLOR": "1", "SCHEMACHECK_NO_CACHE": "1"}
    env.pop("SCHEMACHECK_NATIVE", None)
    path = [str(SRC)]
    if fake is not None:
        assert tmp is not None
        fake_dir = tmp / f"fake-{fake}"
        fake_dir.mkdir(exist_ok=True)
        (fake_dir / "schemacheck_native.py").write_text(FAKES[fake])
        path.insert(0, str(fake_dir))
    env["PYTHONPATH"] = os.pathsep.join(path + [env.get("PYTHONPATH", "")])
    if native is not None:
        env["SCHEMACHECK_NATIVE"] = native
    return subprocess.run([sys.executable, "-m", "schemacheck", *args], cwd=repo.root, env=env,
                          capture_output=True, text=True, timeout=120)


def _pure(repo: GitRepo) -> subprocess.CompletedProcess[str]:
    proc = _run(repo, "--base", "main", native="0")
    assert proc.returncode == 1 and "total" in proc.stdout, proc.stderr
    return proc


def test_mismatched_extension_is_refused_with_a_clear_error(repo: GitRepo, tmp_path: Path) -> None:
    proc = _run(repo, "--base", "main", fake="mismatch", tmp=tmp_path)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert "0.0.0-other" in proc.stderr and __version__ in proc.stderr and "SCHEMACHECK_NATIVE=0" in proc.stderr
    version = _run(repo, "--version", fake="mismatch", tmp=tmp_path)
    assert version.returncode == 0 and "refused" in version.stdout and "0.0.0-other" in version.stdout


def test_broken_extension_is_an_error_not_a_silent_fallback(repo: GitRepo, tmp_path: Path) -> None:
    proc = _run(repo, "--base", "main", fake="broken", tmp=tmp_path)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert "schemacheck_no_such_dependency" in proc.stderr


def test_env_forces_pure_python_whatever_is_installed(repo: GitRepo, tmp_path: Path) -> None:
    pure = _pure(repo)
    for fake in ("broken", "mismatch"):
        proc = _run(repo, "--base", "main", fake=fake, native="0", tmp=tmp_path)
        assert (proc.returncode, proc.stdout) == (pure.returncode, pure.stdout), proc.stderr
    version = _run(repo, "--version", fake="broken", native="0", tmp=tmp_path)
    assert "SCHEMACHECK_NATIVE=0" in version.stdout and "native (" not in version.stdout


def test_absent_extension_means_pure_python(repo: GitRepo, tmp_path: Path) -> None:
    pure = _pure(repo)
    proc = _run(repo, "--base", "main", fake="absent", tmp=tmp_path)
    assert (proc.returncode, proc.stdout) == (pure.returncode, pure.stdout), proc.stderr
    assert "not installed" in _run(repo, "--version", fake="absent", tmp=tmp_path).stdout


def test_env_one_requires_the_extension(repo: GitRepo, tmp_path: Path) -> None:
    proc = _run(repo, "--base", "main", fake="absent", native="1", tmp=tmp_path)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr and "SCHEMACHECK_NATIVE=1" in proc.stderr
    proc = _run(repo, "--base", "main", fake="declines", native="1", tmp=tmp_path)
    assert (proc.returncode, proc.stdout) == (_pure(repo).returncode, _pure(repo).stdout), proc.stderr


def test_files_the_extension_declines_take_the_python_path(repo: GitRepo, tmp_path: Path) -> None:
    pure = _pure(repo)
    proc = _run(repo, "--base", "main", fake="declines", tmp=tmp_path)
    assert (proc.returncode, proc.stdout) == (pure.returncode, pure.stdout), proc.stderr
    assert "native (schemacheck_native" in _run(repo, "--version", fake="declines", tmp=tmp_path).stdout


@pytest.mark.skipif(importlib.util.find_spec("schemacheck_native") is None,
                    reason="the native extension is not built (scripts/build-native.sh builds it)")
def test_real_extension_is_used_and_answers_the_same(repo: GitRepo) -> None:
    pure = _pure(repo)
    proc = _run(repo, "--base", "main")
    assert (proc.returncode, proc.stdout) == (pure.returncode, pure.stdout), proc.stderr
    assert f"native (schemacheck_native {__version__})" in _run(repo, "--version").stdout


def test_versions_agree() -> None:
    """The crate, its wheel and schemacheck carry one version (the import check relies on it)."""
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib

    native = SRC.parent / "native"
    cargo = tomllib.loads((native / "Cargo.toml").read_text())["package"]["version"]
    wheel = tomllib.loads((native / "pyproject.toml").read_text())["project"]["version"]
    project = tomllib.loads((SRC.parent / "pyproject.toml").read_text())["project"]
    assert cargo == wheel == __version__ == project["version"]
    assert f"schemacheck-native=={__version__}" in project["optional-dependencies"]["native"]


def test_verbose_counts_the_files_handed_back(repo: GitRepo, tmp_path: Path) -> None:
    """Never silently different: --verbose says which path compiled and how many files the
    native stages handed back to pure Python (on stderr: stdout may be a JSON report)."""
    import re

    proc = _run(repo, "--base", "main", "--verbose", "--format", "json", fake="declines", tmp=tmp_path)
    assert proc.returncode == 1, proc.stderr
    json.loads(proc.stdout)
    found = re.search(r"protobuf compiler: native \(schemacheck_native [^)]*\); handed back to pure Python: "
                      r"(\d+) parse \(unsupported\), (\d+) span index, (\d+) tokenize", proc.stderr)
    assert found and int(found.group(1)) >= 2 and found.group(1) == found.group(3), proc.stderr
    assert int(found.group(2)) >= 1, proc.stderr  # the rules' span index of a file with a finding
    pure = _run(repo, "--base", "main", "--verbose", native="0")
    assert "protobuf compiler: pure Python (SCHEMACHECK_NATIVE=0)" in pure.stderr
    assert "protobuf compiler" not in _run(repo, "--base", "main", native="0").stderr  # only with --verbose


@pytest.mark.skipif(importlib.util.find_spec("schemacheck_native") is None,
                    reason="the native extension is not built (scripts/build-native.sh builds it)")
def test_verbose_with_the_real_extension_hands_nothing_back(repo: GitRepo) -> None:
    proc = _run(repo, "--base", "main", "--verbose")
    assert "; no file handed back to pure Python" in proc.stderr, proc.stderr
