"""A real git repository in a temporary directory, for tests.

Maintainers: tests build history with the real ``git`` binary (no mocks), so what schemacheck
reads from git objects is what git wrote. Keep this helper small; it is shared by every
test that needs a repository::

    repo = GitRepo(tmp_path)
    repo.write("api/order.proto", "syntax = 'proto3';")
    repo.commit("base")           # stages everything, then commits
    repo.branch("feature")        # creates and switches to the branch
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

__all__ = ["GitRepo", "GIT_ENV"]

#: A deterministic, isolated environment: no user or system git config leaks into tests.
GIT_ENV = {
    "GIT_AUTHOR_NAME": "Test",
    "GIT_AUTHOR_EMAIL": "test@example.com",
    "GIT_COMMITTER_NAME": "Test",
    "GIT_COMMITTER_EMAIL": "test@example.com",
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_CONFIG_GLOBAL": os.devnull,
}


class GitRepo:
    """A git repository at ``root`` (created with ``git init -b main`` when missing).

    Args:
        root: Directory of the work tree.
        init: Run ``git init`` (set ``False`` to wrap an existing clone).
    """

    def __init__(self, root: str | os.PathLike[str], *, init: bool = True) -> None:
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)
        if init:
            self.run("init", "-q", "-b", "main")
            self.run("config", "commit.gpgsign", "false")

    @staticmethod
    def env() -> dict[str, str]:
        """``os.environ`` plus :data:`GIT_ENV`, for subprocesses that run git."""
        return {**os.environ, **GIT_ENV}

    def run(self, *args: str, check: bool = True) -> str:
        """Run ``git ARGS`` in the repository and return its stdout."""
        proc = subprocess.run(["git", *args], cwd=self.root, env=self.env(), capture_output=True, text=True)
        if check and proc.returncode != 0:
            raise AssertionError(f"git {' '.join(args)} failed ({proc.returncode}): {proc.stderr.strip()}")
        return proc.stdout

    def write(self, path: str, text: str | bytes) -> Path:
        """Write a work-tree file (parents created); bytes are written as is."""
        full = self.root / path
        full.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            full.write_bytes(text)
        else:
            full.write_text(text, encoding="utf-8")
        return full

    def delete(self, path: str) -> None:
        """Remove a work-tree file (the index is not touched)."""
        (self.root / path).unlink()

    def stage(self, *paths: str) -> None:
        """``git add -A -- PATHS`` (deletions included)."""
        self.run("add", "-A", "--", *(paths or (".",)))

    def commit(self, message: str, *, stage_all: bool = True) -> str:
        """Commit (after staging everything unless ``stage_all=False``); returns the commit sha."""
        if stage_all:
            self.stage()
        self.run("commit", "-q", "--allow-empty", "-m", message)
        return self.head()

    def branch(self, name: str, *, switch: bool = True) -> None:
        """Create branch ``name`` at HEAD and switch to it unless ``switch=False``."""
        self.run("branch", name)
        if switch:
            self.checkout(name)

    def checkout(self, name: str) -> None:
        """``git checkout -q NAME``."""
        self.run("checkout", "-q", name)

    def head(self) -> str:
        """The sha of HEAD."""
        return self.run("rev-parse", "HEAD").strip()
