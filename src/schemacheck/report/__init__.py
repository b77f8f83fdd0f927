"""Reporters: turn a CheckResult into text, JSON, SARIF, GitHub annotations, Markdown, JUnit XML
or a GitLab Code Quality report.

Maintainers: ``REPORTER_BY_NAME`` is the one table of output formats; the CLI builds its
``--format`` choices from it (check-jsonschema style). Each format lives in its own module,
imported when its reporter is first looked up (a text run never imports the JSON, SARIF or
JUnit modules), and imports its heavy dependency (rich) only inside ``render``, so importing
this package stays cheap. Reporters only format: they never print, read files or git, or decide
the exit code.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from importlib import import_module
from typing import TYPE_CHECKING, Any

from ..errors import UsageError
from .base import PROJECT_URL, RULE_DOCS_URL, ReportContext, Reporter, lines_from_reader, lines_from_texts, rule_doc_url
from .color import use_color

if TYPE_CHECKING:
    from .github import GithubReporter
    from .gitlab import GitlabReporter
    from .json_report import JsonReporter
    from .junit import JunitReporter
    from .markdown import MarkdownReporter
    from .sarif import SarifReporter
    from .text import TextReporter

__all__ = [
    "PROJECT_URL",
    "REPORTER_BY_NAME",
    "RULE_DOCS_URL",
    "GithubReporter",
    "GitlabReporter",
    "JsonReporter",
    "JunitReporter",
    "MarkdownReporter",
    "ReportContext",
    "Reporter",
    "SarifReporter",
    "TextReporter",
    "get_reporter",
    "lines_from_reader",
    "lines_from_texts",
    "rule_doc_url",
    "use_color",
]

#: ``--format`` name -> ``(module, class)`` of its reporter; the first is the default.
_WHERE: dict[str, tuple[str, str]] = {
    "text": ("text", "TextReporter"),
    "json": ("json_report", "JsonReporter"),
    "sarif": ("sarif", "SarifReporter"),
    "github": ("github", "GithubReporter"),
    "markdown": ("markdown", "MarkdownReporter"),
    "junit": ("junit", "JunitReporter"),
    "gitlab": ("gitlab", "GitlabReporter"),
}
_NAME_OF_CLASS = {cls: name for name, (_module, cls) in _WHERE.items()}


class _Reporters(Mapping[str, "type[Reporter]"]):
    """The format table as a mapping whose values are imported when first looked up: a run
    writing text never imports the SARIF, JUnit (xml) or JSON reporters."""

    def __getitem__(self, name: str) -> type[Reporter]:
        module, cls = _WHERE[name]
        return getattr(import_module(f"{__name__}.{module}"), cls)

    def __iter__(self) -> Iterator[str]:
        return iter(_WHERE)

    def __len__(self) -> int:
        return len(_WHERE)


#: Output formats by ``--format`` name; the first is the default.
REPORTER_BY_NAME: Mapping[str, type[Reporter]] = _Reporters()


def __getattr__(name: str) -> Any:
    """The reporter classes (``TextReporter``...), imported on first use (PEP 562)."""
    if name in _NAME_OF_CLASS:
        return REPORTER_BY_NAME[_NAME_OF_CLASS[name]]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def get_reporter(name: str) -> Reporter:
    """An instance of the reporter called ``name``.

    Raises:
        UsageError: ``name`` is not a known format; the message lists the valid ones.
    """
    try:
        return REPORTER_BY_NAME[name.lower()]()
    except KeyError:
        raise UsageError(
            f"unknown output format {name!r}; choose one of {', '.join(REPORTER_BY_NAME)}"
        ) from None
