"""``--format gitlab``: a GitLab Code Quality report, which merge requests show inline.

Maintainers: GitLab reads a JSON array of issues, each with ``description``, ``check_name``,
``fingerprint`` (unique per issue), ``severity`` (``info``, ``minor``, ``major``, ``critical``,
``blocker``) and ``location.path`` + ``location.lines.begin`` (the documented subset of the
Code Climate spec; tests validate against ``tests/schemas/gitlab-codequality.schema.json``).
Breaking changes at severity error are ``critical``, warnings ``minor``, infos ``info``. A
deletion is placed at ``Finding.anchor`` (the head line the diff shows); a deleted file at its
base path, line 1. Input problems with a file are issues too (``check_name``
``schemacheck/input``); accepted findings are left out (GitLab has no notion of a suppressed
issue). Fingerprints hash the same line-number-free key as SARIF's, plus the path and an
occurrence number, so an issue keeps its identity when lines move.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from ..model import CheckResult, Location, Severity
from .base import TOOL_NAME, ReportContext, Reporter, base_location, json_safe, sorted_diagnostics, sorted_findings
from .sarif import fingerprint_key

__all__ = ["GitlabReporter", "GITLAB_SEVERITY"]

#: Our severities on GitLab's scale.
GITLAB_SEVERITY = {Severity.ERROR: "critical", Severity.WARNING: "minor", Severity.INFO: "info"}


def _location(loc: Location) -> dict[str, Any]:
    begin = max(loc.line, 1)
    lines = {"begin": begin}
    if loc.end_line > begin:
        lines["end"] = loc.end_line
    return {"path": loc.path, "lines": lines}


class GitlabReporter(Reporter):
    """Code Quality issues for ``artifacts: reports: codequality``."""

    name = "gitlab"

    def render(self, result: CheckResult, ctx: ReportContext) -> str:
        issues: list[dict[str, Any]] = []
        seen: dict[str, int] = {}

        def fingerprint(key: str) -> str:
            digest = hashlib.sha256(key.encode()).hexdigest()
            seen[digest] = seen.get(digest, 0) + 1
            return hashlib.sha256(f"{digest}:{seen[digest]}".encode()).hexdigest()[:32]

        for finding in sorted_findings(result.findings):
            where = finding.anchor or finding.location or base_location(finding, ctx)
            if where is None:
                continue
            text = finding.message + (f" Fix: {finding.hint}" if finding.hint else "")
            key = fingerprint_key(finding, ctx.line_text(finding.location))
            issues.append({
                "type": "issue",
                "description": f"{finding.rule_id}: {text}",
                "check_name": finding.rule_id,
                "fingerprint": fingerprint(f"{where.path}\x00{key}"),
                "severity": GITLAB_SEVERITY[finding.severity],
                "categories": ["Compatibility"],
                "location": _location(where),
            })
        for diagnostic in sorted_diagnostics(result.diagnostics):
            if diagnostic.location is None or not diagnostic.location.path:
                continue
            text = diagnostic.message + (f" Tip: {diagnostic.tip}" if diagnostic.tip else "")
            issues.append({
                "type": "issue",
                "description": f"{TOOL_NAME}: {text}",
                "check_name": f"{TOOL_NAME}/input",
                "fingerprint": fingerprint(f"{diagnostic.location.path}\x00{diagnostic.message}"),
                "severity": "blocker" if diagnostic.severity is Severity.ERROR else GITLAB_SEVERITY[diagnostic.severity],
                "categories": ["Bug Risk"],
                "location": _location(diagnostic.location),
            })
        return json_safe(json.dumps(issues, indent=2, ensure_ascii=False)) + "\n"
