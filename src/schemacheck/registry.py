"""The single registry of rules: every rule is declared once, here is where it lands.

Maintainers: a rule module decorates one small function with :func:`rule`; the decorator
parses the docstring (the rule's only documentation) and records a :class:`RuleSpec` in
:data:`REGISTRY`. ``schemacheck rules``, ``schemacheck explain``, ``rules/*.md`` and the SARIF
rule metadata are all generated from these specs. Renamed or retired IDs go through
:func:`deprecate` and are never reused. Rule packages (``schemacheck.rules.<format>``) are
imported per format on demand (:func:`load_rules`), so a protobuf-only run never imports the
JSON Schema or Python rule stacks; any lookup that could name a rule of another format (an
unknown name in ``expand``, ``get``, ``all_names``) loads every package first.
"""

from __future__ import annotations

import importlib
import importlib.util
import inspect
import pkgutil
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from types import MappingProxyType

from .errors import ConfigError
from .model import Location, Severity

__all__ = [
    "RuleSpec",
    "DeprecatedRule",
    "Violation",
    "Registry",
    "REGISTRY",
    "rule",
    "deprecate",
    "register_categories",
    "load_rules",
    "DOC_SECTIONS",
]

#: Headings every rule docstring must have, in this order (ruff/griffe style).
DOC_SECTIONS: tuple[str, ...] = (
    "What it does",
    "Why is this breaking?",
    "Example",
    "How to change this safely",
)


@dataclass(frozen=True, slots=True)
class Violation:
    """What a rule function yields: the engine adds rule ID, severity and format.

    Attributes:
        message: One past-tense sentence saying what broke and for whom.
        location: Span in the head file (``None`` if nothing survives there).
        base_location: Span in the base file.
        hint: How to change this safely, specific to this occurrence when possible.
        subject: Stable element name for fingerprints and suppressions.
    """

    message: str
    location: Location | None
    base_location: Location | None = None
    hint: str = ""
    subject: str = ""


@dataclass(frozen=True, slots=True)
class RuleSpec:
    """One rule's declaration.

    Attributes:
        id: Stable UPPER_SNAKE ID, subject first (``FIELD_SAME_TYPE``).
        format: The schema format it applies to (``protobuf``, ``jsonschema``, ...).
        subject: The kind of element pair the engine hands to ``handler``.
        categories: Category IDs the rule belongs to (``FILE``, ``PACKAGE``, ``WIRE_JSON``...).
        severity: Default severity.
        summary: First line of the docstring.
        doc: The whole docstring, dedented: the rule's documentation.
        handler: The function; takes the pair (and an engine context) and yields Violations.
        aliases: Other names for the same rule (oasdiff/Confluent names).
        default: Whether the rule runs when the configuration selects nothing.
    """

    id: str
    format: str
    subject: str
    categories: tuple[str, ...]
    severity: Severity
    summary: str
    doc: str
    handler: Callable[..., Iterable[Violation]] = field(compare=False, repr=False)
    aliases: tuple[str, ...] = ()
    default: bool = True

    def section(self, heading: str) -> str:
        """Return the text under ``## heading`` in the docstring ('' if absent)."""
        return _sections_of(self.doc).get(heading, "")


@dataclass(frozen=True, slots=True)
class DeprecatedRule:
    """A retired or renamed ID: selecting it selects ``replacements`` (possibly none)."""

    id: str
    format: str
    replacements: tuple[str, ...]
    reason: str


def doc_sections(doc: str) -> dict[str, str]:
    """Split a rule docstring into ``{heading: body}`` by its ``## `` headings."""
    sections: dict[str, str] = {}
    current: str | None = None
    lines: list[str] = []
    for line in doc.splitlines():
        match = re.match(r"^##\s+(.*?)\s*$", line)
        if match:
            if current is not None:
                sections[current] = "\n".join(lines).strip()
            current, lines = match.group(1), []
        elif current is not None:
            lines.append(line)
    if current is not None:
        sections[current] = "\n".join(lines).strip()
    return sections


@lru_cache(maxsize=None)
def _sections_of(doc: str) -> Mapping[str, str]:
    """:func:`doc_sections`, once per docstring: every finding asks its rule for the hint section."""
    return MappingProxyType(doc_sections(doc))


class Registry:
    """All rules, deprecated IDs and categories, per format."""

    def __init__(self) -> None:
        self.rules: dict[str, RuleSpec] = {}
        self.deprecated: dict[str, DeprecatedRule] = {}
        self.categories: dict[str, tuple[str, ...]] = {}  # format -> category IDs, strictest first

    def add(self, spec: RuleSpec) -> None:
        if spec.id in self.rules or spec.id in self.deprecated:
            raise ValueError(f"duplicate rule ID {spec.id}")
        self.rules[spec.id] = spec

    def for_format(self, fmt: str) -> list[RuleSpec]:
        """Rules of one format, sorted by ID."""
        load_rules(fmt)
        return sorted((r for r in self.rules.values() if r.format == fmt), key=lambda r: r.id)

    def get(self, rule_id: str) -> RuleSpec | None:
        """Find a rule by ID or alias (case-insensitive)."""
        spec = self._find(rule_id.upper())
        if spec is None and not _ALL_LOADED:  # it may be a rule of a format not loaded yet
            load_rules()
            return self._find(rule_id.upper())
        return spec

    def _find(self, key: str) -> RuleSpec | None:
        """A loaded rule by upper-case ID or alias."""
        if key in self.rules:
            return self.rules[key]
        for spec in self.rules.values():
            if key in (a.upper() for a in spec.aliases):
                return spec
        return None

    def all_names(self) -> list[str]:
        load_rules()
        names = list(self.rules) + list(self.deprecated)
        for spec in self.rules.values():
            names.extend(spec.aliases)
        for cats in self.categories.values():
            names.extend(cats)
        return sorted(set(names))

    def expand(self, names: Iterable[str], fmt: str | None = None, *, source: str = "selection") -> set[str]:
        """Turn rule IDs, aliases, deprecated IDs and categories into a set of rule IDs.

        Args:
            names: What the user wrote.
            fmt: Restrict category expansion to one format (``None``: all formats).
            source: Where the names come from, for the error message.

        Raises:
            ConfigError: An unknown name; the message lists the nearest valid names.
        """
        load_rules(*((fmt,) if fmt is not None else ()))
        out: set[str] = set()
        for raw in names:
            name = raw.strip()
            key = name.upper()
            matched = False
            for cat_fmt, cats in self.categories.items():
                if key in cats and (fmt is None or fmt == cat_fmt):
                    out.update(r.id for r in self.rules.values() if r.format == cat_fmt and key in r.categories)
                    matched = True
                elif key in cats:
                    matched = True
            if key in ("ALL", "*"):
                out.update(r.id for r in self.rules.values() if fmt is None or r.format == fmt)
                matched = True
            spec = self._find(key)
            if spec is not None:
                if fmt is None or spec.format == fmt:
                    out.add(spec.id)
                matched = True
            if key in self.deprecated:
                dep = self.deprecated[key]
                if fmt is None or dep.format == fmt:
                    out.update(dep.replacements)
                matched = True
            if not matched and not _ALL_LOADED:  # a name of a format not loaded yet
                load_rules()
                return self.expand(names, fmt, source=source)
            if not matched:
                import difflib

                near = difflib.get_close_matches(key, self.all_names(), n=3, cutoff=0.6)
                hint = f" (did you mean {', '.join(near)}?)" if near else ""
                raise ConfigError(f"unknown rule or category {name!r} in {source}{hint}",
                                  tip="`schemacheck rules` lists every rule ID and category.")
        return out

    def default_ids(self, fmt: str) -> set[str]:
        load_rules(fmt)
        return {r.id for r in self.rules.values() if r.format == fmt and r.default}


REGISTRY = Registry()


def register_categories(fmt: str, categories: Iterable[str]) -> None:
    """Declare the category IDs of a format, strictest first."""
    REGISTRY.categories[fmt] = tuple(c.upper() for c in categories)


def rule(
    rule_id: str,
    *,
    format: str,
    subject: str,
    categories: Iterable[str] = (),
    severity: Severity | str = Severity.ERROR,
    aliases: Iterable[str] = (),
    default: bool | None = None,
) -> Callable[[Callable[..., Iterator[Violation]]], Callable[..., Iterator[Violation]]]:
    """Declare a rule: decorate its function, whose docstring is its documentation.

    ``default`` is whether the rule runs with no selection; when ``None`` it is on for
    rules in the format's first (strictest default) category, and for formats without
    categories.
    """

    def decorate(func: Callable[..., Iterator[Violation]]) -> Callable[..., Iterator[Violation]]:
        doc = inspect.cleandoc(func.__doc__ or "")
        cats = tuple(c.upper() for c in categories)
        fmt_cats = REGISTRY.categories.get(format, ())
        is_default = default if default is not None else (not fmt_cats or (fmt_cats[0] in cats))
        REGISTRY.add(
            RuleSpec(
                id=rule_id,
                format=format,
                subject=subject,
                categories=cats,
                severity=Severity(severity),
                summary=doc.splitlines()[0].strip() if doc else "",
                doc=doc,
                handler=func,
                aliases=tuple(aliases),
                default=is_default,
            )
        )
        func.rule_id = rule_id  # type: ignore[attr-defined]
        return func

    return decorate


def deprecate(rule_id: str, *, format: str, replacements: Iterable[str] = (), reason: str = "") -> None:
    """Record a retired ID; selecting it selects its replacements."""
    REGISTRY.deprecated[rule_id] = DeprecatedRule(rule_id, format, tuple(replacements), reason)


#: Rule packages imported so far (format names), and whether every package is.
_LOADED: set[str] = set()
_ALL_LOADED = False


def load_rules(*formats: str) -> Registry:
    """Import the rule modules of ``formats`` (every format when none is named) once, filling
    :data:`REGISTRY`.

    A format's rules are the modules under ``schemacheck.rules.<format>``: adding a rule file,
    or a rule package for a new format, is enough; modules are discovered, not listed. A rule
    package whose rules build on another format's (Python DTOs on the shape engine's JSON
    Schema rules) names it in ``BUILDS_ON``; a format without a rule package has no rules.
    """
    global _ALL_LOADED
    if _ALL_LOADED:
        return REGISTRY
    from . import rules as rules_pkg

    if formats:
        for fmt in formats:
            _load_package(rules_pkg.__name__, fmt)
        return REGISTRY
    for info in pkgutil.iter_modules(rules_pkg.__path__):
        if info.ispkg:
            _load_package(rules_pkg.__name__, info.name)
    _ALL_LOADED = True
    return REGISTRY


def _load_package(parent: str, fmt: str) -> None:
    if fmt in _LOADED:
        return
    _LOADED.add(fmt)
    name = f"{parent}.{fmt}"
    if importlib.util.find_spec(name) is None:
        return
    package = importlib.import_module(name)
    for other in getattr(package, "BUILDS_ON", ()):
        _load_package(parent, other)
    for info in pkgutil.walk_packages(package.__path__, prefix=name + "."):
        importlib.import_module(info.name)
