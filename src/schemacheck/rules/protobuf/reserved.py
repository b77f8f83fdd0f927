"""Range rules of messages: reserved ranges and names, and extension ranges, must not shrink.

Maintainers: :func:`missing_ranges` and :func:`ranges_text` work on inclusive ``(start, end)``
pairs and are shared with ``RESERVED_ENUM_NO_DELETE`` (enum ranges are already inclusive;
message ranges in descriptors are end-exclusive, converted by :func:`message_ranges`).
A previous range may be split, merged or widened freely; only numbers that are no longer
covered by any range are reported, once per previous range.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from ...compat.protobuf.elements import Message
from ...compat.protobuf.features import EDITION_2023, edition_of
from ...compat.protobuf.image import CheckContext, Pair
from ...registry import Violation, rule
from ._common import PROTOBUF, violation

__all__ = ["missing_ranges", "ranges_text", "message_ranges", "MESSAGE_MAX", "MESSAGE_SET_MAX"]

MESSAGE_MAX = 536_870_911
MESSAGE_SET_MAX = 2_147_483_646


def message_ranges(ranges: Iterable) -> list[tuple[int, int]]:
    """Descriptor ``(start, end)`` ranges with exclusive ends, as inclusive pairs."""
    return [(r.start, r.end - 1) for r in ranges]


def _collapse(ranges: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(ranges):
        if merged and start <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def missing_ranges(start: int, end: int, current: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """The parts of ``[start, end]`` that no range of ``current`` covers (all inclusive)."""
    missing: list[tuple[int, int]] = []
    cursor = start
    for lo, hi in _collapse(current):
        if hi < cursor:
            continue
        if lo > end:
            break
        if lo > cursor:
            missing.append((cursor, lo - 1))
        cursor = max(cursor, hi + 1)
        if cursor > end:
            return missing
    if cursor <= end:
        missing.append((cursor, end))
    return missing


def ranges_text(ranges: Iterable[tuple[int, int]], maximum: int) -> str:
    """``4``, ``10 to 20``, ``1000 to max`` joined by commas, as in a ``reserved`` statement."""
    parts = []
    for start, end in ranges:
        if start == end:
            parts.append(str(start))
        else:
            parts.append(f"{start} to {'max' if end == maximum else end}")
    return ", ".join(parts)


def _lost(previous: str, lost: str) -> str:
    return "was deleted" if previous == lost else f"lost {lost}"


def _name_literal(message: Message, name: str) -> str:
    return name if edition_of(message.file) >= EDITION_2023 else f'"{name}"'


def _max(message: Message) -> int:
    return MESSAGE_SET_MAX if message.proto.options.message_set_wire_format else MESSAGE_MAX


def _shrunk(pair: Pair[Message], old_ranges: list[tuple[int, int]],
            new_ranges: list[tuple[int, int]]) -> Iterator[tuple[str, str]]:
    """(previous range, lost numbers) for each previous range that lost numbers."""
    maximum = _max(pair.new)
    for start, end in old_ranges:
        lost = missing_ranges(start, end, new_ranges)
        if lost:
            yield ranges_text([(start, end)], maximum), ranges_text(lost, maximum)


@rule("RESERVED_MESSAGE_NO_DELETE", format=PROTOBUF, subject="message",
      categories=("FILE", "PACKAGE", "WIRE_JSON", "WIRE", "CSR"))
def reserved_message_no_delete(pair: Pair[Message], ctx: CheckContext) -> Iterator[Violation]:
    """Flags a reserved number range or reserved name removed from a message.

    ## What it does
    Checks that every number reserved in the base message is still covered by a reserved
    range in head (ranges may be split or merged), and that every reserved name is still
    reserved. The finding points at the message.

    ## Why is this breaking?
    Reservations record numbers and names that old data may still carry. Dropping one lets
    a future field reuse it, and then payloads written by old producers are read into the
    new field with the wrong type or meaning.

    ## Example
    Before:
    ```proto
    message Order { reserved 4, 7 to 9; reserved "note"; string id = 1; }
    ```
    After:
    ```proto
    message Order { reserved 4; string id = 1; }
    ```

    ## How to change this safely
    Never remove reservations. Reformatting them is fine: `reserved 7, 8, 9;` covers the
    same numbers as `reserved 7 to 9;`.

    ## References
    - buf breaking rule `RESERVED_MESSAGE_NO_DELETE`.
    """
    old_ranges = message_ranges(pair.old.proto.reserved_range)
    new_ranges = message_ranges(pair.new.proto.reserved_range)
    for previous, lost in _shrunk(pair, old_ranges, new_ranges):
        yield violation(
            f'Reserved range "{previous}" on message "{pair.new.full_name}" {_lost(previous, lost)}: a new field could '
            "reuse those numbers and misread old data.",
            pair.new.location, pair.old.location,
            hint=f"Add `reserved {lost};` back to the message.",
            subject=pair.new.full_name)
    remaining = set(pair.new.proto.reserved_name)
    for name in pair.old.proto.reserved_name:
        if name not in remaining:
            yield violation(
                f'Reserved name "{name}" on message "{pair.new.full_name}" was deleted: a new field could take '
                "the name and read old JSON.",
                pair.new.location, pair.old.location,
                hint=f"Add `reserved {_name_literal(pair.new, name)};` back to the message.",
                subject=pair.new.full_name)


@rule("EXTENSION_MESSAGE_NO_DELETE", format=PROTOBUF, subject="message", categories=("FILE", "PACKAGE", "CSR"))
def extension_message_no_delete(pair: Pair[Message], ctx: CheckContext) -> Iterator[Violation]:
    """Flags extension numbers that a message no longer accepts.

    ## What it does
    Checks that every number covered by an `extensions` range of the base message is still
    covered by the head message's extension ranges (ranges may be split or merged).

    ## Why is this breaking?
    Extensions declared elsewhere — often in other repositories — use those numbers. When
    the range shrinks, those `extend` blocks stop compiling, and old payloads carrying the
    extensions are treated as unknown fields.

    ## Example
    Before:
    ```proto
    message Parcel { extensions 100 to 199; }
    ```
    After:
    ```proto
    message Parcel { extensions 100 to 149; }
    ```

    ## How to change this safely
    Only widen extension ranges. To stop new extensions, leave the range and document it,
    or reserve unused numbers after confirming that no extension uses them.

    ## References
    - buf breaking rule `EXTENSION_MESSAGE_NO_DELETE`.
    """
    old_ranges = message_ranges(pair.old.proto.extension_range)
    new_ranges = message_ranges(pair.new.proto.extension_range)
    for previous, lost in _shrunk(pair, old_ranges, new_ranges):
        yield violation(
            f'Extension range "{previous}" on message "{pair.new.full_name}" {_lost(previous, lost)}: extensions declared '
            "with those numbers no longer compile and old payloads carrying them become unknown fields.",
            pair.new.location, pair.old.location,
            hint=f"Restore `extensions {lost};` on the message.",
            subject=pair.new.full_name)
