"""Suppression hygiene: every ``schemacheck:ignore`` says why, names real rules, and is needed."""

from __future__ import annotations

from collections.abc import Iterator

from ...registry import Violation, rule
from ...suppress import SuppressionReview

META = "meta"


def _names(review: SuppressionReview) -> str:
    return ", ".join(review.suppression.rule_ids)


@rule("SUPPRESSION_WITHOUT_REASON", format=META, subject="suppression", severity="warning")
def suppression_without_reason(review: SuppressionReview, ctx: object) -> Iterator[Violation]:
    """Flags an inline suppression that gives no reason.

    ## What it does
    Reports a `schemacheck:ignore` directive with nothing after the rule IDs, when the
    directive was added by this change or suppressed a finding in this run.

    ## Why is this breaking?
    It is not breaking by itself. A suppression accepts a breaking change on behalf of every
    consumer; without a reason, reviewers cannot tell a deliberate, coordinated change from a
    silenced alarm, and nobody can later tell when the suppression may be removed.

    ## Example
    ```proto
    // schemacheck:ignore FIELD_NO_DELETE
    message Order { reserved 4; }
    ```

    ## How to change this safely
    Say why after `--`, e.g.
    `// schemacheck:ignore FIELD_NO_DELETE -- "note" unused since 2024, all readers migrated (PAY-123)`.

    ## References
    - ruff's `RUF100` and `PGH004` (unused and blanket `noqa`), which inspired the suppression checks.
    """
    if review.suppression.reason or not (review.used or review.new):
        return
    yield Violation(
        f"Suppression of {_names(review)} gives no reason: reviewers cannot tell why the breaking change is accepted.",
        review.suppression.location,
        hint=f"Add the reason after the IDs: schemacheck:ignore {_names(review)} -- why this is safe.",
        subject=_names(review),
    )


@rule("SUPPRESSION_UNUSED", format=META, subject="suppression", severity="warning")
def suppression_unused(review: SuppressionReview, ctx: object) -> Iterator[Violation]:
    """Flags an inline suppression, added by this change, that suppresses nothing.

    ## What it does
    Reports a `schemacheck:ignore` directive that is new in the head revision (not present in
    the base version of the file) when every rule it names ran and none of them reported
    anything on the line it covers: the comment's own line or, for a comment on a line of its
    own, the next code line below it.

    ## Why is this breaking?
    It is not breaking by itself, but a misplaced suppression is a suppression that does not
    work: usually it sits above the wrong element (a deletion is reported on the enclosing
    message, not where the field was), so the breaking change it was meant to excuse is still
    reported, or it will silently hide a different change later.

    ## Example
    ```proto
    message Order {
      // schemacheck:ignore FIELD_NO_DELETE -- migration PAY-123   <- nothing to suppress here
      int64 total_cents = 5;
    }
    ```

    ## How to change this safely
    Move the comment to the line above the element the finding points at (for a deleted
    field, the enclosing `message` line), or delete it if the change is no longer breaking.

    ## Known false positives
    Directives already present in the base revision are never reported, because the change
    they excused has been merged; rules that were not selected in this run are not judged.

    ## References
    - ruff `RUF100` (unused `noqa` directive).
    """
    if review.used or not review.new or not review.checked or review.unknown:
        return
    yield Violation(
        f"Suppression of {_names(review)} matched no finding: it excuses nothing on the line it covers.",
        review.suppression.location,
        hint="Put it on, or directly above, the line the finding points at, or remove it.",
        subject=_names(review),
    )


@rule("SUPPRESSION_UNKNOWN_RULE", format=META, subject="suppression", severity="warning")
def suppression_unknown_rule(review: SuppressionReview, ctx: object) -> Iterator[Violation]:
    """Flags an inline suppression naming a rule ID that does not exist.

    ## What it does
    Reports each name in a `schemacheck:ignore` directive that is neither a rule ID, an alias,
    a deprecated ID nor a category, with the nearest valid names.

    ## Why is this breaking?
    It is not breaking by itself, but a misspelt ID suppresses nothing, so the change it was
    meant to excuse is still reported, or the typo hides that the directive is stale.

    ## Example
    ```proto
    // schemacheck:ignore FIELD_NO_DELETED -- PAY-123
    message Order { }
    ```

    ## How to change this safely
    Use the exact ID shown in the finding (`schemacheck rules` lists them all).

    ## References
    - `schemacheck rules`, `schemacheck explain ID`.
    """
    for name, near in review.unknown:
        tip = f" (did you mean {', '.join(near)}?)" if near else ""
        yield Violation(
            f"Suppression names unknown rule {name}{tip}: it suppresses nothing.",
            review.suppression.location,
            hint=f"Replace {name} with an ID from `schemacheck rules`.",
            subject=name,
        )
