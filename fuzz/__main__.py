"""``python -m fuzz``: run a campaign (see docs/fuzzing.md).

Examples:
    python -m fuzz --target proto --inputs 1000000 --jobs 2
    nice python -m fuzz --target all --seconds 600 --stats fuzz-stats.json
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("SCHEMACHECK_NO_CACHE", "1")  # the on-disk cache would only fill up
    _test_this_checkout()
    from .campaign import CRASH_DIR, run_campaign
    from .targets import TARGETS

    parser = argparse.ArgumentParser(prog="python -m fuzz", description=__doc__.splitlines()[0])
    parser.add_argument("--target", default="all", choices=[*TARGETS, "all"])
    parser.add_argument("--inputs", type=int, default=10_000, help="inputs per target (default 10,000)")
    parser.add_argument("--seconds", type=float, default=None, help="stop each target after this long")
    parser.add_argument("--jobs", type=int, default=1, help="worker processes (default 1)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (reproducible with --jobs 1)")
    parser.add_argument("--fast", action="store_true",
                        help="batch workers, the format's checker alone (1 input in 50 the whole CLI path)")
    parser.add_argument("--no-save", action="store_true", help="do not save findings under fuzz/crashes/")
    parser.add_argument("--crash-dir", default=str(CRASH_DIR))
    parser.add_argument("--stats", help="append the counts as one JSON line to this file")
    parser.add_argument("--progress", type=float, default=60.0, help="seconds between progress lines (0: none)")
    parser.add_argument("--table", metavar="STATS", help="print a Markdown table of a --stats file and exit")
    args = parser.parse_args(argv)
    if args.table:
        print(_table(args.table))
        return 0
    names = list(TARGETS) if args.target == "all" else [args.target]
    failed = False
    for name in names:
        commit = _commit()  # of the code the campaign starts with
        started = time.strftime("%Y-%m-%dT%H:%MZ", time.gmtime())
        run = run_campaign
        if args.fast:
            from .fast import run_fast_campaign as run
        stats = run(name, args.inputs, jobs=args.jobs, seed=args.seed, max_seconds=args.seconds,
                    save=not args.no_save, crash_dir=Path(args.crash_dir), progress=args.progress)
        print(stats.summary(), flush=True)
        if args.stats:
            with open(args.stats, "a") as out:
                out.write(json.dumps({"date": started, "commit": commit,
                                      "seed": args.seed, "jobs": args.jobs, **stats.as_dict()}) + "\n")
        failed |= stats.new_findings > 0
    return 1 if failed else 0


def _test_this_checkout() -> None:
    """Make the campaign fuzz this checkout's ``src/``, whatever ``schemacheck`` is installed.

    The commit a campaign records is this checkout's; an editable install of another checkout
    (a campaign run from a ``git worktree``) would otherwise test that one's code under this
    one's name. Workers are forked, so they inherit the path.
    """
    src = str(Path(__file__).resolve().parent.parent / "src")
    if "schemacheck" in sys.modules and not sys.modules["schemacheck"].__file__.startswith(src):
        raise SystemExit(f"python -m fuzz: schemacheck was imported from {sys.modules['schemacheck'].__file__}, "
                         f"not {src}")
    if sys.path[:1] != [src]:
        sys.path.insert(0, src)


def _commit() -> str:
    import subprocess

    from .targets import REPO

    head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True)
    dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no", "--", "src", "fuzz",
                            ":(exclude)fuzz/results.jsonl"], cwd=REPO,  # the campaigns' own counts are not code
                           capture_output=True, text=True).stdout.strip()
    return head.stdout.strip() + ("+dirty" if dirty else "")


def _table(path: str) -> str:
    """Markdown rows of every campaign in a ``--stats`` file, then totals per target (and per commit)."""
    rows = [json.loads(line) for line in open(path) if line.strip()]
    out = ["| date (UTC) | commit | mode | target | seed | inputs | seconds | inputs/s | internal | over 5 s "
           "| over 500 MB | of which known | slow unconfirmed | new signatures |",
           "|---|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    totals: dict[tuple[str, str], list[int]] = {}
    for r in rows:
        out.append(f"| {r['date']} | {r['commit']} | {r.get('mode', 'classic')} | {r['target']} | {r['seed']} "
                   f"| {r['inputs']:,} | {r['seconds']:.0f} | {r['rate']:.0f} | {r['internal']} | {r['over_time']} "
                   f"| {r['over_memory']} | {r['known']} | {r.get('slow_unconfirmed', 0)} "
                   f"| {len(r['new_signatures'])} |")
        for key in ((r["target"], ""), (r["target"], r["commit"])):
            t = totals.setdefault(key, [0] * 6)
            for i, k in enumerate(("inputs", "internal", "over_time", "over_memory", "known")):
                t[i] += r[k]
            t[5] += len(r["new_signatures"])
    for (target, commit), t in sorted(totals.items()):
        label = f"**total {target}**" if not commit else f"total {target} at {commit}"
        out.append(f"| {label} | {commit} | | | | **{t[0]:,}** | | | {t[1]} | {t[2]} | {t[3]} | {t[4]} | | {t[5]} |")
    return "\n".join(out)


if __name__ == "__main__":
    sys.exit(main())
