#!/usr/bin/env python3
"""Benchmark: the native extension against the pure-Python compiler against ``buf breaking``.

Paired, in the same run: for each case the three commands run in turn, ``--runs`` times, and
each gets the median (with the peak RSS of its worst run). schemacheck runs cold: no parse
cache (``SCHEMACHECK_NO_CACHE=1``), bytecode cached as users run it.

  (a) 2,000 generated files (bench/proto_monorepo.py), every file changed;
  (b) a compute.proto look-alike (bench/big_proto.py, 4 MB), one field renamed;
  (c) the 2,000-file repository, one file changed (extension import cost included).

Then, in-process, the head revision of each case is compiled with the extension to count the
files it handed back to the pure-Python path, by stage (input errors, limits and constructs
the Rust parser does not handle; 0 on valid input). The load average is printed: the machine
this was written on is shared, so compare ratios within one run.
Not a test: ``python bench/native_paths.py [--files 2000] [--runs 3]``; needs the extension
(scripts/build-native.sh) and buf (scripts/install-test-tools.sh).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import big_proto  # noqa: E402
from proto_monorepo import ROOT, change_all, change_one, generate, git, run_once  # noqa: E402


def _fallbacks(repo: Path, paths: list[str], roots: list[str]) -> tuple[int, str]:
    """(files compiled, files the extension handed back, by stage) for the head of ``repo``."""
    from schemacheck.formats.protobuf import native
    from schemacheck.formats.protobuf.compiler import clear_cache, compile_with_python
    from schemacheck.snapshot import DirectorySnapshot

    os.environ.pop("SCHEMACHECK_NATIVE", None)
    os.environ["SCHEMACHECK_NO_CACHE"] = "1"
    native.reset()
    clear_cache()
    result = compile_with_python(DirectorySnapshot(repo), paths, roots)
    back = ", ".join(f"{n} {stage}" for stage, n in sorted(native.FALLBACKS.items())) or "0"
    return len(result.files), back


def _parse_stage(repo: Path) -> str:
    """Lexing + parsing every .proto of ``repo`` in-process: Python, native, and the Rust part
    of native alone (no Python objects made), to see what the boundary costs."""
    import schemacheck_native

    from schemacheck.formats.protobuf.lexer import MAX_LINES, MAX_TOKENS, tokenize_python
    from schemacheck.formats.protobuf.parser import from_native, parse

    files = [(p.as_posix(), p.read_bytes()) for p in sorted(repo.rglob("*.proto"))]
    t0 = time.perf_counter()
    for path, data in files:
        parse(tokenize_python(data, path), path, path)
    t1 = time.perf_counter()
    for path, data in files:
        from_native(path, schemacheck_native.parse(data, path, MAX_TOKENS, MAX_LINES))
    t2 = time.perf_counter()
    rust, _ = schemacheck_native.parse_cost([data for _, data in files])
    return (f"lex+parse of {len(files)} files in-process: Python {t1 - t0:.2f} s, native {t2 - t1:.2f} s "
            f"(Rust alone {rust:.2f} s)")


def _paired(repo: Path, runs: int, env: dict[str, str], buf: str) -> dict[str, tuple[float, int]]:
    cmds = {
        "native": ([sys.executable, "-m", "schemacheck", "--base", "main"], {**env}),
        "python": ([sys.executable, "-m", "schemacheck", "--base", "main"], {**env, "SCHEMACHECK_NATIVE": "0"}),
        "buf": ([buf, "breaking", "--against", ".git#branch=main"], env),
    }
    for cmd, e in cmds.values():  # warm-up: bytecode written, page cache filled
        run_once(cmd, repo, e)
    samples: dict[str, list[tuple[float, int]]] = {k: [] for k in cmds}
    for _ in range(runs):
        for key, (cmd, e) in cmds.items():
            samples[key].append(run_once(cmd, repo, e))
    return {k: (statistics.median(t for t, _ in v), max(m for _, m in v)) for k, v in samples.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    import importlib.util

    if importlib.util.find_spec("schemacheck_native") is None:
        raise SystemExit("the native extension is not installed: run scripts/build-native.sh first")
    buf = os.environ.get("SCHEMACHECK_BUF") or str(ROOT / ".tools/node_modules/.bin/buf")
    if not Path(buf).exists():
        buf = shutil.which("buf") or raise_missing()
    tmp = Path(tempfile.mkdtemp(prefix="schemacheck-native-bench-"))
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "SCHEMACHECK_NATIVE")}
    env["PYTHONPYCACHEPREFIX"] = str(tmp / "pycache")
    env["SCHEMACHECK_NO_CACHE"] = "1"
    rows = []
    stage = ""
    try:
        repo = tmp / "mono"
        repo.mkdir()
        paths = generate(repo, args.files)
        git(repo, "init", "-q", "-b", "main")
        git(repo, "add", "-A")
        git(repo, "commit", "-qm", "generated monorepo")
        for case, mutate in ((f"a: {args.files} files, every file changed", lambda: change_all(repo, paths)),
                             (f"c: {args.files} files, one file changed",
                              lambda: change_one(repo, paths[len(paths) // 3]))):
            git(repo, "checkout", "-q", "main")
            git(repo, "checkout", "-q", "-B", "change")
            mutate()
            git(repo, "commit", "-qam", case)
            t0 = time.perf_counter()
            rows.append((case, _paired(repo, args.runs, env, buf), _fallbacks(repo, paths, ["proto"])))
            stage = stage or _parse_stage(repo)
            print(f"measured {case} in {time.perf_counter() - t0:.0f} s", flush=True)
        big = tmp / "big"
        big.mkdir()
        big_proto.write_repo(big)
        case = "b: compute.proto look-alike (4 MB), one field changed"
        rows.append((case, _paired(big, args.runs, env, buf), _fallbacks(big, [big_proto.TARGET_PATH], [""])))
        print(f"measured {case}", flush=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print()
    print(stage)
    print(f"load average at the end: {' '.join(f'{x:.1f}' for x in os.getloadavg())} (2 cores)")
    print(f"| case (cold, median of {args.runs}) | native | pure Python | buf | buf / native | python / native "
          "| MiB native / python / buf | handed back |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for case, r, (files, back) in sorted(rows):
        n, p, b = r["native"], r["python"], r["buf"]
        print(f"| {case} | {n[0]:.2f} s | {p[0]:.2f} s | {b[0]:.2f} s | {b[0] / n[0]:.2f}x | {p[0] / n[0]:.2f}x "
              f"| {n[1]} / {p[1]} / {b[1]} | {back} of {files} |")
    return 0


def raise_missing() -> str:
    raise SystemExit("buf not found: run scripts/install-test-tools.sh first")


if __name__ == "__main__":
    raise SystemExit(main())
