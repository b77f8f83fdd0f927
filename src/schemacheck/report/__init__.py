"""Reporters: turn a CheckResult into text, JSON, SARIF, GitHub annotations, Markdown, JUnit XML
or a GitLab Code Quality report.

Maintainers: ``REPORTER_BY_NAME`` is the one table of output formats; the CLI builds its
``--format`` choices from it (check-jsonschema style). Each format lives in its own module and
imports its heavy dependency (rich, pydantic) only inside ``render``, so importing this
package stays cheap. Reporters only format: they never print, read files or git, or decide
the exit code.
"""

from __future__ import annotations

from ..errors import UsageError
from .base import PROJECT_URL, RULE_DOCS_URL, ReportContext, Reporter, lines_from_reader, lines_from_texts, rule_doc_url
from .color import use_color
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

#: Output formats by ``--format`` name; the first is the default.
REPORTER_BY_NAME: dict[str, type[Reporter]] = {
    cls.name: cls for cls in (TextReporter, JsonReporter, SarifReporter, GithubReporter, MarkdownReporter,
                              JunitReporter, GitlabReporter)
}


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
