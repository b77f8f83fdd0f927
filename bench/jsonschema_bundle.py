#!/usr/bin/env python3
"""Benchmark: ``schemacheck check --base main`` on a ~5 MB JSON Schema bundle with one change.

Generates a deterministic bundle (``--defs`` entries under ``$defs``, each an object with
scalar, enum, array and ``$ref`` properties pointing at other definitions), commits it on
``main`` in a temporary git repository, makes one breaking change in the work tree (a new
required property deep inside one definition), then times the real CLI, median of ``--runs``
runs, and reports the phases measured in-process (load, metaschema validation, compare).

Not a test: run it by hand, ``python bench/jsonschema_bundle.py [--defs 6000] [--runs 5]``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GIT_ENV = {"GIT_AUTHOR_NAME": "bench", "GIT_AUTHOR_EMAIL": "bench@example.com", "GIT_COMMITTER_NAME": "bench",
           "GIT_COMMITTER_EMAIL": "bench@example.com", "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull}


def bundle(n_defs: int, seed: int = 11) -> dict:
    """A deterministic JSON Schema 2020-12 bundle with ``n_defs`` definitions."""
    rng = random.Random(seed)
    defs: dict[str, dict] = {}
    for i in range(n_defs):
        props: dict[str, dict] = {}
        for p in range(rng.randint(5, 12)):
            kind = rng.random()
            name = f"field_{p}"
            if kind < 0.2 and i > 0:
                props[name] = {"$ref": f"#/$defs/Def{rng.randrange(i)}"}
            elif kind < 0.35:
                props[name] = {"type": "string", "maxLength": rng.choice([16, 64, 255]),
                               "description": f"Field {p} of definition {i}."}
            elif kind < 0.5:
                props[name] = {"type": "integer", "minimum": 0, "maximum": rng.randint(10, 10_000)}
            elif kind < 0.6:
                props[name] = {"type": "number", "multipleOf": 0.01}
            elif kind < 0.7:
                props[name] = {"enum": [f"V{v}" for v in range(rng.randint(2, 6))]}
            elif kind < 0.85 and i > 0:
                props[name] = {"type": "array", "items": {"$ref": f"#/$defs/Def{rng.randrange(i)}"}, "maxItems": 100}
            else:
                props[name] = {"type": ["string", "null"], "format": "date-time"}
        required = sorted(rng.sample(sorted(props), k=min(2, len(props))))
        defs[f"Def{i}"] = {"type": "object", "title": f"Definition {i}", "properties": props, "required": required,
                           "additionalProperties": rng.random() < 0.5}
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": "https://example.com/bundle.json",
            "type": "object", "properties": {"root": {"$ref": f"#/$defs/Def{n_defs - 1}"}}, "$defs": defs}


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=root, env={**os.environ, **GIT_ENV}, check=True, capture_output=True)


def time_cli(repo: Path, runs: int) -> tuple[float, float, float, int, str]:
    """Median wall time, median CPU time (user + system) and peak RSS (MB) of the real CLI."""
    import resource

    times, cpu = [], []
    proc = None
    env = {**os.environ, "NO_COLOR": "1"}
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        proc = subprocess.run([sys.executable, "-m", "schemacheck", "check", "--base", "main"], cwd=repo,
                              capture_output=True, text=True, env=env)
        times.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    assert proc is not None
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return statistics.median(times), statistics.median(cpu), peak_mb, proc.returncode, \
        (proc.stdout + proc.stderr).strip()


def time_phases(repo: Path, path: str, base_text: str, target: str) -> dict[str, float]:
    from schemacheck.compat.jsonschema.checker import snapshot_loader
    from schemacheck.compat.jsonschema.compare import PairComparer
    from schemacheck.formats.jsonschema.loader import load_document
    from schemacheck.formats.jsonschema.metaschema import check_metaschema
    from schemacheck.formats.jsonschema.refs import RefResolver
    from schemacheck.snapshot import DirectorySnapshot

    raw = (repo / path).read_bytes()
    out: dict[str, float] = {}
    start = time.perf_counter()
    doc = load_document(path, raw)
    out["load head (parse + limits)"] = time.perf_counter() - start
    base = load_document(path, base_text.encode())
    start = time.perf_counter()
    doc.location(f"/$defs/{target}/properties")
    out["first location lookup"] = time.perf_counter() - start
    start = time.perf_counter()
    check_metaschema(doc, base)
    out["metaschema validation of the change"] = time.perf_counter() - start
    start = time.perf_counter()
    refs = RefResolver(snapshot_loader(DirectorySnapshot(repo)))
    PairComparer(refs, refs, frozenset()).compare(base, doc, "backward", "strict")
    out["compare (shape build + engine)"] = time.perf_counter() - start
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--defs", type=int, default=4200, help="number of $defs (4200 is about 5 MB)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", action="store_true", help="keep the temporary repository")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    tmp = Path(tempfile.mkdtemp(prefix="schemacheck-bench-js-"))
    repo = tmp / "repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    schema = bundle(args.defs)
    path = "schemas/bundle.schema.json"
    (repo / "schemas").mkdir()
    (repo / path).write_text(json.dumps(schema, indent=2) + "\n")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "bundle")
    size = (repo / path).stat().st_size
    base_text = (repo / path).read_text()
    changed = json.loads(base_text)
    name = f"Def{args.defs - 1}"  # the definition the root refers to
    target = changed["$defs"][name]
    target["properties"]["added_field"] = {"type": "string"}
    target["required"] = sorted(set(target["required"]) | {"added_field"})
    (repo / path).write_text(json.dumps(changed, indent=2) + "\n")
    median, cpu, peak_mb, code, output = time_cli(repo, args.runs)
    phases = time_phases(repo, path, base_text, name)
    print(f"bundle: {size / 1e6:.2f} MB, {args.defs} $defs, one change (required property added to {name})")
    print(f"schemacheck check --base main: median {median:.2f} s wall, {cpu:.2f} s CPU over {args.runs} runs; "
          f"peak RSS {peak_mb:.0f} MB (exit {code})")
    for name, secs in phases.items():
        print(f"  {name}: {secs:.3f} s")
    print("output (first lines):")
    for line in output.splitlines()[:6]:
        print("  " + line)
    if args.keep:
        print(f"repository kept at {repo}")
    else:
        import shutil

        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
