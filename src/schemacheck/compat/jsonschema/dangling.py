"""What an unresolved ``$ref`` in the head revision means: a removed target, an input error, or a warning.

Maintainers: the head :class:`RefResolver` records every reference the comparison could not
follow. Each is looked up again in the base revision (same referring file, through renames):

- it resolved there: its target was removed or renamed, a ``REF_TARGET_REMOVED`` finding;
- otherwise a repository target that is missing or does not load is an input error
  (exit 2, at the ``"$ref"``): the head schema cannot be used as written;
- a remote URI (never fetched), a path outside the repository, an unknown ``$id`` or a
  ``$ref``-only cycle stays a warning: we cannot tell, so we say so.
"""

from __future__ import annotations

from collections.abc import Mapping

from ...formats.jsonschema.document import JsonDocument, pointer_join
from ...formats.jsonschema.ids import retrieval_uri
from ...formats.jsonschema.refs import RefResolver, ResolvedRef, Unresolved
from ...model import Diagnostic, Finding, Location, Severity
from .file_changes import REF_RULE, RemovedRef, file_findings

__all__ = ["unresolved_outcome", "ERROR_KINDS"]

#: Kinds of :class:`Unresolved` that are input errors when the reference is new.
ERROR_KINDS = frozenset({"missing", "unreadable"})
#: Kinds never compared with the base (the base cannot have resolved them differently).
_NEVER_REMOVED = frozenset({"cycle", "outside"})
_REMOTE_TIP = ("The referring schema was compared as 'anything'; vendor the remote schema into the repository "
               "to check it.")


def unresolved_outcome(new_refs: RefResolver, old_refs: RefResolver, old_of: Mapping[str, str],
                       selected: frozenset[str], severity: dict | None = None
                       ) -> tuple[list[Finding], list[Diagnostic]]:
    """Findings and diagnostics for every reference the head resolver could not follow.

    Args:
        new_refs: The head revision's resolver (its ``unresolved`` is read).
        old_refs: The base revision's resolver (used to resolve the same references).
        old_of: Head path -> base path for renamed files.
        selected: Rule IDs of the run.
        severity: ``[severity]`` overrides.
    """
    findings: list[Finding] = []
    diagnostics: list[Diagnostic] = []
    for (path, target), unresolved in sorted(new_refs.unresolved.items()):
        location = unresolved.location or Location(path)
        before = None if unresolved.kind in _NEVER_REMOVED else _in_base(unresolved, path, target, old_refs, old_of)
        if before is not None:
            resolved, base_location = before
            shown = "" if resolved.document.path == path else resolved.document.path
            shown += f"#{resolved.pointer}" if resolved.pointer else ""
            findings.extend(file_findings(REF_RULE, RemovedRef(unresolved.ref, unresolved.reason, location,
                                                               base_location, shown), selected, severity))
        elif unresolved.kind in ERROR_KINDS:
            diagnostics.append(Diagnostic(unresolved.message, location, Severity.ERROR,
                                          "Point the $ref at an existing file, definition or anchor."))
        else:
            diagnostics.append(Diagnostic(unresolved.message, location, Severity.WARNING,
                                          _REMOTE_TIP if unresolved.kind == "remote" else ""))
    return findings, diagnostics


def _in_base(unresolved: Unresolved, path: str, target: str, old_refs: RefResolver,
             old_of: Mapping[str, str]) -> tuple[ResolvedRef, Location | None] | None:
    """Where the same reference led in base, and where it was written there (``None``: it did not resolve)."""
    old_path = old_of.get(path, path)
    old_doc = old_refs.document(old_path)
    if not isinstance(old_doc, JsonDocument):
        return None
    ref_pointer = pointer_join(unresolved.pointer, "$ref")
    if old_doc.get(ref_pointer) == unresolved.ref:  # the same $ref at the same place
        result = old_refs.resolve(old_doc, unresolved.ref, unresolved.pointer)
        base_location = old_doc.location(ref_pointer) if old_doc.span(ref_pointer) is not None else None
    else:  # it moved, or it is new: resolve the absolute target it had in head
        if old_path != path:
            target = target.replace(retrieval_uri(path), retrieval_uri(old_path), 1)
        result = old_refs.resolve(old_doc, target, "")
        base_location = None
    return (result, base_location) if isinstance(result, ResolvedRef) else None
