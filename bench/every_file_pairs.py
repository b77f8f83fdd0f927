#!/usr/bin/env python3
"""Benchmark: every file changed (2,000 ``.proto``), cold cache against no cache, paired, with CPU time.

``bench/proto_monorepo.py`` reports cold / warm / no cache next to buf; this script answers the
narrower question of issue 11, "is a cold cache ever slower than no cache?", on a busy machine:
each round runs, one after the other, ``SCHEMACHECK_NO_CACHE=1`` and a cold run (an empty cache
directory of its own) for this tree and, with ``--before SRC``, for another source tree (another
checkout's ``src/``), then ``buf breaking`` with ``--buf``. It prints wall and CPU seconds (user +
system of the process and the children it waited for, from ``wait4``: less sensitive to the
load than wall time) per run and their medians. The repository is generated as
``proto_monorepo.py`` does (``--workdir`` keeps and reuses it). Not a test:
``python bench/every_file_pairs.py [--files 2000] [--runs 3] [--before ../main/src] [--buf]``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import proto_monorepo  # noqa: E402 - the generator of the protobuf monorepo

ROOT = Path(__file__).resolve().parent.parent


def run(cmd: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the process and its waited-for children) of one run."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1, 100):
        raise SystemExit(f"{' '.join(cmd)} failed with {code}:\n{proc.stderr.read().decode() if proc.stderr else ''}")
    return time.perf_counter() - start, usage.ru_utime + usage.ru_stime


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--before", metavar="SRC", help="also run this source tree in the same rounds")
    parser.add_argument("--buf", action="store_true", help="also time `buf breaking` in each round")
    parser.add_argument("--workdir", type=Path, help="make (or reuse) the repository here, and keep it")
    args = parser.parse_args()
    tmp = args.workdir.resolve() if args.workdir else Path(tempfile.mkdtemp(prefix="schemacheck-bench-pairs-"))
    tmp.mkdir(parents=True, exist_ok=True)
    repo = tmp / f"every-{args.files}"
    if not (repo / ".git").is_dir():
        repo.mkdir()
        paths = proto_monorepo.generate(repo, args.files)
        proto_monorepo.git(repo, "init", "-q", "-b", "main")
        proto_monorepo.git(repo, "add", "-A")
        proto_monorepo.git(repo, "commit", "-qm", "generated")
        proto_monorepo.git(repo, "checkout", "-q", "-B", "change")
        proto_monorepo.change_all(repo, paths)
        proto_monorepo.git(repo, "commit", "-qam", "every file")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.update(PYTHONPYCACHEPREFIX=str(tmp / "pycache"), NO_COLOR="1")
    cmd = [sys.executable, "-m", "schemacheck", "--base", "main", "--format", "json"]
    trees = {"this tree": str(ROOT / "src")}
    if args.before:
        trees["before"] = str(Path(args.before).resolve())
    configs: dict[str, Callable[[], tuple[list[str], dict[str, str]]]] = {}
    for name, src in trees.items():
        configs[f"{name}, no cache"] = lambda src=src: (cmd, {**env, "PYTHONPATH": src, "SCHEMACHECK_NO_CACHE": "1"})
        configs[f"{name}, cold"] = lambda src=src: (cmd, {**env, "PYTHONPATH": src, "SCHEMACHECK_CACHE_DIR":
                                                          tempfile.mkdtemp(dir=tmp, prefix="cold-")})
    if args.buf:
        buf = os.environ.get("SCHEMACHECK_BUF") or str(ROOT / ".tools/node_modules/.bin/buf")
        configs["buf breaking"] = lambda: ([buf, "breaking", "--against", ".git#branch=main"], env)
    for name, make in configs.items():  # bytecode, page cache
        if not name.startswith("buf"):
            command, run_env = make()
            run(command, repo, run_env)
    results: dict[str, list[tuple[float, float]]] = {name: [] for name in configs}
    loads = [os.getloadavg()[0]]
    for _ in range(args.runs):
        for name, make in configs.items():
            command, run_env = make()
            results[name].append(run(command, repo, run_env))
            print(f"{name}: {results[name][-1][0]:.2f} s wall, {results[name][-1][1]:.2f} s CPU", flush=True)
        loads.append(os.getloadavg()[0])
    print(f"\n{args.files} files, every one changed; median of {args.runs} rounds; load average "
          f"{' -> '.join(f'{x:.1f}' for x in loads)}, {os.cpu_count()} CPUs\n")
    print("| configuration | wall | CPU | runs (wall/CPU) |\n|---|---:|---:|---|")
    for name, got in results.items():
        print(f"| {name} | {statistics.median(t for t, _ in got):.2f} s | {statistics.median(c for _, c in got):.2f} s "
              f"| {' '.join(f'{t:.1f}/{c:.1f}' for t, c in got)} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
