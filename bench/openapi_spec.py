#!/usr/bin/env python3
"""Benchmark: ``schemacheck --base main`` on a ~4 MB OpenAPI 3.0 spec with one change.

Generates a deterministic spec the size of a large public API (``--paths`` paths with two or
three operations each, ``--schemas`` component schemas whose properties reference each other
forwards *and backwards*, so components form ``$ref`` cycles as Stripe's do; query parameters,
request bodies, several responses with headers), commits it on ``main`` in a temporary git
repository, renames one property of one schema used by several operations in the work tree,
and times the real CLI in a fresh process per run: median wall time of ``--runs`` runs and the
peak resident memory of the child (``ru_maxrss``). Also times the unchanged case (a
description edit), which must stay cheap.

Not a test: run it by hand, ``python bench/openapi_spec.py [--paths 400] [--schemas 300] [--runs 3]``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
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


def run_cli(repo: Path) -> tuple[float, float, int, int]:
    """Wall seconds, CPU seconds (user + system), exit code and peak RSS (MB) of one CLI run in a
    fresh process (CPU time is what to compare on a loaded machine)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    before, cpu_before = usage.ru_maxrss, usage.ru_utime + usage.ru_stime
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    started = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "schemacheck", "--base", "main", "--format", "json"], cwd=repo,
                          env=env, capture_output=True, text=True)
    wall = time.perf_counter() - started
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    peak, cpu = usage.ru_maxrss, usage.ru_utime + usage.ru_stime - cpu_before
    if proc.returncode not in (0, 1):
        raise SystemExit(f"schemacheck failed ({proc.returncode}): {proc.stdout[-2000:]}{proc.stderr[-2000:]}")
    return wall, cpu, proc.returncode, max(peak, before) // 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--paths", type=int, default=400, help="path templates (two per resource)")
    parser.add_argument("--schemas", type=int, default=300)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    data = spec(args.paths, args.schemas)
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
        print(f"spec: {len(text) / 1e6:.1f} MB, {len(data['paths'])} paths, "
              f"{sum(len(p) for p in data['paths'].values())} path-item entries, {args.schemas} schemas "
              f"(component $ref cycles); S17 is reached through the mesh")
        for name, after in cases.items():
            (repo / "openapi.json").write_text(after)
            results = [run_cli(repo) for _ in range(args.runs)]
            walls = [r[0] for r in results]
            cpus = [r[1] for r in results]
            print(f"{name}: median {statistics.median(walls):.2f} s wall (min {min(walls):.2f}), "
                  f"{statistics.median(cpus):.2f} s CPU, exit {results[0][2]}, peak RSS {max(r[3] for r in results)} MB")


if __name__ == "__main__":
    main()
