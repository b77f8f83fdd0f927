"""Same answers on both paths: the native extension against the pure-Python compiler.

Every ``.proto`` of the fixtures, the protobuf corpus (error files included) and the parser
fuzz corpus (``fuzz/seeds``, ``fuzz/crashes``) is compiled with the native extension and with
pure Python: the serialized ``FileDescriptorProto``s (with source info) must be byte-identical
and the diagnostics (message, tip, path, line, column) identical. The Rust parser's own output
(descriptor bytes, locations, pending options, type references) is compared with the Python
parser's on every file, on 4,000 fuzz mutants (fixed seed) and on rare constructs. Deterministic fuzz mutants of
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
from google.protobuf import descriptor_pb2 as d

_REQUIRED = Path(__file__).resolve().parent.parent / ".tools" / "native-required"  # scripts/native-for-tests.sh
if os.environ.get("SCHEMACHECK_NATIVE") == "1" or _REQUIRED.exists():  # built for the tests: must import
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
        _check_span_index(d.FileDescriptorProto.FromString(pure[1][name]).source_code_info)
    if not pure[0]:
        assert handed_back == 0, f"the native path handed {handed_back} files of an error-free compile back"


def _python_span_index(info: d.SourceCodeInfo) -> dict:
    index = {}
    for loc in reversed(info.location):  # what elements.ProtoFile._index builds without the extension
        index[tuple(loc.path)] = tuple(loc.span)
    return index


def _check_span_index(info: d.SourceCodeInfo) -> None:
    import schemacheck_native

    built = schemacheck_native.span_index(info.SerializeToString())
    want = _python_span_index(info)
    assert built == want, "span index differs"
    _check_span_table(info.SerializeToString(), want)


def _check_span_table(data: bytes, want: dict) -> None:
    """``SpanTable`` (what the rules use: spans converted one by one) holds the same index."""
    import schemacheck_native

    table = schemacheck_native.SpanTable(data)
    assert len(table) == len(want), "span table size differs"
    for path, span in want.items():
        assert path in table and table.get(path) == span, f"span table differs at {path}"
    assert table.get((999_999, 1)) is None and (999_999, 1) not in table


def test_span_index_on_other_encodings() -> None:
    """Unpacked paths and spans, unknown fields and duplicate paths read as upb reads them;
    bytes that do not parse are handed back (None), never half-read."""
    import schemacheck_native

    def varint(n: int) -> bytes:
        n &= (1 << 64) - 1
        out = b""
        while True:
            out += bytes([(n & 0x7F) | (0x80 if n > 0x7F else 0)])
            n >>= 7
            if not n:
                return out

    def field(number: int, wire: int, payload: bytes) -> bytes:
        return varint(number << 3 | wire) + payload

    def location(path: list[int], span: list[int], packed: bool) -> bytes:
        if packed:
            body = field(1, 2, varint(len(p := b"".join(map(varint, path)))) + p)
            body += field(2, 2, varint(len(q := b"".join(map(varint, span)))) + q)
        else:
            body = b"".join(field(1, 0, varint(v)) for v in path) + b"".join(field(2, 0, varint(v)) for v in span)
        body += field(3, 2, varint(3) + b"abc") + field(9, 5, b"\0\0\0\0") + field(10, 1, b"\0" * 8)
        return field(1, 2, varint(len(body)) + body)

    data = (location([4, 0], [1, 0, 5, 1], False) + location([4, 0, 2, 1], [2, 2, 20], True)
            + location([4, 0], [9, 9, 9], True) + location([], [0, 0, 3, 1], False)
            + location([4, -1], [1, 2, 3], False) + field(7, 0, varint(5)))
    expected = d.SourceCodeInfo.FromString(data)
    assert schemacheck_native.span_index(data) == _python_span_index(expected)
    _check_span_table(data, _python_span_index(expected))
    assert schemacheck_native.span_index(b"") == {}
    assert len(schemacheck_native.SpanTable(b"")) == 0
    for cut in range(1, len(data)):
        built = schemacheck_native.span_index(data[:cut])
        try:
            table = schemacheck_native.SpanTable(data[:cut])
        except ValueError:
            table = None
        assert (table is None) == (built is None), cut  # both decoders refuse the same bytes
        try:
            parsed = d.SourceCodeInfo.FromString(data[:cut])
        except Exception:  # noqa: BLE001 - upb's DecodeError
            assert built is None, cut
        else:
            assert built is None or built == _python_span_index(parsed), cut
            if table is not None:
                _check_span_table(data[:cut], _python_span_index(parsed))


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

    The Rust parser applies the same rules (``comments::attach``) to trivia that never leave Rust;
    this checks them on their own, at every token boundary rather than only at declaration ends.
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


# ---- the Rust parser, stage by stage (lexer + parser in one native call) ----

def _parsed(pf) -> tuple:
    """Everything the parser hands on: descriptor bytes, syntax, locations, pending options
    (with the element each belongs to), type references (with theirs), import positions."""
    options = [(p.options_type, p.path, p.scope, type(p.owner).__name__, p.owner.SerializeToString(),
                [(o.name, o.kind, repr(o.value), o.line, o.col, o.vline, o.vcol) for o in p.items])
               for p in pf.options]
    refs = [(r.attr, r.scope, r.line, r.col, r.path, type(r.proto).__name__, r.proto.SerializeToString())
            for r in pf.refs]
    return pf.fd.SerializeToString(), pf.syntax, list(pf.locs), options, refs, pf.import_pos


def _parse_both(data: bytes) -> tuple[object, object]:
    """(Python's parse or its exception, the native answer: a ParsedFile or its decline code)."""
    import schemacheck_native

    from schemacheck.formats.protobuf.parser import from_native, parse

    try:
        lexer.check_text(data, "x.proto")
    except ParseError:
        return None, None
    try:
        pure = parse(lexer.tokenize_python(data, "x.proto"), "x.proto", "x.proto")
    except ParseError as exc:
        pure = exc
    out = schemacheck_native.parse(data, "x.proto", lexer.MAX_TOKENS, lexer.MAX_LINES)
    return pure, (from_native("x.proto", out) if type(out) is tuple else out)


def _check_parse(data: bytes, counts: dict) -> None:
    pure, fast = _parse_both(data)
    if pure is None:
        counts["not text"] = counts.get("not text", 0) + 1
        return
    if isinstance(fast, int):
        counts[fast] = counts.get(fast, 0) + 1
        if fast == 2:  # unsupported: handed back whatever Python answers; never an answer of its own
            return
        assert isinstance(pure, ParseError), "the native parser declined a file Python parses"
        return
    assert not isinstance(pure, ParseError), f"the native parser accepted a file Python rejects: {pure}"
    counts["same"] = counts.get("same", 0) + 1
    assert _parsed(fast) == _parsed(pure)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.relative_to(REPO).as_posix())
def test_parser_output_is_pythons(path: Path) -> None:
    counts: dict = {}
    _check_parse(path.read_bytes(), counts)
    assert 2 not in counts, "a corpus file is handed back as unsupported"


def test_parser_on_fuzz_mutants() -> None:
    """Grammar-aware edits (fuzz/mutate_proto.py) and byte/token havoc of every corpus file, with a
    fixed seed: where Python parses, the native answer is the same; where it raises, the native
    parser declines (so the message is Python's). Unsupported constructs are counted."""
    from fuzz.mutate_proto import mutate_proto

    seeds = [p.read_bytes() for p in FILES]
    rng = random.Random(12)
    counts: dict = {}
    for k in range(4000):
        if k % 2:
            try:
                data = mutate_proto(rng, seeds)[1]
            except ValueError:  # the mutator cannot renumber a 4,300-digit literal
                continue
        else:
            data = havoc(rng, rng.choice(seeds), seeds, PROTO.dictionary)
        _check_parse(data, counts)
    print("native parser on mutants:", counts)
    assert counts.get("same", 0) > 1000 and counts.get(1, 0) > 1000, counts  # both sides exercised
    assert counts.get(2, 0) == 0, counts


RARE = r'''syntax = "proto2";
package a.b;
import public "x.proto"; import weak "y.proto";
// leading
message M { // trailing
  /* block
   * c */
  extensions 100 to 199, 300, 400 to max [(ver) = 1, declaration = { number: 5 full_name: ".a.b" type: "-x" }];
  extensions 1000 to 1001;
  reserved 5, 7 to 9, 20 to max; reserved "foo", "bar";
  optional group Res = 3 { required int32 x = 1; optional group In = 2 { } }
  map<string, Foo.Bar> m = 4 [features.(x).y = 3, (z) = -inf, (w) = -nan];
  optional double d = 10 [default = -1.5e300]; optional float f = 11 [default = 0x1F];
  optional bytes b = 12 [default = "\001\x7f\u00e9\U0001F600 \' \"\\"];
  optional string s = 13 [default = "h\u00e9" "llo", json_name = "S"];
  optional E e = 14 [default = FOO]; optional bool bo = 15 [default = true];
  optional int64 i = 16 [default = -9223372036854775808]; optional uint64 u = 17 [default = 18446744073709551615];
  oneof o { option (oo) = 1; int32 oa = 20; .a.b.M ob = 21; group G = 22 {} }
  extend M { optional int32 ext = 101; }
  option message_set_wire_format = true;
  option (agg) = { a: 1 b: [1, 2] c { d: "x" } e: -5 f: - 3 };
  export enum E { option allow_alias = true; FOO = 0; BAR = -2147483648 [(ev) = "s", deprecated=true];
                  reserved -5 to -1, 10 to max; reserved "X"; }
  message _a__b { }
}
extend M { optional group Top = 102 { } repeated int32 rep = 103 [packed = true]; }
service S { option (so) = 1.5e-7; rpc A(stream .M) returns (stream M) { option deprecated = true; }; rpc B(M) returns (M); }
option java_package = 'x' "y";
option (a.b).c.(d.e) = 1;
'''
EDITIONS = r'''edition = "2023";
package p;
import option "opt.proto";
local message A { reserved foo, bar; repeated int32 x = 1 [features.repeated_field_encoding = EXPANDED]; B b = 2;
  map<int32, B> m = 3 [features.(pb.cpp).string_type = VIEW, features.utf8_validation = NONE]; }
export enum B { B0 = 0; reserved B1; }
'''
PROTO3 = 'syntax = "proto3"; message M { optional int32 a = 1; optional int32 _a = 2; int32 X_a = 3; ' \
         'oneof _a_ {int32 z = 4;} optional string b = 5; }'


@pytest.mark.parametrize("text", [RARE, EDITIONS, PROTO3], ids=["proto2", "editions", "proto3"])
def test_parser_on_rare_constructs(text: str) -> None:
    """Constructs the corpus has few of: extension range options, groups, maps with features,
    every default type, escapes, aggregates, editions, visibility, import kinds, synthetic oneofs."""
    counts: dict = {}
    _check_parse(text.encode(), counts)
    assert counts == {"same": 1}


def test_float_defaults_are_formatted_like_python() -> None:
    """protoc's SimpleDtoa (%.15g, else %.17g) in Rust against strings.simple_dtoa."""
    import struct

    rng = random.Random(3)
    values = ["1e-5", "0.1", "1.", ".5", "5e-324", "1.7976931348623157e308", "1e400", "123456789012345678",
              "0x7fffffffffffffff", "07", "0", "1e15", "1e16", "1e-4", "nan", "inf", "2.5", "0.3"]
    for _ in range(2000):
        x = rng.choice([rng.uniform(-1e6, 1e6), rng.random() * 10 ** rng.randint(-30, 30),
                        struct.unpack("<d", rng.getrandbits(64).to_bytes(8, "little"))[0]])
        if x == x and abs(x) != float("inf"):
            values.append(repr(abs(x)))
    counts: dict = {}
    for v in values:
        for sign in ("", "-"):
            _check_parse(f'syntax = "proto2"; message M {{ optional double d = 1 [default = {sign}{v}]; '
                         f'optional float f = 2 [default = {sign}{v}]; option (o) = {sign}{v}; }}'.encode(), counts)
    assert counts == {"same": 2 * len(values)}
