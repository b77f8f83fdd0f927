"""GOOGLE_API rules on fields and resources: `google.api.field_behavior` (AIP-203),
`google.api.resource_reference` and `google.api.resource` patterns (AIP-122/123).

Maintainers: not buf rules; off by default (``default=False``) and switched on by the protobuf
checker when checked files import ``google/api/`` (``compat/protobuf/google_api.py``).
Annotations are read by ``_google_api.py``; findings point at the option statement.
"""

from __future__ import annotations

from collections.abc import Iterator

from ...compat.protobuf.elements import Field, Message
from ...compat.protobuf.image import CheckContext, Pair
from ...model import Location
from ...registry import Violation, rule
from ._common import PROTOBUF, violation
from ._fieldinfo import describe, field_span, message_span
from ._google_api import FIELD_BEHAVIOR, GOOGLE_API, RESOURCE, RESOURCE_REFERENCE, annotation_span, \
    field_behaviors, quoted, resource_patterns, resource_reference

_ADDED_CONSTRAINT = {
    "OUTPUT_ONLY": "values clients send in it are now ignored or rejected",
    "INPUT_ONLY": "responses no longer return it to clients that read it",
    "IMMUTABLE": "updates that change it after creation are now rejected",
}
_REMOVED_SERVER_SET = {
    "OUTPUT_ONLY": "clients that echo a fetched resource back now overwrite a value the server used to own",
    "IDENTIFIER": "the server no longer treats it as the resource's name, so updates keyed by it stop working",
}


def _behavior_span(field: Field) -> Location:
    return annotation_span(field, FIELD_BEHAVIOR, field_span(field))


def _listed(names: Iterator[str] | set[str] | frozenset[str]) -> str:
    return ", ".join(sorted(names))


@rule("FIELD_BEHAVIOR_NO_ADD_REQUIRED", format=PROTOBUF, subject="message", categories=GOOGLE_API, default=False)
def field_behavior_no_add_required(pair: Pair[Message], ctx: CheckContext) -> Iterator[Violation]:
    """Flags a field of an existing message that became, or was added as, `REQUIRED`.

    ## What it does
    Reads `(google.api.field_behavior)` of every field of each message present in both
    revisions and reports a field that carries `REQUIRED` now but did not before, including a
    new field added with it. Adding `OPTIONAL`, or dropping `REQUIRED`, is not reported.

    ## Why is this breaking?
    AIP-203: servers reject requests that leave a `REQUIRED` field unset, and client libraries
    make it a mandatory argument. Existing callers never set the field, so every one of their
    requests now fails with `INVALID_ARGUMENT`, and regenerated clients stop compiling. The wire
    format is unchanged, which is why buf does not see it.

    ## Example
    Before:
    ```proto
    message CreateBookRequest { string parent = 1; Book book = 2; }
    ```
    After:
    ```proto
    message CreateBookRequest {
      string parent = 1 [(google.api.field_behavior) = REQUIRED];
      Book book = 2;
    }
    ```

    ## How to change this safely
    Keep the field optional and give it a server-side default; make it required only in a
    new API version.

    ## Known false positives
    A `REQUIRED` field added to a message that only servers write (a response) breaks no
    caller; the rule cannot tell requests from responses. Suppress it on that line.

    ## References
    - AIP-203 (Field behavior documentation), AIP-180 (Backwards compatibility).
    - proto-breaking-change-detector `FIELD_BEHAVIOR_CHANGE`, `NEW_REQUIRED_FIELD`.
    - Category `GOOGLE_API`, on by default when the changed files import `google/api/` or
      `google/longrunning/`: see docs/google-api.md.
    """
    old_fields = {f.number: f for f in pair.old.fields()}
    for field in pair.new.fields():
        if "REQUIRED" not in field_behaviors(field, ctx.new):
            continue
        before = old_fields.get(field.number)
        if before is not None and "REQUIRED" in field_behaviors(before, ctx.old):
            continue
        what = "was added as REQUIRED" if before is None else "became REQUIRED"
        yield violation(
            f"{describe(field)} {what} (google.api.field_behavior): existing callers that do not set it "
            "now get INVALID_ARGUMENT.",
            _behavior_span(field), _behavior_span(before) if before is not None else None,
            hint="Keep the field optional with a server-side default; require it only in a new API version.",
            subject=field.full_name)


@rule("FIELD_BEHAVIOR_NO_ADD_CONSTRAINT", format=PROTOBUF, subject="field", categories=GOOGLE_API, default=False)
def field_behavior_no_add_constraint(pair: Pair[Field], ctx: CheckContext) -> Iterator[Violation]:
    """Flags an existing field that gained `OUTPUT_ONLY`, `INPUT_ONLY` or `IMMUTABLE`.

    ## What it does
    Compares `(google.api.field_behavior)` of fields paired by number and reports each of
    `OUTPUT_ONLY`, `INPUT_ONLY` and `IMMUTABLE` present now but not before.

    ## Why is this breaking?
    AIP-203 lists these as breaking: a field that becomes `OUTPUT_ONLY` silently drops (or
    rejects) what clients write into it; one that becomes `INPUT_ONLY` is no longer returned to
    clients that read it; one that becomes `IMMUTABLE` makes updates that change it fail.
    Generated clients may also stop exposing setters or getters.

    ## Example
    Before:
    ```proto
    message Book { string title = 2; }
    ```
    After:
    ```proto
    message Book { string title = 2 [(google.api.field_behavior) = IMMUTABLE]; }
    ```

    ## How to change this safely
    Introduce the restriction in a new API version, or add a new field with the new behavior
    and deprecate the old one.

    ## References
    - AIP-203 (Field behavior documentation), AIP-180 (Backwards compatibility).
    - Category `GOOGLE_API`, on by default when the changed files import `google/api/` or
      `google/longrunning/`: see docs/google-api.md.
    """
    added = (field_behaviors(pair.new, ctx.new) - field_behaviors(pair.old, ctx.old)) & set(_ADDED_CONSTRAINT)
    if not added:
        return
    reasons = "; ".join(_ADDED_CONSTRAINT[name] for name in sorted(added))
    yield violation(
        f"{describe(pair.new)} gained field behavior {_listed(added)}: {reasons}.",
        _behavior_span(pair.new), _behavior_span(pair.old),
        hint=f"Remove {_listed(added)} from the field, or add a new field with that behavior and deprecate this one.",
        subject=pair.new.full_name)


@rule("FIELD_BEHAVIOR_NO_REMOVE_OUTPUT_ONLY", format=PROTOBUF, subject="field", categories=GOOGLE_API, default=False)
def field_behavior_no_remove_output_only(pair: Pair[Field], ctx: CheckContext) -> Iterator[Violation]:
    """Flags an existing field that lost `OUTPUT_ONLY` or `IDENTIFIER`.

    ## What it does
    Compares `(google.api.field_behavior)` of fields paired by number and reports
    `OUTPUT_ONLY` or `IDENTIFIER` present before but not now.

    ## Why is this breaking?
    AIP-203: clients are told to send back resources they fetched, and the server ignores
    output-only values in them. Once the field is writable, those round-tripped values start
    overwriting server state; an `IDENTIFIER` field that loses its behavior is no longer the
    resource's name, so requests keyed by it change meaning.

    ## Example
    Before:
    ```proto
    message Book { google.protobuf.Timestamp create_time = 5 [(google.api.field_behavior) = OUTPUT_ONLY]; }
    ```
    After:
    ```proto
    message Book { google.protobuf.Timestamp create_time = 5; }
    ```

    ## How to change this safely
    Keep the behavior; if clients must be able to set the value, add a new input field.

    ## References
    - AIP-203 (Field behavior documentation), AIP-180 (Backwards compatibility).
    - Category `GOOGLE_API`, on by default when the changed files import `google/api/` or
      `google/longrunning/`: see docs/google-api.md.
    """
    removed = (field_behaviors(pair.old, ctx.old) - field_behaviors(pair.new, ctx.new)) & set(_REMOVED_SERVER_SET)
    if not removed:
        return
    reasons = "; ".join(_REMOVED_SERVER_SET[name] for name in sorted(removed))
    yield violation(
        f"{describe(pair.new)} lost field behavior {_listed(removed)}: {reasons}.",
        _behavior_span(pair.new), _behavior_span(pair.old),
        hint=f"Restore (google.api.field_behavior) = {sorted(removed)[0]} on the field.",
        subject=pair.new.full_name)


def _reference(ref: tuple[str, str]) -> str:
    return f'type "{ref[0]}"' if ref[0] else f'child_type "{ref[1]}"'


@rule("FIELD_SAME_RESOURCE_REFERENCE", format=PROTOBUF, subject="field", categories=GOOGLE_API, default=False)
def field_same_resource_reference(pair: Pair[Field], ctx: CheckContext) -> Iterator[Violation]:
    """Flags a field whose `google.api.resource_reference` was removed or changed.

    ## What it does
    Compares the `type` and `child_type` of `(google.api.resource_reference)` on fields paired
    by number. Adding a reference where there was none is not reported.

    ## Why is this breaking?
    Client libraries generate resource-name helpers and typed arguments from the reference
    (`BookName.of(...)`); removing or retargeting it changes or deletes those, so callers stop
    compiling, and the field now names a different kind of resource.

    ## Example
    Before:
    ```proto
    string parent = 1 [(google.api.resource_reference).type = "library.example.com/Shelf"];
    ```
    After:
    ```proto
    string parent = 1;
    ```

    ## How to change this safely
    Keep the reference; to point at another resource, add a new field.

    ## References
    - AIP-122 (Resource names), AIP-180.
    - proto-breaking-change-detector `RESOURCE_REFERENCE_REMOVAL`, `RESOURCE_REFERENCE_CHANGE`.
    - Category `GOOGLE_API`, on by default when the changed files import `google/api/` or
      `google/longrunning/`: see docs/google-api.md.
    """
    was = resource_reference(pair.old, ctx.old)
    if was is None:
        return
    now = resource_reference(pair.new, ctx.new)
    if now == was:
        return
    at = annotation_span(pair.new, RESOURCE_REFERENCE, field_span(pair.new))
    before = annotation_span(pair.old, RESOURCE_REFERENCE, field_span(pair.old))
    change = "was removed" if now is None else f"changed to {_reference(now)}"
    yield violation(
        f"{describe(pair.new)}: its resource reference to {_reference(was)} {change}; generated resource-name "
        "helpers for it change or disappear.",
        at, before,
        hint=f"Restore (google.api.resource_reference).{'type' if was[0] else 'child_type'} = "
             f'"{was[0] or was[1]}"; use a new field for a different resource.',
        subject=pair.new.full_name)


@rule("MESSAGE_SAME_RESOURCE_PATTERNS", format=PROTOBUF, subject="message", categories=GOOGLE_API, default=False)
def message_same_resource_patterns(pair: Pair[Message], ctx: CheckContext) -> Iterator[Violation]:
    """Flags a resource message whose `google.api.resource` patterns were removed or reordered.

    ## What it does
    Compares the `pattern` list of `(google.api.resource)` on messages present in both
    revisions. A pattern that is gone (or the whole annotation) is reported, and so is any
    change in the order of the existing patterns; new patterns appended after them are fine.

    ## Why is this breaking?
    AIP-123: resource patterns must not be removed or reordered. Names that matched a removed
    pattern are no longer valid, and client libraries derive their resource-name classes and
    helper methods from the patterns in order (the first is the default), so a reorder changes
    generated code.

    ## Example
    Before:
    ```proto
    option (google.api.resource) = { type: "library.example.com/Book" pattern: "shelves/{shelf}/books/{book}" };
    ```
    After:
    ```proto
    option (google.api.resource) = { type: "library.example.com/Book" pattern: "books/{book}" };
    ```

    ## How to change this safely
    Keep existing patterns in their order and append new ones after them.

    ## References
    - AIP-123 (Resource types), AIP-180.
    - proto-breaking-change-detector `RESOURCE_PATTERN_REMOVAL`, `RESOURCE_PATTERN_REORDER`.
    - Category `GOOGLE_API`, on by default when the changed files import `google/api/` or
      `google/longrunning/`: see docs/google-api.md.
    """
    was = resource_patterns(pair.old, ctx.old)
    if was is None or not was[1]:
        return
    now = resource_patterns(pair.new, ctx.new)
    new_patterns = now[1] if now is not None else ()
    at = annotation_span(pair.new, RESOURCE, message_span(pair.new))
    before = annotation_span(pair.old, RESOURCE, message_span(pair.old))
    name = f'resource "{was[0]}" (message "{pair.new.full_name}")'
    removed = [p for p in was[1] if p not in new_patterns]
    if removed:
        listed = quoted(removed)
        yield violation(
            f"Pattern {listed} of {name} was removed: resource names in that form are no longer accepted.",
            at, before, hint="Keep every existing pattern; append new ones after them.", subject=pair.new.full_name)
    elif new_patterns[:len(was[1])] != was[1]:
        yield violation(
            f"Patterns of {name} were reordered from [{quoted(was[1])}] to [{quoted(new_patterns)}]: generated "
            "resource-name helpers change.",
            at, before, hint="Restore the old order and append new patterns after the existing ones.",
            subject=pair.new.full_name)
