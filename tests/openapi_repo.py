"""What the OpenAPI end-to-end tests share: a real git repository with a change on a branch,
and the real CLI run in it.

``change_repo`` commits ``files`` on ``main``, then on branch ``change`` writes (or, for
``None``, deletes) ``changed`` and commits again: the layout ``--base main`` compares.
``run_cli`` / ``run_json`` run ``schemacheck.cli.main`` in-process from the repository root.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gitrepo import GitRepo
from schemacheck.cli import main

__all__ = ["change_repo", "run_cli", "run_json"]


def change_repo(root: Path, files: dict[str, str], changed: dict[str, str | None], message: str = "change"
                ) -> GitRepo:
    """A repository at ``root`` with ``files`` on ``main`` and ``changed`` committed on branch ``change``."""
    repo = GitRepo(root)
    for path, text in files.items():
        repo.write(path, text)
    repo.commit("base")
    repo.branch("change")
    for path, text in changed.items():
        if text is None:
            repo.delete(path)
        else:
            repo.write(path, text)
    repo.commit(message)
    return repo


def run_cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, root: Path, *args: str
            ) -> tuple[int, str]:
    """Exit code and standard output of the CLI run in ``root``."""
    monkeypatch.chdir(root)
    code = main(list(args))
    return code, capsys.readouterr().out


def run_json(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, root: Path, *args: str
             ) -> tuple[int, dict]:
    """Exit code and parsed ``--format json`` report of the CLI run in ``root``."""
    code, out = run_cli(capsys, monkeypatch, root, *args, "--format", "json")
    return code, json.loads(out)
