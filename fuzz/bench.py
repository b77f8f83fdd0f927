"""``python -m fuzz.bench``: inputs per CPU-second of each target, classic path vs fast path.

Maintainers: campaigns on a shared machine report inputs per *wall* second, which mostly measures
the neighbours. This runs the same inputs (:func:`fuzz.fast.input_at`, generation included) in
this process through :func:`fuzz.targets.run_pair` on a cold compiler (what the classic mode does
per input) and through the fast mode's mix (:func:`fuzz.fastpath.fast_pair` on the warm state,
one input in :data:`~fuzz.fastpath.FULL_EVERY` the whole path), and divides by the CPU time
used, which does not depend on the load. Exceptions are counted, not raised.

    python -m fuzz.bench --inputs 300 [--target proto]
"""

from __future__ import annotations

import argparse
import os
import time


def _rate(target, seeds, inputs: int, fast: bool) -> tuple[float, int]:
    from schemacheck.errors import SchemacheckError

    from .fast import input_at
    from .fastpath import fast_pair
    from .targets import run_pair

    errors = 0
    start = time.process_time()
    for i in range(inputs):
        base, head, full = input_at(target, seeds, 99, i)
        if target.fmt == "protobuf" and not (fast and not full):
            from schemacheck.formats.protobuf.memo import clear_cache

            clear_cache()
        try:
            (fast_pair if fast and not full else run_pair)(target, base, head)
        except SchemacheckError:
            pass
        except Exception:  # noqa: BLE001 - a crash is the campaigns' business; here it is counted
            errors += 1
    return inputs / max(time.process_time() - start, 1e-9), errors


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("SCHEMACHECK_NO_CACHE", "1")
    from .fast import _warm_up
    from .targets import TARGETS

    parser = argparse.ArgumentParser(prog="python -m fuzz.bench", description=__doc__.splitlines()[0])
    parser.add_argument("--target", default="all", choices=[*TARGETS, "all"])
    parser.add_argument("--inputs", type=int, default=300)
    args = parser.parse_args(argv)
    print("| target | classic (whole path, cold) inputs/CPU-s | fast inputs/CPU-s | speed-up |")
    print("|---|---:|---:|---:|")
    for name in (list(TARGETS) if args.target == "all" else [args.target]):
        target = TARGETS[name]
        seeds = target.seeds()
        _warm_up(target, seeds)
        classic, _ = _rate(target, seeds, args.inputs, fast=False)
        fast, _ = _rate(target, seeds, args.inputs, fast=True)
        print(f"| `{name}` | {classic:.0f} | {fast:.0f} | {fast / classic:.1f}x |", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
