"""Command line: parse arguments, build the request, run it, print, choose the exit code.

Maintainers: this is the only module that prints for the user, catches
:class:`~schemacheck.errors.SchemacheckError` and decides the exit status
(0 clean, 1 breaking changes at or above ``--fail-on``, 2 usage or input error).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from . import __version__
from .errors import SchemacheckError, UsageError

__all__ = ["main", "build_parser"]

EXIT_CLEAN, EXIT_BREAKING, EXIT_ERROR = 0, 1, 2
SUBCOMMANDS = ("check", "rules", "explain")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse's default exit code is 2 already; keep one-line style
        raise UsageError(message, tip=f"`{self.prog} --help` shows the options.")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="schemacheck", description="Find breaking changes in schema files.")
    parser.add_argument("--version", action="version", version=f"schemacheck {__version__}")
    sub = parser.add_subparsers(dest="command")
    check = sub.add_parser("check", help="compare schemas (the default command)")
    check.add_argument("paths", nargs="*", help="new version: a directory or file (default: the repository)")
    check.add_argument("--against", help="old version: a directory or file to compare with")
    check.add_argument("--format", default="text", help="output format")
    check.add_argument("--select", action="append", default=[], help="rule IDs or categories to run")
    check.add_argument("--ignore", action="append", default=[], help="rule IDs or categories to skip")
    check.add_argument("--fail-on", choices=("error", "warning", "info"), default=None)
    check.add_argument("--traceback", action="store_true", help=argparse.SUPPRESS)
    sub.add_parser("rules", help="list the rules")
    explain = sub.add_parser("explain", help="print a rule's documentation")
    explain.add_argument("rule_id")
    return parser


def _split(values: Sequence[str]) -> tuple[str, ...]:
    return tuple(v.strip() for item in values for v in item.split(",") if v.strip())


def _cmd_check(args: argparse.Namespace) -> int:
    from .config import Settings
    from .model import Severity
    from .runner import CheckRequest, run_check
    from .snapshot import DirectorySnapshot

    if not args.against:
        raise UsageError("nothing to compare against", tip="Pass --against OLD_DIR.")
    new = Path(args.paths[0]) if args.paths else Path(".")
    settings = Settings(select=_split(args.select), ignore=_split(args.ignore),
                        fail_on=args.fail_on or "error")
    result = run_check(CheckRequest(DirectorySnapshot(args.against), DirectorySnapshot(new), settings))
    for diag in result.diagnostics:
        print(f"{diag.location}: {diag.severity.value}: {diag.message}")
    for finding in result.findings:
        print(f"{finding.location or finding.base_location}: {finding.rule_id}: {finding.message}")
    if any(d.severity is Severity.ERROR for d in result.diagnostics):
        return EXIT_ERROR
    threshold = Severity(settings.fail_on).rank
    return EXIT_BREAKING if any(f.severity.rank >= threshold for f in result.findings) else EXIT_CLEAN


def _cmd_rules(args: argparse.Namespace) -> int:
    from .registry import load_rules

    registry = load_rules()
    for spec in sorted(registry.rules.values(), key=lambda r: (r.format, r.id)):
        print(f"{spec.id:<48} {spec.format:<11} {','.join(spec.categories):<32} {spec.summary}")
    return EXIT_CLEAN


def _cmd_explain(args: argparse.Namespace) -> int:
    from .registry import load_rules

    registry = load_rules()
    spec = registry.get(args.rule_id)
    if spec is None:
        registry.expand([args.rule_id])  # raises with the nearest names
        raise UsageError(f"{args.rule_id} is a category or deprecated ID, not a rule")
    print(f"{spec.id} ({spec.format}; categories: {', '.join(spec.categories) or '-'}; severity: {spec.severity.value})\n")
    print(spec.doc)
    return EXIT_CLEAN


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or (argv[0] not in SUBCOMMANDS and argv[0] not in ("-h", "--help", "--version")):
        argv.insert(0, "check")
    traceback = "--traceback" in argv
    try:
        args = build_parser().parse_args(argv)
        handler = {"check": _cmd_check, "rules": _cmd_rules, "explain": _cmd_explain}[args.command]
        return handler(args)
    except SchemacheckError as exc:
        if traceback:
            raise
        print(f"schemacheck: error: {exc.message}", file=sys.stderr)
        if exc.tip:
            print(f"schemacheck: tip: {exc.tip}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        return 130
