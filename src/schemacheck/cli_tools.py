"""The small subcommands: ``rules``, ``explain``, ``descriptor``, ``demo``, ``contract``, ``version``.

Maintainers: each ``cmd_<name>(args) -> int`` receives the parsed arguments from
``cli.build_parser`` and returns the exit status; errors are raised as
:class:`~schemacheck.errors.SchemacheckError` and printed by ``cli.main``. Kept apart from
``cli.py`` so the default ``check`` path imports none of this.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from . import __version__
from .errors import UsageError

__all__ = ["cmd_rules", "cmd_explain", "cmd_descriptor", "cmd_demo", "cmd_contract", "cmd_version"]


def _table(specs: list) -> list[str]:
    """Rule rows with columns as wide as their longest value (IDs can be long)."""
    rows = [("ID", "FORMAT", "SEVERITY", "DEFAULT", "CATEGORIES", "SUMMARY")]
    rows += [(s.id, s.format, s.severity.value, "on" if s.default else "off", ",".join(s.categories) or "-", s.summary)
             for s in specs]
    widths = [max(len(row[i]) for row in rows) for i in range(5)]
    return ["  ".join(cell.ljust(width) for cell, width in zip(row, widths)) + "  " + row[5] for row in rows]


def cmd_rules(args: argparse.Namespace) -> int:
    """``schemacheck rules [--format json]``: every rule with its severity and whether it is on by default."""
    from .registry import load_rules

    specs = sorted(load_rules().rules.values(), key=lambda r: (r.format, r.id))
    if args.format == "json":
        rows = [{"id": s.id, "format": s.format, "categories": list(s.categories), "severity": s.severity.value,
                 "default": s.default, "aliases": list(s.aliases), "summary": s.summary} for s in specs]
        print(json.dumps(rows, indent=2))
        return 0
    print("\n".join(line.rstrip() for line in _table(specs)))
    return 0


def cmd_explain(args: argparse.Namespace) -> int:
    """``schemacheck explain ID``: the rule's documentation (its docstring); a category: its rules."""
    import difflib

    from .registry import load_rules

    registry = load_rules()
    spec = registry.get(args.rule_id)
    key = args.rule_id.strip().upper()
    if spec is None:
        in_category = sorted((r for r in registry.rules.values() if key in r.categories), key=lambda r: (r.format, r.id))
        if in_category:
            formats = sorted({r.format for r in in_category})
            print(f"{key}: a category of {', '.join(formats)} rules ({len(in_category)}); "
                  f"`schemacheck explain ID` shows one.\n")
            print("\n".join(line.rstrip() for line in _table(in_category)))
            return 0
        if key in registry.deprecated:
            dep = registry.deprecated[key]
            instead = ", ".join(dep.replacements) or "no replacement"
            print(f"{key} is deprecated ({dep.format}); use {instead}. {dep.reason}".rstrip())
            return 0
        near = difflib.get_close_matches(key, registry.all_names(), n=3, cutoff=0.4)
        raise UsageError(f"unknown rule or category {args.rule_id!r}" + (f" (did you mean {', '.join(near)}?)" if near else ""),
                         tip="`schemacheck rules` lists every rule ID; `schemacheck explain CATEGORY` a category's.")
    categories = ", ".join(spec.categories) or "-"
    default = "on by default" if spec.default else "off by default (select it to run it)"
    print(f"{spec.id} ({spec.format}; categories: {categories}; severity: {spec.severity.value}; {default})\n")
    print(spec.doc)
    return 0


def _in_cwd(raw: str, cwd: Path, what: str) -> str:
    full = (cwd / raw).resolve()
    if full != cwd and cwd not in full.parents:
        raise UsageError(f"{raw}: {what} must be inside the current directory {cwd}")
    rel = full.relative_to(cwd).as_posix()
    return "" if rel == "." else rel


def cmd_descriptor(args: argparse.Namespace) -> int:
    """``schemacheck descriptor PATH... -o out.binpb``: a FileDescriptorSet with source info.

    The set holds the given files and everything they import (well-known types included),
    dependencies before dependants, like ``protoc --include_imports --include_source_info``.
    """
    from .formats.protobuf import compile_protos
    from .formats.protobuf.compiler import descriptor_set
    from .snapshot import DirectorySnapshot

    cwd = Path.cwd().resolve()
    files = [_in_cwd(f, cwd, "a file") for f in args.files]
    for raw, rel in zip(args.files, files):
        if not (cwd / rel).is_file():
            raise UsageError(f"{raw}: no such file")
    roots = tuple(_in_cwd(r, cwd, "an import root") for r in args.root) or ("",)
    result = compile_protos(DirectorySnapshot(cwd), files, roots, closure="full")  # imports linked too
    if result.errors:
        raise result.errors[0]
    fds = descriptor_set(result, files)
    try:
        Path(args.output).write_bytes(fds.SerializeToString())
    except OSError as exc:
        raise UsageError(f"{args.output}: cannot write: {exc.strerror or exc}") from None
    print(f"wrote {len(fds.file)} file descriptor(s) to {args.output}", file=sys.stderr)
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    """``schemacheck demo``: see :mod:`schemacheck.demo`."""
    from .demo import run_demo

    return run_demo(strict=args.strict, keep=args.keep)


def cmd_contract(args: argparse.Namespace) -> int:
    """``schemacheck contract CONSUMER PRODUCER``: see :mod:`schemacheck.contracts.adhoc`."""
    from .cli import FORMATS, _write_report, exit_status
    from .cli_outputs import output_targets
    from .contracts.adhoc import check_selectors

    output_targets(args.format, args.output, FORMATS)  # a bad -o fails before any work
    result, files = check_selectors(args.consumer, args.producer, args.direction, Path.cwd())
    _write_report(args, result, args.fail_on, files, Path.cwd())
    return exit_status(result, args.fail_on)


def cmd_version(args: argparse.Namespace) -> int:
    """``schemacheck version``."""
    print(f"schemacheck {__version__}")
    return 0
