"""The contract stage of a check: which configured contracts a change touches, checked at the new revision.

Maintainers: contracts are a stage of their own rather than a registered format because the
format protocol is *one format per file*: a file is claimed by the first format that wants it,
and a job holds one format's paths. A contract spans two files of two formats that their own
formats also check, so a pseudo-format would either steal those files or never see them.
The runner calls :func:`check_contracts` after the formats, with the same request.

A contract is checked when either side's file changed (added, deleted, modified, renamed), or
a changed file it may depend on is named in a side's text (a ``$ref`` target's file name, an
imported module's name: a byte search, no parsing), or its entry is new or edited: when a
configuration file at the repository root (``schemacheck.toml``, ``pyproject.toml``) changed,
the base revision's configuration is read and every entry whose consumer, producer and
direction are not those of a base entry is checked (an unreadable base configuration: every
entry). Always both sides at the *new* revision.
An untouched contract costs nothing: no file is parsed. Selectors that do not parse, or that no
longer resolve, are error diagnostics naming the entry (exit 2), never a silent pass.
"""

from __future__ import annotations

import posixpath
from typing import TYPE_CHECKING

from ..checkers import FormatOutcome
from ..errors import SchemacheckError
from ..model import Diagnostic, Finding, Severity
from .places import EntryPlaces
from .selectors import JSON_SUFFIXES, Selector, SelectorError, direction_mismatch, parse_selector

if TYPE_CHECKING:
    from ..runner import CheckRequest
    from .settings import ContractSettings
    from .sides import Side

__all__ = ["check_contracts", "LABEL", "register_scanner", "settings_python_version"]

#: What one contract is called in the summary ("2 contracts compared").
LABEL = "contract"
_RELATED_SUFFIXES = (*JSON_SUFFIXES, ".py", ".proto")
_TIP = "Fix the selector in [[tool.schemacheck.contracts]]; the forms are listed in docs/contracts.md."


def check_contracts(request: CheckRequest) -> FormatOutcome:
    """Check the contracts of ``request.settings`` that the change touches."""
    from ..runner import select_rules
    from .check import check_pair

    settings = request.settings
    selected: frozenset[str] | None = None  # the rule catalogue is loaded only once a contract needs it
    findings: list[Finding] = []
    diagnostics: list[Diagnostic] = []
    targets: set[str] = set()
    checked = 0
    where = f"{settings.source}: " if settings.source else ""
    base_entries = _base_entries(request)
    broken: dict[str, list[str]] = {}  # a side file's own error -> the contracts it kept from being checked
    places = EntryPlaces(request.head, settings.source, len(settings.contracts))
    for index, entry in enumerate(settings.contracts):
        mine: list[Diagnostic] = []  # this entry's, placed at its line of the configuration below
        try:
            label = entry.label(index)
            parsed = _parse(entry, f"{where}{label}", mine)
            if parsed is None:
                continue
            consumer_sel, producer_sel = parsed
            if base_entries is not None and _key(entry) not in base_entries:
                touched = {consumer_sel.path, producer_sel.path} if _limited(request, consumer_sel, producer_sel) \
                    else set()
            else:
                touched = _touched(request, consumer_sel, producer_sel)
            if not touched:
                continue
            if selected is None:
                selected = select_rules(settings, "contracts")
            if not selected:  # --select naming only other formats' rules: no contract rule runs
                break
            targets |= {p for p in touched if request.head.exists(p)}
            mine += [Diagnostic(f"{where}{label}: {why}", None, Severity.WARNING,
                                "Check the entry's direction; a request and a response are separate contracts.")
                     for why in filter(None, (direction_mismatch(s, entry.direction)
                                              for s in (consumer_sel, producer_sel)))]
            sides = _resolve(request, entry, consumer_sel, producer_sel, where, label, mine, broken)
            if sides is None:  # not compared: the error says so, and the count does not claim it
                continue
            try:
                findings += check_pair(label, entry.direction, sides[0], sides[1], selected)
            except RecursionError:
                mine.append(Diagnostic(f"{where}{label}: the schemas are nested or recursive beyond what can be "
                                       "compared; the contract was not checked", None, Severity.ERROR))
                continue
            checked += 1
        finally:
            diagnostics += places.place(mine, index, where)
    diagnostics += [Diagnostic(f"{problem} ({'it is' if len(labels) == 1 else 'they are'} used by {', '.join(labels)}, "
                               "which could not be checked)", None, Severity.ERROR,
                               "Fix the file; the contract entries themselves are fine.")
                    for problem, labels in broken.items()]
    return FormatOutcome(tuple(findings), tuple(diagnostics), checked, selected or frozenset(),
                         tuple(sorted(targets)))


def _resolve(request: CheckRequest, entry: ContractSettings, consumer: Selector, producer: Selector, where: str,
             label: str, diagnostics: list[Diagnostic], broken: dict[str, list[str]]) -> tuple[Side, Side] | None:
    """Both sides at the new revision, each in the view of its role; ``None`` (and an error) if one does not resolve.

    A side whose file does not parse is recorded in ``broken`` (reported once per file, with
    every contract it stopped), not as a selector error: the selector is not what is wrong.
    """
    from .selectors import SideFileError
    from .sides import resolve_side, roles

    consumer_role, producer_role, data = roles(entry.direction)
    version = settings_python_version(request.settings)
    sides = []
    for role_name, selector, role in (("consumer", consumer, consumer_role), ("producer", producer, producer_role)):
        try:
            sides.append(resolve_side(selector, request.head, role, data, version, request.settings))
        except SideFileError as exc:
            users = broken.setdefault(exc.problem, [])
            if label not in users:
                users.append(label)
        except (SelectorError, SchemacheckError, OSError) as exc:
            text = exc.message if isinstance(exc, SchemacheckError) else str(exc)
            diagnostics.append(Diagnostic(f"{where}{label}: {role_name} {selector.text!r} does not resolve at "
                                          f"{request.head.label}: {text}", None, Severity.ERROR, _TIP))
    return (sides[0], sides[1]) if len(sides) == 2 else None


def settings_python_version(settings: object) -> int | None:
    """The configured pydantic major version (``[tool.schemacheck.python] pydantic-version``), if any."""
    return getattr(getattr(settings, "python", None), "pydantic_version", None)


def _parse(entry: ContractSettings, label: str, diagnostics: list[Diagnostic]) -> tuple[Selector, Selector] | None:
    out = []
    for role_name, text in (("consumer", entry.consumer), ("producer", entry.producer)):
        try:
            out.append(parse_selector(text))
        except SelectorError as exc:
            diagnostics.append(Diagnostic(f"{label}: bad {role_name} selector {text!r}: {exc}", None, Severity.ERROR,
                                          _TIP))
    return (out[0], out[1]) if len(out) == 2 else None


def _key(entry: ContractSettings) -> tuple[str, str, str]:
    """What makes two entries the same contract (its ``name`` only labels messages)."""
    return entry.consumer.strip(), entry.producer.strip(), entry.direction


def _base_entries(request: CheckRequest) -> frozenset[tuple[str, str, str]] | None:
    """The base revision's contract entries when a root configuration file changed; ``None`` when none did.

    A base configuration that does not load (absent, or invalid at the time) has no entries, so
    every entry counts as new: checking too much, never too little.
    """
    from ..config import CONFIG_FILES, load_settings_from

    if request.changed is not None:
        changed = any(name in request.changed for name in CONFIG_FILES)
    else:
        changed = any(_content_id(request.base, name) != _content_id(request.head, name) for name in CONFIG_FILES)
    if not changed:
        return None
    try:
        base = load_settings_from(lambda name: _read(request.base, name))
    except SchemacheckError:
        return frozenset()
    return frozenset(_key(entry) for entry in base.contracts)


def _limited(request: CheckRequest, *selectors: Selector) -> bool:
    """Whether PATH arguments (if any) leave a side of the contract in scope."""
    paths = {s.path for s in selectors}
    return not request.limit_to or any(_under(p, limit) for p in paths for limit in request.limit_to)


def _touched(request: CheckRequest, *selectors: Selector) -> set[str]:
    """The side files (head paths) that changed, or related changed files a side names; empty: untouched."""
    paths = {s.path for s in selectors}
    if not _limited(request, *selectors):
        return set()
    if request.changed is None:
        return {p for p in paths if _content_id(request.base, p) != _content_id(request.head, p)}
    moved = set(request.renames) | set(request.renames.values())
    direct = {p for p in paths if p in request.changed or p in moved}
    if direct:
        return direct
    related = [p for p in request.changed if p.endswith(_RELATED_SUFFIXES) and p not in paths]
    if not related:
        return set()
    for path in sorted(paths):
        text = _read(request.head, path)
        if text is not None and any(_needle(p) in text for p in related):
            return {path}
    return set()


def _needle(path: str) -> bytes:
    """What a side's text would contain if it used ``path``: a file name for ``$ref``/imports of files,
    a module name for Python imports."""
    name = posixpath.basename(path)
    if name.endswith(".py"):
        name = name[:-3] if name != "__init__.py" else posixpath.basename(posixpath.dirname(path))
    return name.encode()


def _read(snapshot: object, path: str) -> bytes | None:
    try:
        return snapshot.read(path) if snapshot.exists(path) else None  # type: ignore[attr-defined]
    except (OSError, SchemacheckError):
        return None


def _content_id(snapshot: object, path: str) -> str | None:
    try:
        return snapshot.blob_id(path) if snapshot.exists(path) else None  # type: ignore[attr-defined]
    except (OSError, SchemacheckError):
        return None


def _under(path: str, limit: str) -> bool:
    from ..globs import is_under

    return is_under(path, limit)


def _scan(path: str, text: str) -> list:
    """Suppression directives of a contract finding's file, in that file's own comment syntax."""
    from ..suppress import SCANNER_BY_FORMAT

    if path.endswith(JSON_SUFFIXES):
        from ..formats.jsonschema.suppressions import scan_suppressions

        return scan_suppressions(path, text)
    scanner = SCANNER_BY_FORMAT.get("protobuf" if path.endswith(".proto") else "python")
    return scanner(path, text) if scanner is not None else []


def register_scanner() -> None:
    """Let inline directives suppress contract findings (format ``contracts``), in any side's syntax."""
    from ..suppress import register_scanner as register

    register("contracts", _scan)


register_scanner()
