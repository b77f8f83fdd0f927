#!/usr/bin/env python3
"""Benchmark: does a check cost what the change costs, not what the repository costs? (issue 11)

Each case builds a deterministic git repository in a temporary directory, makes one commit on a
branch ``change`` and times the real CLI (``python -m schemacheck --base main``, bytecode cached
as installed tools run it), median of ``--runs`` runs after one uncounted run, with peak RSS.
Configurations of one case are interleaved (run 1 of each, run 2 of each, ...), so a busy
machine slows them alike; ``buf breaking`` is measured in the same loop where it applies.

  proto-one     googleapis-sized tree (``--files`` .proto in ``--packages`` packages, buf.yaml,
                no schemacheck.toml), one file changed: schemacheck warm / cold parse cache,
                ``buf breaking --path FILE`` (buf scoped by hand to the changed file).
  no-schema     the same tree, a commit touching only README.md.
  growth        one file changed in trees of ``--small`` and ``--files`` .proto files (warm): between
                commits (PR CI), staged (the pre-commit hook: ``--pre-commit`` in a worktree of
                ``main`` with the change staged) and against the work tree (``--base main``).
  jsonschema    ``--schemas`` distinct JSON Schema files (50 shared ones, each other file ``$ref``s
                two of them), one non-shared file changed: warm (the blob index in the cache
                filled by an earlier run on another change) and cold; and ``--base origin/main
                --head origin/change --fetch-missing`` in a blobless partial clone that checked
                nothing out (``clone --filter=blob:none --no-checkout`` of a local bare
                repository, made afresh for every run), with the index warm (a cache restored
                from an earlier CI run) and cold, counting the blobs fetched and the ``git
                fetch`` processes, next to the same command in a full clone (warm and cold
                index); ``--workdir`` reuses the repositories.

The every-file-changed case (2,000 .proto) is ``bench/proto_monorepo.py``; Python DTOs are
``bench/python_dtos.py``. Not a test: ``python bench/change_cost.py [--runs 7] [--cases ...]``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import proto_monorepo  # noqa: E402 - the generator of the protobuf monorepo
from proto_monorepo import run_once  # noqa: E402 - one timing of one run, shared

ROOT = Path(__file__).resolve().parent.parent
GIT_ENV = {"GIT_AUTHOR_NAME": "bench", "GIT_AUTHOR_EMAIL": "bench@example.com", "GIT_COMMITTER_NAME": "bench",
           "GIT_COMMITTER_EMAIL": "bench@example.com", "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull}


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, text=True,
                          env={**os.environ, **GIT_ENV}).stdout


def _missing(repo: Path) -> int:
    """Objects reachable from any ref that the (partial) clone lacks."""
    out = git(repo, "rev-list", "--objects", "--all", "--missing=print")
    return sum(1 for line in out.splitlines() if line.startswith("?"))


def paired(configs: dict[str, tuple[list[str], Path, Callable[[], dict[str, str]]]], runs: int) -> dict[str, tuple[float, int]]:
    """Median seconds and peak MiB per configuration, runs interleaved; ``env()`` is called per run
    (a cold configuration hands out a fresh cache directory each time)."""
    results: dict[str, list[tuple[float, int]]] = {name: [] for name in configs}
    for i in range(runs + 1):
        for name, (cmd, cwd, env) in configs.items():
            run_env = env()
            measured = run_once(cmd, cwd, run_env)
            cache = Path(run_env.get("SCHEMACHECK_CACHE_DIR", ""))
            if cache.name.startswith("cold-"):  # a cold run's cache is used once (--workdir keeps the rest)
                shutil.rmtree(cache, ignore_errors=True)
            if i:  # run 0 writes bytecode and warms the caches
                results[name].append(measured)
    return {name: (statistics.median(t for t, _ in rows), max(m for _, m in rows)) for name, rows in results.items()}


class Bench:
    def __init__(self, tmp: Path, runs: int, before: str | None = None) -> None:
        self.tmp, self.runs, self.before = tmp, runs, before
        base = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        self.env = {**base, "PYTHONPYCACHEPREFIX": str(tmp / "pycache"), "NO_COLOR": "1",
                    "PYTHONPATH": str(ROOT / "src")}
        self.ours = [sys.executable, "-m", "schemacheck", "--base", "main"]
        self.buf = os.environ.get("SCHEMACHECK_BUF") or str(ROOT / ".tools/node_modules/.bin/buf")
        self.rows: list[tuple[str, str, str, str]] = []
        self.cold_runs = 0

    def warm(self, name: str) -> Callable[[], dict[str, str]]:
        env = {**self.env, "SCHEMACHECK_CACHE_DIR": str(self.tmp / f"cache-{name}")}
        return lambda: env

    def cold(self) -> Callable[[], dict[str, str]]:
        def fresh() -> dict[str, str]:
            self.cold_runs += 1
            return {**self.env, "SCHEMACHECK_CACHE_DIR": tempfile.mkdtemp(dir=self.tmp, prefix="cold-")}
        return fresh

    def row(self, case: str, figure: str, target: str, note: str = "") -> None:
        self.rows.append((case, figure, target, note))
        print(f"{case}: {figure} (target {target}) {note}", flush=True)

    def proto_repo(self, name: str, files: int, packages: int) -> tuple[Path, str]:
        repo = self.tmp / name
        i = files // 3
        changed = f"proto/acme/svc{i % packages:03d}/v1/file{i:05d}.proto"
        if (repo / ".git").is_dir():  # --workdir: made by an earlier run with the same sizes
            git(repo, "checkout", "-q", "change")
            return repo, changed
        repo.mkdir()
        paths = proto_monorepo.generate(repo, files, n_packages=packages, config=False)
        git(repo, "init", "-q", "-b", "main")
        git(repo, "add", "-A")
        git(repo, "commit", "-qm", "generated")
        git(repo, "checkout", "-q", "-b", "change")
        assert changed == paths[len(paths) // 3]
        proto_monorepo.change_one(repo, changed)
        git(repo, "commit", "-qam", "one file")
        return repo, changed

    def proto_one(self, files: int, packages: int) -> None:
        repo, changed = self.proto_repo("proto-one", files, packages)
        configs = {"warm": (self.ours, repo, self.warm("one")), "cold": (self.ours, repo, self.cold()),
                   "floor": ([sys.executable, "-c", "pass"], repo, lambda: self.env)}
        if self.before:
            configs["before"] = (self.ours, repo, self._before(self.warm("one-before")))
        if Path(self.buf).exists():
            configs["buf --path"] = ([self.buf, "breaking", "--against", ".git#branch=main", "--path", changed],
                                     repo, lambda: self.env)
        got = paired(configs, self.runs)
        ratio = f", buf --path {got['buf --path'][0]:.2f} s ({got['buf --path'][0] / got['warm'][0]:.1f}x)" \
            if "buf --path" in got else ""
        self.row(f"{files:,} .proto, {packages} packages, 1 file changed, warm",
                 f"{got['warm'][0]:.3f} s, {got['warm'][1]} MiB", "<= 0.25 s, <= 80 MB",
                 (ratio + self._was(got, "before")).lstrip(", ;"))
        self.row("interpreter start (`python -c pass`, same loop)", f"{got['floor'][0]:.3f} s", "-",
                 "the floor every figure here includes")
        self.row(f"{files:,} .proto, 1 file changed, cold cache", f"{got['cold'][0]:.3f} s, {got['cold'][1]} MiB",
                 "<= 0.4 s")
        if "readme" in git(repo, "branch", "--list", "readme"):
            git(repo, "checkout", "-q", "readme")
        else:
            git(repo, "checkout", "-q", "-b", "readme", "main")
            (repo / "README.md").write_text("docs only\n")
            git(repo, "add", "-A")
            git(repo, "commit", "-qm", "readme")
        (repo / "README.md").write_text("docs only, staged\n")
        git(repo, "add", "README.md")  # what a pre-commit hook sees: the index against HEAD
        configs = {"no schema": (self.ours, repo, self.warm("one")),
                   "staged": ([*self.ours[:-2], "--staged"], repo, self.warm("one")),
                   "floor": ([sys.executable, "-c", "pass"], repo, lambda: self.env)}
        if self.before:
            configs["before no schema"] = (self.ours, repo, self._before(self.warm("one-before")))
            configs["before staged"] = ([*self.ours[:-2], "--staged"], repo, self._before(self.warm("one-before")))
        got = paired(configs, self.runs)
        git(repo, "reset", "-q", "--hard")
        git(repo, "checkout", "-q", "change")
        self.row(f"{files:,} .proto, a commit touching no schema file (work tree, --base main)",
                 f"{got['no schema'][0]:.3f} s", "<= 0.12 s",
                 f"`python -c pass` {got['floor'][0]:.3f} s in the same loop; lists untracked files"
                 + self._was(got, "before no schema"))
        self.row(f"{files:,} .proto, a staged change touching no schema file (--staged, pre-commit)",
                 f"{got['staged'][0]:.3f} s", "<= 0.12 s", self._was(got, "before staged").lstrip("; "))

    def growth(self, small: int, large: int) -> None:
        """Growth with the tree's size, in both ways a check runs: against the work tree (the
        pre-commit hook, ``--base main``), where git itself stats every tracked file and walks
        every directory for untracked ones, and between commits (PR CI, ``--head HEAD``), where
        nothing scales with the tree. ``git status`` in the same loop is the work tree's floor."""
        made = {n: self.proto_repo(f"growth-{n}", n, max(1, n // 12)) for n in (small, large)}
        repos = {n: repo for n, (repo, _) in made.items()}
        configs = {}
        for n, repo in repos.items():
            configs[str(n)] = (self.ours, repo, self.warm(f"growth-{n}"))
            configs[f"commits {n}"] = ([*self.ours, "--head", "HEAD"], repo, self.warm(f"growth-{n}"))
            configs[f"staged {n}"] = ([sys.executable, "-m", "schemacheck", "--pre-commit"],
                                      self._staged_worktree(repo, made[n][1]), self.warm(f"growth-{n}"))
            configs[f"git status {n}"] = (["git", "--no-optional-locks", "status", "--porcelain"], repo, lambda: self.env)
        configs["floor"] = ([sys.executable, "-c", "pass"], repos[small], lambda: self.env)
        if self.before:
            for n, repo in repos.items():
                configs[f"before {n}"] = (self.ours, repo, self._before(self.warm(f"growth-{n}-before")))
        got = paired(configs, self.runs)
        grow = got[str(large)][0] - got[str(small)][0]
        status = got[f"git status {large}"][0] - got[f"git status {small}"][0]
        commits = got[f"commits {large}"][0] - got[f"commits {small}"][0]
        staged = got[f"staged {large}"][0] - got[f"staged {small}"][0]
        was = ""
        if self.before:
            old = got[f"before {large}"][0] - got[f"before {small}"][0]
            was = (f"; --before tree {got[f'before {small}'][0]:.3f} s -> {got[f'before {large}'][0]:.3f} s "
                   f"(+{old * 1000:.0f} ms)")
        self.row(f"growth {small:,} -> {large:,} .proto, 1 file changed, warm, between commits (--head HEAD, PR CI)",
                 f"{got[f'commits {small}'][0]:.3f} s -> {got[f'commits {large}'][0]:.3f} s "
                 f"({commits * 1000:+.0f} ms)", "<= +30 ms", f"`python -c pass` {got['floor'][0]:.3f} s in the same loop")
        self.row(f"growth {small:,} -> {large:,} .proto, 1 file changed, warm, staged (--pre-commit, the hook)",
                 f"{got[f'staged {small}'][0]:.3f} s -> {got[f'staged {large}'][0]:.3f} s "
                 f"({staged * 1000:+.0f} ms)", "<= +30 ms")
        self.row(f"growth {small:,} -> {large:,} .proto, 1 file changed, warm, work tree (--base main, by hand)",
                 f"{got[str(small)][0]:.3f} s -> {got[str(large)][0]:.3f} s ({grow * 1000:+.0f} ms)", "<= +30 ms",
                 f"`git status --porcelain` alone in the same loop: {got[f'git status {small}'][0]:.3f} s -> "
                 f"{got[f'git status {large}'][0]:.3f} s ({status * 1000:+.0f} ms){was}")

    @staticmethod
    def _staged_worktree(repo: Path, changed: str) -> Path:
        """A worktree of ``repo`` at ``main`` whose index holds the change (the pre-commit hook's
        view: index against HEAD); made once, reused with --workdir."""
        tree = repo.parent / f"{repo.name}-staged"
        if not (tree / ".git").exists():
            git(repo, "worktree", "add", "-q", str(tree), "main")
            (tree / changed).write_bytes(subprocess.run(["git", "show", f"change:{changed}"], cwd=repo, check=True,
                                                        capture_output=True).stdout)
            git(tree, "add", changed)
        return tree

    def jsonschema(self, n: int) -> None:
        bare, full = self.tmp / "js-bare.git", self.tmp / "js-full"
        if not (full / ".git").is_dir():  # --workdir: made by an earlier run
            self._jsonschema_repos(n, bare, full)
        warm_env = self.warm("js-full")
        cmd = [*self.ours[:-2], "--base", "origin/main", "--head", "origin/change"]
        run_once([*cmd[:-1], "origin/earlier"], full, warm_env())  # an earlier run fills the index
        if self.before:  # the older tree's index (another version directory in the same cache)
            run_once([*cmd[:-1], "origin/earlier"], full, self._before(warm_env)())
        configs = {"warm": (cmd, full, warm_env), "cold": (cmd, full, self.cold()),
                   "floor": ([sys.executable, "-c", "pass"], full, lambda: self.env)}
        if self.before:
            configs["before"] = (cmd, full, self._before(warm_env))
        got = paired(configs, self.runs)
        before = f"; --before tree {got['before'][0]:.3f} s, {got['before'][1]} MiB" if "before" in got else ""
        self.row(f"JSON Schema, {n:,} distinct files with $refs, 1 changed, warm", f"{got['warm'][0]:.3f} s, "
                 f"{got['warm'][1]} MiB", "<= 0.3 s",
                 f"`python -c pass` {got['floor'][0]:.3f} s in the same loop{before}")
        self.row(f"JSON Schema, {n:,} files, 1 changed, cold cache", f"{got['cold'][0]:.3f} s", "-")
        self.blobless(bare, cmd, full, warm_env)

    def _jsonschema_repos(self, n: int, bare: Path, full: Path) -> None:
        """Make the JSON Schema origin, its bare copy (the blobless clones' remote) and a full clone."""
        self._make_jsonschema(self.tmp / "js-origin", bare, full, n)

    def _make_jsonschema(self, origin: Path, bare: Path, full: Path, n: int) -> None:
        (origin / "schemas").mkdir(parents=True)
        for i in range(n):
            props = {"id": {"type": "string"}, "count": {"type": "integer", "minimum": 0},
                     "note": {"type": ["string", "null"]}}
            for j in {(i * 7) % 50, (i * 13) % 50} if i >= 50 else ():  # 50 shared schemas, referenced by the rest
                props[f"ref{j}"] = {"$ref": f"s{j:05d}.schema.json"}
            doc = {"$schema": "https://json-schema.org/draft/2020-12/schema", "title": f"Schema {i}",
                   "type": "object", "properties": props, "required": ["id"]}
            (origin / "schemas" / f"s{i:05d}.schema.json").write_text(json.dumps(doc, indent=1) + "\n")
        git(origin, "init", "-q", "-b", "main")
        git(origin, "add", "-A")
        git(origin, "commit", "-qm", "schemas")
        for branch, k in (("earlier", n // 3), ("change", n // 2)):  # "earlier": the change an earlier run saw
            git(origin, "checkout", "-q", "-b", branch, "main")
            target = origin / "schemas" / f"s{k:05d}.schema.json"
            target.write_text(target.read_text().replace('"minimum": 0', '"minimum": 1'))
            git(origin, "commit", "-qam", "one schema")
        subprocess.run(["git", "clone", "-q", "--bare", str(origin), str(bare)], check=True, capture_output=True)
        git(bare, "config", "uploadpack.allowFilter", "true")
        subprocess.run(["git", "clone", "-q", f"file://{bare}", str(full)], check=True, capture_output=True,
                       env={**os.environ, **GIT_ENV})
        git(full, "checkout", "-q", "-B", "change", "origin/change")
        git(full, "branch", "-q", "-f", "main", "origin/main")

    def _before(self, env: Callable[[], dict[str, str]]) -> Callable[[], dict[str, str]]:
        return lambda: {**env(), "PYTHONPATH": str(self.before)}

    @staticmethod
    def _was(got: dict[str, tuple[float, int]], name: str) -> str:
        """``; --before tree 0.316 s`` when the before tree ran in the same loop, else ''."""
        return f"; --before tree {got[name][0]:.3f} s, {got[name][1]} MiB" if name in got else ""

    def blobless(self, bare: Path, cmd: list[str], full: Path, warm_env: Callable[[], dict[str, str]]) -> None:
        """The same check in fresh blobless clones that checked nothing out (clone time not counted)."""
        rows: dict[str, list[tuple[float, int, int, int]]] = {"full clone": [], "full clone, cold index": [],
                                                              "blobless, warm index": [], "blobless, cold index": []}
        if self.before:
            rows["blobless, --before tree"] = []
        errors: dict[str, str] = {}
        for i in range(self.runs + 1):
            for k, name in enumerate(rows):
                cwd = full
                if name.startswith("full clone"):
                    env = self.cold()() if "cold" in name else warm_env()
                else:
                    cwd = self.tmp / f"js-blobless-{i}-{k}"
                    subprocess.run(["git", "clone", "-q", "--filter=blob:none", "--no-checkout", f"file://{bare}",
                                    str(cwd)], check=True, capture_output=True, env={**os.environ, **GIT_ENV})
                    env = self._before(warm_env)() if "before" in name else warm_env() if "warm" in name \
                        else self.cold()()
                missing = _missing(cwd)
                trace = self.tmp / f"trace-{i}"
                start = time.perf_counter()
                proc = subprocess.run([*cmd, "--fetch-missing"], cwd=cwd, capture_output=True, text=True,
                                      env={**env, "GIT_TRACE": str(trace)})
                elapsed = time.perf_counter() - start
                fetches = sum(1 for line in trace.read_text().splitlines()
                              if "git.c:" in line and " fetch " in line and "run_command" not in line)
                trace.unlink()
                if proc.returncode not in (0, 1):
                    errors[name] = (proc.stderr.strip().splitlines() or [""])[0][:100]
                if i:
                    rows[name].append((elapsed, proc.returncode, missing - _missing(cwd), fetches))
                if not name.startswith("full clone"):
                    shutil.rmtree(cwd)
                if Path(env.get("SCHEMACHECK_CACHE_DIR", "")).name.startswith("cold-"):
                    shutil.rmtree(env["SCHEMACHECK_CACHE_DIR"], ignore_errors=True)
        base = statistics.median(r[0] for r in rows["full clone"])
        base_cold = statistics.median(r[0] for r in rows["full clone, cold index"])
        for name, got in rows.items():
            median = statistics.median(r[0] for r in got)
            note = f"exit {got[-1][1]}, {got[-1][2]} blobs fetched in {got[-1][3]} `git fetch`"
            if name in errors:
                note += f"; {errors[name]}"
            ratio = f"{median / base:.1f}x full clone"
            if "cold" in name:
                ratio += f", {median / base_cold:.1f}x full clone with a cold index"
            self.row(f"JSON Schema, {len(list((full / 'schemas').iterdir())):,} files, `--fetch-missing`, {name}",
                     f"{median:.3f} s ({ratio})",
                     "only needed blobs, one batch, <= 2x full clone" if "blobless" in name else "-", note)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--files", type=int, default=7000)
    parser.add_argument("--packages", type=int, default=600)
    parser.add_argument("--small", type=int, default=1000)
    parser.add_argument("--large", type=int, default=20000)
    parser.add_argument("--schemas", type=int, default=5000)
    parser.add_argument("--cases", default="proto-one,growth,jsonschema")
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--before", metavar="SRC", help="also run schemacheck from this source tree (another "
                        "checkout's src/, e.g. made by `git archive main src | tar -x -C DIR`) in the same loop, "
                        "for before/after figures (every case)")
    parser.add_argument("--workdir", type=Path, help="make (or reuse) the repositories here, and keep them")
    args = parser.parse_args()
    if args.workdir:
        args.workdir.mkdir(parents=True, exist_ok=True)
        args.keep = True
    tmp = args.workdir.resolve() if args.workdir else Path(tempfile.mkdtemp(prefix="schemacheck-bench-cost-"))
    bench = Bench(tmp, args.runs, args.before)
    load = os.getloadavg()[0]
    try:
        cases = args.cases.split(",")
        if "proto-one" in cases:
            bench.proto_one(args.files, args.packages)
        if "growth" in cases:
            bench.growth(args.small, args.large)
        if "jsonschema" in cases:
            bench.jsonschema(args.schemas)
    finally:
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)
    print(f"\nmedian of {args.runs} interleaved runs; load average {load:.1f} at start, "
          f"{os.getloadavg()[0]:.1f} at the end, {os.cpu_count()} CPUs\n")
    print("| case | schemacheck | target | note |\n|---|---:|---|---|")
    for case, figure, target, note in bench.rows:
        print(f"| {case} | {figure} | {target} | {note} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
