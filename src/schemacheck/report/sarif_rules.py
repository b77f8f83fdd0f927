"""SARIF ``reportingDescriptor`` objects built from a rule's docstring (its one documentation).

Maintainers: GitHub code scanning shows ``shortDescription`` as the rule title,
``fullDescription`` under it and ``help.markdown`` (preferred over ``help.text``) in the alert
panel; the first two are capped at 1024 characters and no required text may be empty.
Unknown rule IDs (a rule removed between runs) still get a usable descriptor.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..model import Severity
from .base import rule_doc_url

if TYPE_CHECKING:
    from ..registry import RuleSpec

__all__ = ["SARIF_LEVEL", "rule_descriptor", "pascal_name"]

#: Our severities as SARIF result levels.
SARIF_LEVEL: dict[Severity, str] = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}

_MAX_DESCRIPTION = 1024
_MAX_TAGS = 20


def pascal_name(rule_id: str) -> str:
    """``FIELD_NO_DELETE`` -> ``FieldNoDelete`` (SARIF's conventional rule ``name``)."""
    return "".join(part.capitalize() for part in rule_id.split("_") if part) or rule_id


def _clip(text: str, limit: int = _MAX_DESCRIPTION) -> str:
    text = text.strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "\u2026"


def _sections(spec: RuleSpec) -> list[tuple[str, str]]:
    from ..registry import doc_sections

    return [(heading, body) for heading, body in doc_sections(spec.doc).items() if body]


def rule_descriptor(rule_id: str, spec: RuleSpec | None) -> dict[str, Any]:
    """The SARIF ``reportingDescriptor`` of one rule.

    Args:
        rule_id: The ID findings carry (used even when ``spec`` knows it under an alias).
        spec: The registered rule, or ``None`` when the ID is unknown to this run.

    Returns:
        A JSON-ready dict with id, name, descriptions, help, helpUri, default level, tags.
    """
    url = rule_doc_url(rule_id)
    if spec is None:
        text = f"Rule {rule_id} (no documentation available in this version of schemacheck)."
        return {
            "id": rule_id,
            "name": pascal_name(rule_id),
            "shortDescription": {"text": text},
            "fullDescription": {"text": text},
            "help": {"text": f"{text} See {url}", "markdown": f"{text} See [{rule_id}]({url})."},
            "helpUri": url,
        }
    sections = _sections(spec)
    summary = spec.summary or rule_id
    what = spec.section("What it does") or summary
    help_text = "\n\n".join(f"{heading}\n{body}" for heading, body in sections) or summary
    help_markdown = "\n\n".join(f"## {heading}\n\n{body}" for heading, body in sections) or summary
    tags = list(dict.fromkeys((*spec.categories, spec.format)))
    return {
        "id": rule_id,
        "name": pascal_name(rule_id),
        "shortDescription": {"text": _clip(summary)},
        "fullDescription": {"text": _clip(what)},
        "help": {
            "text": f"{help_text}\n\nDocumentation: {url}",
            "markdown": f"**{rule_id}**: {summary}\n\n{help_markdown}\n\n[Rule documentation]({url})",
        },
        "helpUri": url,
        "defaultConfiguration": {"level": SARIF_LEVEL[spec.severity]},
        "properties": {"tags": [t for t in tags if t][:_MAX_TAGS]},
    }
