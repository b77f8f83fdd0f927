"""Random changes, two oracles: buf and schemacheck must report the same breaking changes.

Hypothesis draws a valid proto file set (proto2/proto3/editions; messages, enums, a service;
``protogen.py``), applies a few random changes (fields added, deleted with or without
reservations, renumbered, renamed, retyped, relabelled, moved in and out of oneofs; options
edited; enum values renamed/deleted; messages/enums/rpcs/services/files deleted; streaming and
rpc types changed), and compares buf with schemacheck on ``FILE`` (buf's default), ``WIRE_JSON``
and ``WIRE``. Only rule IDs schemacheck implements are compared; the others are listed in a
warning. Intended differences come from ``buf_differences.toml``.

Bounded in CI (25 examples, derandomized when ``CI`` is set). Run long with
``SCHEMACHECK_FUZZ_EXAMPLES=2000 pytest tests/test_buf_fuzz.py``.
"""

from __future__ import annotations

import importlib.util
import os
import tempfile
import warnings
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from bufrun import format_diff, key_of, load_differences, run_buf
from protogen import file_sets, mutate, write_tree
from schemacheck.compat.protobuf.bufconfig import BUF_RULE_IDS, parse_buf_yaml
from schemacheck.config import Settings
from schemacheck.registry import REGISTRY, load_rules
from schemacheck.runner import CheckRequest, run_check
from schemacheck.snapshot import DirectorySnapshot
from tools import buf_path, require

EXAMPLES = int(os.environ.get("SCHEMACHECK_FUZZ_EXAMPLES", "25"))
SELECTIONS = ("FILE", "WIRE_JSON", "WIRE")
DIFFERENCES = load_differences()
load_rules()
#: Our buf rules (the GOOGLE_API category is ours, with no buf counterpart).
IMPLEMENTED = frozenset(r.id for r in REGISTRY.for_format("protobuf") if "GOOGLE_API" not in r.categories)


@pytest.fixture(scope="module", autouse=True)
def _parser_backend():
    """Use protoc until the pure-Python parser exists (then both are exercised elsewhere)."""
    if importlib.util.find_spec("schemacheck.formats.protobuf.compiler") is not None:
        yield
        return
    old = os.environ.get("SCHEMACHECK_PROTO_PARSER")
    os.environ["SCHEMACHECK_PROTO_PARSER"] = "protoc"
    yield
    if old is None:
        os.environ.pop("SCHEMACHECK_PROTO_PARSER", None)
    else:
        os.environ["SCHEMACHECK_PROTO_PARSER"] = old


def test_our_protobuf_rule_ids_are_bufs() -> None:
    """The comparison is by ID, so every protobuf rule we have must be a buf rule ID."""
    assert IMPLEMENTED <= BUF_RULE_IDS, sorted(IMPLEMENTED - BUF_RULE_IDS)
    missing = sorted(BUF_RULE_IDS - IMPLEMENTED - set(REGISTRY.deprecated))
    if missing:
        warnings.warn(f"buf rules not implemented, so not compared: {', '.join(missing)}", stacklevel=1)


def _compare(buf: str, base: Path, head: Path, texts: str) -> None:
    for selection in SELECTIONS:
        wanted = REGISTRY.expand([selection], "protobuf")
        theirs = run_buf(buf, base, head, [selection])
        assert not theirs.compile_errors, f"protogen made an invalid file set: {theirs.compile_errors}\n{texts}"
        result = run_check(CheckRequest(DirectorySnapshot(base, "base"), DirectorySnapshot(head, "head"),
                                        Settings(select=(selection,)), formats=("protobuf",)))
        errors = [d for d in result.diagnostics if d.severity.value == "error"]
        assert not errors, f"schemacheck could not compile what buf accepts: {errors}\n{texts}"
        ours = {key_of(f) for f in result.findings}
        buf_keys = {k for k in theirs.keys if k.rule in wanted}
        only_ours, only_buf, _ = DIFFERENCES.apply(ours, buf_keys, head=head)
        if only_ours or only_buf:
            messages = {key_of(f): f.message for f in result.findings}
            pytest.fail(format_diff(f"use: [{selection}] disagrees", only_ours, only_buf, theirs.messages, messages)
                        + "\n" + texts, pytrace=False)


@settings(max_examples=EXAMPLES, deadline=None, derandomize=bool(os.environ.get("CI")),
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large], print_blob=True)
@given(data=st.data())
def test_random_changes_agree_with_buf(data) -> None:
    buf = require(buf_path(), "buf")
    base_set = data.draw(file_sets(), label="base")
    head_set, applied = data.draw(mutate(base_set), label="changes")
    with tempfile.TemporaryDirectory(prefix="schemacheck-fuzz-") as tmp:
        base, head = Path(tmp) / "base", Path(tmp) / "head"
        base_texts, head_texts = write_tree(base, base_set), write_tree(head, head_set)
        texts = f"changes: {applied}\n" + "".join(
            f"--- base/{p}\n{t}" for p, t in base_texts.items()) + "".join(
            f"+++ head/{p}\n{t}" for p, t in head_texts.items())
        _compare(buf, base, head, texts)


def _unnested(paths: list[str]) -> list[str]:
    """buf rejects an ignore path inside another one of the same list; keep the outer ones."""
    return [p for p in paths if not any(p != q and p.startswith(q + "/") for q in paths)]


@st.composite
def breaking_sections(draw, paths: list[str]) -> str:
    """A random buf.yaml v2 ``breaking:`` section over the given file paths (and their directories)."""
    names = sorted(IMPLEMENTED)
    dirs = sorted({p.rsplit("/", 1)[0] for p in paths} | {p.split("/", 1)[0] for p in paths})
    where = sorted(set(paths) | set(dirs))
    use = draw(st.lists(st.sampled_from(("FILE", "PACKAGE", "WIRE_JSON", "WIRE", *names)), min_size=1, max_size=3, unique=True))
    lines = ["version: v2", "breaking:", f"  use: [{', '.join(use)}]"]
    excepted = draw(st.lists(st.sampled_from(names), max_size=3, unique=True))
    if excepted:
        lines.append(f"  except: [{', '.join(excepted)}]")
    ignored = _unnested(draw(st.lists(st.sampled_from(where), max_size=2, unique=True)))
    if ignored:
        lines.append(f"  ignore: [{', '.join(ignored)}]")
    only = draw(st.dictionaries(st.sampled_from(("WIRE", "WIRE_JSON", *names)),
                                st.lists(st.sampled_from(where), min_size=1, max_size=2, unique=True).map(_unnested),
                                max_size=2))
    if only:
        lines.append("  ignore_only:")
        lines += [f"    {rule}: [{', '.join(ps)}]" for rule, ps in sorted(only.items())]
    if draw(st.booleans()):
        lines.append("  ignore_unstable_packages: true")
    return "\n".join(lines) + "\n"


@settings(max_examples=EXAMPLES, deadline=None, derandomize=bool(os.environ.get("CI")),
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large], print_blob=True)
@given(data=st.data())
def test_random_buf_yaml_agrees_with_buf(data) -> None:
    """The same random change under a random buf.yaml (use/except/ignore/ignore_only/unstable packages)."""
    buf = require(buf_path(), "buf")
    base_set = data.draw(file_sets(), label="base")
    head_set, applied = data.draw(mutate(base_set), label="changes")
    config = data.draw(breaking_sections([f.path for f in base_set.files]), label="buf.yaml")
    with tempfile.TemporaryDirectory(prefix="schemacheck-fuzz-") as tmp:
        base, head = Path(tmp) / "base", Path(tmp) / "head"
        texts = f"changes: {applied}\nbuf.yaml:\n{config}" + "".join(
            f"--- base/{p}\n{t}" for p, t in write_tree(base, base_set).items()) + "".join(
            f"+++ head/{p}\n{t}" for p, t in write_tree(head, head_set).items())
        (base / "buf.yaml").write_text(config)
        (head / "buf.yaml").write_text(config)
        # buf 1.75 crashes ("resultRules was empty") when use minus except selects nothing.
        assume(any(m.breaking.rules for m in parse_buf_yaml(config.encode())[1]))
        theirs = run_buf(buf, base, head)
        assert not theirs.compile_errors, f"protogen made an invalid file set: {theirs.compile_errors}\n{texts}"
        result = run_check(CheckRequest(DirectorySnapshot(base, "base"), DirectorySnapshot(head, "head"), Settings(),
                                        formats=("protobuf",)))
        ours = {key_of(f) for f in result.findings}
        only_ours, only_buf, _ = DIFFERENCES.apply(ours, {k for k in theirs.keys if k.rule in IMPLEMENTED}, head=head)
        if only_ours or only_buf:
            pytest.fail(format_diff("buf.yaml honoured differently", only_ours, only_buf, theirs.messages,
                                    {key_of(f): f.message for f in result.findings}) + "\n" + texts, pytrace=False)
