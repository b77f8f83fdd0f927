#!/usr/bin/env python3
"""Benchmark: ``schemacheck check --base main`` on a repository of 2,000 Python DTO modules.

Generates a deterministic package (``--modules`` modules, each with three pydantic models
using a project-local base class, nested models from other modules, enums, Optional/Literal
fields, Field constraints and aliases), commits it on ``main`` in a temporary git
repository, then times the real CLI, median of ``--runs`` runs, for two commits on a branch:

* ``dto``: one DTO module changed (a field renamed): the target is <= 1 s;
* ``other``: one non-DTO Python module changed: only the text pre-filter runs, and the run
  reports whether libcst was imported (it must not be);
* ``text``: a baseline, one non-Python file changed (the CLI's and runner's fixed cost), so the
  other two can be read as a difference on a busy machine.

Not a test: run it by hand, ``python bench/python_dtos.py [--modules 2000] [--runs 5]``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GIT_ENV = {"GIT_AUTHOR_NAME": "bench", "GIT_AUTHOR_EMAIL": "bench@example.com", "GIT_COMMITTER_NAME": "bench",
           "GIT_COMMITTER_EMAIL": "bench@example.com", "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull}

BASE = '''"""Shared base of every DTO."""

from pydantic import BaseModel, ConfigDict
from pydantic.alias_generators import to_camel


class ApiModel(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True)
'''


def module(i: int) -> str:
    """Module ``i``: three models, one nesting a model of module ``i - 1``."""
    prev = f"from .m{i - 1:05d} import Item{i - 1}\n" if i else ""
    nested = f"    previous: Optional[Item{i - 1}] = None\n" if i else ""
    return f'''"""Generated DTO module {i}."""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import Literal, Optional

from pydantic import Field

from .base import ApiModel
{prev}

class Kind{i}(str, Enum):
    A = "a"
    B = "b"


class Item{i}(ApiModel):
    item_id: int = Field(ge=0)
    name: str = Field(max_length=64)
    kind: Kind{i}
    created_at: datetime
    total_amount: int
    note: Optional[str] = None
{nested}

class Page{i}(ApiModel):
    items: list[Item{i}] = []
    cursor: Optional[str] = None
    status: Literal["ok", "partial"] = "ok"


class Event{i}(ApiModel):
    event_id: str = Field(alias="id")
    payload: Item{i}
'''


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, env={**os.environ, **GIT_ENV})


PROBE = ("import sys, time\nfrom schemacheck.cli import main\nt = time.perf_counter()\n"
         "rc = main(['--base', 'main', '--format', 'json'])\n"
         "print('BENCH', rc, time.perf_counter() - t, 'libcst' in sys.modules, file=sys.stderr)\n")


def run(repo: Path, runs: int) -> tuple[float, float, bool, int]:
    """(median wall time of the CLI process, median in-process check time, libcst imported, exit code)."""
    walls, inner, libcst, code = [], [], False, 0
    # As users run it: bytecode cached (this container sets PYTHONDONTWRITEBYTECODE, which would
    # make every run compile the package from source), one warm-up run uncounted.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.update({"PYTHONPATH": str(ROOT / "src"), "PYTHONPYCACHEPREFIX": str(repo / ".git" / "bench-pycache")})
    subprocess.run([sys.executable, "-c", PROBE], cwd=repo, capture_output=True, text=True, env=env)
    for _ in range(runs):
        start = time.perf_counter()
        proc = subprocess.run([sys.executable, "-c", PROBE], cwd=repo, capture_output=True, text=True, env=env)
        walls.append(time.perf_counter() - start)
        line = next(x for x in proc.stderr.splitlines() if x.startswith("BENCH"))
        _, rc, seconds, imported = line.split()
        inner.append(float(seconds))
        libcst, code = imported == "True", int(rc)
    return statistics.median(walls), statistics.median(inner), libcst, code


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--modules", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="schemacheck-bench-py-") as tmp:
        repo = Path(tmp)
        git(repo, "init", "-q", "-b", "main")
        pkg = repo / "src" / "shop" / "dtos"
        pkg.mkdir(parents=True)
        (repo / "src" / "shop" / "__init__.py").write_text("")
        (pkg / "__init__.py").write_text("")
        (pkg / "base.py").write_text(BASE)
        for i in range(args.modules):
            (pkg / f"m{i:05d}.py").write_text(module(i))
        (repo / "src" / "shop" / "util.py").write_text("def add(a, b):\n    return a + b\n")
        git(repo, "add", "-A")
        git(repo, "commit", "-q", "-m", "base")
        git(repo, "checkout", "-q", "-b", "text")
        (repo / "NOTES.txt").write_text("not a schema\n")
        git(repo, "add", "-A")
        git(repo, "commit", "-q", "-m", "text")
        base_wall, base_inner, _, _ = run(repo, args.runs)
        print(f"baseline, a text file changed: {base_wall:.3f} s wall ({base_inner:.3f} s in main())")
        git(repo, "checkout", "-q", "-b", "other", "main")
        (repo / "src" / "shop" / "util.py").write_text("def add(a, b):\n    return b + a\n")
        git(repo, "commit", "-q", "-am", "other")
        wall, inner, libcst, code = run(repo, args.runs)
        print(f"other Python file changed: {wall:.3f} s wall ({inner:.3f} s in main(), "
              f"{inner - base_inner:+.3f} s over the baseline), exit {code}, libcst imported: {libcst}")
        git(repo, "checkout", "-q", "-b", "dto", "main")
        target = pkg / f"m{args.modules // 2:05d}.py"
        target.write_text(target.read_text().replace("total_amount: int", "total_cents: int"))
        git(repo, "commit", "-q", "-am", "dto")
        wall, inner, libcst, code = run(repo, args.runs)
        print(f"one DTO module changed ({args.modules} modules): {wall:.3f} s wall ({inner:.3f} s in main(), "
              f"{inner - base_inner:+.3f} s over the baseline), exit {code}, libcst imported: {libcst}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
