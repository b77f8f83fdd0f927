"""String keywords besides lengths: ``pattern`` and ``format``.

Maintainers: regular expressions are not compared for containment; a changed pattern is a
WARNING that says the engine could not decide, never a silent pass. ``format`` is an
annotation by default since 2019-09 but many readers assert it, so its rules warn.
"""

from __future__ import annotations

from collections.abc import Iterator

from ...compat.shape.pair import Issue, ShapePair
from ...shape.regex import pattern_relation
from ._common import BACK, BOTH, FWD, shape_rule


@shape_rule("PATTERN_ADDED", family="STRING", breaks=BACK)
def pattern_added(pair: ShapePair) -> Iterator[Issue]:
    """A `pattern` was added to a string schema.

    ## What it does
    Flags a string schema that had no `pattern` and now has one.

    ## Why is this breaking?
    Strings written under the old schema need not match the new regular expression, so readers
    validating with the new schema may reject old documents (BACKWARD).

    ## Example
    Before: `{"type": "string"}`. After: `{"type": "string", "pattern": "^[A-Z]{3}$"}`.

    ## How to change this safely
    Validate the pattern in the producer first, clean up stored data, then add the pattern in a
    new major version of the schema.
    """
    if pair.old.pattern is None and pair.new.pattern is not None:
        yield pair.issue(f"A pattern {pair.new.pattern!r} was added to {pair.where}; {pair.direction.victims}.", keywords=("pattern",))


@shape_rule("PATTERN_REMOVED", family="STRING", breaks=FWD)
def pattern_removed(pair: ShapePair) -> Iterator[Issue]:
    """The `pattern` of a string schema was removed.

    ## What it does
    Flags a string schema whose `pattern` was dropped.

    ## Why is this breaking?
    The new schema lets producers write strings the old pattern rejects, so readers still on
    the old schema may reject new documents (FORWARD).

    ## Example
    Before: `{"type": "string", "pattern": "^[a-z]+$"}`. After: `{"type": "string"}`.

    ## How to change this safely
    Upgrade every reader first; under BACKWARD-only compatibility this change is allowed.
    """
    if pair.old.pattern is not None and pair.new.pattern is None:
        yield pair.issue(f"The pattern {pair.old.pattern!r} was removed from {pair.where}; {pair.direction.victims}.", keywords=("pattern",))


def _relation(pair: ShapePair) -> str | None:
    """``pattern_relation`` of a changed pair of patterns (``same`` when unchanged or absent)."""
    old, new = pair.old.pattern, pair.new.pattern
    if old is None or new is None or old == new:
        return "same"
    return pattern_relation(old, new)


@shape_rule("PATTERN_NARROWED", family="STRING", breaks=BACK)
def pattern_narrowed(pair: ShapePair) -> Iterator[Issue]:
    """The `pattern` of a string schema changed and now rejects strings the old one accepted.

    ## What it does
    Flags a changed regular expression when the new one provably rejects some string the old
    one accepted (decided with finite automata on the regular subset of ECMA-262).

    ## Why is this breaking?
    Old documents holding such strings are rejected by readers on the new schema.

    ## Example
    Before: `{"type": "string", "pattern": "^[0-9]{4,5}$"}`. After: `{"type": "string", "pattern": "^[0-9]{5}$"}`.

    ## How to change this safely
    Widen instead of replacing (`^[0-9]{4,5}$`), or migrate stored data first.
    """
    if _relation(pair) in ("narrower", "incomparable"):
        yield pair.issue(f"The pattern of {pair.where} changed from {pair.old.pattern!r} to {pair.new.pattern!r}, "
                         f"which rejects strings the old pattern accepted; {pair.direction.victims}.",
                         keywords=("pattern",))


@shape_rule("PATTERN_EXTENDED", family="STRING", breaks=FWD)
def pattern_extended(pair: ShapePair) -> Iterator[Issue]:
    """The `pattern` of a string schema changed and now accepts strings the old one rejected.

    ## What it does
    Flags a changed regular expression when the new one provably accepts some string the old
    one rejected (decided with finite automata on the regular subset of ECMA-262).

    ## Why is this breaking?
    New documents holding such strings are rejected by readers still on the old schema.

    ## Example
    Before: `{"type": "string", "pattern": "^[0-9]{5}$"}`. After: `{"type": "string", "pattern": "^[0-9]{4,5}$"}`.

    ## How to change this safely
    Upgrade every reader to the new schema before producers write the new strings.
    """
    if _relation(pair) in ("wider", "incomparable"):
        yield pair.issue(f"The pattern of {pair.where} changed from {pair.old.pattern!r} to {pair.new.pattern!r}, "
                         f"which accepts strings the old pattern rejected; {pair.direction.victims}.",
                         keywords=("pattern",))


@shape_rule("PATTERN_CHANGED", family="STRING", breaks=BOTH, severity="warning")
def pattern_changed(pair: ShapePair) -> Iterator[Issue]:
    """The `pattern` of a string schema changed; whether it still accepts the same strings is undecided.

    ## What it does
    Flags a string schema whose regular expression was replaced by one that cannot be compared
    with it: outside the regular subset (backreferences, lookaround, anchors inside an
    alternation), or too large to compare in bounded time. Decidable changes are
    `PATTERN_NARROWED` / `PATTERN_EXTENDED` instead; this is a warning that says so rather than a pass.

    ## Why is this breaking?
    Unless the new expression accepts every string the old one did (and vice versa for FORWARD),
    some documents valid on one side are rejected on the other.

    ## Example
    Before: `{"type": "string", "pattern": "^(?=.*[0-9]).{8,}$"}`. After: `{"type": "string", "pattern": "^(?=.*[a-z]).{8,}$"}`.

    ## How to change this safely
    Check by hand that the new pattern accepts every old value (for BACKWARD) and suppress this
    finding with a reason, or keep the old pattern and validate the new one in the producer.
    """
    if _relation(pair) is None:
        yield pair.issue(f"The pattern of {pair.where} changed from {pair.old.pattern!r} to {pair.new.pattern!r} and "
                         f"could not be compared (outside the regular subset, or too large); {pair.direction.victims} "
                         "if it does not accept the same strings.", keywords=("pattern",))


@shape_rule("FORMAT_ADDED", family="STRING", breaks=BACK, severity="warning")
def format_added(pair: ShapePair) -> Iterator[Issue]:
    """A `format` was added to a string schema.

    ## What it does
    Flags a string schema that gained a `format` (`date-time`, `email`, `uuid`, ...).

    ## Why is this breaking?
    Readers that assert formats reject old strings that do not conform (BACKWARD). Since
    draft 2019-09 `format` is only an annotation by default, hence a warning.

    ## Example
    Before: `{"type": "string"}`. After: `{"type": "string", "format": "uuid"}`.

    ## How to change this safely
    Make sure all stored values conform, or document the format in `description` instead.
    """
    if pair.old.format is None and pair.new.format is not None:
        yield pair.issue(f"A format {pair.new.format!r} was added to {pair.where}; {pair.direction.victims} "
                         "when they assert formats.", keywords=("format",))


@shape_rule("FORMAT_REMOVED", family="STRING", breaks=FWD, severity="warning")
def format_removed(pair: ShapePair) -> Iterator[Issue]:
    """The `format` of a string schema was removed.

    ## What it does
    Flags a string schema that lost its `format`.

    ## Why is this breaking?
    New documents may carry strings that old readers asserting the format reject (FORWARD).

    ## Example
    Before: `{"type": "string", "format": "date"}`. After: `{"type": "string"}`.

    ## How to change this safely
    Upgrade readers first, or keep producing values that satisfy the old format.
    """
    if pair.old.format is not None and pair.new.format is None:
        yield pair.issue(f"The format {pair.old.format!r} was removed from {pair.where}; {pair.direction.victims} "
                         "when they assert formats.", keywords=("format",))


@shape_rule("FORMAT_CHANGED", family="STRING", breaks=BOTH, severity="warning")
def format_changed(pair: ShapePair) -> Iterator[Issue]:
    """The `format` of a string schema changed.

    ## What it does
    Flags a string schema whose `format` became a different one (`date` → `date-time`).

    ## Why is this breaking?
    Values of one format are generally not values of the other, so readers asserting formats
    reject documents from the other side, in both directions.

    ## Example
    Before: `{"type": "string", "format": "date"}`. After: `{"type": "string", "format": "date-time"}`.

    ## How to change this safely
    Add a new property with the new format, deprecate the old one, and remove it later.
    """
    old, new = pair.old.format, pair.new.format
    if old is not None and new is not None and old != new:
        yield pair.issue(f"The format of {pair.where} changed from {old!r} to {new!r}; {pair.direction.victims} "
                         "when they assert formats.", keywords=("format",))
