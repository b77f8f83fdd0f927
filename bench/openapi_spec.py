#!/usr/bin/env python3
"""Benchmark: ``schemacheck --base main`` on a ~4 MB OpenAPI 3.0 spec with one change.

Generates a deterministic spec the size of a large public API (``--paths`` paths with two or
three operations each, ``--schemas`` component schemas whose properties reference each other
forwards *and backwards*, so components form ``$ref`` cycles as Stripe's do; query parameters,
request bodies, several responses with headers), commits it on ``main`` in a temporary git
repository, renames one property of one schema used by several operations in the work tree,
and times the real CLI in a fresh process per run: median wall time of ``--runs`` runs and the
peak resident memory of the child (``ru_maxrss``). Also times the unchanged case (a
description edit), which must stay cheap. When oasdiff (the reference, a Go binary) is
installed, the same runs time ``oasdiff breaking`` on the same two revisions and print the
ratio; on a loaded machine compare CPU seconds, not wall time.

Not a test: run it by hand, ``python bench/openapi_spec.py [--paths 400] [--schemas 300] [--runs 3]
[--openapi 3.1.0]`` (under 1 MB, ``--paths 90 --schemas 70``, the changed spec is validated in full).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GIT_ENV = {"GIT_AUTHOR_NAME": "bench", "GIT_AUTHOR_EMAIL": "bench@example.com", "GIT_COMMITTER_NAME": "bench",
           "GIT_COMMITTER_EMAIL": "bench@example.com", "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull}
TEXT = "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore. " * 2


def _schema(i: int, n: int, rng: random.Random) -> dict:
    props: dict[str, dict] = {"id": {"type": "string", "description": f"Identifier of object {i}."}}
    for p in range(rng.randint(10, 16)):
        kind = rng.random()
        name = f"field_{p}"
        if kind < 0.25:
            props[name] = {"$ref": f"#/components/schemas/S{rng.randrange(n)}"}  # forwards and backwards: cycles
        elif kind < 0.4:
            props[name] = {"type": "array", "items": {"$ref": f"#/components/schemas/S{rng.randrange(n)}"}}
        elif kind < 0.55:
            props[name] = {"type": "string", "maxLength": rng.choice([16, 64, 255]), "nullable": True,
                           "description": TEXT[: rng.randint(30, 100)]}
        elif kind < 0.7:
            props[name] = {"type": "integer", "minimum": 0, "maximum": rng.randint(10, 10_000)}
        elif kind < 0.85:
            props[name] = {"type": "string", "enum": [f"v{v}" for v in range(rng.randint(2, 6))]}
        else:
            props[name] = {"type": "string", "format": "date-time", "example": "2026-01-01T00:00:00Z"}
    return {"type": "object", "description": TEXT * 12, "required": ["id"], "properties": props}


def spec(n_paths: int, n_schemas: int, seed: int = 7) -> dict:
    """A deterministic OpenAPI 3.0 document."""
    rng = random.Random(seed)
    schemas = {f"S{i}": _schema(i, n_schemas, rng) for i in range(n_schemas)}
    paths: dict[str, dict] = {}
    for i in range(n_paths // 2):
        target = f"#/components/schemas/S{rng.randrange(n_schemas)}"
        ok = {"description": TEXT, "headers": {"X-Request-Id": {"schema": {"type": "string"}, "required": True}},
              "content": {"application/json": {"schema": {"$ref": target}}}}
        errors = {"400": {"description": "Bad request", "content": {"application/json": {"schema": {
            "$ref": "#/components/schemas/S0"}}}}, "default": {"description": TEXT}}
        paths[f"/v1/resource{i}"] = {
            "get": {"summary": f"List resource {i}", "description": TEXT * 12, "parameters": [
                {"name": "limit", "in": "query", "schema": {"type": "integer", "maximum": 100}},
                {"name": "cursor", "in": "query", "schema": {"type": "string"}}],
                "responses": {"200": {**ok, "content": {"application/json": {"schema": {
                    "type": "array", "items": {"$ref": target}}}}}, **errors}},
            "post": {"summary": f"Create resource {i}", "description": TEXT * 12,
                     "requestBody": {"required": True, "content": {"application/json": {"schema": {"$ref": target}}}},
                     "responses": {"201": ok, **errors}},
        }
        paths[f"/v1/resource{i}/{{id}}"] = {
            "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
            "get": {"summary": f"Get resource {i}", "description": TEXT * 12, "responses": {"200": ok, **errors}},
            "delete": {"summary": f"Delete resource {i}", "responses": {"204": {"description": "Deleted"}, **errors}},
        }
    return {"openapi": "3.0.3", "info": {"title": "Bench API", "version": "1.0.0", "description": TEXT * 10},
            "paths": paths, "components": {"schemas": schemas}}


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, env={**os.environ, **GIT_ENV}, check=True, capture_output=True)


class TimedOut(Exception):
    """A command ran past its time limit and was killed (CPU seconds and peak RSS so far)."""

    def __init__(self, wall: float, cpu: float, rss_mb: int) -> None:
        super().__init__(f"killed after {wall:.0f} s wall, {cpu:.1f} s CPU, peak RSS {rss_mb} MB")
        self.wall, self.cpu, self.rss_mb = wall, cpu, rss_mb


def run(cmd: list[str], repo: Path, env: dict[str, str] | None = None, limit: float | None = None
        ) -> tuple[float, float, int, int]:
    """Wall seconds, CPU seconds (user + system), exit code and peak RSS (MB) of one command run
    in a fresh process, from that process's own resource usage (``wait4``). CPU time is what
    to compare on a loaded machine. Past ``limit`` wall seconds the command is killed: TimedOut."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=repo, env=env, stdout=out, stderr=err)
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            wall = time.perf_counter() - started
            if pid:
                break
            if limit is not None and wall > limit:
                proc.kill()
                _, status, usage = os.wait4(proc.pid, 0)
                proc.returncode = -9
                raise TimedOut(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss // 1024)
            time.sleep(0.02)
        proc.returncode = code = os.waitstatus_to_exitcode(status)
        if code not in (0, 1):
            out.seek(0)
            err.seek(0)
            raise SystemExit(f"{cmd[0]} failed ({code}): {out.read()[-2000:]!r}{err.read()[-2000:]!r}")
    return wall, usage.ru_utime + usage.ru_stime, code, usage.ru_maxrss // 1024


def run_cli(repo: Path) -> tuple[float, float, int, int]:
    """One ``schemacheck --base main`` run in ``repo``, bytecode cached as installed tools have it
    (without ``PYTHONDONTWRITEBYTECODE``, which a container may set, every run would compile the
    package from source; the first run of a revision writes the cache, uncounted)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.update({"PYTHONPATH": str(ROOT / "src"), "PYTHONPYCACHEPREFIX": str(repo / ".git" / "bench-pycache")})
    return run([sys.executable, "-m", "schemacheck", "--base", "main", "--format", "json"], repo, env)


def find_oasdiff() -> str | None:
    """The reference tool: ``$SCHEMACHECK_OASDIFF``, else ``oasdiff`` on ``PATH`` or in ``~/go/bin``
    (``go install github.com/oasdiff/oasdiff@v1.39.0``)."""
    found = os.environ.get("SCHEMACHECK_OASDIFF") or shutil.which("oasdiff")
    for candidate in (ROOT / ".tools" / "bin" / "oasdiff", Path.home() / "go" / "bin" / "oasdiff"):
        if not found and candidate.is_file():  # scripts/install-test-tools.sh, or `go install`
            found = str(candidate)
    return found


def run_oasdiff(binary: str, repo: Path, limit: float) -> tuple[float, float, int, int]:
    """One ``oasdiff breaking main:openapi.json openapi.json`` run: the same two revisions, base read
    from git as schemacheck reads it."""
    return run([binary, "breaking", "main:openapi.json", "openapi.json", "--format", "json", "--fail-on", "ERR"],
               repo, limit=limit)


def _summary(results: list[tuple[float, float, int, int]]) -> tuple[float, float, str]:
    walls, cpus = [r[0] for r in results], [r[1] for r in results]
    text = (f"median {statistics.median(walls):.2f} s wall (min {min(walls):.2f}), {statistics.median(cpus):.2f} s CPU, "
            f"exit {results[0][2]}, peak RSS {max(r[3] for r in results)} MB")
    return statistics.median(walls), statistics.median(cpus), text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--paths", type=int, default=400, help="path templates (two per resource)")
    parser.add_argument("--schemas", type=int, default=300)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--reference-limit", type=float, default=300.0,
                        help="wall seconds after which an oasdiff run is killed (it can take very long on cycles)")
    parser.add_argument("--openapi", default="3.0.3",
                        help="the spec's `openapi` version (3.1.0: validated against the 3.1 schema, $dynamicRef)")
    args = parser.parse_args()
    data = spec(args.paths, args.schemas)
    data["openapi"] = args.openapi
    text = json.dumps(data, indent=2) + "\n"
    with tempfile.TemporaryDirectory() as tmp:
        repo = Path(tmp)
        git(repo, "init", "-q", "-b", "main")
        (repo / "openapi.json").write_text(text)
        git(repo, "add", "-A")
        git(repo, "commit", "-qm", "base")
        cases = {
            "description edit (exit 0)": text.replace("Identifier of object 17.", "The identifier of object 17."),
            "one property renamed (exit 1)": text.replace('"S17": {', '"S17": {"x-bench": 1, ', 1).replace(
                '"x-bench": 1, ', "", 1),
        }
        renamed = json.loads(text)
        props = renamed["components"]["schemas"]["S17"]["properties"]
        renamed["components"]["schemas"]["S17"]["properties"] = {("renamed_id" if k == "id" else k): v
                                                                 for k, v in props.items()}
        renamed["components"]["schemas"]["S17"]["required"] = ["renamed_id"]
        cases["one property renamed (exit 1)"] = json.dumps(renamed, indent=2) + "\n"
        print(f"spec: OpenAPI {args.openapi}, {len(text) / 1e6:.1f} MB, {len(data['paths'])} paths, "
              f"{sum(len(p) for p in data['paths'].values())} path-item entries, {args.schemas} schemas "
              f"(component $ref cycles); S17 is reached through the mesh")
        oasdiff = find_oasdiff()
        if oasdiff is None:
            print("reference: oasdiff not installed (go install github.com/oasdiff/oasdiff@v1.39.0); no ratio")
        else:
            version = subprocess.run([oasdiff, "--version"], capture_output=True, text=True).stdout.strip()
            print(f"reference: {version}, `oasdiff breaking main:openapi.json openapi.json`, same runs")
        for name, after in cases.items():
            (repo / "openapi.json").write_text(after)
            run_cli(repo)  # writes the bytecode cache; not counted
            wall, cpu, text = _summary([run_cli(repo) for _ in range(args.runs)])
            print(f"{name}: schemacheck {text}")
            if oasdiff is not None:
                try:
                    ref_wall, ref_cpu, ref_text = _summary([run_oasdiff(oasdiff, repo, args.reference_limit)
                                                            for _ in range(args.runs)])
                except TimedOut as exc:
                    print(f"{name}: oasdiff     did not finish: {exc}")
                    print(f"{name}: ratio schemacheck/oasdiff < {wall / exc.wall:.3f}x wall, "
                          f"< {cpu / max(exc.cpu, 1e-9):.3f}x CPU (oasdiff killed)")
                    continue
                print(f"{name}: oasdiff     {ref_text}")
                print(f"{name}: ratio schemacheck/oasdiff {wall / ref_wall:.2f}x wall, {cpu / ref_cpu:.2f}x CPU")


if __name__ == "__main__":
    main()
