"""``--format sarif``: one SARIF 2.1.0 run for GitHub code scanning and other SARIF viewers.

Maintainers, the choices GitHub forces (see the SARIF section of the reference notes):

* URIs are repository-relative, percent-encoded POSIX paths with ``uriBaseId: "%SRCROOT%"``;
  ``originalUriBaseIds`` maps ``%SRCROOT%`` to ``repo_root`` when the CLI knows it. A file
  outside it (only ``schemacheck contract`` names one) has an absolute ``file://`` URI.
* Regions are 1-based with ``startColumn >= 1`` (0 makes an upload fail). A whole-file
  location (line 0) becomes ``startLine: 1``.
* A deletion is placed where a reviewer sees it: at ``Finding.anchor`` (the nearest surviving
  head line the pull request's diff shows, or the renamed file), with the element's enclosing
  head location as a second related location. A finding with neither (its file was deleted and
  not renamed) is reported at its **base** path and region; ``properties.baseOnly`` marks it.
* The base location is a related location in the **base** tree: its own uriBaseId
  ``BASEROOT`` (described as the base revision; on GitHub Actions its ``uri`` is the base
  commit's tree on the web), never ``%SRCROOT%``, which is the head checkout.
* Findings accepted by inline ``schemacheck:ignore`` directives are results too, with a
  ``suppressions`` entry (``kind: inSource``, the directive's reason as ``justification``, the
  directive's location), so viewers show them as suppressed rather than not at all.
* ``partialFingerprints.primaryLocationLineHash`` is ours: a hash of rule ID, subject and the
  whitespace-free text of the head line (of a window around the column when the line is
  long; never the line number), plus ``:n`` for the n-th
  identical key, so an alert survives unrelated edits above it.
* ``snippet`` and ``contextRegion`` copy at most a window of the line (``base.line_window``),
  never a whole minified file per finding.
* Diagnostics (input errors) go to ``invocations[0].toolExecutionNotifications``.
* Above ``MAX_RESULTS`` (GitHub's per-run limit, which otherwise rejects the whole file) the
  most severe findings are kept and a warning notification says how many were left out.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import quote

from ..model import Accepted, CheckResult, Diagnostic, Finding, Location
from .base import (PROJECT_URL, TOOL_NAME, WINDOW_CHARS, ReportContext, Reporter, base_location, json_safe, line_window,
                   sorted_diagnostics,
                   sorted_findings)
from .sarif_rules import SARIF_LEVEL, rule_descriptor

__all__ = ["SarifReporter", "SARIF_SCHEMA_URI", "SRCROOT", "BASEROOT", "MAX_RESULTS", "build_sarif", "fingerprint_key"]

SARIF_SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
_SEMVER = re.compile(r"\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?")
#: The uriBaseId every artifact location is relative to: the repository root.
SRCROOT = "%SRCROOT%"
#: The uriBaseId of base-revision locations: the root of the base tree (not the checkout).
BASEROOT = "BASEROOT"
#: GitHub rejects a whole upload with more results than this in one run.
MAX_RESULTS = 25_000


def _uri(path: str) -> str:
    return quote(path.replace("\\", "/").lstrip("/"), safe="/")


def _artifact(path: str, root: str = SRCROOT) -> dict[str, str]:
    """A file under ``root`` (%SRCROOT%, or BASEROOT for the base revision) by relative URI; one
    outside the repository (``schemacheck contract`` on a downloaded spec: an absolute or ``../``
    path) by absolute ``file://`` URI, with no base."""
    posix = path.replace("\\", "/")
    if posix.startswith(("/", "../")) or posix == "..":
        return {"uri": Path(posix).resolve().as_uri()}
    return {"uri": _uri(path), "uriBaseId": root}


def _region(loc: Location) -> dict[str, int]:
    if loc.line < 1:
        return {"startLine": 1}
    start_col = max(loc.column, 1)
    region = {"startLine": loc.line, "startColumn": start_col}
    end_line = max(loc.end_line, loc.line)
    if loc.end_line >= loc.line and loc.end_column >= 1:
        if end_line > loc.line or loc.end_column > start_col:
            region["endLine"] = end_line
            region["endColumn"] = loc.end_column
    return region


def _physical(loc: Location, line_text: str | None = None, root: str = SRCROOT) -> dict[str, Any]:
    region: dict[str, Any] = _region(loc)
    physical: dict[str, Any] = {
        "artifactLocation": _artifact(loc.path, root),
        "region": region,
    }
    if line_text is not None and loc.line >= 1 and region.get("endLine", loc.line) == loc.line:
        # Single-line span: the snippet is the span, the context is a window of the line around
        # it (the whole line when short), which the validator requires to be a proper superset
        # of the region. Nothing longer than a window is copied: a minified one-line schema
        # would otherwise be written into the log once per finding.
        start = region["startColumn"] - 1
        end = region.get("endColumn", len(line_text) + 1) - 1
        if "endColumn" in region and end - start <= WINDOW_CHARS:
            region["snippet"] = {"text": line_text[start:end]}
        window = line_window(line_text, start + 1, end + 1)
        w_start, w_end = window.start, window.start + len(window.text)
        if w_start <= start and end <= w_end and (w_start < start or end < w_end):
            context: dict[str, Any] = {"startLine": loc.line}
            if window.clipped_left or window.clipped_right:
                context["startColumn"], context["endColumn"] = w_start + 1, w_end + 1
            context["snippet"] = {"text": window.text}
            physical["contextRegion"] = context
    return {"physicalLocation": physical}


def fingerprint_key(finding: Finding, line_text: str | None) -> str:
    """The line-number-free text hashed into ``primaryLocationLineHash``.

    Args:
        finding: The finding.
        line_text: Its head source line, if known; whitespace is dropped so re-indenting
            does not change the fingerprint. Without it the message stands in.
    """
    if line_text is not None and finding.location is not None and len(line_text) > WINDOW_CHARS:
        line_text = line_window(line_text, finding.location.column).text  # a long line: its window
    anchor = "".join(line_text.split()) if line_text is not None else finding.message
    return "\x00".join((finding.rule_id, finding.subject or finding.path, anchor))


def _result(finding: Finding, rule_index: int, fingerprint: str, base_label: str, ctx: ReportContext,
            accepted: Accepted | None = None) -> dict[str, Any]:
    text = finding.message.strip() or finding.rule_id
    if finding.hint:
        text += f"\n\nHow to fix: {finding.hint.strip()}"
    result: dict[str, Any] = {
        "ruleId": finding.rule_id,
        "ruleIndex": rule_index,
        "level": SARIF_LEVEL[finding.severity],
        "message": {"text": text},
        "partialFingerprints": {"primaryLocationLineHash": fingerprint},
    }
    related: list[dict[str, Any]] = []
    if (base_loc := base_location(finding, ctx)) is not None:
        label = f" ({base_label})" if base_label else ""
        # a contract's related element is in the head tree (the producer); else the base revision's
        was = _physical(base_loc, root=SRCROOT if finding.related else BASEROOT)
        was["id"] = 1
        was["message"] = {"text": f"{finding.related.capitalize()}: {base_loc}" if finding.related
                          else f"Base revision{label}: {base_loc}"}
        related.append(was)
    primary = finding.anchor or finding.location
    if primary is not None:
        result["locations"] = [_physical(primary, ctx.line_text(primary))]
        if finding.anchor is not None and finding.location is not None and finding.location != finding.anchor:
            enclosing = _physical(finding.location)
            enclosing["id"] = 2
            enclosing["message"] = {"text": f"Enclosing element in head: {finding.location}"}
            related.append(enclosing)
    elif base_loc is not None:
        result["locations"] = [_physical(base_loc)]
    if related:
        result["relatedLocations"] = related
    if accepted is not None:
        suppression: dict[str, Any] = {"kind": "inSource", "location": _physical(accepted.directive)}
        if accepted.reason.strip():
            suppression["justification"] = accepted.reason.strip()
        result["suppressions"] = [suppression]
    props: dict[str, Any] = {}
    if finding.subject:
        props["subject"] = finding.subject
    if finding.format:
        props["format"] = finding.format
    if finding.location is None and finding.anchor is None:
        props["baseOnly"] = True
    if props:
        result["properties"] = props
    return result


def _notification(diagnostic: Diagnostic) -> dict[str, Any]:
    text = diagnostic.message.strip() or "Input problem."
    if diagnostic.tip:
        text += f"\n\nTip: {diagnostic.tip.strip()}"
    note: dict[str, Any] = {"level": SARIF_LEVEL[diagnostic.severity], "message": {"text": text}}
    if diagnostic.location is not None and diagnostic.location.path:
        note["locations"] = [_physical(diagnostic.location)]
    return note


def _root_uri(repo_root: str) -> str:
    uri = Path(repo_root).resolve().as_uri()
    return uri if uri.endswith("/") else uri + "/"


def build_sarif(result: CheckResult, ctx: ReportContext) -> dict[str, Any]:
    """The SARIF log as a JSON-ready dict (one run).

    Args:
        result: Findings and diagnostics of one run.
        ctx: Tool version, head source lines (for fingerprints), rule lookup, repo root,
            base label and optional ``sarif_category``.
    """
    accepted_by = {id(a.finding): a for a in result.accepted}
    findings = sorted_findings([*result.findings, *(a.finding for a in result.accepted)])
    omitted = max(len(findings) - MAX_RESULTS, 0)
    if omitted:  # the most severe first, accepted ones last
        ranked = sorted(findings, key=lambda f: (id(f) in accepted_by, -f.severity.rank))
        keep = set(map(id, ranked[:MAX_RESULTS]))
        findings = [f for f in findings if id(f) in keep]
    rule_ids = sorted({f.rule_id for f in findings})
    index = {rule_id: i for i, rule_id in enumerate(rule_ids)}
    base_label, _ = ctx.labels(result)
    seen: dict[str, int] = {}
    results = []
    for finding in findings:
        line_text = ctx.line_text(finding.location)
        digest = hashlib.sha256(fingerprint_key(finding, line_text).encode()).hexdigest()[:32]
        seen[digest] = seen.get(digest, 0) + 1
        results.append(_result(finding, index[finding.rule_id], f"{digest}:{seen[digest]}", base_label, ctx,
                               accepted_by.get(id(finding))))
    diagnostics = sorted_diagnostics(result.diagnostics)
    invocation: dict[str, Any] = {
        "executionSuccessful": not any(d.severity.rank >= 3 for d in diagnostics),
        "toolExecutionNotifications": [_notification(d) for d in diagnostics],
    }
    if omitted:
        invocation["toolExecutionNotifications"].append({
            "level": "warning",
            "message": {"text": f"{omitted} less severe findings were left out: GitHub accepts at most "
                                f"{MAX_RESULTS} results per run. Use --format json for all of them."},
        })
    srcroot: dict[str, Any] = {"description": {"text": "The root of the git repository."}}
    if ctx.repo_root:
        srcroot["uri"] = _root_uri(ctx.repo_root)
        invocation["workingDirectory"] = {"uri": srcroot["uri"]}
    bases: dict[str, Any] = {SRCROOT: srcroot}
    if any(f.base_location is not None for f in findings):
        label = f" ({base_label})" if base_label else ""
        baseroot: dict[str, Any] = {"description": {"text": f"The root of the base revision{label}."}}
        if ctx.base_root_uri:
            baseroot["uri"] = ctx.base_root_uri if ctx.base_root_uri.endswith("/") else ctx.base_root_uri + "/"
        bases[BASEROOT] = baseroot
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": TOOL_NAME,
                "version": ctx.tool_version,
                "informationUri": PROJECT_URL,
                "rules": [rule_descriptor(rule_id, ctx.rules(rule_id)) for rule_id in rule_ids],
            }
        },
        "invocations": [invocation],
        "originalUriBaseIds": bases,
        "columnKind": "unicodeCodePoints",
        "results": results,
    }
    if _SEMVER.fullmatch(ctx.tool_version):
        run["tool"]["driver"]["semanticVersion"] = ctx.tool_version
    if ctx.sarif_category:
        run["automationDetails"] = {"id": ctx.sarif_category}
    return {"$schema": SARIF_SCHEMA_URI, "version": "2.1.0", "runs": [run]}


class SarifReporter(Reporter):
    """SARIF 2.1.0 for ``github/codeql-action/upload-sarif`` and IDE viewers."""

    name = "sarif"

    def render(self, result: CheckResult, ctx: ReportContext) -> str:
        return json_safe(json.dumps(build_sarif(result, ctx), indent=2, ensure_ascii=False)) + "\n"
