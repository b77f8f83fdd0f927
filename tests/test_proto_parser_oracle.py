"""The pure-Python protobuf compiler must produce exactly what protoc produces.

Every ``.proto`` under ``fixtures/`` and ``tests/protobuf_corpus/`` is compiled by both back
ends (protoc from grpcio-tools is the oracle) and the resulting ``FileDescriptorProto``s,
including ``SourceCodeInfo`` spans and comments and the bytes of custom options, must be
identical. A failure prints a unified diff of the two in text format.
"""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest

pytest.importorskip("grpc_tools")

from google.protobuf import text_format  # noqa: E402

from schemacheck.formats.protobuf.compiler import compile_with_python, descriptor_set  # noqa: E402
from schemacheck.formats.protobuf.protoc_backend import compile_with_protoc  # noqa: E402
from schemacheck.snapshot import DirectorySnapshot  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "tests" / "protobuf_corpus"
FIXTURES = REPO / "fixtures"


def _files() -> list[Path]:
    found = sorted(CORPUS.rglob("*.proto")) + sorted(FIXTURES.rglob("*.proto"))
    return [p for p in found if "/errors/" not in p.as_posix()]


def _root_for(path: Path) -> tuple[Path, list]:
    """The innermost directory from which protoc compiles ``path`` (imports resolve)."""
    top = CORPUS if CORPUS in path.parents else FIXTURES
    candidates = [path.parent, *[p for p in path.parent.parents if top == p or top in p.parents]]
    first = None
    for root in candidates:
        rel = path.relative_to(root).as_posix()
        result = compile_with_protoc(DirectorySnapshot(root), [rel])
        if first is None:
            first = (root, result)
        if not result.errors:
            return root, result
    return first


def _text(fd) -> str:
    return text_format.MessageToString(fd, print_unknown_fields=True)


def _diff(expected, actual) -> str:
    lines = difflib.unified_diff(_text(expected).splitlines(), _text(actual).splitlines(),
                                 "protoc", "python", lineterm="", n=4)
    return "\n".join(list(lines)[:200])


@pytest.mark.parametrize("path", _files(), ids=lambda p: p.relative_to(REPO).as_posix())
def test_python_compiler_matches_protoc(path: Path) -> None:
    root, expected = _root_for(path)
    rel = path.relative_to(root).as_posix()
    actual = compile_with_python(DirectorySnapshot(root), [rel], closure="full")
    shallow = compile_with_python(DirectorySnapshot(root), [rel])
    if not actual.errors:  # the default compile links only the target: it must come out the same
        assert not shallow.errors, shallow.errors[0]
        assert shallow.files[rel].descriptor.SerializeToString(deterministic=True) == \
            actual.files[rel].descriptor.SerializeToString(deterministic=True)
    elif shallow.errors:  # a shallow compile that fails is redone in full: same errors
        assert [str(e) for e in shallow.errors] == [str(e) for e in actual.errors]
    if expected.errors:
        assert actual.errors, f"protoc rejects {rel} ({expected.errors[0]}) but the Python compiler accepts it"
        return
    if actual.errors and any(word in actual.errors[0].detail for word in ("not valid UTF-8", "NUL bytes")):
        pytest.skip(f"deliberately stricter than protoc: {actual.errors[0]}")
    assert not actual.errors, f"protoc accepts {rel} but the Python compiler says: {actual.errors[0]}"
    assert sorted(actual.files) == sorted(expected.files)
    ordered = [f.name for f in descriptor_set(actual, [rel]).file]
    assert ordered == list(expected.files), "descriptor set order differs from protoc --include_imports"
    for name, want in expected.files.items():
        got = actual.files[name]
        assert got.path == want.path
        same = got.descriptor.SerializeToString(deterministic=True) == \
            want.descriptor.SerializeToString(deterministic=True)
        assert same, f"{name} differs from protoc:\n{_diff(want.descriptor, got.descriptor)}"


def test_descriptor_set_orders_imports_first() -> None:
    result = compile_with_python(DirectorySnapshot(CORPUS), ["imports/user.proto"], closure="full")
    assert not result.errors
    names = [f.name for f in descriptor_set(result, ["imports/user.proto"]).file]
    assert names[-1] == "imports/user.proto"
    for i, name in enumerate(names):
        for dep in result.files[name].descriptor.dependency:
            assert names.index(dep) < i
