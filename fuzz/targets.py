"""Fuzz targets: one per front end, each a seed corpus, a generator of (base, head) pairs and a run.

Maintainers: a target names a schemacheck format (its checker in ``checkers.CHECKER_BY_FORMAT``)
and a file name; :func:`run_pair` puts the seed in a base snapshot and the mutant in a head
snapshot held in memory and runs the real ``runner.run_check`` on them, so every input goes
the whole check path (parser, loader, metaschema, shape/descriptor building, pairing, rules,
filters) exactly as the CLI would, minus git. Adding a front end (OpenAPI, Python DTOs) is one
more :class:`Target` in :data:`TARGETS`: its format name, file name, seed globs and keywords;
a structure-aware ``generate`` is optional.
"""

from __future__ import annotations

import json
import random
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from .mutate import havoc
from .mutate_json import DICTIONARY as JSON_DICTIONARY
from .mutate_openapi import DICTIONARY as OPENAPI_DICTIONARY
from .mutate_openapi import mutate_openapi
from .mutate_proto import mutate_proto
from .mutate_python import DICTIONARY as PYTHON_DICTIONARY
from .mutate_python import mutate_python

__all__ = ["Target", "TARGETS", "MemorySnapshot", "run_pair", "REPO"]

REPO = Path(__file__).resolve().parent.parent


class MemorySnapshot:
    """A revision held in memory: path -> bytes (the Snapshot protocol, no file system)."""

    def __init__(self, files: dict[str, bytes], label: str) -> None:
        self.files = files
        self.label = label

    def paths(self) -> Iterable[str]:
        return list(self.files)

    def read(self, path: str) -> bytes:
        try:
            return self.files[path]
        except KeyError:
            raise FileNotFoundError(path) from None

    def blob_id(self, path: str) -> str | None:
        import hashlib

        data = self.files.get(path)
        return None if data is None else hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()

    def exists(self, path: str) -> bool:
        return path in self.files


@dataclass(frozen=True)
class Target:
    """One front end under fuzzing.

    Attributes:
        name: Short name (``--target``).
        fmt: schemacheck format whose checker runs.
        filename: Path the input gets in both snapshots (its extension picks the parser).
        seed_globs: Globs under the repository root whose files seed the corpus.
        dictionary: Keywords and punctuation of the grammar, inserted by token mutations.
        generate: Optional structure-aware generator ``(rng, seeds) -> (base, head)``.
        convert: Optional seed conversion (e.g. JSON seeds dumped as YAML); None drops a seed.
        run: Optional replacement of :func:`run_pair` (a front end checked another way; tests).
    """

    name: str
    fmt: str
    filename: str
    seed_globs: tuple[str, ...]
    dictionary: tuple[bytes, ...]
    generate: Callable[[random.Random, list[bytes]], tuple[bytes, bytes]] | None = None
    convert: Callable[[Path], bytes | None] | None = None
    run: Callable[[bytes, bytes], object] | None = None

    def seeds(self) -> list[bytes]:
        """The seed corpus, deduplicated, in a stable order."""
        found: dict[bytes, None] = {}
        for pattern in self.seed_globs:
            for path in sorted(REPO.glob(pattern)):
                if not path.is_file():
                    continue
                data = self.convert(path) if self.convert else path.read_bytes()
                if data is not None and len(data) < 512 * 1024:
                    found[data] = None
        return list(found)

    def next_input(self, rng: random.Random, seeds: list[bytes]) -> tuple[bytes, bytes]:
        """A (base, head) pair: a seed and a mutant of it (sometimes of another seed, or both mutated)."""
        if self.generate is not None and rng.random() < 0.6:
            return self.generate(rng, seeds)
        base = rng.choice(seeds)
        head = havoc(rng, base, seeds, self.dictionary)
        if rng.random() < 0.1:
            base = havoc(rng, base, seeds, self.dictionary)
        return base, head


def run_pair(target: Target, base: bytes, head: bytes) -> object:
    """Check ``head`` against ``base`` as the CLI would; returns the CheckResult.

    A quarter of the results (those with findings or diagnostics) are also rendered in one of
    the output formats and encoded as the CLI writes them. Raises whatever the check raises: a
    ``SchemacheckError`` is a clean rejection, anything else an internal error.
    """
    from schemacheck.runner import CheckRequest, run_check

    from .fastpath import settings_for

    if target.run is not None:
        return target.run(base, head)
    settings = settings_for(target, head)
    pick = zlib.crc32(head)  # choices picked by the input, so that a rerun is the same run
    head_snapshot = MemorySnapshot({target.filename: head}, "head")
    request = CheckRequest(MemorySnapshot({target.filename: base}, "base"), head_snapshot,
                           settings, formats=(target.fmt,), limit_to=(target.filename,))
    result = run_check(request)
    if (result.findings or result.diagnostics) and pick % 4 == 0:  # a quarter: rendering costs a parse
        _report(result, head_snapshot, pick // 4)
    return result


def _report(result, head: MemorySnapshot, pick: int) -> None:
    """Render the result as the CLI would, in one output format picked by the input, and encode it
    as the CLI writes it (UTF-8, strict): a reporter's crash is a crash of the check."""
    from schemacheck.cli import _source_lines
    from schemacheck.model import Severity
    from schemacheck.report import REPORTER_BY_NAME, ReportContext, get_reporter

    names = sorted(REPORTER_BY_NAME)
    ctx = ReportContext(color=bool(pick & 1), source_line=_source_lines(head), repo_root="/repo",
                        fail_on=Severity.ERROR)
    get_reporter(names[pick // 2 % len(names)]).render(result, ctx).encode("utf-8")


# -- protobuf -------------------------------------------------------------------------------
_PROTO_WORDS = ("syntax", "edition", "package", "import", "public", "weak", "option", "message", "enum",
                "service", "rpc", "returns", "stream", "oneof", "map", "reserved", "extensions", "extend",
                "to", "max", "optional", "required", "repeated", "group", "double", "float", "int32",
                "int64", "uint32", "uint64", "sint32", "sint64", "fixed32", "fixed64", "sfixed32",
                "sfixed64", "bool", "string", "bytes", "true", "false", "inf", "nan", "default",
                "json_name", "deprecated", "packed", "lazy", "features", "features.field_presence",
                "LEGACY_REQUIRED", "IMPLICIT", "EXPLICIT", "(my_opt)", "(a.b).c", "java_package",
                "go_package", "cc_enable_arenas", "allow_alias", "export", "local", "declaration",
                "verification", "\"proto2\"", "\"proto3\"", "\"2023\"", "\"2024\"", "\"editions\"",
                "\"google/protobuf/descriptor.proto\"", "\"google/protobuf/any.proto\"",
                "\"google/protobuf/timestamp.proto\"", "\"other.proto\"", "\"/etc/passwd\"", "\"../x.proto\"",
                "google.protobuf.Any", ".google.protobuf.Timestamp", "{", "}", "(", ")", "[", "]", "<", ">",
                ";", "=", ",", ".", "-", "/*", "*/", "//", "\"", "'", "\\", "536870911", "19000", "0x",
                "1e10", "-inf")
PROTO = Target(
    name="proto", fmt="protobuf", filename="fuzz/v1/fuzz.proto",
    seed_globs=("fixtures/protobuf/**/*.proto", "tests/protobuf_corpus/**/*.proto", "fuzz/seeds/proto/*.proto"),
    dictionary=tuple(w.encode() for w in _PROTO_WORDS),
    generate=mutate_proto,
)


# -- JSON Schema as JSON and as YAML ----------------------------------------------------------
def _json_generate(dump: str) -> Callable[[random.Random, list[bytes]], tuple[bytes, bytes]]:
    """Structure-aware pairs: parse a seed, edit its tree, serialise base and head alike."""
    parsed: dict[int, object] = {}

    def load(seeds: list[bytes], i: int) -> object:
        if i not in parsed:
            try:
                if dump == "json":
                    parsed[i] = json.loads(seeds[i])
                else:
                    import yaml

                    parsed[i] = yaml.safe_load(seeds[i])
            except Exception:  # a seed that is not JSON/YAML is used only by byte mutations
                parsed[i] = {}
        return parsed[i]

    def generate(rng: random.Random, seeds: list[bytes]) -> tuple[bytes, bytes]:
        from .mutate_json import dump_json, dump_yaml, mutate_tree

        serialise = dump_json if dump == "json" else dump_yaml
        base_tree = load(seeds, rng.randrange(len(seeds)))
        others = [load(seeds, rng.randrange(len(seeds))) for _ in range(2)]
        head_tree = mutate_tree(rng, base_tree, others)
        if rng.random() < 0.2:  # both sides edited: the engine's pairing of two unfamiliar trees
            base_tree = mutate_tree(rng, base_tree, others)
        try:
            return serialise(rng, base_tree), serialise(rng, head_tree)
        except (ValueError, RecursionError):  # a tree json/yaml cannot write: fall back to the seed
            return seeds[0], seeds[0]

    return generate


def _yaml_seed(path: Path) -> bytes | None:
    """YAML fixtures as they are; JSON fixtures re-dumped as YAML (block style)."""
    data = path.read_bytes()
    if path.suffix in (".yaml", ".yml"):
        return data
    try:
        import yaml

        return yaml.safe_dump(json.loads(data), sort_keys=False).encode()
    except (ValueError, RecursionError):
        return None


def _json_seed(path: Path) -> bytes | None:
    data = path.read_bytes()
    try:
        json.loads(data)
    except ValueError:
        return None
    return data


_YAML_WORDS = (b"&a", b"*a", b"&b ", b"*b", b"<<: *a", b"!!str", b"!!int", b"!!python/object", b"!Ref", b"---",
               b"...", b"- ", b": ", b"? ", b"|", b">-", b"%YAML 1.1", b"%TAG", b"{", b"}", b"[", b"]", b"~",
               b"yes", b"on", b".inf", b".nan", b"0o17", b"2001-12-14", b"'", b"\"", b"#", b"\t", b"  ")
_SCHEMA_GLOBS = ("fixtures/jsonschema/**/*.json", "fixtures/jsonschema/**/*.yaml", "fixtures/jsonschema/**/*.yml",
                 "tests/jsonschema_corpus/**/*.json")
JSON = Target(
    name="json", fmt="jsonschema", filename="fuzz.schema.json",
    seed_globs=tuple(g for g in _SCHEMA_GLOBS if g.endswith(".json")) + ("fuzz/seeds/json/*.json",),
    dictionary=JSON_DICTIONARY,
    generate=_json_generate("json"), convert=_json_seed,
)
YAML = Target(
    name="yaml", fmt="jsonschema", filename="fuzz.schema.yaml",
    seed_globs=_SCHEMA_GLOBS + ("fuzz/seeds/yaml/*.yaml",),
    dictionary=JSON.dictionary + _YAML_WORDS,
    generate=_json_generate("yaml"), convert=_yaml_seed,
)


# -- OpenAPI (2.0, 3.0, 3.1; YAML or JSON text) ------------------------------------------------------
OPENAPI = Target(
    name="openapi", fmt="openapi", filename="api/openapi.yaml",
    seed_globs=("fixtures/openapi/**/*.yaml", "fixtures/openapi/**/*.json", "fuzz/seeds/openapi/*"),
    dictionary=OPENAPI_DICTIONARY + _YAML_WORDS,
    generate=mutate_openapi,
)


# -- Python DTOs (pydantic v1/v2, dataclasses, attrs, msgspec, TypedDict; libcst) -----------------------
PYTHON = Target(
    name="python", fmt="python", filename="app/models.py",
    seed_globs=("fixtures/python/**/*.py", "fuzz/seeds/python/*.py"),
    dictionary=PYTHON_DICTIONARY,
    generate=mutate_python,
)

#: Every target by name. A new front end adds one entry here (and seeds under ``fuzz/seeds/<name>/``).
TARGETS: dict[str, Target] = {t.name: t for t in (PROTO, JSON, YAML, OPENAPI, PYTHON)}
