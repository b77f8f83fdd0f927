"""Format-blind mutations: bytes, tokens, a keyword dictionary and splicing.

Maintainers: every mutator takes a :class:`random.Random` and returns new bytes; none of them
knows a grammar beyond the dictionary a target passes in. Byte mutations reach the lexers'
error paths, token mutations (the input cut at word / punctuation / blank boundaries) keep
most of the structure so the parsers' deeper paths are reached, splicing joins two seeds at
token boundaries. Structure-aware mutators (JSON trees) live in :mod:`fuzz.mutate_json`.
"""

from __future__ import annotations

import random
import re

__all__ = ["mutate_bytes", "mutate_tokens", "splice", "havoc", "tokens"]

_TOKEN = re.compile(rb"[A-Za-z_][A-Za-z0-9_.]*|-?[0-9][0-9a-fA-FxX.eE+-]*|\"(?:[^\"\\\n]|\\.)*\"|'[^'\n]*'|\s+|.",
                    re.S)
_INTERESTING = (b"0", b"-1", b"1", b"2147483647", b"2147483648", b"-2147483649", b"4294967296",
                b"9223372036854775807", b"18446744073709551616", b"536870911", b"536870912", b"19000",
                b"1e308", b"1e309", b"-0", b"0.1", b"1e-400", b"NaN", b"inf", b"0x7fffffff", b"0777",
                b"\"\"", b"\"\\x00\"", b"\"\\u0000\"", b"\"\\ud800\"", b"null", b"true", b"[]", b"{}")
_SPECIAL = (b"\x00", b"\xff", b"\xc3", b"\xe2\x80\xae", b"\xef\xbb\xbf", b"\r", b"\r\n", b"\t", b"\\",
            b"\"", b"'", b"/*", b"*/", b"//", b"#", b"\n", b" ", b"{", b"}", b"[", b"]", b":", b",", b";")


def tokens(data: bytes) -> list[bytes]:
    """``data`` cut into identifiers, numbers, strings, blanks and single characters."""
    return _TOKEN.findall(data)


def mutate_bytes(rng: random.Random, data: bytes, dictionary: tuple[bytes, ...]) -> bytes:
    """One byte-level edit: flip, insert, delete, overwrite, duplicate a chunk, truncate."""
    buf = bytearray(data)
    choice = rng.randrange(8)
    pos = rng.randrange(len(buf) + 1)
    if choice == 0 and buf:
        i = min(pos, len(buf) - 1)
        buf[i] ^= 1 << rng.randrange(8)
    elif choice == 1:
        buf[pos:pos] = rng.choice(_SPECIAL)
    elif choice == 2 and buf:
        del buf[pos:pos + rng.randint(1, 16)]
    elif choice == 3:
        buf[pos:pos] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 8)))
    elif choice == 4 and buf:
        start = rng.randrange(len(buf))
        chunk = buf[start:start + rng.randint(1, 64)]
        buf[pos:pos] = chunk * rng.choice((1, 2, 3, 50))
    elif choice == 5:
        del buf[pos:]
    elif choice == 6:
        buf[pos:pos] = rng.choice(_INTERESTING)
    else:
        buf[pos:pos] = rng.choice(dictionary) if dictionary else b" "
    return bytes(buf)


def mutate_tokens(rng: random.Random, data: bytes, dictionary: tuple[bytes, ...]) -> bytes:
    """One token-level edit: delete, duplicate, swap, replace by a keyword or number, repeat a run."""
    toks = tokens(data)
    if not toks:
        return rng.choice(dictionary) if dictionary else data
    i = rng.randrange(len(toks))
    choice = rng.randrange(7)
    if choice == 0:
        del toks[i:i + rng.randint(1, 4)]
    elif choice == 1:
        toks[i:i] = toks[i:i + rng.randint(1, 8)]
    elif choice == 2:
        j = rng.randrange(len(toks))
        toks[i], toks[j] = toks[j], toks[i]
    elif choice == 3 and dictionary:
        toks[i] = rng.choice(dictionary)
    elif choice == 4:
        toks[i] = rng.choice(_INTERESTING)
    elif choice == 5 and dictionary:
        toks.insert(i, b" " + rng.choice(dictionary) + b" ")
    else:  # a run repeated many times: nesting, long lists
        run = toks[i:i + rng.randint(1, 6)]
        toks[i:i] = run * (rng.choice((2, 3, 10, 100)) if rng.random() < 0.98 else 1000)
    return b"".join(toks)


def splice(rng: random.Random, data: bytes, other: bytes) -> bytes:
    """The head of ``data`` and the tail of ``other``, cut at token boundaries."""
    a, b = tokens(data), tokens(other)
    if not a or not b:
        return data + other
    return b"".join(a[:rng.randrange(len(a) + 1)] + b[rng.randrange(len(b) + 1):])


def havoc(rng: random.Random, data: bytes, corpus: list[bytes], dictionary: tuple[bytes, ...],
          max_size: int = 256 * 1024) -> bytes:
    """A stack of 1..8 random edits (mostly token-level), sometimes a splice first."""
    if corpus and rng.random() < 0.1:
        data = splice(rng, data, rng.choice(corpus))
    for _ in range(rng.choice((1, 1, 2, 3, 4, 8))):
        data = mutate_tokens(rng, data, dictionary) if rng.random() < 0.65 else mutate_bytes(rng, data, dictionary)
        if len(data) > max_size:
            data = data[:max_size]
    return data
