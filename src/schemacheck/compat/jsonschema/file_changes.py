"""File-level JSON Schema changes the shape engine cannot see: deleted files, dangling ``$ref``s, removed definitions.

Maintainers: the shape engine compares what a root schema reaches; these changes are about
the files themselves (a schema file or a bundle definition that disappeared, a ``$ref`` that
resolved in base and no longer does). The checker builds one frozen subject per change and
:func:`file_findings` runs the rule declared for it (``rules/jsonschema/files.py``, subject
``file``) when it is selected, turning its violations into findings. Rules stay free of
git, documents and resolvers: a subject carries every location and name they need.
"""

from __future__ import annotations

from dataclasses import dataclass

from ...model import Finding, Location, Severity

__all__ = ["DeletedFile", "RemovedRef", "RemovedDefinition", "file_findings",
           "DELETE_RULE", "REF_RULE", "DEFINITION_RULE"]

DELETE_RULE = "SCHEMA_FILE_NO_DELETE"
REF_RULE = "REF_TARGET_REMOVED"
DEFINITION_RULE = "DEFINITION_REMOVED"


@dataclass(frozen=True, slots=True)
class DeletedFile:
    """A schema file of base that head neither has nor renamed.

    Attributes:
        path: The base path.
    """

    path: str


@dataclass(frozen=True, slots=True)
class RemovedRef:
    """A ``$ref`` that resolved in base and does not in head.

    Attributes:
        ref: The reference as written in head.
        reason: Why it does not resolve in head (one clause).
        location: The ``"$ref"`` member in head.
        base_location: The same ``$ref`` in base (``None`` when it moved).
        target: Where it pointed in base (``money.json#/$defs/Amount``).
    """

    ref: str
    reason: str
    location: Location | None
    base_location: Location | None
    target: str


@dataclass(frozen=True, slots=True)
class RemovedDefinition:
    """A top-level ``$defs``/``definitions`` entry of base that head no longer has.

    Attributes:
        path: The head path of the file.
        pointer: The definition's pointer in base (``/$defs/Money``).
        location: Where the definitions object (or the root) is in head.
        base_location: The definition in base.
        needed_because: Why something may still need it (``a.json still refers to it``);
            ``""`` when nothing at the new revision refers to it (then it is only info).
    """

    path: str
    pointer: str
    location: Location | None
    base_location: Location | None
    needed_because: str = ""


def file_findings(rule_id: str, subject: object, selected: frozenset[str],
                  severity: dict[str, str] | None = None) -> list[Finding]:
    """Run ``rule_id`` on ``subject`` if it is declared and selected (empty ``selected``: no rule).

    Args:
        rule_id: A rule declared with subject ``file``.
        subject: One of :class:`DeletedFile`, :class:`RemovedRef`, :class:`RemovedDefinition`.
        selected: The rule IDs of the run.
        severity: ``[severity]`` overrides of the configuration.
    """
    from ...registry import REGISTRY, load_rules

    load_rules()
    spec = REGISTRY.rules.get(rule_id)
    if spec is None or rule_id not in selected:
        return []
    level = Severity((severity or {}).get(rule_id, spec.severity))
    default_hint = " ".join(spec.section("How to change this safely").split())
    return [Finding(rule_id=rule_id, severity=level, message=v.message, location=v.location,
                    base_location=v.base_location, hint=v.hint or default_hint, format="jsonschema",
                    subject=v.subject)
            for v in spec.handler(subject, None)]
