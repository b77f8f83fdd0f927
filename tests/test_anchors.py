"""The line diff behind deletion anchors: a valid edit script on any input, and a one-line change
in a long file costs two slice comparisons, not a walk over every line."""

from __future__ import annotations

import random

import pytest

from schemacheck.anchors import line_opcodes


def _check_script(a: list[str], b: list[str]) -> list[tuple[str, int, int, int, int]]:
    ops = line_opcodes(a, b)
    i = j = 0
    for tag, i1, i2, j1, j2 in ops:
        assert (i1, j1) == (i, j), ops  # contiguous, in order, from the start
        if tag == "equal":
            assert a[i1:i2] == b[j1:j2] and i2 - i1 == j2 - j1 > 0
        else:
            assert {"delete": (i2 > i1 and j2 == j1), "insert": (i2 == i1 and j2 > j1),
                    "replace": (i2 > i1 and j2 > j1)}[tag]
        i, j = i2, j2
    assert (i, j) == (len(a), len(b))  # covers both sides
    return ops


@pytest.mark.parametrize("seed", range(40))
def test_opcodes_are_a_valid_edit_script(seed: int) -> None:
    rng = random.Random(seed)
    size, alphabet = rng.choice([(0, 3), (5, 3), (60, 4), (800, 3), (3000, 50)])
    a = [str(rng.randrange(alphabet)) for _ in range(size)]
    b = list(a)
    for _ in range(rng.randrange(6)):
        at = rng.randrange(len(b) + 1)
        if rng.random() < 0.5 and at < len(b):
            del b[at]
        else:
            b.insert(at, "new")
    _check_script(a, b)


def test_a_one_line_change_in_a_long_file_is_one_replace_between_two_runs() -> None:
    a = [f"  optional string field_{i} = {i};" for i in range(150_000)]
    b = list(a)
    b[90_000] = "  optional string field_renamed = 90000;"
    assert _check_script(a, b) == [("equal", 0, 90_000, 0, 90_000), ("replace", 90_000, 90_001, 90_000, 90_001),
                                   ("equal", 90_001, 150_000, 90_001, 150_000)]
