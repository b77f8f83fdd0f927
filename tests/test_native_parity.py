"""Same answers on both paths: the native extension against the pure-Python compiler.

Every ``.proto`` of the fixtures, the protobuf corpus (error files included) and the parser
fuzz corpus (``fuzz/seeds``, ``fuzz/crashes``) is compiled with the native extension and with
pure Python: the serialized ``FileDescriptorProto``s (with source info) must be byte-identical
and the diagnostics (message, tip, path, line, column) identical. Deterministic fuzz mutants of
every file check the lexer token by token (including every error: where Python raises, the
native lexer must hand the file back), and a sample of them is compiled both ways too.
Files the native path hands back to Python are counted; a file Python accepts must never be
handed back. Skipped, with the reason, when the extension is not built.
"""

from __future__ import annotations

import hashlib
import os
import random
import sys
from pathlib import Path

import pytest

if os.environ.get("SCHEMACHECK_NATIVE") == "1":  # required (CI built it): a missing extension fails here
    import schemacheck_native  # noqa: F401
else:
    pytest.importorskip("schemacheck_native", reason="the native extension is not built (scripts/build-native.sh)")

from schemacheck.errors import ParseError  # noqa: E402
from schemacheck.formats.protobuf import lexer, native  # noqa: E402
from schemacheck.formats.protobuf.compiler import clear_cache, compile_with_python  # noqa: E402
from schemacheck.snapshot import DirectorySnapshot  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from fuzz.mutate import havoc  # noqa: E402
from fuzz.targets import PROTO  # noqa: E402

TOPS = (REPO / "fixtures", REPO / "tests" / "protobuf_corpus", REPO / "fuzz" / "seeds", REPO / "fuzz" / "crashes")
MUTANTS = 12  # per file, for the lexer
COMPILED_MUTANTS = 3  # per file, for every 8th file, compiled both ways


def _files() -> list[Path]:
    return [p for top in TOPS for p in sorted(top.rglob("*.proto"))]


class _Overlay:
    """A directory snapshot with one file's content replaced (a mutant)."""

    def __init__(self, root: Path, rel: str, data: bytes) -> None:
        self.base = DirectorySnapshot(root)
        self.label = "mutant"
        self.rel = rel
        self.data = data

    def paths(self):
        return self.base.paths()

    def read(self, path: str) -> bytes:
        return self.data if path == self.rel else self.base.read(path)

    def blob_id(self, path: str) -> str | None:
        return hashlib.sha1(self.data).hexdigest() if path == self.rel else self.base.blob_id(path)

    def exists(self, path: str) -> bool:
        return path == self.rel or self.base.exists(path)


def _use(monkeypatch: pytest.MonkeyPatch, on: bool) -> None:
    monkeypatch.setenv("SCHEMACHECK_NO_CACHE", "1")
    if on:
        monkeypatch.delenv("SCHEMACHECK_NATIVE", raising=False)
    else:
        monkeypatch.setenv("SCHEMACHECK_NATIVE", "0")
    native.reset()
    clear_cache()
    assert (native.module() is not None) == on


def _answer(snapshot, rel: str) -> tuple[list, dict[str, bytes]]:
    result = compile_with_python(snapshot, [rel], closure="full")
    errors = [(type(e).__name__, e.path, e.line, e.column, str(e), e.tip) for e in result.errors]
    files = {name: f.descriptor.SerializeToString(deterministic=True) for name, f in result.files.items()}
    return errors, files


def _both(monkeypatch: pytest.MonkeyPatch, snapshot, rel: str) -> tuple[tuple, tuple, int]:
    _use(monkeypatch, False)
    pure = _answer(snapshot, rel)
    _use(monkeypatch, True)
    fast = _answer(snapshot, rel)
    handed_back = sum(native.FALLBACKS.values())
    return pure, fast, handed_back


def _root(path: Path) -> Path:
    """The innermost directory from which ``path`` compiles (its imports resolve), else its own."""
    top = next(t for t in TOPS if t in path.parents)
    for root in [path.parent, *[p for p in path.parent.parents if p == top or top in p.parents]]:
        if not compile_with_python(DirectorySnapshot(root), [path.relative_to(root).as_posix()]).errors:
            return root
    return path.parent


def _tokens(data: bytes) -> tuple | None:
    try:
        t = lexer.tokenize_python(data, "x.proto")
    except ParseError:
        return None
    return (t.kind, t.text, t.line, t.col, t.end, t.pre, t.trivia)


def _native_tokens(data: bytes) -> tuple | None:
    import schemacheck_native

    out = schemacheck_native.tokenize(data, lexer._KIND_OBJECTS, lexer.MAX_TOKENS, lexer.MAX_LINES)
    return None if out is None else tuple(out)


FILES = _files()


def test_the_corpus_is_there() -> None:
    assert len(FILES) > 400 and any("crashes" in p.parts for p in FILES) and any("seeds" in p.parts for p in FILES)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.relative_to(REPO).as_posix())
def test_same_descriptors_and_diagnostics(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SCHEMACHECK_NATIVE", "0")
    native.reset()
    root = _root(path)
    rel = path.relative_to(root).as_posix()
    pure, fast, handed_back = _both(monkeypatch, DirectorySnapshot(root), rel)
    assert fast[0] == pure[0], "diagnostics differ"
    assert sorted(fast[1]) == sorted(pure[1])
    for name in pure[1]:
        assert fast[1][name] == pure[1][name], f"descriptor of {name} differs"
    if not pure[0]:
        assert handed_back == 0, f"the native path handed {handed_back} files of an error-free compile back"


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.relative_to(REPO).as_posix())
def test_lexer_token_for_token_on_mutants(path: Path) -> None:
    data = path.read_bytes()
    rng = random.Random(path.relative_to(REPO).as_posix())
    for i in range(MUTANTS + 1):
        text = data if i == 0 else havoc(rng, data, [], PROTO.dictionary)
        try:
            lexer.check_text(text, "x.proto")  # as the compiler does: both lexers see checked text
        except ParseError:
            continue
        want, got = _tokens(text), _native_tokens(text)
        if want is None:
            assert got is None, f"mutant {i}: Python rejects it, the native lexer accepts it"
        else:
            assert got is not None, f"mutant {i}: the native lexer hands back a file Python accepts"
            assert got == want, f"mutant {i}: tokens differ"


@pytest.mark.parametrize("path", FILES[::8], ids=lambda p: p.relative_to(REPO).as_posix())
def test_mutants_compile_the_same(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = path.read_bytes()
    rng = random.Random("compile:" + path.relative_to(REPO).as_posix())
    root = path.parent
    rel = path.name
    for i in range(COMPILED_MUTANTS):
        snapshot = _Overlay(root, rel, havoc(rng, data, [], PROTO.dictionary))
        pure, fast, _ = _both(monkeypatch, snapshot, rel)
        assert fast == pure, f"mutant {i} compiles differently"


def test_limits_are_the_python_paths() -> None:
    """At a limit the native lexer hands the file back, so the error is the Python one."""
    for data in (b"\n" * (lexer.MAX_LINES + 1), b";" * (lexer.MAX_TOKENS + 1), b"/**/" * (lexer.MAX_TOKENS + 1)):
        assert _native_tokens(data) is None and _tokens(data) is None
    assert _native_tokens(b"\n" * (lexer.MAX_LINES - 1)) == _tokens(b"\n" * (lexer.MAX_LINES - 1))


_PIECES = ("message", "M", "_x9", " ", "\t", "\n", "\r\n", "\r", "\f", "\v", "\x00", "\x01", "\x7f", "é", "€", "𝄞",
           "\ufeff", "0", "07", "08", "0x1F", "0x", "1.", ".5", "1.5e3", "1e+5", "1e", "1.2.3", "12", ".", "=", ";",
           "{", "}", "<", ">", "/", "*", "//", "//c\n", "/*", "*/", "/* a\n * b\n\t*/", '"', "'", '"s\\"q"',
           "'\\x41\\n'", '"\\', '"tab\there"', "\\", "-", "+", "[", "]", "(", ")", ",", ":", "@", "#", "$")


def test_lexer_on_generated_text() -> None:
    """Random sequences of tricky pieces (tabs, CR, BOM, non-ASCII, numbers, quotes, comments)."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    @settings(max_examples=3000, deadline=None, derandomize=True)
    @given(st.lists(st.sampled_from(_PIECES), max_size=40))
    def check(pieces: list[str]) -> None:
        data = "".join(pieces).encode()
        try:
            lexer.check_text(data, "x.proto")
        except ParseError:
            return
        want, got = _tokens(data), _native_tokens(data)
        assert (got is None) == (want is None) and (got is None or got == want), data

    check()


@pytest.mark.parametrize("path", FILES[::4], ids=lambda p: p.relative_to(REPO).as_posix())
def test_comment_attachment_at_every_token(path: Path) -> None:
    """protoc's comment rules, both ways, between every two tokens of the file (and the start).

    The Rust twin is a building block of the Rust parser (where the trivia stay in Rust); called
    from Python per declaration it is slower than the Python function, so it is not wired in.
    """
    import schemacheck_native

    from schemacheck.formats.protobuf.comments import next_with_comments as next_with_comments_python

    t = _tokens(path.read_bytes())
    if t is None:
        pytest.skip("the file does not tokenize (its error is the lexer's, checked above)")
    kind, text, line, _, _, pre, trivia = t
    for i in range(len(kind)):
        lo = pre[i - 1] if i > 0 else 0
        items = trivia[lo:pre[i]]
        for start in ((True, False) if i == 0 else (False,)):
            args = (items, start, line[i - 1] if i > 0 else 0, line[i], text[i], kind[i] == lexer.END)
            assert schemacheck_native.next_with_comments(*args) == next_with_comments_python(*args), i
