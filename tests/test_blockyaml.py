"""blockyaml reads plain block YAML exactly as PyYAML does, or declines (then PyYAML reads it).

Generated documents (block mappings and sequences, indentless sequences, flow lists, quoted and
plain scalars among YAML 1.1's booleans, nulls, numbers and timestamps, comments) and their
byte-level mutants are read by both; whenever blockyaml answers, the answer must be PyYAML's.
"""

from __future__ import annotations

import random

import pytest
import yaml

from schemacheck.blockyaml import Unsupported, load

WORDS = ["proto", "FILE", "WIRE_JSON", "v1", "v2", "v1beta1", "buf.build/acme/x", "a/b", "_x", "a.", "x-y",
         "yes", "No", "on", "OFF", "null", "Null", "~", "y", "n", "true", "False", "1", "0x1F", "0o7", "1_000",
         "1.5", "2024-01-01", "1:30", ".inf", ".NaN", "-x", "a b", "a:b", "a: b", "a#b", "#c", "\u00e9", "&a",
         "*a", "!tag x", "|", ">", "''", '""', '"q"', "'s'", '"a\\"b"', "'it''s'", "[a, b]", "[]", "[a,]",
         "{a: b}", "[yes]", "[ a , b ]", "[a, 'b']", "%x", "@x", "`x", "=", "<<", "e5", "inf", "nan", "- x",
         '"a # b"', "x # comment", "x#y", "[a, b] # c", "0b101", "+1", "ab\tc"]
KEYS = ["version", "modules", "path", "breaking", "use", "except", "ignore", "deps", "name", "on", "yes",
        "a.b", "1", "x y", "-k", '"q"', "? k", "<<", "ONE", "null", "_k", "k:"]


def _scalar(rng: random.Random) -> str:
    word = rng.choice(WORDS if rng.random() < 0.5 else WORDS[:11])
    return word + (" # note" if rng.random() < 0.1 else "")


def _block(rng: random.Random, indent: int, depth: int) -> list[str]:
    """Lines of a block collection whose lines start at column ``indent``."""
    pad = " " * indent
    lines: list[str] = []
    if depth > 0 and rng.random() < 0.4:  # a sequence
        for _ in range(rng.randint(1, 3)):
            roll = rng.random()
            if roll < 0.3 and depth > 1:  # - key: value, more keys aligned below
                body = _mapping(rng, indent + 2, depth - 1)
                lines.append(pad + "- " + body[0].lstrip(" "))
                lines.extend(body[1:])
            elif roll < 0.4 and depth > 1:
                lines.append(pad + "-")
                lines.extend(_block(rng, indent + rng.randint(1, 3), depth - 1))
            else:
                lines.append(pad + "- " + _scalar(rng))
        return lines
    return _mapping(rng, indent, depth)


def _mapping(rng: random.Random, indent: int, depth: int) -> list[str]:
    pad = " " * indent
    lines: list[str] = []
    for _ in range(rng.randint(1, 4)):
        key = rng.choice(KEYS if rng.random() < 0.3 else KEYS[:9])
        roll = rng.random()
        if roll < 0.35 and depth > 1:
            lines.append(f"{pad}{key}:")
            if rng.random() < 0.25:  # an indentless sequence
                lines.extend(pad + "- " + _scalar(rng) for _ in range(rng.randint(1, 3)))
            else:
                lines.extend(_block(rng, indent + rng.randint(1, 4), depth - 1))
        elif roll < 0.4:
            lines.append(f"{pad}{key}:" + (" # empty" if rng.random() < 0.5 else ""))
        else:
            lines.append(f"{pad}{key}: {_scalar(rng)}")
        if rng.random() < 0.1:
            lines.append(rng.choice(["", "# comment", pad + "  # indented comment"]))
    return lines


def _document(rng: random.Random) -> str:
    text = "\n".join(_block(rng, rng.choice([0, 0, 0, 2]), rng.randint(1, 4))) + rng.choice(["\n", "", "\n\n"])
    if rng.random() < 0.4:  # a mutant: one edit at a random place
        pos = rng.randrange(len(text) + 1)
        edit = rng.random()
        if edit < 0.4:
            text = text[:pos] + rng.choice([" ", "  ", "-", ":", "#", "'", '"', "[", "\t", "\n", "\r", "x"]) + text[pos:]
        elif edit < 0.7:
            text = text[:pos] + text[pos + 1:]
        else:
            lines = text.split("\n")
            i = rng.randrange(len(lines))
            lines[i] = lines[i][1:] if lines[i].startswith(" ") and rng.random() < 0.5 else " " + lines[i]
            text = "\n".join(lines)
    return text


def _pyyaml(text: str) -> object:
    try:
        return ("ok", yaml.safe_load(text))
    except yaml.YAMLError:
        return ("error", None)


@pytest.mark.parametrize("seed", range(4))
def test_answers_are_pyyamls_or_declined(seed: int) -> None:
    rng = random.Random(seed)
    answered = 0
    for _ in range(1500):
        text = _document(rng)
        try:
            got = load(text)
        except Unsupported:
            continue
        answered += 1
        assert _pyyaml(text) == ("ok", got), text
    assert answered > 150  # the fast path is taken for a good share of plain documents


@pytest.mark.parametrize("text", [
    "version: v2\nmodules:\n  - path: proto\n",
    "# buf.yaml\nversion: v2\nmodules:\n- path: proto\n  excludes:\n  - proto/legacy\n"
    "breaking:\n  use:\n    - FILE\n  except: [FIELD_SAME_JSON_NAME]\n  ignore: []\n",
    "version: v1\nbreaking:\n  use: [WIRE_JSON]\n  ignore_only:\n    FIELD_NO_DELETE: [shop/v1/refund.proto]\n",
    "version: v1\ndirectories:\n  - proto\n  - vendor/proto\n",
    'version: "v2"\ndeps:\n  - buf.build/googleapis/googleapis\n',
    "",
])
def test_usual_buf_configuration_files_take_the_fast_path(text: str) -> None:
    assert load(text) == yaml.safe_load(text)


@pytest.mark.parametrize("text", [
    "use: yes\n", "version: 1\n", "a: &x b\nc: *x\n", "a: b\na: c\n", "a: |\n  text\n", "a: {b: c}\n",
    "a: b\n  c\n", "a:\tb\n", "a: b\r\nc: d\r\n", "---\na: b\n", "a: [yes]\n", "on: x\n", "a: 2024-01-01\n",
    "a: 'it''s'\n", 'a: "tab\\tand"\n', "a: caf\u00e9\n", "- [a, b,]\n", "a: ~\n",
])
def test_anything_else_is_declined(text: str) -> None:
    with pytest.raises(Unsupported):
        load(text)
