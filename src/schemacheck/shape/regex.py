"""Containment of two ``pattern`` regular expressions, where it is decidable and cheap enough.

Maintainers: a JSON Schema ``pattern`` is an ECMA-262 regex that may match anywhere in the
string. On the regular subset (no backreferences, no lookaround, anchors only at the ends) the
question "does every string the old pattern accepts also match the new one" is decidable by
finite automata; ``interegular`` builds them (imported lazily, only when a pattern changed). An
unanchored side is padded with "any characters", so both patterns become full-match languages.

Automata can blow up (``(a|b)*a(a|b){30}``), so the work is bounded twice: patterns longer than
:data:`MAX_PATTERN`, or whose counted repetitions add up to more than :data:`MAX_REPEAT`, are
not tried, and the decision stops itself after :data:`TIME_LIMIT` seconds: a profile hook
(``sys.setprofile``, this thread only, the previous hook restored) looks at the clock on every
256th call of ``interegular``'s pure-Python automaton code and raises. An abandoned thread
would not do: Python cannot stop one, so it kept building its automaton, holding the GIL and
growing in memory for the rest of the process (in a test run, every slow pattern of every
test piled up in the same worker until the suite stalled). Whenever the answer is not known,
:func:`pattern_relation` returns ``None`` and the caller keeps its "changed, not decided" warning.
"""

from __future__ import annotations

import re
import sys
import time
from functools import lru_cache

__all__ = ["pattern_relation", "MAX_PATTERN", "MAX_REPEAT", "TIME_LIMIT"]

MAX_PATTERN = 300
MAX_REPEAT = 64
TIME_LIMIT = 1.0

_COUNTED = re.compile(r"(?<!\\)\{(\d+)(?:,(\d*))?\}")


def _full_match(pattern: str) -> str | None:
    """The pattern as a full-match expression (``None`` when an anchor is not at an end)."""
    body = pattern
    start = body.startswith("^")
    if start:
        body = body[1:]
    end = body.endswith("$") and not body.endswith("\\$")
    if end:
        body = body[:-1]
    if "^" in body.replace("[^", "").replace("\\^", "") or re.search(r"(?<!\\)\$", body):
        return None  # an anchor inside (alternation of anchored parts): not handled
    if _top_level_bar(body):
        if start or end:
            return None  # ^a|b$ anchors each alternative separately
        body = f"(?:{body})"
    return ("" if start else r"[\s\S]*") + body + ("" if end else r"[\s\S]*")


def _top_level_bar(body: str) -> bool:
    """Whether ``|`` appears outside every group and character class."""
    depth, in_class, i = 0, False, 0
    while i < len(body):
        ch = body[i]
        if ch == "\\":
            i += 2
            continue
        if in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "|" and depth == 0:
            return True
        i += 1
    return False


_NOT_REGULAR = re.compile(r"\\[1-9]|\\k<|\(\?<?[=!]")


def _too_big(pattern: str) -> bool:
    if len(pattern) > MAX_PATTERN or _NOT_REGULAR.search(pattern):
        return True
    total = 0
    for low, high in _COUNTED.findall(pattern):
        total += int(high) if high else int(low) + 1
    return total > MAX_REPEAT


def _decide(old: str, new: str) -> str | None:
    import interegular

    a = interegular.parse_pattern(old).to_fsm()
    b = interegular.parse_pattern(new).to_fsm()
    a, b = a.reduce(), b.reduce()
    old_in_new, new_in_old = a.issubset(b), b.issubset(a)
    if old_in_new and new_in_old:
        return "same"
    if old_in_new:
        return "wider"
    if new_in_old:
        return "narrower"
    return "incomparable"


@lru_cache(maxsize=256)
def pattern_relation(old: str, new: str) -> str | None:
    """How the strings ``new`` accepts relate to those ``old`` accepts.

    Returns:
        ``same``, ``wider`` (new accepts every old string and more), ``narrower`` (the
        reverse), ``incomparable`` (each accepts strings the other rejects), or ``None`` when
        undecided (outside the regular subset, too large, too slow, or ``interegular`` missing).
    """
    full_old, full_new = _full_match(old), _full_match(new)
    if full_old is None or full_new is None or _too_big(old) or _too_big(new):
        return None
    try:
        return _within(TIME_LIMIT, _decide, full_old, full_new)
    except Exception:  # noqa: BLE001 - any parser/automaton failure (or running out of time) means "undecided"
        return None


class _OutOfTime(Exception):
    """Raised inside the decision by the profile hook once its time is up."""


def _within(seconds: float, work, *args):  # noqa: ANN001, ANN202 - a private helper for one caller
    """``work(*args)``, stopped with :class:`_OutOfTime` after ``seconds`` of wall time."""
    deadline = time.monotonic() + seconds
    calls = 0

    def check(_frame, _event, _arg) -> None:  # noqa: ANN001
        nonlocal calls
        calls += 1
        if not calls & 255 and time.monotonic() > deadline:
            raise _OutOfTime

    previous = sys.getprofile()
    sys.setprofile(check)
    try:
        return work(*args)
    finally:
        sys.setprofile(previous)
