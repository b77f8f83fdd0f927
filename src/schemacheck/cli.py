"""Command line: parse arguments, build the request, run it, print, choose the exit code.

Maintainers: this is the only module that prints for the user, catches
:class:`~schemacheck.errors.SchemacheckError` and decides the exit status
(0 clean, 1 breaking changes at or above ``--fail-on``, 2 usage or input error).
Everything heavy (pydantic, protobuf, rich, libcst) is imported inside the command that
needs it, so ``schemacheck --version`` costs little more than starting Python.
The ``check`` command is the default: ``schemacheck --base main`` means
``schemacheck check --base main``. The check's inputs (sides, settings) are built in
``cli_inputs.py``; small subcommands live in ``cli_tools.py``.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from . import __version__
from .errors import SchemacheckError, UsageError

if TYPE_CHECKING:
    from .model import CheckResult
    from .snapshot import Snapshot

__all__ = ["main", "build_parser", "exit_status", "EXIT_CLEAN", "EXIT_BREAKING", "EXIT_ERROR"]

EXIT_CLEAN, EXIT_BREAKING, EXIT_ERROR = 0, 1, 2
FORMATS = ("text", "json", "sarif", "github", "markdown", "junit", "gitlab")
SUBCOMMANDS = ("check", "rules", "explain", "descriptor", "demo", "contract", "version")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(message, tip=f"`{self.prog} --help` shows the options.")


def _add_output_arguments(out: argparse.ArgumentParser | argparse._ArgumentGroup) -> None:
    """``--format``, ``-o`` and ``--color``: one definition for every command that writes a report
    (``check``, ``contract``), so their defaults and ``-o`` syntax cannot drift apart."""
    out.add_argument("--format", default=None, choices=FORMATS,
                     help="format of the report on standard output (or in the plain -o FILE); default: text")
    out.add_argument("-o", "--output", action="append", default=[], metavar="[FORMAT:]FILE",
                     help="FILE: write the --format report there instead; FORMAT:FILE (repeatable): also write a "
                          f"report in FORMAT ({', '.join(FORMATS)}) to FILE, '-' for standard output")
    out.add_argument("--color", choices=("auto", "always", "never"), default="auto",
                     help="colour the text report (auto honours NO_COLOR, FORCE_COLOR and the terminal)")


def _add_check_arguments(check: argparse.ArgumentParser) -> None:
    check.add_argument("paths", nargs="*", metavar="PATH",
                       help="limit the check to these files or directories; with --against: the new version")
    where = check.add_argument_group("what to compare (default: the work tree against HEAD)")
    where.add_argument("--base", metavar="REF", help="old side: the merge-base of REF and HEAD (or of --head)")
    where.add_argument("--head", metavar="REF", help="new side: the commit REF (default old side: its first parent)")
    where.add_argument("--staged", action="store_true", help="new side: the index, i.e. what will be committed")
    where.add_argument("--pre-push", action="store_true",
                       help="--base PRE_COMMIT_FROM_REF --head PRE_COMMIT_TO_REF (set by pre-commit for pre-push hooks)")
    where.add_argument("--pre-commit", action="store_true",
                       help="the commit hook: $PRE_COMMIT_FROM_REF...$PRE_COMMIT_TO_REF when pre-commit sets them, "
                            "else --staged")
    where.add_argument("--against", metavar="OLD", help="old side: a directory or file outside git; PATH is the new one")
    where.add_argument("--fetch-missing", action="store_true",
                       help="in a partial clone (--filter=blob:none), fetch the blobs of the changed files from its "
                            "remote in one batch (default: never fetch; a missing blob is an error)")
    out = check.add_argument_group("output")
    _add_output_arguments(out)
    out.add_argument("-v", "--verbose", action="store_true",
                     help="text report: list the files compared and the changed files passed over, with why")
    rules = check.add_argument_group("rules")
    rules.add_argument("--select", action="append", default=[], metavar="IDS",
                       help="rule IDs or categories to run, comma-separated or repeated (replaces the configuration's)")
    rules.add_argument("--ignore", action="append", default=[], metavar="IDS",
                       help="rule IDs or categories to skip, comma-separated or repeated (replaces the configuration's)")
    compat = check.add_argument_group("JSON-shaped schemas (JSON Schema)")
    compat.add_argument("--mode", choices=("backward", "forward", "full"), default=None,
                        help="full: both orders (default); backward: new readers read old data; forward: old readers "
                             "read new data (overrides the configuration, per-path overrides included)")
    compat.add_argument("--policy", choices=("strict", "lenient"), default=None,
                        help="lenient (default): readers ignore unknown properties; strict: JSON Schema's open content "
                             "model (with --mode backward: Confluent's BACKWARD)")
    rules.add_argument("--fail-on", choices=("error", "warning", "info"), default=None,
                       help="lowest severity that makes the exit status 1 (default: error)")
    rules.add_argument("--config", metavar="FILE", help="configuration file (default: schemacheck.toml or "
                       "[tool.schemacheck] in pyproject.toml at the repository root of the new side)")
    check.add_argument("--traceback", action="store_true", help="show the Python traceback of an internal error")


class _VersionAction(argparse.Action):
    """``--version``: the version and which protobuf compiler path is active (native or pure
    Python), computed only when asked so other commands never load the extension for it."""

    def __init__(self, option_strings, dest=argparse.SUPPRESS, **kwargs) -> None:
        super().__init__(option_strings, dest, nargs=0, help="show the version and the protobuf compiler path")

    def __call__(self, parser, namespace, values, option_string=None) -> None:
        from .formats.protobuf.native import status

        print(f"schemacheck {__version__}\nprotobuf compiler: {status()}")
        parser.exit()


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The argument parser of every subcommand (``check`` is inserted when none is named).

    ``command``: only that subcommand's parser is built (each costs argparse's and gettext's
    set-up, paid on every run); ``None`` builds them all, as ``--help`` lists them.
    """
    parser = _Parser(prog="schemacheck", description="Find breaking changes in schema files.",
                     epilog="`schemacheck check --help` shows the options of the default command. "
                            "Exit status: 0 no breaking change, 1 breaking changes, 2 usage or input error.")
    parser.add_argument("--version", action=_VersionAction)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    def wanted(name: str) -> bool:
        return command is None or command == name

    if wanted("check"):
        _add_check_arguments(sub.add_parser("check", help="compare schemas (the default command)"))
    if wanted("rules"):
        rules = sub.add_parser("rules", help="list the rules")
        rules.add_argument("--format", choices=("text", "json"), default="text")
    if wanted("explain"):
        explain = sub.add_parser("explain", help="print a rule's documentation")
        explain.add_argument("rule_id", metavar="ID")
    if wanted("descriptor"):
        descriptor = sub.add_parser("descriptor", help="write a FileDescriptorSet (with source info) of .proto files")
        descriptor.add_argument("files", nargs="+", metavar="PATH")
        descriptor.add_argument("-o", "--output", required=True, metavar="FILE", help="where to write the binary set")
        descriptor.add_argument("--root", action="append", default=[], metavar="DIR",
                                help="import root, repeatable (default: the current directory)")
    if wanted("demo"):
        demo = sub.add_parser("demo", help="show schemacheck on a throw-away git repository")
        demo.add_argument("--strict", action="store_true", help="exit with the check's status (1: findings)")
        demo.add_argument("--keep", action="store_true", help="keep the temporary repository and print its path")
    if wanted("contract"):
        contract = sub.add_parser("contract", help="check a consumer's schema element against a producer's (ad hoc)")
        contract.add_argument("consumer", metavar="CONSUMER", help="selector, e.g. clients/orders.py:OrderResponse")
        contract.add_argument("producer", metavar="PRODUCER",
                              help="selector, e.g. 'openapi.yaml GET /orders/{id} 200'")
        contract.add_argument("--direction", choices=("reads", "writes"), default="reads",
                              help="reads (default): the consumer reads what the producer writes; writes: it sends "
                                   "what the producer reads")
        _add_output_arguments(contract)
        contract.add_argument("--fail-on", choices=("error", "warning", "info"), default="error",
                              help="lowest severity that makes the exit status 1 (default: error)")
    if wanted("version"):
        sub.add_parser("version", help="print the version")
    for action in sub.choices.values():
        if "--traceback" not in action._option_string_actions:
            action.add_argument("--traceback", action="store_true", help=argparse.SUPPRESS)
    return parser


def _source_lines(head: Snapshot):
    cache: dict[str, list[str]] = {}

    def source_line(path: str, line: int) -> str | None:
        if path not in cache:
            try:
                cache[path] = head.read(path).decode("utf-8", "replace").splitlines()
            except (OSError, LookupError):
                cache[path] = []
        lines = cache[path]
        return lines[line - 1] if 0 < line <= len(lines) else None

    return source_line


def _write_report(args: argparse.Namespace, result: CheckResult, fail_on: str, head: Snapshot, root: Path,
                  base: Snapshot | None = None, sides: tuple[Path | None, Path | None] = (None, None)) -> None:
    """Write every requested report (``--format`` and each ``-o FORMAT:FILE``) of one result.

    ``sides`` are the directories the (base, head) paths are relative to, for the text report's
    clickable paths; ``None`` means the repository root.
    """
    from dataclasses import replace

    from .cli_outputs import STDOUT, display_paths, output_targets, write_reports
    from .model import Severity
    from .report import ReportContext, use_color

    cwd = Path.cwd()
    targets = output_targets(args.format, args.output, FORMATS)
    base_dir, head_dir = sides
    shared = ReportContext(source_line=_source_lines(head), repo_root=str(root.resolve()), fail_on=Severity(fail_on),
                           head_path=display_paths(head_dir or root, cwd), base_path=display_paths(base_dir or root, cwd),
                           base_root_uri=_base_root_uri(base), verbose=getattr(args, "verbose", False))
    if getattr(args, "against_file", None):  # two files: the base file is OLD whatever its name
        old = args.against_file
        shared = replace(shared, base_path=lambda path: old, base_file=lambda path: old)

    def context_for(target):
        # --color is about the terminal: a report file is never coloured (the Action passes
        # --color always for its log, and -o text:FILE must still be plain text).
        if target.destination != STDOUT or target.format != "text":
            return replace(shared, color=False)
        color = {"always": True, "never": False}.get(args.color)
        return replace(shared, color=use_color(sys.stdout, os.environ) if color is None else color)

    write_reports(targets, result, context_for)
    native = sys.modules.get("schemacheck.formats.protobuf.native")  # loaded only if protobuf was compiled
    if shared.verbose and native is not None and (line := native.summary()):
        print(line, file=sys.stderr)  # stderr: stdout may be a JSON or SARIF report
    forked = sys.modules.get("schemacheck.forked")  # loaded only if some work was large enough
    if shared.verbose and forked is not None and (line := forked.summary()):
        print(line, file=sys.stderr)


def _base_root_uri(base: Snapshot | None) -> str:
    """The base commit's tree on the web when running in GitHub Actions (SARIF ``BASEROOT``), else ''."""
    server, repo = os.environ.get("GITHUB_SERVER_URL"), os.environ.get("GITHUB_REPOSITORY")
    sha = getattr(base, "commit", "")
    if not (server and repo and sha):
        return ""
    return f"{server.rstrip('/')}/{repo}/blob/{sha}/"


def _quick_clean_run(args: argparse.Namespace, base: Snapshot, head: Snapshot, root: Path,
                     extra: dict) -> int | None:
    """Git saw no change, or none to a file any format could claim (``FormatEntry.suffixes``), and
    no configuration file exists: report it without loading the configuration or any format.

    Returns ``None`` when the full path is needed (a configuration file or a PATH argument may
    apply, or a changed file may be a schema).
    """
    from .revisions import WorkTreeSnapshot

    changed = extra.get("changed")
    result = None
    if changed is None:
        return None
    if changed:
        if extra.get("limit_to"):
            return None
        from .runner import result_without_formats

        result = result_without_formats(base, head, changed)
        if result is None:
            return None

    def present(name: str) -> bytes | None:
        if isinstance(head, WorkTreeSnapshot):
            path = root / name
            return path.read_bytes() if path.is_file() else None
        return head.read(name) if head.exists(name) else None

    if args.config or present("schemacheck.toml") is not None or b"schemacheck" in (present("pyproject.toml") or b""):
        return None
    from .cli_inputs import split_ids

    select, ignore = split_ids(args.select), split_ids(args.ignore)
    if select or ignore:  # still reject a misspelt rule ID
        from .registry import load_rules

        load_rules().expand((*select, *ignore), source="the command line")
    if result is None:
        from .runner import result_without_change

        _write_report(args, result_without_change(base, head), args.fail_on or "error", head, root)
        return EXIT_CLEAN
    _write_report(args, result, args.fail_on or "error", head, root, base)
    return exit_status(result, args.fail_on or "error")


def _cmd_check(args: argparse.Namespace) -> int:
    from .cli_inputs import against_sides, close_sides, git_sides, pre_commit_refs, pre_push_refs
    from .cli_outputs import output_targets

    output_targets(args.format, args.output, FORMATS)  # a bad -o fails before any work
    cwd = Path.cwd()
    if args.pre_commit:
        if args.pre_push:
            raise UsageError("--pre-commit and --pre-push cannot be combined")
        pre_commit_refs(args)
    if args.pre_push and not pre_push_refs(args):
        print("schemacheck: note: pre-commit set no PRE_COMMIT_FROM_REF/PRE_COMMIT_TO_REF for this push "
              "(new history, unrelated to the remote's): nothing to compare", file=sys.stderr)
        return EXIT_CLEAN
    in_git = args.against is None
    base, head, extra, root = git_sides(args, cwd) if in_git else against_sides(args, cwd)
    try:
        return _check_sides(args, base, head, extra, root, cwd, in_git)
    finally:  # the persistent cat-file ends with the run, not when a collection finds the snapshots
        close_sides(base, head)


def _check_sides(args: argparse.Namespace, base, head, extra: dict, root: Path, cwd: Path, in_git: bool) -> int:
    from .cli_inputs import load_check_settings, raise_read_errors, with_fetch_note

    status = _quick_clean_run(args, base, head, root, extra)  # no change, or none to a possible schema
    if status is not None:
        return status
    settings = load_check_settings(args, head, root, in_git)
    if extra.get("changed") == frozenset():
        if settings.select or settings.ignore:  # still reject a misspelt rule ID
            from .registry import load_rules

            load_rules().expand((*settings.select, *settings.ignore), source=settings.source or "the command line")
        from .runner import result_without_change

        result = result_without_change(base, head)
    else:
        from .runner import CheckRequest, run_check

        result = run_check(CheckRequest(base, head, settings, **extra))
        raise_read_errors(base, head)
        result = with_fetch_note(result, base, head)
    _write_report(args, result, settings.fail_on, head, root, base, _side_dirs(args, cwd, root, in_git))
    return exit_status(result, settings.fail_on)


def exit_status(result: CheckResult, fail_on: str) -> int:
    """2 when an error diagnostic says the check did not fully run, else 1 for a finding at or above ``fail_on``."""
    from .model import Severity

    if any(d.severity is Severity.ERROR for d in result.diagnostics):
        return EXIT_ERROR
    threshold = Severity(fail_on).rank
    return EXIT_BREAKING if any(f.severity.rank >= threshold for f in result.findings) else EXIT_CLEAN


def _side_dirs(args: argparse.Namespace, cwd: Path, root: Path, in_git: bool) -> tuple[Path | None, Path | None]:
    """The directories base and head paths are relative to (``--against``: OLD and NEW), for display."""
    if in_git:
        return None, None
    old, new = cwd / args.against, cwd / (args.paths[0] if args.paths else ".")
    if old.is_file() and new.is_file():  # two files: both sides use the new file's name; show OLD as given
        args.against_file = args.against
        return old.parent, root
    return (old if old.is_dir() else None), root  # a descriptor set as OLD: its paths are import paths


def _handler(command: str):
    if command == "check":
        return _cmd_check
    from . import cli_tools

    return getattr(cli_tools, f"cmd_{command}")


def _print_error(kind: str, message: str, tip: str | None) -> None:
    from .report.color import use_color

    red, yellow, reset = ("\x1b[31m", "\x1b[33m", "\x1b[0m") if use_color(sys.stderr, os.environ) else ("", "", "")
    print(f"{red}schemacheck: {kind}:{reset} {message}", file=sys.stderr)
    if tip:
        print(f"{yellow}schemacheck: tip:{reset} {tip}", file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status (the console script exits with it)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or (argv[0] not in SUBCOMMANDS and argv[0] not in ("-h", "--help", "--version")):
        argv.insert(0, "check")
    show_traceback = "--traceback" in argv
    # A check builds many long-lived objects (descriptors, elements) and few cycles: the cyclic
    # collector's default young-generation threshold (700) ran it thousands of times for
    # nothing, ~6% of an every-file-changed protobuf run. Memory is unchanged (measured).
    thresholds = gc.get_threshold()
    gc.set_threshold(100_000, 50, 100)
    try:
        args = build_parser(argv[0] if argv[0] in SUBCOMMANDS else None).parse_args(argv)
        if args.command is None:
            args = build_parser().parse_args(["check"])
        return _handler(args.command)(args)
    except SchemacheckError as exc:
        if show_traceback:
            raise
        _print_error("error", exc.message, exc.tip)
        return EXIT_ERROR
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        sys.stderr.close()  # the reader went away (`| head`): not an error worth a message
        return EXIT_CLEAN
    except Exception as exc:  # noqa: BLE001 - the last line of defence: one line, no traceback
        if show_traceback:
            raise
        detail = str(exc).splitlines()[0] if str(exc) else ""
        _print_error("internal error", f"{type(exc).__name__}: {detail}".rstrip(": "),
                     "This is a bug in schemacheck; rerun with --traceback and report the output.")
        return EXIT_ERROR
    finally:
        gc.set_threshold(*thresholds)
