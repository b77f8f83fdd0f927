#!/usr/bin/env python3
"""Benchmark: schemacheck against ``buf breaking`` on a generated protobuf monorepo, same run.

Generates a deterministic repository (``--files`` .proto files in many packages, import chains
across packages, well-known types), commits it on ``main``, then times, each as the median of
``--runs`` runs with peak memory:

  (a) one changed file (the pre-commit / small PR case): ``schemacheck --base main`` vs
      ``buf breaking --against .git#branch=main``;
  (b) every file changed: the same two commands.

schemacheck runs as users run it (bytecode cached): cold runs (each with an empty parse cache of
its own) interleaved with runs under ``SCHEMACHECK_NO_CACHE=1``, then warm runs (the cache a cold
run filled); every figure is a median of ``--runs``.
Prints a table and the ratios (buf time / schemacheck time; > 1 means schemacheck is faster).
Not a test: run it by hand, ``python bench/proto_monorepo.py [--files 2000] [--runs 5]``.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCALARS = ["int32", "int64", "uint32", "string", "bool", "bytes", "double", "sint64", "fixed32"]
WKT = {
    "google/protobuf/timestamp.proto": ".google.protobuf.Timestamp",
    "google/protobuf/duration.proto": ".google.protobuf.Duration",
    "google/protobuf/wrappers.proto": ".google.protobuf.StringValue",
    "google/protobuf/any.proto": ".google.protobuf.Any",
}


def generate(root: Path, n_files: int, seed: int = 7, n_packages: int | None = None,
             config: bool = True) -> list[str]:
    """Write ``n_files`` files under ``root/proto`` in ``n_packages`` packages (default: 40 files
    each); returns their repo-relative paths. ``config``: also a schemacheck.toml naming the root
    (buf.yaml alone says the same)."""
    rng = random.Random(seed)
    n_packages = n_packages or max(1, n_files // 40)
    paths: list[str] = []
    types: list[tuple[str, str]] = []  # (path, full type name) of earlier files, importable
    for i in range(n_files):
        pkg_i = i % n_packages
        pkg = f"acme.svc{pkg_i:03d}.v1"
        rel = f"proto/acme/svc{pkg_i:03d}/v1/file{i:05d}.proto"
        imports: set[str] = set()
        refs: list[str] = []
        for _ in range(rng.randint(0, 3)):
            if types:
                path, full = types[rng.randrange(max(0, len(types) - 400), len(types))]
                imports.add(path)
                refs.append(full)
        wkt_path = rng.choice(list(WKT))
        imports.add(wkt_path)
        refs.append(WKT[wkt_path])
        lines = ['syntax = "proto3";', "", f"package {pkg};", ""]
        lines += [f'import "{p[len("proto/"):] if p.startswith("proto/") else p}";' for p in sorted(imports)]
        lines.append("")
        lines.append(f'option go_package = "example.com/acme/svc{pkg_i:03d}/v1;svcv1";')
        lines.append("")
        lines.append(f"// Status of things in file {i}.")
        lines.append(f"enum Status{i} {{")
        for v, name in enumerate(["UNSPECIFIED", "ACTIVE", "SUSPENDED", "CLOSED"]):
            lines.append(f"  STATUS{i}_{name} = {v};")
        lines.append("}")
        for m in range(rng.randint(3, 6)):
            name = f"Msg{i}x{m}"
            lines.append("")
            lines.append(f"// {name} carries data for the benchmark.")
            lines.append(f"message {name} {{")
            number = 1
            for f in range(rng.randint(4, 12)):
                kind = rng.random()
                if kind < 0.15 and refs:
                    typ = rng.choice(refs)
                elif kind < 0.2:
                    typ = f"Status{i}"
                else:
                    typ = rng.choice(SCALARS)
                label = "repeated " if rng.random() < 0.15 else ""
                lines.append(f"  {label}{typ} field_{f} = {number};")
                number += 1
            if rng.random() < 0.3:
                lines.append(f"  oneof choice {{ string text = {number}; int64 code = {number + 1}; }}")
            if rng.random() < 0.2:
                lines.append(f"  map<string, int64> counters = {number + 2};")
            lines.append("}")
            types.append((rel, f".{pkg}.{name}"))
        if i % 10 == 0:
            lines += ["", f"service Service{i} {{",
                      f"  rpc Get(Msg{i}x0) returns (Msg{i}x1);",
                      f"  rpc Watch(Msg{i}x0) returns (stream Msg{i}x2);", "}"]
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text("\n".join(lines) + "\n")
        paths.append(rel)
    (root / "buf.yaml").write_text("version: v2\nmodules:\n  - path: proto\n")
    if config:
        (root / "schemacheck.toml").write_text('[protobuf]\nroots = ["proto"]\n')
    return paths


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=bench", "-c", "user.email=bench@example.com", *args],
                   cwd=root, check=True, capture_output=True)


def change_one(root: Path, path: str) -> None:
    """Rename one field: a breaking change both tools see."""
    file = root / path
    text = file.read_text()
    file.write_text(text.replace(" field_0 = 1;", " field_zero = 1;", 1))


def change_all(root: Path, paths: list[str]) -> None:
    """Touch every file: add a comment and a new field to its first message; rename one field."""
    for path in paths:
        file = root / path
        text = re.sub(r"(message \w+ \{\n)", r"\1  // added in this change\n  string bench_note = 900;\n",
                      file.read_text(), count=1)
        file.write_text("// edited\n" + text)
    change_one(root, paths[len(paths) // 2])


def run_once(cmd: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, int]:
    """(seconds, peak RSS in MiB) of one run; exit 0, 1 (findings) and 100 (buf findings) are fine."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1, 100):
        err = proc.stderr.read().decode() if proc.stderr else ""
        raise SystemExit(f"{' '.join(cmd)} failed with {code}:\n{err}")
    return elapsed, usage.ru_maxrss // 1024


def measure(cmd: list[str], cwd: Path, runs: int, env: dict[str, str]) -> tuple[float, float, int]:
    """(median seconds, first-run seconds, peak RSS in MiB) of ``runs`` runs."""
    results = [run_once(cmd, cwd, env) for _ in range(runs)]
    times = [t for t, _ in results]
    return statistics.median(times), times[0], max(m for _, m in results)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--files", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", action="store_true", help="keep the generated repository")
    args = parser.parse_args()
    buf = os.environ.get("SCHEMACHECK_BUF") or str(ROOT / ".tools/node_modules/.bin/buf")
    if not Path(buf).exists() and not shutil.which("buf"):
        raise SystemExit("buf not found: run scripts/install-test-tools.sh first")
    schemacheck = [sys.executable, "-m", "schemacheck"]
    tmp = Path(tempfile.mkdtemp(prefix="schemacheck-bench-"))
    # As users run it: bytecode cached (this container sets PYTHONDONTWRITEBYTECODE), and a parse
    # cache of its own per case so that the first run is really cold.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(tmp / "pycache")
    rows = []
    try:
        repo = tmp / "repo"
        repo.mkdir()
        t0 = time.perf_counter()
        paths = generate(repo, args.files)
        git(repo, "init", "-q", "-b", "main")
        git(repo, "add", "-A")
        git(repo, "commit", "-qm", "generated monorepo")
        print(f"generated {len(paths)} files in {time.perf_counter() - t0:.1f}s at {repo}", flush=True)
        for case, mutate in (("a: 1 file changed", lambda: change_one(repo, paths[len(paths) // 3])),
                             ("b: every file changed", lambda: change_all(repo, paths))):
            git(repo, "checkout", "-q", "main")
            git(repo, "checkout", "-q", "-B", "change")
            mutate()
            git(repo, "commit", "-qam", case)
            cmd = [*schemacheck, "--base", "main", "--format", "json"]
            # One uncounted run without the parse cache writes the bytecode of every module used,
            # so that "cold" below means a cold parse cache, not a first start of Python.
            run_once(cmd, repo, {**env, "SCHEMACHECK_NO_CACHE": "1"})
            # Cold (an empty cache of its own each time) and no cache interleaved, so that a busy
            # machine slows both alike: "a cold cache is never slower than no cache" is a pair.
            cold_runs, none_runs = [], []
            for i in range(args.runs):
                cold_runs.append(run_once(cmd, repo, {**env, "SCHEMACHECK_CACHE_DIR": str(tmp / f"cache-{len(rows)}-{i}")}))
                none_runs.append(run_once(cmd, repo, {**env, "SCHEMACHECK_NO_CACHE": "1"}))
            cached = {**env, "SCHEMACHECK_CACHE_DIR": str(tmp / f"cache-{len(rows)}-0")}  # filled by a cold run
            warm = measure(cmd, repo, args.runs, cached)
            theirs = measure([buf, "breaking", "--against", ".git#branch=main"], repo, args.runs, env)
            cold = statistics.median(t for t, _ in cold_runs)
            no_cache = statistics.median(t for t, _ in none_runs)
            peak = max(m for _, m in (*cold_runs, *none_runs))
            rows.append((case, cold, warm[0], no_cache, theirs[0], max(peak, warm[2]), theirs[2]))
            print(f"measured {case}", flush=True)
    finally:
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)
    print()
    print(f"| case ({args.files} files; median of {args.runs}) | schemacheck cold | warm cache | no cache "
          f"| buf | buf / schemacheck (cold, warm, no cache) | MiB schemacheck / buf |")
    print("|---|---:|---:|---:|---:|---|---:|")
    for case, cold, warm, none, buf_s, ours_mib, buf_mib in rows:
        print(f"| {case} | {cold:.2f} s | {warm:.2f} s | {none:.2f} s | {buf_s:.2f} s "
              f"| {buf_s / cold:.1f}x, {buf_s / warm:.1f}x, {buf_s / none:.1f}x | {ours_mib} / {buf_mib} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
